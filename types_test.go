package sendbee

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeField decodes {"v": raw} into a struct holding one T, as the
// tolerant types are met inside API objects.
func decodeField[T any](raw string) (T, error) {
	var holder struct {
		V T `json:"v"`
	}
	err := json.Unmarshal([]byte(`{"v":`+raw+`}`), &holder)
	return holder.V, err
}

// decodeCase is a JSON value and what decoding it as T gives.
type decodeCase[T any] struct {
	raw     string
	want    T
	wantErr bool
}

// runDecodeCases decodes each case's raw value as a T inside an object.
func runDecodeCases[T any](t *testing.T, cases []decodeCase[T]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			got, err := decodeField[T](tc.raw)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestBoolUnmarshal(t *testing.T) {
	t.Parallel()
	// No value is an error: wantErr is false in every row.
	cases := []decodeCase[Bool]{
		// the forms the API is known to send
		{"true", true, false},
		{"1", true, false},
		{`"1"`, true, false},
		{`"true"`, true, false},
		{`"TRUE"`, true, false},
		{"false", false, false},
		{"0", false, false},
		{`"0"`, false, false},
		{`"false"`, false, false},
		{`"False"`, false, false},
		{"null", false, false},
		{`""`, false, false},
		// words, any case, surrounding whitespace trimmed
		{`"yes"`, true, false},
		{`"Yes"`, true, false},
		{`"YES"`, true, false},
		{`"no"`, false, false},
		{`"NO"`, false, false},
		{`"on"`, true, false},
		{`"ON"`, true, false},
		{`"off"`, false, false},
		{`"Off"`, false, false},
		{`"y"`, true, false},
		{`"Y"`, true, false},
		{`"n"`, false, false},
		{`"N"`, false, false},
		{`" yes "`, true, false},
		{`"\ttrue\n"`, true, false},
		{`"  off  "`, false, false},
		{`" 1 "`, true, false},
		{`"   "`, false, false},
		// numbers: non-zero is true
		{"2", true, false},
		{"-1", true, false},
		{"0.5", true, false},
		{"1e3", true, false},
		{"1e-400", true, false},
		{"1e400", true, false},
		{"0.0", false, false},
		{"-0", false, false},
		{"0e5", false, false},
		{`"2"`, true, false},
		{`"-1"`, true, false},
		{`"+1"`, true, false},
		{`"0.5"`, true, false},
		{`".5"`, true, false},
		{`"5."`, true, false},
		{`"1E3"`, true, false},
		{`"0.0"`, false, false},
		{`"-0.0"`, false, false},
		{`"00"`, false, false},
		{`"0e10"`, false, false},
		// an escaped string is read as its text
		{`"\u0031"`, true, false},
		{`"\u0079es"`, true, false},
		{`"\u0030"`, false, false},
		// anything else is false, not an error
		{`"maybe"`, false, false},
		{`"truthy"`, false, false},
		{`"yess"`, false, false},
		{`"null"`, false, false},
		{`"1 0"`, false, false},
		{`"1e"`, false, false},
		{`"e5"`, false, false},
		{`"."`, false, false},
		{`"-"`, false, false},
		{`"1.2.3"`, false, false},
		{`"0x1"`, false, false},
		{`"NaN"`, false, false},
		{`"Inf"`, false, false},
		{`"1_000"`, false, false},
		{`"yeſ"`, false, false},
		{"[]", false, false},
		{"[1]", false, false},
		{"[true]", false, false},
		{"{}", false, false},
		{`{"value":true}`, false, false},
	}
	runDecodeCases(t, cases)
}

// TestBoolOddFlagDoesNotFailPage: a member whose flags come as free text,
// as the Python client allows, still decodes with the rest of the page.
func TestBoolOddFlagDoesNotFailPage(t *testing.T) {
	t.Parallel()
	env, err := decodeList[Member]([]byte(`{"data":[` +
		`{"id":"m1","online":"yes","available":"maybe"},` +
		`{"id":"m2","online":2,"available":{"since":"09:00"}},` +
		`{"id":"m3","online":"Off","available":[]}]}`))
	require.NoError(t, err)
	assert.Equal(t, []Member{
		{ID: "m1", Online: true, Available: false},
		{ID: "m2", Online: true, Available: false},
		{ID: "m3", Online: false, Available: false},
	}, env.Data.items)
}

func TestBoolMarshalsAsJSONBoolean(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct{ A, B Bool }{true, false})
	require.NoError(t, err)
	assert.JSONEq(t, `{"A":true,"B":false}`, string(b))
}

func TestIntUnmarshal(t *testing.T) {
	t.Parallel()
	cases := []decodeCase[Int]{
		{"5", 5, false},
		{`"5"`, 5, false},
		{"-7", -7, false},
		{`" 12 "`, 12, false},
		{"null", 0, false},
		{`""`, 0, false},
		{"5.0", 5, false},
		{`"5.0"`, 5, false},
		{"1e3", 1000, false},
		{"5.9", 5, false},
		{"-5.9", -5, false},
		{`"5.9"`, 5, false},
		{`"\u0035"`, 5, false},
		{`"x"`, 0, false},
		{`"0x1A"`, 0, false},
		{`"NaN"`, 0, false},
		{"true", 1, false},
		{"false", 0, false},
		{"1e300", 0, false},
		{"9223372036854775808", 0, false},
		// truncation is of the number as written, not of the nearest
		// float: these are where the two differ
		{"2.99999999999999999999", 2, false},
		{`"-2.99999999999999999999"`, -2, false},
		{"9007199254740993.7", 9007199254740993, false},
		{"9223372036854775807.9", math.MaxInt64, false},
		{"-9223372036854775808.9", math.MinInt64, false},
		{"9.223372036854775807e18", math.MaxInt64, false},
		{"-9223372036854775809", 0, false},
		{"-9223372036854776000.0", 0, false},
		{"9.223372036854775808e18", 0, false},
		{"0.05e3", 50, false},
		{"123e-2", 1, false},
		{`"+7.9"`, 7, false},
		{`".5e1"`, 5, false},
		{`"5.e0"`, 5, false},
		{"-0.5", 0, false},
		{"0e99999999999999999999", 0, false},
		{"1e99999999999999999999", 0, false},
		{"1e-99999999999999999999", 0, false},
		{"0.0000000000000000000000000000001e31", 1, false},
		{`{"n":5}`, 0, false},
		{"[5]", 0, false},
	}
	runDecodeCases(t, cases)
}

func TestTimeUnmarshal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, raw string
		want      time.Time
		wantRaw   string
		wantErr   bool
	}{
		{"unix int", "1700000000", time.Unix(1700000000, 0).UTC(), "1700000000", false},
		{"unix float", "1700000000.25", time.Unix(1700000000, 250_000_000).UTC(), "1700000000.25", false},
		{"numeric string", `"1700000000"`, time.Unix(1700000000, 0).UTC(), "1700000000", false},
		{"API layout, read as UTC", `"2020-02-29 23:36:55"`, time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), "2020-02-29 23:36:55", false},
		{"RFC 3339", `"2020-02-29T23:36:55+01:00"`, time.Date(2020, 2, 29, 22, 36, 55, 0, time.UTC), "2020-02-29T23:36:55+01:00", false},
		{"RFC 3339 fraction", `"2020-02-29T23:36:55.5Z"`, time.Date(2020, 2, 29, 23, 36, 55, 500_000_000, time.UTC), "2020-02-29T23:36:55.5Z", false},
		{"null", "null", time.Time{}, "", false},
		{"empty string", `""`, time.Time{}, "", false},
		{"RFC 3339 without a zone, read as UTC", `"2020-02-29T23:36:55"`, time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), "2020-02-29T23:36:55", false},
		{"date only", `"2020-02-29"`, time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC), "2020-02-29", false},
		{"unknown form: zero, Raw kept", `"yesterday"`, time.Time{}, "yesterday", false},
		{"out of range: zero, Raw kept", "1e300", time.Time{}, "1e300", false},
		// the numbers Int and Bool read as decimals, and no others
		{"hex float: zero, Raw kept", `"0x1p4"`, time.Time{}, "0x1p4", false},
		{"digit separator: zero, Raw kept", `"1_0"`, time.Time{}, "1_0", false},
		{"object: zero, Raw empty", `{"date":"2020-02-29"}`, time.Time{}, "", false},
		{"array: zero, Raw empty", `[1700000000]`, time.Time{}, "", false},
		{"boolean: zero, Raw kept", "true", time.Time{}, "true", false},
		// a string is read for what it holds, escapes processed (PHP's
		// json_encode writes "/" as "\/")
		{"escaped unknown form: Raw unescaped", `"29\/02\/2020"`, time.Time{}, "29/02/2020", false},
		{"escaped API layout", `"\u0032020-02-29 23:36:55"`, time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), "2020-02-29 23:36:55", false},
		{"escaped numeric string", `"\u0034\u0032"`, time.Unix(42, 0).UTC(), "42", false},
		{"escaped spaces around a numeric string", `"\t42\n"`, time.Unix(42, 0).UTC(), "42", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeField[Time](tc.raw)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(got.Time), "got %v, want %v", got.Time, tc.want)
			assert.Equal(t, tc.want.IsZero(), got.IsZero())
			assert.Equal(t, tc.wantRaw, got.Raw)
		})
	}
}

// TestTimeAbsentIsZero checks that a missing timestamp leaves the zero Time.
func TestTimeAbsentIsZero(t *testing.T) {
	t.Parallel()
	var c Contact
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x"}`), &c))
	assert.True(t, c.CreatedAt.IsZero())
	assert.Empty(t, c.CreatedAt.Raw)
}

func TestTimeMarshal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   Time
		want string
	}{
		{"received number kept", Time{Time: time.Unix(1700000000, 0), Raw: "1700000000"}, `1700000000`},
		{"received string kept", Time{Time: time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), Raw: "2020-02-29 23:36:55"}, `"2020-02-29 23:36:55"`},
		{"built in code", Time{Time: time.Date(2020, 2, 29, 23, 36, 55, 0, time.FixedZone("CET", 3600))}, `"2020-02-29 22:36:55"`},
		{"zero", Time{}, `null`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
		})
	}
}

func TestScalar(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw      string
		wantStr  string
		wantNull bool
	}{
		{`"blue"`, "blue", false},
		{`"say \"hi\""`, `say "hi"`, false},
		{`42`, "42", false},
		{`4.5`, "4.5", false},
		{`true`, "true", false},
		{`false`, "false", false},
		{`""`, "", false},
		{`null`, "", true},
		{`{"a":1}`, `{"a":1}`, false},
		{`["x"]`, `["x"]`, false},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			got, err := decodeField[Scalar](tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.wantStr, got.String())
			assert.Equal(t, tc.wantNull, got.IsNull())
			assert.Equal(t, tc.raw, string(got.Raw))
			b, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, tc.raw, string(b), "encodes as received")
		})
	}
}

func TestScalarAbsentIsNull(t *testing.T) {
	t.Parallel()
	var v ContactFieldValue
	require.NoError(t, json.Unmarshal([]byte(`{"key":"age"}`), &v))
	assert.True(t, v.Value.IsNull())
	assert.Empty(t, v.Value.String())
	b, err := json.Marshal(v.Value)
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := Ptr(false)
	require.NotNil(t, p)
	assert.False(t, *p)
	assert.NotSame(t, Ptr(1), Ptr(1), "each call returns a new pointer")
}

// TestTimeMarshalWritesValidJSON: a Raw value strconv reads as a number but
// JSON does not ("+1700000000", ".5") is written as a string.
func TestTimeMarshalWritesValidJSON(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`"+1700000000"`, `".5"`, `"1700000000"`, `1700000000.25`, `"yesterday"`, `"29\/02\/2020"`, `"\"q\" \\ \u00e9"`} {
		var tm Time
		require.NoError(t, json.Unmarshal([]byte(raw), &tm), raw)
		out, err := json.Marshal(tm)
		require.NoError(t, err, raw)
		assert.True(t, json.Valid(out), "%s gave %s", raw, out)
		var back Time
		require.NoError(t, json.Unmarshal(out, &back), raw)
		assert.True(t, tm.Time.Equal(back.Time), raw)
		assert.Equal(t, tm.Raw, back.Raw, raw)
	}
}

// FuzzIntTruncates checks Int against exact arithmetic: any decimal number
// (as text, quoted or not) is its value truncated toward zero when that
// fits an int64, and 0 otherwise.
func FuzzIntTruncates(f *testing.F) {
	for _, seed := range []string{"2.99999999999999999999", "-9223372036854775808.9", "9.223372036854775807e18",
		"0.05e3", "123e-2", "-0.5", "+.5e1", "1e-400", "00012.7", "9007199254740993.7"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ok, _ := decimal([]byte(s)); !ok || len(s) > 200 {
			return
		}
		exact, _, err := big.ParseFloat(s, 10, 2048, big.ToZero)
		if err != nil || exact.IsInf() || exact.MantExp(nil) > 200 || exact.MantExp(nil) < -200 {
			return // an exponent too large for exact arithmetic here to be quick
		}
		whole, _ := exact.Int(nil) // truncated toward zero
		want := Int(0)
		if whole.IsInt64() {
			want = Int(whole.Int64())
		}
		for _, raw := range []string{s, strconv.Quote(s)} {
			if !json.Valid([]byte(raw)) {
				continue // "+5" and ".5" are valid only quoted
			}
			var got Int
			require.NoError(t, got.UnmarshalJSON([]byte(raw)))
			assert.Equal(t, want, got, "%s", raw)
		}
	})
}
