package fleet

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// ErrRedis is matched (errors.Is) by every error Wait returns because Redis
// failed: refused or dropped connections, timeouts of the Redis client,
// error replies, and replies that cannot be read. The Redis client's own
// error is wrapped too, so errors.As finds, for example, a *net.OpError.
var ErrRedis = errors.New("shared rate limit: Redis call failed")

// Limit is a budget of Rate requests per Period, of which up to Burst may go
// at once; after a burst, requests are spaced Period/Rate apart. Sendbee's
// own limit is 60 a minute; see NewLimiter for how much headroom to leave.
type Limit struct {
	// Rate is how many requests each Period allows.
	Rate int
	// Period is the time Rate is counted over, such as time.Minute.
	Period time.Duration
	// Burst is how many requests may go at once when the budget has been
	// unused for a while; 1 spaces every request evenly.
	Burst int
}

// Limiter is a sendbee.RateLimiter whose budget lives in Redis, so that
// every process (and every client) that builds one with the same Redis and
// the same key shares it. The budget is kept by the GCRA algorithm of
// github.com/go-redis/redis_rate/v10 on Redis's clock, so the processes'
// clocks need not agree. Make it with NewLimiter; it is safe for concurrent
// use.
type Limiter struct {
	gcra     *redis_rate.Limiter
	key      string
	limit    redis_rate.Limit
	failOpen bool
	onError  func(error)
}

// Option configures a Limiter in NewLimiter.
type Option func(*Limiter)

// WithFailOpen makes Wait return nil, letting the request go, when Redis
// fails, after calling onError (nil: no call) with the error, which matches
// ErrRedis. Choose it when a Redis outage must not stop sending: the
// processes then go without a shared budget, may together exceed the
// limit, and the sendbee client's own handling of 429 (wait for Retry-After,
// retry) keeps them going, more slowly. The default, fail-closed, returns
// the error instead, so the call fails without being sent: choose it when
// the budget must never be exceeded, for example when a 429 costs you (an
// account flagged for abuse, a send you cannot retry later). Either way,
// Wait returns the context's error when ctx ends before Redis answers.
func WithFailOpen(onError func(err error)) Option {
	return func(l *Limiter) {
		l.failOpen = true
		l.onError = onError
	}
}

// NewLimiter returns a Limiter that shares limit among everyone using rdb
// and key: use one key per business number, such as
// "sendbee:+385991234567", since Sendbee counts per number across API keys
// (redis_rate stores it as "rate:" followed by key).
//
// Leave headroom below the server's limit: Sendbee counts in windows of its
// own while the limiter spaces requests evenly, and a request reaches the
// server some time after it took its slot, so a budget of exactly the
// server's limit can let one request too many into a window. For Sendbee's
// 60 a minute, Limit{Rate: 55, Period: time.Minute, Burst: 1} is a safe
// start; a larger Burst lets that many requests go at once after a quiet
// spell, at the cost of less headroom.
//
// Wait returns when ctx ends whatever rdb does, but the Redis call it
// abandons goes on in the background: build rdb with ContextTimeoutEnabled
// so that the call gives up when ctx's deadline passes, and keep its read
// and write timeouts, since go-redis does not notice a context cancelled
// without a deadline and such a call lasts until the Redis client's own
// timeout. rdb may be a *redis.Client, *redis.ClusterClient or anything
// else implementing redis.UniversalClient.
//
// A nil rdb (or a nil *redis.Client), an empty key, or a Rate, Period or
// Burst that is not positive is an error.
func NewLimiter(rdb redis.UniversalClient, key string, limit Limit, opts ...Option) (*Limiter, error) {
	switch {
	case isNil(rdb):
		return nil, errors.New("shared rate limit: nil Redis client")
	case key == "":
		return nil, errors.New("shared rate limit: empty key")
	case limit.Rate <= 0:
		return nil, fmt.Errorf("shared rate limit: rate %d is not positive", limit.Rate)
	case limit.Period <= 0:
		return nil, fmt.Errorf("shared rate limit: period %s is not positive", limit.Period)
	case limit.Burst <= 0:
		return nil, fmt.Errorf("shared rate limit: burst %d is not positive", limit.Burst)
	}
	l := &Limiter{
		gcra:  redis_rate.NewLimiter(rdb),
		key:   key,
		limit: redis_rate.Limit{Rate: limit.Rate, Period: limit.Period, Burst: limit.Burst},
	}
	for _, opt := range opts {
		if opt != nil {
			opt(l)
		}
	}
	return l, nil
}

// isNil reports whether rdb is nil or holds a nil pointer, such as a
// *redis.Client declared and never built.
func isNil(rdb redis.UniversalClient) bool {
	if rdb == nil {
		return true
	}
	v := reflect.ValueOf(rdb)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// Wait takes one request's slot of the shared budget, waiting as long as
// the budget asks, and returns nil when the request may go.
//
// It returns ctx's error as soon as ctx ends, also while Redis does not
// answer. When the next slot is certainly past ctx's deadline it returns at
// once with an error matching context.DeadlineExceeded instead of waiting
// to fail. When Redis fails it returns an error matching ErrRedis, or with
// WithFailOpen returns nil.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		if err := ended(ctx); err != nil {
			return err
		}
		res, err := l.allow(ctx)
		if ctxErr := ended(ctx); ctxErr != nil {
			return ctxErr
		}
		switch {
		case err != nil && l.failOpen:
			if l.onError != nil {
				l.onError(err)
			}
			return nil
		case err != nil:
			return err
		case res.Allowed > 0:
			return nil
		}
		if err := sleep(ctx, max(l.retryAfter(res), time.Millisecond)); err != nil {
			return err
		}
	}
}

// retryAfter is how long to wait before asking again for a slot that res
// refused: its RetryAfter, or, when that is not positive (a wait too long
// for a time.Duration, or a reply that is not the script's), the spacing
// of one slot, the longest wait a refusal can ask for.
func (l *Limiter) retryAfter(res *redis_rate.Result) time.Duration {
	if res.RetryAfter > 0 {
		return res.RetryAfter
	}
	return l.limit.Period / time.Duration(l.limit.Rate)
}

// ended is ctx's error, or context.DeadlineExceeded once ctx's deadline has
// passed though ctx has not yet said so: a Redis client that times its
// reads by that deadline fails at the same instant, and its timeout must
// not pass for a Redis failure (and, failing open, let the request go).
func ended(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

// allowed is what one Redis call for a slot gave.
type allowed struct {
	res *redis_rate.Result
	err error
}

// allow asks Redis for one slot. The call runs aside so that the end of
// ctx wins even when the Redis client ignores it.
func (l *Limiter) allow(ctx context.Context) (*redis_rate.Result, error) {
	done := make(chan allowed, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- allowed{err: fmt.Errorf("%w: unreadable reply: %v", ErrRedis, r)}
			}
		}()
		res, err := l.gcra.Allow(ctx, l.key, l.limit)
		if err != nil {
			err = fmt.Errorf("%w: %w", ErrRedis, err)
		}
		done <- allowed{res: res, err: err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case a := <-done:
		return a.res, a.err
	}
}

// sleep waits d, or returns early with ctx's error, or at once with an error
// matching context.DeadlineExceeded when d ends past ctx's deadline.
func sleep(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("shared rate limit: the next slot is %s away, past the context's deadline: %w",
			d.Round(time.Millisecond), context.DeadlineExceeded)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
