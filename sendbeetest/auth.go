package sendbeetest

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
)

// tokenSkew is how far a token's time may be from the server's clock, either way.
const tokenSkew = 60 * time.Second

// authenticate checks X-Api-Key and X-Auth-Token: the key must be the
// server's, and the token must be sendbee.GenerateToken(secret, t) for a t
// within tokenSkew of the server's clock. The error says what is wrong
// without repeating any credential.
func (s *Server) authenticate(h http.Header) *apiError {
	key := h.Get("X-Api-Key")
	if key == "" {
		return unauthorized("the X-Api-Key header is missing")
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.apiKey)) != 1 {
		return unauthorized("the API key is not valid")
	}
	token := h.Get("X-Auth-Token")
	if token == "" {
		return unauthorized("the X-Auth-Token header is missing")
	}
	signedAt, ok := tokenTime(token)
	if !ok {
		return unauthorized("the auth token is malformed")
	}
	if d := signedAt.Sub(s.cfg.now()); d < -tokenSkew || d > tokenSkew {
		return unauthorized("the auth token has expired or is dated in the future")
	}
	want := sendbee.GenerateToken(s.cfg.apiSecret, signedAt)
	if subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return unauthorized("the auth token's signature is not valid")
	}
	return nil
}

// tokenTime reads the Unix second a token claims to be signed at:
// base64("<1 to 19 digits>.<signature>").
func tokenTime(token string) (time.Time, bool) {
	plain, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return time.Time{}, false
	}
	digits, _, ok := strings.Cut(string(plain), ".")
	if !ok || len(digits) == 0 || len(digits) > 19 || strings.Trim(digits, "0123456789") != "" {
		return time.Time{}, false
	}
	unix, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(unix, 0), true
}
