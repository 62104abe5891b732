package sendbee

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
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

// signer makes the X-Auth-Token for the current second, computing the HMAC
// at most once per second however many requests share it.
type signer struct {
	secret string
	now    func() time.Time
	cached atomic.Pointer[signedToken]
	// hmacs counts the tokens computed, for the benchmarks.
	hmacs atomic.Uint64
}

func (s *signer) token() string {
	unix := s.now().Unix()
	if c := s.cached.Load(); c != nil && c.unix == unix {
		return c.token
	}
	s.hmacs.Add(1)
	c := &signedToken{unix: unix, token: tokenFor(s.secret, unix)}
	s.cached.Store(c)
	return c.token
}

// signingTransport is the http.RoundTripper every request of a Client passes
// through. It sets X-Api-Key and a token for the current second on a clone of
// each request it sends to the API's host, so every attempt, retry and
// same-host redirect is signed afresh. Requests to any other host (a
// redirect elsewhere) go out without credentials.
type signingTransport struct {
	apiKey string
	host   string
	signer *signer
	base   http.RoundTripper
}

// RoundTrip signs req (on a clone; req is not modified) and sends it.
func (t *signingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != t.host {
		return t.base.RoundTrip(req)
	}
	signed := req.Clone(req.Context())
	signed.Header.Set("X-Api-Key", t.apiKey)
	signed.Header.Set("X-Auth-Token", t.signer.token())
	return t.base.RoundTrip(signed)
}
