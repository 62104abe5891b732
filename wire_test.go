package sendbee

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Credentials of the wire tests' clients. They are test values, but the
// tests still check that they never leak into errors or logs.
const (
	testKey    = "test-key-7f3a9c"
	testSecret = "test-secret-b41d2e"
)

// wireRequest is one request as the wire tests' server received it.
type wireRequest struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// Body is the raw request body; JSON() parses it.
	Body []byte
}

// JSON parses the request body as a JSON object, failing the test if it is not one.
func (r wireRequest) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "request body is not a JSON object: %s", r.Body)
	return m
}

// wireServer is an httptest server that records every request and answers
// with a handler chosen by the test.
type wireServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []wireRequest
}

// Requests returns what the server has received so far.
func (s *wireServer) Requests() []wireRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]wireRequest(nil), s.requests...)
}

// Only returns the single request the server received, failing otherwise.
func (s *wireServer) Only(t *testing.T) wireRequest {
	t.Helper()
	reqs := s.Requests()
	require.Len(t, reqs, 1, "requests received")
	return reqs[0]
}

// newWireServer starts a recording server that answers with h, and a client
// pointed at it with retries off. Extra options are applied after those.
func newWireServer(t *testing.T, h http.HandlerFunc, opts ...Option) (*Client, *wireServer) {
	t.Helper()
	s := &wireServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.requests = append(s.requests, wireRequest{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body,
		})
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	all := append([]Option{WithBaseURL(s.URL), WithMaxRetries(0), WithWarningHandler(func(context.Context, string) {})}, opts...)
	c, err := NewClient(testKey, testSecret, all...)
	require.NoError(t, err)
	return c, s
}

// respondFile answers with status and the recorded body testdata/name.
func respondFile(t *testing.T, status int, name string) http.HandlerFunc {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return respond(status, string(body))
}

// respond answers with status and a JSON body.
func respond(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// respondInTurn answers the first request with the first handler, the
// second with the second, and so on; the last one answers the rest.
func respondInTurn(handlers ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	var n int
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := handlers[min(n, len(handlers)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}

// assertSigned checks the headers every API request must carry: the API
// key, a token for a second within a minute of now made with the test
// secret, and JSON accept/content types (Content-Type on every request,
// GETs included).
func assertSigned(t *testing.T, r wireRequest) {
	t.Helper()
	assert.Equal(t, testKey, r.Header.Get("X-Api-Key"), "X-Api-Key")
	assert.Equal(t, "application/json", r.Header.Get("Accept"), "Accept")
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "sendbee-go/"+Version+" (go"), "User-Agent %q", r.Header.Get("User-Agent"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "Content-Type")
	token := r.Header.Get("X-Auth-Token")
	plain, err := base64.StdEncoding.DecodeString(token)
	if !assert.NoError(t, err, "X-Auth-Token is not base64") {
		return
	}
	ts, _, ok := strings.Cut(string(plain), ".")
	unix, err := strconv.ParseInt(ts, 10, 64)
	if !assert.True(t, ok && err == nil, "X-Auth-Token is not <digits>.<hex>") {
		return
	}
	assert.InDelta(t, time.Now().Unix(), unix, 60, "X-Auth-Token timestamp")
	assert.True(t, token == GenerateToken(testSecret, time.Unix(unix, 0)), "X-Auth-Token is not signed with the client's secret")
}
