package sendbee

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// MessagesService lists a conversation's messages and sends messages
// (GET /conversations/messages, POST /conversations/messages/send).
type MessagesService service

// Direction says which way a message went: from the contact to the
// business, or from the business to the contact.
type Direction string

// Message directions, for Message.Direction and LastMessage.Direction.
const (
	DirectionInbound  Direction = "inbound"  // from the contact
	DirectionOutbound Direction = "outbound" // to the contact
)

// Message is one message of a conversation. By the rules at Page, a text
// field sent as a number or boolean is its JSON text and as an object or
// array ""; SentAt follows Time; MetaData keeps any value as sent.
type Message struct {
	ID string `json:"id"`
	// Body is the text.
	Body      string `json:"body"`
	MediaType string `json:"media_type"`
	MediaURL  string `json:"media_url"`
	// Status is the delivery status as the API sends it, such as "sent" or
	// "read"; the API does not document its values, so it is a plain string.
	Status string `json:"status"`
	// Direction is DirectionInbound or DirectionOutbound.
	Direction Direction `json:"direction"`
	// SentAt arrives as Unix seconds or a date string; both decode.
	SentAt     Time   `json:"sent_at"`
	FailReason string `json:"fail_reason"`
	Action     string `json:"action"`
	// MetaData is kept as sent (an object or an array).
	MetaData   json.RawMessage `json:"meta_data,omitempty"`
	FromUserID string          `json:"from_user_id"`
	ToUserID   string          `json:"to_user_id"`
}

// ListMessagesParams pages GET /conversations/messages. The API takes no
// page size for messages.
type ListMessagesParams struct {
	// Page is the page to fetch, from 1; 0 means the first.
	Page int `url:"page,omitempty"`
}

// List returns one page of a conversation's messages (GET
// /conversations/messages). params may be nil. An empty conversationID is a
// *ValidationError.
func (s *MessagesService) List(ctx context.Context, conversationID string, params *ListMessagesParams) (*Page[Message], error) {
	if blank(conversationID) {
		return nil, invalid("conversation_id", "is required")
	}
	p := orZero(params)
	if p.Page < 0 {
		return nil, invalid("page", "must not be negative")
	}
	return list[Message](ctx, s.client, call{
		method: http.MethodGet, path: "/conversations/messages",
		query: &conversationQuery{ConversationID: conversationID, Page: p.Page}, idempotent: true,
	})
}

// All iterates over every message of a conversation, one page at a time;
// see ContactsService.All.
func (s *MessagesService) All(ctx context.Context, conversationID string, params *ListMessagesParams) iter.Seq2[Message, error] {
	return walk(ctx, params, func(ctx context.Context, p *ListMessagesParams) (*Page[Message], error) {
		return s.List(ctx, conversationID, p)
	})
}

func (p *ListMessagesParams) pageNumber() *int { return &p.Page }

// SendMessageParams is the body of POST /conversations/messages/send. Phone
// or WhatsAppUserID is required (both may be given; both are sent), and Text
// or MediaURL (or both).
type SendMessageParams struct {
	// Phone is the recipient's number in international format, such as
	// "+385991234567".
	Phone string `json:"phone,omitempty"`
	// WhatsAppUserID is the recipient's business-scoped WhatsApp user ID,
	// such as "US.13491208655302741918".
	WhatsAppUserID string `json:"whatsapp_user_id,omitempty"`
	// Text is the message text.
	Text string `json:"text,omitempty"`
	// MediaURL is a public URL of audio (AAC, M4A, AMR, MP3, OGG OPUS),
	// video (MP4, 3GPP), an image (JPG, PNG) or a document (PDF, DOC(X),
	// PPT(X), XLS(X)).
	MediaURL string `json:"media_url,omitempty"`
	// PreventBotOff, when true, keeps the conversation's chatbot on; when
	// false, sending turns it off. Nil leaves prevent_bot_off out of the
	// request and the server decides (it turns the chatbot off); set it with
	// sendbee.Ptr(true) or sendbee.Ptr(false), which is sent as false.
	PreventBotOff *bool `json:"prevent_bot_off,omitempty"`
	// AgentID assigns the conversation to this team member.
	AgentID string `json:"agent_id,omitempty"`
	// LiveInbox, when true, fires real-time inbox events for the sent
	// message; when false, it asks for none. Nil leaves live_inbox out of
	// the request and the server decides; set it with sendbee.Ptr(true) or
	// sendbee.Ptr(false), which is sent as false.
	LiveInbox *bool `json:"live_inbox,omitempty"`
}

// SentMessage is the API's receipt for a sent message or template. A field
// sent as a number or boolean is its JSON text, as an object or array ""
// (see Page).
type SentMessage struct {
	// ID is the "id" of the API's answer. The API does not document what it
	// identifies, the conversation or the message; MessageID is the message.
	ID string `json:"id"`
	// MessageID identifies the message in webhook status callbacks; keep it.
	MessageID          string `json:"message_id"`
	MessageReferenceID string `json:"message_reference_id"`
	// Status is the delivery status, such as "queued"; the API does not
	// document its values, so it is a plain string.
	Status string `json:"status"`
	// Response is the HTTP answer of the send that returned this receipt.
	Response *Response `json:"-"`
}

// Send sends a text or media message (POST /conversations/messages/send).
// It is never retried once the request may have reached the server: a
// timeout, dropped connection, 5xx or cancelled context gives an error
// matching ErrOutcomeUnknown, and the message may have been sent. Missing
// recipient or content is a *ValidationError, and nothing is sent.
func (s *MessagesService) Send(ctx context.Context, params SendMessageParams) (*SentMessage, error) {
	if blank(params.Phone) && blank(params.WhatsAppUserID) {
		return nil, invalid("phone", "phone or whatsapp_user_id is required")
	}
	if blank(params.Text) && blank(params.MediaURL) {
		return nil, invalid("text", "text or media_url is required")
	}
	return one[SentMessage](ctx, s.client, call{
		method: http.MethodPost, path: "/conversations/messages/send", body: &params,
		effect: "the message may have been sent",
	})
}
