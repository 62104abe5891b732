package sendbee

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file do not run in parallel, to keep the CPU free: see
// stdlibWriteWait. The client's default transport is its own (checked in
// newConnCountingClient), so httptest.Server.Close in other tests, which
// closes the idle connections of http.DefaultTransport, cannot touch its
// connection.

// reuseAnswer is one kind of answer in the connection-reuse tests.
type reuseAnswer struct {
	name   string
	status int
	body   string
	flush  bool // flush before the body: no Content-Length, chunked
	send   bool // answer a Messages.Send instead of a Contacts.List
}

// newConnCountingClient starts a server that gives the answers in turn,
// counting the TCP connections it accepts (ConnState StateNew), and a client
// with its default transport and no retries pointed at it.
func newConnCountingClient(t *testing.T, answers []reuseAnswer, opts ...Option) (*Client, *atomic.Int64) {
	t.Helper()
	var next atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		a := answers[int(next.Add(1)-1)%len(answers)]
		w.Header().Set("Content-Type", "application/json")
		if a.status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(a.status)
		if a.flush {
			w.(http.Flusher).Flush()
		}
		_, _ = io.WriteString(w, a.body)
	}))
	conns := new(atomic.Int64)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	all := append([]Option{WithBaseURL(srv.URL), WithMaxRetries(0), WithWarningHandler(func(context.Context, string) {})}, opts...)
	c, err := NewClient(testKey, testSecret, all...)
	require.NoError(t, err)
	sig, ok := c.httpClient.Transport.(*signingTransport)
	require.True(t, ok, "the client's transport is not the signing transport")
	require.NotSame(t, http.DefaultTransport, sig.base, "the default client shares http.DefaultTransport")
	return c, conns
}

// stdlibWriteWait is net/http's maxWriteWaitBeforeConnReuse: the transport
// keeps a connection only if the request's write was confirmed within 50 ms
// of reading the answer, and reading that answer's end blocks meanwhile. On
// a starved CPU this can drop a connection that was drained. Such a drop is
// recognised by the slow call before it and tolerated, a few times at most;
// any other new connection means an answer was not drained.
const stdlibWriteWait = 50 * time.Millisecond

// assertOneConn makes n sequential calls with call(i) and checks that they
// shared one TCP connection.
func assertOneConn(t *testing.T, n int, conns *atomic.Int64, name func(i int) string, call func(i int)) {
	t.Helper()
	var prev time.Duration
	var recycled []int
	for i := range n {
		before := conns.Load()
		start := time.Now()
		call(i)
		took := time.Since(start)
		if i > 0 && conns.Load() != before {
			require.GreaterOrEqual(t, prev, stdlibWriteWait,
				"call %d (%s) opened a new connection: call %d (%s) did not leave its connection reusable", i, name(i), i-1, name(i-1))
			recycled = append(recycled, i)
		}
		prev = took
	}
	if len(recycled) > 0 {
		t.Logf("net/http dropped the connection after a write-confirmation stall before calls %v", recycled)
	}
	assert.LessOrEqual(t, len(recycled), 3, "too many write-confirmation stalls to trust the count")
	assert.Equal(t, int64(1+len(recycled)), conns.Load(), "TCP connections opened for %d sequential calls", n)
}

// TestConnReuse makes 1000 sequential calls and checks that they all share
// one TCP connection, whatever the answers: bodies with trailing whitespace
// after the JSON, chunked and large bodies, and error answers (4xx with
// JSON, 5xx with HTML, 429), which the client must read to the end and close.
// It does not run in parallel: its connection count must not share the
// machine with other tests' servers opening and closing connections.
func TestConnReuse(t *testing.T) {
	padding := strings.Repeat(" \n", 4<<10) // 8 KiB, more than one read buffer
	answers := []reuseAnswer{
		{name: "list", status: 200, body: `{"data":[],"meta":{"current_page":1,"last_page":1}}`},
		{name: "list, trailing newline", status: 200, body: `{"data":[]}` + "\n"},
		{name: "list, 8 KiB trailing whitespace", status: 200, body: `{"data":[]}` + padding},
		{name: "list, chunked", status: 200, body: `{"data":[{"id":"a"}]}` + "\r\n", flush: true},
		{name: "list, chunked and large", status: 200, body: `{"data":[]}` + padding, flush: true},
		{name: "404 JSON", status: 404, body: `{"error":{"detail":"Endpoint not found","type":"not_found"}}` + "\n\n"},
		{name: "422 trailing bytes", status: 422, body: `{"error":true,"detail":"bad phone","type":"validation"}` + padding},
		{name: "429", status: 429, body: `{"error":true,"detail":"Too many requests"}`},
		{name: "500 HTML", status: 500, body: "<html>" + strings.Repeat("oops ", 20000) + "</html>"},
		{name: "503 chunked HTML", status: 503, body: "<html>" + strings.Repeat("busy ", 20000) + "</html>", flush: true},
		{name: "send", status: 200, body: `{"data":{"id":"c1","message_id":"m1"}}` + "\n", send: true},
		{name: "send 502", status: 502, body: "<html>bad gateway</html>", send: true},
	}
	c, conns := newConnCountingClient(t, answers)
	name := func(i int) string { return answers[i%len(answers)].name }
	assertOneConn(t, 1000, conns, name, func(i int) {
		a := answers[i%len(answers)]
		var err error
		if a.send {
			_, err = c.Messages.Send(t.Context(), SendMessageParams{Phone: "+385991234567", Text: "hello"})
		} else {
			_, err = c.Contacts.List(t.Context(), nil)
		}
		if a.status < 400 {
			require.NoError(t, err, "call %d (%s)", i, a.name)
			return
		}
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "call %d (%s): %v", i, a.name, err)
		require.Equal(t, a.status, apiErr.StatusCode, "call %d (%s)", i, a.name)
		require.Len(t, apiErr.Response.Body, len(a.body), "call %d (%s): error body not read whole", i, a.name)
	})
}

// TestOversizedBodyClosesConnection: an answer over the size limit,
// without a Content-Length, fails the call (a 2xx with ErrResponseTooLarge,
// an error status with its *APIError) and is abandoned: its connection is
// closed rather than drained, so the next call opens a new one, while an
// answer read to its end leaves its connection for the next call. The
// oversized answers are longer than the 256 KiB that net/http (from Go
// 1.27) may itself try to drain after a body is closed early.
func TestOversizedBodyClosesConnection(t *testing.T) {
	answers := []reuseAnswer{
		{name: "200 over the limit", status: 200, body: `{"data":[]}` + strings.Repeat(" ", 300<<10), flush: true},
		{name: "200", status: 200, body: `{"data":[]}`},
		{name: "500 over the limit", status: 500, body: "<html>" + strings.Repeat("oops ", 60<<10) + "</html>", flush: true},
		{name: "200", status: 200, body: `{"data":[]}`},
	}
	over := func(i int) bool { return i%2 == 0 } // answers 0 and 2 are over the limit
	c, conns := newConnCountingClient(t, answers, WithMaxResponseSize(1024))
	var prev time.Duration
	var stalls int
	for i := range 60 {
		before := conns.Load()
		start := time.Now()
		_, err := c.Contacts.List(t.Context(), nil)
		took := time.Since(start)
		switch i % len(answers) {
		case 1, 3:
			require.NoError(t, err, "call %d", i)
		case 2: // an error answer is judged by its status, its body left out
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "call %d", i)
			require.Equal(t, 500, apiErr.StatusCode, "call %d", i)
			require.Empty(t, apiErr.Response.Body, "call %d", i)
		default:
			require.ErrorIs(t, err, ErrResponseTooLarge, "call %d", i)
		}
		opened := conns.Load() - before
		switch {
		case i == 0:
		case over(i - 1):
			require.Equal(t, int64(1), opened, "call %d: the oversized answer before it left its connection open", i)
		case opened != 0:
			// net/http may drop a drained connection after a stall; see stdlibWriteWait.
			require.GreaterOrEqual(t, prev, stdlibWriteWait, "call %d opened a connection after an answer read to its end", i)
			stalls++
		}
		prev = took
	}
	assert.LessOrEqual(t, stalls, 3, "too many write-confirmation stalls to trust the count")
}
