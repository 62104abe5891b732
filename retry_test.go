package sendbee

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withBackoff replaces the client's backoff; tests use it to make waits
// exact (no jitter) or short.
func withBackoff(b backoff) Option {
	return func(c *config) error {
		c.backoff = b
		return nil
	}
}

// exactBackoff is the default backoff (0.5 s × 2^n, capped at 8 s) with the
// jitter taken out, so a test can state each wait.
func exactBackoff() Option {
	b := defaultBackoff()
	b.jitter = func(d time.Duration) time.Duration { return d }
	return withBackoff(b)
}

// step is what the scripted transport does for one attempt.
type step struct {
	status     int
	retryAfter string        // the Retry-After header, when set
	retryDate  time.Duration // a Retry-After HTTP date this far ahead, when set
	body       string        // the answer's body; `{"data":{}}` when empty (an object for single results, one empty item for lists)
	size       int64         // instead of body: a JSON body padded with spaces to size bytes
	noLength   bool          // send no Content-Length (like a chunked answer)
	err        error         // fail the attempt with err instead of answering
	hang       bool          // answer nothing until the attempt's context ends
	delay      time.Duration // answer only after this long (or fail when the context ends first)
	bodyErr    error         // the body breaks off with this error after its bytes
}

// attemptRecord is one attempt as the scripted transport saw it. Times are
// offsets from the transport's creation (fake time inside a bubble).
type attemptRecord struct {
	start, end time.Duration
	method     string
	path       string
	token      string
	apiKey     string
}

// scriptedTransport is an in-memory http.RoundTripper: attempt i gets
// steps[i], and the last step repeats. It records every attempt and every
// body it handed out.
type scriptedTransport struct {
	mu     sync.Mutex
	origin time.Time
	steps  []step
	calls  []attemptRecord
	bodies []*trackedBody
}

func newScriptedTransport(steps ...step) *scriptedTransport {
	return &scriptedTransport{origin: time.Now(), steps: steps}
}

// RoundTrip plays the next step.
func (tr *scriptedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tr.mu.Lock()
	n := len(tr.calls)
	st := tr.steps[min(n, len(tr.steps)-1)]
	tr.calls = append(tr.calls, attemptRecord{
		start: time.Since(tr.origin), method: req.Method, path: req.URL.Path,
		token: req.Header.Get("X-Auth-Token"), apiKey: req.Header.Get("X-Api-Key"),
	})
	tr.mu.Unlock()
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	resp, err := tr.play(req, st)
	tr.mu.Lock()
	tr.calls[n].end = time.Since(tr.origin)
	if resp != nil {
		tr.bodies = append(tr.bodies, resp.Body.(*trackedBody))
	}
	tr.mu.Unlock()
	return resp, err
}

func (tr *scriptedTransport) play(req *http.Request, st step) (*http.Response, error) {
	ctx := req.Context()
	switch {
	case st.hang:
		<-ctx.Done()
		return nil, ctx.Err()
	case st.delay > 0:
		t := time.NewTimer(st.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if st.err != nil {
		return nil, st.err
	}
	body := st.body
	if body == "" {
		body = `{"data":{}}`
	}
	var r io.Reader = strings.NewReader(body)
	length := int64(len(body))
	if st.size > 0 {
		r = io.MultiReader(strings.NewReader(`{"data":[]}`), io.LimitReader(spaces{}, st.size-int64(len(`{"data":[]}`))))
		length = st.size
	}
	if st.noLength {
		length = -1
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if st.retryAfter != "" {
		h.Set("Retry-After", st.retryAfter)
	}
	if st.retryDate > 0 {
		h.Set("Retry-After", time.Now().Add(st.retryDate).UTC().Format(http.TimeFormat))
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{
		Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, ContentLength: length, Request: req,
		Body: &trackedBody{r: r, err: st.bodyErr},
	}, nil
}

// attempts returns the attempts made so far.
func (tr *scriptedTransport) attempts() []attemptRecord {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]attemptRecord(nil), tr.calls...)
}

// waits returns the pauses between one attempt's end and the next one's start.
func (tr *scriptedTransport) waits() []time.Duration {
	calls := tr.attempts()
	var w []time.Duration
	for i := 1; i < len(calls); i++ {
		w = append(w, calls[i].start-calls[i-1].end)
	}
	return w
}

// assertBodiesClosed checks that every answer's body was closed, and read to
// its end when drained is set.
func (tr *scriptedTransport) assertBodiesClosed(t *testing.T, drained bool) {
	t.Helper()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for i, b := range tr.bodies {
		assert.True(t, b.closed, "body %d not closed", i)
		if drained {
			assert.True(t, b.eof, "body %d not read to its end", i)
		}
	}
}

// spaces is an endless reader of JSON whitespace.
type spaces struct{}

// spaceBlock is what spaces copies from, a block at a time (fast under -race).
var spaceBlock = strings.Repeat(" ", 32<<10)

func (spaces) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], spaceBlock)
	}
	return n, nil
}

// trackedBody is a response body that remembers whether it was read to its
// end and closed, and can break off with err.
type trackedBody struct {
	r      io.Reader
	err    error
	eof    bool
	closed bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		if b.err != nil {
			return n, b.err
		}
		b.eof = true
	}
	return n, err
}

func (b *trackedBody) Close() error {
	b.closed = true
	return nil
}

// newScriptedClient returns a client whose attempts go to tr. Retries keep
// their defaults (3, 0.5 s × 2^n) but without jitter unless opts say else.
func newScriptedClient(t *testing.T, tr http.RoundTripper, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{
		WithHTTPClient(&http.Client{Transport: tr}),
		WithWarningHandler(func(context.Context, string) {}),
		exactBackoff(),
	}, opts...)
	c, err := NewClient(testKey, testSecret, all...)
	require.NoError(t, err)
	return c
}

// endpoint is one API method, called with valid arguments.
type endpoint struct {
	name       string
	idempotent bool
	effect     string // for the others: what their outcome-unknown error says
	call       func(ctx context.Context, c *Client) error
}

// listContacts and sendMessage are the idempotent and the non-idempotent
// endpoint of the policy table.
var (
	listContacts = endpoint{name: "Contacts.List", idempotent: true, call: func(ctx context.Context, c *Client) error {
		_, err := c.Contacts.List(ctx, nil)
		return err
	}}
	sendMessage = endpoint{name: "Messages.Send", effect: "the message may have been sent", call: func(ctx context.Context, c *Client) error {
		_, err := c.Messages.Send(ctx, SendMessageParams{Phone: "+385991234567", Text: "Your order has shipped"})
		return err
	}}
)

// want is the expected result of a call under a script.
type want struct {
	attempts int
	waits    []time.Duration
	ok       bool  // the call succeeds
	status   int   // the error is an *APIError with this status
	unknown  bool  // the error matches ErrOutcomeUnknown
	connect  bool  // the error is a *url.Error for a failure to connect
	is       error // the error also matches this
}

func (w want) check(t *testing.T, ep endpoint, err error) {
	t.Helper()
	if w.ok {
		assert.NoError(t, err)
		return
	}
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, testSecret, "the error leaks the secret")
	assert.NotContains(t, msg, testKey, "the error leaks the API key")
	assert.Equal(t, w.unknown, errors.Is(err, ErrOutcomeUnknown), "matches ErrOutcomeUnknown: %v", err)
	if w.unknown {
		assert.Contains(t, msg, ep.effect)
	} else {
		assert.NotContains(t, msg, "outcome unknown")
	}
	var apiErr *APIError
	if assert.Equal(t, w.status != 0, errors.As(err, &apiErr), "is an *APIError: %v", err) && w.status != 0 {
		assert.Equal(t, w.status, apiErr.StatusCode)
	}
	var urlErr *url.Error
	if w.connect {
		assert.True(t, errors.As(err, &urlErr) && isConnectError(err), "a *url.Error for a failure to connect: %v", err)
	}
	if w.is != nil {
		assert.ErrorIs(t, err, w.is)
	}
}

// The errors the net package gives for a refused and a reset connection.
var (
	errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	errReset   = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
)

// contextWithin returns t's context, with a deadline d ahead when d > 0.
func contextWithin(t *testing.T, d time.Duration) context.Context {
	if d <= 0 {
		return t.Context()
	}
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// TestRetryPolicy is the policy's table: each status class and error kind,
// against an idempotent endpoint (Contacts.List) and one that is not
// (Messages.Send): how many attempts, which waits, which error. Time is fake
// (synctest), so the waits are exact and nothing really sleeps.
func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	const (
		half = 500 * time.Millisecond
		sec  = time.Second
	)
	backoffWaits := []time.Duration{half, sec, 2 * sec}
	ok := step{}
	cases := []struct {
		name          string
		steps         []step
		idem, nonIdem want
		deadline      time.Duration // the caller's, when > 0
	}{
		{"200", []step{ok},
			want{attempts: 1, ok: true}, want{attempts: 1, ok: true}, 0},
		{"302 without Location is final", []step{{status: 302}},
			want{attempts: 1, status: 302}, want{attempts: 1, status: 302, unknown: true}, 0},
		{"403 is final", []step{{status: 403}},
			want{attempts: 1, status: 403, is: ErrUnauthorized}, want{attempts: 1, status: 403, is: ErrUnauthorized}, 0},
		{"the caller's deadline passes while the answer is awaited", []step{{hang: true}},
			want{attempts: 1, is: context.DeadlineExceeded},
			want{attempts: 1, unknown: true, is: context.DeadlineExceeded}, 5 * sec},
		{"400 is final", []step{{status: 400}},
			want{attempts: 1, status: 400}, want{attempts: 1, status: 400}, 0},
		{"401 is final", []step{{status: 401}},
			want{attempts: 1, status: 401, is: ErrUnauthorized}, want{attempts: 1, status: 401, is: ErrUnauthorized}, 0},
		{"404 is final", []step{{status: 404}},
			want{attempts: 1, status: 404, is: ErrNotFound}, want{attempts: 1, status: 404, is: ErrNotFound}, 0},
		{"422 is final", []step{{status: 422, body: `{"error":{"detail":"phone is invalid","type":"validation"}}`}},
			want{attempts: 1, status: 422}, want{attempts: 1, status: 422}, 0},
		{"429 without Retry-After: backoff until the budget is spent", []step{{status: 429}},
			want{attempts: 4, waits: backoffWaits, status: 429, is: ErrRateLimited},
			want{attempts: 4, waits: backoffWaits, status: 429, is: ErrRateLimited}, 0},
		{"429 Retry-After seconds, then 200", []step{{status: 429, retryAfter: "2"}, ok},
			want{attempts: 2, waits: []time.Duration{2 * sec}, ok: true},
			want{attempts: 2, waits: []time.Duration{2 * sec}, ok: true}, 0},
		{"429 Retry-After HTTP date, then 200", []step{{status: 429, retryDate: 3 * sec}, ok},
			want{attempts: 2, waits: []time.Duration{3 * sec}, ok: true},
			want{attempts: 2, waits: []time.Duration{3 * sec}, ok: true}, 0},
		{"408", []step{{status: 408}},
			want{attempts: 4, waits: backoffWaits, status: 408},
			want{attempts: 1, status: 408, unknown: true}, 0},
		{"500", []step{{status: 500, body: "<html>oops</html>"}},
			want{attempts: 4, waits: backoffWaits, status: 500},
			want{attempts: 1, status: 500, unknown: true}, 0},
		{"502, then 200", []step{{status: 502}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 1, status: 502, unknown: true}, 0},
		{"503 Retry-After, then 200", []step{{status: 503, retryAfter: "5"}, ok},
			want{attempts: 2, waits: []time.Duration{5 * sec}, ok: true},
			want{attempts: 1, status: 503, unknown: true}, 0},
		{"504", []step{{status: 504}},
			want{attempts: 4, waits: backoffWaits, status: 504},
			want{attempts: 1, status: 504, unknown: true}, 0},
		{"connection refused", []step{{err: errRefused}},
			want{attempts: 4, waits: backoffWaits, connect: true, is: syscall.ECONNREFUSED},
			want{attempts: 4, waits: backoffWaits, connect: true, is: syscall.ECONNREFUSED}, 0},
		{"connection refused, then 200", []step{{err: errRefused}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 2, waits: []time.Duration{half}, ok: true}, 0},
		{"DNS failure, then 200", []step{{err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api-v2.sendbee.io", IsNotFound: true}}}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 2, waits: []time.Duration{half}, ok: true}, 0},
		{"dial timeout, then 200", []step{{delay: 10 * sec, err: &net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded}}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 2, waits: []time.Duration{half}, ok: true}, 0},
		{"connection reset", []step{{err: errReset}},
			want{attempts: 4, waits: backoffWaits, is: syscall.ECONNRESET},
			want{attempts: 1, unknown: true, is: syscall.ECONNRESET}, 0},
		{"dropped before the answer (EOF), then 200", []step{{err: io.EOF}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 1, unknown: true, is: io.EOF}, 0},
		{"no answer within the default 30 s, then 200", []step{{hang: true}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 1, unknown: true, is: context.DeadlineExceeded}, 0},
		{"reset while reading the body, then 200", []step{{body: `{"data":[`, bodyErr: errReset}, ok},
			want{attempts: 2, waits: []time.Duration{half}, ok: true},
			want{attempts: 1, unknown: true, is: syscall.ECONNRESET}, 0},
		{"body over the 10 MiB limit", []step{{size: DefaultMaxResponseSize + 1}},
			want{attempts: 1, is: ErrResponseTooLarge},
			want{attempts: 1, unknown: true, is: ErrResponseTooLarge}, 0},
	}
	for _, tc := range cases {
		for _, side := range []struct {
			ep   endpoint
			want want
		}{{listContacts, tc.idem}, {sendMessage, tc.nonIdem}} {
			t.Run(tc.name+"/"+side.ep.name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					tr := newScriptedTransport(tc.steps...)
					c := newScriptedClient(t, tr)
					err := side.ep.call(contextWithin(t, tc.deadline), c)
					side.want.check(t, side.ep, err)
					assert.Len(t, tr.attempts(), side.want.attempts, "attempts")
					assert.Equal(t, side.want.waits, tr.waits(), "waits between attempts")
					tr.assertBodiesClosed(t, false)
				})
			})
		}
	}
}

// everyEndpoint is every API method, called with valid arguments, with its
// place in the retry policy.
func everyEndpoint() []endpoint {
	const conv = "c0ffee00-0000-4000-8000-000000000001"
	call := func(f func(ctx context.Context, c *Client) (any, error)) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error { _, err := f(ctx, c); return err }
	}
	return []endpoint{
		{"Contacts.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Contacts.List(ctx, nil) })},
		{"Contacts.Subscribe", false, "the contact may have been subscribed", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: "+385991234567"})
		})},
		{"Contacts.Update without notes", true, "", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Contacts.Update(ctx, UpdateContactParams{ID: "x", Name: "Ana"})
		})},
		{"Contacts.Update with notes", false, "the notes may have been appended", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Contacts.Update(ctx, UpdateContactParams{ID: "x", Notes: []string{"called back"}})
		})},
		{"Tags.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Tags.List(ctx, nil) })},
		{"Tags.Create", false, "the tag may have been created", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Tags.Create(ctx, CreateTagParams{Name: "vip"})
		})},
		{"Tags.Update", true, "", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Tags.Update(ctx, UpdateTagParams{ID: "t", Name: "vip"})
		})},
		{"Tags.Delete", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Tags.Delete(ctx, "t") })},
		{"ContactFields.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.ContactFields.List(ctx, nil) })},
		{"ContactFields.Create", false, "the contact field may have been created", call(func(ctx context.Context, c *Client) (any, error) {
			return c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "city", Type: ContactFieldText})
		})},
		{"ContactFields.Update", true, "", call(func(ctx context.Context, c *Client) (any, error) {
			return c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "f", Name: "town"})
		})},
		{"ContactFields.Delete", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.ContactFields.Delete(ctx, "f") })},
		{"Conversations.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Conversations.List(ctx, nil) })},
		{"Conversations.Get", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Conversations.Get(ctx, conv) })},
		{"Conversations.Update", true, "", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Conversations.Update(ctx, UpdateConversationParams{ID: conv, Folder: FolderDone})
		})},
		{"Messages.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Messages.List(ctx, conv, nil) })},
		sendMessage,
		{"Templates.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Templates.List(ctx, nil) })},
		{"Templates.Send", false, "the template message may have been sent", call(func(ctx context.Context, c *Client) (any, error) {
			return c.Templates.Send(ctx, SendTemplateParams{Phone: "+385991234567", TemplateKeyword: "welcome", Language: "en"})
		})},
		{"Teams.List", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Teams.List(ctx, nil) })},
		{"Teams.Members", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Teams.Members(ctx, nil) })},
		{"Automation.SetChatbot", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Automation.SetChatbot(ctx, conv, false) })},
		{"Automation.ChatbotStatus", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.Automation.ChatbotStatus(ctx, conv) })},
		{"RateLimitRequestTest", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.RateLimitRequestTest(ctx) })},
		{"RateLimitErrorTest", true, "", call(func(ctx context.Context, c *Client) (any, error) { return c.RateLimitErrorTest(ctx) })},
	}
}

// TestRetryPolicyEveryMethod holds every method to its place in the README's
// table: after a 429 or a failure to connect, all are retried; after a 503
// only the idempotent ones are, and the others fail at once with an error
// that matches ErrOutcomeUnknown and says what may have happened.
func TestRetryPolicyEveryMethod(t *testing.T) {
	t.Parallel()
	endpoints := everyEndpoint()
	faults := []struct {
		name string
		step step
		// retriedAlways: the server did not act, so every call is retried.
		retriedAlways bool
	}{
		{"429", step{status: 429, retryAfter: "1"}, true},
		{"connection refused", step{err: errRefused}, true},
		{"503", step{status: 503}, false},
		{"timeout", step{hang: true}, false},
	}
	for _, ep := range endpoints {
		for _, f := range faults {
			t.Run(ep.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					tr := newScriptedTransport(f.step, step{body: `{"data":{}}`})
					err := ep.call(t.Context(), newScriptedClient(t, tr))
					if f.retriedAlways || ep.idempotent {
						assert.NoError(t, err)
						assert.Len(t, tr.attempts(), 2, "attempts")
						return
					}
					assert.ErrorIs(t, err, ErrOutcomeUnknown)
					assert.ErrorContains(t, err, ep.effect)
					assert.Len(t, tr.attempts(), 1, "attempts")
				})
			})
		}
	}
}

// TestRetryWaitNotStarted: a wait longer than WithMaxRetryWait (default 60
// s), or one the context's deadline does not leave room for, is not
// started: the *APIError, with the server's RetryAfter, comes back at once
// (no fake time passes).
func TestRetryWaitNotStarted(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		step       step
		opts       []Option
		deadline   time.Duration // a context deadline this far ahead, when set
		status     int
		retryAfter time.Duration
	}{
		{name: "Retry-After over the default 60 s cap", step: step{status: 429, retryAfter: "61"}, status: 429, retryAfter: 61 * time.Second},
		{name: "Retry-After date over the cap", step: step{status: 429, retryDate: 2 * time.Minute}, status: 429, retryAfter: 2 * time.Minute},
		{name: "Retry-After over WithMaxRetryWait", step: step{status: 429, retryAfter: "3"}, opts: []Option{WithMaxRetryWait(2 * time.Second)}, status: 429, retryAfter: 3 * time.Second},
		{name: "Retry-After past the deadline", step: step{status: 429, retryAfter: "10"}, deadline: 5 * time.Second, status: 429, retryAfter: 10 * time.Second},
		{name: "Retry-After ending at the deadline", step: step{status: 429, retryAfter: "5"}, deadline: 5 * time.Second, status: 429, retryAfter: 5 * time.Second},
		{name: "503 Retry-After past the deadline", step: step{status: 503, retryAfter: "10"}, deadline: 5 * time.Second, status: 503, retryAfter: 10 * time.Second},
		{name: "backoff past the deadline", step: step{status: 503}, deadline: 400 * time.Millisecond, status: 503},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ctx := contextWithin(t, tc.deadline)
				tr := newScriptedTransport(tc.step, step{})
				start := time.Now()
				err := listContacts.call(ctx, newScriptedClient(t, tr, tc.opts...))
				assert.Zero(t, time.Since(start), "time passed before the error came back")
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Equal(t, tc.retryAfter, apiErr.RetryAfter)
				assert.Len(t, tr.attempts(), 1)
			})
		})
	}
}

// TestRetryWaitEndsOnCancel: cancelling the context ends a wait at once; the
// error matches both the context's error and the last attempt's.
func TestRetryWaitEndsOnCancel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		step   step
		status int
	}{
		{"waiting for Retry-After", step{status: 429, retryAfter: "30"}, 429},
		{"waiting for the backoff", step{status: 503}, 503},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				time.AfterFunc(200*time.Millisecond, cancel)
				tr := newScriptedTransport(tc.step, step{})
				start := time.Now()
				err := listContacts.call(ctx, newScriptedClient(t, tr))
				assert.Equal(t, 200*time.Millisecond, time.Since(start), "the wait did not end with the context")
				assert.ErrorIs(t, err, context.Canceled)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Len(t, tr.attempts(), 1)
			})
		})
	}
}

// TestRetryDeadContextSendsNothing: a call made with a context that has
// already ended sends nothing, and a send then is not "outcome unknown".
func TestRetryDeadContextSendsNothing(t *testing.T) {
	t.Parallel()
	for _, ep := range []endpoint{listContacts, sendMessage} {
		t.Run(ep.name, func(t *testing.T) {
			t.Parallel()
			tr := newScriptedTransport(step{})
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			err := ep.call(ctx, newScriptedClient(t, tr))
			assert.ErrorIs(t, err, context.Canceled)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			assert.Empty(t, tr.attempts())
		})
	}
}

// TestRetrySignsEveryAttempt: each attempt carries a token for its own
// second. In the bubble the clock is fake, so after a 2 s Retry-After the
// second attempt's token is exactly 2 s newer.
func TestRetrySignsEveryAttempt(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tr := newScriptedTransport(step{status: 429, retryAfter: "2"}, step{status: 502}, step{})
		start := time.Now()
		require.NoError(t, listContacts.call(t.Context(), newScriptedClient(t, tr)))
		calls := tr.attempts()
		require.Len(t, calls, 3)
		// 429 at 0 s, wait 2 s (Retry-After); 502 at 2 s, wait 1 s (the
		// second backoff step); 200 at 3 s.
		wantSecs := []int64{start.Unix(), start.Unix() + 2, start.Unix() + 3}
		for i, a := range calls {
			assert.Equal(t, testKey, a.apiKey, "attempt %d: X-Api-Key", i+1)
			plain, err := base64.StdEncoding.DecodeString(a.token)
			require.NoError(t, err, "attempt %d: token is not base64", i+1)
			secs, _, _ := strings.Cut(string(plain), ".")
			got, err := strconv.ParseInt(secs, 10, 64)
			require.NoError(t, err)
			assert.Equal(t, wantSecs[i], got, "attempt %d: token second", i+1)
			assert.True(t, a.token == GenerateToken(testSecret, time.Unix(got, 0)), "attempt %d: token not signed with the secret", i+1)
		}
	})
}

// TestRetryBudget: WithMaxRetries(n) allows n retries (n+1 attempts); 0
// turns retries off even where the server did not act.
func TestRetryBudget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		retries  int
		step     step
		attempts int
		waits    []time.Duration
	}{
		{"0: no retry after a 503", 0, step{status: 503}, 1, nil},
		{"0: no retry after a 429", 0, step{status: 429, retryAfter: "1"}, 1, nil},
		{"0: no retry after a refused connection", 0, step{err: errRefused}, 1, nil},
		{"1", 1, step{status: 503}, 2, []time.Duration{500 * time.Millisecond}},
		{"6: the backoff doubles up to 8 s", 6, step{status: 503}, 7, []time.Duration{
			500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				tr := newScriptedTransport(tc.step)
				err := listContacts.call(t.Context(), newScriptedClient(t, tr, WithMaxRetries(tc.retries)))
				assert.Error(t, err)
				assert.Len(t, tr.attempts(), tc.attempts)
				assert.Equal(t, tc.waits, tr.waits())
			})
		})
	}
}

// TestRetryBackoffCappedByMaxRetryWait: WithMaxRetryWait also caps the
// client's own backoff, which then keeps retrying at the cap.
func TestRetryBackoffCappedByMaxRetryWait(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tr := newScriptedTransport(step{status: 503})
		err := listContacts.call(t.Context(), newScriptedClient(t, tr, WithMaxRetryWait(time.Second), WithMaxRetries(4)))
		assert.Error(t, err)
		assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, time.Second, time.Second}, tr.waits())
	})
}

// TestRetryBackoffJitter: the production backoff (random jitter) waits
// between half and all of 0.5 s × 2^n, capped at 8 s.
func TestRetryBackoffJitter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n    int
		full time.Duration
	}{
		{0, 500 * time.Millisecond}, {1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second},
		{4, 8 * time.Second}, {5, 8 * time.Second}, {29, 8 * time.Second}, {30, 8 * time.Second}, {1000, 8 * time.Second},
	}
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			t.Parallel()
			seen := map[time.Duration]bool{}
			for range 200 {
				d := defaultBackoff().wait(tc.n)
				require.GreaterOrEqual(t, d, tc.full/2)
				require.LessOrEqual(t, d, tc.full)
				seen[d] = true
			}
			assert.Greater(t, len(seen), 1, "no jitter")
		})
	}
	t.Run("in a call", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			tr := newScriptedTransport(step{status: 503})
			c := newScriptedClient(t, tr, withBackoff(defaultBackoff()))
			assert.Error(t, listContacts.call(t.Context(), c))
			waits := tr.waits()
			require.Len(t, waits, 3)
			for i, full := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second} {
				assert.GreaterOrEqual(t, waits[i], full/2, "wait %d", i)
				assert.LessOrEqual(t, waits[i], full, "wait %d", i)
			}
		})
	})
}

// TestRetryTimeouts: each attempt is bounded by WithTimeout (default 30 s)
// and the context bounds the whole call, retries and waits included.
func TestRetryTimeouts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		opts     []Option
		deadline time.Duration
		step     step
		ends     []time.Duration // when each attempt ended
		is       error
	}{
		{name: "default 30 s per attempt", step: step{hang: true},
			ends: []time.Duration{30 * time.Second, 60500 * time.Millisecond, 91500 * time.Millisecond, 123500 * time.Millisecond},
			is:   context.DeadlineExceeded},
		{name: "WithTimeout(5s)", opts: []Option{WithTimeout(5 * time.Second), WithMaxRetries(1)}, step: step{hang: true},
			ends: []time.Duration{5 * time.Second, 10500 * time.Millisecond}, is: context.DeadlineExceeded},
		{name: "the context's deadline cuts the third attempt", deadline: 10 * time.Second, step: step{delay: 3 * time.Second, status: 503},
			ends: []time.Duration{3 * time.Second, 6500 * time.Millisecond, 10 * time.Second}, is: context.DeadlineExceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ctx := contextWithin(t, tc.deadline)
				tr := newScriptedTransport(tc.step)
				start := time.Now()
				err := listContacts.call(ctx, newScriptedClient(t, tr, tc.opts...))
				assert.ErrorIs(t, err, tc.is)
				var ends []time.Duration
				for _, a := range tr.attempts() {
					ends = append(ends, a.end)
				}
				assert.Equal(t, tc.ends, ends, "attempt ends")
				assert.Equal(t, tc.ends[len(tc.ends)-1], time.Since(start), "call duration")
			})
		})
	}
}

// TestRetryResponseSizeLimit: bodies are read up to the limit (default 10
// MiB, WithMaxResponseSize); one byte more is an error, never a truncated
// decode, whether or not a Content-Length announced it. Every body is
// closed.
func TestRetryResponseSizeLimit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts []Option
		size int64
		ok   bool
	}{
		// Decoding 10 MiB of padding is slow under -race, so the default
		// limit is checked from above and the limit's edge with 1 KiB.
		{"default, one byte over", nil, DefaultMaxResponseSize + 1, false},
		{"1 KiB, at the limit", []Option{WithMaxResponseSize(1024)}, 1024, true},
		{"1 KiB, one byte over", []Option{WithMaxResponseSize(1024)}, 1025, false},
		{"1 KiB, far over", []Option{WithMaxResponseSize(1024)}, 1 << 20, false},
	}
	for _, tc := range cases {
		for _, noLength := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/no Content-Length %v", tc.name, noLength), func(t *testing.T) {
				t.Parallel()
				tr := newScriptedTransport(step{size: tc.size, noLength: noLength})
				c := newScriptedClient(t, tr, tc.opts...)
				page, err := c.Contacts.List(t.Context(), nil)
				if tc.ok {
					require.NoError(t, err)
					assert.Len(t, page.Response.Body, int(tc.size))
				} else {
					assert.ErrorIs(t, err, ErrResponseTooLarge)
					assert.Nil(t, page)
				}
				assert.Len(t, tr.attempts(), 1)
				tr.assertBodiesClosed(t, tc.ok)
			})
		}
	}
}

// TestRetryBodiesDrainedAndClosed: every answer's body, success or error,
// retried or final, is read to its end and closed.
func TestRetryBodiesDrainedAndClosed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tr := newScriptedTransport(
			step{status: 429, body: `{"error":true,"detail":"slow down"}` + strings.Repeat(" ", 10000)},
			step{status: 503, body: "<html>" + strings.Repeat("x", 100000) + "</html>", noLength: true},
			step{body: `{"data":[]}` + "\n\n\n"},
		)
		require.NoError(t, listContacts.call(t.Context(), newScriptedClient(t, tr)))
		assert.Len(t, tr.attempts(), 3)
		tr.assertBodiesClosed(t, true)
	})
}

// countingLimiter is a RateLimiter that counts its calls and fails when
// told to.
type countingLimiter struct {
	mu     sync.Mutex
	calls  int
	failAt int // the call (1-based) that fails; 0 for none
	err    error
}

func (l *countingLimiter) Wait(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls == l.failAt {
		return l.err
	}
	return nil
}

// TestRetryRateLimiter: the limiter is waited on before every attempt,
// retries included; an error from Wait ends the call, wrapped, with the last
// attempt's error when there was one.
func TestRetryRateLimiter(t *testing.T) {
	t.Parallel()
	errStop := errors.New("limiter closed")
	cases := []struct {
		name     string
		failAt   int
		attempts int
		status   int // the last attempt's *APIError in the error, if any
	}{
		{"every attempt waits", 0, 3, 0},
		{"error before the first attempt", 1, 0, 0},
		{"error before a retry", 2, 1, 429},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				lim := &countingLimiter{failAt: tc.failAt, err: errStop}
				tr := newScriptedTransport(step{status: 429, retryAfter: "1"}, step{status: 503}, step{})
				err := listContacts.call(t.Context(), newScriptedClient(t, tr, WithRateLimiter(lim)))
				assert.Len(t, tr.attempts(), tc.attempts, "attempts")
				if tc.failAt == 0 {
					assert.NoError(t, err)
					assert.Equal(t, 3, lim.calls, "Wait calls")
					return
				}
				assert.ErrorIs(t, err, errStop)
				assert.ErrorContains(t, err, "rate limiter")
				var apiErr *APIError
				if assert.Equal(t, tc.status != 0, errors.As(err, &apiErr)) && tc.status != 0 {
					assert.Equal(t, tc.status, apiErr.StatusCode)
				}
			})
		})
	}
}

// endingLimiter ends its caller's context and then lets the request go, as
// a limiter does whose wait ends as the deadline passes.
type endingLimiter struct{ cancel context.CancelFunc }

func (l endingLimiter) Wait(context.Context) error {
	l.cancel()
	return nil
}

// TestRetryLimiterReturnsAsContextEnds: a limiter that returns nil once the
// context has ended does not send the request. A send is then refused with
// the context's error, not reported as outcome unknown, and the server sees
// nothing.
func TestRetryLimiterReturnsAsContextEnds(t *testing.T) {
	t.Parallel()
	for _, ep := range []endpoint{sendMessage, listContacts} {
		t.Run(ep.name, func(t *testing.T) {
			t.Parallel()
			srv := &recordingServer{}
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				srv.mu.Lock()
				srv.requests++
				srv.mu.Unlock()
				_, _ = io.WriteString(w, `{"data":{}}`)
			}))
			t.Cleanup(hs.Close)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			c, err := NewClient(testKey, testSecret, WithBaseURL(hs.URL), WithRateLimiter(endingLimiter{cancel: cancel}),
				WithWarningHandler(func(context.Context, string) {}))
			require.NoError(t, err)

			err = ep.call(ctx, c)
			want{is: context.Canceled}.check(t, ep, err)
			assert.Zero(t, srv.count(), "requests the server saw")
		})
	}
}

// recordingServer is a real HTTP server that counts the requests it
// received, for the tests that must show what reached the server.
type recordingServer struct {
	mu       sync.Mutex
	requests int
}

func (s *recordingServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// TestRetryRealSockets runs the policy over real TCP: a refused connection
// (refusedAddr) is retried for every call and the server sees only the
// retry; a send whose connection drops, before or after the server acted,
// or that gets a 5xx, is not repeated, and its error says the message may
// have been sent; an idempotent call in the same spot is retried. Waits are
// zero (no jitter, no base), so nothing really sleeps.
func TestRetryRealSockets(t *testing.T) {
	t.Parallel()
	refused := refusedAddr(t)

	updateTag := endpoint{name: "Tags.Update", idempotent: true, call: func(ctx context.Context, c *Client) error {
		_, err := c.Tags.Update(ctx, UpdateTagParams{ID: "t1", Name: "vip"})
		return err
	}}
	faults := []struct {
		name    string
		refuse  bool // the first dial goes to refusedAddr
		handler func(w http.ResponseWriter, first bool)
	}{
		{name: "connection refused", refuse: true},
		{name: "dropped after the server acted", handler: func(w http.ResponseWriter, first bool) {
			if first {
				hijackClose(w)
			}
		}},
		{name: "502", handler: func(w http.ResponseWriter, first bool) {
			if first {
				w.WriteHeader(http.StatusBadGateway)
			}
		}},
	}
	for _, f := range faults {
		for _, ep := range []endpoint{sendMessage, updateTag} {
			t.Run(f.name+"/"+ep.name, func(t *testing.T) {
				t.Parallel()
				srv := &recordingServer{}
				hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					srv.mu.Lock()
					srv.requests++
					first := srv.requests == 1
					srv.mu.Unlock()
					if f.handler != nil {
						f.handler(w, first)
						if first {
							return
						}
					}
					_, _ = io.WriteString(w, `{"data":{}}`)
				}))
				t.Cleanup(hs.Close)
				var dials int
				var dialMu sync.Mutex
				dialer := &net.Dialer{}
				tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					dialMu.Lock()
					dials++
					n := dials
					dialMu.Unlock()
					if f.refuse && n == 1 {
						addr = refused
					}
					return dialer.DialContext(ctx, network, addr)
				}}
				t.Cleanup(tr.CloseIdleConnections)
				c, err := NewClient(testKey, testSecret, WithBaseURL(hs.URL), WithHTTPClient(&http.Client{Transport: tr}),
					WithWarningHandler(func(context.Context, string) {}), withBackoff(backoff{jitter: func(time.Duration) time.Duration { return 0 }}))
				require.NoError(t, err)

				err = ep.call(t.Context(), c)
				switch {
				case f.refuse:
					assert.NoError(t, err)
					assert.Equal(t, 1, srv.count(), "requests the server saw")
				case ep.idempotent:
					assert.NoError(t, err)
					assert.Equal(t, 2, srv.count(), "requests the server saw")
				default:
					assert.ErrorIs(t, err, ErrOutcomeUnknown)
					assert.ErrorContains(t, err, "the message may have been sent")
					assert.Equal(t, 1, srv.count(), "requests the server saw: the send was repeated")
				}
			})
		}
	}
}
