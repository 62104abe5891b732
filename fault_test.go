package sendbee

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fault is what the fault server does with one request.
type fault int

const (
	faultNone       fault = iota // process and answer 200
	faultDropBefore              // close the connection without acting or answering
	faultDropAfter               // act, then close the connection without answering
	fault500                     // act, then answer 500 (a crash after the commit)
	fault502                     // answer 502 without acting
	fault503                     // answer 503 without acting
	fault429                     // answer 429 with Retry-After: 1, without acting
	faultSlow                    // act, then answer only after the client gave up
	faultKinds
)

var faultNames = [faultKinds]string{"none", "drop before", "drop after", "500", "502", "503", "429", "slow"}

// attemptHeader carries the client's attempt number (1-based) from
// attemptCounter to the fault server, so that a fault depends on the
// attempt, not on how many times the transport replayed a request.
const attemptHeader = "X-Fault-Attempt"

// attemptKey is the request-context key under which attemptCounter puts the
// attempt number for flakyDialer (a dial's context keeps the request's
// values).
type attemptKey struct{}

// faultServer is an HTTP handler that fails requests at random, but
// reproducibly: the fault for the n-th attempt of a call depends only on the
// seed, the call's key (its unique text) and n, not on scheduling. The last
// attempt the client's budget allows (lastAttempt) is never faulted, so a
// call that may be retried always gets a clean answer within its budget.
// It counts how often it acted on each key.
type faultServer struct {
	seed        uint64
	lastAttempt int

	mu        sync.Mutex
	processed map[string]int
	faults    [faultKinds]int
}

func newFaultServer(seed uint64, lastAttempt int) *faultServer {
	return &faultServer{seed: seed, lastAttempt: lastAttempt, processed: map[string]int{}}
}

// chance is a number in [0, 100) fixed by the seed, what (a kind of
// decision), the call's key and the attempt.
func chance(seed uint64, what, key string, attempt int) int {
	h := fnv.New64a()
	_, _ = io.WriteString(h, what+"\x00"+key)
	return rand.New(rand.NewPCG(seed, h.Sum64()^uint64(attempt)*0x9e3779b97f4a7c15)).IntN(100)
}

// decide picks the fault for the n-th attempt (1-based) of key: 33% of
// attempts before the last one fail.
func (s *faultServer) decide(key string, n int) fault {
	if n >= s.lastAttempt {
		return faultNone
	}
	switch x := chance(s.seed, "server", key, n); {
	case x < 6:
		return faultDropBefore
	case x < 12:
		return faultDropAfter
	case x < 16:
		return fault500
	case x < 20:
		return fault502
	case x < 24:
		return fault503
	case x < 27:
		return fault429
	case x < 33:
		return faultSlow
	}
	return faultNone
}

// callKey is the unique text of a fault-test call: the search query of a
// list, the name of a tag update, the text of a send.
func callKey(r *http.Request, body []byte) string {
	if r.Method == http.MethodGet {
		return r.URL.Query().Get("search_query")
	}
	var b struct {
		Name string `json:"name"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(body, &b)
	return b.Name + b.Text
}

func (s *faultServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := callKey(r, body)
	attempt, _ := strconv.Atoi(r.Header.Get(attemptHeader))
	f := s.decide(key, attempt)
	s.mu.Lock()
	s.faults[f]++
	s.mu.Unlock()

	switch f {
	case faultDropBefore:
		hijackClose(w)
	case faultDropAfter:
		s.process(key)
		hijackClose(w)
	case fault500:
		s.process(key)
		w.WriteHeader(http.StatusInternalServerError)
	case fault502, fault503:
		status := http.StatusBadGateway
		if f == fault503 {
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html><body>upstream trouble</body></html>")
	case fault429:
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"error":true,"detail":"Too many requests","type":"rate_limit"}`)
	case faultSlow:
		s.process(key)
		t := time.NewTimer(2 * time.Second)
		defer t.Stop()
		select {
		case <-r.Context().Done(): // the client gave up and closed the connection
		case <-t.C:
		}
		answer(w, r)
	default:
		s.process(key)
		answer(w, r)
	}
}

func (s *faultServer) process(key string) {
	s.mu.Lock()
	s.processed[key]++
	s.mu.Unlock()
}

// answer writes a success body fitting the call.
func answer(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.Method {
	case http.MethodGet:
		_, _ = io.WriteString(w, `{"data":[],"meta":{"current_page":1,"last_page":1}}`)
	case http.MethodPut:
		_, _ = io.WriteString(w, `{"data":{"id":"t1","name":"x"}}`)
	default:
		_, _ = io.WriteString(w, `{"data":{"id":"c1","message_id":"m1","status":"queued"}}`)
	}
}

// hijackClose drops the connection without an answer.
func hijackClose(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// attemptCounter sits under the signing transport and counts the client's
// own attempts per call key (the transport's internal replays of a GET on a
// reused connection are not counted: they are below it). It tells the
// server and the dialer the attempt number, in attemptHeader and under
// attemptKey.
type attemptCounter struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func (a *attemptCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			body, _ = io.ReadAll(rc)
			_ = rc.Close()
		}
	}
	key := callKey(req, body)
	a.mu.Lock()
	a.n[key]++
	n := a.n[key]
	a.mu.Unlock()
	numbered := req.Clone(context.WithValue(req.Context(), attemptKey{}, dialAttempt{key, n}))
	numbered.Header.Set(attemptHeader, strconv.Itoa(n))
	return a.base.RoundTrip(numbered)
}

// dialAttempt is the call and attempt a dial is made for.
type dialAttempt struct {
	key string
	n   int
}

// flakyDialer fails about one dial in twenty with a real "connection
// refused" (it dials refusedAddr), and dials the server otherwise. Like
// the server, it decides by seed, call and attempt, and never refuses the
// last attempt.
type flakyDialer struct {
	seed        uint64
	lastAttempt int
	refusedAddr string
	refused     atomic.Int64
	dialer      net.Dialer
}

func (d *flakyDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	a, _ := ctx.Value(attemptKey{}).(dialAttempt)
	if a.n > 0 && a.n < d.lastAttempt && chance(d.seed, "dial", a.key, a.n) < 5 {
		d.refused.Add(1)
		addr = d.refusedAddr
	}
	return d.dialer.DialContext(ctx, network, addr)
}

// faultCall is one of the fault test's calls and what became of it.
type faultCall struct {
	key        string
	idempotent bool
	send       bool
	err        error
}

// TestFaultInjection runs 1000 mixed calls (lists, tag updates, sends) from
// 16 goroutines sharing one client against a server that drops connections
// before or after acting, answers 500/502/503, 429 with Retry-After: 1, or
// answers too slowly, while one dial in twenty is refused. It checks that no
// send is processed twice, that every success was processed, that a send
// whose error does not say "outcome unknown" was not processed, that every
// failure is a typed error, that every idempotent call succeeds within the
// retry budget (the server and the dialer never fault the last attempt it
// allows), and that no goroutine is left.
//
// Not parallel: the goroutine count at the end must not include other
// tests' goroutines. Waits are real (1 s for each 429), so it takes a few
// seconds.
func TestFaultInjection(t *testing.T) {
	const (
		seed       = 20261127
		calls      = 1000
		workers    = 16
		maxRetries = DefaultMaxRetries
	)
	before := runtime.NumGoroutine()

	fs := newFaultServer(seed, maxRetries+1)
	srv := httptest.NewServer(fs)
	dialer := &flakyDialer{seed: seed, lastAttempt: maxRetries + 1, refusedAddr: refusedAddr(t)}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: workers}
	counter := &attemptCounter{base: tr, n: map[string]int{}}
	c, err := NewClient(testKey, testSecret,
		WithBaseURL(srv.URL),
		WithHTTPClient(&http.Client{Transport: counter}),
		WithTimeout(time.Second), // the slow fault outlasts it; a loaded CI machine must not
		WithMaxRetries(maxRetries),
		withBackoff(backoff{base: time.Millisecond, max: 8 * time.Millisecond}),
		WithWarningHandler(func(context.Context, string) {}))
	require.NoError(t, err)

	results := make([]faultCall, calls)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < calls; i = int(next.Add(1)) - 1 {
				results[i] = runFaultCall(t.Context(), c, i)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)

	tr.CloseIdleConnections()
	srv.Close()

	fs.mu.Lock()
	defer fs.mu.Unlock()
	checkFaultResults(t, fs, counter, results, maxRetries)

	var faults []string
	for f, n := range fs.faults {
		faults = append(faults, fmt.Sprintf("%s %d", faultNames[f], n))
		if fault(f) != faultNone {
			assert.Positive(t, n, "the server never injected %q", faultNames[f])
		}
	}
	assert.Positive(t, dialer.refused.Load(), "no dial was refused")
	t.Logf("%d calls in %s; server: %s; refused dials: %d", calls, took.Round(time.Millisecond), strings.Join(faults, ", "), dialer.refused.Load())

	if left := goroutinesAbove(before, 5*time.Second); left > 0 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left running:\n%s", left, buf[:runtime.Stack(buf, true)])
	}
}

// goroutinesAbove waits up to limit for the number of goroutines to fall to
// want, polling from the calling goroutine (a helper goroutine would count
// itself), and returns how many more than want are still running.
func goroutinesAbove(want int, limit time.Duration) int {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		n := runtime.NumGoroutine() - want
		if n <= 0 {
			return 0
		}
		select {
		case <-deadline.C:
			return n
		case <-tick.C:
		}
	}
}

// runFaultCall makes call i: a list, a tag update or a send, each with a
// unique text.
func runFaultCall(ctx context.Context, c *Client, i int) faultCall {
	switch i % 20 {
	case 0, 1, 2, 3, 4, 5, 6, 7:
		fc := faultCall{key: fmt.Sprintf("list-%d", i), idempotent: true}
		_, fc.err = c.Contacts.List(ctx, &ListContactsParams{SearchQuery: fc.key})
		return fc
	case 8, 9, 10, 11, 12:
		fc := faultCall{key: fmt.Sprintf("update-%d", i), idempotent: true}
		_, fc.err = c.Tags.Update(ctx, UpdateTagParams{ID: "t1", Name: fc.key})
		return fc
	}
	fc := faultCall{key: fmt.Sprintf("send-%d", i), send: true}
	_, fc.err = c.Messages.Send(ctx, SendMessageParams{Phone: "+385991234567", Text: fc.key})
	return fc
}

// checkFaultResults holds the calls' results against what the server did.
func checkFaultResults(t *testing.T, fs *faultServer, counter *attemptCounter, results []faultCall, maxRetries int) {
	t.Helper()
	counter.mu.Lock()
	defer counter.mu.Unlock()
	var idempotent, idemFailed, sendOK, sendUnknown, sendRetriedOK int
	for _, r := range results {
		processed := fs.processed[r.key]
		attempts := counter.n[r.key]
		assert.LessOrEqual(t, attempts, maxRetries+1, "%s: more attempts than the budget", r.key)
		if r.send {
			assert.LessOrEqual(t, processed, 1, "%s: the message was sent %d times", r.key, processed)
		}
		if r.idempotent {
			idempotent++
		}
		if r.err == nil {
			assert.Positive(t, processed, "%s: succeeded but the server never acted on it", r.key)
			if r.send {
				sendOK++
				if attempts > 1 {
					sendRetriedOK++
				}
			}
			continue
		}
		assertTypedFailure(t, r)
		unknown := errors.Is(r.err, ErrOutcomeUnknown)
		switch {
		case r.send && unknown:
			sendUnknown++
			assert.ErrorContains(t, r.err, "the message may have been sent", r.key)
		case r.send:
			assert.Zero(t, processed, "%s: the message was sent, but the error does not say so: %v", r.key, r.err)
		case unknown:
			t.Errorf("%s: an idempotent call reported outcome unknown: %v", r.key, r.err)
		default:
			idemFailed++
			t.Errorf("%s: an idempotent call failed after %d attempts, though its last attempt within the budget is never faulted: %v", r.key, attempts, r.err)
		}
	}
	t.Logf("idempotent calls: %d, failed: %d; sends: ok %d (of which after a retry %d), outcome unknown %d",
		idempotent, idemFailed, sendOK, sendRetriedOK, sendUnknown)
	assert.Positive(t, sendUnknown, "no send ended with outcome unknown")
	assert.Positive(t, sendRetriedOK, "no send succeeded after a retry (429 or refused dial)")
}

// assertTypedFailure checks that a failed call's error is one a caller can
// act on: an *APIError, ErrOutcomeUnknown, or a *url.Error / net.Error from
// the transport, and that it holds no credential.
func assertTypedFailure(t *testing.T, r faultCall) {
	t.Helper()
	var apiErr *APIError
	var urlErr *url.Error
	var netErr net.Error
	typed := errors.As(r.err, &apiErr) || errors.Is(r.err, ErrOutcomeUnknown) ||
		errors.As(r.err, &urlErr) || errors.As(r.err, &netErr)
	assert.True(t, typed, "%s: untyped error %T: %v", r.key, r.err, r.err)
	assert.NotContains(t, r.err.Error(), testSecret, r.key)
	assert.NotContains(t, r.err.Error(), testKey, r.key)
}
