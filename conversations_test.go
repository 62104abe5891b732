package sendbee

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// respondPages answers each list request with the recorded body for the page
// it asks for: files[0] when the query has no page (or page=1), files[1] for
// page=2, and so on; any other page is a 404.
func respondPages(t *testing.T, files ...string) http.HandlerFunc {
	t.Helper()
	pages := make([]http.HandlerFunc, len(files))
	for i, name := range files {
		pages[i] = respondFile(t, http.StatusOK, name)
	}
	notFound := respond(http.StatusNotFound, `{"error":{"detail":"No such page","type":"not_found"}}`)
	return func(w http.ResponseWriter, r *http.Request) {
		n := 1
		if p := r.URL.Query().Get("page"); p != "" {
			n, _ = strconv.Atoi(p)
		}
		if n < 1 || n > len(pages) {
			notFound(w, r)
			return
		}
		pages[n-1](w, r)
	}
}

// wantRequest is the request a wire test expects the server to receive.
type wantRequest struct {
	method string
	path   string
	query  map[string][]string // nil: no query string
	body   map[string]any      // the parsed JSON body; nil: no body
}

// assertRequest checks that r is signed and has exactly want's method,
// path, query and JSON body.
func assertRequest(t *testing.T, r wireRequest, want wantRequest) {
	t.Helper()
	assertSigned(t, r)
	assert.Equal(t, want.method, r.Method, "method")
	assert.Equal(t, want.path, r.Path, "path")
	if want.query == nil {
		assert.Empty(t, r.Query, "query")
	} else {
		assert.Equal(t, want.query, map[string][]string(r.Query), "query")
	}
	if want.body == nil {
		assert.Empty(t, r.Body, "body")
	} else {
		assert.Equal(t, want.body, r.JSON(t), "body")
	}
}

// collect drains an All iterator into its items, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var items []T
	for item, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, item)
	}
	return items, nil
}

// validationCase is a call that must be refused with a *ValidationError
// naming field, before anything reaches the server.
type validationCase struct {
	name  string
	field string
	call  func(ctx context.Context, c *Client) error
}

// runValidationCases runs each case against a recording server and checks
// the error and that the server received nothing.
func runValidationCases(t *testing.T, cases []validationCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`))

			err := tc.call(context.Background(), c)

			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.field, verr.Field, "ValidationError.Field")
			assert.Contains(t, err.Error(), tc.field)
			assert.Empty(t, srv.Requests(), "requests that reached the server")
		})
	}
}

// firstError returns the error an All iterator yields first, if any.
func firstError[T any](seq iter.Seq2[T, error]) error {
	_, err := collect(seq)
	return err
}

func TestConversationsListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "conversations_list.json"))
	zagreb := time.FixedZone("CET", 3600)

	page, err := c.Conversations.List(context.Background(), &ListConversationsParams{
		ListOptions: ListOptions{Page: 1, Limit: 3},
		Folder:      FolderOpen,
		SearchQuery: "Ana & Šimić +385 #1",
		DateFrom:    time.Date(2023, 11, 14, 23, 13, 20, 0, zagreb),
		DateTo:      time.Unix(1700086400, 999_000_000), // sub-second part dropped
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/conversations", query: map[string][]string{
		"page":         {"1"},
		"limit":        {"3"},
		"folder":       {"open"},
		"search_query": {"Ana & Šimić +385 #1"},
		"date_from":    {"1700000000"}, // 23:13:20 at UTC+1 is 22:13:20 UTC
		"date_to":      {"1700086400"},
	}})

	require.Len(t, page.Items, 3)
	first := page.Items[0]
	assert.Equal(t, "c0a1b2c3-0000-4000-8000-000000000001", first.ID)
	assert.Equal(t, FolderOpen, first.Folder)
	assert.True(t, bool(first.ChatbotActive))
	assert.Equal(t, "whatsapp", first.Platform)
	assert.Equal(t, time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), first.CreatedAt.Time)
	require.NotNil(t, first.Contact)
	assert.Equal(t, ConversationContact{
		ID: "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001", Name: "Ana Šimić", Phone: "+385991234567",
		WhatsAppUserID: "HR.13491208655302741918",
	}, *first.Contact)
	require.NotNil(t, first.LastMessage)
	assert.Equal(t, DirectionInbound, first.LastMessage.Direction)
	assert.Equal(t, "received", first.LastMessage.Status)
	assert.Equal(t, time.Date(2020, 3, 1, 8, 15, 0, 0, time.UTC), first.LastMessage.InboundSentAt.Time)
	assert.True(t, first.LastMessage.OutboundSentAt.IsZero())

	assert.False(t, bool(page.Items[1].ChatbotActive), `"0" decodes as false`)
	assert.Equal(t, time.Unix(1700000000, 0).UTC(), page.Items[1].CreatedAt.Time)
	assert.True(t, bool(page.Items[2].ChatbotActive), "1 decodes as true")
	assert.True(t, page.Items[2].CreatedAt.IsZero())

	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 2, PerPage: 3, Total: 4, From: 1, To: 3}, page.Meta)
	assert.Equal(t, "https://api-v2.sendbee.io/conversations?page=2", page.Links.Next)
	assert.Equal(t, 2, page.NextPage())
}

func TestConversationsListNilParamsSendsNoQuery(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "conversations_list.json"))

	_, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/conversations"})
}

// TestConversationNestedObjectsNullAbsentPresent reads recorded pages whose
// conversations have a contact and a last message present, null, absent,
// or [] (how PHP/Laravel serialises an empty associative array): only an
// object, even {}, gives one, and no shape fails the page.
func TestConversationNestedObjectsNullAbsentPresent(t *testing.T) {
	t.Parallel()
	pages := map[string][]Conversation{}
	for _, file := range []string{"conversations_list.json", "conversations_list_php_empty.json"} {
		c, _ := newWireServer(t, respondFile(t, http.StatusOK, file))
		page, err := c.Conversations.List(context.Background(), nil)
		require.NoError(t, err, file)
		require.Len(t, page.Items, 3, file)
		pages[file] = page.Items
	}

	tests := []struct {
		name                  string
		file                  string
		item                  int
		wantContact, wantLast bool
	}{
		{name: "present", file: "conversations_list.json", item: 0, wantContact: true, wantLast: true},
		{name: "null", file: "conversations_list.json", item: 1},
		{name: "absent", file: "conversations_list.json", item: 2},
		{name: "both []", file: "conversations_list_php_empty.json", item: 0},
		{name: "contact {}, last message []", file: "conversations_list_php_empty.json", item: 1, wantContact: true},
		{name: "contact [], last message present", file: "conversations_list_php_empty.json", item: 2, wantLast: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conv := pages[tc.file][tc.item]
			assert.Equal(t, tc.wantContact, conv.Contact != nil, "Contact set")
			assert.Equal(t, tc.wantLast, conv.LastMessage != nil, "LastMessage set")
			assert.NotEmpty(t, conv.ID, "the rest of the conversation still decodes")
			assert.NotEmpty(t, conv.Folder, "the rest of the conversation still decodes")
		})
	}
}

// TestConversationEmptyArrayEveryCall: each call that answers with
// conversations reads "contact": [] and "last_message": [] as none.
func TestConversationEmptyArrayEveryCall(t *testing.T) {
	t.Parallel()
	const conv = `{"id":"c1","folder":"done","contact":[],"last_message":[]}`
	tests := []struct {
		name string
		body string
		call func(context.Context, *Client) (*Conversation, error)
	}{
		{"List", `{"data":[` + conv + `]}`, func(ctx context.Context, c *Client) (*Conversation, error) {
			page, err := c.Conversations.List(ctx, nil)
			if err != nil || len(page.Items) != 1 {
				return nil, err
			}
			return &page.Items[0], nil
		}},
		{"Get", `{"data":` + conv + `}`, func(ctx context.Context, c *Client) (*Conversation, error) {
			return c.Conversations.Get(ctx, "c1")
		}},
		{"Get, data as an array", `{"data":[` + conv + `]}`, func(ctx context.Context, c *Client) (*Conversation, error) {
			return c.Conversations.Get(ctx, "c1")
		}},
		{"Update", `{"data":` + conv + `}`, func(ctx context.Context, c *Client) (*Conversation, error) {
			return c.Conversations.Update(ctx, UpdateConversationParams{ID: "c1", Folder: FolderDone})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respond(http.StatusOK, tc.body))
			got, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, Conversation{ID: "c1", Folder: FolderDone}, *withoutResponse(got))
		})
	}
}

func TestConversationsAllWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondPages(t, "conversations_list.json", "conversations_list_page2.json"))
	params := &ListConversationsParams{
		ListOptions: ListOptions{Limit: 3},
		Folder:      FolderDone,
		DateFrom:    time.Unix(1600000000, 0),
	}

	convs, err := collect(c.Conversations.All(context.Background(), params))
	require.NoError(t, err)

	ids := make([]string, len(convs))
	for i, conv := range convs {
		ids[i] = conv.ID
	}
	assert.Equal(t, []string{
		"c0a1b2c3-0000-4000-8000-000000000001",
		"c0a1b2c3-0000-4000-8000-000000000002",
		"c0a1b2c3-0000-4000-8000-000000000003",
		"c0a1b2c3-0000-4000-8000-000000000004",
	}, ids)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[0], wantRequest{method: http.MethodGet, path: "/conversations", query: map[string][]string{
		"limit": {"3"}, "folder": {"done"}, "date_from": {"1600000000"},
	}})
	assertRequest(t, reqs[1], wantRequest{method: http.MethodGet, path: "/conversations", query: map[string][]string{
		"limit": {"3"}, "folder": {"done"}, "date_from": {"1600000000"}, "page": {"2"},
	}})
	assert.Equal(t, 0, params.Page, "All does not change the caller's params")
	require.NotNil(t, convs[3].LastMessage)
	assert.Equal(t, time.Date(2021, 6, 1, 12, 5, 0, 0, time.UTC), convs[3].LastMessage.OutboundSentAt.Time)
}

func TestConversationsAllStopsAtFirstError(t *testing.T) {
	t.Parallel()
	// Page 1 says there is a page 2, which the server does not have.
	c, srv := newWireServer(t, respondPages(t, "conversations_list.json"))

	var items int
	var errs []error
	for _, err := range c.Conversations.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items++
	}

	assert.Equal(t, 3, items)
	require.Len(t, errs, 1, "the error is yielded once")
	assert.ErrorIs(t, errs[0], ErrNotFound)
	assert.Len(t, srv.Requests(), 2)
}

func TestConversationGetWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "conversation_get.json"))

	conv, err := c.Conversations.Get(context.Background(), "c0a1b2c3-0000-4000-8000-000000000001")
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{
		method: http.MethodGet, path: "/conversation", // singular: one conversation
		query: map[string][]string{"conversation_id": {"c0a1b2c3-0000-4000-8000-000000000001"}},
	})

	assert.Equal(t, "c0a1b2c3-0000-4000-8000-000000000001", conv.ID, "data as a one-element array gives its element")
	assert.True(t, bool(conv.ChatbotActive))
	require.NotNil(t, conv.Contact)
	assert.Equal(t, "HR.13491208655302741918", conv.Contact.WhatsAppUserID)
	require.NotNil(t, conv.LastMessage)
	assert.Equal(t, DirectionOutbound, conv.LastMessage.Direction)
	assert.Equal(t, "delivered", conv.LastMessage.Status)
	assert.Equal(t, time.Unix(1583050500, 0).UTC(), conv.LastMessage.InboundSentAt.Time)
	assert.Equal(t, time.Date(2020, 3, 1, 8, 20, 0, 0, time.UTC), conv.LastMessage.OutboundSentAt.Time)
}

func TestConversationUpdateWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "conversation_update.json"))

	conv, err := c.Conversations.Update(context.Background(), UpdateConversationParams{
		ID:     "c0a1b2c3-0000-4000-8000-000000000001",
		Folder: FolderDone,
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPost, path: "/conversation", body: map[string]any{
		"conversation_id": "c0a1b2c3-0000-4000-8000-000000000001",
		"folder":          "done",
	}})

	assert.Equal(t, "c0a1b2c3-0000-4000-8000-000000000001", conv.ID, "data as an object")
	assert.Equal(t, FolderDone, conv.Folder)
	assert.False(t, bool(conv.ChatbotActive))
	require.NotNil(t, conv.Contact)
	assert.Equal(t, "Ana Šimić", conv.Contact.Name)
	assert.Nil(t, conv.LastMessage)
}

func TestConversationsValidation(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "Get without ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Get(ctx, "")
			return err
		}},
		{name: "Update without ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Update(ctx, UpdateConversationParams{Folder: FolderDone})
			return err
		}},
		{name: "Update without folder", field: "folder", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Update(ctx, UpdateConversationParams{ID: "c1"})
			return err
		}},
		{name: "Update to spam", field: "folder", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Update(ctx, UpdateConversationParams{ID: "c1", Folder: FolderSpam})
			return err
		}},
		{name: "Update to notified", field: "folder", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Update(ctx, UpdateConversationParams{ID: "c1", Folder: FolderNotified})
			return err
		}},
		{name: "List unknown folder", field: "folder", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.List(ctx, &ListConversationsParams{Folder: "archive"})
			return err
		}},
		{name: "List limit over 100", field: "limit", call: func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.List(ctx, &ListConversationsParams{ListOptions: ListOptions{Limit: 101}})
			return err
		}},
		{name: "All unknown folder", field: "folder", call: func(ctx context.Context, c *Client) error {
			return firstError(c.Conversations.All(ctx, &ListConversationsParams{Folder: "Open"}))
		}},
	})
}

// TestConversationUnmarshalJSONOwnInput: decoded on its own (not through
// the envelope), a Conversation keeps null as "nothing to change" and
// refuses any other non-object with an error that says so.
func TestConversationUnmarshalJSONOwnInput(t *testing.T) {
	t.Parallel()
	conv := Conversation{ID: "kept"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &conv))
	assert.Equal(t, "kept", conv.ID)

	for _, body := range []string{`[]`, `[{"id":"c"}]`, `"c"`, `5`, `true`} {
		err := json.Unmarshal([]byte(body), &conv)
		assert.ErrorIs(t, err, errNotAnObject, body)
	}
}
