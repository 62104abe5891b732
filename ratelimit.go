package sendbee

import (
	"context"
	"net/http"
)

// RateLimitStatus is the body of the rate-limit test endpoints.
type RateLimitStatus struct {
	Error  Bool   `json:"error"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
}

// RateLimitRequestTest calls GET /rate-limit/request-test, which counts
// against the rate limit like any request; call it repeatedly to see a 429:
// the error then matches ErrRateLimited and its *APIError carries
// RetryAfter. It is retried like any read unless retries are off
// (WithMaxRetries(0)), which is how to observe the 429 yourself.
func (c *Client) RateLimitRequestTest(ctx context.Context) (*RateLimitStatus, error) {
	return one[RateLimitStatus](ctx, c, call{method: http.MethodGet, path: "/rate-limit/request-test", idempotent: true})
}

// RateLimitErrorTest calls GET /rate-limit/error-test, which answers with
// the API's rate-limit error: a 429 matching ErrRateLimited with
// RetryAfter set. With retries on, the client first waits and retries as
// for any 429.
func (c *Client) RateLimitErrorTest(ctx context.Context) (*RateLimitStatus, error) {
	return one[RateLimitStatus](ctx, c, call{method: http.MethodGet, path: "/rate-limit/error-test", idempotent: true})
}
