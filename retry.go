package sendbee

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"
)

// The retry policy, decided per endpoint (call.idempotent), not per HTTP
// method:
//
//   - any call is retried after a 429 or a failure to connect: the server
//     did not act on the request;
//   - only idempotent calls are retried after a 5xx, a 408, a per-attempt
//     timeout or a dropped or reset connection;
//   - a call that is not idempotent (sending a message or template,
//     subscribing a contact, creating a tag or field, updating a contact
//     with notes) is never repeated once the request may have reached the
//     server; its error matches ErrOutcomeUnknown and says what may have
//     happened.
//
// Waits grow exponentially with jitter (backoff) unless the server sent
// Retry-After, which wins. A wait the caller's deadline or WithMaxRetryWait
// does not leave room for is not started: the last error returns at once.

// backoff is the wait before retry number n (0-based) when the server gave
// no Retry-After: exponential from base, capped at max, with jitter.
type backoff struct {
	base, max time.Duration
	// jitter picks the actual wait in [d/2, d]; nil uses math/rand/v2.
	// Tests set it to make waits exact.
	jitter func(d time.Duration) time.Duration
}

// Backoff bounds: waits of about 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s, …
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 8 * time.Second
)

// defaultBackoff is the client's backoff unless a test replaces it.
func defaultBackoff() backoff {
	return backoff{base: backoffBase, max: backoffMax}
}

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
// the final error. Each attempt waits on the rate limiter, is signed afresh
// by the signing transport and is bounded by the per-attempt timeout; ctx
// bounds the whole call.
func (c *Client) do(ctx context.Context, cl call) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("sendbee: nil context")
	}
	ctx = withSentTokens(ctx)
	if cl.idempotent {
		ctx = markIdempotent(ctx) // for the redirect rule; the same for every attempt
	}
	target, body, err := c.encode(cl)
	if err != nil {
		return nil, err
	}
	var last error // the previous attempt's error, reported if a later step gives up
	for attempt := 1; ; attempt++ {
		if err := c.ready(ctx, cl, last); err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := c.attempt(ctx, cl, target, body)
		v := c.judge(ctx, cl, resp, err)
		if v.err == nil {
			c.logAttempt(ctx, cl, attempt, resp, nil, time.Since(start), 0)
			return resp, nil
		}
		wait := c.retryWait(v, attempt)
		if !v.retry || attempt > c.cfg.maxRetries || !c.canWait(ctx, wait) {
			c.logAttempt(ctx, cl, attempt, resp, v.err, time.Since(start), 0)
			return resp, v.err
		}
		c.logAttempt(ctx, cl, attempt, resp, v.err, time.Since(start), wait)
		if err := sleep(ctx, wait); err != nil {
			return resp, fmt.Errorf("sendbee: %s %s: gave up waiting to retry: %w; last error: %w", cl.method, cl.path, err, quoteLast(cl, v.err))
		}
		last = v.err
	}
}

// ready is checked before every attempt: the rate limiter must let it go,
// and the context must still be live before and after the wait (so a call
// that is not safe to repeat is never sent with a dead context and then
// reported as outcome unknown; a limiter may return nil just as ctx ends).
// last is the previous attempt's error, nil before the first.
func (c *Client) ready(ctx context.Context, cl call, last error) error {
	err := ctx.Err()
	if err == nil && c.cfg.limiter != nil {
		if err = c.cfg.limiter.Wait(ctx); err != nil {
			err = fmt.Errorf("rate limiter: %w", err)
		} else {
			err = ctx.Err()
		}
	}
	switch {
	case err == nil:
		return nil
	case last != nil:
		return fmt.Errorf("sendbee: %s %s: %w; last error: %w", cl.method, cl.path, err, quoteLast(cl, last))
	}
	return fmt.Errorf("sendbee: %s %s: %w", cl.method, cl.path, err)
}

// retryWait is the wait before the retry that follows attempt (1-based):
// the server's Retry-After when it sent one, else the backoff, which never
// exceeds WithMaxRetryWait (only the server can ask for more, and then no
// retry is made).
func (c *Client) retryWait(v verdict, attempt int) time.Duration {
	if v.wait > 0 {
		return v.wait
	}
	return min(c.cfg.backoff.wait(attempt-1), c.cfg.maxRetryWait)
}

// canWait reports whether a wait fits under the configured cap and ends
// before the context's deadline, leaving time for the next attempt.
func (c *Client) canWait(ctx context.Context, wait time.Duration) bool {
	if wait > c.cfg.maxRetryWait {
		return false
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
		return false
	}
	return true
}

// sleep waits for d or until ctx ends, whichever is first.
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

// judge applies the retry policy to one attempt's answer (resp) or failure
// (err).
func (c *Client) judge(ctx context.Context, cl call, resp *Response, err error) verdict {
	if err != nil {
		return c.judgeTransport(ctx, cl, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return verdict{}
	}
	apiErr := newAPIError(cl.method, cl.path, resp)
	c.noteWarning(ctx, resp, errorWarning(resp.Body)) // an error answer's warning too
	// A server or proxy may echo the request's credentials; they stay out
	// of the error (Response keeps the answer as it came).
	mask := c.redactor(ctx)
	apiErr.Type, apiErr.Detail = mask(apiErr.Type), mask(apiErr.Detail)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return verdict{err: apiErr, retry: true, wait: apiErr.RetryAfter}
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
		if !cl.idempotent {
			apiErr.effect = cl.effect
			return verdict{err: apiErr}
		}
		return verdict{err: apiErr, retry: true, wait: apiErr.RetryAfter}
	case resp.StatusCode < 400 && !cl.idempotent:
		// A redirect it did not follow: the server may have acted before
		// answering with it.
		apiErr.effect = cl.effect
	}
	return verdict{err: apiErr}
}

// judgeTransport applies the policy to an attempt that brought no usable
// answer: a failure to connect, a timeout, a dropped or reset connection, a
// body that could not be read or was over the size limit.
func (c *Client) judgeTransport(ctx context.Context, cl call, err error) verdict {
	wrapped := fmt.Errorf("sendbee: %s %s: %w", cl.method, cl.path, err)
	var notSent *notSentError
	var refused *redirectRefusedError
	switch {
	case errors.As(err, &notSent), errors.As(err, &refused):
		// Final: the request never left, or the caller's redirect policy
		// ended the call (only an idempotent call follows redirects).
		return verdict{err: wrapped}
	case isConnectError(err):
		// The request never left: safe to repeat for any call, while the
		// caller still waits.
		return verdict{err: wrapped, retry: ctx.Err() == nil}
	case !cl.idempotent:
		// Sent, or partly sent: the server may have acted. A body over the
		// size limit lands here too, since the server did answer.
		return verdict{err: &outcomeUnknownError{call: cl, err: err}}
	case errors.Is(err, ErrResponseTooLarge), ctx.Err() != nil:
		return verdict{err: wrapped}
	}
	return verdict{err: wrapped, retry: true}
}

// isConnectError reports a failure to open a connection (to the API or to
// the proxy): the request never reached the server. A DNS failure is one,
// as is a TLS handshake or a proxy's CONNECT that failed before the
// transport got a connection to write on.
func isConnectError(err error) bool {
	var notConnected *notConnectedError
	if errors.As(err, &notConnected) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// outcomeUnknownError is the error of a call that is not safe to repeat and
// failed after the request may have reached the server. It matches
// ErrOutcomeUnknown and the underlying error (a *url.Error, a context
// error, …).
type outcomeUnknownError struct {
	call call
	err  error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("sendbee: %s %s: outcome unknown, %s; check before repeating it: %v", e.call.method, e.call.path, e.call.effect, e.err)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// quoteLast is err, an earlier attempt's error of cl, for quoting after a
// text that already names the call: its own "sendbee: METHOD /path: " head
// is left out, so the whole reads once.
func quoteLast(cl call, err error) error {
	return &lastError{head: "sendbee: " + cl.method + " " + cl.path + ": ", err: err}
}

// lastError is an earlier attempt's error quoted without its head.
// errors.Is and errors.As see the error itself.
type lastError struct {
	head string
	err  error
}

func (e *lastError) Error() string { return strings.TrimPrefix(e.err.Error(), e.head) }
func (e *lastError) Unwrap() error { return e.err }
