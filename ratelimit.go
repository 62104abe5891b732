package sendbee

import (
	"context"
	"net/http"
)

// RateLimitStatus is the body of the rate-limit test endpoints. Over the
// limit the same fields arrive on a 429 and become the *APIError's Detail
// and Type instead. Detail and
// Type sent as a number or boolean are its JSON text, as an object or array
// ""; Error follows Bool (see Page).
type RateLimitStatus struct {
	// Error is true when the body reports an error.
	Error Bool `json:"error"`
	// Detail is the server's message.
	Detail string `json:"detail"`
	// Type is the server's kind of message, an opaque string.
	Type string `json:"type"`
	// Response is the HTTP answer of the probe that returned this status.
	Response *Response `json:"-"`
}

// RateLimitRequestTest calls GET /rate-limit/request-test, which counts
// against the rate limit like any request; call it repeatedly to see a 429:
// the error then matches ErrRateLimited and its *APIError carries
// RetryAfter. It is retried like any read unless retries are off
// (WithMaxRetries(0)), which is how to observe the 429 yourself. The body of
// these probes is not documented: an answer without one gives an empty
// *RateLimitStatus and no error.
func (c *Client) RateLimitRequestTest(ctx context.Context) (*RateLimitStatus, error) {
	return one[RateLimitStatus](ctx, c, call{method: http.MethodGet, path: "/rate-limit/request-test", idempotent: true, emptyOK: true})
}

// RateLimitErrorTest calls GET /rate-limit/error-test, the API's probe for
// its rate-limit error (whether it always answers 429 is not documented). A 429 gives an error matching ErrRateLimited whose
// *APIError carries RetryAfter, Detail and Type. With retries on, the client
// first waits and retries as for any 429; use WithMaxRetries(0) to see the
// first 429 at once.
func (c *Client) RateLimitErrorTest(ctx context.Context) (*RateLimitStatus, error) {
	return one[RateLimitStatus](ctx, c, call{method: http.MethodGet, path: "/rate-limit/error-test", idempotent: true, emptyOK: true})
}
