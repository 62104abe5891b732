package sendbee

import (
	"context"
	"net/http"
)

// AutomationService switches the chatbot (automated responses) on and off
// per conversation. Sending a message or template turns the chatbot off
// unless PreventBotOff is set.
type AutomationService service

// ChatbotStatus says whether the chatbot answers in a conversation.
// ConversationID sent as a number or boolean is its JSON text, as an
// object or array ""; ChatbotActive follows Bool (see Page).
type ChatbotStatus struct {
	ConversationID string `json:"conversation_id"`
	ChatbotActive  Bool   `json:"chatbot_active"`
	// Response is the HTTP answer of the call that returned this status.
	Response *Response `json:"-"`
}

// chatbotActivity is the body of PUT /automation/chatbot/activity; active
// is always sent, false included.
type chatbotActivity struct {
	ConversationID string `json:"conversation_id"`
	Active         bool   `json:"active"`
}

// SetChatbot turns the chatbot on (active true) or off for a conversation
// (PUT /automation/chatbot/activity). An empty confirmation gives an empty
// *ServerMessage and no error. An empty conversationID is a
// *ValidationError.
func (s *AutomationService) SetChatbot(ctx context.Context, conversationID string, active bool) (*ServerMessage, error) {
	if blank(conversationID) {
		return nil, invalid("conversation_id", "is required")
	}
	return one[ServerMessage](ctx, s.client, call{
		method: http.MethodPut, path: "/automation/chatbot/activity",
		body: &chatbotActivity{ConversationID: conversationID, Active: active}, idempotent: true, emptyOK: true,
	})
}

// ChatbotStatus reads whether the chatbot is on for a conversation (GET
// /automation/chatbot/activity/status). An empty conversationID is a
// *ValidationError.
func (s *AutomationService) ChatbotStatus(ctx context.Context, conversationID string) (*ChatbotStatus, error) {
	if blank(conversationID) {
		return nil, invalid("conversation_id", "is required")
	}
	return one[ChatbotStatus](ctx, s.client, call{
		method: http.MethodGet, path: "/automation/chatbot/activity/status",
		query: &conversationQuery{ConversationID: conversationID}, idempotent: true,
	})
}
