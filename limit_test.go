package sendbee

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lyingLength is a Content-Length of 2^61 bytes, which no answer holds.
const lyingLength = "2305843009213693952"

// TestMaxResponseSizeWithoutLimit: WithMaxResponseSize(math.MaxInt64), a
// plausible "no limit", reads answers as any other limit does, with and
// without the debug dump.
func TestMaxResponseSizeWithoutLimit(t *testing.T) {
	t.Parallel()
	for _, debug := range []bool{false, true} {
		opts := []Option{WithMaxResponseSize(math.MaxInt64)}
		var dump bytes.Buffer
		if debug {
			opts = append(opts, WithDebug(&dump))
		}
		c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[{"id":"t1","name":"vip"}]}`), opts...)
		assert.NotPanics(t, func() {
			page, err := c.Tags.List(t.Context(), nil)
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, "vip", page.Items[0].Name)
		}, "debug %v", debug)
		if debug {
			assert.Contains(t, dump.String(), `"name":"vip"`)
		}
	}
}

// TestReadLimitedLyingContentLength: a Content-Length of 2^61 sizes no
// allocation. Under a limit it exceeds, nothing is read; under no limit,
// the first buffer is at most 1 MiB and grows only as bytes arrive.
func TestReadLimitedLyingContentLength(t *testing.T) {
	t.Parallel()
	const body = `{"data":[]}`
	var got []byte
	var err error
	require.NotPanics(t, func() { got, err = readLimited(strings.NewReader(body), 1<<61, math.MaxInt64) })
	require.NoError(t, err)
	assert.Equal(t, body, string(got))
	assert.LessOrEqual(t, cap(got), 1<<20+1, "buffer capacity: at most 1 MiB before bytes arrive")

	long := strings.Repeat("x", 3<<20)
	got, err = readLimited(strings.NewReader(long), 1<<61, math.MaxInt64)
	require.NoError(t, err)
	assert.Equal(t, len(long), len(got))
	assert.LessOrEqual(t, cap(got), 2*len(long), "buffer capacity: grown with the bytes, not with the announced length")

	got, err = readLimited(unreadable{t}, 1<<61, DefaultMaxResponseSize)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Nil(t, got)
}

// unreadable is a body that fails the test if it is read.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("a body announced over the limit was read")
	return 0, io.EOF
}

// stallingAPI is the far end of an in-memory connection (a net.Pipe, so it
// runs in a synctest bubble) playing an API that reads one request, writes
// head and then body (a head with, say, a huge Content-Length, and the
// start of a body), and then sends nothing more: it only waits for the
// client to close the connection, and then closes closed.
func stallingAPI(t *testing.T, head, body string) (dial func(context.Context, string, string) (net.Conn, error), closed <-chan struct{}) {
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer server.Close()
		req, err := http.ReadRequest(bufio.NewReader(server))
		if err != nil {
			t.Errorf("reading the request: %v", err)
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		_, _ = io.WriteString(server, head+"\r\n"+body)
		_, _ = io.Copy(io.Discard, server) // until the client closes
	}()
	dialed := false
	return func(context.Context, string, string) (net.Conn, error) {
		if dialed {
			return nil, errors.New("one connection only")
		}
		dialed = true
		return client, nil
	}, done
}

// TestOversizedAnswerAbandonedAtOnce: an answer known to be over the limit,
// by its Content-Length or once more bytes than the limit have arrived, is
// abandoned at once: the call returns and the connection is closed without
// waiting for the rest, though the server sends nothing more and neither
// the per-attempt timeout (an hour) nor the context (none) would end the
// wait. Time is fake (synctest) and never advances before the call is
// over: it returns as soon as every goroutine is idle, and the server sees
// the connection close then (or, from Go 1.27, at most after net/http's own
// brief attempt to drain a short remainder).
func TestOversizedAnswerAbandonedAtOnce(t *testing.T) {
	t.Parallel()
	const json = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	cases := []struct {
		name       string
		head, body string
		opts       []Option
		call       endpoint
		status     int // the error's *APIError status, if it has one
		unknown    bool
	}{
		{name: "200 with a huge Content-Length", head: json + "Content-Length: " + lyingLength + "\r\n", body: `{"data":[`, call: listContacts},
		{name: "500 with a huge Content-Length", head: "HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + lyingLength + "\r\n", body: "<html>", call: listContacts, status: 500},
		{name: "chunked, past the limit", head: json + "Transfer-Encoding: chunked\r\n", body: "40\r\n" + strings.Repeat(" ", 64) + "\r\n", opts: []Option{WithMaxResponseSize(16)}, call: listContacts},
		{name: "huge Content-Length, debug dump on", head: json + "Content-Length: " + lyingLength + "\r\n", body: `{"data":[`, opts: []Option{WithDebug(io.Discard)}, call: listContacts},
		{name: "chunked, past the limit, debug dump on", head: json + "Transfer-Encoding: chunked\r\n", body: "40\r\n" + strings.Repeat(" ", 64) + "\r\n", opts: []Option{WithMaxResponseSize(16), WithDebug(io.Discard)}, call: listContacts},
		{name: "a send's answer with a huge Content-Length", head: json + "Content-Length: " + lyingLength + "\r\n", body: `{"data":{`, call: sendMessage, unknown: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				dial, closed := stallingAPI(t, tc.head, tc.body)
				hc := &http.Client{Transport: &http.Transport{DialContext: dial}}
				opts := append([]Option{WithBaseURL("http://api.test"), WithHTTPClient(hc), WithTimeout(time.Hour), WithMaxRetries(0)}, tc.opts...)
				c, err := NewClient(testKey, testSecret, opts...)
				require.NoError(t, err)

				start := time.Now()
				result := make(chan error, 1)
				go func() { result <- tc.call.call(context.Background(), c) }()
				synctest.Wait()
				select {
				case err := <-result:
					if tc.status != 0 {
						var apiErr *APIError
						require.ErrorAs(t, err, &apiErr)
						assert.Equal(t, tc.status, apiErr.StatusCode)
						assert.Empty(t, apiErr.Response.Body)
					} else {
						assert.ErrorIs(t, err, ErrResponseTooLarge)
					}
					assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown), "matches ErrOutcomeUnknown: %v", err)
				default:
					t.Error("the call still waits on an answer that cannot fit")
					<-result // until the per-attempt timeout, in fake time
				}
				select {
				case <-closed:
				default:
					// From Go 1.27, net/http may spend up to 50 ms, in the
					// background, trying to drain a short remainder before it
					// closes the connection; it never waits for a timeout.
					<-closed
					assert.Less(t, time.Since(start), time.Second, "the connection stayed open until a timeout")
				}
			})
		})
	}
}

// TestLyingContentLengthWithoutLimit: with no practical limit, an answer
// announcing 2^61 bytes that ends after a few is an error for the body cut
// short, not a crash or an allocation of the announced size.
func TestLyingContentLengthWithoutLimit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			req, err := http.ReadRequest(bufio.NewReader(server))
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, req.Body)
			_, _ = io.WriteString(server, "HTTP/1.1 200 OK\r\nContent-Length: "+lyingLength+"\r\n\r\n"+`{"data":[]}`)
		}()
		hc := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) { return client, nil }}}
		c, err := NewClient(testKey, testSecret, WithBaseURL("http://api.test"), WithHTTPClient(hc), WithMaxResponseSize(math.MaxInt64), WithMaxRetries(0))
		require.NoError(t, err)
		assert.NotPanics(t, func() {
			_, err = c.Contacts.List(context.Background(), nil)
		})
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	})
}

// FuzzReadLimited: whatever the Content-Length announces and whatever the
// limit, readLimited never panics, returns the body whole when it fits,
// refuses it when either the announced or the real length is over the
// limit, and sizes its buffer by the bytes read (or 1 MiB at most before
// any arrive), not by the announced length.
func FuzzReadLimited(f *testing.F) {
	f.Add([]byte(`{"data":[]}`), int64(11), int64(10<<20))
	f.Add([]byte(`{"data":[]}`), int64(1)<<61, int64(math.MaxInt64))
	f.Add([]byte(`{}`), int64(math.MaxInt64), int64(math.MaxInt64))
	f.Add([]byte(`{}`), int64(-1), int64(1))
	f.Add([]byte(`{}`), int64(-7), int64(2))
	f.Add([]byte(`hello`), int64(2), int64(3))
	f.Fuzz(func(t *testing.T, body []byte, contentLength, limit int64) {
		if limit <= 0 {
			t.Skip("WithMaxResponseSize refuses a limit that is not positive")
		}
		got, err := readLimited(bytes.NewReader(body), contentLength, limit)
		if contentLength > limit || int64(len(body)) > limit {
			if !errors.Is(err, ErrResponseTooLarge) || got != nil {
				t.Fatalf("%d bytes announced as %d under a limit of %d: got %d bytes, error %v", len(body), contentLength, limit, len(got), err)
			}
			return
		}
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("%d bytes announced as %d under a limit of %d: got %d bytes, error %v", len(body), contentLength, limit, len(got), err)
		}
		if c := cap(got); c > 1<<20+1 && c > 4*len(body)+1024 {
			t.Fatalf("a buffer of %d bytes for %d bytes announced as %d", c, len(body), contentLength)
		}
	})
}
