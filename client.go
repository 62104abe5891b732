package sendbee

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-querystring/query"
)

// Version is this library's version, sent in the User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the Sendbee Public API's address.
const DefaultBaseURL = "https://api-v2.sendbee.io"

// Defaults of the client's options.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxRetries      = 3
	DefaultMaxRetryWait    = 60 * time.Second
	DefaultMaxResponseSize = 10 << 20
)

// RateLimiter paces requests on the client side. *rate.Limiter from
// golang.org/x/time/rate satisfies it, as does any limiter shared between
// processes (Sendbee counts 60 requests per minute per business number,
// across all API keys). Wait blocks until a request may go, or returns an
// error (for example when ctx ends).
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// Client talks to the Sendbee Public API. Build it with NewClient (a Client
// it did not return, such as the zero value, has no services to call); it
// is immutable afterwards and safe for concurrent use by many goroutines.
// Each service field groups the calls for one resource.
type Client struct {
	// Contacts lists, subscribes and updates contacts.
	Contacts *ContactsService
	// Tags manages contact tags.
	Tags *TagsService
	// ContactFields manages the custom contact fields.
	ContactFields *ContactFieldsService
	// Conversations lists, reads and moves conversations.
	Conversations *ConversationsService
	// Messages lists a conversation's messages and sends new ones.
	Messages *MessagesService
	// Templates lists message templates and sends them.
	Templates *TemplatesService
	// Teams lists teams and their members.
	Teams *TeamsService
	// Automation switches the chatbot on and off per conversation.
	Automation *AutomationService

	cfg        config
	baseURL    *url.URL             // without its user and password
	baseUser   func() *url.Userinfo // the base URL's, see hidden
	httpClient *http.Client
	userAgent  string
	signer     *signer
	apiKey     func() string // see hidden
	// watchConns: the transport underneath is an *http.Transport, whose
	// httptrace hooks show whether an attempt got a connection (connWatch).
	watchConns bool

	debugMu   sync.Mutex
	rateLimit atomic.Pointer[RateLimit]
}

// config is what the options set; NewClient validates and freezes it.
type config struct {
	baseURL         string
	httpClient      *http.Client
	timeout         time.Duration
	maxRetries      int
	maxRetryWait    time.Duration
	maxResponseSize int64
	logger          *slog.Logger
	debug           io.Writer
	userAgent       string
	limiter         RateLimiter
	warn            func(ctx context.Context, warning string)
	backoff         backoff
	now             func() time.Time
}

// Option configures a Client in NewClient.
type Option func(*config) error

// WithBaseURL sets the API's address (default DefaultBaseURL), for tests and
// proxies. It must be an absolute http or https URL.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		c.baseURL = rawURL
		return nil
	}
}

// WithHTTPClient sends requests through hc (its transport, cookie jar,
// redirect policy and timeout), adding the authentication headers to each
// request to the base URL's origin (its scheme, host and port) and to no
// other; the client works on a copy, so hc itself is not modified. nil is
// an error.
//
// Redirects are followed only when that cannot change what a call does: a
// call that is not idempotent follows none; an idempotent GET follows any
// redirect to the base URL's origin; an idempotent PUT, POST or DELETE
// follows only a 307 or 308 there, keeping its method and body. A redirect
// to another origin (from https to http included) is never followed. A
// redirect not followed ends the call with the *APIError for its status,
// not retried, which for a call that is not idempotent matches
// ErrOutcomeUnknown. hc's CheckRedirect, if set, is asked only about the
// redirects this rule allows; an error from it ends the call, wrapped.
//
// When hc's transport is an *http.Transport with a Proxy func, the client
// calls that func once before the transport does for each request, so that
// a failure to choose a proxy is known to have happened before anything
// was sent: the call then fails at once, without a retry, and never with
// ErrOutcomeUnknown. With an *http.Transport, a send whose TLS handshake or
// proxy tunnel fails before the transport has a connection to write on is
// likewise known to have sent nothing: a failure to connect, retried, never
// ErrOutcomeUnknown. Behind a transport of another type, only what it
// reports as a failed dial or DNS lookup is known as such.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("sendbee: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each attempt (connect, send, read the answer); default
// 30 s. The caller's context bounds the whole call, retries included. It
// must be positive.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("sendbee: WithTimeout: duration must be positive")
		}
		c.timeout = d
		return nil
	}
}

// WithMaxRetries sets how many times a failed call may be retried (default
// 3; 0 turns retries off). Which failures are retried depends on the call:
// see the package documentation, Retries.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("sendbee: WithMaxRetries: count must not be negative")
		}
		c.maxRetries = n
		return nil
	}
}

// WithMaxRetryWait caps a single wait between attempts (default 60 s). The
// client's own backoff never waits longer; when the server's Retry-After
// asks for longer, the call returns the *APIError, with its RetryAfter, at
// once instead of waiting.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("sendbee: WithMaxRetryWait: duration must be positive")
		}
		c.maxRetryWait = d
		return nil
	}
}

// WithMaxResponseSize limits how many bytes of a response body are read
// (default 10 MiB; math.MaxInt64 sets no practical limit). A larger body
// fails the call; it is never decoded truncated. An answer known to be
// larger, by its Content-Length or once more bytes than n have arrived, is
// abandoned at once and its connection closed. Memory for a body grows with
// the bytes that arrive, not with the length an answer announces.
func WithMaxResponseSize(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("sendbee: WithMaxResponseSize: size must be positive")
		}
		c.maxResponseSize = n
		return nil
	}
}

// WithLogger logs one Debug record per attempt with metadata only (method,
// path, status, attempt, wait, duration, and for a failed attempt its error
// without the server's detail, and with its error type only when that looks
// like an identifier: at most 64 letters, digits, '_', '.' or '-'), and the
// API's warnings at Warn level. Records never hold credentials, query values
// or bodies: the API key, the secret and the call's tokens are masked as
// "[redacted]" even where the server echoes them. nil means slog.Default for
// warnings and no attempt records.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithDebug writes a full dump of every attempt to w: method, URL, headers,
// body, status, response headers and body, and an equivalent curl command.
// The API key, the secret and the tokens are masked, in the headers sent and
// wherever the answer echoes them back (shown as "[redacted]"). Writes are
// serialized, so w need not be safe for concurrent use.
func WithDebug(w io.Writer) Option {
	return func(c *config) error {
		c.debug = w
		return nil
	}
}

// WithUserAgent appends product (such as "myapp/1.2") to the User-Agent,
// which is "sendbee-go/<Version> (go<version>; <os>/<arch>)". White space at
// either end is trimmed; a control character (a line break, NUL, tab, …) or
// text that is not valid UTF-8 is an error.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if problem := textProblem(product); problem != "" {
			return errors.New("sendbee: WithUserAgent: the product " + problem)
		}
		c.userAgent = strings.TrimSpace(product)
		return nil
	}
}

// WithRateLimiter makes every attempt (retries included) wait on l before it
// is sent; an error from l.Wait ends the call and is returned wrapped. l must
// be safe for concurrent use. See RateLimiter. nil means no limiter; a nil
// pointer inside the interface (such as a nil *rate.Limiter) is an error.
func WithRateLimiter(l RateLimiter) Option {
	return func(c *config) error {
		if l != nil {
			if v := reflect.ValueOf(l); v.Kind() == reflect.Pointer && v.IsNil() {
				return errors.New("sendbee: WithRateLimiter: nil limiter")
			}
		}
		c.limiter = l
		return nil
	}
}

// WithWarningHandler receives the API's "warning" texts, with any credential
// the server echoed masked as "[redacted]". By default they are logged at
// Warn level (to the WithLogger logger, else slog.Default). The warning is
// also on Response.Warning, as sent, either way. f may be called from many
// goroutines at once.
func WithWarningHandler(f func(ctx context.Context, warning string)) Option {
	return func(c *config) error {
		c.warn = f
		return nil
	}
}

// NewClient returns a client that signs every request with apiKey and
// apiSecret. An empty key or secret, one with a control character (such as
// the newline that ends a line read from a file), with white space at
// either end or that is not valid UTF-8, or an invalid option, is an error;
// the error never shows the key or secret.
func NewClient(apiKey, apiSecret string, opts ...Option) (*Client, error) {
	for _, problem := range []string{credentialProblem("API key", apiKey), credentialProblem("API secret", apiSecret)} {
		if problem != "" {
			return nil, errors.New("sendbee: NewClient: " + problem)
		}
	}
	cfg := config{
		baseURL:         DefaultBaseURL,
		timeout:         DefaultTimeout,
		maxRetries:      DefaultMaxRetries,
		maxRetryWait:    DefaultMaxRetryWait,
		maxResponseSize: DefaultMaxResponseSize,
		backoff:         defaultBackoff(),
		now:             time.Now,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	cfg.baseURL = base.Redacted()
	user := base.User // a password in it stays out of every printer's reach
	base.User = nil
	c := &Client{
		cfg:       cfg,
		baseURL:   base,
		baseUser:  hidden(user),
		userAgent: userAgent(cfg.userAgent),
		signer:    &signer{secret: hidden(apiSecret), now: cfg.now},
		apiKey:    hidden(apiKey),
	}
	c.httpClient = c.newHTTPClient()
	svc := &service{client: c}
	c.Contacts = (*ContactsService)(svc)
	c.Tags = (*TagsService)(svc)
	c.ContactFields = (*ContactFieldsService)(svc)
	c.Conversations = (*ConversationsService)(svc)
	c.Messages = (*MessagesService)(svc)
	c.Templates = (*TemplatesService)(svc)
	c.Teams = (*TeamsService)(svc)
	c.Automation = (*AutomationService)(svc)
	return c, nil
}

// credentialProblem says what makes a key or secret (named name) unusable,
// "" when nothing does: empty or only white space, white space around it
// (a trailing newline read from a file), or a textProblem. Such a value
// can never be the one set in the account. The problem is named, the value
// never shown.
func credentialProblem(name, v string) string {
	switch {
	case strings.TrimSpace(v) == "":
		return "empty " + name
	case strings.TrimSpace(v) != v:
		return name + " has white space around it"
	}
	if problem := textProblem(v); problem != "" {
		return name + " " + problem
	}
	return ""
}

// textProblem says what keeps s out of a header value, "" when nothing
// does: a control character (a line break, NUL, tab, DEL, …) or bytes that
// are not valid UTF-8.
func textProblem(s string) string {
	switch {
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "contains a control character"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	}
	return ""
}

// service is shared by all the service types, which differ only in their
// methods.
type service struct {
	client *Client
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	var problem string
	switch {
	case err != nil:
		problem = "does not parse"
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		problem = "is not an absolute http(s) URL"
	case u.RawQuery != "" || u.Fragment != "":
		problem = "must not have a query or fragment"
	default:
		return u, nil
	}
	if strings.Contains(raw, "@") {
		// It may hold a user and password, and a broken URL cannot be
		// redacted reliably: show none of it.
		return nil, fmt.Errorf("sendbee: WithBaseURL: the URL (not shown, it may hold credentials) %s", problem)
	}
	if err != nil {
		return nil, fmt.Errorf("sendbee: WithBaseURL: %w", err)
	}
	return nil, fmt.Errorf("sendbee: WithBaseURL: %q %s", raw, problem)
}

func userAgent(product string) string {
	ua := "sendbee-go/" + Version + " (" + goVersion(runtime.Version()) + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if product != "" {
		ua += " " + product
	}
	return ua
}

// goVersion is the "go1.N[.M]" part of a runtime.Version string, which on
// development or experiment builds carries more ("devel go1.26-abc…",
// "go1.25.0 X:jsonv2"); "go" when there is none.
func goVersion(v string) string {
	i := strings.Index(v, "go1")
	if i < 0 {
		return "go"
	}
	v = v[i:]
	end := len("go")
	for end < len(v) && (v[end] == '.' || '0' <= v[end] && v[end] <= '9') {
		end++
	}
	return strings.TrimRight(v[:end], ".")
}

// newHTTPClient copies the caller's http.Client (or makes one with its own
// connection pool) and puts the signing transport, and the debug dump when
// asked for, in front of its transport.
func (c *Client) newHTTPClient() *http.Client {
	var hc http.Client
	var base http.RoundTripper
	if c.cfg.httpClient != nil {
		hc = *c.cfg.httpClient
		base = hc.Transport
	}
	if base == nil {
		base = defaultTransport()
	}
	st := &signingTransport{apiKey: c.apiKey, origin: originOf(c.baseURL), signer: c.signer}
	if t, ok := base.(*http.Transport); ok {
		st.proxy = t.Proxy
		// Only an *http.Transport is known to report, through
		// httptrace, the connection it gets before writing on it.
		c.watchConns = true
	}
	if c.cfg.debug != nil {
		base = &debugTransport{client: c, base: base}
	}
	st.base = base
	hc.Transport = st
	hc.CheckRedirect = c.checkRedirect(hc.CheckRedirect)
	return &hc
}

// defaultTransport is a private connection pool, so one client's idle
// connections are not shared with (or closed by) other code.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.MaxIdleConnsPerHost = 16
	return t
}

// RateLimit returns the X-RateLimit-* values of the most recent answer that
// carried them, with the most recent answer's Retry-After; the zero value
// before any answer.
func (c *Client) RateLimit() RateLimit {
	if rl := c.rateLimit.Load(); rl != nil {
		return *rl
	}
	return RateLimit{}
}

// Response is an HTTP answer from the API. Every Page, every *APIError and
// every object a single-object call returns (a *Contact from Subscribe, a
// *SentMessage from Send, a *ServerMessage from a delete, …) carries the
// one it came from; an item inside a Page has none of its own.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the response headers as received, nothing masked.
	Header http.Header
	// Body is the raw response body, as received: unlike errors, logs and
	// the debug dump, it is not masked, so it holds whatever the server
	// sent, a credential it echoed included.
	Body []byte
	// Warning is the API's "warning" text, if it sent one, as sent; the
	// warning handler (WithWarningHandler) receives it too, with any
	// credential the server echoed masked.
	Warning string
	// RateLimit is read from this answer's rate-limit headers.
	RateLimit RateLimit
}

// RateLimit is the rate-limit state the API reports in its headers. Fields
// are zero when the header was absent.
type RateLimit struct {
	// Limit is X-RateLimit-Limit: requests allowed per minute (60).
	Limit int
	// Remaining is X-RateLimit-Remaining: requests left in this window.
	Remaining int
	// Reset is X-RateLimit-Reset as sent, documented as the Unix time at
	// which the window resets.
	Reset int64
	// RetryAfter is the wait asked for by Retry-After (on a 429).
	RetryAfter time.Duration
}

// call describes one API request.
type call struct {
	method string
	path   string
	query  any // a struct with url tags, or nil
	body   any // JSON-encoded when non-nil
	// idempotent calls may be retried after the server may have acted on
	// them (a 5xx, a timeout, a reset connection).
	idempotent bool
	// effect says, for a call that is not idempotent, what may have
	// happened when its outcome is unknown, e.g. "the message may have been sent".
	effect string
	// emptyOK marks calls whose 2xx answer may hold no object (a delete's
	// or the chatbot switch's confirmation); others treat that as an error.
	emptyOK bool
}

// encode builds the request URL (GET parameters in the query string,
// percent-encoded, spaces as %20) and the JSON body. A parameter holding
// text that is not valid UTF-8 is a *ValidationError: it could not be sent
// as given.
func (c *Client) encode(cl call) (string, []byte, error) {
	u := *c.baseURL
	if c.baseUser != nil {
		u.User = c.baseUser()
	}
	u.Path = c.baseURL.Path + cl.path
	if u.RawPath != "" {
		u.RawPath = c.baseURL.RawPath + cl.path
	}
	if cl.query != nil {
		v, err := query.Values(cl.query)
		if err != nil {
			return "", nil, fmt.Errorf("sendbee: %s %s: encoding the query: %w", cl.method, cl.path, err)
		}
		if err := checkQueryUTF8(cl.query, v); err != nil {
			return "", nil, err
		}
		u.RawQuery = strings.ReplaceAll(v.Encode(), "+", "%20")
	}
	if cl.body == nil {
		return u.String(), nil, nil
	}
	// The walk stays for the body: json.Marshal would carry U+FFFD in
	// place of the bytes, so the encoded body cannot show them.
	if err := checkUTF8(cl.body); err != nil {
		return "", nil, err
	}
	body, err := json.Marshal(cl.body)
	if err != nil {
		return "", nil, fmt.Errorf("sendbee: %s %s: encoding the body: %w", cl.method, cl.path, err)
	}
	if !utf8.Valid(body) { // a value's own MarshalJSON wrote it
		return "", nil, &ValidationError{Field: "body", Reason: "encodes to JSON that is not valid UTF-8"}
	}
	return u.String(), body, nil
}

// attempt sends one signed request and reads its answer through the size
// limit. A body read to its end leaves the connection to be reused.
func (c *Client) attempt(ctx context.Context, cl call, target string, body []byte) (*Response, error) {
	// A call that is not safe to repeat learns whether the transport ever
	// got a connection: if not, it is known to have sent nothing.
	var watch *connWatch
	if !cl.idempotent && c.watchConns {
		watch = &connWatch{}
		ctx = watch.watchConn(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, cl.method, target, bodyReader(body))
	if err != nil {
		return nil, &notSentError{err: err} // judged and wrapped, once, like any failed attempt
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	httpResp, err := c.httpClient.Do(req)
	if err != nil {
		if watch != nil && watch.neverConnected() {
			return nil, &notConnectedError{err: withoutRequestHead(err, req.URL)}
		}
		return nil, withoutRequestHead(err, req.URL)
	}
	defer httpResp.Body.Close()
	raw, err := readLimited(httpResp.Body, httpResp.ContentLength, c.cfg.maxResponseSize)
	if err != nil {
		// Abandon the answer (over the limit, or broken): ending the
		// request's context before the body is closed makes the transport
		// close the connection at once, where a close alone may let it
		// wait to drain what remains.
		cancel()
	}
	if err != nil && !(errors.Is(err, ErrResponseTooLarge) && httpResp.StatusCode >= 300) {
		return nil, err
	}
	// An error answer too large to read is still judged by its status; its
	// body is left out.
	resp := &Response{
		StatusCode: httpResp.StatusCode,
		Header:     httpResp.Header,
		Body:       raw,
		RateLimit:  readRateLimit(httpResp.Header, c.cfg.now()),
	}
	c.noteRateLimit(httpResp.Header, resp.RateLimit)
	return resp, nil
}

// noteRateLimit keeps what Client.RateLimit reports: the X-RateLimit-*
// values of the latest answer that carried them, and the latest answer's
// Retry-After (zero when it sent none).
func (c *Client) noteRateLimit(h http.Header, rl RateLimit) {
	if hasRateLimitHeaders(h) {
		c.rateLimit.Store(&rl)
		return
	}
	for { // swap only what was read, so a concurrent answer's headers are never lost
		last := c.rateLimit.Load()
		if last == nil || last.RetryAfter == rl.RetryAfter {
			return
		}
		merged := *last
		merged.RetryAfter = rl.RetryAfter
		if c.rateLimit.CompareAndSwap(last, &merged) {
			return
		}
	}
}

// hasRateLimitHeaders reports whether an answer carries the X-RateLimit-*
// headers, so that Client.RateLimit is not wiped by answers without them.
func hasRateLimitHeaders(h http.Header) bool {
	return h["X-Ratelimit-Limit"] != nil || h["X-Ratelimit-Remaining"] != nil || h["X-Ratelimit-Reset"] != nil
}

func bodyReader(body []byte) io.Reader {
	if body == nil {
		return nil
	}
	return bytes.NewReader(body)
}

// firstBufferMax bounds the buffer readLimited allocates before a body's
// bytes arrive: a Content-Length may lie, so a larger body's buffer grows
// only as it is read.
const firstBufferMax = 1 << 20

// readLimited reads all of r if it holds at most limit bytes. A larger body
// is an error, never a truncated result; one whose Content-Length already
// says so is not read. The buffer is sized from the Content-Length, up to
// firstBufferMax, plus the byte that lets Read report EOF without growing
// it; past that it grows as bytes arrive, doubling, but not beyond the
// announced length while the body keeps to it, nor beyond the limit.
func readLimited(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength > limit {
		return nil, fmt.Errorf("%w (%d > %d bytes)", ErrResponseTooLarge, contentLength, limit)
	}
	// stop is the length that proves the body too large: one byte over.
	stop := limit
	if stop < math.MaxInt64 {
		stop++
	}
	size := int64(512)
	if contentLength >= 0 {
		size = min(contentLength, firstBufferMax) + 1
	}
	buf := make([]byte, 0, min(size, stop))
	for {
		if len(buf) == cap(buf) {
			read := int64(len(buf))
			grow := read // double
			if left := contentLength - read; left > 0 {
				grow = min(grow, left+1)
			}
			// make, not append's growth: that rounds the capacity up,
			// by as much as a quarter, past the limit.
			grown := make([]byte, len(buf), read+min(grow, stop-read))
			copy(grown, buf)
			buf = grown
		}
		room := buf[len(buf):min(int64(cap(buf)), stop)]
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w (more than %d bytes)", ErrResponseTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readRateLimit reads the rate-limit headers. Their names are written in
// canonical form (X-Ratelimit-…) so that Header.Get finds them without
// allocating a canonical copy of the name on every answer.
func readRateLimit(h http.Header, now time.Time) RateLimit {
	return RateLimit{
		Limit:      headerInt(h, "X-Ratelimit-Limit"),
		Remaining:  headerInt(h, "X-Ratelimit-Remaining"),
		Reset:      int64(headerInt(h, "X-Ratelimit-Reset")),
		RetryAfter: parseRetryAfter(h.Get("Retry-After"), now),
	}
}

// headerInt reads a header as an integer: plain digits directly, anything
// else as tolerantly as an Int; 0 when absent or unreadable.
func headerInt(h http.Header, name string) int {
	v := h.Get(name)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	var n Int
	if n.UnmarshalJSON([]byte(v)) != nil {
		return 0
	}
	return int(n)
}

// noteWarning puts the API's warning on resp and hands it to the warning
// handler.
func (c *Client) noteWarning(ctx context.Context, resp *Response, warning string) {
	if warning == "" {
		return
	}
	resp.Warning = warning
	warning = c.redactor(ctx)(warning) // an echoed credential stays out of logs
	if c.cfg.warn != nil {
		c.cfg.warn(ctx, warning)
		return
	}
	logger := c.cfg.logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.WarnContext(ctx, "sendbee API warning", slog.String("warning", warning))
}
