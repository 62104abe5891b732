package sendbee

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is. An *APIError matches the sentinel
// for its status; an error from a call that may have taken effect matches
// ErrOutcomeUnknown.
var (
	// ErrRateLimited matches an *APIError for HTTP 429. Its RetryAfter says
	// how long the server asked the client to wait.
	ErrRateLimited = errors.New("sendbee: rate limited")
	// ErrUnauthorized matches an *APIError for HTTP 401 or 403: a wrong API
	// key or secret, or a clock far enough off that the token is refused.
	ErrUnauthorized = errors.New("sendbee: unauthorized")
	// ErrNotFound matches an *APIError for HTTP 404. The API answers 404 both
	// for a missing resource and for a wrong path.
	ErrNotFound = errors.New("sendbee: not found")
	// ErrOutcomeUnknown matches the error of a call that is not safe to
	// repeat (sending a message or template, subscribing a contact, creating
	// a tag or contact field, updating a contact with notes) when the request
	// may have reached the server: a timeout, a dropped connection, a
	// cancelled context, a 5xx or 408 answer, a redirect (such a call follows
	// none), or a 2xx answer that could not be read or decoded. The library
	// does not retry such a call; check (for example with Messages.List)
	// before sending again. A failure known to have happened before anything
	// was sent never matches it.
	ErrOutcomeUnknown = errors.New("sendbee: outcome unknown")
	// ErrResponseTooLarge matches the error for a 2xx answer larger than
	// WithMaxResponseSize (default 10 MiB). The answer is not decoded and
	// the call is not retried (for a call that is not safe to repeat, the
	// error matches ErrOutcomeUnknown too). An error status too large to
	// read is still an *APIError, its body left out.
	// Its text has no "sendbee: " prefix, since it is only ever seen
	// wrapped in the text of the call that failed.
	ErrResponseTooLarge = errors.New("response body exceeds the size limit")
)

// APIError is the error for an HTTP status outside 2xx: 400 or more, and
// also a 3xx: a redirect the client did not follow (the API does not
// redirect; see WithHTTPClient for which redirects are followed). Reach it
// with errors.As; match classes with errors.Is and the sentinels above.
type APIError struct {
	// StatusCode is the HTTP status, such as 422 or 429.
	StatusCode int
	// Type is the server's error type, an opaque string (a number's text
	// when the server sent a number); empty when the body carried none or
	// something that is not a string or a number. Like Detail, it has the
	// API key, the secret and the call's tokens masked as "[redacted]"
	// where the server echoed them (Response keeps the answer raw).
	Type string
	// Detail is the server's message, or the HTTP status text when the body
	// was not a JSON error. A detail that is not a string (say, a map of
	// field errors) is kept as its compact JSON text.
	Detail string
	// RetryAfter is the wait the server asked for in Retry-After (seconds or
	// an HTTP date); zero when absent.
	RetryAfter time.Duration
	// Method and Path name the request that failed, such as "POST" and
	// "/contacts/subscribe".
	Method, Path string
	// Response is the whole HTTP answer: headers, raw body, rate-limit state.
	Response *Response

	// effect is set for a call that is not safe to repeat when the server
	// may have acted on it: what may have happened.
	effect string
}

// Error describes the failure without any credential: the API key, the
// secret and the call's tokens are masked even where the server echoed them.
func (e *APIError) Error() string { return e.text(true) }

// text is the error string, with the server's detail or without it (for
// logs, since the detail is body content and may quote the caller's data;
// logs carry the type only when it looks like an identifier).
func (e *APIError) text(withDetail bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "sendbee: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Type != "" && (withDetail || isIdentifier(e.Type)) {
		b.WriteString(" " + e.Type)
	}
	if withDetail && e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if isRedirect(e.StatusCode) {
		b.WriteString("; redirect not followed")
	}
	if e.effect != "" {
		b.WriteString("; outcome unknown, " + e.effect + "; check before repeating it")
	}
	return b.String()
}

// Is reports whether the error belongs to target's class: ErrRateLimited
// (429), ErrUnauthorized (401, 403), ErrNotFound (404), or ErrOutcomeUnknown
// (a 5xx, 408 or 3xx answer to a call that is not safe to repeat).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrOutcomeUnknown:
		return e.effect != ""
	}
	return false
}

// isRedirect reports a status net/http follows as a redirect.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// ValidationError reports input that the API would refuse, found before any
// request was sent: a missing ID, neither phone nor WhatsApp user ID, an
// unknown enum value, a page or limit out of range, text that is not valid
// UTF-8.
type ValidationError struct {
	// Field is the wire name of the offending parameter, such as "phone".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the field and the reason.
func (e *ValidationError) Error() string {
	return "sendbee: invalid " + e.Field + ": " + e.Reason
}

// blank reports whether a required input is missing: empty or only
// white space.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

func invalid(field, reason string) error {
	return &ValidationError{Field: field, Reason: reason}
}

// newAPIError builds the error for a status outside 2xx from the nested
// {"error":{"detail","type"}} body, the flat {"error":true,"detail","type"}
// body, or any other body (the detail is then the status text). Its
// RetryAfter is the one read with resp's rate-limit headers.
func newAPIError(method, path string, resp *Response) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		Response:   resp,
		RetryAfter: resp.RateLimit.RetryAfter,
	}
	e.Type, e.Detail = errorBody(resp.Body)
	if e.Detail == "" {
		e.Detail = http.StatusText(resp.StatusCode)
	}
	return e
}

// errorBody reads the type and detail of an error body. A detail or type
// that is not a string (such as a map of field errors) is kept as its
// compact JSON text rather than dropped.
func errorBody(body []byte) (typ, detail string) {
	var flat struct {
		Error  json.RawMessage `json:"error"`
		Detail json.RawMessage `json:"detail"`
		Type   json.RawMessage `json:"type"`
	}
	if json.Unmarshal(body, &flat) != nil {
		return "", ""
	}
	var nested struct {
		Detail json.RawMessage `json:"detail"`
		Type   json.RawMessage `json:"type"`
	}
	if len(flat.Error) > 0 && flat.Error[0] == '{' && json.Unmarshal(flat.Error, &nested) == nil {
		return errorType(nested.Type), errorText(nested.Detail)
	}
	if detail := errorText(flat.Detail); detail != "" || len(flat.Error) == 0 || flat.Error[0] != '"' {
		return errorType(flat.Type), detail
	}
	return errorType(flat.Type), errorText(flat.Error) // {"error":"Missing id"}
}

// errorWarning is the "warning" an error body carries, "" when it has
// none or is not a JSON object.
func errorWarning(body []byte) string {
	var w struct {
		Warning Scalar `json:"warning"`
	}
	if firstByte(body) != '{' || json.Unmarshal(body, &w) != nil {
		return ""
	}
	return w.Warning.String()
}

// errorType is the error type: a JSON string's value or a number's text.
// Anything else (an object, a list) is not a type and gives "", so that the
// type, which logs carry, never holds body content.
func errorType(raw json.RawMessage) string {
	switch firstByte(raw) {
	case '"':
		return errorText(raw)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return strings.TrimSpace(string(raw))
	}
	return ""
}

// errorText is a JSON string's value, "" for null or nothing, and the
// compact JSON text of any other value.
func errorText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil || compact.String() == "null" {
		return ""
	}
	return compact.String()
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date; a
// missing, malformed or past value is zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
