package sendbeetest

import "time"

// Defaults of the server's options.
const (
	// DefaultAPIKey is the API key the server accepts unless WithCredentials says otherwise.
	DefaultAPIKey = "sendbeetest-key"
	// DefaultAPISecret is the API secret the server checks tokens with
	// unless WithCredentials says otherwise.
	DefaultAPISecret = "sendbeetest-secret"
	// DefaultPageSize is the page size of a list request that sends no limit.
	DefaultPageSize = 10
	// MaxPageSize is the largest limit a list request may ask for; more is a 422.
	MaxPageSize = 100
)

// config is what the options set.
type config struct {
	apiKey     string
	apiSecret  string
	rateLimit  int
	ratePeriod time.Duration
	now        func() time.Time
	pageSize   int
}

func defaultConfig() config {
	return config{
		apiKey:     DefaultAPIKey,
		apiSecret:  DefaultAPISecret,
		now:        time.Now,
		pageSize:   DefaultPageSize,
		ratePeriod: time.Minute,
	}
}

// Option configures a Server in NewServer.
type Option func(*config)

// WithCredentials sets the API key and secret the server accepts (default
// DefaultAPIKey and DefaultAPISecret). An empty value keeps the default.
// Server.Client builds its client with them.
func WithCredentials(apiKey, apiSecret string) Option {
	return func(c *config) {
		if apiKey != "" {
			c.apiKey = apiKey
		}
		if apiSecret != "" {
			c.apiSecret = apiSecret
		}
	}
}

// WithRateLimit makes the server enforce perMinute authenticated requests
// per window, as Sendbee does with 60 per minute per business number. A
// window opens with the first request after the previous one closed and
// lasts one minute of the server's clock (see WithClock). Every answer to an
// authenticated request then carries X-RateLimit-Limit, X-RateLimit-Remaining
// and X-RateLimit-Reset (the window's end in Unix seconds, rounded up); a
// request over the limit is not processed and gets 429 with the flat error body
// {"error":true,"detail":"…","type":"rate_limit_exceeded"} and Retry-After,
// the whole seconds until the window ends (at least 1). 0 or less turns the
// limit off, the default. It is WithRateLimitPeriod(perMinute, time.Minute).
func WithRateLimit(perMinute int) Option {
	return WithRateLimitPeriod(perMinute, time.Minute)
}

// WithRateLimitPeriod makes the server enforce limit authenticated requests
// per window of period, such as 20 per second, so that a test of pacing
// across processes finishes in seconds; everything else is as WithRateLimit
// says: the same headers, the same 429 and body, a window that opens with
// the first request after the previous one closed. Both headers name whole
// seconds and round up: Retry-After is the time left in the window rounded
// up, and at least 1 even when less is left, so with a period of a second
// or less it is always 1 and a client that honours it waits out the rest of
// the window and up to a second more; X-RateLimit-Reset is the window's end
// rounded up to a whole Unix second, so it never names a moment before the
// window ends. limit 0 or less turns the limit off; period 0 or less means
// a minute. A later WithRateLimit or WithRateLimitPeriod replaces an
// earlier one.
func WithRateLimitPeriod(limit int, period time.Duration) Option {
	return func(c *config) {
		c.rateLimit = max(limit, 0)
		c.ratePeriod = period
		if period <= 0 {
			c.ratePeriod = time.Minute
		}
	}
}

// WithClock sets the server's clock (default time.Now), which decides
// whether an X-Auth-Token is fresh (within 60 seconds either way), when a
// rate-limit window ends, the timestamps of new records, and the time of
// recorded requests and signed webhooks. A nil now keeps time.Now.
//
// A sendbee.Client signs with the real time, so with a client keep the
// injected clock within a minute of time.Now (for example a clock frozen at
// time.Now() when the test starts, advanced by up to 60 seconds); to test
// further ahead, sign requests yourself with sendbee.GenerateToken and the
// injected time.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithPageSize sets the page size of list requests that send no limit
// (default DefaultPageSize). It is clamped to 1..MaxPageSize.
func WithPageSize(n int) Option {
	return func(c *config) {
		c.pageSize = min(max(n, 1), MaxPageSize)
	}
}
