package sendbee

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// masker replaces credentials in a text with "[redacted]", in the forms a
// server or proxy echoing them is likely to write: as they are, with any
// character JSON-escaped ("\/", "\u0041", a surrogate pair), or
// percent-encoded ("%2B", as in a redirect's Location or a URL quoted in an
// error). A needle shorter than minLooseNeedle is masked only where no
// letter or digit touches it, so that a one-letter key does not mask every
// such letter of the text.
type masker struct {
	needles []string // longest first, so a token wins over a key it contains
	first   [256]bool
}

// minLooseNeedle is the length from which a needle is masked wherever it
// appears, even inside a word.
const minLooseNeedle = 8

func newMasker(needles []string) *masker {
	m := &masker{needles: needles}
	for _, n := range needles {
		m.first[n[0]] = true
	}
	m.first['\\'], m.first['%'], m.first['+'] = true, true, true
	return m
}

// mask returns s with every needle masked.
func (m *masker) mask(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if !m.first[s[i]] {
			continue
		}
		for _, n := range m.needles {
			end, ok := matchEscaped(s, i, n)
			if !ok || (len(n) < minLooseNeedle && (wordByteBefore(s, i) || wordByteAt(s, end))) {
				continue
			}
			b.WriteString(s[last:i])
			b.WriteString(redacted)
			last, i = end, end-1
			break
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchEscaped reports whether s, from i, spells n with any of its
// characters escaped, and where that spelling ends.
func matchEscaped(s string, i int, n string) (end int, ok bool) {
	budget := 8 * len(n)
	return matchFrom(s, i, n, &budget)
}

// matchFrom is matchEscaped. A '%' or backslash of n met as itself in s
// may also start an escape ("%25" for '%'): the literal reading is tried
// first, then the escape, at most budget times in all, so that a needle
// full of them cannot make the search exponential.
func matchFrom(s string, j int, n string, budget *int) (end int, ok bool) {
	for k := 0; k < len(n); {
		if j >= len(s) {
			return 0, false
		}
		if s[j] == n[k] && (s[j] == '%' || s[j] == '\\') && *budget > 0 {
			*budget--
			if end, ok := matchFrom(s, j+1, n[k+1:], budget); ok {
				return end, true
			}
		} else if s[j] == n[k] {
			j, k = j+1, k+1
			continue
		}
		w, size := unescape(s[j:], n[k:])
		if w == 0 {
			return 0, false
		}
		j, k = j+w, k+size
	}
	return j, true
}

// unescape reports whether t starts with an escape of n's first character:
// the width of the escape in t and the size of the character in n, or 0, 0.
func unescape(t, n string) (width, size int) {
	switch {
	case t[0] == '%' && len(t) >= 3:
		if b, ok := hexByte(t[1:3]); ok && b == n[0] {
			return 3, 1
		}
	case t[0] == '+' && n[0] == ' ':
		return 1, 1
	case t[0] == '\\' && len(t) >= 2 && t[1] == n[0] && (n[0] == '/' || n[0] == '"' || n[0] == '\\'):
		return 2, 1
	case t[0] == '\\' && len(t) >= 6 && t[1] == 'u':
		r, ok := hexRune(t[2:6])
		want, size := utf8.DecodeRuneInString(n)
		switch {
		case !ok:
		case r == want:
			return 6, size
		case utf16.IsSurrogate(r) && len(t) >= 12 && t[6] == '\\' && t[7] == 'u':
			if low, ok := hexRune(t[8:12]); ok && utf16.DecodeRune(r, low) == want {
				return 12, size
			}
		}
	}
	return 0, 0
}

func hexByte(h string) (byte, bool) {
	r, ok := hexRune(h)
	return byte(r), ok
}

// hexRune reads h, all hex digits of either case.
func hexRune(h string) (rune, bool) {
	var r rune
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// wordByteBefore and wordByteAt report whether an ASCII letter or digit
// touches a match that starts at i or ends at end.
func wordByteBefore(s string, i int) bool { return i > 0 && isWordByte(s[i-1]) }
func wordByteAt(s string, end int) bool   { return end < len(s) && isWordByte(s[end]) }

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
