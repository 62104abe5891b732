package sendbeetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// seedContacts adds n contacts with phones +1000000001, +1000000002, …
func seedContacts(srv *sendbeetest.Server, n int) {
	for i := 1; i <= n; i++ {
		srv.AddContact(sendbee.Contact{Name: fmt.Sprintf("Contact %02d", i), Phone: fmt.Sprintf("+1%09d", i)})
	}
}

func TestPaginationMetaAndLinks(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	seedContacts(srv, 25)
	link := func(query string) string { return srv.URL + "/contacts?" + query }

	tests := []struct {
		name      string
		params    *sendbee.ListContactsParams
		firstName string
		meta      sendbee.Meta
		links     sendbee.Links
	}{
		{
			name: "first page by default", params: nil, firstName: "Contact 01",
			meta:  sendbee.Meta{CurrentPage: 1, LastPage: 3, PerPage: 10, Total: 25, From: 1, To: 10},
			links: sendbee.Links{First: link("page=1"), Last: link("page=3"), Next: link("page=2")},
		},
		{
			name: "middle page", params: &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Page: 2}}, firstName: "Contact 11",
			meta:  sendbee.Meta{CurrentPage: 2, LastPage: 3, PerPage: 10, Total: 25, From: 11, To: 20},
			links: sendbee.Links{First: link("page=1"), Last: link("page=3"), Prev: link("page=1"), Next: link("page=3")},
		},
		{
			name: "last, short page", params: &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Page: 3}}, firstName: "Contact 21",
			meta:  sendbee.Meta{CurrentPage: 3, LastPage: 3, PerPage: 10, Total: 25, From: 21, To: 25},
			links: sendbee.Links{First: link("page=1"), Last: link("page=3"), Prev: link("page=2")},
		},
		{
			name: "past the end is empty", params: &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Page: 4}},
			meta:  sendbee.Meta{CurrentPage: 4, LastPage: 3, PerPage: 10, Total: 25},
			links: sendbee.Links{First: link("page=1"), Last: link("page=3"), Prev: link("page=3")},
		},
		{
			name: "limit and filters kept in links", firstName: "Contact 08",
			params: &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Page: 2, Limit: 7}, Status: sendbee.ContactSubscribed},
			meta:   sendbee.Meta{CurrentPage: 2, LastPage: 4, PerPage: 7, Total: 25, From: 8, To: 14},
			links: sendbee.Links{
				First: link("limit=7&page=1&status=subscribed"), Last: link("limit=7&page=4&status=subscribed"),
				Prev: link("limit=7&page=1&status=subscribed"), Next: link("limit=7&page=3&status=subscribed"),
			},
		},
		{
			name: "everything on one page", params: &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Limit: 100}}, firstName: "Contact 01",
			meta:  sendbee.Meta{CurrentPage: 1, LastPage: 1, PerPage: 100, Total: 25, From: 1, To: 25},
			links: sendbee.Links{First: link("limit=100&page=1"), Last: link("limit=100&page=1")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, err := client.Contacts.List(context.Background(), tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.meta, page.Meta)
			assert.Equal(t, tt.links, page.Links)
			if tt.firstName == "" {
				assert.Empty(t, page.Items)
				return
			}
			require.Len(t, page.Items, int(tt.meta.To-tt.meta.From)+1)
			assert.Equal(t, tt.firstName, page.Items[0].Name)
		})
	}
}

func TestEmptyListHasOnePage(t *testing.T) {
	t.Parallel()
	_, client := newServer(t, nil)
	page, err := client.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Equal(t, sendbee.Meta{CurrentPage: 1, LastPage: 1, PerPage: 10}, page.Meta)
	assert.False(t, page.HasNext())
}

func TestPageSizeOption(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithPageSize(4)})
	seedContacts(srv, 9)
	var names []string
	for c, err := range client.Contacts.All(context.Background(), nil) {
		require.NoError(t, err)
		names = append(names, c.Name)
	}
	assert.Len(t, names, 9)
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, r.Query.Get("page"))
	}
	assert.Equal(t, []string{"", "2", "3"}, pages, "All fetched pages of 4")
}

// TestWireShapeOfNullsAndEmptyLists holds the raw JSON to what a Laravel
// answer carries: null from/to on an empty page, null prev/next where there
// is no such page, and [] (not null) for a contact's empty lists.
func TestWireShapeOfNullsAndEmptyLists(t *testing.T) {
	t.Parallel()
	srv := sendbeetest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddContact(sendbee.Contact{Name: "Ana", Phone: "+385991234567"})

	tests := []struct {
		name, target string
		want         map[string]any // top-level path "meta.from" etc. → value
	}{
		{"first and only page", "/contacts", map[string]any{
			"meta.from": 1.0, "meta.to": 1.0, "links.prev": nil, "links.next": nil,
			"data.0.tags": []any{}, "data.0.notes": []any{}, "data.0.contact_fields": []any{},
		}},
		{"past the end", "/contacts?page=2", map[string]any{
			"meta.from": nil, "meta.to": nil, "links.prev": srv.URL + "/contacts?page=1", "links.next": nil,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, srv, http.MethodGet, tt.target, "", signed(srv, time.Now()))
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			var body map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &body))
			for path, want := range tt.want {
				got, present := lookup(body, strings.Split(path, "."))
				assert.True(t, present, "%s is missing from %s", path, r.Body)
				assert.Equal(t, want, got, path)
			}
		})
	}
}

// lookup follows keys (object keys or array indexes) into v.
func lookup(v any, keys []string) (any, bool) {
	for _, k := range keys {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[k]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}
