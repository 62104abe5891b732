package sendbee

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// masker replaces credentials in a text with "[redacted]", in the forms a
// server or proxy echoing them is likely to write: as they are, with any
// character JSON-escaped ("\/", "\u0041", a surrogate pair), or
// percent-encoded ("%2B", as in a redirect's Location or a URL quoted in an
// error, where '+' stands for a space). A needle shorter than
// minLooseNeedle is masked only where no letter or digit touches it, so
// that a one-letter key does not mask every such letter of the text.
//
// It reads the text a few times, each in one pass: as it is, and decoded
// (escapes replaced by what they stand for, '+' read as a space) in each
// of the readings that can differ on it, and looks for each needle in each
// with strings.Index; so its time grows with the text, whatever the text
// and the needles.
type masker struct {
	needles []string // as they are, to find in the text as it is
	decoded []string // with '+' read as a space, to find in the decoded text
}

// minLooseNeedle is the length from which a needle is masked wherever it
// appears, even inside a word.
const minLooseNeedle = 8

func newMasker(needles []string) *masker {
	m := &masker{}
	for _, n := range needles {
		if n != "" {
			m.needles = append(m.needles, n)
			m.decoded = append(m.decoded, strings.ReplaceAll(n, "+", " "))
		}
	}
	return m
}

// span is the range s[start:end] of a text to mask.
type span struct{ start, end int }

// mask returns s with every needle masked.
func (m *masker) mask(s string) string {
	var spans []span
	asIs := func(i, j int) span { return span{i, j} }
	for _, n := range m.needles {
		spans = appendMatches(spans, s, s, n, asIs)
	}
	if !strings.ContainsAny(s, `\%+`) {
		return replaceSpans(s, spans)
	}
	for _, r := range readings(s) {
		d := decode(s, r)
		for _, n := range m.decoded {
			spans = appendMatches(spans, s, d.text, n, d.span)
		}
	}
	return replaceSpans(s, spans)
}

// reading says which escapes decode takes as escapes. A '%' or a
// backslash of the text may be itself, part of the credential, next to
// escaped characters ("p%41ss\/word" for "p%41ss/word"), or start an
// escape; and a JSON text quoted in another may spell a backslash "\\"
// right before a "\u0041". Each reading settles that one way.
type reading struct{ percent, backslash bool }

// readings are the readings that can differ on s.
func readings(s string) []reading {
	all := []reading{{true, true}, {false, true}, {true, false}, {false, false}}
	if !strings.Contains(s, "%") {
		all = slices.DeleteFunc(all, func(r reading) bool { return !r.percent })
	}
	if !strings.Contains(s, `\\`) {
		all = slices.DeleteFunc(all, func(r reading) bool { return !r.backslash })
	}
	return all
}

// appendMatches appends to spans where, in s, text (s as it is or decoded)
// holds needle; at maps a range of text to the range of s it was read from.
func appendMatches(spans []span, s, text, needle string, at func(i, j int) span) []span {
	for i := 0; ; {
		k := strings.Index(text[i:], needle)
		if k < 0 {
			return spans
		}
		k += i
		match := at(k, k+len(needle))
		if len(needle) < minLooseNeedle && (wordByteBefore(s, match.start) || wordByteAt(s, match.end)) {
			i = k + 1
			continue
		}
		spans = append(spans, match)
		i = k + len(needle)
	}
}

// replaceSpans returns s with each run of overlapping spans replaced by
// "[redacted]".
func replaceSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start < end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(s[last:start])
		b.WriteString(redacted)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// decodedText is a text with its escapes decoded: from[k] is where, in
// the original, the escape (or plain byte) that gave text[k] starts, and
// from[len(text)] is the original's length.
type decodedText struct {
	text string
	from []int
}

// decode reads s left to right, replacing each escape that r takes as one
// by the bytes it stands for, and '+' by a space.
func decode(s string, r reading) decodedText {
	text := make([]byte, 0, len(s))
	from := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		n := len(text)
		var width int
		text, width = appendUnescaped(text, s[i:], r)
		for range len(text) - n {
			from = append(from, i)
		}
		i += width
	}
	return decodedText{text: string(text), from: append(from, len(s))}
}

// span maps text[i:j] to the range of the original it was read from,
// widened to whole escapes.
func (d decodedText) span(i, j int) span {
	end := j
	for d.from[end] == d.from[j-1] {
		end++
	}
	return span{d.from[i], d.from[end]}
}

// appendUnescaped appends to b what t starts with, decoded if it is an
// escape r takes as one, and returns how many bytes of t that took.
func appendUnescaped(b []byte, t string, r reading) ([]byte, int) {
	switch {
	case t[0] == '+':
		return append(b, ' '), 1
	case t[0] == '%' && r.percent && len(t) >= 3:
		if c, ok := hexByte(t[1:3]); ok {
			return append(b, byte(plusAsSpace(rune(c)))), 3
		}
	case t[0] == '\\' && len(t) >= 2 && (t[1] == '/' || t[1] == '"' || t[1] == '\\' && r.backslash):
		return append(b, t[1]), 2
	case t[0] == '\\' && len(t) >= 6 && t[1] == 'u':
		c, ok := hexRune(t[2:6])
		switch {
		case !ok:
		case !utf16.IsSurrogate(c):
			return utf8.AppendRune(b, plusAsSpace(c)), 6
		case len(t) >= 12 && t[6] == '\\' && t[7] == 'u':
			if low, ok := hexRune(t[8:12]); ok {
				if pair := utf16.DecodeRune(c, low); pair != utf8.RuneError {
					return utf8.AppendRune(b, pair), 12
				}
			}
		}
	}
	return append(b, t[0]), 1
}

// plusAsSpace reads a '+' as the space it stands for in a query.
func plusAsSpace(r rune) rune {
	if r == '+' {
		return ' '
	}
	return r
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
