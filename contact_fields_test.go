package sendbee

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContactFieldsListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contact_fields_list.json"))
	page, err := c.ContactFields.List(context.Background(), &ListContactFieldsParams{
		ListOptions: ListOptions{Page: 2, Limit: 2},
		SearchQuery: "Tom & Jerry +385 #1 čšž 100%",
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/contacts/fields", query: url.Values{"page": {"2"}, "limit": {"2"}, "search_query": {"Tom & Jerry +385 #1 čšž 100%"}}})

	assert.Equal(t, []ContactField{
		{ID: "9f0e7c1a-0000-4000-8000-000000000001", Name: "city", Type: ContactFieldText, Options: []string{}},
		{ID: "9f0e7c1a-0000-4000-8000-000000000002", Name: "size", Type: ContactFieldList, Options: []string{"S", "M", "L"}},
	}, page.Items)
	assert.Equal(t, Meta{CurrentPage: 2, LastPage: 2, PerPage: 2, Total: 4, From: 3, To: 4}, page.Meta)
	assert.False(t, page.HasNext())
	assert.Zero(t, page.NextPage())
}

func TestContactFieldsListWireWithoutParams(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contact_fields_list.json"))
	_, err := c.ContactFields.List(context.Background(), nil)
	require.NoError(t, err)
	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/contacts/fields"})
}

// TestContactFieldsAllWire walks the recorded contact_fields_list_page1.json
// and contact_fields_list_page2.json, and checks every decoded field whole.
func TestContactFieldsAllWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondPages(t, "contact_fields_list_page1.json", "contact_fields_list_page2.json"))
	params := &ListContactFieldsParams{SearchQuery: "size"}

	fields, err := collect(c.ContactFields.All(context.Background(), params))
	require.NoError(t, err)

	assertPagedRequests(t, srv.Requests(), "/contacts/fields", url.Values{"search_query": {"size"}}, "", "2")
	assert.Equal(t, 0, params.Page, "All does not change the caller's params")
	assert.Equal(t, []ContactField{
		{ID: "9f0e7c1a-0000-4000-8000-000000000002", Name: "size", Type: ContactFieldList, Options: []string{"S", "M", "L"}},
		{ID: "9f0e7c1a-0000-4000-8000-000000000003", Name: "shoe size", Type: ContactFieldList, Options: []string{"41", "42", "43"}},
		{ID: "9f0e7c1a-0000-4000-8000-000000000004", Name: "size checked", Type: ContactFieldBoolean},
		{ID: "9f0e7c1a-0000-4000-8000-000000000005", Name: "waist size (cm)", Type: ContactFieldNumber},
	}, fields)
}

func TestContactFieldsWriteWire(t *testing.T) {
	t.Parallel()
	shoeSize := &ContactField{ID: "9f0e7c1a-0000-4000-8000-000000000003", Name: "shoe size", Type: ContactFieldList, Options: []string{"41", "42", "43"}}
	renamed := &ContactField{ID: "9f0e7c1a-0000-4000-8000-000000000003", Name: "shoe size (EU)", Type: ContactFieldList, Options: []string{"40", "41", "42", "43"}}
	runWriteCases(t, "/contacts/fields", []writeCase{
		{
			name: "Create list field with options", file: "contact_field_create.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "shoe size", Type: ContactFieldList, Options: []string{"41", "42", "43"}})
			},
			wantMethod: http.MethodPost,
			wantBody:   map[string]any{"name": "shoe size", "type": "list", "options": []any{"41", "42", "43"}},
			want:       shoeSize,
		},
		{
			name: "Create text field sends no options", file: "contact_field_create.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "city", Type: ContactFieldText})
			},
			wantMethod: http.MethodPost,
			wantBody:   map[string]any{"name": "city", "type": "text"},
			want:       shoeSize,
		},
		{
			name: "Update every parameter", file: "contact_field_update.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ContactFields.Update(ctx, UpdateContactFieldParams{
					ID: "9f0e7c1a-0000-4000-8000-000000000003", Name: "shoe size (EU)", Type: ContactFieldList, Options: []string{"40", "41", "42", "43"},
				})
			},
			wantMethod: http.MethodPut,
			wantBody: map[string]any{
				"id": "9f0e7c1a-0000-4000-8000-000000000003", "name": "shoe size (EU)", "type": "list", "options": []any{"40", "41", "42", "43"},
			},
			want: renamed,
		},
		{
			name: "Update ID and name only", file: "contact_field_update.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "9f0e7c1a-0000-4000-8000-000000000003", Name: "shoe size (EU)"})
			},
			wantMethod: http.MethodPut,
			wantBody:   map[string]any{"id": "9f0e7c1a-0000-4000-8000-000000000003", "name": "shoe size (EU)"},
			want:       renamed,
		},
		{
			name: "Delete sends its id in a JSON body", file: "contact_field_delete.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ContactFields.Delete(ctx, "9f0e7c1a-0000-4000-8000-000000000003")
			},
			wantMethod: http.MethodDelete,
			wantBody:   map[string]any{"id": "9f0e7c1a-0000-4000-8000-000000000003"},
			want:       &ServerMessage{Message: "Contact field deleted"},
		},
	})
}

// TestContactFieldTypesAccepted creates a field of each type the API knows.
func TestContactFieldTypesAccepted(t *testing.T) {
	t.Parallel()
	for _, typ := range []ContactFieldType{ContactFieldText, ContactFieldNumber, ContactFieldList, ContactFieldDate, ContactFieldBoolean} {
		t.Run(string(typ), func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contact_field_create.json"))
			_, err := c.ContactFields.Create(context.Background(), CreateContactFieldParams{Name: "f", Type: typ, Options: []string{"a"}})
			require.NoError(t, err)
			assert.Equal(t, string(typ), srv.Only(t).JSON(t)["type"])
		})
	}
}
