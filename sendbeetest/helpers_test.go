package sendbeetest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// newServer starts a fake server closed at the end of the test, and a
// client for it with retries off and warnings dropped; extra client options
// come after those.
func newServer(t *testing.T, serverOpts []sendbeetest.Option, clientOpts ...sendbee.Option) (*sendbeetest.Server, *sendbee.Client) {
	t.Helper()
	srv := sendbeetest.NewServer(serverOpts...)
	t.Cleanup(srv.Close)
	opts := append([]sendbee.Option{sendbee.WithMaxRetries(0), sendbee.WithWarningHandler(func(context.Context, string) {})}, clientOpts...)
	client, err := srv.Client(opts...)
	require.NoError(t, err)
	return srv, client
}

// manualClock is a clock a test moves by hand.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func newManualClock(start time.Time) *manualClock { return &manualClock{now: start} }

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// rawResponse is an answer to a request built by hand.
type rawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// signed returns headers with the server's key and a token for signedAt.
func signed(srv *sendbeetest.Server, signedAt time.Time) http.Header {
	h := http.Header{}
	h.Set("X-Api-Key", srv.APIKey())
	h.Set("X-Auth-Token", sendbee.GenerateToken(srv.APISecret(), signedAt))
	h.Set("Content-Type", "application/json")
	return h
}

// do sends a request built by hand to srv, with exactly the headers given.
func do(t *testing.T, srv *sendbeetest.Server, method, target, body string, header http.Header) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+target, strings.NewReader(body))
	require.NoError(t, err)
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// errorBody is the nested error envelope.
type errorBody struct {
	Error struct {
		Detail string `json:"detail"`
		Type   string `json:"type"`
	} `json:"error"`
}

// nestedError parses a nested error envelope, failing the test otherwise.
func nestedError(t *testing.T, r rawResponse) errorBody {
	t.Helper()
	var e errorBody
	require.NoError(t, json.Unmarshal(r.Body, &e), "answer is not JSON: %s", r.Body)
	require.NotEmpty(t, e.Error.Type, "no nested error in %s", r.Body)
	return e
}
