package sendbee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Ptr returns a pointer to v. Use it for the few request fields whose zero
// value must be sendable, such as SubscribeContactParams.BlockAutomation or
// SendMessageParams.PreventBotOff, where nil leaves the server's default
// and Ptr(false) sends false:
//
//	sendbee.SubscribeContactParams{Phone: "+385991234567", BlockAutomation: sendbee.Ptr(false)}
//	sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hi", PreventBotOff: sendbee.Ptr(true)}
func Ptr[T any](v T) *T { return &v }

// Bool is a boolean decoded tolerantly: the API sends the same flag as
// true/false, 1/0, "1"/"0", "true"/"false" or null, and some flags (a
// member's online and available) may come as free text. Use it
// like a bool (`if conv.ChatbotActive {…}`); convert with bool(b) where a
// bool is required. It encodes as a JSON boolean.
//
// Decoding a Bool never fails. The value is true when it is
//   - the JSON literal true;
//   - a number other than zero, such as 1, 2, -1 or 0.5;
//   - a string that, with surrounding white space trimmed and ignoring case,
//     is "true", "yes", "on" or "y", or a decimal number other than zero
//     (an optional sign, digits with an optional fraction, an optional
//     exponent), such as "1", "2", " -1 " or "1e3".
//
// Everything else is false: false, null, zero in any form (0, 0.0, "0",
// "-0.0"), "", "false", "no", "off", "n", and also any other string
// ("maybe", "0x1", "NaN"), object or array. An unrecognised value is false
// rather than an error, so that one odd flag never fails a whole page.
type Bool bool

// UnmarshalJSON sets b from any JSON value, as described at Bool; it never
// returns an error.
func (b *Bool) UnmarshalJSON(data []byte) error {
	*b = Bool(parseBool(data))
	return nil
}

// parseBool is the truth of a JSON value; see Bool.
func parseBool(data []byte) bool {
	data = scalarBytes(data) // empty for an object or array
	// the usual forms first, compared without allocating
	switch string(data) {
	case "true", "1":
		return true
	case "false", "0", "", "null":
		return false
	}
	if isDecimal, nonZero := decimal(data); isDecimal {
		return nonZero
	}
	switch strings.ToLower(string(data)) {
	case "true", "yes", "on", "y":
		return true
	}
	return false
}

// decimal reports whether s is a decimal number (an optional sign, digits
// with an optional fraction, an optional exponent: "2", "-0.5", "+.5", "5.",
// "1E3") and, if so, whether it is other than zero, which depends only on
// the digits before the exponent. Hex, "Inf", "NaN" and digit separators
// are not decimals.
func decimal(s []byte) (isDecimal, nonZero bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, dot := 0, false
mantissa:
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
			nonZero = nonZero || c != '0'
		case c == '.' && !dot:
			dot = true
		default:
			break mantissa
		}
	}
	if digits == 0 {
		return false, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			expDigits++
		}
		if expDigits == 0 {
			return false, false
		}
	}
	if i != len(s) {
		return false, false
	}
	return true, nonZero
}

// Int is an integer decoded tolerantly: the API sends 5 or "5" for the same
// field, and null or "" for none. It encodes as a JSON number.
//
// Decoding an Int never fails. A number, or a string holding one
// (surrounding spaces ignored), is that number with any fraction truncated
// toward zero: 5, "5", " 5 ", 5.9 and "5.9" are all 5, -5.9 is -5, 1e3 is
// 1000. true is 1 and false is 0. Everything else is 0: null, "", a string
// that is not a decimal number ("abc", "0x1A", "NaN"), a number outside
// the range of int, an object or an array.
type Int int

// UnmarshalJSON sets n from any JSON value, as described at Int; it never
// returns an error.
func (n *Int) UnmarshalJSON(data []byte) error {
	v := parseInteger(data)
	if v < math.MinInt || v > math.MaxInt {
		v = 0
	}
	*n = Int(v)
	return nil
}

// TimeLayout is the layout of the API's date strings, such as
// "2020-02-29 23:36:55". The API gives no zone; they are read as UTC.
const TimeLayout = "2006-01-02 15:04:05"

// Time is a timestamp decoded tolerantly. The API sends the same field as
// Unix seconds (a decimal integer or fraction, or a string holding one),
// as a TimeLayout string read as UTC, as RFC 3339 with or without a zone
// (none means UTC), or as a date. Null, absent and "" leave the zero Time
// (check with IsZero).
//
// Decoding a Time never fails. A string or number in no known form, such
// as "yesterday" or 1e300, and a boolean, leave the zero time, with Raw
// keeping the value as sent (a string's text without its quotes and
// surrounding spaces: "yesterday", "29/02/2020" however it was escaped;
// "true") for callers that need it. An object or an array leaves the zero
// Time, Raw included.
type Time struct {
	time.Time
	// Raw is the value as it appeared on the wire: a string's text (quotes
	// removed, escapes read, surrounding spaces trimmed), a number or
	// boolean as written; empty when the field was null or absent.
	Raw string
}

// UnmarshalJSON sets t from any JSON value, as described at Time; it never
// returns an error.
func (t *Time) UnmarshalJSON(data []byte) error {
	*t = Time{}
	s := string(scalarBytes(data)) // "" for an object or array
	if s == "" || s == "null" {
		return nil
	}
	parsed, err := parseTime(s)
	if err != nil {
		*t = Time{Raw: s}
		return nil
	}
	*t = Time{Time: parsed, Raw: s}
	return nil
}

// MarshalJSON writes the value as it was received, or, for a Time built in
// code, as a TimeLayout string in UTC; the zero Time is null.
func (t Time) MarshalJSON() ([]byte, error) {
	switch {
	case t.Raw != "":
		if isJSONNumber(t.Raw) {
			return []byte(t.Raw), nil
		}
		return json.Marshal(t.Raw)
	case t.Time.IsZero():
		return []byte("null"), nil
	default:
		return json.Marshal(t.Time.UTC().Format(TimeLayout))
	}
}

// isJSONNumber reports whether s is a number as JSON writes it (not, say,
// "+5" or ".5", which strconv accepts).
func isJSONNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

func parseTime(s string) (time.Time, error) {
	if f, ok := parseDecimal([]byte(s), s); ok { // as Int reads numbers: no hex, Inf or NaN
		if math.Abs(f) > 1e12 {
			return time.Time{}, fmt.Errorf("timestamp %s out of range", quoteValue([]byte(s)))
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	if t, err := time.Parse(TimeLayout, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot decode %s as a time", quoteValue([]byte(s)))
}

// Scalar is a value the API may send as a string, number, boolean or null,
// such as a contact field's value (fields are typed: text, number, date,
// boolean, list). String gives it as text; Raw keeps the JSON as sent.
type Scalar struct {
	// Raw is the JSON value as sent: "\"blue\"", "42", "true" or "null".
	Raw json.RawMessage
}

// UnmarshalJSON keeps any JSON value.
func (v *Scalar) UnmarshalJSON(data []byte) error {
	v.Raw = append(v.Raw[:0], data...)
	return nil
}

// MarshalJSON writes the value as it was received (null when empty).
func (v Scalar) MarshalJSON() ([]byte, error) {
	if len(v.Raw) == 0 {
		return []byte("null"), nil
	}
	return v.Raw, nil
}

// IsNull reports whether the value was null or absent.
func (v Scalar) IsNull() bool {
	return len(v.Raw) == 0 || string(v.Raw) == "null"
}

// String returns a string value without its quotes, a number or boolean as
// written, and "" for null. Objects and arrays come back as their JSON.
func (v Scalar) String() string {
	if v.IsNull() {
		return ""
	}
	if v.Raw[0] == '"' {
		var s string
		if json.Unmarshal(v.Raw, &s) == nil {
			return s
		}
	}
	return string(v.Raw)
}

// decodeObject is how Meta and Links read themselves: when b is a JSON
// object, it is decoded into *dst, which is allocated first if nil, and a
// member of the wrong kind is read by the rules of decodeTolerant. Any
// other JSON value leaves no object: *dst is set to nil. That covers null,
// PHP's [] (which is how Laravel serialises an empty associative array)
// and any stray scalar, so that one odd field never fails a whole page.
func decodeObject[T any](b []byte, dst **T) {
	if firstByte(b) != '{' {
		*dst = nil
		return
	}
	if *dst == nil {
		*dst = new(T)
	}
	decodePlainOrTolerant(b, *dst)
}

// unquote trims spaces and one pair of surrounding JSON quotes. It does not
// process escapes: the scalars it serves are digits, dates and words.
func unquote(data []byte) []byte {
	data = bytes.TrimSpace(data)
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		return bytes.TrimSpace(data[1 : len(data)-1])
	}
	return data
}
