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

// reuseAnswer is one kind of answer in the connection-reuse test.
type reuseAnswer struct {
	name   string
	status int
	body   string
	flush  bool // flush before the body: no Content-Length, chunked
	send   bool // answer a Messages.Send instead of a Contacts.List
}

// TestConnReuse makes 1000 sequential calls and checks that they all share
// one TCP connection (counted with the server's ConnState hook), whatever
// the answers: bodies with trailing whitespace after the JSON, chunked and
// large bodies, and error answers (4xx with JSON, 5xx with HTML, 429), which
// the client must read to the end and close.
//
// The client's default transport is its own (checked below), so
// httptest.Server.Close in other tests, which closes the idle connections of
// http.DefaultTransport, cannot touch its connection. The test still does
// not run in parallel, to keep the CPU free: see stdlibWriteWait.
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
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}

	}
	srv.Start()
	t.Cleanup(srv.Close)

	c, err := NewClient(testKey, testSecret, WithBaseURL(srv.URL), WithMaxRetries(0),
		WithWarningHandler(func(context.Context, string) {}))
	require.NoError(t, err)
	sig, ok := c.httpClient.Transport.(*signingTransport)
	require.True(t, ok, "the client's transport is not the signing transport")
	require.NotSame(t, http.DefaultTransport, sig.base, "the default client shares http.DefaultTransport")

	// net/http keeps a connection only if the request's write was confirmed
	// within 50 ms of reading the answer (maxWriteWaitBeforeConnReuse);
	// reading that answer's end then blocks for those 50 ms. On a starved
	// CPU this can drop a connection we drained. Such a drop is recognised
	// by the slow call before it and tolerated, a few times at most; any
	// other new connection means an answer was not drained.
	const stdlibWriteWait = 50 * time.Millisecond
	var prev time.Duration
	var recycled []int
	for i := range 1000 {
		a := answers[i%len(answers)]
		before := conns.Load()
		start := time.Now()
		var err error
		if a.send {
			_, err = c.Messages.Send(t.Context(), SendMessageParams{Phone: "+385991234567", Text: "hello"})
		} else {
			_, err = c.Contacts.List(t.Context(), nil)
		}
		took := time.Since(start)
		if i > 0 && conns.Load() != before {
			require.GreaterOrEqual(t, prev, stdlibWriteWait, "call %d (%s) opened a new connection: call %d (%s) did not leave its connection reusable",
				i, a.name, i-1, answers[(i-1)%len(answers)].name)
			recycled = append(recycled, i)
		}
		prev = took
		if a.status < 400 {
			require.NoError(t, err, "call %d (%s)", i, a.name)
			continue
		}
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "call %d (%s): %v", i, a.name, err)
		require.Equal(t, a.status, apiErr.StatusCode, "call %d (%s)", i, a.name)
		require.Len(t, apiErr.Response.Body, len(a.body), "call %d (%s): error body not read whole", i, a.name)
	}
	assert.Equal(t, int64(1000), next.Load(), "requests the server answered")
	if len(recycled) > 0 {
		t.Logf("net/http recycled the connection after a write-confirmation stall before calls %v", recycled)
	}
	assert.LessOrEqual(t, len(recycled), 3, "too many write-confirmation stalls to trust the count")
	assert.Equal(t, int64(1+len(recycled)), conns.Load(), "TCP connections opened for 1000 sequential calls")
}
