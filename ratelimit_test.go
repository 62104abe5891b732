package sendbee

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withHeaders sets response headers before h answers.
func withHeaders(h http.HandlerFunc, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		h(w, r)
	}
}

// rateLimitProbe is one of the client's two rate-limit probes.
type rateLimitProbe struct {
	name string
	path string
	call func(c *Client, ctx context.Context) (*RateLimitStatus, error)
}

// rateLimitProbes returns the client's two probes and their paths.
func rateLimitProbes() []rateLimitProbe {
	return []rateLimitProbe{
		{name: "RateLimitRequestTest", path: "/rate-limit/request-test", call: (*Client).RateLimitRequestTest},
		{name: "RateLimitErrorTest", path: "/rate-limit/error-test", call: (*Client).RateLimitErrorTest},
	}
}

func TestRateLimitProbesWire(t *testing.T) {
	t.Parallel()
	for _, probe := range rateLimitProbes() {
		t.Run(probe.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, withHeaders(respondFile(t, http.StatusOK, "rate_limit_ok.json"),
				"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59", "X-RateLimit-Reset", "1700000060"))

			status, err := probe.call(c, context.Background())
			require.NoError(t, err)

			assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: probe.path})
			assert.Equal(t, &RateLimitStatus{
				Error: false, Detail: "Request counted against the rate limit.", Type: "rate_limit_request_test",
			}, withoutResponse(status))
			assert.Equal(t, RateLimit{Limit: 60, Remaining: 59, Reset: 1700000060}, c.RateLimit())
		})
	}
}

func TestRateLimitProbes429(t *testing.T) {
	t.Parallel()
	for _, probe := range rateLimitProbes() {
		t.Run(probe.name, func(t *testing.T) {
			t.Parallel()
			// newWireServer turns retries off (WithMaxRetries(0)); say so
			// here too, since this test depends on it.
			c, srv := newWireServer(t, withHeaders(respondFile(t, http.StatusTooManyRequests, "rate_limit_429.json"),
				"Retry-After", "30", "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0"), WithMaxRetries(0))

			status, err := probe.call(c, context.Background())

			assert.Nil(t, status)
			require.ErrorIs(t, err, ErrRateLimited)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
			assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
			assert.Equal(t, "Too many requests. Try again in 30 seconds.", apiErr.Detail, "detail from the flat error body")
			assert.Equal(t, "rate_limit_exceeded", apiErr.Type, "type from the flat error body")
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, probe.path, apiErr.Path)
			require.NotNil(t, apiErr.Response)
			assert.Equal(t, "30", apiErr.Response.Header.Get("Retry-After"))
			assert.Equal(t, RateLimit{Limit: 60, Remaining: 0, RetryAfter: 30 * time.Second}, c.RateLimit())
			assert.Len(t, srv.Requests(), 1, "no retry with WithMaxRetries(0)")
			assert.False(t, strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), testSecret),
				"the error string carries no credential")
		})
	}
}

// TestRateLimitPythonReadmeUsage is the Python README's "API Rate Limit"
// example in Go:
//
//	try:
//	    api.rate_limit_request_test()
//	except SendbeeRequestApiException as ex:
//	    retry_after = ex.response.headers.get('Retry-After')
//
// The server accepts three requests, then answers 429 with Retry-After.
func TestRateLimitPythonReadmeUsage(t *testing.T) {
	t.Parallel()
	const allowed = 3
	var served atomic.Int32
	ok := respondFile(t, http.StatusOK, "rate_limit_ok.json")
	limited := withHeaders(respondFile(t, http.StatusTooManyRequests, "rate_limit_429.json"), "Retry-After", "30")
	client, srv := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := int(served.Add(1))
		if n > allowed {
			limited(w, r)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(allowed-n))
		ok(w, r)
	})
	ctx := context.Background()

	var retryAfter string
	var wait time.Duration
	for range 10 {
		_, err := client.RateLimitRequestTest(ctx)
		var apiErr *APIError
		if errors.As(err, &apiErr) && errors.Is(err, ErrRateLimited) {
			retryAfter = apiErr.Response.Header.Get("Retry-After")
			wait = apiErr.RetryAfter
			break
		}
		require.NoError(t, err)
	}

	assert.Equal(t, "30", retryAfter)
	assert.Equal(t, 30*time.Second, wait)
	assert.Len(t, srv.Requests(), allowed+1, "the loop stops at the first 429")
}
