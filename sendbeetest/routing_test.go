package sendbeetest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go/sendbeetest"
)

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	now := time.Now()
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)

	tests := []struct {
		name         string
		method, path string
		body         string
		status       int
		errType      string
	}{
		{"unknown path", http.MethodGet, "/nope", "", 404, "not_found"},
		{"singular path is not the list", http.MethodGet, "/contact", "", 404, "not_found"},
		{"wrong method", http.MethodPost, "/contacts", "{}", 405, "method_not_allowed"},
		{"body is not JSON", http.MethodPost, "/contacts/tags", "{name:", 400, "bad_request"},
		{"body is an array", http.MethodPost, "/contacts/tags", `["x"]`, 400, "bad_request"},
		{"field of the wrong type", http.MethodPost, "/contacts/tags", `{"name":5}`, 400, "bad_request"},
		{"no body where a field is required", http.MethodPost, "/contacts/tags", "", 422, "validation_error"},
		{"subscribe without phone", http.MethodPost, "/contacts/subscribe", `{"name":"Ana"}`, 422, "validation_error"},
		{"update contact without id", http.MethodPut, "/contacts", `{"name":"Ana"}`, 422, "validation_error"},
		{"update unknown contact", http.MethodPut, "/contacts", `{"id":"missing"}`, 404, "not_found"},
		{"delete tag without id", http.MethodDelete, "/contacts/tags", `{}`, 422, "validation_error"},
		{"delete unknown tag", http.MethodDelete, "/contacts/tags", `{"id":"missing"}`, 404, "not_found"},
		{"field without type", http.MethodPost, "/contacts/fields", `{"name":"Size"}`, 422, "validation_error"},
		{"field of unknown type", http.MethodPost, "/contacts/fields", `{"name":"Size","type":"colour"}`, 422, "validation_error"},
		{"list field without options", http.MethodPost, "/contacts/fields", `{"name":"Size","type":"list"}`, 422, "validation_error"},
		{"conversation without id", http.MethodGet, "/conversation", "", 422, "validation_error"},
		{"unknown conversation", http.MethodGet, "/conversation?conversation_id=missing", "", 404, "not_found"},
		{"move conversation to spam", http.MethodPost, "/conversation", `{"conversation_id":"x","folder":"spam"}`, 422, "validation_error"},
		{"messages without conversation", http.MethodGet, "/conversations/messages", "", 422, "validation_error"},
		{"send without recipient", http.MethodPost, "/conversations/messages/send", `{"text":"hi"}`, 422, "validation_error"},
		{"send without content", http.MethodPost, "/conversations/messages/send", `{"phone":"+1"}`, 422, "validation_error"},
		{"template without keyword", http.MethodPost, "/conversations/messages/templates/send", `{"phone":"+1","language":"en"}`, 422, "validation_error"},
		{"template without language", http.MethodPost, "/conversations/messages/templates/send", `{"phone":"+1","template_keyword":"welcome"}`, 422, "validation_error"},
		{"unknown template", http.MethodPost, "/conversations/messages/templates/send", `{"phone":"+1","template_keyword":"nope","language":"en"}`, 400, "bad_request"},
		{"template in another language", http.MethodPost, "/conversations/messages/templates/send", `{"phone":"+1","template_keyword":"welcome","language":"hr"}`, 400, "bad_request"},
		{"pending template", http.MethodPost, "/conversations/messages/templates/send", `{"phone":"+1","template_keyword":"spring_sale","language":"en"}`, 400, "bad_request"},
		{"rejected template", http.MethodPost, "/conversations/messages/templates/send", `{"phone":"+1","template_keyword":"lucky_draw","language":"en"}`, 400, "bad_request"},
		{"chatbot without active", http.MethodPut, "/automation/chatbot/activity", `{"conversation_id":"x"}`, 422, "validation_error"},
		{"page 0", http.MethodGet, "/contacts?page=0", "", 422, "validation_error"},
		{"page not a number", http.MethodGet, "/contacts?page=two", "", 422, "validation_error"},
		{"limit over 100", http.MethodGet, "/contacts?limit=101", "", 422, "validation_error"},
		{"unknown contact status", http.MethodGet, "/contacts?status=gone", "", 422, "validation_error"},
		{"unknown template status", http.MethodGet, "/conversations/messages/templates?status=gone", "", 422, "validation_error"},
		{"unknown folder", http.MethodGet, "/conversations?folder=trash", "", 422, "validation_error"},
		{"date that is not Unix seconds", http.MethodGet, "/conversations?date_from=2024-01-01", "", 422, "validation_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := do(t, srv, tt.method, tt.path, tt.body, signed(srv, now))
			assert.Equal(t, tt.status, resp.Status, "body: %s", resp.Body)
			assert.Equal(t, tt.errType, nestedError(t, resp).Error.Type)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		})
	}
}

func TestWrongMethodListsTheAllowedOnes(t *testing.T) {
	t.Parallel()
	now := time.Now()
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	resp := do(t, srv, http.MethodPatch, "/contacts/tags", "{}", signed(srv, now))
	assert.Equal(t, http.StatusMethodNotAllowed, resp.Status)
	assert.Equal(t, "DELETE, GET, POST, PUT", resp.Header.Get("Allow"))
}

// FuzzServer sends arbitrary, correctly signed requests: the server must
// answer each one without a 5xx (a panic would drop the connection), and go
// on serving.
func FuzzServer(f *testing.F) {
	f.Add("GET", "/contacts", "page=2&limit=100&tags=a,b", "")
	f.Add("POST", "/contacts/subscribe", "", `{"phone":"+1","tags":["a"],"notes":["n"],"contact_fields":{"x":[1,{"a":null}]}}`)
	f.Add("PUT", "/contacts", "", `{"id":null,"tags":null}`)
	f.Add("POST", "/contacts/fields", "", `{"name":"S","type":"list","options":[""]}`)
	f.Add("GET", "/conversations", "page=9223372036854775807&limit=1", "")
	f.Add("POST", "/conversations/messages/send", "", `{"phone":"+1","media_url":"."}`)
	f.Add("POST", "/conversations/messages/templates/send", "", `{"phone":"+1","template_keyword":"welcome","language":"en","tags":{"":"x"}}`)
	f.Add("DELETE", "/contacts/tags", "", "\x00\xff")
	f.Add("PUT", "/automation/chatbot/activity", "", `{"conversation_id":"","active":"yes"}`)
	f.Add("GET", "/conversations/messages/templates", "search_query=%ZZ&status=", "")
	now := time.Now()
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, method, path, rawQuery, body string) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") {
			return
		}
		u := &url.URL{Path: path, RawQuery: rawQuery}
		req, err := http.NewRequest(method, srv.URL+u.EscapedPath()+"?"+u.RawQuery, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header = signed(srv, now)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err, "the server dropped the request")
		resp.Body.Close()
		assert.Less(t, resp.StatusCode, 500)
		assert.Equal(t, http.StatusOK, do(t, srv, http.MethodGet, "/contacts/tags", "", signed(srv, now)).Status, "the server stopped serving")
	})
}

func validMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}
