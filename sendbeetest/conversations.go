package sendbeetest

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
)

// conversation is a stored conversation: the API's view of it, the ID of
// its contact (whose current name and phone are shown), and its messages.
type conversation struct {
	conv      sendbee.Conversation
	contactID string
	messages  []sendbee.Message
}

// view returns the conversation as the API shows it. The caller holds mu.
func (st *store) view(c *conversation) sendbee.Conversation {
	out := c.conv
	if i := indexByID(st.contacts, c.contactID, contactID); i >= 0 {
		ct := st.contacts[i]
		out.Contact = &sendbee.ConversationContact{ID: ct.ID, Name: ct.Name, Phone: ct.Phone, WhatsAppUserID: ct.WhatsAppUserID}
	}
	if c.conv.LastMessage != nil {
		last := *c.conv.LastMessage
		out.LastMessage = &last
	}
	return out
}

// conversationByID returns the stored conversation, or nil. The caller holds mu.
func (st *store) conversationByID(id string) *conversation {
	i := slices.IndexFunc(st.conversations, func(c *conversation) bool { return c.conv.ID == id })
	if i < 0 {
		return nil
	}
	return st.conversations[i]
}

// conversationWith returns the contact's conversation, starting one (open,
// on WhatsApp, chatbot on) when it has none. The caller holds mu.
func (st *store) conversationWith(contactIndex int) *conversation {
	id := st.contacts[contactIndex].ID
	if i := slices.IndexFunc(st.conversations, func(c *conversation) bool { return c.contactID == id }); i >= 0 {
		return st.conversations[i]
	}
	c := &conversation{
		conv: sendbee.Conversation{
			ID: st.newID(), Folder: sendbee.FolderOpen, ChatbotActive: true,
			Platform: "whatsapp", CreatedAt: st.stamp(),
		},
		contactID: id,
	}
	st.conversations = append(st.conversations, c)
	return c
}

// deliver stores m as an outbound message to the contact with this phone
// or WhatsApp user ID (created when unknown), in its conversation (started
// when it has none), and returns the receipt. The chatbot is switched off
// unless preventBotOff, the request's prevent_bot_off, is true (left out,
// or sent as false, it is switched off). The caller holds mu.
func (st *store) deliver(phone, whatsAppUserID string, m sendbee.Message, preventBotOff *bool) sendbee.SentMessage {
	c := st.conversationWith(st.contactFor(phone, whatsAppUserID))
	now := st.now()
	m.ID = st.newID()
	m.Direction = sendbee.DirectionOutbound
	m.Status = "sent"
	m.SentAt = sendbee.Time{Time: now.UTC().Truncate(time.Second), Raw: strconv.FormatInt(now.Unix(), 10)}
	c.messages = append(c.messages, m)
	c.conv.LastMessage = &sendbee.LastMessage{Direction: sendbee.DirectionOutbound, Status: m.Status, OutboundSentAt: st.stamp()}
	if preventBotOff == nil || !*preventBotOff {
		c.conv.ChatbotActive = false
	}
	st.sent++
	return sendbee.SentMessage{ID: c.conv.ID, MessageID: m.ID, MessageReferenceID: st.newID(), Status: "queued"}
}

// AddInboundMessage stores text as a message the contact with this phone
// sent to the business: the contact and its conversation are created when
// missing, and the conversation's last message becomes this inbound one.
// It returns the conversation. Use it to seed a conversation to read.
func (s *Server) AddInboundMessage(phone, text string) sendbee.Conversation {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c := st.conversationWith(st.contactFor(phone, ""))
	now := st.now()
	c.messages = append(c.messages, sendbee.Message{
		ID: st.newID(), Body: text, Direction: sendbee.DirectionInbound, Status: "received",
		SentAt: sendbee.Time{Time: now.UTC().Truncate(time.Second), Raw: strconv.FormatInt(now.Unix(), 10)},
	})
	c.conv.LastMessage = &sendbee.LastMessage{Direction: sendbee.DirectionInbound, Status: "received", InboundSentAt: st.stamp()}
	return st.view(c)
}

// Conversations returns the stored conversations, oldest first.
func (s *Server) Conversations() []sendbee.Conversation {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]sendbee.Conversation, len(st.conversations))
	for i, c := range st.conversations {
		out[i] = st.view(c)
	}
	return out
}

// Messages returns the messages of a conversation, oldest first; nil for
// an unknown conversation. Sent messages have status "sent" (the fake
// delivers at once; the send's receipt says "queued").
func (s *Server) Messages(conversationID string) []sendbee.Message {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c := st.conversationByID(conversationID)
	if c == nil {
		return nil
	}
	return slices.Clone(c.messages)
}

// SentCount returns how many message and template sends the server has
// processed, including those whose answer a fault then dropped.
func (s *Server) SentCount() int {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.sent
}

// listConversations answers GET /conversations: folder (open, done, spam,
// notified) filters, search_query matches the contact's name or phone by
// substring ignoring case, and date_from/date_to (Unix seconds, inclusive)
// bound the conversation's created_at. Oldest first.
func (s *Server) listConversations(in *incoming) (any, error) {
	folder := in.query.Get("folder")
	if err := oneOf("folder", folder, string(sendbee.FolderOpen), string(sendbee.FolderDone), string(sendbee.FolderSpam), string(sendbee.FolderNotified)); err != nil {
		return nil, err
	}
	from, err := in.unixParam("date_from")
	if err != nil {
		return nil, err
	}
	to, err := in.unixParam("date_to")
	if err != nil {
		return nil, err
	}
	search := strings.ToLower(in.query.Get("search_query"))
	return serveList(s, in, true, func(st *store) ([]sendbee.Conversation, error) {
		var matching []sendbee.Conversation
		for _, c := range st.conversations {
			v := st.view(c)
			created := v.CreatedAt.Unix()
			if (folder == "" || string(v.Folder) == folder) &&
				(from == nil || created >= *from) && (to == nil || created <= *to) &&
				(search == "" || v.Contact != nil && (contains(v.Contact.Name, search) || contains(v.Contact.Phone, search))) {
				matching = append(matching, v)
			}
		}
		return matching, nil
	})
}

// unixParam reads an optional Unix-seconds query parameter.
func (in *incoming) unixParam(name string) (*int64, error) {
	v := in.query.Get(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, invalid("The " + name + " must be a Unix timestamp in seconds.")
	}
	return &n, nil
}

// conversationParam finds the conversation named by conversation_id. The
// caller holds mu.
func (st *store) conversationParam(id string) (*conversation, error) {
	if id == "" {
		return nil, required("conversation_id")
	}
	c := st.conversationByID(id)
	if c == nil {
		return nil, notFound("Conversation")
	}
	return c, nil
}

// getConversation answers GET /conversation.
func (s *Server) getConversation(in *incoming) (any, error) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c, err := st.conversationParam(in.query.Get("conversation_id"))
	if err != nil {
		return nil, err
	}
	return dataEnvelope{Data: st.view(c)}, nil
}

// updateConversation answers POST /conversation: moves it to folder open or done.
func (s *Server) updateConversation(in *incoming) (any, error) {
	var params sendbee.UpdateConversationParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.Folder == "" {
		return nil, required("folder")
	}
	if err := oneOf("folder", string(params.Folder), string(sendbee.FolderOpen), string(sendbee.FolderDone)); err != nil {
		return nil, err
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c, err := st.conversationParam(params.ID)
	if err != nil {
		return nil, err
	}
	c.conv.Folder = params.Folder
	return dataEnvelope{Data: st.view(c)}, nil
}

// listMessages answers GET /conversations/messages: a conversation's
// messages, oldest first, in pages of the server's page size (the API takes
// no limit here).
func (s *Server) listMessages(in *incoming) (any, error) {
	return serveList(s, in, false, func(st *store) ([]sendbee.Message, error) {
		c, err := st.conversationParam(in.query.Get("conversation_id"))
		if err != nil {
			return nil, err
		}
		return c.messages, nil
	})
}

// sendMessage answers POST /conversations/messages/send: phone or
// whatsapp_user_id, and text or media_url, are required.
func (s *Server) sendMessage(in *incoming) (any, error) {
	var params sendbee.SendMessageParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.Phone == "" && params.WhatsAppUserID == "" {
		return nil, invalid("The phone field is required when whatsapp_user_id is not present.")
	}
	if params.Text == "" && params.MediaURL == "" {
		return nil, invalid("The text field is required when media_url is not present.")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	m := sendbee.Message{Body: params.Text, MediaURL: params.MediaURL, MediaType: mediaType(params.MediaURL)}
	return dataEnvelope{Data: st.deliver(params.Phone, params.WhatsAppUserID, m, params.PreventBotOff)}, nil
}

// mediaType guesses a media URL's kind from its extension: image, video,
// audio or document; "" without a URL.
func mediaType(mediaURL string) string {
	if mediaURL == "" {
		return ""
	}
	path, _, _ := strings.Cut(mediaURL, "?")
	ext := strings.ToLower(path[strings.LastIndexByte(path, '.')+1:])
	switch ext {
	case "jpg", "jpeg", "png":
		return "image"
	case "mp4", "3gp", "3gpp":
		return "video"
	case "aac", "m4a", "amr", "mp3", "ogg", "opus":
		return "audio"
	}
	return "document"
}
