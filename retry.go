package sendbee

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// backoff is the wait before retry number n (0-based) when the server gave
// no Retry-After: exponential from base, capped at max, with jitter.
type backoff struct {
	base, max time.Duration
	// jitter picks the actual wait in [d/2, d]; nil uses math/rand/v2.
	jitter func(d time.Duration) time.Duration
}

var defaultBackoff = backoff{base: 500 * time.Millisecond, max: 8 * time.Second}

func (b backoff) wait(n int) time.Duration {
	d := b.max
	if n < 30 {
		if e := b.base << n; e > 0 && e < b.max {
			d = e
		}
	}
	if b.jitter != nil {
		return b.jitter(d)
	}
	return d/2 + rand.N(d/2+1)
}

// verdict is what the retry policy makes of one attempt.
type verdict struct {
	err   error         // the error to return if no retry follows; nil on success
	retry bool          // whether another attempt may be made
	wait  time.Duration // the server's Retry-After, if it sent one
}

// do sends cl, retrying as the policy allows, and returns the 2xx answer or
// the final error.
func (c *Client) do(ctx context.Context, cl call) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("sendbee: nil context")
	}
	target, body, err := c.encode(cl)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		if c.cfg.limiter != nil {
			if err := c.cfg.limiter.Wait(ctx); err != nil {
				return nil, fmt.Errorf("sendbee: %s %s: rate limiter: %w", cl.method, cl.path, err)
			}
		}
		start := time.Now()
		resp, err := c.attempt(ctx, cl, target, body)
		v := c.judge(ctx, cl, resp, err)
		if v.err == nil {
			c.logAttempt(ctx, cl, attempt, resp, nil, time.Since(start), 0)
			return resp, nil
		}
		wait := v.wait
		if wait == 0 {
			wait = c.cfg.backoff.wait(attempt - 1)
		}
		if !v.retry || attempt > c.cfg.maxRetries || !c.canWait(ctx, wait) {
			c.logAttempt(ctx, cl, attempt, resp, v.err, time.Since(start), 0)
			return resp, v.err
		}
		c.logAttempt(ctx, cl, attempt, resp, v.err, time.Since(start), wait)
		if err := sleep(ctx, wait); err != nil {
			return resp, fmt.Errorf("sendbee: %s %s: gave up waiting to retry: %w; last error: %w", cl.method, cl.path, err, v.err)
		}
	}
}

// canWait reports whether a wait fits under the configured cap and before
// the context's deadline.
func (c *Client) canWait(ctx context.Context, wait time.Duration) bool {
	if wait > c.cfg.maxRetryWait {
		return false
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return false
	}
	return true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// judge applies the retry policy to one attempt. Any call is retried after a
// 429 or a failure to connect, since the server did not act. Only idempotent
// calls are retried after a 5xx, a 408, a timeout or a broken connection;
// for the others the outcome is unknown and the error says so.
func (c *Client) judge(ctx context.Context, cl call, resp *Response, err error) verdict {
	if err != nil {
		return c.judgeTransport(ctx, cl, err)
	}
	if resp.StatusCode < 400 {
		return verdict{}
	}
	apiErr := newAPIError(cl.method, cl.path, resp, c.cfg.now())
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return verdict{err: apiErr, retry: true, wait: apiErr.RetryAfter}
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
		if !cl.idempotent {
			apiErr.effect = cl.effect
			return verdict{err: apiErr}
		}
		return verdict{err: apiErr, retry: true, wait: apiErr.RetryAfter}
	}
	return verdict{err: apiErr}
}

func (c *Client) judgeTransport(ctx context.Context, cl call, err error) verdict {
	wrapped := fmt.Errorf("sendbee: %s %s: %w", cl.method, cl.path, err)
	switch {
	case errors.Is(err, errBodyTooLarge) && cl.idempotent:
		return verdict{err: wrapped}
	case ctx.Err() != nil && cl.idempotent:
		return verdict{err: wrapped}
	case isConnectError(err):
		return verdict{err: wrapped, retry: ctx.Err() == nil}
	case !cl.idempotent:
		return verdict{err: &outcomeUnknownError{call: cl, err: err}}
	}
	return verdict{err: wrapped, retry: true}
}

// isConnectError reports a failure to open a connection: the request never
// reached the server.
func isConnectError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// outcomeUnknownError is the error of a call that is not safe to repeat and
// failed after the request may have reached the server.
type outcomeUnknownError struct {
	call call
	err  error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("sendbee: %s %s: outcome unknown, %s; check before repeating it: %v", e.call.method, e.call.path, e.call.effect, e.err)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }
