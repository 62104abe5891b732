package sendbee

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// TagsService manages contact tags (/contacts/tags).
type TagsService service

// Tag is a contact tag. By the rules at Page, ID and Name sent as a number
// or boolean are its JSON text ("id": 7 is "7") and as an object or array
// ""; Editable and DisableContact follow Bool; Icons keeps any value as
// sent.
type Tag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Editable, DisableContact and Icons are sent to newer clients only.
	Editable       Bool            `json:"editable"`
	DisableContact Bool            `json:"disable_contact"`
	Icons          json.RawMessage `json:"icons,omitempty"`
	// Response is the HTTP answer of the call that returned this tag
	// (Create, Update); nil on a tag inside a Page or on a contact.
	Response *Response `json:"-"`
}

// ServerMessage is the API's confirmation for deletes and the chatbot
// switch, such as "Tag deleted". Message sent as a number or boolean is its
// JSON text, as an object or array "" (see Page).
type ServerMessage struct {
	Message string `json:"message"`
	// Response is the HTTP answer of the call that returned this
	// confirmation (a delete or the chatbot switch).
	Response *Response `json:"-"`
}

// ListTagsParams filters GET /contacts/tags. All fields are optional.
type ListTagsParams struct {
	ListOptions
	// Name keeps tags matching this name.
	Name string `url:"name,omitempty"`
}

// List returns one page of tags (GET /contacts/tags). params may be nil.
func (s *TagsService) List(ctx context.Context, params *ListTagsParams) (*Page[Tag], error) {
	p := orZero(params)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return list[Tag](ctx, s.client, call{method: http.MethodGet, path: "/contacts/tags", query: &p, idempotent: true})
}

// All iterates over every tag matching params, one page at a time; see
// ContactsService.All.
func (s *TagsService) All(ctx context.Context, params *ListTagsParams) iter.Seq2[Tag, error] {
	return walk(ctx, params, s.List)
}

// CreateTagParams is the body of POST /contacts/tags.
type CreateTagParams struct {
	// Name is required.
	Name string `json:"name"`
}

// Create creates a tag (POST /contacts/tags). It is not retried once the
// request may have reached the server (ErrOutcomeUnknown). An empty Name is
// a *ValidationError.
func (s *TagsService) Create(ctx context.Context, params CreateTagParams) (*Tag, error) {
	if blank(params.Name) {
		return nil, invalid("name", "is required")
	}
	return one[Tag](ctx, s.client, call{
		method: http.MethodPost, path: "/contacts/tags", body: &params,
		effect: "the tag may have been created",
	})
}

// UpdateTagParams is the body of PUT /contacts/tags.
type UpdateTagParams struct {
	// ID and Name are required.
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Update renames a tag (PUT /contacts/tags). An empty ID or Name is a
// *ValidationError.
func (s *TagsService) Update(ctx context.Context, params UpdateTagParams) (*Tag, error) {
	if blank(params.ID) {
		return nil, invalid("id", "is required")
	}
	if blank(params.Name) {
		return nil, invalid("name", "is required")
	}
	return one[Tag](ctx, s.client, call{method: http.MethodPut, path: "/contacts/tags", body: &params, idempotent: true})
}

// Delete deletes the tag with id (DELETE /contacts/tags, the ID in a JSON
// body). It is retried like any idempotent call, so when a first attempt
// deleted the tag but its answer was lost, the retry's error matches
// ErrNotFound. An empty confirmation gives an empty *ServerMessage and no
// error. An empty id is a *ValidationError.
func (s *TagsService) Delete(ctx context.Context, id string) (*ServerMessage, error) {
	if blank(id) {
		return nil, invalid("id", "is required")
	}
	return one[ServerMessage](ctx, s.client, call{method: http.MethodDelete, path: "/contacts/tags", body: idBody{ID: id}, idempotent: true, emptyOK: true})
}

// idBody is the {"id": …} body of the delete calls.
type idBody struct {
	ID string `json:"id"`
}
