package sendbee

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// This file is the one tolerant decoder behind every model. Answers are
// first decoded with plain encoding/json; only an answer that meets a value
// of the wrong kind is decoded again here, so that the odd value, and not
// the whole page, is what is lost. The rules, for any field of any model:
//
//   - text (a string kind, enum types included): a number or boolean is its
//     JSON text ("7", "2.5", "true");
//   - integers: see parseInteger;
//   - a type with its own UnmarshalJSON (Time, Bool, Int, Scalar,
//     json.RawMessage, Meta, Links, Conversation, Template) decides for
//     itself; if it refuses the value, the field is left zero, except that
//     an object is then read field by field by these rules;
//   - an object, or a pointer to one: any other value leaves it zero or nil;
//   - a list: any value but an array leaves it nil; in a list of objects an
//     element that is not an object (null included) is skipped, in a list
//     of scalars each element follows the scalar rules;
//   - an object or array where a scalar is expected leaves the zero value,
//     and null leaves the field as it is (zero in a fresh value).
//
// The decoded values are those encoding/json gives wherever encoding/json
// succeeds, except that a null element of a list of objects is skipped
// rather than kept as a zero element. The models embed no structs, so
// embedded fields are not looked into.

// decodeTolerant sets *dst from the JSON value data (valid JSON, as any
// part of an answer that passed encoding/json's check) by the rules above.
func decodeTolerant[T any](data []byte, dst *T) {
	decodeValue(bytes.TrimSpace(data), reflect.ValueOf(dst).Elem())
}

// decodeItem decodes one object of an answer; see decodePlainOrTolerant.
func decodeItem[T any](data []byte) T {
	var item T
	decodePlainOrTolerant(data, &item)
	return item
}

// decodePlainOrTolerant sets *dst from data with plain encoding/json when
// the value holds no surprise (a value of the wrong kind, a null element of
// a list), and otherwise sets it afresh by decodeTolerant.
func decodePlainOrTolerant[T any](data []byte, dst *T) {
	if !mayHoldNullElement(data) && json.Unmarshal(data, dst) == nil {
		return
	}
	*dst = *new(T)
	decodeTolerant(data, dst)
}

// mayHoldNullElement reports whether data may hold null as an element of an
// array: a null whose previous non-space byte is '[' or ','. encoding/json
// decodes such a null into a zero element, where a list of objects must
// skip it; a null inside a string only makes the answer take the tolerant
// path, with the same result.
func mayHoldNullElement(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("null"))
		if j < 0 {
			return false
		}
		j += i
		k := j - 1
		for k >= 0 && isSpace(data[k]) {
			k--
		}
		if k >= 0 && (data[k] == '[' || data[k] == ',') {
			return true
		}
		i = j + len("null")
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// decodeValue sets v (addressable) from data; see the rules above.
func decodeValue(data []byte, v reflect.Value) {
	first := firstByte(data)
	if v.CanAddr() && v.Addr().Type().Implements(reflect.TypeFor[json.Unmarshaler]()) {
		if v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(data) == nil {
			return
		}
		v.SetZero()
		if v.Kind() != reflect.Struct || first != '{' {
			return
		}
		decodeFields(data, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		decodePointer(data, v)
	case reflect.Slice:
		decodeSlice(data, v)
	case reflect.Map:
		decodeMap(data, v)
	case reflect.Struct:
		if first == '{' {
			decodeFields(data, v)
		} else if first != 'n' {
			v.SetZero()
		}
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64:
		if first != 'n' { // null leaves a scalar as it is
			decodeScalar(data, v)
		}
	default: // interfaces, arrays, unsigned integers: what encoding/json makes of it
		if json.Unmarshal(data, v.Addr().Interface()) != nil {
			v.SetZero()
		}
	}
}

// decodeScalar sets a string, bool, int or float kind from a value other
// than null: see decodeText, parseBool, parseInteger and parseNumber; a
// number too large for the kind is 0.
func decodeScalar(data []byte, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		decodeText(data, v)
	case reflect.Bool:
		v.SetBool(parseBool(data))
	case reflect.Float32, reflect.Float64:
		if f := parseNumber(data); !v.OverflowFloat(f) {
			v.SetFloat(f)
		} else {
			v.SetFloat(0)
		}
	default:
		if n := parseInteger(data); !v.OverflowInt(n) {
			v.SetInt(n)
		} else {
			v.SetInt(0)
		}
	}
}

// decodeText sets a string kind: a string as is, a number or boolean as
// its JSON text, an object or array as "".
func decodeText(data []byte, v reflect.Value) {
	switch firstByte(data) {
	case '{', '[':
		v.SetString("")
	case '"':
		var s string
		if json.Unmarshal(data, &s) != nil {
			s = ""
		}
		v.SetString(s)
	default:
		v.SetString(string(data))
	}
}

// decodePointer sets a pointer: null or, for a pointer to an object, any
// value but an object leaves it nil; otherwise what it points to (reused
// when set, as encoding/json does) is decoded.
func decodePointer(data []byte, v reflect.Value) {
	first := firstByte(data)
	if first == 'n' || (isObjectType(v.Type().Elem()) && first != '{') {
		v.SetZero()
		return
	}
	if v.IsNil() {
		v.Set(reflect.New(v.Type().Elem()))
	}
	decodeValue(data, v.Elem())
}

// decodeSlice sets a list: anything but an array leaves it nil; in a list
// of objects an element that is not an object is skipped. A list already
// set (a member repeated in the object) is decoded into as encoding/json
// does it: its elements are reused, and their fields that the new element
// does not name are kept.
func decodeSlice(data []byte, v reflect.Value) {
	var elems []json.RawMessage
	if firstByte(data) != '[' || json.Unmarshal(data, &elems) != nil {
		v.SetZero()
		return
	}
	objects := isObjectType(v.Type().Elem())
	n := 0
	for _, elem := range elems {
		if objects && firstByte(elem) != '{' {
			continue
		}
		if n >= v.Cap() {
			v.Grow(1)
		}
		if n >= v.Len() {
			v.SetLen(n + 1)
		}
		decodeValue(elem, v.Index(n))
		n++
	}
	if n == 0 {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		return
	}
	v.SetLen(n)
}

// decodeMap sets a map with string keys from an object; anything else
// leaves it nil.
func decodeMap(data []byte, v reflect.Value) {
	var members map[string]json.RawMessage
	if firstByte(data) != '{' || v.Type().Key().Kind() != reflect.String || json.Unmarshal(data, &members) != nil {
		v.SetZero()
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(v.Type(), len(members)))
	}
	for key, raw := range members {
		e := reflect.New(v.Type().Elem()).Elem()
		decodeValue(raw, e)
		v.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), e)
	}
}

// isObjectType reports whether values of t (or what t points to) are JSON
// objects: structs, except the scalars Time and Scalar.
func isObjectType(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t != reflect.TypeFor[Time]() && t != reflect.TypeFor[Scalar]()
}

// decodeFields sets the fields of struct v from the members of the object
// data, matched to json tags as encoding/json matches them (exactly, or
// else ignoring case), in the order they come; unknown members are
// ignored.
func decodeFields(data []byte, v reflect.Value) {
	fields := jsonFields(v.Type())
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // '{'
		return
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return
		}
		var raw json.RawMessage
		if dec.Decode(&raw) != nil {
			return
		}
		name, _ := key.(string)
		if i := matchField(fields, name); i >= 0 {
			decodeValue(raw, v.Field(fields[i].index))
		}
	}
}

// jsonField is a struct field decoded from the member called name.
type jsonField struct {
	name  string
	index int
}

// jsonFields lists the exported fields of struct type t with their JSON
// names, as encoding/json names them.
func jsonFields(t reflect.Type) []jsonField {
	fields := make([]jsonField, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Tag.Get("json") == "-":
			continue
		case name == "":
			name = f.Name
		}
		fields = append(fields, jsonField{name: name, index: i})
	}
	return fields
}

// matchField returns the index in fields of the field for the member key:
// the one named exactly so, or else the first whose name matches ignoring
// case; -1 when none does.
func matchField(fields []jsonField, key string) int {
	fold := -1
	for i, f := range fields {
		if f.name == key {
			return i
		}
		if fold < 0 && strings.EqualFold(f.name, key) {
			fold = i
		}
	}
	return fold
}

// parseInteger reads an integer the API's way: a number, or a string
// holding one (surrounding spaces ignored), with any fraction truncated
// toward zero ("2.9" is 2, -2.9 is -2); true is 1 and false 0. Anything
// else, a number out of the int64 range included, is 0. The truncation is
// of the number as written, digit by digit, not of the float nearest to
// it: "2.99999999999999999999" is 2, not 3.
func parseInteger(data []byte) int64 {
	b := scalarBytes(data)
	s := string(b) // does not escape: no allocation for a short value
	switch s {
	case "true":
		return 1
	case "false", "", "null":
		return 0
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if isDecimal, _ := decimal(b); !isDecimal {
		return 0
	}
	n, _ := truncateDecimal(s)
	return n
}

// truncateDecimal is the decimal number s (one that decimal accepts)
// truncated toward zero, and whether that fits an int64; 0 when it does
// not. It reads the digits as written: the integer part is the digits
// before the point once the exponent has moved it.
func truncateDecimal(s string) (int64, bool) {
	neg := s[0] == '-'
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	mantissa, exponent := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mantissa, exponent = s[:i], s[i+1:]
	}
	intPart, frac, _ := strings.Cut(mantissa, ".")
	if strings.Trim(intPart, "0") == "" && strings.Trim(frac, "0") == "" {
		return 0, true // zero, whatever the exponent
	}
	// the point moves by the exponent; beyond ±maxShift it has moved past
	// every digit (to 0) or made a number far outside the int64 range
	const maxShift = 1 << 20
	shift := 0
	if exponent != "" {
		e, err := strconv.Atoi(exponent)
		switch {
		case err == nil && e >= -maxShift && e <= maxShift:
			shift = e
		case exponent[0] == '-':
			return 0, true
		default:
			return 0, false
		}
	}
	point := len(intPart) + shift // digits before the point
	digit := func(i int) byte {
		switch {
		case i < len(intPart):
			return intPart[i]
		case i-len(intPart) < len(frac):
			return frac[i-len(intPart)]
		}
		return '0'
	}
	var buf [21]byte // a sign and 20 digits: one more than an int64 has
	n := 0
	if neg {
		buf[n] = '-'
		n++
	}
	start := n
	for i := 0; i < point; i++ {
		c := digit(i)
		if c == '0' && n == start {
			continue // a leading zero
		}
		if n == len(buf) {
			return 0, false
		}
		buf[n] = c
		n++
	}
	if n == start {
		return 0, true
	}
	v, err := strconv.ParseInt(string(buf[:n]), 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// parseNumber reads a float the way parseInteger reads an integer, without
// the truncation.
func parseNumber(data []byte) float64 {
	b := scalarBytes(data)
	s := string(b)
	if s == "true" {
		return 1
	}
	f, _ := parseDecimal(b, s)
	return f
}

// parseDecimal reads s, whose bytes are b, as a finite decimal number (not
// hex, Inf or NaN).
func parseDecimal(b []byte, s string) (float64, bool) {
	if isDecimal, _ := decimal(b); !isDecimal {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// scalarBytes is a scalar JSON value as text: a string's content (escapes
// processed, surrounding spaces trimmed), a number or literal as written;
// empty for an object or array.
func scalarBytes(data []byte) []byte {
	switch firstByte(data) {
	case '{', '[':
		return nil
	case '"':
		if bytes.IndexByte(data, '\\') >= 0 {
			var s string
			if json.Unmarshal(data, &s) != nil {
				return nil
			}
			return []byte(strings.TrimSpace(s))
		}
	}
	return unquote(data)
}
