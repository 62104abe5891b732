package sendbee

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// GenerateToken returns the token Sendbee expects in X-Auth-Token (and sends
// in a webhook's X-Authorization) for time t: standard base64 of
// "<unix seconds>.<lowercase hex HMAC-SHA256 of those digits, keyed with the
// UTF-8 bytes of secret>". Tokens are valid per whole second. The client
// signs every request itself; call this only to build requests by hand or to
// test webhook handlers.
func GenerateToken(secret string, t time.Time) string {
	return tokenFor(secret, t.Unix())
}

func tokenFor(secret string, unix int64) string {
	var ts [20]byte
	digits := strconv.AppendInt(ts[:0], unix, 10)

	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(digits)
	var sum [sha256.Size]byte

	plain := make([]byte, 0, len(digits)+1+hex.EncodedLen(sha256.Size))
	plain = append(plain, digits...)
	plain = append(plain, '.')
	plain = hex.AppendEncode(plain, mac.Sum(sum[:0]))
	return base64.StdEncoding.EncodeToString(plain)
}

// signedToken is a token and the Unix second it was made for.
type signedToken struct {
	unix  int64
	token string
}

// signedTokens are the tokens of the latest second signed and of one other,
// normally the second before it: a request that read the clock just before
// the latest token was made still finds its own without computing it again.
type signedTokens struct {
	latest, other signedToken
}

// find returns the token for unix, or nil.
func (p *signedTokens) find(unix int64) *signedToken {
	switch {
	case p == nil:
		return nil
	case p.latest.unix == unix:
		return &p.latest
	case p.other.token != "" && p.other.unix == unix:
		return &p.other
	}
	return nil
}

// with returns the tokens after made is added: it becomes the latest unless
// it is older than the latest (a request that lagged, or a clock set back),
// and then it becomes the other.
func (p *signedTokens) with(made signedToken) *signedTokens {
	switch {
	case p == nil:
		return &signedTokens{latest: made}
	case made.unix > p.latest.unix:
		return &signedTokens{latest: made, other: p.latest}
	}
	return &signedTokens{latest: p.latest, other: made}
}

// signer makes the X-Auth-Token for the current second, computing the HMAC
// once per second however many requests share it.
type signer struct {
	secret func() string // see hidden
	now    func() time.Time
	cached atomic.Pointer[signedTokens]
	// mu is held while computing a token, so that requests arriving
	// together at the start of a second wait for one HMAC instead of each
	// computing their own.
	mu sync.Mutex
	// hmacs counts the tokens computed, for the tests and benchmarks.
	hmacs atomic.Uint64
}

// token returns the token for the current second.
func (s *signer) token() string { return s.current().token }

// current returns the token for the current second, computing it only if
// no request has yet in that second.
func (s *signer) current() *signedToken {
	unix := s.now().Unix()
	if t := s.cached.Load().find(unix); t != nil {
		return t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cached := s.cached.Load()
	if t := cached.find(unix); t != nil {
		return t
	}
	s.hmacs.Add(1)
	token := tokenFor(s.secret(), unix)
	next := cached.with(signedToken{unix: unix, token: token})
	s.cached.Store(next)
	return next.find(unix)
}

// tokenAt returns the token for the second unix, from the cache when it
// holds it. Masking uses it to find the tokens a call sent.
func (s *signer) tokenAt(unix int64) string {
	if t := s.cached.Load().find(unix); t != nil {
		return t.token
	}
	return tokenFor(s.secret(), unix)
}

// signingTransport is the http.RoundTripper every request of a Client passes
// through. It sets X-Api-Key, a token for the current second and
// Content-Type: application/json on a copy of each request it sends to the
// API's origin (the base URL's scheme, host and port), so every attempt,
// retry and followed redirect is signed afresh and carries the content type
// (net/http drops it on a redirect that drops the body, such as a 302).
// Requests to any other origin go out without credentials: another host, a
// port of its own, or plain http where the base URL is https.
type signingTransport struct {
	apiKey func() string // see hidden
	origin origin
	signer *signer
	base   http.RoundTripper
	// proxy is the Proxy func of the *http.Transport underneath, if any;
	// see presend.
	proxy func(*http.Request) (*url.URL, error)
}

// contentTypeJSON is the Content-Type of every request, GETs included, as
// the API's clients send it; a slice of its own per request.
func contentTypeJSON() []string { return []string{"application/json"} }

// RoundTrip signs a copy of req and sends it; req is not modified. The copy
// is shallow but for its header map, a new one holding the same values plus
// the credentials: a full req.Clone would also copy the URL and every
// header value, which nothing here changes.
func (t *signingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.presend(req); err != nil {
		return nil, err
	}
	if originOf(req.URL) != t.origin {
		return t.base.RoundTrip(req)
	}
	signed := req.WithContext(req.Context())
	signed.Header = make(http.Header, len(req.Header)+3)
	maps.Copy(signed.Header, req.Header)
	signed.Header["Content-Type"] = contentTypeJSON()
	signed.Header["X-Api-Key"] = []string{t.apiKey()}
	// A value slice of its own per request: a transport further down that
	// edits header values in place cannot reach the cached token.
	token := t.signer.current()
	signed.Header["X-Auth-Token"] = []string{token.token}
	noteSent(req.Context(), token.unix) // so that an answer echoing it is masked
	return t.base.RoundTrip(signed)
}
