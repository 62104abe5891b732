package sendbee

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oddValues are the values of the wrong kind fed to every field of every
// model, in the order of the want columns of fieldRules.
var oddValues = []struct{ name, json string }{
	{"number", `7`},
	{"fraction", `2.5`},
	{"numeric string", `"42"`},
	{"non-numeric string", `"abc"`},
	{"boolean", `true`},
	{"null", `null`},
	{"object", `{"k":1}`},
	{"array", `[7,"x",null,{"k":1}]`},
}

// fieldRule is what a kind of field becomes for each of oddValues, and a
// value of the right kind for it.
type fieldRule struct {
	name  string
	valid func(t reflect.Type) any
	want  func(t reflect.Type, odd int) reflect.Value
}

// fieldRuleOf names the rule for a field of type t; a type without one
// fails the test, so that a new kind of field cannot go unchecked.
func fieldRuleOf(tb testing.TB, t reflect.Type) fieldRule {
	tb.Helper()
	of := func(v any) func(reflect.Type, int) reflect.Value {
		return func(t reflect.Type, odd int) reflect.Value {
			return reflect.ValueOf(reflect.ValueOf(v).Index(odd).Interface()).Convert(t)
		}
	}
	fixed := func(v any) func(reflect.Type) any { return func(reflect.Type) any { return v } }
	switch {
	case t == reflect.TypeFor[Time]():
		return fieldRule{"time", fixed("2020-02-29 23:36:55"), of([]Time{
			{Time: time.Unix(7, 0).UTC(), Raw: "7"},
			{Time: time.Unix(2, 500_000_000).UTC(), Raw: "2.5"},
			{Time: time.Unix(42, 0).UTC(), Raw: "42"},
			{Raw: "abc"},
			{Raw: "true"},
			{}, {}, {},
		})}
	case t == reflect.TypeFor[Bool]():
		return fieldRule{"bool", fixed(true), of([]Bool{true, true, true, false, true, false, false, false})}
	case t == reflect.TypeFor[Int]():
		return fieldRule{"int", fixed(3), of([]Int{7, 2, 42, 0, 1, 0, 0, 0})}
	case t == reflect.TypeFor[Scalar]():
		return fieldRule{"scalar (kept as sent)", fixed("v"), func(_ reflect.Type, odd int) reflect.Value {
			return reflect.ValueOf(Scalar{Raw: json.RawMessage(oddValues[odd].json)})
		}}
	case t == reflect.TypeFor[json.RawMessage]():
		return fieldRule{"raw (kept as sent)", fixed(map[string]any{"r": 1}), func(_ reflect.Type, odd int) reflect.Value {
			return reflect.ValueOf(json.RawMessage(oddValues[odd].json))
		}}
	case t.Kind() == reflect.String:
		return fieldRule{"text", fixed("s"), of([]string{"7", "2.5", "42", "abc", "true", "", "", ""})}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return fieldRule{"list of text", fixed([]string{"a"}), func(t reflect.Type, odd int) reflect.Value {
			if oddValues[odd].name != "array" {
				return reflect.Zero(t)
			}
			return reflect.ValueOf([]string{"7", "x", "", ""}).Convert(t)
		}}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return fieldRule{"list of objects", func(t reflect.Type) any { return []any{validObject(tb, t.Elem())} },
			func(t reflect.Type, odd int) reflect.Value {
				if oddValues[odd].name != "array" {
					return reflect.Zero(t)
				}
				// only the element {"k":1} is an object: one zero element
				return reflect.MakeSlice(t, 1, 1)
			}}
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		return fieldRule{"object", func(t reflect.Type) any { return validObject(tb, t.Elem()) },
			func(t reflect.Type, odd int) reflect.Value {
				if oddValues[odd].name != "object" {
					return reflect.Zero(t)
				}
				return reflect.New(t.Elem()) // {"k":1}: an object with no known member
			}}
	}
	tb.Fatalf("no odd-value rule for a field of type %s", t)
	return fieldRule{}
}

// jsonName is the member name of field f, from its json tag.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// validObject is an object with every member of struct type t set to a
// value of the right kind.
func validObject(tb testing.TB, t reflect.Type) map[string]any {
	tb.Helper()
	obj := map[string]any{}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
			obj[jsonName(f)] = fieldRuleOf(tb, f.Type).valid(f.Type)
		}
	}
	return obj
}

// fieldPath is one field of a model, nested objects included: the member
// names from the item down, and how to reach the field's value.
type fieldPath struct {
	names []string
	steps []func(reflect.Value) reflect.Value
	typ   reflect.Type
}

func (p fieldPath) String() string { return strings.Join(p.names, ".") }

// fieldPaths lists every field of struct type t and of the objects it
// holds (the first element of a list of objects, the object a pointer
// points to).
func fieldPaths(tb testing.TB, t reflect.Type) []fieldPath {
	tb.Helper()
	var paths []fieldPath
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		index := f.Index
		here := fieldPath{
			names: []string{jsonName(f)},
			steps: []func(reflect.Value) reflect.Value{func(v reflect.Value) reflect.Value { return v.FieldByIndex(index) }},
			typ:   f.Type,
		}
		paths = append(paths, here)
		var inner reflect.Type
		var into func(reflect.Value) reflect.Value
		switch rule := fieldRuleOf(tb, f.Type); rule.name {
		case "list of objects":
			inner, into = f.Type.Elem(), func(v reflect.Value) reflect.Value { return v.Index(0) }
		case "object":
			inner, into = f.Type.Elem(), reflect.Value.Elem
		default:
			continue
		}
		for _, sub := range fieldPaths(tb, inner) {
			paths = append(paths, fieldPath{
				names: append(append([]string(nil), here.names...), sub.names...),
				steps: append(append(append([]func(reflect.Value) reflect.Value(nil), here.steps...), into), sub.steps...),
				typ:   sub.typ,
			})
		}
	}
	return paths
}

// setAt sets the member at path in obj (as built by validObject) to raw.
func setAt(obj map[string]any, names []string, raw json.RawMessage) {
	for _, name := range names[:len(names)-1] {
		switch next := obj[name].(type) {
		case []any:
			obj = next[0].(map[string]any)
		case map[string]any:
			obj = next
		}
	}
	obj[names[len(names)-1]] = raw
}

// oddItem is the JSON of a valid object of type t with the field at path
// set to raw.
func oddItem(tb testing.TB, t reflect.Type, path fieldPath, raw string) []byte {
	tb.Helper()
	obj := validObject(tb, t)
	setAt(obj, path.names, json.RawMessage(raw))
	b, err := json.Marshal(obj)
	require.NoError(tb, err)
	return b
}

// plainDecode decodes b into a new T with encoding/json alone.
func plainDecode[T any](tb testing.TB, b []byte) T {
	tb.Helper()
	var v T
	require.NoError(tb, json.Unmarshal(b, &v), "a valid object must decode plainly: %s", b)
	return v
}

// testOddValues feeds each of oddValues to every field of T (nested objects
// included), as the middle item of a page of three and as the object of a
// single-object answer, and checks the field's value by its rule and that
// every other item and field is decoded as from a valid answer.
func testOddValues[T any](t *testing.T) {
	t.Helper()
	typ := reflect.TypeFor[T]()
	validJSON, err := json.Marshal(validObject(t, typ))
	require.NoError(t, err)
	valid := plainDecode[T](t, validJSON)
	require.False(t, reflect.ValueOf(valid).IsZero())
	for _, path := range fieldPaths(t, typ) {
		rule := fieldRuleOf(t, path.typ)
		for odd, value := range oddValues {
			t.Run(path.String()+"="+value.name, func(t *testing.T) {
				t.Parallel()
				item := oddItem(t, typ, path, value.json)
				want := plainDecode[T](t, validJSON)
				field := reflect.ValueOf(&want).Elem()
				for _, step := range path.steps {
					field = step(field)
				}
				field.Set(rule.want(path.typ, odd))

				body := `{"data":[` + string(validJSON) + `,` + string(item) + `,` + string(validJSON) + `],"meta":{"current_page":1,"last_page":2,"total":3}}`
				env, err := decodeList[T]([]byte(body))
				require.NoError(t, err, "%s", body)
				require.Len(t, env.Data.items, 3, "every item of the page survives: %s", body)
				assert.Equal(t, valid, env.Data.items[0], "the item before")
				assert.Equal(t, want, env.Data.items[1], "%s: %s (%s)", path, value.json, rule.name)
				assert.Equal(t, valid, env.Data.items[2], "the item after")
				assert.Equal(t, Meta{CurrentPage: 1, LastPage: 2, Total: 3}, env.Meta, "meta survives")

				one, _, err := decodeOne[T]([]byte(`{"data":` + string(item) + `}`))
				require.NoError(t, err)
				require.NotNil(t, one)
				assert.Equal(t, want, *one, "single object: %s: %s", path, value.json)
			})
		}
	}
}

func TestOddValuesContact(t *testing.T)       { t.Parallel(); testOddValues[Contact](t) }
func TestOddValuesTag(t *testing.T)           { t.Parallel(); testOddValues[Tag](t) }
func TestOddValuesContactField(t *testing.T)  { t.Parallel(); testOddValues[ContactField](t) }
func TestOddValuesConversation(t *testing.T)  { t.Parallel(); testOddValues[Conversation](t) }
func TestOddValuesMessage(t *testing.T)       { t.Parallel(); testOddValues[Message](t) }
func TestOddValuesTemplate(t *testing.T)      { t.Parallel(); testOddValues[Template](t) }
func TestOddValuesTeam(t *testing.T)          { t.Parallel(); testOddValues[Team](t) }
func TestOddValuesMember(t *testing.T)        { t.Parallel(); testOddValues[Member](t) }
func TestOddValuesSentMessage(t *testing.T)   { t.Parallel(); testOddValues[SentMessage](t) }
func TestOddValuesChatbotStatus(t *testing.T) { t.Parallel(); testOddValues[ChatbotStatus](t) }
func TestOddValuesServerMessage(t *testing.T) { t.Parallel(); testOddValues[ServerMessage](t) }
func TestOddValuesRateLimitStatus(t *testing.T) {
	t.Parallel()
	testOddValues[RateLimitStatus](t)
}

// TestOddValuesMetaAndLinks feeds each of oddValues to every field of meta
// and links and checks the field's value by its rule, that the other
// fields are kept, and that the page keeps its items.
func TestOddValuesMetaAndLinks(t *testing.T) {
	t.Parallel()
	for _, part := range []struct {
		key string
		typ reflect.Type
		get func(env envelope[Tag]) any
	}{
		{"meta", reflect.TypeFor[Meta](), func(env envelope[Tag]) any { return env.Meta }},
		{"links", reflect.TypeFor[Links](), func(env envelope[Tag]) any { return env.Links }},
	} {
		validJSON, err := json.Marshal(validObject(t, part.typ))
		require.NoError(t, err)
		for _, path := range fieldPaths(t, part.typ) {
			rule := fieldRuleOf(t, path.typ)
			for odd, value := range oddValues {
				t.Run(part.key+"."+path.String()+"="+value.name, func(t *testing.T) {
					t.Parallel()
					want := reflect.New(part.typ)
					require.NoError(t, json.Unmarshal(validJSON, want.Interface()))
					field := want.Elem()
					for _, step := range path.steps {
						field = step(field)
					}
					field.Set(rule.want(path.typ, odd))

					body := `{"data":[{"id":"t1"},{"id":"t2"}],"` + part.key + `":` + string(oddItem(t, part.typ, path, value.json)) + `}`
					env, err := decodeList[Tag]([]byte(body))
					require.NoError(t, err, "%s", body)
					assert.Equal(t, []Tag{{ID: "t1"}, {ID: "t2"}}, env.Data.items, "the items survive")
					assert.Equal(t, want.Elem().Interface(), part.get(env), "%s.%s: %s (%s)", part.key, path, value.json, rule.name)
				})
			}
		}
	}
}

// TestDecodeTolerantKinds checks the kinds of field no model has today,
// so that a model that gains one is read by the same rules: plain ints
// (too large for the kind is 0), floats, bools, maps, interfaces, an
// untagged field, a field tagged "-", and member names matched ignoring
// case.
func TestDecodeTolerantKinds(t *testing.T) {
	t.Parallel()
	type kinds struct {
		Small    int8              `json:"small"`
		Big      int64             `json:"big"`
		Ratio    float64           `json:"ratio"`
		Flag     bool              `json:"flag"`
		Labels   map[string]string `json:"labels"`
		Anything any               `json:"anything"`
		Untagged string
		Skipped  string `json:"-"`
		Count    uint   `json:"count"`
	}
	cases := []struct {
		body string
		want kinds
	}{
		{`{"small":300,"big":"12.9","ratio":"2.5","flag":"yes","labels":{"a":1,"b":null},"anything":[1],"untagged":7,"Skipped":"x","-":"y","count":"3"}`,
			kinds{Small: 0, Big: 12, Ratio: 2.5, Flag: true, Labels: map[string]string{"a": "1", "b": ""}, Anything: []any{1.0}, Untagged: "7"}},
		{`{"small":-5.5,"big":true,"ratio":true,"flag":0,"labels":"x","anything":null,"count":5}`,
			kinds{Small: -5, Big: 1, Ratio: 1, Labels: nil, Count: 5}},
		{`{"SMALL":1,"small":2,"Small":3,"ratio":"abc","flag":{},"labels":[],"count":"x"}`,
			kinds{Small: 3, Ratio: 0}}, // every spelling matches; the last wins, as in encoding/json
		{`{"small":null,"big":null,"ratio":null,"flag":null}`, kinds{}},
	}
	for _, tc := range cases {
		var got kinds
		decodeTolerant([]byte(tc.body), &got)
		assert.Equal(t, tc.want, got, tc.body)
	}
}
