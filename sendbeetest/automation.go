package sendbeetest

import "github.com/sendbee/sendbee-go"

// SetChatbot switches the chatbot of a conversation on or off, as PUT
// /automation/chatbot/activity does, and reports whether the conversation
// exists.
func (s *Server) SetChatbot(conversationID string, active bool) bool {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c := st.conversationByID(conversationID)
	if c == nil {
		return false
	}
	c.conv.ChatbotActive = sendbee.Bool(active)
	return true
}

// ChatbotStatus reports whether the chatbot is on in a conversation, and
// whether the conversation exists. A new conversation starts with it on; a
// send turns it off unless it carries prevent_bot_off true.
func (s *Server) ChatbotStatus(conversationID string) (active, ok bool) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c := st.conversationByID(conversationID)
	if c == nil {
		return false, false
	}
	return bool(c.conv.ChatbotActive), true
}

// setChatbot answers PUT /automation/chatbot/activity: conversation_id and
// active (a boolean) are required.
func (s *Server) setChatbot(in *incoming) (any, error) {
	var params struct {
		ConversationID string `json:"conversation_id"`
		Active         *bool  `json:"active"`
	}
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.Active == nil {
		return nil, required("active")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c, err := st.conversationParam(params.ConversationID)
	if err != nil {
		return nil, err
	}
	c.conv.ChatbotActive = sendbee.Bool(*params.Active)
	msg := "Chatbot deactivated"
	if *params.Active {
		msg = "Chatbot activated"
	}
	return dataEnvelope{Data: sendbee.ServerMessage{Message: msg}}, nil
}

// chatbotStatus answers GET /automation/chatbot/activity/status.
func (s *Server) chatbotStatus(in *incoming) (any, error) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c, err := st.conversationParam(in.query.Get("conversation_id"))
	if err != nil {
		return nil, err
	}
	return dataEnvelope{Data: sendbee.ChatbotStatus{ConversationID: c.conv.ID, ChatbotActive: c.conv.ChatbotActive}}, nil
}
