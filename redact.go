package sendbee

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// hidden keeps a credential where no printer can reach it: fmt prints a
// func as its address, whatever the verb, and even a reflection-based
// printer (spew, in testify's diffs) cannot see what a closure captured, so
// neither a Client, a service nor a transport shows the API key, the secret
// or the base URL's password however it is formatted.
func hidden[T any](v T) func() T {
	return func() T { return v }
}

// redacted replaces a credential in text built from what the server sent.
const redacted = "[redacted]"

// sentKey finds a call's sentTokens in its context.
type sentKey struct{}

// sentTokens are the seconds of the tokens the signing transport put on a
// call's requests (every attempt and every redirect followed), so that an
// answer echoing one back can be masked. It keeps the seconds, not the
// tokens: the context holding it is handed to the caller's code (a warning
// handler, a rate limiter, a transport), where fmt may print it whole.
type sentTokens struct {
	mu    sync.Mutex
	unix  []int64
	first [2]int64 // unix's first backing array: most calls send one or two
}

// add records the second of a token sent, unless it is the one recorded
// last (attempts in the same second share a token).
func (s *sentTokens) add(unix int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.unix); n > 0 && s.unix[n-1] == unix {
		return
	}
	if s.unix == nil {
		s.unix = s.first[:0]
	}
	s.unix = append(s.unix, unix)
}

func (s *sentTokens) list() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unix)
}

// callContext is a call's context carrying the tokens sent for it. It is
// one allocation, where context.WithValue and the record would be two.
type callContext struct {
	context.Context
	sent sentTokens
}

func (c *callContext) Value(key any) any {
	if key == (sentKey{}) {
		return &c.sent
	}
	return c.Context.Value(key)
}

// withSentTokens returns ctx carrying a record of the tokens sent, unless it
// already has one (or is nil).
func withSentTokens(ctx context.Context) context.Context {
	if ctx == nil || sentFrom(ctx) != nil {
		return ctx
	}
	return &callContext{Context: ctx}
}

// sentFrom is the record of ctx's call, nil outside a call.
func sentFrom(ctx context.Context) *sentTokens {
	s, _ := ctx.Value(sentKey{}).(*sentTokens)
	return s
}

// noteSent records that a token for the second unix went out on a request
// made with ctx.
func noteSent(ctx context.Context, unix int64) {
	if s := sentFrom(ctx); s != nil {
		s.add(unix)
	}
}

// recentTokens are the tokens a text built for the call of ctx may quote:
// those the call sent, and the client's latest two (an answer may echo a
// token of the call before, say from a proxy's cached error page).
func (c *Client) recentTokens(ctx context.Context) []string {
	if c.signer == nil {
		return nil
	}
	var tokens []string
	if cached := c.signer.cached.Load(); cached != nil {
		tokens = append(tokens, cached.latest.token, cached.other.token)
	}
	if ctx != nil {
		if s := sentFrom(ctx); s != nil {
			for _, unix := range s.list() {
				tokens = append(tokens, c.signer.tokenAt(unix))
			}
		}
	}
	return tokens
}

// redactor returns a func that replaces, in a text, the API key, the
// secret, the base URL's password (and its Basic credentials) and every
// token the call of ctx sent or the client made last with "[redacted]",
// also where they are escaped (see masker). A token is masked in its three
// forms: as sent (base64), as decoded ("<unix>.<hex HMAC>") and its hex
// HMAC alone.
func (c *Client) redactor(ctx context.Context) func(string) string {
	var needles []string
	if c.apiKey != nil {
		needles = append(needles, c.apiKey())
	}
	if c.signer != nil && c.signer.secret != nil {
		needles = append(needles, c.signer.secret())
	}
	if c.baseUser != nil {
		if user := c.baseUser(); user != nil {
			if password, ok := user.Password(); ok {
				// Sent in an Authorization header a proxy may echo.
				basic := base64.StdEncoding.EncodeToString([]byte(user.Username() + ":" + password))
				needles = append(needles, password, basic)
			}
		}
	}
	for _, token := range c.recentTokens(ctx) {
		needles = append(needles, token)
		if plain, err := base64.StdEncoding.DecodeString(token); err == nil {
			needles = append(needles, string(plain))
			if _, sig, ok := strings.Cut(string(plain), "."); ok {
				needles = append(needles, sig)
			}
		}
	}
	// Longest first, so a token wins over a key it might contain; equal
	// lengths in order, so that Compact drops repeats.
	slices.SortFunc(needles, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	needles = slices.Compact(needles)
	if len(needles) > 0 && needles[len(needles)-1] == "" {
		needles = needles[:len(needles)-1]
	}
	if len(needles) == 0 {
		return func(s string) string { return s }
	}
	return newMasker(needles).mask
}

// redactErr returns err, or, when its text holds a credential of the call
// of ctx (quoted from the server's answer), an error with the same chain
// whose text has it masked.
func (c *Client) redactErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if masked := c.redactor(ctx)(text); masked != text {
		return &redactedError{text: masked, err: hidden(err)}
	}
	return err
}

// redactedError is an error whose text had a credential masked. errors.Is
// and errors.As see the original chain, but it has no Unwrap method: code
// that walks a chain to report each error's text (an error tracker, a log
// handler) would find the unmasked text one step down. The original is kept
// out of reach of printers too (see hidden), such as testify's diff of two
// errors.
type redactedError struct {
	text string
	err  func() error
}

func (e *redactedError) Error() string { return e.text }

// Is reports whether the original error matches target.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err(), target) }

// As finds target in the original error's chain.
func (e *redactedError) As(target any) bool { return errors.As(e.err(), target) }

// maxIdentifierLen bounds an error type that logs may carry.
const maxIdentifierLen = 64

// isIdentifier reports whether s looks like an identifier (at most 64 bytes
// of ASCII letters, digits, '_', '.' and '-'), the only kind of error type
// that logs carry: anything else may be body content.
func isIdentifier(s string) bool {
	if s == "" || len(s) > maxIdentifierLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9', ch == '_', ch == '.', ch == '-':
		default:
			return false
		}
	}
	return true
}

// maxQuoted bounds the server's text that a decoding error quotes.
const maxQuoted = 40

// quoteValue describes a JSON value from the server for an error text. A
// short value in plain printable ASCII, with no escape in it, is quoted
// whole; any other is named by its kind and size. A value is never cut
// short or quoted with escapes left in: either could carry a credential the
// server echoed in a form that masking does not recognise (part of the key,
// the key written with \u escapes).
func quoteValue(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) <= maxQuoted && plainASCII(raw) {
		return strconv.Quote(string(raw))
	}
	return fmt.Sprintf("a JSON %s of %d bytes", jsonKind(raw), len(raw))
}

// plainASCII reports whether b is printable ASCII without a backslash.
func plainASCII(b []byte) bool {
	for _, ch := range b {
		if ch < ' ' || ch > '~' || ch == '\\' {
			return false
		}
	}
	return true
}

// jsonKind names the kind of a JSON value from its first byte.
func jsonKind(raw []byte) string {
	switch firstByte(raw) {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "number"
	}
	return "value"
}
