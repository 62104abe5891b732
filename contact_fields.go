package sendbee

import (
	"context"
	"iter"
	"net/http"
)

// ContactFieldsService manages custom contact fields (/contacts/fields).
type ContactFieldsService service

// ContactFieldType is the type of a contact field.
type ContactFieldType string

// Contact field types.
const (
	ContactFieldText    ContactFieldType = "text"
	ContactFieldNumber  ContactFieldType = "number"
	ContactFieldList    ContactFieldType = "list"
	ContactFieldDate    ContactFieldType = "date"
	ContactFieldBoolean ContactFieldType = "boolean"
)

func (t ContactFieldType) valid() bool {
	switch t {
	case ContactFieldText, ContactFieldNumber, ContactFieldList, ContactFieldDate, ContactFieldBoolean:
		return true
	}
	return false
}

// ContactField is a custom field that contacts can fill in. By the rules
// at Page, ID, Name and Type sent as a number or boolean are its JSON text
// and as an object or array ""; Options sent as anything but an array is
// nil, and each element follows the same text rule (null is "").
type ContactField struct {
	ID   string           `json:"id"`
	Name string           `json:"name"`
	Type ContactFieldType `json:"type"`
	// Options are the choices of a list field.
	Options []string `json:"options"`
	// Response is the HTTP answer of the call that returned this contact field
	// (Create, Update); nil on a contact field inside a Page.
	Response *Response `json:"-"`
}

// ListContactFieldsParams filters GET /contacts/fields. All fields are optional.
type ListContactFieldsParams struct {
	ListOptions
	// SearchQuery is free text matched against field names.
	SearchQuery string `url:"search_query,omitempty"`
}

// List returns one page of contact fields (GET /contacts/fields). params may be nil.
func (s *ContactFieldsService) List(ctx context.Context, params *ListContactFieldsParams) (*Page[ContactField], error) {
	p := orZero(params)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return list[ContactField](ctx, s.client, call{method: http.MethodGet, path: "/contacts/fields", query: &p, idempotent: true})
}

// All iterates over every contact field matching params, one page at a
// time; see ContactsService.All.
func (s *ContactFieldsService) All(ctx context.Context, params *ListContactFieldsParams) iter.Seq2[ContactField, error] {
	return walk(ctx, params, s.List)
}

// CreateContactFieldParams is the body of POST /contacts/fields.
type CreateContactFieldParams struct {
	// Name is required.
	Name string `json:"name"`
	// Type is required: text, number, list, date or boolean.
	Type ContactFieldType `json:"type"`
	// Options are the choices of a list field; required when Type is list.
	Options []string `json:"options,omitempty"`
}

// Create creates a contact field (POST /contacts/fields). It is not retried
// once the request may have reached the server (ErrOutcomeUnknown). A
// missing name, an unknown type, or a list without options is a
// *ValidationError.
func (s *ContactFieldsService) Create(ctx context.Context, params CreateContactFieldParams) (*ContactField, error) {
	if blank(params.Name) {
		return nil, invalid("name", "is required")
	}
	if err := checkFieldType(params.Type, params.Options); err != nil {
		return nil, err
	}
	return one[ContactField](ctx, s.client, call{
		method: http.MethodPost, path: "/contacts/fields", body: &params,
		effect: "the contact field may have been created",
	})
}

// UpdateContactFieldParams is the body of PUT /contacts/fields. ID is
// required; empty fields are not sent.
type UpdateContactFieldParams struct {
	ID      string           `json:"id"`
	Name    string           `json:"name,omitempty"`
	Type    ContactFieldType `json:"type,omitempty"`
	Options []string         `json:"options,omitempty"`
}

// Update changes a contact field (PUT /contacts/fields). An empty ID, an
// unknown type, or type list without options is a *ValidationError, as
// for Create: a list field is sent with its choices. To rename a field,
// leave Type and Options empty; only set fields are sent.
func (s *ContactFieldsService) Update(ctx context.Context, params UpdateContactFieldParams) (*ContactField, error) {
	if blank(params.ID) {
		return nil, invalid("id", "is required")
	}
	if params.Type != "" {
		if err := checkFieldType(params.Type, params.Options); err != nil {
			return nil, err
		}
	}
	return one[ContactField](ctx, s.client, call{method: http.MethodPut, path: "/contacts/fields", body: &params, idempotent: true})
}

// checkFieldType requires a known type, and options for a list.
func checkFieldType(typ ContactFieldType, options []string) error {
	if !typ.valid() {
		return invalid("type", "must be text, number, list, date or boolean")
	}
	if typ == ContactFieldList && len(options) == 0 {
		return invalid("options", "are required for a list field")
	}
	return nil
}

// Delete deletes the contact field with id (DELETE /contacts/fields, the ID
// in a JSON body). It is retried like any idempotent call, so when a first
// attempt deleted the field but its answer was lost, the retry's error
// matches ErrNotFound. An empty confirmation gives an empty *ServerMessage
// and no error. An empty id is a *ValidationError.
func (s *ContactFieldsService) Delete(ctx context.Context, id string) (*ServerMessage, error) {
	if blank(id) {
		return nil, invalid("id", "is required")
	}
	return one[ServerMessage](ctx, s.client, call{method: http.MethodDelete, path: "/contacts/fields", body: idBody{ID: id}, idempotent: true, emptyOK: true})
}
