package sendbee

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"math"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// webhookVectors are the known-answer vectors of TestGenerateTokenKnownAnswers
// (auth_test.go says how to recompute them).
var webhookVectors = []struct {
	name   string
	secret string
	unix   int64
	token  string
}{
	{"1 ASCII secret", "test-secret", 1700000000,
		"MTcwMDAwMDAwMC4xYjc0ZWFmODdkYTQ2ODc3YmE2NTFhYzgxMmIyNGEzYmYwMTk5MGU5ZWQwMTAxYjg4MjY4ZjYwZjk2NTcyOWUy"},
	{"2 mixed-case secret", "another-Secret_42", 1735689600,
		"MTczNTY4OTYwMC45ZDRiNWVmYjNmNTRjY2NjMTgzMTQ2YzkyMmM1MGVhNTdhOWVhODgwM2RjYmRkNWM2MDNiNjEyNjk3ZGIyMjRm"},
	{"3 UTF-8 secret", "šećer-ključ-🐝", 1700000123,
		"MTcwMDAwMDEyMy42ZmYyOTRjZDM4ODkzZTU0YmU4MGViMWNlNTA5MWIyNDE4YjRkNWVlNjI0ZmFiNzEzYmYxMDFmMDY3ZWVhNTdl"},
}

// The webhook tests sign with vector 1's secret and read a clock stopped
// at vector 1's time unless a case says otherwise.
const (
	hookSecret = "test-secret"
	hookNow    = int64(1700000000)
)

// clockAt is a WithWebhookClock option whose clock is stopped at unix.
func clockAt(unix int64) WebhookOption {
	return WithWebhookClock(func() time.Time { return time.Unix(unix, 0) })
}

// hmacHex is the lowercase hex HMAC-SHA256 of msg keyed with secret,
// computed here independently of the code under test.
func hmacHex(secret, msg string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(msg))
	return hex.EncodeToString(mac.Sum(nil))
}

// craftToken encodes any "<ts>.<sig>" text as a token, for the inputs
// GenerateToken cannot make.
func craftToken(ts, sig string) string {
	return base64.StdEncoding.EncodeToString([]byte(ts + "." + sig))
}

// signedText is a token whose signature really is the secret's HMAC of ts,
// whatever ts says: only the format can refuse it.
func signedText(ts string) string {
	return craftToken(ts, hmacHex(hookSecret, ts))
}

// webhookSentinels are the errors a token, whatever it holds, may yield.
var webhookSentinels = []error{ErrWebhookMalformed, ErrWebhookExpired, ErrWebhookFuture, ErrWebhookSignature}

// assertVerdict checks a verification result: want nil means the token
// must verify, otherwise err must match want.
func assertVerdict(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		assert.NoError(t, err)
		return
	}
	assert.ErrorIs(t, err, want)
}

func isWebhookSentinel(err error) bool {
	for _, s := range webhookSentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func TestVerifyWebhookTokenAcceptsKnownAnswerVectors(t *testing.T) {
	t.Parallel()
	for _, v := range webhookVectors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			assert.True(t, GenerateToken(v.secret, time.Unix(v.unix, 0)) == v.token, "GenerateToken differs from the vector")
			assert.NoError(t, VerifyWebhookToken(v.token, v.secret, clockAt(v.unix)))
			assert.ErrorIs(t, VerifyWebhookToken(v.token, v.secret+"x", clockAt(v.unix)), ErrWebhookSignature)
		})
	}
}

// Tokens whose decoded form has a length that is not a multiple of three
// carry '=' padding, which must be accepted.
func TestVerifyWebhookTokenAcceptsPaddedTokens(t *testing.T) {
	t.Parallel()
	for _, unix := range []int64{0, 7, 999999999, math.MaxInt64} {
		token := GenerateToken(hookSecret, time.Unix(unix, 0))
		assert.NoError(t, VerifyWebhookToken(token, hookSecret, clockAt(unix)), "ts %d (token has %d '=')", unix, strings.Count(token, "="))
	}
}

// One row per token that a looser verifier would accept, among them those the
// Python (P1-P5) and PHP (H1-H5) clients accept (MIGRATING.md, Webhook
// tokens, lists them), and per other malformed input.
func TestVerifyWebhookTokenRefusesWhatOtherClientsAccept(t *testing.T) {
	t.Parallel()
	valid := GenerateToken(hookSecret, time.Unix(hookNow, 0))
	validSig := hmacHex(hookSecret, strconv.FormatInt(hookNow, 10))
	rawSig, err := hex.DecodeString(validSig)
	require.NoError(t, err)
	nineDigits := GenerateToken(hookSecret, time.Unix(999999999, 0))
	require.True(t, strings.HasSuffix(nineDigits, "="), "the padding cases need a padded token")
	// Setting the bits that padding discards gives another text that lax
	// decoders read as the same token.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	loose := []byte(nineDigits)
	last := strings.IndexByte(nineDigits, '=') - 1
	loose[last] = alphabet[strings.IndexByte(alphabet, nineDigits[last])+1]

	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"P2 day-old token", GenerateToken(hookSecret, time.Unix(hookNow, 0).Add(-24*time.Hour)), ErrWebhookExpired},
		{"P1 P2 token dated ten hours ahead", GenerateToken(hookSecret, time.Unix(hookNow, 0).Add(10*time.Hour)), ErrWebhookFuture},
		{"H1 token dated 9999999999 (year 2286)", GenerateToken(hookSecret, time.Unix(9999999999, 0)), ErrWebhookFuture},
		{"int64-max timestamp does not overflow", signedText("9223372036854775807"), ErrWebhookFuture},
		{"H2 P4 non-numeric timestamp signed with the secret", signedText("abc"), ErrWebhookMalformed},
		{"P4 three dot-separated parts", craftToken("1700000000", validSig+".x"), ErrWebhookMalformed},
		{"P4 three parts, signature last", craftToken("1700000000.1", validSig), ErrWebhookMalformed},
		{"P4 bad base64", "abc", ErrWebhookMalformed},
		{"P4 base64 of text without a dot", base64.StdEncoding.EncodeToString([]byte("1700000000" + validSig)), ErrWebhookMalformed},
		{"P4 base64 of a lone dot", base64.StdEncoding.EncodeToString([]byte(".")), ErrWebhookMalformed},
		{"P4 non-UTF-8 timestamp", craftToken("\xff\xfe", validSig), ErrWebhookMalformed},
		{"P4 empty string", "", ErrWebhookMalformed},
		{"P4 20-digit timestamp", signedText("17000000000000000000"), ErrWebhookMalformed},
		{"19 digits beyond int64", signedText("9999999999999999999"), ErrWebhookMalformed},
		{"P5 character outside the alphabet", valid[:40] + "*" + valid[40:], ErrWebhookMalformed},
		{"P5 plus sign", signedText("+1700000000"), ErrWebhookMalformed},
		{"P5 leading space in timestamp", signedText(" 1700000000"), ErrWebhookMalformed},
		{"P5 trailing space in timestamp", signedText("1700000000 "), ErrWebhookMalformed},
		{"P5 underscores", signedText("1_700_000_000"), ErrWebhookMalformed},
		{"negative timestamp", signedText("-1"), ErrWebhookMalformed},
		{"leading zero", signedText("01700000000"), ErrWebhookMalformed},
		{"empty timestamp", signedText(""), ErrWebhookMalformed},
		{"H5 trailing newline", valid + "\n", ErrWebhookMalformed},
		{"H5 CRLF inside", valid[:50] + "\r\n" + valid[50:], ErrWebhookMalformed},
		{"H5 leading space", " " + valid, ErrWebhookMalformed},
		{"H5 trailing space", valid + " ", ErrWebhookMalformed},
		{"H5 trailing tab", valid + "\t", ErrWebhookMalformed},
		{"H5 missing padding", strings.TrimRight(nineDigits, "="), ErrWebhookMalformed},
		{"padding bits set", string(loose), ErrWebhookMalformed},
		{"H5 uppercase hex", craftToken("1700000000", strings.ToUpper(validSig)), ErrWebhookMalformed},
		{"63 hex digits", craftToken("1700000000", validSig[:63]), ErrWebhookMalformed},
		{"65 hex digits", craftToken("1700000000", validSig+"0"), ErrWebhookMalformed},
		{"raw digest instead of hex", craftToken("1700000000", string(rawSig)), ErrWebhookMalformed},
		{"very long", strings.Repeat("QUFB", 4096), ErrWebhookMalformed},
		{"wrong secret", GenerateToken("wrong-secret", time.Unix(hookNow, 0)), ErrWebhookSignature},
		{"signature of another second", craftToken("1700000000", hmacHex(hookSecret, "1700000001")), ErrWebhookSignature},
		{"API key used as the secret", GenerateToken(testKey, time.Unix(hookNow, 0)), ErrWebhookSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := VerifyWebhookToken(tc.token, hookSecret, clockAt(hookNow))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.False(t, tc.token != "" && strings.Contains(err.Error(), tc.token), "the error text contains the token")
			assert.NotContains(t, err.Error(), hookSecret, "the error text contains the secret")
		})
	}
}

// The window and the skew are whole seconds with inclusive edges: a token
// exactly at an edge passes and one second past it fails.
func TestVerifyWebhookTokenWindowEdges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		opts   []WebhookOption
		offset int64 // token time minus now, in seconds
		want   error
	}{
		{"now", nil, 0, nil},
		{"default window: exactly 15 min old", nil, -900, nil},
		{"default window: 1 s past", nil, -901, ErrWebhookExpired},
		{"default skew: exactly 1 min ahead", nil, 60, nil},
		{"default skew: 1 s past", nil, 61, ErrWebhookFuture},
		{"30 s window: edge", []WebhookOption{WithWebhookWindow(30 * time.Second)}, -30, nil},
		{"30 s window: 1 s past", []WebhookOption{WithWebhookWindow(30 * time.Second)}, -31, ErrWebhookExpired},
		{"5 s skew: edge", []WebhookOption{WithWebhookSkew(5 * time.Second)}, 5, nil},
		{"5 s skew: 1 s past", []WebhookOption{WithWebhookSkew(5 * time.Second)}, 6, ErrWebhookFuture},
		{"zero window: current second", []WebhookOption{WithWebhookWindow(0)}, 0, nil},
		{"zero window: 1 s old", []WebhookOption{WithWebhookWindow(0)}, -1, ErrWebhookExpired},
		{"zero window keeps the skew", []WebhookOption{WithWebhookWindow(0)}, 60, nil},
		{"zero skew: current second", []WebhookOption{WithWebhookSkew(0)}, 0, nil},
		{"zero skew: 1 s ahead", []WebhookOption{WithWebhookSkew(0)}, 1, ErrWebhookFuture},
		{"window rounds down to seconds: edge", []WebhookOption{WithWebhookWindow(1999 * time.Millisecond)}, -1, nil},
		{"window rounds down to seconds: past", []WebhookOption{WithWebhookWindow(1999 * time.Millisecond)}, -2, ErrWebhookExpired},
		{"a later option wins", []WebhookOption{WithWebhookWindow(time.Hour), WithWebhookWindow(time.Second)}, -2, ErrWebhookExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := GenerateToken(hookSecret, time.Unix(hookNow+tc.offset, 0))
			assertVerdict(t, VerifyWebhookToken(token, hookSecret, append(tc.opts, clockAt(hookNow))...), tc.want)
		})
	}
}

// The clock's fraction of a second does not move the edges: tokens carry
// whole seconds, and so does the comparison.
func TestVerifyWebhookTokenIgnoresFractionOfSecond(t *testing.T) {
	t.Parallel()
	now := WithWebhookClock(func() time.Time { return time.Unix(hookNow, 999_999_999) })
	assert.NoError(t, VerifyWebhookToken(GenerateToken(hookSecret, time.Unix(hookNow-900, 0)), hookSecret, now))
	assert.ErrorIs(t, VerifyWebhookToken(GenerateToken(hookSecret, time.Unix(hookNow-901, 0)), hookSecret, now), ErrWebhookExpired)
	assert.NoError(t, VerifyWebhookToken(GenerateToken(hookSecret, time.Unix(hookNow+60, 0)), hookSecret, now))
}

// Clocks and windows at the ends of the int64 range neither panic nor
// overflow into a wrong answer.
func TestVerifyWebhookTokenExtremeClocksAndWindows(t *testing.T) {
	t.Parallel()
	const forever = time.Duration(math.MaxInt64)
	cases := []struct {
		name string
		now  time.Time
		ts   int64
		opts []WebhookOption
		want error
	}{
		{"clock and token at int64 max", time.Unix(math.MaxInt64, 0), math.MaxInt64, nil, nil},
		{"clock at int64 max, token at 0", time.Unix(math.MaxInt64, 0), 0, nil, ErrWebhookExpired},
		{"clock at int64 max, endless window", time.Unix(math.MaxInt64, 0), 0, []WebhookOption{WithWebhookWindow(forever)}, ErrWebhookExpired},
		{"clock at int64 min, token at int64 max", time.Unix(math.MinInt64, 0), math.MaxInt64, []WebhookOption{WithWebhookSkew(forever)}, ErrWebhookFuture},
		{"clock at int64 min, endless window", time.Unix(math.MinInt64, 0), 0, []WebhookOption{WithWebhookWindow(forever)}, ErrWebhookFuture},
		{"zero time.Time", time.Time{}, 0, nil, ErrWebhookFuture},
		{"endless window accepts an old token", time.Unix(hookNow, 0), 1, []WebhookOption{WithWebhookWindow(forever)}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := GenerateToken(hookSecret, time.Unix(tc.ts, 0))
			clock := WithWebhookClock(func() time.Time { return tc.now })
			var err error
			require.NotPanics(t, func() { err = VerifyWebhookToken(token, hookSecret, append(tc.opts, clock)...) })
			assertVerdict(t, err, tc.want)
		})
	}
}

// A missing secret or an invalid option is never replaced by a default
// (unlike PHP's window <= 0, H4): even a genuine token is then refused,
// with an error that is none of the token sentinels.
func TestVerifyWebhookTokenRefusesEverythingWhenMisconfigured(t *testing.T) {
	t.Parallel()
	for _, tc := range misconfiguredWebhooks {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := GenerateToken(tc.secret, time.Unix(hookNow, 0)) // signed with that very secret
			err := VerifyWebhookToken(token, tc.secret, clockAt(hookNow), tc.opt)
			require.Error(t, err)
			assert.ErrorIs(t, err, errWebhookConfig)
			assert.False(t, isWebhookSentinel(err), "a configuration error matched a token sentinel: %v", err)
			assert.Contains(t, err.Error(), tc.problem)
			assert.False(t, strings.TrimSpace(tc.secret) != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.secret)), "the error shows the secret")
		})
	}
}

// misconfiguredWebhooks are secrets and options webhook verification
// cannot use, and the problem each error or panic names.
var misconfiguredWebhooks = []struct {
	name    string
	secret  string
	opt     WebhookOption
	problem string
}{
	{"empty secret", "", nil, "empty API secret"},
	{"blank secret", " \t", nil, "empty API secret"},
	{"trailing newline, as read from a file", hookSecret + "\n", nil, "white space around it"},
	{"trailing CRLF", hookSecret + "\r\n", nil, "white space around it"},
	{"leading space", " " + hookSecret, nil, "white space around it"},
	{"NUL inside", "web\x00hook-secret", nil, "control character"},
	{"CR inside", "web\rhook-secret", nil, "control character"},
	{"DEL inside", "web\x7fhook-secret", nil, "control character"},
	{"C1 control inside", "web\u0085hook-secret", nil, "control character"},
	{"negative window", hookSecret, WithWebhookWindow(-time.Second), "WithWebhookWindow"},
	{"negative skew", hookSecret, WithWebhookSkew(-time.Nanosecond), "WithWebhookSkew"},
	{"nil clock", hookSecret, WithWebhookClock(nil), "WithWebhookClock"},
	{"zero body size", hookSecret, WithWebhookMaxBodySize(0), "WithWebhookMaxBodySize"},
	{"negative body size", hookSecret, WithWebhookMaxBodySize(-1), "WithWebhookMaxBodySize"},
}

func TestVerifyWebhookTokenIgnoresNilOptionsAndLogger(t *testing.T) {
	t.Parallel()
	err := VerifyWebhookToken(webhookVectors[0].token, hookSecret, nil, WithWebhookLogger(nil), clockAt(hookNow))
	assert.NoError(t, err)
}

func TestClientVerifyWebhookTokenUsesTheAPISecret(t *testing.T) {
	t.Parallel()
	c, err := NewClient(testKey, hookSecret)
	require.NoError(t, err)

	assert.NoError(t, c.VerifyWebhookToken(GenerateToken(hookSecret, time.Now())), "a fresh token on the client's own clock")
	assert.NoError(t, c.VerifyWebhookToken(webhookVectors[0].token, clockAt(hookNow)))
	assert.ErrorIs(t, c.VerifyWebhookToken(GenerateToken(testKey, time.Now())), ErrWebhookSignature, "signed with the API key")
	assert.ErrorIs(t, c.VerifyWebhookToken(webhookVectors[0].token), ErrWebhookExpired, "a 2023 token today")
	assert.ErrorIs(t, (&Client{}).VerifyWebhookToken(webhookVectors[0].token, clockAt(hookNow)), errWebhookConfig, "a Client not made by NewClient")
}

func TestSignWebhookRequestSetsAVerifiableHeader(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodPost, "/hook", nil)
	SignWebhookRequest(req, hookSecret, time.Unix(hookNow, 0))
	assert.True(t, req.Header.Get(WebhookHeader) == webhookVectors[0].token, "X-Authorization is not vector 1's token")
	assert.NoError(t, VerifyWebhookToken(req.Header.Get(WebhookHeader), hookSecret, clockAt(hookNow)))

	SignWebhookRequest(req, hookSecret, time.Unix(hookNow+1, 0))
	assert.Len(t, req.Header.Values(WebhookHeader), 1, "signing again replaces the header")

	bare := &http.Request{}
	SignWebhookRequest(bare, hookSecret, time.Unix(hookNow, 0))
	assert.NotEmpty(t, bare.Header.Get(WebhookHeader), "a request without a header map")
	assert.NotPanics(t, func() { SignWebhookRequest(nil, hookSecret, time.Now()) })
}

// hookRecorder is a webhook handler that records whether and how it was called.
type hookRecorder struct {
	called  bool
	method  string
	url     string
	header  http.Header
	body    []byte
	readErr error
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.called = true
	h.method, h.url, h.header = r.Method, r.URL.String(), r.Header.Clone()
	h.body, h.readErr = io.ReadAll(r.Body)
	w.Header().Set("X-Handled", "yes")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, "handled")
}

// newLogBuffer is a logger that writes text records into the returned buffer.
func newLogBuffer() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestWebhookMiddlewareRefusesWithEmpty401(t *testing.T) {
	t.Parallel()
	valid := GenerateToken(hookSecret, time.Unix(hookNow, 0))
	cases := []struct {
		name   string
		tokens []string
		want   error
	}{
		{"missing header", nil, ErrWebhookMalformed},
		{"forged with another secret", []string{GenerateToken("forger", time.Unix(hookNow, 0))}, ErrWebhookSignature},
		{"replayed after the window", []string{GenerateToken(hookSecret, time.Unix(hookNow-3600, 0))}, ErrWebhookExpired},
		{"dated ahead", []string{GenerateToken(hookSecret, time.Unix(hookNow+3600, 0))}, ErrWebhookFuture},
		{"garbage", []string{"not a token"}, ErrWebhookMalformed},
		{"two headers, both valid", []string{valid, valid}, ErrWebhookMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logger, logs := newLogBuffer()
			var h hookRecorder
			guarded := WebhookMiddleware(hookSecret, clockAt(hookNow), WithWebhookLogger(logger))(&h)
			req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(`{"a":1}`))
			for _, tok := range tc.tokens {
				req.Header.Add(WebhookHeader, tok)
			}
			rec := httptest.NewRecorder()
			guarded.ServeHTTP(rec, req)

			assert.Equal(t, http.StatusUnauthorized, rec.Code)
			assert.Empty(t, rec.Body.String(), "a refusal has no body")
			assert.Equal(t, `Sendbee realm="webhook"`, rec.Header().Get("WWW-Authenticate"), "a 401 names its scheme, nothing more")
			assert.Empty(t, rec.Header().Get("X-Handled"))
			assert.False(t, h.called, "the handler was called")
			assert.Contains(t, logs.String(), "level=WARN")
			assert.Contains(t, logs.String(), tc.want.Error(), "the log names the reason")
			for _, tok := range tc.tokens {
				assert.False(t, strings.Contains(logs.String(), tok), "the log contains the token")
			}
		})
	}
}

func TestWebhookMiddlewarePassesVerifiedRequestsOnUntouched(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			logger, logs := newLogBuffer()
			var h hookRecorder
			guarded := WebhookMiddleware(hookSecret, clockAt(hookNow+5), WithWebhookLogger(logger))(&h)
			body := `{"conversation_id":"c1","text":"hello"}`
			req := httptest.NewRequest(method, "/hooks/sendbee?account=7", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Add("X-Custom", "one")
			req.Header.Add("X-Custom", "two")
			SignWebhookRequest(req, hookSecret, time.Unix(hookNow, 0))
			sent := req.Header.Clone()
			rec := httptest.NewRecorder()
			guarded.ServeHTTP(rec, req)

			require.True(t, h.called, "the handler was not called")
			assert.Equal(t, method, h.method)
			assert.Equal(t, "/hooks/sendbee?account=7", h.url)
			assert.Equal(t, sent, h.header, "headers (the token included) reach the handler as sent")
			assert.NoError(t, h.readErr)
			assert.Equal(t, body, string(h.body))
			assert.Equal(t, http.StatusAccepted, rec.Code, "the handler's answer goes out as written")
			assert.Equal(t, "handled", rec.Body.String())
			assert.Equal(t, "yes", rec.Header().Get("X-Handled"))
			assert.Empty(t, logs.String(), "nothing is logged for a verified request")
		})
	}
}

func TestWebhookMiddlewareLimitsTheBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    []WebhookOption
		size    int
		tooLong bool
	}{
		{"default 1 MiB: exactly", nil, 1 << 20, false},
		{"default 1 MiB: one byte more", nil, 1<<20 + 1, true},
		{"16 bytes: exactly", []WebhookOption{WithWebhookMaxBodySize(16)}, 16, false},
		{"16 bytes: one byte more", []WebhookOption{WithWebhookMaxBodySize(16)}, 17, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var h hookRecorder
			guarded := WebhookMiddleware(hookSecret, append(tc.opts, clockAt(hookNow))...)(&h)
			req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(strings.Repeat("x", tc.size)))
			SignWebhookRequest(req, hookSecret, time.Unix(hookNow, 0))
			guarded.ServeHTTP(httptest.NewRecorder(), req)

			require.True(t, h.called, "the handler was not called")
			if !tc.tooLong {
				assert.NoError(t, h.readErr)
				assert.Len(t, h.body, tc.size)
				return
			}
			var tooLarge *http.MaxBytesError
			assert.ErrorAs(t, h.readErr, &tooLarge)
			assert.Less(t, len(h.body), tc.size, "the handler read past the limit")
		})
	}
}

// A webhook guard built with a secret or option it cannot use panics at
// once, naming the problem and never the secret, instead of answering every
// request with an error at run time.
func TestWebhookMiddlewareMisconfiguredPanicsWhenBuilt(t *testing.T) {
	t.Parallel()
	for _, tc := range misconfiguredWebhooks {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg := panicText(t, func() { WebhookMiddleware(tc.secret, tc.opt, clockAt(hookNow)) })
			assert.Contains(t, msg, "sendbee: WebhookMiddleware: ")
			assert.Contains(t, msg, tc.problem)
			assert.False(t, strings.TrimSpace(tc.secret) != "" && strings.Contains(msg, strings.TrimSpace(tc.secret)), "the panic shows the secret")
		})
	}
	t.Run("nil handler", func(t *testing.T) {
		t.Parallel()
		wrap := WebhookMiddleware(hookSecret)
		assert.Contains(t, panicText(t, func() { wrap(nil) }), "nil http.Handler")
	})
	t.Run("Client.WebhookMiddleware with an invalid option", func(t *testing.T) {
		t.Parallel()
		c, err := NewClient(testKey, hookSecret)
		require.NoError(t, err)
		msg := panicText(t, func() { c.WebhookMiddleware(WithWebhookWindow(-time.Second)) })
		assert.Contains(t, msg, "WithWebhookWindow")
		assert.NotContains(t, msg, hookSecret)
	})
	t.Run("Client not made by NewClient", func(t *testing.T) {
		t.Parallel()
		assert.Contains(t, panicText(t, func() { new(Client).WebhookMiddleware() }), "empty API secret")
	})
}

// panicText runs f, which must panic with a string, and returns it.
func panicText(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		require.NotNil(t, r, "no panic")
		text, ok := r.(string)
		require.True(t, ok, "panic value %T is not a string", r)
		msg = text
	}()
	f()
	return ""
}

func TestClientWebhookMiddlewareUsesTheAPISecretAndLogger(t *testing.T) {
	t.Parallel()
	logger, logs := newLogBuffer()
	c, err := NewClient(testKey, hookSecret, WithLogger(logger))
	require.NoError(t, err)
	var h hookRecorder
	guarded := c.WebhookMiddleware()(&h)

	forged := httptest.NewRequest(http.MethodPost, "/hook", nil)
	SignWebhookRequest(forged, testKey, time.Now())
	rec := httptest.NewRecorder()
	guarded.ServeHTTP(rec, forged)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "a token signed with the API key")
	assert.False(t, h.called)
	assert.Contains(t, logs.String(), ErrWebhookSignature.Error(), "refusals go to the client's logger")

	signed := httptest.NewRequest(http.MethodPost, "/hook", nil)
	SignWebhookRequest(signed, hookSecret, time.Now())
	rec = httptest.NewRecorder()
	guarded.ServeHTTP(rec, signed)
	assert.Equal(t, http.StatusAccepted, rec.Code)
	assert.True(t, h.called)
}

// FuzzVerifyWebhookToken checks that no input panics, that every refusal is
// one of the four sentinels, that a token verifies only when it is exactly
// GenerateToken(secret, t) for a t inside the window, and that a genuine
// token for now+offset verifies exactly when the offset is inside it.
func FuzzVerifyWebhookToken(f *testing.F) {
	for _, v := range webhookVectors {
		f.Add(v.token, v.unix, int64(0))
	}
	f.Add(webhookVectors[0].token, hookNow+900, int64(-900))
	f.Add(webhookVectors[0].token, hookNow-61, int64(61))
	f.Fuzz(func(t *testing.T, token string, now, offset int64) {
		clock := clockAt(now)
		err := VerifyWebhookToken(token, hookSecret, clock)
		if err != nil {
			assert.True(t, isWebhookSentinel(err), "refused with a non-sentinel error: %v", err)
		} else {
			unix, ok := timestampOf(token)
			require.True(t, ok, "a token without a numeric timestamp verified")
			assert.True(t, token == GenerateToken(hookSecret, time.Unix(unix, 0)), "a token other than GenerateToken's verified")
			assert.True(t, insideDefaultWindow(unix, now), "a token dated %d verified at %d", unix, now)
		}

		ts := new(big.Int).Add(big.NewInt(now), big.NewInt(offset))
		if !ts.IsInt64() {
			return
		}
		genuine := GenerateToken(hookSecret, time.Unix(ts.Int64(), 0))
		err = VerifyWebhookToken(genuine, hookSecret, clock)
		switch {
		case ts.Sign() < 0:
			assert.ErrorIs(t, err, ErrWebhookMalformed, "negative timestamp")
		case offset < -int64(DefaultWebhookWindow/time.Second):
			assert.ErrorIs(t, err, ErrWebhookExpired, "offset %d", offset)
		case offset > int64(DefaultWebhookSkew/time.Second):
			assert.ErrorIs(t, err, ErrWebhookFuture, "offset %d", offset)
		default:
			assert.NoError(t, err, "offset %d", offset)
		}
	})
}

// FuzzVerifyWebhookTokenWindow checks the window and skew options at any
// size and any clock: a genuine token dated offset seconds from now
// verifies exactly when -window <= offset <= skew (edges inclusive), and
// the same token signed with another secret never does.
func FuzzVerifyWebhookTokenWindow(f *testing.F) {
	f.Add(hookNow, int64(-900), uint32(900), uint32(60))
	f.Add(hookNow, int64(-901), uint32(900), uint32(60))
	f.Add(hookNow, int64(61), uint32(900), uint32(60))
	f.Add(hookNow, int64(0), uint32(0), uint32(0))
	f.Add(int64(math.MaxInt64), int64(0), uint32(math.MaxUint32), uint32(math.MaxUint32))
	f.Add(int64(5), int64(-5), uint32(math.MaxUint32), uint32(0))
	f.Fuzz(func(t *testing.T, now, offset int64, windowSecs, skewSecs uint32) {
		ts := new(big.Int).Add(big.NewInt(now), big.NewInt(offset))
		if !ts.IsInt64() || ts.Sign() < 0 {
			return // no genuine token has a negative or overflowing timestamp
		}
		signedAt := time.Unix(ts.Int64(), 0)
		opts := []WebhookOption{
			clockAt(now),
			WithWebhookWindow(time.Duration(windowSecs) * time.Second),
			WithWebhookSkew(time.Duration(skewSecs) * time.Second),
		}
		err := VerifyWebhookToken(GenerateToken(hookSecret, signedAt), hookSecret, opts...)
		switch {
		case offset < -int64(windowSecs):
			assert.ErrorIs(t, err, ErrWebhookExpired, "offset %d, window %ds", offset, windowSecs)
		case offset > int64(skewSecs):
			assert.ErrorIs(t, err, ErrWebhookFuture, "offset %d, skew %ds", offset, skewSecs)
		default:
			assert.NoError(t, err, "offset %d, window %ds, skew %ds", offset, windowSecs, skewSecs)
		}
		forged := VerifyWebhookToken(GenerateToken("another-secret", signedAt), hookSecret, opts...)
		assert.ErrorIs(t, forged, ErrWebhookSignature, "a token signed with another secret")
	})
}

// timestampOf reads the timestamp of a token the lenient way the Python
// client does, as an oracle independent of the code under test.
func timestampOf(token string) (int64, bool) {
	plain, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return 0, false
	}
	ts, _, _ := strings.Cut(string(plain), ".")
	unix, err := strconv.ParseInt(ts, 10, 64)
	return unix, err == nil
}

// insideDefaultWindow reports now-15min <= unix <= now+1min, in exact
// (big) integer arithmetic.
func insideDefaultWindow(unix, now int64) bool {
	ts, n := big.NewInt(unix), big.NewInt(now)
	earliest := new(big.Int).Sub(n, big.NewInt(int64(DefaultWebhookWindow/time.Second)))
	latest := new(big.Int).Add(n, big.NewInt(int64(DefaultWebhookSkew/time.Second)))
	return ts.Cmp(earliest) >= 0 && ts.Cmp(latest) <= 0
}

// FuzzWebhookMiddleware sends the guard hostile requests: any token (also
// repeated, as a second header), method, path, remote address and body.
// Nothing panics; the handler runs only for a request with exactly one
// header that VerifyWebhookToken accepts, and reads at most the body limit;
// every other request gets an empty 401 with the challenge; the log record
// of a refusal never holds the secret.
func FuzzWebhookMiddleware(f *testing.F) {
	valid := GenerateToken(hookSecret, time.Unix(hookNow, 0))
	f.Add(valid, "", "POST", "/hook", "1.2.3.4:5", []byte(`{"ok":true}`))
	f.Add(valid, valid, "POST", "/hook", "", []byte(nil))
	f.Add(valid+"\n", "", "GET", "/", "[::1]:1", bytes.Repeat([]byte("x"), 100))
	f.Add("", "", "\x00", "/\xff", "\r\n", []byte("\xff"))
	f.Add(craftToken("-1", strings.Repeat("a", 64)), "", "PUT", "//a/../b", "x", []byte("{"))
	f.Fuzz(func(t *testing.T, token, second, method, path, remote string, body []byte) {
		logger, logs := newLogBuffer()
		called := false
		var read int
		guard := WebhookMiddleware(hookSecret, clockAt(hookNow), WithWebhookLogger(logger), WithWebhookMaxBodySize(64))
		h := guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			called = true
			n, _ := io.Copy(io.Discard, r.Body)
			read = int(n)
			w.WriteHeader(http.StatusNoContent)
		}))
		header := http.Header{}
		if token != "" || second != "" {
			header[WebhookHeader] = []string{token}
			if second != "" {
				header[WebhookHeader] = append(header[WebhookHeader], second)
			}
		}
		req := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: header, RemoteAddr: remote, Body: io.NopCloser(bytes.NewReader(body))}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		accepted := second == "" && token != "" && VerifyWebhookToken(token, hookSecret, clockAt(hookNow)) == nil
		assert.Equal(t, accepted, called, "the handler runs exactly for a verified request")
		if called {
			assert.Equal(t, http.StatusNoContent, rec.Code)
			assert.LessOrEqual(t, read, 64, "the body limit holds")
			return
		}
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Empty(t, rec.Body.Bytes())
		assert.Equal(t, `Sendbee realm="webhook"`, rec.Header().Get("WWW-Authenticate"))
		if !strings.Contains(method+path+remote, hookSecret) { // the sender's own text is logged
			assert.False(t, strings.Contains(logs.String(), hookSecret), "the log shows the secret")
		}
	})
}
