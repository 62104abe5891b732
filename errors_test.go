package sendbee

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// respondRaw answers with status, a content type and body, with extra
// headers given as name/value pairs.
func respondRaw(status int, contentType, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// TestAPIErrorBodies builds *APIError from each error body the API (or a
// proxy in front of it) may send.
func TestAPIErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantType    string
		wantDetail  string
	}{
		{"nested", http.StatusUnprocessableEntity, "application/json", readTestdata(t, "error_nested.json"), "validation_error", "The phone field is required."},
		{"flat", http.StatusTooManyRequests, "application/json", readTestdata(t, "error_flat_429.json"), "rate_limit_exceeded", "Too many requests, slow down."},
		{"HTML 502 page", http.StatusBadGateway, "text/html", readTestdata(t, "error_502.html"), "", "Bad Gateway"},
		{"empty body", http.StatusInternalServerError, "", "", "", "Internal Server Error"},
		{"JSON without error", http.StatusBadRequest, "application/json", `{"message":"nope"}`, "", "Bad Request"},
		{"error as a string", http.StatusBadRequest, "application/json", `{"error":"Missing id"}`, "", "Missing id"},
		{"JSON array", http.StatusNotFound, "application/json", `[1,2]`, "", "Not Found"},
		{"nested without detail", http.StatusForbidden, "application/json", `{"error":{"type":"forbidden"}}`, "forbidden", "Forbidden"},
		{"nested detail as field errors", http.StatusUnprocessableEntity, "application/json", `{"error":{"detail":{"phone": ["is required"]},"type":"validation_error"}}`, "validation_error", `{"phone":["is required"]}`},
		{"flat detail as a list", http.StatusBadRequest, "application/json", `{"error":true,"detail":["a","b"],"type":"bad_request"}`, "bad_request", `["a","b"]`},
		{"type as a number, detail null", http.StatusConflict, "application/json", `{"error":{"detail":null,"type":409}}`, "409", "Conflict"},
		{"type as an object is no type", http.StatusUnprocessableEntity, "application/json", `{"error":{"detail":"taken","type":{"email":"ana@example.com"}}}`, "", "taken"},
		{"error as a string, detail null", http.StatusBadRequest, "application/json", `{"error":"Bad thing","detail":null}`, "", "Bad thing"},
		{"error as a string, detail empty", http.StatusBadRequest, "application/json", `{"error":"Bad thing","detail":""}`, "", "Bad thing"},
		{"error as a string, detail given", http.StatusBadRequest, "application/json", `{"error":"Bad thing","detail":"Missing id","type":"bad_request"}`, "bad_request", "Missing id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respondRaw(tc.status, tc.contentType, tc.body))
			_, err := c.Tags.List(context.Background(), nil)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.wantType, apiErr.Type)
			assert.Equal(t, tc.wantDetail, apiErr.Detail)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, "/contacts/tags", apiErr.Path)
			require.NotNil(t, apiErr.Response)
			assert.Equal(t, tc.body, string(apiErr.Response.Body))
			assert.Equal(t, tc.status, apiErr.Response.StatusCode)
			assert.Contains(t, err.Error(), tc.wantDetail)
			assert.NotContains(t, err.Error(), "<html>", "the error string stays clean")
		})
	}
}

func TestAPIErrorRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Now().Truncate(time.Second)
	cases := []struct {
		name, header string
		want         time.Duration
	}{
		{"seconds", "30", 30 * time.Second},
		{"HTTP date", now.Add(90 * time.Second).UTC().Format(http.TimeFormat), 90 * time.Second},
		{"HTTP date in the past", now.Add(-time.Minute).UTC().Format(http.TimeFormat), 0},
		{"absent", "", 0},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"garbage", "soon", 0},
		{"huge, capped at a day", "999999999", 24 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var header []string
			if tc.header != "" {
				header = []string{"Retry-After", tc.header}
			}
			c, _ := newWireServer(t, respondRaw(http.StatusTooManyRequests, "application/json", readTestdata(t, "error_flat_429.json"), header...),
				withTestClock(func() time.Time { return now }))
			_, err := c.Contacts.List(context.Background(), nil)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.want, apiErr.RetryAfter)
			assert.Equal(t, tc.want, apiErr.Response.RateLimit.RetryAfter)
			assert.ErrorIs(t, err, ErrRateLimited)
		})
	}
}

func TestAPIErrorIsSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrRateLimited, ErrUnauthorized, ErrNotFound, ErrOutcomeUnknown}
	cases := []struct {
		status int
		want   error // nil: matches none
	}{
		{http.StatusBadRequest, nil},
		{http.StatusUnauthorized, ErrUnauthorized},
		{http.StatusForbidden, ErrUnauthorized},
		{http.StatusNotFound, ErrNotFound},
		{http.StatusUnprocessableEntity, nil},
		{http.StatusTooManyRequests, ErrRateLimited},
		{http.StatusInternalServerError, nil},
		{http.StatusBadGateway, nil},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			err := &APIError{StatusCode: tc.status, Method: "GET", Path: "/contacts", Response: &Response{StatusCode: tc.status}}
			for _, s := range sentinels {
				assert.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%d, %v)", tc.status, s)
			}
			wrapped := errors.Join(errors.New("context"), err)
			if tc.want != nil {
				assert.ErrorIs(t, wrapped, tc.want, "matches through wrapping")
			}
		})
	}
}

// familyCall is one valid call of a contacts-family method.
type familyCall struct {
	name string
	// idempotent calls are safe to repeat; the others report an unknown
	// outcome after a 5xx.
	idempotent bool
	do         func(ctx context.Context, c *Client) error
}

// contactsFamilyCalls calls every method of Contacts, Tags and
// ContactFields once with valid input; the All calls range until the first
// error.
func contactsFamilyCalls() []familyCall {
	return []familyCall{
		{"Contacts.List", true, func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, nil)
			return err
		}},
		{"Contacts.All", true, func(ctx context.Context, c *Client) error { return firstError(c.Contacts.All(ctx, nil)) }},
		{"Contacts.Subscribe", false, func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: "+385991234567"})
			return err
		}},
		{"Contacts.Update", true, func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{ID: "c1", Name: "Ana"})
			return err
		}},
		{"Contacts.Update with notes", false, func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{ID: "c1", Notes: []string{"called"}})
			return err
		}},
		{"Tags.List", true, func(ctx context.Context, c *Client) error {
			_, err := c.Tags.List(ctx, nil)
			return err
		}},
		{"Tags.All", true, func(ctx context.Context, c *Client) error { return firstError(c.Tags.All(ctx, nil)) }},
		{"Tags.Create", false, func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Create(ctx, CreateTagParams{Name: "vip"})
			return err
		}},
		{"Tags.Update", true, func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Update(ctx, UpdateTagParams{ID: "t1", Name: "vip"})
			return err
		}},
		{"Tags.Delete", true, func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Delete(ctx, "t1")
			return err
		}},
		{"ContactFields.List", true, func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.List(ctx, nil)
			return err
		}},
		{"ContactFields.All", true, func(ctx context.Context, c *Client) error { return firstError(c.ContactFields.All(ctx, nil)) }},
		{"ContactFields.Create", false, func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "city", Type: ContactFieldText})
			return err
		}},
		{"ContactFields.Update", true, func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "f1", Name: "town"})
			return err
		}},
		{"ContactFields.Delete", true, func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Delete(ctx, "f1")
			return err
		}},
	}
}

// TestContactsFamilyErrorStatuses sends each status class to each method:
// every one returns an *APIError with the status, matching its sentinel, and
// the calls that are not safe to repeat say so after a 5xx.
func TestContactsFamilyErrorStatuses(t *testing.T) {
	t.Parallel()
	statuses := []struct {
		status int
		body   string
		want   error
	}{
		{http.StatusBadRequest, `{"error":{"detail":"Bad parameter","type":"bad_request"}}`, nil},
		{http.StatusUnauthorized, `{"error":{"detail":"Invalid token","type":"unauthorized"}}`, ErrUnauthorized},
		{http.StatusForbidden, `{"error":{"detail":"Forbidden","type":"forbidden"}}`, ErrUnauthorized},
		{http.StatusNotFound, `{"error":{"detail":"Not found","type":"not_found"}}`, ErrNotFound},
		{http.StatusUnprocessableEntity, `{"error":{"detail":"The phone field is required.","type":"validation_error"}}`, nil},
		{http.StatusTooManyRequests, `{"error":true,"detail":"Too many requests","type":"rate_limit"}`, ErrRateLimited},
		{http.StatusInternalServerError, `{"error":{"detail":"Server error","type":"server_error"}}`, nil},
		{http.StatusBadGateway, `<html><body>502 Bad Gateway</body></html>`, nil},
	}
	for _, fc := range contactsFamilyCalls() {
		for _, st := range statuses {
			t.Run(fc.name+"/"+http.StatusText(st.status), func(t *testing.T) {
				t.Parallel()
				c, srv := newWireServer(t, respond(st.status, st.body))
				err := fc.do(context.Background(), c)

				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, st.status, apiErr.StatusCode)
				assert.NotEmpty(t, apiErr.Detail)
				if st.want != nil {
					assert.ErrorIs(t, err, st.want)
				}
				unknown := !fc.idempotent && st.status >= 500
				assert.Equal(t, unknown, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown")
				assert.Len(t, srv.Requests(), 1, "retries are off: one request")
			})
		}
	}
}

// TestErrorStringsHaveNoSecrets checks the error strings of failed calls
// for the API key, the secret and the token the server received.
func TestErrorStringsHaveNoSecrets(t *testing.T) {
	t.Parallel()
	handlers := map[string]http.HandlerFunc{
		"401 nested":   respond(http.StatusUnauthorized, `{"error":{"detail":"Invalid token","type":"unauthorized"}}`),
		"429 flat":     respondRaw(http.StatusTooManyRequests, "application/json", `{"error":true,"detail":"slow","type":"rate"}`, "Retry-After", "3"),
		"502 HTML":     respondRaw(http.StatusBadGateway, "text/html", "<html>Bad Gateway</html>"),
		"bad JSON 200": respond(http.StatusOK, `{"data":"x"}`),
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, h)
			for _, fc := range contactsFamilyCalls() {
				err := fc.do(context.Background(), c)
				require.Error(t, err, fc.name)
				msg := err.Error()
				assert.False(t, strings.Contains(msg, testKey), "%s: error string contains the API key", fc.name)
				assert.False(t, strings.Contains(msg, testSecret), "%s: error string contains the secret", fc.name)
				for _, r := range srv.Requests() {
					token := r.Header.Get("X-Auth-Token")
					require.NotEmpty(t, token)
					assert.False(t, strings.Contains(msg, token), "%s: error string contains a token", fc.name)
				}
			}
		})
	}
}

// TestErrorStringOfFailedConnectionHasNoSecrets covers transport errors.
func TestErrorStringOfFailedConnectionHasNoSecrets(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Transport: transportFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("connection reset by peer")
	})}
	c, err := NewClient(testKey, testSecret, WithHTTPClient(hc), WithMaxRetries(0))
	require.NoError(t, err)
	for _, fc := range contactsFamilyCalls() {
		err := fc.do(context.Background(), c)
		require.Error(t, err, fc.name)
		assert.False(t, strings.Contains(err.Error(), testKey), "%s: error string contains the API key", fc.name)
		assert.False(t, strings.Contains(err.Error(), testSecret), "%s: error string contains the secret", fc.name)
		assert.False(t, strings.Contains(err.Error(), "X-Auth-Token"), "%s: error string mentions the token header", fc.name)
	}
}

// TestValidationErrorsSendNothing checks each input the contacts family
// refuses: a *ValidationError naming the field, and no request sent.
func TestValidationErrorsSendNothing(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{"subscribe without phone or whatsapp_user_id", "phone", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Name: "Ana", Tags: []string{"vip"}})
			return err
		}},
		{"update contact with empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{Name: "Ana"})
			return err
		}},
		{"list contacts with a comma in a tag", "tags", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{Tags: []string{"vip", "a,b"}})
			return err
		}},
		{"list contacts with unknown status", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{Status: "pending"})
			return err
		}},
		{"list contacts with negative page", "page", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{ListOptions: ListOptions{Page: -1}})
			return err
		}},
		{"list contacts with limit over 100", "limit", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{ListOptions: ListOptions{Limit: 101}})
			return err
		}},
		{"list contacts with negative limit", "limit", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{ListOptions: ListOptions{Limit: -1}})
			return err
		}},
		{"all contacts with unknown status", "status", func(ctx context.Context, c *Client) error {
			return firstError(c.Contacts.All(ctx, &ListContactsParams{Status: "Subscribed"}))
		}},
		{"list tags with negative page", "page", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.List(ctx, &ListTagsParams{ListOptions: ListOptions{Page: -2}})
			return err
		}},
		{"all tags with limit over 100", "limit", func(ctx context.Context, c *Client) error {
			return firstError(c.Tags.All(ctx, &ListTagsParams{ListOptions: ListOptions{Limit: 1000}}))
		}},
		{"create tag without name", "name", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Create(ctx, CreateTagParams{})
			return err
		}},
		{"update tag with empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Update(ctx, UpdateTagParams{Name: "vip"})
			return err
		}},
		{"update tag without name", "name", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Update(ctx, UpdateTagParams{ID: "t1"})
			return err
		}},
		{"delete tag with empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Delete(ctx, "")
			return err
		}},
		{"list fields with limit over 100", "limit", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.List(ctx, &ListContactFieldsParams{ListOptions: ListOptions{Limit: 101}})
			return err
		}},
		{"all fields with negative page", "page", func(ctx context.Context, c *Client) error {
			return firstError(c.ContactFields.All(ctx, &ListContactFieldsParams{ListOptions: ListOptions{Page: -1}}))
		}},
		{"create field without name", "name", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Type: ContactFieldText})
			return err
		}},
		{"create field with unknown type", "type", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "age", Type: "integer"})
			return err
		}},
		{"create field without type", "type", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "age"})
			return err
		}},
		{"create list field without options", "options", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "size", Type: ContactFieldList})
			return err
		}},
		{"update field with empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Update(ctx, UpdateContactFieldParams{Name: "age"})
			return err
		}},
		{"update field with unknown type", "type", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "f1", Type: "Text"})
			return err
		}},
		{"delete field with empty ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Delete(ctx, "")
			return err
		}},
		{"update field to a list without options", "options", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "f1", Type: ContactFieldList})
			return err
		}},
		{"subscribe with blank phone", "phone", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: "  ", WhatsAppUserID: "\t"})
			return err
		}},
		{"update contact with blank ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{ID: " ", Name: "Ana"})
			return err
		}},
		{"create tag with blank name", "name", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Create(ctx, CreateTagParams{Name: "\n"})
			return err
		}},
		{"delete tag with blank ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Delete(ctx, "  ")
			return err
		}},
		{"delete field with blank ID", "id", func(ctx context.Context, c *Client) error {
			_, err := c.ContactFields.Delete(ctx, " ")
			return err
		}},
	})
}
