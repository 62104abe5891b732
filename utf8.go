package sendbee

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// checkUTF8 returns a *ValidationError naming the parameter of params (a
// query or body struct, or any value) that holds a string which is not
// valid UTF-8, nil when there is none. Such a string could not be sent as
// given: JSON would carry U+FFFD in place of the bytes, and the query the
// raw bytes. Every string is checked: fields, elements of slices, keys and
// values of maps, whatever an interface or pointer holds.
func checkUTF8(params any) error {
	var w utf8Walker
	if problem := w.check(reflect.ValueOf(params)); problem != nil {
		if problem.Field == "" {
			problem.Field = "body"
		}
		return problem
	}
	return nil
}

// checkQueryUTF8 is checkUTF8 for a query whose encoded values are v: the
// values hold every string the query sends, so params is walked, to name
// the parameter, only when one of them is not valid UTF-8.
func checkQueryUTF8(params any, v url.Values) error {
	invalid := func(s string) bool { return !utf8.ValidString(s) }
	for key, values := range v {
		if !invalid(key) && !slices.ContainsFunc(values, invalid) {
			continue
		}
		if err := checkUTF8(params); err != nil {
			return err
		}
		return &ValidationError{Field: key, Reason: notUTF8}
	}
	return nil
}

// utf8Walker walks a value for invalidUTF8, keeping the maps, slices and
// pointers on the path from the root once it is deep enough to be a cycle
// (a map[string]any that holds itself). A cycle is a *ValidationError too:
// no JSON can carry it, and some Go releases' json.Marshal recurses on a
// pointer cycle until the stack overflows instead of returning an error.
type utf8Walker struct {
	depth int
	path  map[pathStep]struct{}
}

// pathStep identifies a map, slice or pointer on the walk's path.
type pathStep struct {
	ptr uintptr
	len int
}

// cycleCheckDepth is the depth from which the walker looks for cycles;
// parameters are rarely more than a few levels deep.
const cycleCheckDepth = 32

// check finds the first string in v that is not valid UTF-8. The error's
// Field is the wire name of the struct field holding it, empty when no
// struct field was crossed.
func (w *utf8Walker) check(v reflect.Value) *ValidationError {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > cycleCheckDepth {
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			if v.IsNil() {
				return nil
			}
			step := pathStep{ptr: v.Pointer()}
			if v.Kind() == reflect.Slice {
				step.len = v.Len()
			}
			if _, cycle := w.path[step]; cycle {
				return &ValidationError{Reason: "holds itself (a cycle), which JSON cannot encode"}
			}
			if w.path == nil {
				w.path = make(map[pathStep]struct{})
			}
			w.path[step] = struct{}{}
			defer delete(w.path, step)
		}
	}
	return w.invalidUTF8(v)
}

// invalidUTF8 is check without the cycle guard.
func (w *utf8Walker) invalidUTF8(v reflect.Value) *ValidationError {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return &ValidationError{Reason: notUTF8}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return w.check(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		if v.Type() == reflect.TypeFor[json.RawMessage]() && !utf8.Valid(v.Bytes()) { // sent as it is
			return &ValidationError{Reason: "is JSON that is not valid UTF-8"}
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes, not text (but for the raw JSON above)
		}
		for i := range v.Len() {
			if problem := w.check(v.Index(i)); problem != nil {
				return nested(problem, "holds a string that is not valid UTF-8")
			}
		}
	case reflect.Map:
		if m, ok := v.Interface().(map[string]string); ok {
			return invalidUTF8InTags(m) // the usual map, checked without reflection's copies
		}
		for it := v.MapRange(); it.Next(); {
			if problem := w.check(it.Key()); problem != nil {
				return nested(problem, "has a key that is not valid UTF-8")
			}
			if problem := w.check(it.Value()); problem != nil {
				return nested(problem, "holds a value that is not valid UTF-8")
			}
		}
	case reflect.Struct:
		return w.invalidUTF8InStruct(v)
	}
	return nil
}

// invalidUTF8InTags is check for a map[string]string.
func invalidUTF8InTags(m map[string]string) *ValidationError {
	for k, v := range m {
		switch {
		case !utf8.ValidString(k):
			return &ValidationError{Reason: "has a key that is not valid UTF-8"}
		case !utf8.ValidString(v):
			return &ValidationError{Reason: "holds a value that is not valid UTF-8"}
		}
	}
	return nil
}

// invalidUTF8InStruct checks a struct's exported fields, naming the field
// by its wire name (json or url tag); an embedded struct's fields are named
// as its own.
func (w *utf8Walker) invalidUTF8InStruct(v reflect.Value) *ValidationError {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		problem := w.check(v.Field(i))
		if problem == nil {
			continue
		}
		if problem.Field == "" && !f.Anonymous {
			problem.Field = wireName(f)
		}
		return problem
	}
	return nil
}

// notUTF8 is the reason for a string that is not valid UTF-8.
const notUTF8 = "is not valid UTF-8"

// nested rewords a string that is not valid UTF-8 found inside a slice or
// map, unless a struct field deeper down already named it; a cycle keeps
// its reason.
func nested(problem *ValidationError, reason string) *ValidationError {
	if problem.Field == "" && problem.Reason == notUTF8 {
		problem.Reason = reason
	}
	return problem
}

// wireName is a struct field's name on the wire: its json or url tag's
// name, else the Go name.
func wireName(f reflect.StructField) string {
	for _, key := range []string{"json", "url"} {
		if name, _, _ := strings.Cut(f.Tag.Get(key), ","); name != "" && name != "-" {
			return name
		}
	}
	return f.Name
}
