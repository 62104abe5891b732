package sendbee

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The tolerant decoder promises the values encoding/json gives wherever
// encoding/json succeeds. These tests generate objects that encoding/json
// can mostly decode (values of the right kind, keys in any case, repeated
// keys, unknown and "response" keys, odd whitespace) for every model, and
// check that the tolerant path agrees with the plain one.

// oddScalars are JSON values that the types decoding any value (Time, Bool,
// Int, Scalar, json.RawMessage) must read the same on both paths.
var oddScalars = []string{
	`7`, `0`, `-0`, `1.9`, `-1.9`, `1e3`, `1E-3`, `1e400`, `-1e400`, `9223372036854775807`,
	`9223372036854775808`, `"42"`, `" 42 "`, `"abc"`, `""`, `"\u0034\u0032"`, `"1.9"`, `"-1.9"`,
	`"2020-02-29 23:36:55"`, `"2020-02-29T23:36:55Z"`, `"1700000000"`, `1700000000.5`, `"yes"`,
	`" TRUE "`, `true`, `false`, `null`, `{}`, `[]`, `[[[1]]]`, `{"k":[null,{"a":"b"}]}`, `"\u00e9\n"`,
}

// textValues are values of the right kind for a text field.
var textValues = []string{`"s"`, `""`, `"\u0041b"`, `"é\t\"q\""`, `"ſK"`, `null`, `" 7 "`}

// equivalenceGen writes random JSON for a Go type.
type equivalenceGen struct{ r *rand.Rand }

func (g equivalenceGen) pick(values []string) string { return values[g.r.IntN(len(values))] }

func (g equivalenceGen) space() string { return g.pick([]string{"", "", "", " ", "\n\t ", "\r\n"}) }

// value is JSON for a value of type t that encoding/json decodes, except
// that, rarely, it is a value of the wrong kind.
func (g equivalenceGen) value(t reflect.Type) string {
	if t.Kind() == reflect.String && g.r.IntN(40) == 0 {
		return g.pick(oddScalars) // a value of the wrong kind: encoding/json fails
	}
	switch {
	case t == reflect.TypeFor[Time](), t == reflect.TypeFor[Bool](), t == reflect.TypeFor[Int](),
		t == reflect.TypeFor[Scalar](), t == reflect.TypeFor[json.RawMessage]():
		return g.pick(oddScalars)
	case t.Kind() == reflect.String:
		return g.pick(textValues)
	case t.Kind() == reflect.Pointer:
		if g.r.IntN(4) == 0 {
			return "null"
		}
		return g.object(t.Elem())
	case t.Kind() == reflect.Slice:
		if g.r.IntN(5) == 0 {
			return "null"
		}
		n := g.r.IntN(4)
		elems := make([]string, n)
		for i := range elems {
			elems[i] = g.space() + g.value(t.Elem()) + g.space()
		}
		return "[" + strings.Join(elems, ",") + "]"
	case t.Kind() == reflect.Map:
		if g.r.IntN(4) == 0 {
			return "null"
		}
		return `{"a":` + g.pick(oddScalars) + `,"b":` + g.pick(oddScalars) + `}`
	case t.Kind() == reflect.Struct:
		return g.object(t)
	}
	return g.pick(oddScalars)
}

// key spells a member name as a server might: exactly, or in another case
// (the Kelvin sign and the long s fold to k and s, as encoding/json folds).
func (g equivalenceGen) key(name string) string {
	switch g.r.IntN(6) {
	case 0:
		return strings.ToUpper(name)
	case 1:
		b := []rune(name)
		for i := range b {
			if g.r.IntN(2) == 0 {
				b[i] = []rune(strings.ToUpper(string(b[i])))[0]
			}
		}
		return string(b)
	case 2:
		return strings.NewReplacer("k", "\u212a", "s", "\u017f").Replace(name)
	}
	return name
}

// object is JSON for an object of struct type t: some members in any
// order and case, some twice, and some the type does not know.
func (g equivalenceGen) object(t reflect.Type) string {
	var members []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || f.Tag.Get("json") == "-" {
			continue
		}
		for range g.r.IntN(3) { // absent, once or twice
			m, _ := json.Marshal(g.key(jsonName(f)))
			members = append(members, g.space()+string(m)+g.space()+":"+g.space()+g.value(f.Type)+g.space())
		}
	}
	for range g.r.IntN(3) {
		name := g.pick([]string{`"response"`, `"Response"`, `"-"`, `"future"`, `""`, `"reject_reason"`})
		members = append(members, name+":"+g.pick(oddScalars))
	}
	g.r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	return "{" + strings.Join(members, ",") + "}"
}

// assertTolerantAgrees decodes object into a T with encoding/json alone
// (P is T without its UnmarshalJSON, if any) and, when that succeeds,
// checks that the tolerant decoder, and decodeItem, give the same T.
func assertTolerantAgrees[T, P any](t *testing.T, object []byte) {
	t.Helper()
	var plain T
	if json.Unmarshal(object, (*P)(reflect.ValueOf(&plain).UnsafePointer())) != nil {
		return
	}
	var tolerant T
	decodeTolerant(object, (*P)(reflect.ValueOf(&tolerant).UnsafePointer()))
	assert.Equal(t, plain, tolerant, "tolerant path: %s", object)
	if reflect.TypeFor[P]() != reflect.TypeFor[T]() {
		return // T's own UnmarshalJSON reads more than encoding/json does
	}
	// decodeItem takes the tolerant path for any null element; with none
	// in a list of objects, the result is still the plain one
	assert.Equal(t, plain, decodeItem[T](object), "decodeItem: %s", object)
}

// checkEquivalence generates one object of each model from seed and checks
// both paths agree on it.
func checkEquivalence(t *testing.T, seed uint64) {
	t.Helper()
	g := equivalenceGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	type plainConversation Conversation
	type plainTemplate Template
	type plainMeta Meta
	type plainLinks Links
	gen := func(t reflect.Type) []byte { return []byte(g.space() + g.object(t) + g.space()) }
	assertTolerantAgrees[Contact, Contact](t, gen(reflect.TypeFor[Contact]()))
	assertTolerantAgrees[Conversation, plainConversation](t, gen(reflect.TypeFor[Conversation]()))
	assertTolerantAgrees[Template, plainTemplate](t, gen(reflect.TypeFor[Template]()))
	assertTolerantAgrees[Tag, Tag](t, gen(reflect.TypeFor[Tag]()))
	assertTolerantAgrees[ContactField, ContactField](t, gen(reflect.TypeFor[ContactField]()))
	assertTolerantAgrees[Message, Message](t, gen(reflect.TypeFor[Message]()))
	assertTolerantAgrees[Team, Team](t, gen(reflect.TypeFor[Team]()))
	assertTolerantAgrees[Member, Member](t, gen(reflect.TypeFor[Member]()))
	assertTolerantAgrees[SentMessage, SentMessage](t, gen(reflect.TypeFor[SentMessage]()))
	assertTolerantAgrees[ChatbotStatus, ChatbotStatus](t, gen(reflect.TypeFor[ChatbotStatus]()))
	assertTolerantAgrees[RateLimitStatus, RateLimitStatus](t, gen(reflect.TypeFor[RateLimitStatus]()))
	assertTolerantAgrees[Meta, plainMeta](t, gen(reflect.TypeFor[Meta]()))
	assertTolerantAgrees[Links, plainLinks](t, gen(reflect.TypeFor[Links]()))
}

// TestTolerantAgreesWithEncodingJSON runs checkEquivalence on a fixed set
// of seeds; FuzzTolerantAgreesWithEncodingJSON explores more.
func TestTolerantAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	for seed := range uint64(1000) {
		checkEquivalence(t, seed)
	}
}

func FuzzTolerantAgreesWithEncodingJSON(f *testing.F) {
	f.Add(uint64(0))
	f.Fuzz(checkEquivalence)
}
