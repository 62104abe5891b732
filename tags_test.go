package sendbee

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTagsListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "tags_list.json"))
	page, err := c.Tags.List(context.Background(), &ListTagsParams{
		ListOptions: ListOptions{Page: 3, Limit: 100},
		Name:        "Tom & Jerry +385 #1 čšž 100%",
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/contacts/tags", query: url.Values{"page": {"3"}, "limit": {"100"}, "name": {"Tom & Jerry +385 #1 čšž 100%"}}})

	require.Len(t, page.Items, 2)
	assert.Equal(t, Tag{
		ID: "5c1e7a6e-0000-4000-8000-000000000001", Name: "vip customer", Editable: true, DisableContact: false,
		Icons: json.RawMessage(`[{"color": "red"}]`),
	}, page.Items[0])
	assert.Equal(t, Tag{ID: "5c1e7a6e-0000-4000-8000-000000000002", Name: "Tom & Jerry", Editable: false, DisableContact: true}, page.Items[1])
	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 1, PerPage: 2, Total: 2, From: 1, To: 2}, page.Meta)
	assert.Equal(t, "https://api-v2.sendbee.io/contacts/tags?page=1", page.Links.First)
	assert.Empty(t, page.Links.Next)
	assert.False(t, page.HasNext())
}

func TestTagsListWireWithoutParams(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "tags_list.json"))
	_, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/contacts/tags"})
}

// TestTagsAllWire walks the recorded tags_list_page1.json and
// tags_list_page2.json, and checks every decoded tag whole.
func TestTagsAllWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondPages(t, "tags_list_page1.json", "tags_list_page2.json"))
	params := &ListTagsParams{ListOptions: ListOptions{Limit: 1}, Name: "vip customer"}

	tags, err := collect(c.Tags.All(context.Background(), params))
	require.NoError(t, err)

	assertPagedRequests(t, srv.Requests(), "/contacts/tags", url.Values{"limit": {"1"}, "name": {"vip customer"}}, "", "2")
	assert.Equal(t, 0, params.Page, "All does not change the caller's params")
	assert.Equal(t, []Tag{
		{
			ID: "5c1e7a6e-0000-4000-8000-000000000001", Name: "vip customer", Editable: true, DisableContact: false,
			Icons: json.RawMessage(`{"color": "red"}`),
		},
		{ID: "5c1e7a6e-0000-4000-8000-000000000004", Name: "vip customer (old)", Editable: false, DisableContact: true},
	}, tags)
}

// TestTagsWriteWire covers the tag calls that send a JSON body: Create,
// Update and Delete, each answered from a recorded body.
func TestTagsWriteWire(t *testing.T) {
	t.Parallel()
	runWriteCases(t, "/contacts/tags", []writeCase{
		{
			name: "Create", file: "tag_create.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tags.Create(ctx, CreateTagParams{Name: "new lead"})
			},
			wantMethod: http.MethodPost, wantBody: map[string]any{"name": "new lead"},
			want: &Tag{ID: "5c1e7a6e-0000-4000-8000-000000000003", Name: "new lead", Editable: true},
		},
		{
			name: "Update", file: "tag_update.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tags.Update(ctx, UpdateTagParams{ID: "5c1e7a6e-0000-4000-8000-000000000003", Name: "warm lead"})
			},
			wantMethod: http.MethodPut,
			wantBody:   map[string]any{"id": "5c1e7a6e-0000-4000-8000-000000000003", "name": "warm lead"},
			want:       &Tag{ID: "5c1e7a6e-0000-4000-8000-000000000003", Name: "warm lead", Editable: true},
		},
		{
			name: "Delete sends its id in a JSON body", file: "tag_delete.json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tags.Delete(ctx, "5c1e7a6e-0000-4000-8000-000000000003")
			},
			wantMethod: http.MethodDelete,
			wantBody:   map[string]any{"id": "5c1e7a6e-0000-4000-8000-000000000003"},
			want:       &ServerMessage{Message: "Tag deleted"},
		},
	})
}

// writeCase is a call that sends a JSON body, answered from a recorded
// body in testdata/.
type writeCase struct {
	name       string
	file       string
	call       func(ctx context.Context, c *Client) (any, error)
	wantMethod string
	wantBody   map[string]any
	want       any
}

// runWriteCases runs each case against a server answering with its file,
// and checks the request (method, path, whole body, signature) and the
// decoded result.
func runWriteCases(t *testing.T, path string, cases []writeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, tc.file))
			got, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			assertRequest(t, srv.Only(t), wantRequest{method: tc.wantMethod, path: path, body: tc.wantBody})
			if o, ok := got.(interface{ setResponse(*Response) }); ok {
				o.setResponse(nil) // compared on its own in TestSingleObjectCarriesResponse
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
