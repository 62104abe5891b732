package sendbee

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WebhookHeader is the request header in which Sendbee sends a webhook's
// token. It differs from the X-Auth-Token header of API requests.
const WebhookHeader = "X-Authorization"

// Defaults of the webhook options.
const (
	// DefaultWebhookWindow is how old a webhook token may be.
	DefaultWebhookWindow = 15 * time.Minute
	// DefaultWebhookSkew is how far ahead of the receiver's clock a webhook token may be dated.
	DefaultWebhookSkew = time.Minute
	// DefaultWebhookMaxBodySize is how many bytes of a webhook request's
	// body WebhookMiddleware lets the handler read.
	DefaultWebhookMaxBodySize = 1 << 20
)

// Errors of webhook verification, matched with errors.Is. The returned error
// wraps one of them with a reason that never contains the token or the
// secret. The signature is checked before the time, so ErrWebhookExpired and
// ErrWebhookFuture mean the token was made with the secret: a replay, or a
// clock that is off.
var (
	// ErrWebhookMalformed means the token is not in Sendbee's format: empty, not
	// padded standard base64, line breaks or spaces, not exactly
	// "<digits>.<64 lowercase hex digits>" once decoded, or a timestamp that
	// is not 1 to 19 digits without sign or leading zero.
	ErrWebhookMalformed = errors.New("sendbee: malformed webhook token")
	// ErrWebhookExpired means the token is older than the window.
	ErrWebhookExpired = errors.New("sendbee: webhook token expired")
	// ErrWebhookFuture means the token is dated further ahead of the receiver's clock than the skew.
	ErrWebhookFuture = errors.New("sendbee: webhook token dated in the future")
	// ErrWebhookSignature means the token was not signed with this secret.
	ErrWebhookSignature = errors.New("sendbee: webhook token signature mismatch")
)

// errWebhookConfig is wrapped by the error for a missing secret or an
// invalid option: a programming error, matching none of the sentinels above.
var errWebhookConfig = errors.New("sendbee: webhook verification misconfigured")

// WebhookOption configures VerifyWebhookToken and WebhookMiddleware. An
// invalid value is not replaced by a default: VerifyWebhookToken then fails
// with an error that matches none of the ErrWebhook sentinels, so no token
// passes, and WebhookMiddleware panics when built.
type WebhookOption func(*webhookConfig)

// WithWebhookWindow sets how old a token may be (default 15 minutes). Tokens
// carry whole seconds, so d is rounded down to whole seconds and the edge is
// inclusive: with the default, a token exactly 900 s old passes and one 901 s
// old fails with ErrWebhookExpired. A window of 0 accepts only tokens dated
// in the current second (or ahead, within the skew). A negative window is
// invalid.
func WithWebhookWindow(d time.Duration) WebhookOption {
	return nonNegative("WithWebhookWindow", d, func(c *webhookConfig) *time.Duration { return &c.window })
}

// WithWebhookSkew sets how far ahead of the receiver's clock a token may be dated
// (default 1 minute), for a sender whose clock runs fast. Like the window it
// is in whole seconds with the edge inclusive: a token dated exactly 60 s
// ahead passes, 61 s ahead fails with ErrWebhookFuture. A skew of 0 accepts
// nothing dated after the current second. A negative skew is invalid.
func WithWebhookSkew(d time.Duration) WebhookOption {
	return nonNegative("WithWebhookSkew", d, func(c *webhookConfig) *time.Duration { return &c.skew })
}

// nonNegative is an option that sets the field to d, or records a
// configuration error when d is negative.
func nonNegative(option string, d time.Duration, field func(*webhookConfig) *time.Duration) WebhookOption {
	return func(c *webhookConfig) {
		if d < 0 {
			c.fail("%s: negative duration %s", option, d)
			return
		}
		*field(c) = d
	}
}

// WithWebhookClock makes verification read the time from now instead of
// time.Now, for tests. nil is invalid.
func WithWebhookClock(now func() time.Time) WebhookOption {
	return func(c *webhookConfig) {
		if now == nil {
			c.fail("WithWebhookClock: nil clock")
			return
		}
		c.now = now
	}
}

// WithWebhookMaxBodySize sets how many bytes of a verified request's body
// WebhookMiddleware lets the handler read (default 1 MiB); reading more
// fails with an *http.MaxBytesError (see http.MaxBytesReader). It must be
// positive. VerifyWebhookToken does not use it, but fails like any other
// invalid option when it is not.
func WithWebhookMaxBodySize(n int64) WebhookOption {
	return func(c *webhookConfig) {
		if n <= 0 {
			c.fail("WithWebhookMaxBodySize: size %d is not positive", n)
			return
		}
		c.maxBodySize = n
	}
}

// WithWebhookLogger sets where WebhookMiddleware logs why it refused a
// request (default slog.Default, looked up when logging; nil is ignored).
// Records carry the status, reason, method, path and remote address, never
// the token or the secret. VerifyWebhookToken ignores it.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(c *webhookConfig) {
		if l != nil {
			c.logger = l
		}
	}
}

// webhookConfig is a secret and the options applied to the defaults.
type webhookConfig struct {
	secret      string
	window      time.Duration
	skew        time.Duration
	now         func() time.Time
	maxBodySize int64
	logger      *slog.Logger // nil means slog.Default()
	// err is the first configuration problem; it fails every verification.
	err error
	// problem is err's own text, for WebhookMiddleware's panic.
	problem string
}

func newWebhookConfig(secret string, opts []WebhookOption) *webhookConfig {
	c := &webhookConfig{
		secret:      secret,
		window:      DefaultWebhookWindow,
		skew:        DefaultWebhookSkew,
		now:         time.Now,
		maxBodySize: DefaultWebhookMaxBodySize,
	}
	// Sendbee signs with the secret as set in the account, so a secret
	// NewClient would refuse can never match.
	if problem := credentialProblem("API secret", secret); problem != "" {
		c.fail("%s", problem)
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	return c
}

// fail records a configuration problem, keeping the first one.
func (c *webhookConfig) fail(format string, args ...any) {
	if c.err == nil {
		c.problem = fmt.Sprintf(format, args...)
		c.err = fmt.Errorf("%w: %s", errWebhookConfig, c.problem)
	}
}

// VerifyWebhookToken checks the token Sendbee sent in a webhook request's
// X-Authorization header (WebhookHeader) against secret, the account's API
// secret (not the API key: the secret signs webhooks). It returns nil only
// when the token is exactly GenerateToken(secret, t) for a second t from
// now-window to now+skew (15 minutes and 1 minute by default, edges
// included). Otherwise it returns an error matching ErrWebhookMalformed,
// ErrWebhookSignature, ErrWebhookExpired or ErrWebhookFuture, or, for an
// empty or white-space secret, one with white space around it, a control
// character or bytes that are not valid UTF-8, or an invalid option, an
// error matching none of them.
//
// The check is strict and constant-time: the token must be padded standard
// base64 (the unpadded form, other alphabets, spaces and line breaks are
// refused), decode to "<timestamp>.<64 lowercase hex digits>", and the
// signature is compared with hmac.Equal. It never panics, whatever the input.
//
// What nil proves: the token is a signed timestamp, not a signature of the
// request. It shows that the sender holds the secret and made the token
// recently (within the window); it says nothing about the body, the method
// or the URL, so it does not prove that the body is the one Sendbee sent,
// and a token that was seen (by a proxy, in a log) can be sent again, with
// any body, until it expires. Receive webhooks over HTTPS only, keep the
// header out of logs, and process events idempotently: deduplicate them,
// for example by message ID, so a repeated request changes nothing.
func VerifyWebhookToken(token, secret string, opts ...WebhookOption) error {
	return newWebhookConfig(secret, opts).verify(token)
}

func (c *webhookConfig) verify(token string) error {
	if c.err != nil {
		return c.err
	}
	unix, err := parseWebhookToken(token)
	if err != nil {
		return err
	}
	// The format is canonical now, so the token verifies exactly when it
	// is the one the secret makes for its timestamp.
	if !hmac.Equal([]byte(tokenFor(c.secret, unix)), []byte(token)) {
		return ErrWebhookSignature
	}
	return c.checkTime(unix)
}

// maxWebhookTokenLen is the length of a token with a 19-digit timestamp,
// the longest one allowed.
const maxWebhookTokenLen = (19 + len(".") + 64 + 2) / 3 * 4

// parseWebhookToken checks the token's format and returns its timestamp.
func parseWebhookToken(token string) (int64, error) {
	switch {
	case token == "":
		return 0, fmt.Errorf("%w: empty", ErrWebhookMalformed)
	case len(token) > maxWebhookTokenLen:
		return 0, fmt.Errorf("%w: longer than %d bytes", ErrWebhookMalformed, maxWebhookTokenLen)
	case strings.ContainsAny(token, "\r\n"):
		// The base64 decoder would skip them silently.
		return 0, fmt.Errorf("%w: contains a line break", ErrWebhookMalformed)
	}
	plain, err := base64.StdEncoding.Strict().DecodeString(token)
	if err != nil {
		return 0, fmt.Errorf("%w: not padded standard base64", ErrWebhookMalformed)
	}
	ts, sig, ok := bytes.Cut(plain, []byte("."))
	if !ok {
		return 0, fmt.Errorf("%w: no '.' between timestamp and signature", ErrWebhookMalformed)
	}
	if !isLowerHex(sig, 64) {
		return 0, fmt.Errorf("%w: signature is not 64 lowercase hex digits", ErrWebhookMalformed)
	}
	unix, ok := parseUnixSeconds(ts)
	if !ok {
		return 0, fmt.Errorf("%w: timestamp is not 1 to 19 digits without sign or leading zero", ErrWebhookMalformed)
	}
	return unix, nil
}

func isLowerHex(b []byte, n int) bool {
	if len(b) != n {
		return false
	}
	for _, ch := range b {
		if (ch < '0' || ch > '9') && (ch < 'a' || ch > 'f') {
			return false
		}
	}
	return true
}

// parseUnixSeconds reads a timestamp written as GenerateToken writes one:
// decimal digits only, no leading zero, at most int64's maximum.
func parseUnixSeconds(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 19 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
	}
	unix, err := strconv.ParseInt(string(b), 10, 64)
	return unix, err == nil
}

// checkTime requires now-window <= unix <= now+skew, in whole seconds,
// saturating instead of overflowing at int64's ends.
func (c *webhookConfig) checkTime(unix int64) error {
	now := c.now().Unix()
	if unix < subSaturating(now, int64(c.window/time.Second)) {
		return fmt.Errorf("%w: dated %d, now %d, window %s", ErrWebhookExpired, unix, now, c.window)
	}
	if unix > addSaturating(now, int64(c.skew/time.Second)) {
		return fmt.Errorf("%w: dated %d, now %d, skew %s", ErrWebhookFuture, unix, now, c.skew)
	}
	return nil
}

// subSaturating returns a-b for b >= 0, or math.MinInt64 where that would overflow.
func subSaturating(a, b int64) int64 {
	if a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}

// addSaturating returns a+b for b >= 0, or math.MaxInt64 where that would overflow.
func addSaturating(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// WebhookMiddleware guards a webhook handler: it verifies the request's
// X-Authorization header (WebhookHeader) with secret, the API secret (not
// the API key), as VerifyWebhookToken does. A missing, repeated or refused
// token gets 401 Unauthorized with an empty body and the header
// WWW-Authenticate: Sendbee realm="webhook", and the reason is logged
// at Warn level (see WithWebhookLogger); the handler is not called. A
// verified request reaches next unchanged (method, URL, headers, body),
// except that its body reads at most the WithWebhookMaxBodySize limit
// (default 1 MiB); reading past it fails with an *http.MaxBytesError.
//
// An empty or white-space secret, one with white space around it, a
// control character (such as a newline read from a file) or bytes that are
// not valid UTF-8, an invalid option,
// or a nil next is a programming error, caught at start-up: WebhookMiddleware,
// or the func it returns when given a nil next, panics with a message that
// names the problem and never the secret, as http.ServeMux.Handle does on an
// invalid pattern. It is the package's only panic.
//
// A verified request is one whose sender holds the secret and signed a
// recent timestamp; the token does not sign the body, the method or the
// URL, so it does not prove that the body is the one Sendbee sent, and
// verification is stateless: a token that was seen can be replayed, with
// any body, within its window. Serve the webhook over HTTPS only, and make
// the handler process events idempotently, for example by deduplicating on
// the message ID. See VerifyWebhookToken.
func WebhookMiddleware(secret string, opts ...WebhookOption) func(http.Handler) http.Handler {
	c := newWebhookConfig(secret, opts)
	if c.err != nil {
		panic("sendbee: WebhookMiddleware: " + c.problem)
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("sendbee: WebhookMiddleware: nil http.Handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := c.verifyRequest(r); err != nil {
				c.refuse(w, r, err)
				return
			}
			next.ServeHTTP(w, c.limitBody(w, r))
		})
	}
}

// verifyRequest verifies the request's one X-Authorization header.
func (c *webhookConfig) verifyRequest(r *http.Request) error {
	tokens := r.Header.Values(WebhookHeader)
	switch len(tokens) {
	case 0:
		return fmt.Errorf("%w: no %s header", ErrWebhookMalformed, WebhookHeader)
	case 1:
		return c.verify(tokens[0])
	default:
		return fmt.Errorf("%w: %d %s headers", ErrWebhookMalformed, len(tokens), WebhookHeader)
	}
}

// webhookChallenge is the WWW-Authenticate value of a refusal: it names the
// scheme and nothing about why the token failed.
const webhookChallenge = `Sendbee realm="webhook"`

// refuse answers 401 with no body, and logs why at Warn level.
func (c *webhookConfig) refuse(w http.ResponseWriter, r *http.Request, reason error) {
	logger := c.logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.LogAttrs(r.Context(), slog.LevelWarn, "sendbee webhook request refused",
		slog.Int("status", http.StatusUnauthorized),
		slog.String("reason", reason.Error()),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("remote_addr", r.RemoteAddr),
	)
	w.Header().Set("WWW-Authenticate", webhookChallenge) // required on a 401 (RFC 9110, 15.5.2)
	w.WriteHeader(http.StatusUnauthorized)
}

// limitBody returns a shallow copy of r whose body reads at most the
// configured size; r itself is not modified.
func (c *webhookConfig) limitBody(w http.ResponseWriter, r *http.Request) *http.Request {
	if r.Body == nil {
		return r
	}
	limited := new(http.Request)
	*limited = *r
	limited.Body = http.MaxBytesReader(w, r.Body, c.maxBodySize)
	return limited
}

// SignWebhookRequest sets r's X-Authorization header (WebhookHeader) to the
// token Sendbee would send at time t when signing with secret, the API
// secret. Use it to test your own webhook handlers; time.Now() gives a token
// that verifies now. A nil r is ignored.
func SignWebhookRequest(r *http.Request, secret string, t time.Time) {
	if r == nil {
		return
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	r.Header.Set(WebhookHeader, GenerateToken(secret, t))
}

// VerifyWebhookToken is VerifyWebhookToken with the client's API secret.
// The current time is read from the system clock unless WithWebhookClock
// says otherwise. It proves what VerifyWebhookToken proves: the sender
// holds the secret and the token is recent, not that the body is the one
// Sendbee sent.
func (c *Client) VerifyWebhookToken(token string, opts ...WebhookOption) error {
	return VerifyWebhookToken(token, c.webhookSecret(), c.webhookOptions(opts)...)
}

// WebhookMiddleware is WebhookMiddleware with the client's API secret. It
// logs refusals to the client's WithLogger logger when one was set (options
// may replace it), else to slog.Default. As with WebhookMiddleware, a
// verified request proves that its sender holds the secret and signed a
// recent timestamp, not that its body is the one Sendbee sent: serve it
// over HTTPS only and process events idempotently (deduplicate by message
// ID). It panics like WebhookMiddleware when built with an invalid option or
// a nil handler, and on a Client not made by NewClient, which has no secret.
func (c *Client) WebhookMiddleware(opts ...WebhookOption) func(http.Handler) http.Handler {
	return WebhookMiddleware(c.webhookSecret(), c.webhookOptions(opts)...)
}

// webhookSecret is the client's API secret, or "" (which fails every
// verification) for a Client not made by NewClient.
func (c *Client) webhookSecret() string {
	if c == nil || c.signer == nil {
		return ""
	}
	return c.signer.secret()
}

// webhookOptions puts the client's clock and logger before the caller's options.
func (c *Client) webhookOptions(opts []WebhookOption) []WebhookOption {
	if c == nil {
		return opts
	}
	var defaults []WebhookOption
	if c.cfg.now != nil {
		defaults = append(defaults, WithWebhookClock(c.cfg.now))
	}
	if c.cfg.logger != nil {
		defaults = append(defaults, WithWebhookLogger(c.cfg.logger))
	}
	return append(defaults, opts...)
}
