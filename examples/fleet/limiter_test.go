package fleet_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go/examples/fleet"
	"github.com/sendbee/sendbee-go/examples/fleet/internal/redistest"
)

// guard bounds how long a test waits for a Wait that must return; it is a
// backstop against a hang, not a measure of speed.
const guard = 30 * time.Second

// newRedisClient returns a client for addr, closed when t ends, that gives
// up at once on a server that is gone (no dial or command retries). With
// contextTimeouts false it ignores contexts on the socket and never times a
// read out, so only Wait itself can end a wait on a silent server.
func newRedisClient(t *testing.T, addr string, contextTimeouts bool) *redis.Client {
	t.Helper()
	opts := &redis.Options{
		Addr: addr, ContextTimeoutEnabled: contextTimeouts, DisableIdentity: true,
		DialTimeout: time.Second, DialerRetries: 1, MaxRetries: -1,
	}
	if !contextTimeouts {
		opts.ReadTimeout, opts.WriteTimeout = -1, -1
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// uniqueKey is a Redis key no other test uses.
func uniqueKey(t *testing.T) string { return "sendbee:test:" + t.Name() }

func TestNewLimiterRejectsBadConfig(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = rdb.Close() })
	good := fleet.Limit{Rate: 19, Period: time.Second, Burst: 1}
	tests := []struct {
		name  string
		rdb   redis.UniversalClient
		key   string
		limit fleet.Limit
		want  string
	}{
		{"nil client", nil, "k", good, "nil Redis client"},
		{"nil *redis.Client", (*redis.Client)(nil), "k", good, "nil Redis client"},
		{"nil *redis.ClusterClient", (*redis.ClusterClient)(nil), "k", good, "nil Redis client"},
		{"empty key", rdb, "", good, "empty key"},
		{"zero rate", rdb, "k", fleet.Limit{Rate: 0, Period: time.Second, Burst: 1}, "rate 0 is not positive"},
		{"negative rate", rdb, "k", fleet.Limit{Rate: -1, Period: time.Second, Burst: 1}, "rate -1 is not positive"},
		{"zero period", rdb, "k", fleet.Limit{Rate: 1, Period: 0, Burst: 1}, "period 0s is not positive"},
		{"negative period", rdb, "k", fleet.Limit{Rate: 1, Period: -time.Second, Burst: 1}, "period -1s is not positive"},
		{"zero burst", rdb, "k", fleet.Limit{Rate: 1, Period: time.Second, Burst: 0}, "burst 0 is not positive"},
		{"negative burst", rdb, "k", fleet.Limit{Rate: 1, Period: time.Second, Burst: -3}, "burst -3 is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := fleet.NewLimiter(tt.rdb, tt.key, tt.limit)
			require.Error(t, err)
			assert.Nil(t, l)
			assert.Equal(t, "shared rate limit: "+tt.want, err.Error())
		})
	}
	l, err := fleet.NewLimiter(rdb, "k", good, nil)
	require.NoError(t, err, "a nil option is ignored")
	assert.NotNil(t, l)
}

// TestLimiterSharesBudget gives two limiters, each with its own Redis
// client as two processes would have, one budget of 3 at once and 1 an
// hour: together they get exactly 3 slots, and the fourth Wait fails at
// once, since the next slot is far past its deadline.
func TestLimiterSharesBudget(t *testing.T) {
	t.Parallel()
	srv := redistest.New(t)
	limit := fleet.Limit{Rate: 1, Period: time.Hour, Burst: 3}
	a, err := fleet.NewLimiter(newRedisClient(t, srv.Addr, true), uniqueKey(t), limit)
	require.NoError(t, err)
	b, err := fleet.NewLimiter(newRedisClient(t, srv.Addr, true), uniqueKey(t), limit)
	require.NoError(t, err)

	for i, l := range []*fleet.Limiter{a, b, a} {
		require.NoError(t, l.Wait(t.Context()), "slot %d of the burst of 3", i+1)
	}
	for _, l := range []*fleet.Limiter{a, b} {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		err := l.Wait(ctx)
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded, "the next slot is 20 minutes away")
		assert.Contains(t, err.Error(), "past the context's deadline")
	}
}

// TestLimiterWaitsAndTakesEverySlot takes 5 slots of a budget of 1 per
// 20 ms: every Wait but the first sleeps for the library's RetryAfter and
// tries again, and all succeed.
func TestLimiterWaitsAndTakesEverySlot(t *testing.T) {
	t.Parallel()
	srv := redistest.New(t)
	l, err := fleet.NewLimiter(newRedisClient(t, srv.Addr, true), uniqueKey(t), fleet.Limit{Rate: 50, Period: time.Second, Burst: 1})
	require.NoError(t, err)
	for i := range 5 {
		require.NoError(t, l.Wait(t.Context()), "slot %d", i+1)
	}
}

// TestLimiterCancelledContext checks that a Wait whose context has ended,
// or ends while it sleeps for a slot, returns the context's error.
func TestLimiterCancelledContext(t *testing.T) {
	t.Parallel()
	srv := redistest.New(t)
	l, err := fleet.NewLimiter(newRedisClient(t, srv.Addr, true), uniqueKey(t), fleet.Limit{Rate: 1, Period: time.Hour, Burst: 1})
	require.NoError(t, err)

	ended, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, l.Wait(ended), context.Canceled)

	require.NoError(t, l.Wait(t.Context()))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx) }() // no deadline: it sleeps for the next slot, an hour away
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(guard):
		t.Fatal("Wait did not return after its context was cancelled")
	}
}

// redisFault is a way for Redis to fail a limiter.
type redisFault struct {
	name string
	// apply starts the fault on srv after one successful Wait.
	apply func(t *testing.T, srv *redistest.Server)
}

var redisFaults = []redisFault{
	{"stopped at start", nil},
	{"stopped mid-run", func(t *testing.T, srv *redistest.Server) { srv.Stop() }},
}

// TestLimiterRedisStopped checks both modes when Redis is gone, at start or
// mid-run: fail-closed returns an error matching ErrRedis that says so;
// fail-open returns nil and reports the same error to its callback.
func TestLimiterRedisStopped(t *testing.T) {
	t.Parallel()
	for _, fault := range redisFaults {
		for _, failOpen := range []bool{false, true} {
			t.Run(fault.name+"/"+mode(failOpen), func(t *testing.T) {
				t.Parallel()
				srv := redistest.New(t)
				var reported atomic.Value
				l, err := fleet.NewLimiter(newRedisClient(t, srv.Addr, true), uniqueKey(t), fleet.Limit{Rate: 1000, Period: time.Second, Burst: 1000},
					modeOptions(failOpen, func(err error) { reported.Store(err) })...)
				require.NoError(t, err)
				if fault.apply == nil {
					srv.Stop()
				} else {
					require.NoError(t, l.Wait(t.Context()))
					fault.apply(t, srv)
				}

				ctx, cancel := context.WithTimeout(t.Context(), guard)
				defer cancel()
				err = l.Wait(ctx)
				if failOpen {
					require.NoError(t, err, "fail-open lets the request go")
					got, ok := reported.Load().(error)
					require.True(t, ok, "fail-open reports the Redis error")
					err = got
				}
				require.ErrorIs(t, err, fleet.ErrRedis)
				assert.True(t, strings.HasPrefix(err.Error(), "shared rate limit: Redis call failed: "), "error %q", err)
				assert.NotErrorIs(t, err, context.DeadlineExceeded, "Redis failed; the deadline did not pass")
				if fault.apply == nil {
					var opErr *net.OpError
					assert.True(t, errors.As(err, &opErr), "the refused connection is wrapped: %v", err)
				}
			})
		}
	}
}

// TestLimiterRedisPaused pauses Redis (SIGSTOP) mid-run, with a Redis client
// that ignores contexts and never times out a read: Wait still returns the
// context's error once its short deadline passes, in both modes, since the
// budget cannot be known and the caller's deadline comes first.
func TestLimiterRedisPaused(t *testing.T) {
	t.Parallel()
	for _, failOpen := range []bool{false, true} {
		t.Run(mode(failOpen), func(t *testing.T) {
			t.Parallel()
			srv := redistest.New(t)
			l, err := fleet.NewLimiter(newRedisClient(t, srv.Addr, false), uniqueKey(t), fleet.Limit{Rate: 1000, Period: time.Second, Burst: 1000},
				modeOptions(failOpen, nil)...)
			require.NoError(t, err)
			require.NoError(t, l.Wait(t.Context()))
			require.NoError(t, srv.Pause())
			t.Cleanup(func() { _ = srv.Resume() }) // lets the abandoned call finish before Redis is stopped

			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- l.Wait(ctx) }()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, ctx.Err(), err, "Wait returned after its context ended, with the context's error")
			case <-time.After(guard):
				t.Fatal("Wait did not return after its context ended while Redis was paused")
			}
		})
	}
}

// TestLimiterRedisPausedClientTimesByDeadline pauses Redis with a Redis
// client built as NewLimiter advises, ContextTimeoutEnabled, with no read
// timeout of its own: its read fails at the very instant the context's
// deadline passes, a race with the context itself. Wait must still return
// the context's error every time, never a Redis error, and fail-open must
// neither report a Redis failure nor let the request go after the deadline.
func TestLimiterRedisPausedClientTimesByDeadline(t *testing.T) {
	t.Parallel()
	for _, failOpen := range []bool{false, true} {
		t.Run(mode(failOpen), func(t *testing.T) {
			t.Parallel()
			srv := redistest.New(t)
			var reported atomic.Int64
			rdb := redis.NewClient(&redis.Options{
				Addr: srv.Addr, ContextTimeoutEnabled: true, DisableIdentity: true,
				ReadTimeout: -1, WriteTimeout: -1, MaxRetries: -1,
			})
			t.Cleanup(func() { _ = rdb.Close() })
			l, err := fleet.NewLimiter(rdb, uniqueKey(t), fleet.Limit{Rate: 1000, Period: time.Second, Burst: 1000},
				modeOptions(failOpen, func(error) { reported.Add(1) })...)
			require.NoError(t, err)
			for i := range 20 { // the race goes the wrong way often enough to show in 20 rounds
				require.NoError(t, l.Wait(t.Context()), "round %d, Redis running", i)
				require.NoError(t, srv.Pause())
				ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
				err := l.Wait(ctx)
				cancel()
				require.NoError(t, srv.Resume())
				require.ErrorIs(t, err, context.DeadlineExceeded, "round %d", i)
				require.NotErrorIs(t, err, fleet.ErrRedis, "round %d", i)
			}
			assert.Zero(t, reported.Load(), "Redis failures reported by fail-open")
		})
	}
}

// TestLimiterRedisPausedReadTimeout pauses Redis mid-run with a Redis
// client whose read timeout (100 ms) comes long before the caller's
// deadline: fail-closed returns an error matching ErrRedis that wraps the
// client's timeout, not the context's; fail-open lets the request go and
// reports that error.
func TestLimiterRedisPausedReadTimeout(t *testing.T) {
	t.Parallel()
	for _, failOpen := range []bool{false, true} {
		t.Run(mode(failOpen), func(t *testing.T) {
			t.Parallel()
			srv := redistest.New(t)
			var reported atomic.Value
			rdb := redis.NewClient(&redis.Options{
				Addr: srv.Addr, ContextTimeoutEnabled: true, DisableIdentity: true,
				ReadTimeout: 100 * time.Millisecond, WriteTimeout: 100 * time.Millisecond, MaxRetries: -1,
			})
			t.Cleanup(func() { _ = rdb.Close() })
			l, err := fleet.NewLimiter(rdb, uniqueKey(t), fleet.Limit{Rate: 1000, Period: time.Second, Burst: 1000},
				modeOptions(failOpen, func(err error) { reported.Store(err) })...)
			require.NoError(t, err)
			require.NoError(t, l.Wait(t.Context()))
			require.NoError(t, srv.Pause())
			t.Cleanup(func() { _ = srv.Resume() })

			ctx, cancel := context.WithTimeout(t.Context(), guard)
			defer cancel()
			err = l.Wait(ctx)
			require.NoError(t, ctx.Err(), "Wait returned long before the caller's deadline")
			if failOpen {
				require.NoError(t, err, "fail-open lets the request go")
				got, ok := reported.Load().(error)
				require.True(t, ok, "fail-open reports the Redis error")
				err = got
			}
			require.ErrorIs(t, err, fleet.ErrRedis)
			assert.NotErrorIs(t, err, context.DeadlineExceeded, "the Redis client timed out, not the caller's context")
			var netErr net.Error
			assert.True(t, errors.As(err, &netErr) && netErr.Timeout(), "the client's timeout is wrapped: %v", err)
		})
	}
}

// modeOptions is the options of a limiter in mode failOpen: none to fail
// closed, or WithFailOpen(onError) to fail open.
func modeOptions(failOpen bool, onError func(error)) []fleet.Option {
	if !failOpen {
		return nil
	}
	return []fleet.Option{fleet.WithFailOpen(onError)}
}

func mode(failOpen bool) string {
	if failOpen {
		return "fail-open"
	}
	return "fail-closed"
}
