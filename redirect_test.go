package sendbee

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirectStatuses are the statuses net/http follows as redirects.
var redirectStatuses = []int{
	http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
	http.StatusTemporaryRedirect, http.StatusPermanentRedirect,
}

// sentRequest is one request as a transport was asked to send it.
type sentRequest struct {
	method string
	url    *url.URL
	header http.Header
	body   []byte
}

// carriesCredentials reports whether the request holds the key or a token.
func (r sentRequest) carriesCredentials() bool {
	return r.header.Get("X-Api-Key") != "" || r.header.Get("X-Auth-Token") != ""
}

// wireRecorder is the transport under the client (given with
// WithHTTPClient): it records every request exactly as it goes to the
// network, then hands it to next.
type wireRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []sentRequest
}

func (w *wireRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	w.mu.Lock()
	w.sent = append(w.sent, sentRequest{method: req.Method, url: req.URL, header: req.Header.Clone(), body: body})
	n := len(w.sent)
	w.mu.Unlock()
	if n > 100 {
		return nil, errors.New("wireRecorder: more than 100 requests, a redirect loop was not stopped")
	}
	return w.next.RoundTrip(req)
}

func (w *wireRecorder) requests() []sentRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]sentRequest(nil), w.sent...)
}

// updateTagCall is an idempotent PUT with a body.
var updateTagCall = endpoint{name: "Tags.Update", idempotent: true, call: func(ctx context.Context, c *Client) error {
	_, err := c.Tags.Update(ctx, UpdateTagParams{ID: "t1", Name: "vip"})
	return err
}}

// TestCredentialsNeverLeaveTheHTTPSOrigin: an https API (a TLS server on
// 127.0.0.1) redirects, with every redirect status, to plain http on its
// own port, to another port, and to another name for the same address.
// Whichever call is made, no redirect is followed, the call ends with the
// redirect's *APIError, and no request with a credential goes anywhere but
// the API's origin: checked on every request the transport sends and on a
// recording server behind the other port.
func TestCredentialsNeverLeaveTheHTTPSOrigin(t *testing.T) {
	t.Parallel()
	var elsewhere sync.Map // path → headers, as the plain server received them
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Store(r.URL.Path, r.Header.Clone())
		respond(http.StatusOK, `{"data":{}}`)(w, r)
	}))
	t.Cleanup(plain.Close)
	_, plainPort, _ := strings.Cut(strings.TrimPrefix(plain.URL, "http://"), ":")

	// The API redirects /<status>/<target>/... to target number <target>.
	var targets []string
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
		status, _ := strconv.Atoi(parts[0])
		i, _ := strconv.Atoi(parts[1])
		http.Redirect(w, r, targets[i]+r.URL.Path, status)
	}))
	t.Cleanup(api.Close)
	_, apiPort, _ := strings.Cut(strings.TrimPrefix(api.URL, "https://"), ":")
	targets = []string{
		"http://127.0.0.1:" + apiPort,   // plain http, same host and port
		"http://127.0.0.1:" + plainPort, // plain http, another port
		"http://localhost:" + plainPort, // plain http, another name for the address
		"https://localhost:" + apiPort,  // https, another name for the address
	}

	calls := []endpoint{listContacts, updateTagCall, sendMessage}
	for _, status := range redirectStatuses {
		for i, target := range targets {
			for _, ep := range calls {
				t.Run(fmt.Sprintf("%d/%s/%s", status, target, ep.name), func(t *testing.T) {
					t.Parallel()
					rec := &wireRecorder{next: api.Client().Transport}
					c, err := NewClient(testKey, testSecret,
						WithBaseURL(fmt.Sprintf("%s/%d/%d/%s", api.URL, status, i, ep.name)),
						WithHTTPClient(&http.Client{Transport: rec}),
						WithWarningHandler(func(context.Context, string) {}))
					require.NoError(t, err)

					err = ep.call(t.Context(), c)
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, status, apiErr.StatusCode)
					assert.Equal(t, !ep.idempotent, errors.Is(err, ErrOutcomeUnknown), "matches ErrOutcomeUnknown: %v", err)

					sent := rec.requests()
					assert.Equal(t, 1, len(sent), "requests sent: the redirect is not followed, the call not retried")
					for _, r := range sent {
						if !strings.HasPrefix(r.url.String(), api.URL+"/") {
							assert.False(t, r.carriesCredentials(), "a request to %s carries a credential", r.url.Redacted())
						}
					}
					prefix := fmt.Sprintf("/%d/%d/%s/", status, i, ep.name)
					elsewhere.Range(func(path, _ any) bool {
						assert.False(t, strings.HasPrefix(path.(string), prefix), "the server at another origin received %s", path)
						return true
					})
				})
			}
		}
	}
	// Whatever reached the other server (nothing should), it held no credential.
	t.Cleanup(func() {
		elsewhere.Range(func(path, h any) bool {
			hdr := h.(http.Header)
			assert.True(t, hdr.Get("X-Api-Key") == "" && hdr.Get("X-Auth-Token") == "", "the server at another origin received a credential at %s", path)
			return true
		})
	})
}

// redirectingAPI is an in-memory API at https://api.test behind a
// wireRecorder: a request for /moved, on any origin, gets 200 and an empty
// object; any other request gets status and Location: location.
func redirectingAPI(status int, location string) *wireRecorder {
	return &wireRecorder{next: transportFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/moved") {
			return okResponse(r, `{"data":{}}`), nil
		}
		return &http.Response{
			StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Location": {location}}, Body: http.NoBody, Request: r,
		}, nil
	})}
}

// TestRedirectRuleEveryCall holds every API method to the redirect rule,
// under every redirect status, to its own origin and to others: a call
// that is not idempotent follows none (an *APIError matching
// ErrOutcomeUnknown); an idempotent GET follows any redirect to the base
// URL's origin; an idempotent PUT, POST or DELETE only a 307 or 308 there,
// with its method and body; nothing follows a redirect to another origin.
// A redirect not followed is the call's *APIError, never retried (retries
// are on).
func TestRedirectRuleEveryCall(t *testing.T) {
	t.Parallel()
	targets := []struct {
		name, location string
		sameOrigin     bool
	}{
		{"same origin", "/moved", true},
		{"same origin, spelled differently", "HTTPS://API.test:443/moved", true},
		{"another host", "https://other.test/moved", false},
		{"plain http", "http://api.test/moved", false},
		{"another port", "https://api.test:8443/moved", false},
	}
	for _, ep := range everyEndpoint() {
		for _, status := range redirectStatuses {
			for _, target := range targets {
				t.Run(fmt.Sprintf("%s/%d/%s", ep.name, status, target.name), func(t *testing.T) {
					t.Parallel()
					rec := redirectingAPI(status, target.location)
					c, err := NewClient(testKey, testSecret, WithBaseURL("https://api.test"),
						WithHTTPClient(&http.Client{Transport: rec}), WithWarningHandler(func(context.Context, string) {}))
					require.NoError(t, err)

					err = ep.call(t.Context(), c)
					sent := rec.requests()
					require.NotEmpty(t, sent)
					first := sent[0]
					keepsMethod := first.method == http.MethodGet || status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect
					if ep.idempotent && target.sameOrigin && keepsMethod {
						require.NoError(t, err)
						require.Equal(t, 2, len(sent), "the redirect is followed once")
						assert.Equal(t, first.method, sent[1].method, "the method is kept")
						assert.Equal(t, string(first.body), string(sent[1].body), "the body is kept")
						assert.True(t, sent[1].header.Get("X-Api-Key") == testKey, "the followed request is signed")
						return
					}
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, status, apiErr.StatusCode)
					assert.ErrorContains(t, err, "redirect not followed")
					assert.Equal(t, !ep.idempotent, errors.Is(err, ErrOutcomeUnknown), "matches ErrOutcomeUnknown: %v", err)
					if !ep.idempotent {
						assert.ErrorContains(t, err, ep.effect)
					}
					assert.Equal(t, 1, len(sent), "requests sent: the redirect is not followed, the call not retried")
				})
			}
		}
	}
}

// TestRedirectCallerPolicyComesSecond: the CheckRedirect of a client given
// with WithHTTPClient is asked only about redirects the rule allows. Its
// error ends the call, wrapped and not retried; its ErrUseLastResponse
// makes the redirect the call's *APIError. With or without one, a loop of
// allowed redirects ends at the 10th with its *APIError.
func TestRedirectCallerPolicyComesSecond(t *testing.T) {
	t.Parallel()
	errNo := errors.New("no redirects here")
	cases := []struct {
		name    string
		call    endpoint
		status  int
		policy  func(*http.Request, []*http.Request) error // nil: none
		asked   bool
		wantErr error // matched with errors.Is; nil: success, or the redirect's *APIError when one request went
		sent    int
	}{
		{"rule refuses: policy not asked", sendMessage, http.StatusFound, func(*http.Request, []*http.Request) error { return nil }, false, ErrOutcomeUnknown, 1},
		{"rule refuses a PUT's 302: policy not asked", updateTagCall, http.StatusFound, func(*http.Request, []*http.Request) error { return nil }, false, nil, 1},
		{"rule allows, policy allows", listContacts, http.StatusFound, func(*http.Request, []*http.Request) error { return nil }, true, nil, 2},
		{"rule allows, policy refuses", listContacts, http.StatusFound, func(*http.Request, []*http.Request) error { return errNo }, true, errNo, 1},
		{"rule allows, policy uses the last answer", updateTagCall, http.StatusTemporaryRedirect, func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, true, nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := redirectingAPI(tc.status, "/moved")
			var asked bool
			hc := &http.Client{Transport: rec, CheckRedirect: func(req *http.Request, via []*http.Request) error {
				asked = true
				return tc.policy(req, via)
			}}
			c, err := NewClient(testKey, testSecret, WithBaseURL("https://api.test"), WithHTTPClient(hc), WithWarningHandler(func(context.Context, string) {}))
			require.NoError(t, err)

			err = tc.call.call(t.Context(), c)
			assert.Equal(t, tc.asked, asked, "the caller's CheckRedirect was asked")
			assert.Equal(t, tc.sent, len(rec.requests()), "requests sent")
			switch {
			case tc.wantErr != nil:
				assert.ErrorIs(t, err, tc.wantErr)
			case tc.sent == 1:
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			default:
				assert.NoError(t, err)
			}
		})
	}

	for _, policy := range []func(*http.Request, []*http.Request) error{nil, func(*http.Request, []*http.Request) error { return nil }} {
		t.Run(fmt.Sprintf("loop, caller's policy %v", policy != nil), func(t *testing.T) {
			t.Parallel()
			rec := redirectingAPI(http.StatusFound, "/contacts")
			c, err := NewClient(testKey, testSecret, WithBaseURL("https://api.test"), WithHTTPClient(&http.Client{Transport: rec, CheckRedirect: policy}))
			require.NoError(t, err)
			_, err = c.Contacts.List(t.Context(), nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusFound, apiErr.StatusCode)
			assert.Equal(t, 10, len(rec.requests()), "the call and 9 redirects (the 10th is not followed), not retried")
		})
	}
}
