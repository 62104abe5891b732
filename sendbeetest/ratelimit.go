package sendbeetest

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sendbee/sendbee-go"
)

// rateWindow counts authenticated requests in fixed windows of one period
// (a minute unless WithRateLimitPeriod says otherwise); a window opens with
// the first request after the previous one ended.
type rateWindow struct {
	limit  int // 0: no limit
	period time.Duration

	mu    sync.Mutex
	start time.Time
	count int
}

// windowState is the rate-limit state one answer reports.
type windowState struct {
	limit, remaining int
	end              time.Time
}

// admit counts a request made at now and reports whether it is within the
// limit. A request over the limit is not counted.
func (w *rateWindow) admit(now time.Time) (windowState, bool) {
	if w.limit == 0 {
		return windowState{}, true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.start.IsZero() || now.Before(w.start) || !now.Before(w.start.Add(w.period)) {
		w.start, w.count = now, 0
	}
	admitted := w.count < w.limit
	if admitted {
		w.count++
	}
	return w.state(), admitted
}

// retryAfter is the wait until the window ends. Without a limit it is one
// second, what /rate-limit/error-test then asks for.
func (st windowState) retryAfter(now time.Time) time.Duration {
	if st.limit == 0 {
		return time.Second
	}
	return st.end.Sub(now)
}

// setHeaders writes the X-RateLimit-* headers when a limit is on.
// X-RateLimit-Reset is the window's end rounded up to a whole Unix second,
// so that it never names a moment before the window ends.
func (st windowState) setHeaders(h http.Header) {
	if st.limit == 0 {
		return
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(st.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(st.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(st.end), 10))
}

// rateLimitRequestTest answers GET /rate-limit/request-test. The request has
// already been counted against the limit; within it, the answer is 200 with
// {"error":false,"detail":"…","type":"rate_limit_ok"}.
func (s *Server) rateLimitRequestTest(*incoming) (any, error) {
	return sendbee.RateLimitStatus{Error: false, Detail: "The request is within the rate limit.", Type: "rate_limit_ok"}, nil
}

// rateLimitErrorTest answers GET /rate-limit/error-test: always the 429 of
// a request over the limit, with Retry-After until the current window ends
// (1 second when no limit is set).
func (s *Server) rateLimitErrorTest(*incoming) (any, error) {
	now := s.cfg.now()
	return nil, tooManyRequests(s.limit.peek().retryAfter(now))
}

// peek reports the current window's state without counting a request.
func (w *rateWindow) peek() windowState {
	if w.limit == 0 {
		return windowState{}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state()
}

// state is the current window's state; w.mu must be held.
func (w *rateWindow) state() windowState {
	return windowState{limit: w.limit, remaining: w.limit - w.count, end: w.start.Add(w.period)}
}

// ceilUnix is t in Unix seconds, rounded up to the next whole second unless
// t is one already.
func ceilUnix(t time.Time) int64 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}
