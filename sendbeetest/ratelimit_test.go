package sendbeetest_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func TestRateLimitWindow(t *testing.T) {
	t.Parallel()
	start := time.Unix(1_800_000_000, 0)
	clock := newManualClock(start)
	srv := sendbeetest.NewServer(sendbeetest.WithRateLimit(60), sendbeetest.WithClock(clock.Now))
	t.Cleanup(srv.Close)
	get := func() rawResponse { return do(t, srv, http.MethodGet, "/contacts/tags", "", signed(srv, clock.Now())) }
	windowEnd := strconv.FormatInt(start.Add(time.Minute).Unix(), 10)

	for i := 1; i <= 60; i++ {
		resp := get()
		require.Equal(t, http.StatusOK, resp.Status, "request %d of 60", i)
		assert.Equal(t, "60", resp.Header.Get("X-RateLimit-Limit"))
		assert.Equal(t, strconv.Itoa(60-i), resp.Header.Get("X-RateLimit-Remaining"))
		assert.Equal(t, windowEnd, resp.Header.Get("X-RateLimit-Reset"))
		if i == 30 {
			clock.Advance(20 * time.Second)
		}
	}
	clock.Advance(500 * time.Millisecond)

	resp := get()
	assert.Equal(t, http.StatusTooManyRequests, resp.Status, "the 61st request in the minute")
	assert.Equal(t, "40", resp.Header.Get("Retry-After"), "39.5 s to the window's end, rounded up")
	assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, windowEnd, resp.Header.Get("X-RateLimit-Reset"))
	assert.JSONEq(t, `{"error":true,"detail":"Too Many Attempts.","type":"rate_limit_exceeded"}`, string(resp.Body))

	clock.Advance(39*time.Second + 499*time.Millisecond)
	assert.Equal(t, http.StatusTooManyRequests, get().Status, "1 ms before the window ends")

	clock.Advance(time.Millisecond)
	resp = get()
	assert.Equal(t, http.StatusOK, resp.Status, "the next window")
	assert.Equal(t, "59", resp.Header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, strconv.FormatInt(start.Add(2*time.Minute).Unix(), 10), resp.Header.Get("X-RateLimit-Reset"))
}

// TestRateLimitShortPeriod checks a limit over periods shorter and longer
// than a second: the same headers and 429 body as the per-minute limit,
// Retry-After in whole seconds rounded up and at least 1, and
// X-RateLimit-Reset the window's end rounded up to a whole second.
func TestRateLimitShortPeriod(t *testing.T) {
	t.Parallel()
	// The window opens 0.3 s into a second, so its end is never a whole second.
	start := time.Unix(1_800_000_000, int64(300*time.Millisecond))
	tests := []struct {
		name       string
		limit      int
		period     time.Duration
		retryAfter string // Retry-After right after the last admitted request
		reset      int64  // X-RateLimit-Reset of the first window
	}{
		{"20 per second", 20, time.Second, "1", 1_800_000_002},
		{"3 per 50 ms", 3, 50 * time.Millisecond, "1", 1_800_000_001},
		{"5 per 2.5 s", 5, 2500 * time.Millisecond, "3", 1_800_000_003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newManualClock(start)
			srv := sendbeetest.NewServer(sendbeetest.WithRateLimitPeriod(tt.limit, tt.period), sendbeetest.WithClock(clock.Now))
			t.Cleanup(srv.Close)
			get := func() rawResponse {
				return do(t, srv, http.MethodGet, "/contacts/tags", "", signed(srv, clock.Now()))
			}
			reset := strconv.FormatInt(tt.reset, 10)
			for i := 1; i <= tt.limit; i++ {
				resp := get()
				require.Equal(t, http.StatusOK, resp.Status, "request %d of %d", i, tt.limit)
				assert.Equal(t, strconv.Itoa(tt.limit), resp.Header.Get("X-RateLimit-Limit"))
				assert.Equal(t, strconv.Itoa(tt.limit-i), resp.Header.Get("X-RateLimit-Remaining"))
				assert.Equal(t, reset, resp.Header.Get("X-RateLimit-Reset"))
			}

			resp := get()
			require.Equal(t, http.StatusTooManyRequests, resp.Status, "one request over the limit")
			assert.Equal(t, tt.retryAfter, resp.Header.Get("Retry-After"))
			assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))
			assert.Equal(t, reset, resp.Header.Get("X-RateLimit-Reset"))
			assert.JSONEq(t, `{"error":true,"detail":"Too Many Attempts.","type":"rate_limit_exceeded"}`, string(resp.Body))

			clock.Advance(tt.period - time.Millisecond)
			resp = get()
			require.Equal(t, http.StatusTooManyRequests, resp.Status, "1 ms before the window ends")
			assert.Equal(t, "1", resp.Header.Get("Retry-After"), "1 ms left is asked for as 1 s, never 0")

			clock.Advance(time.Millisecond)
			resp = get()
			require.Equal(t, http.StatusOK, resp.Status, "the next window")
			assert.Equal(t, strconv.Itoa(tt.limit-1), resp.Header.Get("X-RateLimit-Remaining"))
			assert.Equal(t, strconv.FormatInt(start.Add(2*tt.period-time.Nanosecond).Unix()+1, 10), resp.Header.Get("X-RateLimit-Reset"))
		})
	}
}

// TestRateLimitPeriodOptions checks the edges of the options: a period of
// 0 or less means a minute, a limit of 0 or less turns the limit off, and
// the later option wins.
func TestRateLimitPeriodOptions(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	tests := []struct {
		name       string
		opts       []sendbeetest.Option
		wantLimit  string // X-RateLimit-Limit of the first answer; "" for none
		retryAfter string // Retry-After of the answer over the limit
	}{
		{"zero period means a minute", []sendbeetest.Option{sendbeetest.WithRateLimitPeriod(1, 0)}, "1", "60"},
		{"negative period means a minute", []sendbeetest.Option{sendbeetest.WithRateLimitPeriod(1, -time.Second)}, "1", "60"},
		{"zero limit is off", []sendbeetest.Option{sendbeetest.WithRateLimitPeriod(0, time.Second)}, "", ""},
		{"negative limit is off", []sendbeetest.Option{sendbeetest.WithRateLimitPeriod(-5, time.Second)}, "", ""},
		{"later WithRateLimit wins", []sendbeetest.Option{sendbeetest.WithRateLimitPeriod(1, time.Second), sendbeetest.WithRateLimit(1)}, "1", "60"},
		{"later WithRateLimitPeriod wins", []sendbeetest.Option{sendbeetest.WithRateLimit(1), sendbeetest.WithRateLimitPeriod(1, 2*time.Second)}, "1", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := sendbeetest.NewServer(append(tt.opts, sendbeetest.WithClock(func() time.Time { return now }))...)
			t.Cleanup(srv.Close)
			first := do(t, srv, http.MethodGet, "/contacts/tags", "", signed(srv, now))
			require.Equal(t, http.StatusOK, first.Status)
			assert.Equal(t, tt.wantLimit, first.Header.Get("X-RateLimit-Limit"))
			second := do(t, srv, http.MethodGet, "/contacts/tags", "", signed(srv, now))
			if tt.retryAfter == "" {
				assert.Equal(t, http.StatusOK, second.Status, "no limit")
				return
			}
			require.Equal(t, http.StatusTooManyRequests, second.Status)
			assert.Equal(t, tt.retryAfter, second.Header.Get("Retry-After"))
		})
	}
}

func TestRateLimitRejectsWithoutProcessing(t *testing.T) {
	t.Parallel()
	now := time.Now()
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithRateLimit(1), sendbeetest.WithClock(func() time.Time { return now })})

	_, err := client.Messages.Send(context.Background(), hello)
	require.NoError(t, err)
	_, err = client.Messages.Send(context.Background(), hello)
	assert.ErrorIs(t, err, sendbee.ErrRateLimited)
	var apiErr *sendbee.APIError
	require.True(t, errors.As(err, &apiErr), "error %v is not an *APIError", err)
	assert.Equal(t, time.Minute, apiErr.RetryAfter, "the clock stands still, so the whole window is left")
	assert.Equal(t, 1, srv.SentCount(), "the rejected send was not processed")
	reset := now.Add(time.Minute).Unix()
	if now.Nanosecond() > 0 {
		reset++ // the window's end, rounded up
	}
	assert.Equal(t, sendbee.RateLimit{Limit: 1, Remaining: 0, Reset: reset, RetryAfter: time.Minute}, client.RateLimit())
}

func TestRateLimitOffByDefault(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	for range 100 {
		_, err := client.Tags.List(context.Background(), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, sendbee.RateLimit{}, client.RateLimit(), "no X-RateLimit-* headers without a limit")
	assert.Len(t, srv.Requests(), 100)
}

func TestRateLimitUnauthenticatedRequestsDoNotCount(t *testing.T) {
	t.Parallel()
	now := time.Now()
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithRateLimit(1), sendbeetest.WithClock(func() time.Time { return now })})
	resp := do(t, srv, http.MethodGet, "/contacts", "", http.Header{})
	assert.Equal(t, http.StatusUnauthorized, resp.Status)
	assert.Empty(t, resp.Header.Get("X-RateLimit-Limit"))
	_, err := client.Tags.List(context.Background(), nil)
	assert.NoError(t, err)
}

func TestRateLimitTestEndpoints(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tests := []struct {
		name        string
		opts        []sendbeetest.Option
		errorWait   time.Duration
		requestTest bool // whether request-test still passes after error-test
	}{
		{"without a limit", nil, time.Second, true},
		{"with a limit", []sendbeetest.Option{sendbeetest.WithRateLimit(2)}, time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, client := newServer(t, append(tt.opts, sendbeetest.WithClock(func() time.Time { return now })))

			status, err := client.RateLimitRequestTest(context.Background())
			require.NoError(t, err)
			require.NotNil(t, status.Response)
			status.Response = nil
			assert.Equal(t, sendbee.RateLimitStatus{Error: false, Detail: "The request is within the rate limit.", Type: "rate_limit_ok"}, *status)

			_, err = client.RateLimitErrorTest(context.Background())
			assert.ErrorIs(t, err, sendbee.ErrRateLimited)
			var apiErr *sendbee.APIError
			require.True(t, errors.As(err, &apiErr), "error %v is not an *APIError", err)
			assert.Equal(t, tt.errorWait, apiErr.RetryAfter)
			assert.Equal(t, "rate_limit_exceeded", apiErr.Type)

			_, err = client.RateLimitRequestTest(context.Background())
			assert.Equal(t, tt.requestTest, err == nil, "third request: %v", err)
		})
	}
}
