// Package worker is the fleet's worker: it sends messages through its own
// sendbee.Client, paced by the shared Redis limiter or by a limiter of its
// own, and prints what happened as one JSON line. cmd/worker runs it, and
// cmd/fleetbench runs it in processes of its own.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/examples/fleet"
)

// Report is the one line a worker prints on standard output, as JSON.
type Report struct {
	// Worker is the worker's -id.
	Worker string `json:"worker"`
	// Sent is how many sends the API accepted.
	Sent int `json:"sent"`
	// Failed is how many sends ended in an error (after the client's retries).
	Failed int `json:"failed"`
	// Responses429 is how many 429 answers the worker's client received;
	// the client waits each one out and retries, so a 429 costs time, not
	// a message.
	Responses429 int `json:"responses_429"`
	// RedisErrors is how many times the shared limiter failed open.
	RedisErrors int `json:"redis_errors"`
	// WaitsMicros is how long each Wait on the limiter took, in
	// microseconds, one per attempt (retries included).
	WaitsMicros []int64 `json:"waits_us"`
	// FirstError is the first send's error, if any.
	FirstError string `json:"first_error,omitempty"`
}

// config is what the flags say.
type config struct {
	id          string
	baseURL     string
	redisAddr   string
	key         string
	limiter     string
	limit       fleet.Limit
	n           int
	phone       string
	maxRetries  int
	callTimeout time.Duration
	failOpen    bool
}

// Main runs a worker with the command-line arguments args (without the
// program's name) and returns its exit code: 0 when every message was sent,
// 1 when some were not, 2 for bad flags or environment. The API key and
// secret come from SENDBEE_API_KEY and SENDBEE_API_SECRET.
func Main(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "worker:", err)
		return 2
	}
	apiKey, apiSecret := os.Getenv("SENDBEE_API_KEY"), os.Getenv("SENDBEE_API_SECRET")
	if apiKey == "" || apiSecret == "" {
		fmt.Fprintln(stderr, "worker: set SENDBEE_API_KEY and SENDBEE_API_SECRET")
		return 2
	}
	rep, err := run(cfg, apiKey, apiSecret, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "worker:", err)
		return 2
	}
	line, err := json.Marshal(rep)
	if err != nil {
		fmt.Fprintln(stderr, "worker:", err)
		return 2
	}
	fmt.Fprintln(stdout, string(line))
	if rep.Failed > 0 {
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.id, "id", "worker", "this worker's name, which every message's text carries")
	fs.StringVar(&cfg.baseURL, "base-url", "", "the API's base URL (required)")
	fs.StringVar(&cfg.redisAddr, "redis", "127.0.0.1:6379", "Redis address for -limiter redis")
	fs.StringVar(&cfg.key, "key", "sendbee:fleet", "Redis key of the shared budget: one per business number")
	fs.StringVar(&cfg.limiter, "limiter", "redis", "redis: the budget shared through Redis; local: a limiter of this process's own at the full rate")
	fs.IntVar(&cfg.limit.Rate, "rate", 19, "requests per -period")
	fs.DurationVar(&cfg.limit.Period, "period", time.Second, "the period -rate counts over")
	fs.IntVar(&cfg.limit.Burst, "burst", 1, "requests that may go at once")
	fs.IntVar(&cfg.n, "n", 20, "messages to send")
	fs.StringVar(&cfg.phone, "phone", "+385991000000", "the recipient")
	fs.IntVar(&cfg.maxRetries, "max-retries", 10, "the client's retries per send (a 429 is waited out and retried)")
	fs.DurationVar(&cfg.callTimeout, "call-timeout", 30*time.Second, "deadline of each send, waits and retries included")
	fs.BoolVar(&cfg.failOpen, "fail-open", false, "send without the shared budget while Redis fails (default: fail the send)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	switch {
	case cfg.baseURL == "":
		return cfg, errors.New("-base-url is required")
	case cfg.limiter != "redis" && cfg.limiter != "local":
		return cfg, fmt.Errorf("-limiter %q: want redis or local", cfg.limiter)
	case cfg.n < 0:
		return cfg, fmt.Errorf("-n %d is negative", cfg.n)
	}
	return cfg, nil
}

// run sends cfg.n messages, one after the other, and reports.
func run(cfg config, apiKey, apiSecret string, stderr io.Writer) (Report, error) {
	rep := Report{Worker: cfg.id}
	var redisErrors atomic.Int64
	lim, closeLimiter, err := newLimiter(cfg, func(err error) {
		redisErrors.Add(1)
		fmt.Fprintln(stderr, "worker: failing open:", err)
	})
	if err != nil {
		return rep, err
	}
	defer closeLimiter()
	timed := &timedLimiter{next: lim}
	counter := &statusCounter{next: http.DefaultTransport}
	client, err := sendbee.NewClient(apiKey, apiSecret,
		sendbee.WithBaseURL(cfg.baseURL),
		sendbee.WithHTTPClient(&http.Client{Transport: counter}),
		sendbee.WithRateLimiter(timed),
		sendbee.WithMaxRetries(cfg.maxRetries),
	)
	if err != nil {
		return rep, err
	}
	for i := range cfg.n {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.callTimeout)
		_, err := client.Messages.Send(ctx, sendbee.SendMessageParams{
			Phone: cfg.phone,
			Text:  fmt.Sprintf("%s message %d", cfg.id, i+1),
		})
		cancel()
		if err != nil {
			rep.Failed++
			if rep.FirstError == "" {
				rep.FirstError = err.Error()
			}
			continue
		}
		rep.Sent++
	}
	rep.Responses429 = int(counter.tooMany.Load())
	rep.RedisErrors = int(redisErrors.Load())
	rep.WaitsMicros = timed.micros()
	return rep, nil
}

// newLimiter builds the limiter cfg asks for, and what releases it.
func newLimiter(cfg config, onRedisError func(error)) (sendbee.RateLimiter, func(), error) {
	if cfg.limiter == "local" {
		if cfg.limit.Rate <= 0 || cfg.limit.Period <= 0 || cfg.limit.Burst <= 0 {
			return nil, nil, errors.New("-rate, -period and -burst must be positive")
		}
		return rate.NewLimiter(rate.Every(cfg.limit.Period/time.Duration(cfg.limit.Rate)), cfg.limit.Burst), func() {}, nil
	}
	rdb := redis.NewClient(&redis.Options{
		Addr: cfg.redisAddr,
		// A Redis call gives up when its context's deadline passes (a cancel
		// without a deadline waits for ReadTimeout).
		ContextTimeoutEnabled: true,
		// A limiter's call is one short script: when Redis is down, decide
		// within about a second instead of go-redis's default of several
		// dial attempts and command retries (seconds per send).
		DialTimeout:   time.Second,
		ReadTimeout:   500 * time.Millisecond,
		WriteTimeout:  500 * time.Millisecond,
		DialerRetries: 2,
		MaxRetries:    1,
		// No CLIENT SETINFO on connect: servers before Redis 7.2 refuse it.
		DisableIdentity: true,
	})
	var opts []fleet.Option
	if cfg.failOpen {
		opts = append(opts, fleet.WithFailOpen(onRedisError))
	}
	lim, err := fleet.NewLimiter(rdb, cfg.key, cfg.limit, opts...)
	if err != nil {
		_ = rdb.Close()
		return nil, nil, err
	}
	return lim, func() { _ = rdb.Close() }, nil
}

// timedLimiter records how long each Wait takes.
type timedLimiter struct {
	next sendbee.RateLimiter

	mu    sync.Mutex
	waits []time.Duration
}

func (l *timedLimiter) Wait(ctx context.Context) error {
	start := time.Now()
	err := l.next.Wait(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, time.Since(start))
	return err
}

func (l *timedLimiter) micros() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]int64, len(l.waits))
	for i, d := range l.waits {
		out[i] = d.Microseconds()
	}
	return out
}

// statusCounter counts the 429 answers that pass through it.
type statusCounter struct {
	next    http.RoundTripper
	tooMany atomic.Int64
}

func (c *statusCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		c.tooMany.Add(1)
	}
	return resp, err
}
