package sendbee

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"strings"
)

// ContactsService lists, subscribes and updates contacts
// (GET /contacts, POST /contacts/subscribe, PUT /contacts).
type ContactsService service

// ContactStatus is a contact's subscription status.
type ContactStatus string

// Contact statuses, for ListContactsParams.Status and Contact.Status.
const (
	ContactSubscribed   ContactStatus = "subscribed"
	ContactUnsubscribed ContactStatus = "unsubscribed"
)

// Contact is a subscriber: a phone number (or WhatsApp user ID) with its
// tags, notes and contact field values. Any field may be empty: the API
// sends fewer fields to older clients.
//
// A value of the wrong kind is read by the rules at Page, never failing
// the answer: a text field sent as a number or boolean is its JSON text
// ("name": 7 is "7") and as an object or array ""; CreatedAt and
// ModifiedAt follow Time ("created_at": true is the zero time with Raw
// "true"), HasMessagingConsent follows Bool; Tags, ContactFields or Notes
// sent as anything but an array ("tags": "vip") are nil, and their
// elements that are not objects are skipped.
type Contact struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Phone          string        `json:"phone"`
	WhatsAppUserID string        `json:"whatsapp_user_id"`
	Status         ContactStatus `json:"status"`
	// Folder is the contact's folder as the API sends it; its values are
	// not documented, so it is a plain string (not a conversation Folder).
	Folder              string              `json:"folder"`
	CreatedAt           Time                `json:"created_at"`
	ModifiedAt          Time                `json:"modified_at"`
	HasMessagingConsent Bool                `json:"has_messaging_consent"`
	Tags                []Tag               `json:"tags"`
	ContactFields       []ContactFieldValue `json:"contact_fields"`
	Notes               []Note              `json:"notes"`
	// Response is the HTTP answer of the call that returned this contact
	// (Subscribe, Update); nil on a contact inside a Page.
	Response *Response `json:"-"`
}

// ContactFieldValue is one contact field filled in on a contact. Key sent
// as a number or boolean is its JSON text, as an object or array ""; Value
// keeps any value as sent.
type ContactFieldValue struct {
	// Key is the contact field's name.
	Key string `json:"key"`
	// Value is a string, number, boolean or null, by the field's type.
	Value Scalar `json:"value"`
}

// Note is a note written about a contact. A field sent as a number or
// boolean is its JSON text, as an object or array "" (see Page).
type Note struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// ListContactsParams filters GET /contacts. All fields are optional.
type ListContactsParams struct {
	ListOptions
	// Tags keeps contacts with these tags; sent comma-joined (tags=a,b), so
	// a tag name containing a comma is a *ValidationError.
	Tags []string `url:"tags,comma,omitempty"`
	// Status keeps subscribed or unsubscribed contacts.
	Status ContactStatus `url:"status,omitempty"`
	// SearchQuery is free text matched against the contacts.
	SearchQuery string `url:"search_query,omitempty"`
}

func (p *ListContactsParams) validate() error {
	if err := p.ListOptions.validate(); err != nil {
		return err
	}
	for _, tag := range p.Tags {
		if strings.Contains(tag, ",") {
			return invalid("tags", "a tag name cannot contain a comma: tags are sent comma-joined")
		}
	}
	switch p.Status {
	case "", ContactSubscribed, ContactUnsubscribed:
		return nil
	}
	return invalid("status", "must be subscribed or unsubscribed")
}

// List returns one page of contacts (GET /contacts). params may be nil.
func (s *ContactsService) List(ctx context.Context, params *ListContactsParams) (*Page[Contact], error) {
	p := orZero(params)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return list[Contact](ctx, s.client, call{method: http.MethodGet, path: "/contacts", query: &p, idempotent: true})
}

// All iterates over every contact matching params, from params.Page (or the
// first page) to the last, fetching one page at a time. It stops at the
// first error, which it yields once. params may be nil and is copied.
func (s *ContactsService) All(ctx context.Context, params *ListContactsParams) iter.Seq2[Contact, error] {
	if params != nil {
		p := *params
		p.Tags = slices.Clone(p.Tags) // the caller may reuse its slice while we iterate
		params = &p
	}
	return walk(ctx, params, s.List)
}

// SubscribeContactParams is the body of POST /contacts/subscribe. Phone or
// WhatsAppUserID is required; both may be given and both are sent.
type SubscribeContactParams struct {
	// ID is optional: an existing contact's ID, sent as "id". What the
	// server does with it on subscribe is not documented, so leave it empty
	// unless you know.
	ID string `json:"id,omitempty"`
	// Phone is the number in international format, such as "+385991234567".
	Phone string `json:"phone,omitempty"`
	// WhatsAppUserID is the contact's business-scoped WhatsApp user ID,
	// such as "US.13491208655302741918".
	WhatsAppUserID string `json:"whatsapp_user_id,omitempty"`
	Name           string `json:"name,omitempty"`
	// Tags to put on the contact; tags that do not exist yet are created.
	Tags []string `json:"tags,omitempty"`
	// Notes to write about the contact.
	Notes []string `json:"notes,omitempty"`
	// ContactFields fills contact fields by name. The fields must already
	// exist (see ContactFields.Create); unknown names are ignored by the API.
	// Values may be strings, numbers or booleans.
	ContactFields map[string]any `json:"contact_fields,omitempty"`
	// BlockNotifications stops push and email notices to agents about the
	// new subscriber. nil means true; it is always sent.
	BlockNotifications *bool `json:"block_notifications"`
	// BlockAutomation stops automated template messages to the new contact.
	// nil means true; it is always sent.
	BlockAutomation *bool `json:"block_automation"`
}

// Subscribe subscribes a contact (POST /contacts/subscribe) and returns it.
// Both block flags are sent explicitly, true unless set. Subscribing is not
// retried once the request may have reached the server; such a failure
// matches ErrOutcomeUnknown. It returns a *ValidationError, sending nothing,
// when neither Phone nor WhatsAppUserID is set.
func (s *ContactsService) Subscribe(ctx context.Context, params SubscribeContactParams) (*Contact, error) {
	if blank(params.Phone) && blank(params.WhatsAppUserID) {
		return nil, invalid("phone", "phone or whatsapp_user_id is required")
	}
	if params.BlockNotifications == nil {
		params.BlockNotifications = Ptr(true)
	}
	if params.BlockAutomation == nil {
		params.BlockAutomation = Ptr(true)
	}
	return one[Contact](ctx, s.client, call{
		method: http.MethodPost, path: "/contacts/subscribe", body: &params,
		effect: "the contact may have been subscribed",
	})
}

// UpdateContactParams is the body of PUT /contacts. ID is required; every
// other field is optional and left unchanged when empty.
type UpdateContactParams struct {
	// ID is the contact's ID.
	ID             string `json:"id"`
	Phone          string `json:"phone,omitempty"`
	WhatsAppUserID string `json:"whatsapp_user_id,omitempty"`
	Name           string `json:"name,omitempty"`
	// Tags to put on the contact; tags that do not exist yet are created.
	Tags []string `json:"tags,omitempty"`
	// Notes are appended to the contact's existing notes.
	Notes []string `json:"notes,omitempty"`
	// ContactFields overwrites the named fields' values.
	ContactFields map[string]any `json:"contact_fields,omitempty"`
	// BlockNotifications is sent only when set.
	BlockNotifications *bool `json:"block_notifications,omitempty"`
	// BlockAutomation is sent only when set.
	BlockAutomation *bool `json:"block_automation,omitempty"`
}

// Update changes a contact (PUT /contacts) and returns it. Because the API
// appends Notes, an update with notes is not retried once the request may
// have reached the server (the error matches ErrOutcomeUnknown); without
// notes it is retried like any idempotent call. An empty ID is a
// *ValidationError.
func (s *ContactsService) Update(ctx context.Context, params UpdateContactParams) (*Contact, error) {
	if blank(params.ID) {
		return nil, invalid("id", "is required")
	}
	return one[Contact](ctx, s.client, call{
		method: http.MethodPut, path: "/contacts", body: &params,
		idempotent: len(params.Notes) == 0,
		effect:     "the notes may have been appended",
	})
}
