package sendbee

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// ConversationsService lists, reads and moves conversations
// (GET /conversations, GET /conversation, POST /conversation).
type ConversationsService service

// Folder is the inbox folder a conversation is in.
type Folder string

// Conversation folders. A conversation can be moved only to FolderOpen or FolderDone.
const (
	FolderOpen     Folder = "open"
	FolderDone     Folder = "done"
	FolderSpam     Folder = "spam"
	FolderNotified Folder = "notified"
)

// Conversation is the thread between the business and one contact. By the
// rules at Page, ID, Folder and Platform sent as a number or boolean are
// its JSON text and as an object or array ""; ChatbotActive follows Bool,
// CreatedAt follows Time; Contact and LastMessage are nil when sent as
// anything but an object (an empty array in place of one, a string, a number),
// and their own fields follow the same rules.
type Conversation struct {
	ID            string `json:"id"`
	Folder        Folder `json:"folder"`
	ChatbotActive Bool   `json:"chatbot_active"`
	// Platform is the channel, such as "whatsapp".
	Platform  string `json:"platform"`
	CreatedAt Time   `json:"created_at"`
	// Contact is nil when the API sent none: the field absent, null, or
	// anything but an object, such as an empty array in place of an object.
	Contact *ConversationContact `json:"contact"`
	// LastMessage is nil when the API sent none, as for Contact.
	LastMessage *LastMessage `json:"last_message"`
	// Response is the HTTP answer of the call that returned this conversation
	// (Get, Update); nil on a conversation inside a Page.
	Response *Response `json:"-"`
}

// UnmarshalJSON decodes a conversation by the rules described at
// Conversation: a member of the wrong kind leaves its field zero or reads
// as described there, rather than failing the answer. null leaves the
// conversation unchanged; a value that is not an object is an error.
func (c *Conversation) UnmarshalJSON(b []byte) error {
	if isObject, err := objectToDecode(b, "a conversation"); !isObject {
		return err
	}
	type plain Conversation
	decodePlainOrTolerant(b, (*plain)(c))
	return nil
}

// ConversationContact is the contact a conversation is with. A field sent
// as a number or boolean is its JSON text, as an object or array "" (see
// Page).
type ConversationContact struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Phone          string `json:"phone"`
	WhatsAppUserID string `json:"whatsapp_user_id"`
}

// LastMessage summarizes a conversation's latest message. Direction and
// Status sent as a number or boolean are its JSON text and as an object or
// array ""; the times follow Time (see Page).
type LastMessage struct {
	// Direction is DirectionInbound or DirectionOutbound.
	Direction Direction `json:"direction"`
	// Status is the message's delivery status as the API sends it, such as
	// "read"; its values are not documented, so it is a plain string.
	Status         string `json:"status"`
	InboundSentAt  Time   `json:"inbound_sent_at"`
	OutboundSentAt Time   `json:"outbound_sent_at"`
}

// ListConversationsParams filters GET /conversations. All fields are optional.
type ListConversationsParams struct {
	ListOptions
	// Folder is open, done, spam or notified.
	Folder Folder `url:"folder,omitempty"`
	// SearchQuery is free text matched against the conversations.
	SearchQuery string `url:"search_query,omitempty"`
	// DateFrom keeps conversations from this time on; sent as Unix seconds.
	DateFrom time.Time `url:"date_from,unix,omitempty"`
	// DateTo keeps conversations up to this time; sent as Unix seconds.
	DateTo time.Time `url:"date_to,unix,omitempty"`
}

func (p *ListConversationsParams) validate() error {
	if err := p.ListOptions.validate(); err != nil {
		return err
	}
	switch p.Folder {
	case "", FolderOpen, FolderDone, FolderSpam, FolderNotified:
		return nil
	}
	return invalid("folder", "must be open, done, spam or notified")
}

// List returns one page of conversations (GET /conversations). params may be nil.
func (s *ConversationsService) List(ctx context.Context, params *ListConversationsParams) (*Page[Conversation], error) {
	p := orZero(params)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return list[Conversation](ctx, s.client, call{method: http.MethodGet, path: "/conversations", query: &p, idempotent: true})
}

// All iterates over every conversation matching params, one page at a
// time; see ContactsService.All.
func (s *ConversationsService) All(ctx context.Context, params *ListConversationsParams) iter.Seq2[Conversation, error] {
	return walk(ctx, params, s.List)
}

// conversationQuery is the query of the calls that take one conversation ID.
type conversationQuery struct {
	ConversationID string `url:"conversation_id"`
	Page           int    `url:"page,omitempty"`
}

// Get returns one conversation (GET /conversation). An empty id is a
// *ValidationError; an unknown one is an *APIError matching ErrNotFound.
func (s *ConversationsService) Get(ctx context.Context, conversationID string) (*Conversation, error) {
	if blank(conversationID) {
		return nil, invalid("conversation_id", "is required")
	}
	return one[Conversation](ctx, s.client, call{
		method: http.MethodGet, path: "/conversation",
		query: &conversationQuery{ConversationID: conversationID}, idempotent: true,
	})
}

// UpdateConversationParams is the body of POST /conversation.
type UpdateConversationParams struct {
	// ID is the conversation's ID, sent as conversation_id; required.
	ID string `json:"conversation_id"`
	// Folder is required: FolderOpen or FolderDone.
	Folder Folder `json:"folder"`
}

// Update moves a conversation to the open or done folder (POST
// /conversation) and returns it. Moving is idempotent, so it is retried
// like a read. A missing ID or another folder is a *ValidationError.
func (s *ConversationsService) Update(ctx context.Context, params UpdateConversationParams) (*Conversation, error) {
	if blank(params.ID) {
		return nil, invalid("conversation_id", "is required")
	}
	if params.Folder != FolderOpen && params.Folder != FolderDone {
		return nil, invalid("folder", "must be open or done")
	}
	return one[Conversation](ctx, s.client, call{method: http.MethodPost, path: "/conversation", body: &params, idempotent: true})
}
