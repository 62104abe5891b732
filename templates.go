package sendbee

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// TemplatesService lists message templates and sends them
// (GET /conversations/messages/templates, POST …/templates/send).
type TemplatesService service

// TemplateStatus is a template's approval status.
type TemplateStatus string

// Template statuses. Only approved templates can be sent.
const (
	TemplatePending  TemplateStatus = "pending"
	TemplateApproved TemplateStatus = "approved"
	TemplateRejected TemplateStatus = "rejected"
)

// AttachmentKind says what a template can carry in SendTemplateParams.Attachment.
type AttachmentKind string

// Attachment kinds; the empty kind means the template takes no attachment.
const (
	AttachmentNone     AttachmentKind = ""
	AttachmentImage    AttachmentKind = "image"    // JPG/JPEG, PNG
	AttachmentVideo    AttachmentKind = "video"    // MP4, 3GPP
	AttachmentDocument AttachmentKind = "document" // PDF, DOC(X), PPT(X), XLS(X)
)

// Template is an approved-or-not message template. By the rules at Page, a
// text field (Status and Attachment included) sent as a number or boolean
// is its JSON text and as an object or array ""; Tags, ButtonTags or
// Buttons sent as anything but an array are nil, and their elements that
// are not objects are skipped.
type Template struct {
	ID      string         `json:"id"`
	Status  TemplateStatus `json:"status"`
	Keyword string         `json:"keyword"`
	Text    string         `json:"text"`
	// Language is a language code, such as "en".
	Language string `json:"language"`
	// Attachment is what the template can carry; empty for none.
	Attachment AttachmentKind `json:"attachment"`
	// RejectedReason says why the template was rejected, when Status is
	// rejected. It is read from "rejected_reason", or, when that is absent
	// or empty, from "reject_reason", a name the API also uses for it.
	RejectedReason string `json:"rejected_reason"`
	Name           string `json:"name"`
	Category       string `json:"category"`
	// Tags are the text's placeholders, such as "1" for {{1}}.
	Tags []TemplateTag `json:"tags"`
	// ButtonTags are the placeholders of buttons' dynamic URL suffixes.
	ButtonTags []TemplateTag    `json:"button_tags"`
	Buttons    []TemplateButton `json:"buttons"`
}

// UnmarshalJSON decodes a template by the rules described at Template,
// taking RejectedReason from "reject_reason" when "rejected_reason" is
// absent or empty. null leaves the template unchanged; a value that is not
// an object is an error.
func (t *Template) UnmarshalJSON(b []byte) error {
	if isObject, err := objectToDecode(b, "a template"); !isObject {
		return err
	}
	type plain Template
	var raw struct {
		*plain
		RejectReason string `json:"reject_reason"`
	}
	raw.plain = (*plain)(t)
	if mayHoldNullElement(b) || json.Unmarshal(b, &raw) != nil {
		// a member of the wrong kind: read every member by the rules at Page
		*t = Template{}
		decodeTolerant(b, raw.plain)
		var alias struct {
			RejectReason string `json:"reject_reason"`
		}
		decodeTolerant(b, &alias)
		raw.RejectReason = alias.RejectReason
	}
	if t.RejectedReason == "" {
		t.RejectedReason = raw.RejectReason
	}
	return nil
}

// TemplateTag is a placeholder of a template. Name sent as a number or
// boolean is its JSON text, as an object or array "" (see Page).
type TemplateTag struct {
	Name string `json:"name"`
}

// TemplateButton is a button of a template. By the rules at Page, Index
// follows Int ("index": "2" is 2, "abc" is 0); a text field sent as a
// number or boolean is its JSON text and as an object or array ""; Icon
// keeps any value as sent.
type TemplateButton struct {
	Index          Int             `json:"index"`
	Type           string          `json:"type"`
	Title          string          `json:"title"`
	Value          string          `json:"value"`
	Icon           json.RawMessage `json:"icon,omitempty"`
	Action         string          `json:"action"`
	FlowAction     string          `json:"flow_action"`
	NavigateScreen string          `json:"navigate_screen"`
	FlowID         string          `json:"flow_id"`
	URLType        string          `json:"url_type"`
}

// ListTemplatesParams filters GET /conversations/messages/templates. All
// fields are optional.
type ListTemplatesParams struct {
	ListOptions
	// Status is pending, approved or rejected.
	Status TemplateStatus `url:"status,omitempty"`
	// SearchQuery is free text matched against the templates.
	SearchQuery string `url:"search_query,omitempty"`
}

func (p *ListTemplatesParams) validate() error {
	if err := p.ListOptions.validate(); err != nil {
		return err
	}
	switch p.Status {
	case "", TemplatePending, TemplateApproved, TemplateRejected:
		return nil
	}
	return invalid("status", "must be pending, approved or rejected")
}

// List returns one page of templates (GET /conversations/messages/templates).
// params may be nil.
func (s *TemplatesService) List(ctx context.Context, params *ListTemplatesParams) (*Page[Template], error) {
	p := orZero(params)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return list[Template](ctx, s.client, call{method: http.MethodGet, path: "/conversations/messages/templates", query: &p, idempotent: true})
}

// All iterates over every template matching params, one page at a time;
// see ContactsService.All.
func (s *TemplatesService) All(ctx context.Context, params *ListTemplatesParams) iter.Seq2[Template, error] {
	return walk(ctx, params, s.List)
}

// SendTemplateParams is the body of POST
// /conversations/messages/templates/send. Phone or WhatsAppUserID is
// required (both may be given; both are sent), and so are TemplateKeyword
// and Language.
type SendTemplateParams struct {
	// Phone is the recipient's number in international format, such as
	// "+385991234567".
	Phone string `json:"phone,omitempty"`
	// WhatsAppUserID is the recipient's business-scoped WhatsApp user ID,
	// such as "US.13491208655302741918".
	WhatsAppUserID string `json:"whatsapp_user_id,omitempty"`
	// TemplateKeyword identifies an approved template.
	TemplateKeyword string `json:"template_keyword"`
	// Language is the template's language code, such as "en".
	Language string `json:"language"`
	// Tags fill the text's placeholders: {"1": "John"} fills {{1}}.
	Tags map[string]string `json:"tags,omitempty"`
	// ButtonTags fill the dynamic URL suffix of call-to-action buttons.
	ButtonTags map[string]string `json:"button_tags,omitempty"`
	// PreventBotOff, when true, keeps the conversation's chatbot on; when
	// false, sending turns it off. Nil leaves prevent_bot_off out of the
	// request and the server decides (it turns the chatbot off); set it with
	// sendbee.Ptr(true) or sendbee.Ptr(false), which is sent as false.
	PreventBotOff *bool `json:"prevent_bot_off,omitempty"`
	// Attachment is a media URL for a template whose Attachment kind is set.
	Attachment string `json:"attachment,omitempty"`
	// AgentID assigns the conversation to this team member.
	AgentID string `json:"agent_id,omitempty"`
	// LiveInbox, when true, fires real-time inbox events for the sent
	// message; when false, it asks for none. Nil leaves live_inbox out of
	// the request and the server decides; set it with sendbee.Ptr(true) or
	// sendbee.Ptr(false), which is sent as false.
	LiveInbox *bool `json:"live_inbox,omitempty"`
}

// Send sends a template message (POST
// /conversations/messages/templates/send). Like MessagesService.Send it is
// never retried once the request may have reached the server; such a
// failure matches ErrOutcomeUnknown. Missing recipient, keyword or language
// is a *ValidationError, and nothing is sent.
func (s *TemplatesService) Send(ctx context.Context, params SendTemplateParams) (*SentMessage, error) {
	if blank(params.Phone) && blank(params.WhatsAppUserID) {
		return nil, invalid("phone", "phone or whatsapp_user_id is required")
	}
	if blank(params.TemplateKeyword) {
		return nil, invalid("template_keyword", "is required")
	}
	if blank(params.Language) {
		return nil, invalid("language", "is required")
	}
	return one[SentMessage](ctx, s.client, call{
		method: http.MethodPost, path: "/conversations/messages/templates/send", body: &params,
		effect: "the template message may have been sent",
	})
}
