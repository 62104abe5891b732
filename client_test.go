package sendbee

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withTestClock replaces the client's clock (token timestamps, Retry-After
// dates) with now. Tests only: there is no public clock option.
func withTestClock(now func() time.Time) Option {
	return func(c *config) error {
		c.now = now
		return nil
	}
}

// transportFunc is an in-memory http.RoundTripper.
type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// okResponse is a 200 answer with a JSON body, for in-memory transports.
func okResponse(r *http.Request, body string) *http.Response {
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(strings.NewReader(body)),
		Request: r, ContentLength: int64(len(body)),
	}
}

func TestNewClientRejectsBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		key, secret string
		opts        []Option
		wantInError string
	}{
		{"empty key", "", testSecret, nil, "empty API key"},
		{"blank key", "  \t", testSecret, nil, "empty API key"},
		{"empty secret", testKey, "", nil, "empty API secret"},
		{"blank secret", testKey, " ", nil, "empty API secret"},
		{"base URL unparsable", testKey, testSecret, []Option{WithBaseURL("http://exa mple.com")}, "WithBaseURL"},
		{"base URL empty", testKey, testSecret, []Option{WithBaseURL("")}, "WithBaseURL"},
		{"base URL relative", testKey, testSecret, []Option{WithBaseURL("/contacts")}, "WithBaseURL"},
		{"base URL without host", testKey, testSecret, []Option{WithBaseURL("https://")}, "WithBaseURL"},
		{"base URL ftp", testKey, testSecret, []Option{WithBaseURL("ftp://api-v2.sendbee.io")}, "WithBaseURL"},
		{"base URL with query", testKey, testSecret, []Option{WithBaseURL("https://api-v2.sendbee.io/?a=1")}, "WithBaseURL"},
		{"base URL with fragment", testKey, testSecret, []Option{WithBaseURL("https://api-v2.sendbee.io/#x")}, "WithBaseURL"},
		{"base URL control character", testKey, testSecret, []Option{WithBaseURL("https://api-v2.sendbee.io/\x7f")}, "WithBaseURL"},
		{"nil http client", testKey, testSecret, []Option{WithHTTPClient(nil)}, "WithHTTPClient"},
		{"zero timeout", testKey, testSecret, []Option{WithTimeout(0)}, "WithTimeout"},
		{"negative timeout", testKey, testSecret, []Option{WithTimeout(-time.Second)}, "WithTimeout"},
		{"negative retries", testKey, testSecret, []Option{WithMaxRetries(-1)}, "WithMaxRetries"},
		{"zero retry wait", testKey, testSecret, []Option{WithMaxRetryWait(0)}, "WithMaxRetryWait"},
		{"zero response size", testKey, testSecret, []Option{WithMaxResponseSize(0)}, "WithMaxResponseSize"},
		{"base URL password, unparsable", testKey, testSecret, []Option{WithBaseURL("http://user:hunter2@exa mple.com")}, "WithBaseURL"},
		{"base URL password, with query", testKey, testSecret, []Option{WithBaseURL("https://user:hunter2@proxy.example/?a=1")}, "WithBaseURL"},
		{"base URL password, no scheme", testKey, testSecret, []Option{WithBaseURL("user:hunter2@api-v2.sendbee.io")}, "WithBaseURL"},
		{"base URL password with a slash", testKey, testSecret, []Option{WithBaseURL("https://user:hunter2/x@api-v2.sendbee.io")}, "WithBaseURL"},
		{"base URL password with a bad escape", testKey, testSecret, []Option{WithBaseURL("https://user:hunter2%zz@api-v2.sendbee.io")}, "WithBaseURL"},
		{"multi-line user agent", testKey, testSecret, []Option{WithUserAgent("myapp/1.2\r\nX-Evil: 1")}, "WithUserAgent"},
		// It went out as raw bytes in the User-Agent header.
		{"user agent not UTF-8", testKey, testSecret, []Option{WithUserAgent("caf\xe9/1.2")}, "WithUserAgent: the product is not valid UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var c *Client
			var err error
			require.NotPanics(t, func() { c, err = NewClient(tc.key, tc.secret, tc.opts...) })
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tc.wantInError)
			assert.False(t, strings.Contains(err.Error(), testSecret), "error string contains the secret")
			assert.False(t, strings.Contains(err.Error(), "hunter2"), "error string contains the base URL's password")
			assert.True(t, utf8.ValidString(err.Error()), "error string quotes raw bytes")
		})
	}
}

func TestNewClientSkipsNilOptions(t *testing.T) {
	t.Parallel()
	c, err := NewClient(testKey, testSecret, nil, WithMaxRetries(0), nil)
	require.NoError(t, err)
	assert.NotNil(t, c.Contacts)
}

// TestNewClientDefaultBaseURL checks that without WithBaseURL requests go to
// the production API, with no path prefix.
func TestNewClientDefaultBaseURL(t *testing.T) {
	t.Parallel()
	var got string
	hc := &http.Client{Transport: transportFunc(func(r *http.Request) (*http.Response, error) {
		got = r.URL.String()
		return okResponse(r, `{"data":[]}`), nil
	})}
	c, err := NewClient(testKey, testSecret, WithHTTPClient(hc))
	require.NoError(t, err)

	_, err = c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "https://api-v2.sendbee.io/contacts/tags", got)
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	base := fmt.Sprintf("sendbee-go/%s (%s; %s/%s)", Version, goVersion(runtime.Version()), runtime.GOOS, runtime.GOARCH)
	cases := []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, base},
		{"with product", []Option{WithUserAgent("myapp/1.2")}, base + " myapp/1.2"},
		{"product trimmed", []Option{WithUserAgent("  myapp/1.2 ")}, base + " myapp/1.2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`), tc.opts...)
			_, err := c.Contacts.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, srv.Only(t).Header.Get("User-Agent"))
		})
	}
	assert.True(t, strings.HasPrefix(base, "sendbee-go/"+Version+" (go"), "runtime.Version gives go<ver>: %q", base)
}

func TestGoVersionInUserAgent(t *testing.T) {
	t.Parallel()
	cases := []struct{ runtimeVersion, want string }{
		{"go1.25.0", "go1.25.0"},
		{"go1.27.3", "go1.27.3"},
		{"go1.26", "go1.26"},
		{"go1.25.0 X:jsonv2,greenteagc", "go1.25.0"},
		{"devel go1.26-b5a3cd1 Tue Mar 3 10:00:00 2026 +0000", "go1.26"},
		{"go1.26rc1", "go1.26"},
		{"", "go"},
		{"weird", "go"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, goVersion(tc.runtimeVersion), "runtime.Version %q", tc.runtimeVersion)
	}
}

// keyTransport records the X-Api-Key of each request and answers in memory.
// Its fields let a test see whether anyone changed it.
type keyTransport struct {
	mu   sync.Mutex
	keys []string
	Name string
}

func (k *keyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	k.mu.Lock()
	k.keys = append(k.keys, r.Header.Get("X-Api-Key"))
	k.mu.Unlock()
	return okResponse(r, `{"data":[]}`), nil
}

func (k *keyTransport) seen() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.keys...)
}

// TestWithHTTPClientUsesTransportWithoutMutatingIt checks that the caller's
// transport carries the requests, and that neither the caller's
// *http.Client nor its transport is changed: two clients built on the same
// *http.Client each sign with their own key.
func TestWithHTTPClientUsesTransportWithoutMutatingIt(t *testing.T) {
	t.Parallel()
	tr := &keyTransport{Name: "caller's"}
	hc := &http.Client{Transport: tr, Timeout: 7 * time.Second}

	a, err := NewClient("key-a", testSecret, WithHTTPClient(hc), WithBaseURL("https://a.example"))
	require.NoError(t, err)
	b, err := NewClient("key-b", testSecret, WithHTTPClient(hc), WithBaseURL("https://b.example"))
	require.NoError(t, err)

	_, err = a.Contacts.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = b.Contacts.List(context.Background(), nil)
	require.NoError(t, err)

	assert.Equal(t, []string{"key-a", "key-b"}, tr.seen(), "each client signs with its own key through the caller's transport")
	assert.Same(t, tr, hc.Transport, "the caller's http.Client keeps its transport")
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Nil(t, hc.CheckRedirect)
	assert.Nil(t, hc.Jar)
	assert.Equal(t, "caller's", tr.Name)
}

// TestClientConcurrentUse runs many calls from many goroutines on one
// client, with the debug dump on (its writer is a plain bytes.Buffer, so
// unserialized writes would be a race). Run with -race.
func TestClientConcurrentUse(t *testing.T) {
	t.Parallel()
	var debug bytes.Buffer
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contacts_list.json"), WithDebug(&debug))

	const goroutines, calls = 16, 4
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := range goroutines {
		wg.Go(func() {
			for i := range calls {
				q := fmt.Sprintf("g%d-c%d", g, i)
				var err error
				if i%2 == 0 {
					_, err = c.Contacts.List(context.Background(), &ListContactsParams{SearchQuery: q})
				} else {
					_, err = c.Tags.List(context.Background(), &ListTagsParams{Name: q})
				}
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}

	reqs := srv.Requests()
	require.Len(t, reqs, goroutines*calls)
	seen := map[string]bool{}
	for _, r := range reqs {
		assertSigned(t, r)
		seen[r.Query.Get("search_query")+r.Query.Get("name")] = true
	}
	assert.Len(t, seen, goroutines*calls, "every call's own query reached the server")
	assert.Equal(t, goroutines*calls, strings.Count(debug.String(), "--> GET "), "one dump per request")
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"/proxy/sendbee", "/proxy/sendbee/"} {
		t.Run(prefix, func(t *testing.T) {
			t.Parallel()
			_, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`))
			c, err := NewClient(testKey, testSecret, WithBaseURL(srv.URL+prefix), WithMaxRetries(0))
			require.NoError(t, err)

			_, err = c.Contacts.List(context.Background(), &ListContactsParams{SearchQuery: "a b"})
			require.NoError(t, err)
			r := srv.Only(t)
			assert.Equal(t, "/proxy/sendbee/contacts", r.Path)
			assert.Equal(t, "a b", r.Query.Get("search_query"))
			assertSigned(t, r)
		})
	}
}

// TestNilContextIsAnError: a nil context is refused with an error, never a
// panic, and nothing is sent.
func TestNilContextIsAnError(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`))
	var nilCtx context.Context
	for _, fc := range contactsFamilyCalls() {
		var err error
		require.NotPanics(t, func() { err = fc.do(nilCtx, c) }, fc.name)
		assert.Error(t, err, fc.name)
	}
	assert.Empty(t, srv.Requests())
}

// TestResponseRateLimitHeaders checks that the rate-limit headers are read
// onto the page's Response and kept by the client.
func TestResponseRateLimitHeaders(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respondRaw(http.StatusOK, "application/json", `{"data":[]}`,
		"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "57", "X-RateLimit-Reset", "1700000060"))
	assert.Equal(t, RateLimit{}, c.RateLimit(), "zero before any answer")

	page, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	want := RateLimit{Limit: 60, Remaining: 57, Reset: 1700000060}
	assert.Equal(t, want, page.Response.RateLimit)
	assert.Equal(t, want, c.RateLimit())
}

// TestWithHTTPClientWithoutTransport: a caller's *http.Client with no
// Transport stays without one, and the client does not share
// http.DefaultTransport's connection pool either.
func TestWithHTTPClientWithoutTransport(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	c, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`), WithHTTPClient(hc))

	_, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)

	assertSigned(t, srv.Only(t))
	assert.Nil(t, hc.Transport, "the caller's http.Client was given a transport")
	st, ok := c.httpClient.Transport.(*signingTransport)
	require.True(t, ok, "requests pass through the signing transport")
	assert.NotSame(t, http.DefaultTransport, st.base, "the client shares http.DefaultTransport")
}

// nilPointerLimiter is a RateLimiter whose nil pointer would panic in Wait.
type nilPointerLimiter struct{ n int }

func (l *nilPointerLimiter) Wait(context.Context) error { l.n++; return nil }

func TestWithRateLimiterRejectsNilPointer(t *testing.T) {
	t.Parallel()
	var l *nilPointerLimiter
	_, err := NewClient(testKey, testSecret, WithRateLimiter(l))
	require.Error(t, err)
	_, err = NewClient(testKey, testSecret, WithRateLimiter(nil))
	assert.NoError(t, err, "a plain nil limiter means none")
}

func TestReadLimited(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("0123456789", 300)
	for _, tc := range []struct {
		name          string
		body          string
		contentLength int64
		limit         int64
		wrap          func(io.Reader) io.Reader
		tooLarge      bool
	}{
		{name: "known length", body: "hello", contentLength: 5, limit: 10},
		{name: "unknown length", body: "hello", contentLength: -1, limit: 10},
		{name: "exactly the limit", body: "hello", contentLength: -1, limit: 5},
		{name: "known length at the limit", body: "hello", contentLength: 5, limit: 5},
		{name: "empty", body: "", contentLength: 0, limit: 5},
		{name: "grows past the first guess", body: long, contentLength: -1, limit: 1 << 20},
		{name: "length understated", body: long, contentLength: 10, limit: 1 << 20},
		{name: "one byte at a time", body: long, contentLength: -1, limit: 1 << 20, wrap: iotest.OneByteReader},
		{name: "data with EOF", body: long, contentLength: int64(len(long)), limit: 1 << 20, wrap: iotest.DataErrReader},
		{name: "one byte over", body: "hello!", contentLength: -1, limit: 5, tooLarge: true},
		{name: "announced over", body: "hello!", contentLength: 6, limit: 5, tooLarge: true},
		{name: "length understated and over", body: long, contentLength: 10, limit: 100, tooLarge: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var r io.Reader = strings.NewReader(tc.body)
			if tc.wrap != nil {
				r = tc.wrap(r)
			}
			got, err := readLimited(r, tc.contentLength, tc.limit)
			if tc.tooLarge {
				assert.ErrorIs(t, err, ErrResponseTooLarge)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.body, string(got))
		})
	}
}

func TestReadLimitedReadError(t *testing.T) {
	t.Parallel()
	broken := errors.New("connection reset")
	_, err := readLimited(io.MultiReader(strings.NewReader("hel"), iotest.ErrReader(broken)), -1, 100)
	assert.ErrorIs(t, err, broken)
}

func TestReadRateLimit(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "60")
	h.Set("x-ratelimit-remaining", ` "7" `)
	h.Set("X-RATELIMIT-RESET", "1700000060")
	h.Set("Retry-After", "3")
	assert.Equal(t, RateLimit{Limit: 60, Remaining: 7, Reset: 1700000060, RetryAfter: 3 * time.Second}, readRateLimit(h, time.Now()))

	h = http.Header{}
	h.Set("X-RateLimit-Limit", "sixty")
	assert.Equal(t, RateLimit{}, readRateLimit(h, time.Now()))
}

// TestRateLimitKeptWithoutHeaders: an answer without X-RateLimit-* headers
// (a 503 with only Retry-After, say) does not wipe Client.RateLimit.
func TestRateLimitKeptWithoutHeaders(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respondInTurn(
		withHeaders(respond(http.StatusOK, `{"data":[]}`), "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59"),
		withHeaders(respond(http.StatusServiceUnavailable, `{}`), "Retry-After", "1"),
	))
	_, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = c.Tags.List(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, RateLimit{Limit: 60, Remaining: 59, RetryAfter: time.Second}, c.RateLimit(),
		"the X-RateLimit values are kept; Retry-After is the latest answer's")
}

// TestRateLimitRetryAfterIsNotStale: a later answer without Retry-After
// clears it, while the X-RateLimit values stay.
func TestRateLimitRetryAfterIsNotStale(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respondInTurn(
		withHeaders(respond(http.StatusTooManyRequests, `{"error":true,"detail":"slow down"}`),
			"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "Retry-After", "1"),
		respond(http.StatusOK, `{"data":[]}`),
	))
	_, err := c.Tags.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, RateLimit{Limit: 60, Remaining: 0, RetryAfter: time.Second}, c.RateLimit())
	_, err = c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, RateLimit{Limit: 60, Remaining: 0}, c.RateLimit())
}

// TestContentTypeOnEveryRequest checks that every request, GETs and a
// DELETE included, carries exactly one Content-Type: application/json.
func TestContentTypeOnEveryRequest(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name string
		call func(ctx context.Context, c *Client) error
	}{
		{"GET list", func(ctx context.Context, c *Client) error { _, err := c.Tags.List(ctx, nil); return err }},
		{"GET one", func(ctx context.Context, c *Client) error { _, err := c.Conversations.Get(ctx, "c1"); return err }},
		{"GET status", func(ctx context.Context, c *Client) error {
			_, err := c.Automation.ChatbotStatus(ctx, "c1")
			return err
		}},
		{"POST", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Create(ctx, CreateTagParams{Name: "vip"})
			return err
		}},
		{"PUT", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Update(ctx, UpdateTagParams{ID: "t1", Name: "vip"})
			return err
		}},
		{"DELETE", func(ctx context.Context, c *Client) error { _, err := c.Tags.Delete(ctx, "t1"); return err }},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"t1","name":"vip","conversation_id":"c1"}}`))
			require.NoError(t, tc.call(context.Background(), c))
			r := srv.Only(t)
			assert.Equal(t, []string{"application/json"}, r.Header.Values("Content-Type"), "%s %s", r.Method, r.Path)
			assertSigned(t, r)
		})
	}
}

// TestContentTypeOnRetriesAndRedirects checks that the attempts after the
// first carry Content-Type: application/json too: a retry, and the
// request after a same-origin redirect, which net/http sends without the
// first request's Content-Type when the redirect drops the body (301, 302,
// 303), GETs included.
func TestContentTypeOnRetriesAndRedirects(t *testing.T) {
	t.Parallel()
	answer := func(status int, location string) func(r *http.Request) *http.Response {
		return func(r *http.Request) *http.Response {
			if status == http.StatusOK {
				return okResponse(r, `{"data":[{"id":"t1"}]}`)
			}
			resp := okResponse(r, ``)
			resp.StatusCode, resp.Status = status, http.StatusText(status)
			resp.Header = http.Header{"Location": {location}, "Retry-After": {"1"}}
			return resp
		}
	}
	const elsewhere = DefaultBaseURL + "/elsewhere"
	cases := []struct {
		name    string
		answers []func(*http.Request) *http.Response
	}{
		{"retry after 503", []func(*http.Request) *http.Response{answer(503, ""), answer(200, "")}},
		{"after a 301", []func(*http.Request) *http.Response{answer(301, elsewhere), answer(200, "")}},
		{"after a 302", []func(*http.Request) *http.Response{answer(302, elsewhere), answer(200, "")}},
		{"after a 303", []func(*http.Request) *http.Response{answer(303, elsewhere), answer(200, "")}},
		{"after a 307", []func(*http.Request) *http.Response{answer(307, elsewhere), answer(200, "")}},
		{"after a 302 and a 503", []func(*http.Request) *http.Response{answer(302, elsewhere), answer(503, ""), answer(200, "")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				var seen []http.Header
				tr := transportFunc(func(r *http.Request) (*http.Response, error) {
					mu.Lock()
					defer mu.Unlock()
					seen = append(seen, r.Header.Clone())
					return tc.answers[min(len(seen), len(tc.answers))-1](r), nil
				})
				c, err := NewClient(testKey, testSecret, WithHTTPClient(&http.Client{Transport: tr}), WithMaxRetries(2),
					WithWarningHandler(func(context.Context, string) {}))
				require.NoError(t, err)
				page, err := c.Tags.List(t.Context(), nil)
				require.NoError(t, err)
				assert.Equal(t, []Tag{{ID: "t1"}}, page.Items)
				mu.Lock()
				defer mu.Unlock()
				require.Len(t, seen, len(tc.answers))
				for i, h := range seen {
					assert.Equal(t, []string{"application/json"}, h.Values("Content-Type"), "request %d", i+1)
				}
			})
		})
	}
}
