package sendbee

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGenerateTokenKnownAnswers holds GenerateToken to three known-answer
// vectors computed outside Go, which anyone can recompute:
//
//	printf '%s' 1700000000 | openssl dgst -sha256 -hmac test-secret   # hmacHex
//	printf '%s' 1700000000.<hmacHex> | base64 -w0                      # token
func TestGenerateTokenKnownAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, secret string
		unix         int64
		hmacHex      string
		token        string
	}{
		{
			name: "vector 1", secret: "test-secret", unix: 1700000000,
			hmacHex: "1b74eaf87da46877ba651ac812b24a3bf01990e9ed0101b88268f60f965729e2",
			token:   "MTcwMDAwMDAwMC4xYjc0ZWFmODdkYTQ2ODc3YmE2NTFhYzgxMmIyNGEzYmYwMTk5MGU5ZWQwMTAxYjg4MjY4ZjYwZjk2NTcyOWUy",
		},
		{
			name: "vector 2", secret: "another-Secret_42", unix: 1735689600,
			hmacHex: "9d4b5efb3f54cccc183146c922c50ea57a9ea8803dcbdd5c603b612697db224f",
			token:   "MTczNTY4OTYwMC45ZDRiNWVmYjNmNTRjY2NjMTgzMTQ2YzkyMmM1MGVhNTdhOWVhODgwM2RjYmRkNWM2MDNiNjEyNjk3ZGIyMjRm",
		},
		{
			name: "vector 3 (UTF-8 secret)", secret: "šećer-ključ-🐝", unix: 1700000123,
			hmacHex: "6ff294cd38893e54be80eb1ce5091b2418b4d5ee624fab713bf101f067eea57e",
			token:   "MTcwMDAwMDEyMy42ZmYyOTRjZDM4ODkzZTU0YmU4MGViMWNlNTA5MWIyNDE4YjRkNWVlNjI0ZmFiNzEzYmYxMDFmMDY3ZWVhNTdl",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Any instant within the second, in any zone, gives the same token.
			at := time.Unix(tc.unix, 999_999_999).In(time.FixedZone("UTC+5", 5*3600))
			got := GenerateToken(tc.secret, at)
			assert.True(t, got == tc.token, "GenerateToken differs from the known answer")

			plain, err := base64.StdEncoding.DecodeString(got)
			require.NoError(t, err)
			assert.Len(t, got, 100)
			assert.True(t, string(plain) == strconv.FormatInt(tc.unix, 10)+"."+tc.hmacHex, "decoded token is not <ts>.<hmac hex>")
		})
	}
}

// recordingTransport keeps the last request it was given and answers 200.
type recordingTransport struct {
	last *http.Request
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.last = req
	return okResponse(req, `{}`), nil
}

func TestSigningTransportSignsAClone(t *testing.T) {
	t.Parallel()
	at := time.Unix(1700000000, 0)
	base := &recordingTransport{}
	st := &signingTransport{
		apiKey: hidden(testKey), origin: origin{"https", "api.example", "443"},
		signer: &signer{secret: hidden(testSecret), now: func() time.Time { return at }},
		base:   base,
	}
	req, err := http.NewRequest(http.MethodGet, "https://api.example/contacts", nil)
	require.NoError(t, err)
	req.Header.Set("X-Trace", "abc")

	resp, err := st.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	assert.Equal(t, http.Header{"X-Trace": {"abc"}}, req.Header, "the caller's request headers are untouched")
	require.NotNil(t, base.last)
	assert.NotSame(t, req, base.last, "a clone is sent")
	assert.Equal(t, "abc", base.last.Header.Get("X-Trace"))
	assert.Equal(t, testKey, base.last.Header.Get("X-Api-Key"))
	assert.True(t, base.last.Header.Get("X-Auth-Token") == GenerateToken(testSecret, at), "X-Auth-Token is not the token for the clock's second")
}

// TestSigningTransportSignsOnlyTheBaseOrigin: credentials go only where the
// scheme, host (in any case) and port (default ports spelled out or not)
// equal the base URL's; plain http on the same host and port is another
// origin.
func TestSigningTransportSignsOnlyTheBaseOrigin(t *testing.T) {
	t.Parallel()
	cases := []struct {
		base    string
		signed  []string
		refused []string
	}{
		{
			base:   "https://api.example",
			signed: []string{"https://api.example/x", "https://API.Example/x", "https://api.example:443/x", "HTTPS://api.example/x"},
			refused: []string{
				"http://api.example/x", "http://api.example:443/x", "https://api.example:8443/x",
				"https://elsewhere.example/x", "https://evil.api.example/x", "https://api.example.evil/x",
			},
		},
		{
			base:    "https://api.example:8443/v2",
			signed:  []string{"https://api.example:8443/v2/x", "https://api.EXAMPLE:8443/x"},
			refused: []string{"http://api.example:8443/x", "https://api.example/x", "https://api.example:443/x"},
		},
		{
			base:    "http://127.0.0.1:8080",
			signed:  []string{"http://127.0.0.1:8080/x"},
			refused: []string{"https://127.0.0.1:8080/x", "http://localhost:8080/x", "http://127.0.0.1/x", "http://127.0.0.1:80/x"},
		},
		{
			base:    "http://[::1]",
			signed:  []string{"http://[::1]:80/x", "http://[::1]/x"},
			refused: []string{"https://[::1]/x", "http://[::1]:8080/x", "http://localhost/x"},
		},
	}
	for _, tc := range cases {
		base, err := url.Parse(tc.base)
		require.NoError(t, err)
		for _, target := range append(tc.signed, tc.refused...) {
			rec := &recordingTransport{}
			st := &signingTransport{apiKey: hidden(testKey), origin: originOf(base), signer: &signer{secret: hidden(testSecret), now: time.Now}, base: rec}
			req, err := http.NewRequest(http.MethodGet, target, nil)
			require.NoError(t, err)
			resp, err := st.RoundTrip(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			want := slices.Contains(tc.signed, target)
			assert.Equal(t, want, rec.last.Header.Get("X-Api-Key") != "", "base %s, request to %s: X-Api-Key set", tc.base, target)
			assert.Equal(t, want, rec.last.Header.Get("X-Auth-Token") != "", "base %s, request to %s: X-Auth-Token set", tc.base, target)
		}
	}
}

// TestRedirectToOtherHostIsNotFollowed: a redirect from the API's host to
// another server ends the call with the redirect's *APIError; the other
// server sees no request at all, so neither key nor token.
func TestRedirectToOtherHostIsNotFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		respond(http.StatusOK, `{"data":[]}`)(w, r)
	}))
	t.Cleanup(other.Close)
	c, srv := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/contacts", http.StatusFound)
	})

	_, err := c.Contacts.List(context.Background(), nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
	assertSigned(t, srv.Only(t))
	assert.Zero(t, elsewhere.Load(), "requests the other host received")
}

// TestEveryAttemptIsSignedAfresh checks that a retry and a same-host
// redirect each carry a token made for their own second. The clock moves
// one second each time it is read.
func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		first http.HandlerFunc
		opts  []Option
	}{
		{
			name: "retry after 429",
			first: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", "0")
				respond(http.StatusTooManyRequests, `{"error":true,"detail":"slow down","type":"rate_limit"}`)(w, nil)
			},
			opts: []Option{WithMaxRetries(1), func(c *config) error {
				c.backoff = backoff{base: time.Millisecond, max: time.Millisecond, jitter: func(time.Duration) time.Duration { return 0 }}
				return nil
			}},
		},
		{
			name: "same-host redirect",
			first: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/contacts?page=2", http.StatusTemporaryRedirect)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now().Truncate(time.Second)
			var ticks atomic.Int64
			clock := func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Second) }
			var calls atomic.Int32
			c, srv := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					tc.first(w, r)
					return
				}
				respond(http.StatusOK, `{"data":[]}`)(w, r)
			}, append(tc.opts, withTestClock(clock))...)

			_, err := c.Contacts.List(context.Background(), nil)
			require.NoError(t, err)
			reqs := srv.Requests()
			require.Len(t, reqs, 2)
			for _, r := range reqs {
				assertSigned(t, r)
			}
			assert.False(t, reqs[0].Header.Get("X-Auth-Token") == reqs[1].Header.Get("X-Auth-Token"), "the second attempt reused the first attempt's token")
		})
	}
}

// TestSignerCachesTokenPerSecond checks the per-second cache: the same token
// for every instant of one second, a new one in the next.
func TestSignerCachesTokenPerSecond(t *testing.T) {
	t.Parallel()
	now := time.Unix(1700000000, 0)
	s := &signer{secret: hidden(testSecret), now: func() time.Time { return now }}

	first := s.token()
	assert.True(t, first == GenerateToken(testSecret, now), "token is not for the clock's second")
	now = now.Add(999 * time.Millisecond)
	assert.True(t, s.token() == first, "a token changed within its second")

	now = time.Unix(1700000001, 0)
	next := s.token()
	assert.False(t, next == first, "the next second reused the old token")
	assert.True(t, next == GenerateToken(testSecret, now), "token is not for the new second")

	now = time.Unix(1700000000, 500)
	assert.True(t, s.token() == first, "a clock going back gives that second's token")
}

// TestSignerIsSafeForConcurrentUse shares one signer between goroutines
// while its clock moves on: every token is the one for a second the clock
// showed during the call. Run with -race.
func TestSignerIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	var unix atomic.Int64
	unix.Store(1700000000)
	s := &signer{secret: hidden(testSecret), now: func() time.Time { return time.Unix(unix.Load(), 0) }}

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if g == 0 && i%10 == 0 {
					unix.Add(1)
				}
				before := unix.Load()
				token := s.token()
				after := unix.Load()
				ok := false
				for sec := before; sec <= after; sec++ {
					ok = ok || token == GenerateToken(testSecret, time.Unix(sec, 0))
				}
				assert.True(t, ok, "a token for a second the clock did not show")
			}
		})
	}
	wg.Wait()
}

// TestSignedTokenValueIsPerRequest: a transport further down that edits a
// header value in place (a redacting logger, say) must not change the token
// the next request of the same second carries.
func TestSignedTokenValueIsPerRequest(t *testing.T) {
	t.Parallel()
	now := time.Unix(1700000000, 0)
	s := &signer{secret: hidden(testSecret), now: func() time.Time { return now }}
	var seen []string
	tr := &signingTransport{apiKey: hidden(testKey), origin: origin{"https", "api.test", "443"}, signer: s, base: transportFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Get("X-Auth-Token"))
		r.Header["X-Auth-Token"][0] = "***"
		r.Header["X-Api-Key"][0] = "***"
		return okResponse(r, `{}`), nil
	})}
	for range 2 {
		req, err := http.NewRequest(http.MethodGet, "https://api.test/contacts", nil)
		require.NoError(t, err)
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	want := GenerateToken(testSecret, now)
	require.Len(t, seen, 2)
	assert.True(t, seen[0] == want && seen[1] == want, "the second request's token was changed by the first request's transport")
}
