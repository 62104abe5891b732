package sendbeetest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// probes are values for every query parameter any list route could read,
// each chosen to change the answer of a route that honours it: a filter
// that keeps fewer items or none, a value that is refused, the second page
// of a short list, a page of one item.
var probes = map[string]string{
	"tags":            "vip",
	"status":          "nonsense",
	"search_query":    "no-such-thing",
	"name":            "no-such-thing",
	"folder":          "nonsense",
	"date_from":       "9999999999",
	"date_to":         "1",
	"conversation_id": "no-such-conversation",
	"member_id":       "no-such-member",
	"team_id":         "no-such-team",
	"page":            "2",
	"limit":           "1",
	"unknown":         "x",
}

// listOutcome is what a list request observably gave: its status and the
// IDs of its items.
type listOutcome struct {
	status int
	ids    []string
}

// TestListRoutesHonourDocumentedParams sends every probe to every list
// route and checks that exactly the parameters the package doc lists for
// the route change its answer, so the doc cannot drift from the handlers.
func TestListRoutesHonourDocumentedParams(t *testing.T) {
	t.Parallel()
	clock := newManualClock(time.Now().Add(-30 * time.Second))
	srv, _ := newServer(t, []sendbeetest.Option{sendbeetest.WithClock(clock.Now)})
	srv.AddContact(sendbee.Contact{Name: "Ana", Phone: "+385991111111", Tags: []sendbee.Tag{{Name: "vip"}}})
	srv.AddContact(sendbee.Contact{Name: "Marko", Phone: "+385992222222", Tags: []sendbee.Tag{{Name: "lead"}}})
	srv.AddContact(sendbee.Contact{Name: "Ivana", Phone: "+385993333333", Status: sendbee.ContactUnsubscribed})
	srv.AddContactField(sendbee.ContactField{Name: "Size", Type: sendbee.ContactFieldText})
	srv.AddContactField(sendbee.ContactField{Name: "City", Type: sendbee.ContactFieldText})
	conv := srv.AddInboundMessage("+385991111111", "Hi")
	clock.Advance(time.Second)
	srv.AddInboundMessage("+385991111111", "Are you there?")
	srv.AddInboundMessage("+385992222222", "Hello")

	// base is what each route needs to answer a non-empty list of at least two items.
	base := map[string]url.Values{
		"/contacts":                         {},
		"/contacts/tags":                    {},
		"/contacts/fields":                  {},
		"/conversations":                    {},
		"/conversations/messages":           {"conversation_id": {conv.ID}},
		"/conversations/messages/templates": {},
		"/teams/teams":                      {},
		"/teams/members":                    {},
	}
	documented := documentedListParams(t)
	require.ElementsMatch(t, slices.Collect(maps.Keys(base)), slices.Collect(maps.Keys(documented)), "the doc lists every list route")

	for path, q := range base {
		baseline := listRequest(t, srv, path, q)
		require.Equal(t, http.StatusOK, baseline.status, path)
		require.GreaterOrEqual(t, len(baseline.ids), 2, "%s: the baseline must have two items for page and limit to show", path)

		var honoured []string
		for param, value := range probes {
			probe := cloneQuery(q)
			probe.Set(param, value)
			if got := listRequest(t, srv, path, probe); !assert.ObjectsAreEqual(baseline, got) {
				honoured = append(honoured, param)
			}
		}
		assert.ElementsMatch(t, documented[path], honoured, "GET %s: the parameters that change the answer", path)
	}
}

// documentedListParams reads the package doc's table of list routes:
// "GET /path   a, b, c" lines.
func documentedListParams(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	row := regexp.MustCompile(`(?m)^//\tGET (/\S+)\s+(.+)$`)
	out := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		out[m[1]] = strings.Split(m[2], ", ")
	}
	require.NotEmpty(t, out, "no list route table in doc.go")
	return out
}

// listRequest sends a signed GET to srv and returns what it answered.
func listRequest(t *testing.T, srv *sendbeetest.Server, path string, q url.Values) listOutcome {
	t.Helper()
	resp := do(t, srv, http.MethodGet, path+"?"+q.Encode(), "", signed(srv, time.Now()))
	out := listOutcome{status: resp.Status}
	if resp.Status != http.StatusOK {
		return out
	}
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(resp.Body, &page), "GET %s: %s", path, resp.Body)
	for _, item := range page.Data {
		out.ids = append(out.ids, item.ID)
	}
	return out
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = slices.Clone(vs)
	}
	return out
}

// TestListParamValuesAreRefused: each documented parameter with a value it
// cannot take is a 422, as the doc says.
func TestListParamValuesAreRefused(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, nil)
	for _, tc := range []struct{ path, query string }{
		{"/contacts", "status=nonsense"},
		{"/conversations", "folder=nonsense"},
		{"/conversations", "date_from=yesterday"},
		{"/conversations", "date_to=1.5"},
		{"/conversations/messages/templates", "status=nonsense"},
		{"/contacts/tags", "page=0"},
		{"/teams/teams", "page=x"},
		{"/contacts/fields", "limit=101"},
		{"/conversations/messages", ""},
	} {
		resp := do(t, srv, http.MethodGet, tc.path+"?"+tc.query, "", signed(srv, time.Now()))
		assert.Equal(t, http.StatusUnprocessableEntity, resp.Status, "GET %s?%s: %s", tc.path, tc.query, resp.Body)
	}
	resp := do(t, srv, http.MethodGet, "/teams/members?limit="+strconv.Itoa(1000), "", signed(srv, time.Now()))
	assert.Equal(t, http.StatusOK, resp.Status, "a route without limit ignores it, whatever its value")
}
