package sendbee

import (
	"reflect"
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
	if problem := invalidUTF8(reflect.ValueOf(params)); problem != nil {
		if problem.Field == "" {
			problem.Field = "body"
		}
		return problem
	}
	return nil
}

// invalidUTF8 finds the first string in v that is not valid UTF-8. The
// error's Field is the wire name of the struct field holding it, empty when
// no struct field was crossed.
func invalidUTF8(v reflect.Value) *ValidationError {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return &ValidationError{Reason: "is not valid UTF-8"}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return invalidUTF8(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes, not text
		}
		for i := range v.Len() {
			if problem := invalidUTF8(v.Index(i)); problem != nil {
				return nested(problem, "holds a string that is not valid UTF-8")
			}
		}
	case reflect.Map:
		if m, ok := v.Interface().(map[string]string); ok {
			return invalidUTF8InTags(m) // the usual map, checked without reflection's copies
		}
		for it := v.MapRange(); it.Next(); {
			if problem := invalidUTF8(it.Key()); problem != nil {
				return nested(problem, "has a key that is not valid UTF-8")
			}
			if problem := invalidUTF8(it.Value()); problem != nil {
				return nested(problem, "holds a value that is not valid UTF-8")
			}
		}
	case reflect.Struct:
		return invalidUTF8InStruct(v)
	}
	return nil
}

// invalidUTF8InTags is invalidUTF8 for a map[string]string.
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
func invalidUTF8InStruct(v reflect.Value) *ValidationError {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		problem := invalidUTF8(v.Field(i))
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

// nested rewords a problem found inside a slice or map, unless a struct
// field deeper down already named it.
func nested(problem *ValidationError, reason string) *ValidationError {
	if problem.Field == "" {
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
