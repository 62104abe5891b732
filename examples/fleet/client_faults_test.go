package fleet_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/examples/fleet"
	"github.com/sendbee/sendbee-go/examples/fleet/internal/redistest"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// fakeLimit is the fake API's limit in these tests: 20 requests a second.
const fakeLimit = 20

// outboundTexts returns how often the fake stored each outbound message text.
func outboundTexts(srv *sendbeetest.Server) map[string]int {
	texts := map[string]int{}
	for _, c := range srv.Conversations() {
		for _, m := range srv.Messages(c.ID) {
			if m.Direction == "outbound" {
				texts[m.Body]++
			}
		}
	}
	return texts
}

// assertEachOnce checks that the fake stored each of want exactly once, and
// nothing else.
func assertEachOnce(t *testing.T, srv *sendbeetest.Server, want []string) {
	t.Helper()
	got := outboundTexts(srv)
	for text, n := range got {
		assert.Equal(t, 1, n, "%q stored %d times", text, n)
	}
	assert.Len(t, got, len(want))
	for _, text := range want {
		assert.Contains(t, got, text)
	}
}

// newPacedClient starts a fake API enforcing fakeLimit a second and a
// redis-server, both stopped when t ends, and returns them with a client of
// the fake paced by a shared limiter of 19 a second (burst 1) in mode
// failOpen, on a Redis client built by newRedisClient with contextTimeouts.
func newPacedClient(t *testing.T, contextTimeouts, failOpen bool) (*sendbeetest.Server, *redistest.Server, *sendbee.Client) {
	t.Helper()
	api := sendbeetest.NewServer(sendbeetest.WithRateLimitPeriod(fakeLimit, time.Second))
	t.Cleanup(api.Close)
	rds := redistest.New(t)
	lim, err := fleet.NewLimiter(newRedisClient(t, rds.Addr, contextTimeouts), uniqueKey(t), fleet.Limit{Rate: 19, Period: time.Second, Burst: 1},
		modeOptions(failOpen, nil)...)
	require.NoError(t, err)
	client, err := api.Client(sendbee.WithRateLimiter(lim), sendbee.WithWarningHandler(func(context.Context, string) {}))
	require.NoError(t, err)
	return api, rds, client
}

// TestClientWithRedisFaults sends through a sendbee.Client paced by the
// shared limiter, 5 messages before the fault and then 25 at once, against
// a fake enforcing 20 a second. Fail-closed: every send after the fault fails
// with the limiter's wrapped error and none reaches the fake. Fail-open:
// all 25 go, faster than the fake allows, so some meet a 429 that the
// client waits out and retries; each is still stored once.
func TestClientWithRedisFaults(t *testing.T) {
	t.Parallel()
	for _, fault := range redisFaults {
		for _, failOpen := range []bool{false, true} {
			t.Run(fault.name+"/"+mode(failOpen), func(t *testing.T) {
				t.Parallel()
				api, rds, client := newPacedClient(t, true, failOpen)
				send := func(text string) error {
					ctx, cancel := context.WithTimeout(t.Context(), guard)
					defer cancel()
					_, err := client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: "+385991000000", Text: text})
					return err
				}

				var want []string
				if fault.apply == nil {
					rds.Stop()
				} else {
					for i := range 5 {
						text := fmt.Sprintf("before %d", i)
						require.NoError(t, send(text))
						want = append(want, text)
					}
					fault.apply(t, rds)
				}
				after := make([]string, 25)
				errs := make([]error, len(after))
				var wg sync.WaitGroup
				for i := range after {
					after[i] = fmt.Sprintf("after %d", i)
					wg.Go(func() { errs[i] = send(after[i]) }) // at once: more than the fake allows in a second
				}
				wg.Wait()
				for i, err := range errs {
					if failOpen {
						require.NoError(t, err, "fail-open: %s", after[i])
						continue
					}
					require.ErrorIs(t, err, fleet.ErrRedis)
					assert.Contains(t, err.Error(), "sendbee: POST /conversations/messages/send: rate limiter: shared rate limit: Redis call failed: ")
				}
				if failOpen {
					want = append(want, after...)
				}
				assertEachOnce(t, api, want)
				rejected := len(api.Requests()) - api.SentCount()
				if failOpen {
					assert.Positive(t, rejected, "fail-open sent faster than the fake allows, and the client waited out its 429s")
				} else {
					assert.Zero(t, rejected)
				}
			})
		}
	}
}

// TestClientWithRedisPaused pauses Redis mid-run: a send whose context has a
// short deadline fails with an error matching context.DeadlineExceeded once
// the deadline passes, in both modes, and nothing reaches the fake.
func TestClientWithRedisPaused(t *testing.T) {
	t.Parallel()
	for _, failOpen := range []bool{false, true} {
		t.Run(mode(failOpen), func(t *testing.T) {
			t.Parallel()
			api, rds, client := newPacedClient(t, false, failOpen)
			_, err := client.Messages.Send(t.Context(), sendbee.SendMessageParams{Phone: "+385991000000", Text: "before"})
			require.NoError(t, err)
			require.NoError(t, rds.Pause())
			t.Cleanup(func() { _ = rds.Resume() })

			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: "+385991000000", Text: "while paused"})
				done <- err
			}()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.DeadlineExceeded)
				require.Error(t, ctx.Err(), "the send returned once its context had ended")
			case <-time.After(guard):
				t.Fatal("the send did not return after its context ended while Redis was paused")
			}
			assertEachOnce(t, api, []string{"before"})
			assert.Len(t, api.Requests(), 1, "nothing reached the fake while Redis was paused")
		})
	}
}
