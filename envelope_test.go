package sendbee

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeEnvelopeData(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		body        string
		wantIDs     []string
		wantPresent bool
		wantErr     bool
	}{
		{"object", `{"data":{"id":"a"}}`, []string{"a"}, true, false},
		{"one-element array", `{"data":[{"id":"a"}]}`, []string{"a"}, true, false},
		{"array", `{"data":[{"id":"a"},{"id":"b"}]}`, []string{"a", "b"}, true, false},
		{"empty array", `{"data":[]}`, nil, true, false},
		{"null", `{"data":null}`, nil, true, false},
		{"absent", `{"meta":{}}`, nil, false, false},
		{"bare array body", ` [{"id":"a"},{"id":"b"}]`, []string{"a", "b"}, true, false},
		{"empty body", ``, nil, false, false},
		{"whitespace body", " \n\t", nil, false, false},
		{"unknown fields ignored", `{"data":[{"id":"a","future":{"x":[1,2]}}],"future":true}`, []string{"a"}, true, false},
		{"no data, keys of its own", `{"id":"a","meta":{}}`, []string{"a"}, false, false},
		{"elements that are not objects skipped", `{"data":[null,{"id":"a"},5,"b",[{"id":"c"}]]}`, []string{"a"}, true, false},
		{"null body", `null`, nil, false, false},
		{"data is a string", `{"data":"a"}`, nil, false, true},
		{"data is a boolean", `{"data":false}`, nil, false, true},
		{"a JSON string body", `"a"`, nil, false, true},
		{"data is a number", `{"data":5}`, nil, false, true},
		{"not JSON", `<html>`, nil, false, true},
		{"truncated", `{"data":[{"id":"a"}`, nil, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, err := decodeEnvelope[Contact]([]byte(tc.body))
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			var ids []string
			for _, c := range env.Data.items {
				ids = append(ids, c.ID)
			}
			assert.Equal(t, tc.wantIDs, ids)
			assert.Equal(t, tc.wantPresent, env.Data.present)
		})
	}
}

func TestDecodeEnvelopeMetaLinksWarning(t *testing.T) {
	t.Parallel()
	env, err := decodeEnvelope[Tag]([]byte(`{
		"data": [],
		"meta": {"current_page": "2", "last_page": 3, "per_page": "10", "total": 25, "from": null, "to": ""},
		"links": {"first": "f", "last": "l", "prev": null, "next": "n"},
		"warning": "slow down"}`))
	require.NoError(t, err)
	assert.Equal(t, Meta{CurrentPage: 2, LastPage: 3, PerPage: 10, Total: 25}, env.Meta)
	assert.Equal(t, Links{First: "f", Last: "l", Next: "n"}, env.Links)
	assert.Equal(t, "slow down", env.Warning.String())
}

// TestSingleResultShapes sends every shape the API may use for a single
// object to a call that returns one (Tags.Update). An answer holding no
// object is an error, not an empty Tag; an empty confirmation of a delete is
// fine.
func TestSingleResultShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		body     string
		want     Tag
		noObject bool
	}{
		{"data object", `{"data":{"id":"t1","name":"vip"}}`, Tag{ID: "t1", Name: "vip"}, false},
		{"data one-element array", `{"data":[{"id":"t1","name":"vip"}]}`, Tag{ID: "t1", Name: "vip"}, false},
		{"data empty array", `{"data":[]}`, Tag{}, true},
		{"data null", `{"data":null}`, Tag{}, true},
		{"data absent: the body is the object", `{"id":"t1","name":"vip","editable":"1"}`, Tag{ID: "t1", Name: "vip", Editable: true}, false},
		{"bare array body", `[{"id":"t1","name":"vip"}]`, Tag{ID: "t1", Name: "vip"}, false},
		{"empty body", ``, Tag{}, true},
		{"unknown fields", `{"data":{"id":"t1","name":"vip","color":"red"},"extra":[1]}`, Tag{ID: "t1", Name: "vip"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respond(http.StatusOK, tc.body))
			got, err := c.Tags.Update(context.Background(), UpdateTagParams{ID: "t1", Name: "vip"})
			if tc.noObject {
				require.ErrorIs(t, err, errNoObject)
				assert.Nil(t, got)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown, "renaming a tag is safe to repeat")
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, tc.want, *withoutResponse(got))
		})
	}
}

// TestEmptyConfirmationIsFine: deletes, the chatbot switch and the
// rate-limit probes may answer with no object at all.
func TestEmptyConfirmationIsFine(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `{"data":[]}`, `{"data":null}`} {
		c, _ := newWireServer(t, respond(http.StatusOK, body))
		msg, err := c.Tags.Delete(context.Background(), "t1")
		require.NoError(t, err, "body %q", body)
		assert.Equal(t, &ServerMessage{}, withoutResponse(msg))
		msg, err = c.ContactFields.Delete(context.Background(), "f1")
		require.NoError(t, err, "body %q", body)
		assert.Equal(t, &ServerMessage{}, withoutResponse(msg))
		msg, err = c.Automation.SetChatbot(context.Background(), "conv1", false)
		require.NoError(t, err, "body %q", body)
		assert.Equal(t, &ServerMessage{}, withoutResponse(msg))
		status, err := c.RateLimitRequestTest(context.Background())
		require.NoError(t, err, "body %q", body)
		assert.Equal(t, &RateLimitStatus{}, withoutResponse(status))
		status, err = c.RateLimitErrorTest(context.Background())
		require.NoError(t, err, "body %q", body)
		assert.Equal(t, &RateLimitStatus{}, withoutResponse(status))
	}
}

// TestAcceptedSendWithUnreadableAnswerIsOutcomeUnknown: a 2xx to a call
// that is not safe to repeat means the server acted, so an answer that
// cannot be decoded (or holds no receipt) must not read as "not sent".
func TestAcceptedSendWithUnreadableAnswerIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`<html>OK</html>`, `{"data":[]}`, `{"data":{"id":`, ``, `{}`, `{"warning":"x"}`, `{"meta":{},"links":{}}`} {
		c, srv := newWireServer(t, respond(http.StatusOK, body))
		_, err := c.Messages.Send(context.Background(), SendMessageParams{Phone: "+385991234567", Text: "hi"})
		require.ErrorIs(t, err, ErrOutcomeUnknown, "body %q", body)
		assert.Contains(t, err.Error(), "the message may have been sent")
		assert.Len(t, srv.Requests(), 1, "never repeated")
	}
}

// TestRedirectIsAnError: a 3xx the http.Client did not follow is not a
// success (nothing was done where the call was meant to go), whatever its
// body. For a call that is not idempotent the server may still have acted
// before answering with it, so its outcome is unknown.
func TestRedirectIsAnError(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusNotModified, http.StatusMultipleChoices} {
		c, _ := newWireServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) })
		_, err := c.Messages.Send(context.Background(), SendMessageParams{Phone: "+385991234567", Text: "hi"})
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr, "status %d", status)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "status %d", status)
		assert.ErrorContains(t, err, "the message may have been sent")

		_, err = c.Contacts.List(context.Background(), nil)
		require.ErrorAs(t, err, &apiErr, "status %d", status)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, "status %d: repeating a list is safe", status)
	}
}

// TestListResultShapes sends every shape the API may use for a list to
// Tags.List.
func TestListResultShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		body     string
		wantIDs  []string
		wantMeta Meta
	}{
		{"array with meta", `{"data":[{"id":"a"},{"id":"b"}],"meta":{"current_page":1,"last_page":1}}`, []string{"a", "b"}, Meta{CurrentPage: 1, LastPage: 1}},
		{"single object", `{"data":{"id":"a"}}`, []string{"a"}, Meta{}},
		{"empty array", `{"data":[]}`, nil, Meta{}},
		{"null", `{"data":null}`, nil, Meta{}},
		{"bare array", `[{"id":"a"}]`, []string{"a"}, Meta{}},
		{"empty body", ``, nil, Meta{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respond(http.StatusOK, tc.body))
			page, err := c.Tags.List(context.Background(), nil)
			require.NoError(t, err)
			var ids []string
			for _, tag := range page.Items {
				ids = append(ids, tag.ID)
			}
			assert.Equal(t, tc.wantIDs, ids)
			assert.Equal(t, tc.wantMeta, page.Meta)
			assert.False(t, page.HasNext())
			assert.Equal(t, []byte(tc.body), page.Response.Body, "Response.Body is the raw answer")
		})
	}
}

func TestUndecodableAnswerIsAnError(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":"oops"}`))
	_, err := c.Tags.List(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /contacts/tags: decoding the answer")
	assert.Equal(t, 1, strings.Count(err.Error(), "sendbee: "), "the prefix appears once: %v", err)
}

// TestNestedObjectsNullOrAbsent checks that a conversation's contact and
// last message may be null, missing, or any other value than an object,
// such as PHP's [] for an empty one, through every decoding path (the
// general one, and the one-pass list and single-object ones); an object,
// even {}, is decoded.
func TestNestedObjectsNullOrAbsent(t *testing.T) {
	t.Parallel()
	const last = `{"direction":"inbound","inbound_sent_at":"2020-02-29 23:36:55","outbound_sent_at":null}`
	cases := []struct {
		name                   string
		conv                   string // the conversation object
		wantContact, wantLast  bool
		wantInboundSentAtIsSet bool
	}{
		{name: "both present", conv: `{"id":"c","contact":{"id":"p","name":"Ana"},"last_message":` + last + `}`, wantContact: true, wantLast: true, wantInboundSentAtIsSet: true},
		{name: "both null", conv: `{"id":"c","contact":null,"last_message":null}`},
		{name: "both absent", conv: `{"id":"c"}`},
		{name: "empty objects", conv: `{"id":"c","contact":{},"last_message":{}}`, wantContact: true, wantLast: true},
		{name: "both [] (PHP's empty object)", conv: `{"id":"c","contact":[],"last_message":[]}`},
		{name: "[] with spaces", conv: `{"id":"c","contact":[ ],"last_message":[` + "\n" + `]}`},
		{name: "contact [], last message present", conv: `{"id":"c","contact":[],"last_message":` + last + `}`, wantLast: true, wantInboundSentAtIsSet: true},
		{name: "contact present, last message []", conv: `{"id":"c","contact":{"id":"p"},"last_message":[]}`, wantContact: true},
		{name: "[] before the other fields", conv: `{"contact":[],"last_message":[],"id":"c","created_at":"2020-02-29 23:36:55"}`},
		{name: "keys in another case", conv: `{"ID":"c","Contact":[],"LAST_MESSAGE":[]}`},
		{name: "a non-empty array", conv: `{"id":"c","contact":[{"id":"p"}],"last_message":[1]}`},
		{name: "scalars", conv: `{"id":"c","contact":"","last_message":false}`},
		{name: "numbers", conv: `{"id":"c","contact":0,"last_message":1.5}`},
		{name: "repeated key, [] last", conv: `{"id":"c","contact":{"id":"p"},"contact":[]}`},
		{name: "repeated key, object last", conv: `{"id":"c","contact":[],"contact":{"id":"p"}}`, wantContact: true},
		{name: "a field of the wrong type inside the object", conv: `{"id":"c","contact":{"id":5}}`, wantContact: true},
		{name: "a field of the wrong type inside the last message", conv: `{"id":"c","last_message":{"status":5}}`, wantLast: true},
		{name: "a field of the wrong type beside []", conv: `{"contact":[],"id":"c","platform":5}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			check := func(path string, conv *Conversation) {
				t.Helper()
				require.NotNil(t, conv, path)
				assert.Equal(t, "c", conv.ID, path)
				assert.Equal(t, tc.wantContact, conv.Contact != nil, "%s: Contact", path)
				assert.Equal(t, tc.wantLast, conv.LastMessage != nil, "%s: LastMessage", path)
				if conv.LastMessage != nil {
					assert.Equal(t, tc.wantInboundSentAtIsSet, !conv.LastMessage.InboundSentAt.IsZero(), path)
					assert.True(t, conv.LastMessage.OutboundSentAt.IsZero(), path)
				}
			}
			listBody := []byte(`{"data":[` + tc.conv + `]}`)
			oneBody := []byte(`{"data":` + tc.conv + `}`)

			env, err := decodeEnvelope[Conversation](listBody)
			list, listErr := decodeList[Conversation](listBody)
			one, _, oneErr := decodeOne[Conversation](oneBody)
			require.NoError(t, err, "decodeEnvelope")
			require.NoError(t, listErr, "decodeList")
			require.NoError(t, oneErr, "decodeOne")
			require.Len(t, env.Data.items, 1)
			require.Len(t, list.Data.items, 1)
			check("decodeEnvelope", &env.Data.items[0])
			check("decodeList", &list.Data.items[0])
			check("decodeOne", one)
		})
	}
}

type ctxKey struct{}

// warningRecorder collects what a warning handler receives.
type warningRecorder struct {
	mu       sync.Mutex
	warnings []string
	ctxOK    []bool
}

func (w *warningRecorder) handle(ctx context.Context, warning string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.warnings = append(w.warnings, warning)
	w.ctxOK = append(w.ctxOK, ctx.Value(ctxKey{}) == "caller")
}

// TestWarningReachesHandlerAndResponse checks that the API's warning goes to
// the handler, with the caller's context, and onto Response.Warning.
func TestWarningReachesHandlerAndResponse(t *testing.T) {
	t.Parallel()
	rec := &warningRecorder{}
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[],"warning":"Your plan expires soon"}`), WithWarningHandler(rec.handle))
	ctx := context.WithValue(context.Background(), ctxKey{}, "caller")

	page, err := c.Tags.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "Your plan expires soon", page.Response.Warning)
	assert.Equal(t, []string{"Your plan expires soon"}, rec.warnings)
	assert.Equal(t, []bool{true}, rec.ctxOK)
}

func TestNoWarningNoHandlerCall(t *testing.T) {
	t.Parallel()
	rec := &warningRecorder{}
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[],"warning":null}`), WithWarningHandler(rec.handle))
	page, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Response.Warning)
	assert.Empty(t, rec.warnings)
}

// TestWarningOfSingleResultReachesHandler covers a call that returns one
// object (Contacts.Update): the warning is on its Response too.
func TestWarningOfSingleResultReachesHandler(t *testing.T) {
	t.Parallel()
	rec := &warningRecorder{}
	c, _ := newWireServer(t, respondFile(t, http.StatusOK, "contact_update.json"), WithWarningHandler(rec.handle))
	contact, err := c.Contacts.Update(context.Background(), UpdateContactParams{ID: "x"})
	require.NoError(t, err)
	assert.Equal(t, []string{`Field "shoe_size" does not exist and was ignored`}, rec.warnings)
	assert.Equal(t, `Field "shoe_size" does not exist and was ignored`, contact.Response.Warning)
}

// TestWarningOfErrorAnswer: an error answer's warning is on
// APIError.Response.Warning and reaches the handler, once per answer; an
// error body that is not an object, or holds no warning, gives none.
func TestWarningOfErrorAnswer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, want string
	}{
		{"nested error", `{"error":{"type":"validation","detail":"bad phone"},"warning":"Plan expires soon"}`, "Plan expires soon"},
		{"flat error", `{"detail":"bad phone","warning":"Plan expires soon"}`, "Plan expires soon"},
		{"number", `{"detail":"bad phone","warning":7}`, "7"},
		{"no warning", `{"detail":"bad phone"}`, ""},
		{"null warning", `{"detail":"bad phone","warning":null}`, ""},
		{"HTML", `<html>warning</html>`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &warningRecorder{}
			c, _ := newWireServer(t, respond(http.StatusUnprocessableEntity, tc.body), WithWarningHandler(rec.handle))
			_, err := c.Tags.List(context.Background(), nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.want, apiErr.Response.Warning)
			if tc.want == "" {
				assert.Empty(t, rec.warnings)
			} else {
				assert.Equal(t, []string{tc.want}, rec.warnings)
			}
		})
	}
}

// logRecords decodes the JSON lines a slog.JSONHandler wrote.
func logRecords(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	for dec.More() {
		var rec map[string]any
		require.NoError(t, dec.Decode(&rec))
		out = append(out, rec)
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a shared
// logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) snapshot() *bytes.Buffer {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.NewBuffer(append([]byte(nil), b.buf.Bytes()...))
}

// TestWarningDefaultsToLoggerAtWarn: without a warning handler, the warning
// is logged at Warn level to the WithLogger logger.
func TestWarningDefaultsToLoggerAtWarn(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[],"warning":"Your plan expires soon"}`),
		WithWarningHandler(nil), WithLogger(logger))

	page, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "Your plan expires soon", page.Response.Warning)
	recs := logRecords(t, &buf)
	require.Len(t, recs, 1)
	assert.Equal(t, "WARN", recs[0]["level"])
	assert.Equal(t, "sendbee API warning", recs[0]["msg"])
	assert.Equal(t, "Your plan expires soon", recs[0]["warning"])
}

// TestWarningDefaultsToSlogDefault: with neither a warning handler nor a
// logger, the warning goes to slog.Default at Warn level. It replaces the
// process-wide default logger, so it does not run in parallel (parallel
// tests wait until the sequential ones are done).
func TestWarningDefaultsToSlogDefault(t *testing.T) {
	buf := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[],"warning":"Your plan expires soon"}`), WithWarningHandler(nil))

	_, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	recs := logRecords(t, buf.snapshot())
	require.Len(t, recs, 1)
	assert.Equal(t, "WARN", recs[0]["level"])
	assert.Equal(t, "Your plan expires soon", recs[0]["warning"])
}

// FuzzDecodeEnvelope decodes arbitrary bytes as the envelopes of contacts
// and conversations (the models with the most tolerant fields) and as an
// error body: none may panic, and a decoded contact list is usable. The
// one-pass decoding of the usual shapes must agree with the general one,
// and the tolerant decoder with encoding/json on a body both can read.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, seed := range []string{
		``,
		`[]`,
		`{"data":{"id":"a"}}`,
		`{"data":[{"id":"a","created_at":"2020-02-29 23:36:55","has_messaging_consent":"1","contact_fields":[{"key":"k","value":1.5}]}],"meta":{"current_page":"1","last_page":2}}`,
		`{"data":[{"id":"c","contact":null,"last_message":{"inbound_sent_at":1700000000.5}}]}`,
		`{"data":{"id":"c","contact":[],"last_message":[],"chatbot_active":"yes"}}`,
		`{"data":null,"warning":{"x":1}}`,
		`{"error":{"detail":"d","type":"t"}}`,
		`{"error":true,"detail":"d","type":"t"}`,
		`<html>502</html>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if env, err := decodeEnvelope[Contact](body); err == nil {
			for _, c := range env.Data.items {
				_ = c.CreatedAt.String()
				for _, v := range c.ContactFields {
					_ = v.Value.String()
				}
				out, err := json.Marshal(c)
				require.NoError(t, err)
				require.True(t, json.Valid(out))
			}
			_ = env.Warning.String()
		}
		if env, err := decodeEnvelope[Conversation](body); err == nil {
			// whatever decoded must encode again (sendbeetest and callers
			// re-encode models)
			for _, c := range env.Data.items {
				out, err := json.Marshal(c)
				require.NoError(t, err)
				require.True(t, json.Valid(out))
			}
		}
		_, _ = errorBody(body)
		assertSameDecoding(t, body)
		// an object encoding/json decodes is read the same by the tolerant
		// decoder
		type plainConversation Conversation
		assertTolerantAgrees[Contact, Contact](t, body)
		assertTolerantAgrees[Conversation, plainConversation](t, body)
	})
}

// TestMalformedAnswersAreErrors: a 2xx body that cannot be decoded fails
// every contacts-family call, list and single-object alike, with a decoding
// error rather than a zero result.
func TestMalformedAnswersAreErrors(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"data is a string":  `{"data":"oops"}`,
		"data is a boolean": `{"data":true}`,
		"not JSON":          `not json`,
		"a JSON string":     `"data"`,
		"a JSON number":     `5`,
		"a JSON boolean":    `true`,
		"truncated":         `{"data":[{"id":"a"}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respond(http.StatusOK, body))
			for _, fc := range contactsFamilyCalls() {
				err := fc.do(context.Background(), c)
				require.Error(t, err, fc.name)
				assert.Contains(t, err.Error(), ": decoding the answer: ", fc.name)
				var apiErr *APIError
				assert.False(t, errors.As(err, &apiErr), "%s: a 2xx answer gave an *APIError", fc.name)
			}
		})
	}
}

// envelopeShapes are answers in every shape the envelope takes, and some it
// must refuse.
var envelopeShapes = []string{
	``,
	`null`,
	`[]`,
	`[{"id":"c1"}]`,
	`{}`,
	`{"data":[{"id":"c1","created_at":"2020-02-29 23:36:55"},{"id":"c2","created_at":1700000000}],"meta":{"current_page":1,"last_page":"3"},"links":{"next":"n"},"warning":"old client"}`,
	`{"data":{"id":"c1","has_messaging_consent":"1"},"warning":"w"}`,
	`{"data":{"id":"c1","contact":[],"last_message":{}},"warning":"w"}`,
	`{"data":[{"id":"c1","contact":[],"last_message":[]},{"id":"c2","contact":{"id":"p"}}],"meta":[]}`,
	`{"data":{"id":"c1","contact":[],"created_at":true}}`,
	`{"data":[{"id":"c1","contact":{"id":5},"last_message":[]}]}`,
	`{"data":[],"meta":{"current_page":1}}`,
	`{"data":null,"warning":5}`,
	`{"id":"c1","name":"no envelope"}`,
	`{"data":"text"}`,
	`{"data":5}`,
	`{"data":[{"id":5}]}`,
	`{"data":{"id":5}}`,
	`{"data":[{"created_at":"yesterday"}]}`,
	`{"data":{"created_at":"yesterday"}}`,
	`{"data":[],"meta":"x"}`,
	`{"meta":"x","data":{"id":"c1"}}`,
	`{"data":[{"id":"a"}],"data":{"id":"b"}}`,
	`{"DATA":{"id":"c1"}}`,
	`{"data":[1]`,
	`{"data":{"id":"c1"}} trailing`,
}

// TestDecodeFastPaths checks that the one-pass decoding of the usual shapes
// (decodeList, decodeOne) gives what the general decoding gives, for every
// shape; FuzzDecodeEnvelope checks it on any input.
func TestDecodeFastPaths(t *testing.T) {
	t.Parallel()
	for _, body := range envelopeShapes {
		assertSameDecoding(t, []byte(body))
	}
}

// assertSameDecoding checks decodeList and decodeOne against the general
// decoding for contacts and for conversations (whose own UnmarshalJSON
// reads contact and last_message tolerantly).
func assertSameDecoding(t *testing.T, body []byte) {
	t.Helper()
	assertSameDecodingOf[Contact](t, body)
	assertSameDecodingOf[Conversation](t, body)
}

func assertSameDecodingOf[T any](t *testing.T, body []byte) {
	t.Helper()
	gotList, gotErr := decodeList[T](body)
	wantList, wantErr := decodeEnvelope[T](body)
	if assert.Equal(t, wantErr != nil, gotErr != nil, "list %s: errors %v, %v", body, wantErr, gotErr) && wantErr == nil {
		assert.Equal(t, wantList.Data.items, gotList.Data.items, "list %s", body)
		assert.Equal(t, wantList.Meta, gotList.Meta, "list %s", body)
		assert.Equal(t, wantList.Links, gotList.Links, "list %s", body)
		assert.Equal(t, wantList.Warning.String(), gotList.Warning.String(), "list %s", body)
	}
	gotOne, gotWarning, gotErr := decodeOne[T](body)
	wantOne, wantWarning, wantErr := decodeOneAnyShape[T](body)
	if assert.Equal(t, wantErr != nil, gotErr != nil, "one %s: errors %v, %v", body, wantErr, gotErr) && wantErr == nil {
		assert.Equal(t, wantOne, gotOne, "one %s", body)
		assert.Equal(t, wantWarning, gotWarning, "one %s", body)
	}
}

// TestOddMetaAndLinksAreTolerated: PHP encodes an empty object as [] and
// some paginators send links as an array; neither may fail a page.
func TestOddMetaAndLinksAreTolerated(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"data":[{"id":"t1"}],"meta":[],"links":[]}`,
		`{"data":[{"id":"t1"}],"meta":null,"links":[{"url":null,"label":"1","active":true}]}`,
		`{"data":[{"id":"t1"}],"meta":"none","links":"none"}`,
	} {
		c, _ := newWireServer(t, respond(http.StatusOK, body))
		page, err := c.Tags.List(context.Background(), nil)
		require.NoError(t, err, "body %s", body)
		assert.Equal(t, []Tag{{ID: "t1"}}, page.Items)
		assert.Equal(t, Meta{}, page.Meta)
		assert.Equal(t, Links{}, page.Links)
		assert.False(t, page.HasNext())
	}
}

// TestListAnswerWithoutData: a 2xx list answer that is an object without
// "data" is the one item when it has keys of its own, and an empty page
// when its only keys are the envelope's (meta, links, warning, error).
func TestListAnswerWithoutData(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		body string
		want []Tag
	}{
		{"an object of its own", `{"id":"1","name":"vip"}`, []Tag{{ID: "1", Name: "vip"}}},
		{"an object with meta beside its keys", `{"id":"1","name":"vip","meta":{"total":1}}`, []Tag{{ID: "1", Name: "vip"}}},
		{"an object with an odd value", `{"id":1,"name":"vip","editable":"yes"}`, []Tag{{ID: "1", Name: "vip", Editable: true}}},
		{"an unknown key of its own", `{"tag":"vip"}`, []Tag{{}}},
		{"keys in another case", `{"ID":"1","Name":"vip"}`, []Tag{{ID: "1", Name: "vip"}}},
		{"only meta and links", `{"meta":{"current_page":1,"last_page":1,"total":0},"links":{"first":"f"}}`, nil},
		{"only a warning", `{"warning":"old client"}`, nil},
		{"only error", `{"error":null}`, nil},
		{"envelope keys in another case", `{"META":{},"Links":[]}`, nil},
		// encoding/json folds the long s and the Kelvin sign to s and k
		{"envelope keys folded as encoding/json folds them", `{"linkſ":{"first":"f"},"LINKS":[]}`, nil},
		{"empty object", `{}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, tc.body))
			page, err := c.Tags.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, page.Items, tc.body)
			assert.False(t, page.HasNext())
			assert.Equal(t, http.MethodGet, srv.Only(t).Method)
		})
	}
}

// TestDataElementsThatAreNotObjectsAreSkipped: an element of "data" that
// is not an object, null included, is skipped and the page keeps the
// others, through the client and for every list model's decoding.
func TestDataElementsThatAreNotObjectsAreSkipped(t *testing.T) {
	t.Parallel()
	const body = `{"data":[null,{"id":"a"},7,"x",true,[{"id":"z"}],{"id":"b"},null],"meta":{"current_page":1,"last_page":1}}`
	c, _ := newWireServer(t, respond(http.StatusOK, body))
	page, err := c.Contacts.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []Contact{{ID: "a"}, {ID: "b"}}, page.Items)

	convs, err := decodeList[Conversation]([]byte(body))
	require.NoError(t, err)
	assert.Equal(t, []Conversation{{ID: "a"}, {ID: "b"}}, convs.Data.items)
	tags, err := decodeList[Tag]([]byte(`{"data":[{"id":"a"},null]}`))
	require.NoError(t, err)
	assert.Equal(t, []Tag{{ID: "a"}}, tags.Data.items)
	one, _, err := decodeOne[Tag]([]byte(`{"data":[null,5,{"id":"a"}]}`))
	require.NoError(t, err)
	assert.Equal(t, &Tag{ID: "a"}, one, "a single-object call takes the first object")
}

// TestIssueOddValuesThroughTheClient sends the odd values that used to
// fail a whole page through Contacts.List and Templates.List, and checks
// every item and the page's meta.
func TestIssueOddValuesThroughTheClient(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[
		{"id":"c1","name":7,"created_at":true,"tags":"vip"},
		{"id":"c2","name":"Ana","tags":[{"id":"t1","name":"vip"},null,"gold"],"contact_fields":[{"key":"age","value":42}],"notes":{"id":"n"}},
		{"id":"c3","name":"Ivo","status":false,"has_messaging_consent":"1"}
	],"meta":{"current_page":"1","last_page":2.0,"total":"abc"},"links":{"next":2,"prev":null}}`))
	page, err := c.Contacts.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []Contact{
		{ID: "c1", Name: "7", CreatedAt: Time{Raw: "true"}},
		{ID: "c2", Name: "Ana", Tags: []Tag{{ID: "t1", Name: "vip"}}, ContactFields: []ContactFieldValue{{Key: "age", Value: Scalar{Raw: json.RawMessage("42")}}}},
		{ID: "c3", Name: "Ivo", Status: "false", HasMessagingConsent: true},
	}, page.Items)
	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 2}, page.Meta)
	assert.Equal(t, Links{Next: "2"}, page.Links)
	assert.True(t, page.HasNext())

	c, _ = newWireServer(t, respond(http.StatusOK, `{"data":[
		{"id":"t1","buttons":[{"index":"abc","title":"Go"},{"index":"2","title":3}]},
		{"id":"t2","keyword":"welcome"}
	]}`))
	templates, err := c.Templates.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []Template{
		{ID: "t1", Buttons: []TemplateButton{{Index: 0, Title: "Go"}, {Index: 2, Title: "3"}}},
		{ID: "t2", Keyword: "welcome"},
	}, templates.Items)
}

// FuzzDecodeList decodes any body as a list of the models with the most
// nested fields, which must never panic, and feeds any JSON value to one
// field (chosen by at) of the middle contact, conversation, template or
// member of a page of three valid ones: the page must keep all three
// items, the other two decoded as from a valid answer.
func FuzzDecodeList(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"a"},null,7]}`), []byte(`7`), uint16(0))
	f.Add([]byte(`{"id":"1","name":"vip"}`), []byte(`"abc"`), uint16(3))
	f.Add([]byte(`{"meta":{"total":"abc"},"links":[]}`), []byte(`[null,{"k":1},"x"]`), uint16(9))
	f.Add([]byte(`[{"tags":"vip"},{"tags":[null]}]`), []byte(`{"id":5}`), uint16(11))
	f.Add([]byte(`{"data":{"contact":[],"last_message":{"status":5}}}`), []byte(`-1e400`), uint16(20))
	f.Add([]byte(`{"data":"x"}`), []byte(`"\u0035"`), uint16(30))
	contactPaths := fieldPaths(f, reflect.TypeFor[Contact]())
	conversationPaths := fieldPaths(f, reflect.TypeFor[Conversation]())
	templatePaths := fieldPaths(f, reflect.TypeFor[Template]())
	memberPaths := fieldPaths(f, reflect.TypeFor[Member]())
	f.Fuzz(func(t *testing.T, body, odd []byte, at uint16) {
		_, _ = decodeList[Contact](body)
		_, _ = decodeList[Conversation](body)
		_, _ = decodeList[Template](body)
		_, _ = decodeList[Member](body)
		_, _, _ = decodeOne[Conversation](body)
		if !json.Valid(odd) {
			return
		}
		fuzzOneOddField[Contact](t, contactPaths[int(at)%len(contactPaths)], odd)
		fuzzOneOddField[Conversation](t, conversationPaths[int(at)%len(conversationPaths)], odd)
		fuzzOneOddField[Template](t, templatePaths[int(at)%len(templatePaths)], odd)
		fuzzOneOddField[Member](t, memberPaths[int(at)%len(memberPaths)], odd)
	})
}

// fuzzOneOddField checks that a page of three valid T whose middle item
// has odd at path keeps all three, and decodes the other two as valid.
func fuzzOneOddField[T any](t *testing.T, path fieldPath, odd []byte) {
	t.Helper()
	typ := reflect.TypeFor[T]()
	validJSON, err := json.Marshal(validObject(t, typ))
	require.NoError(t, err)
	valid := plainDecode[T](t, validJSON)
	body := `{"data":[` + string(validJSON) + `,` + string(oddItem(t, typ, path, string(odd))) + `,` + string(validJSON) + `]}`
	env, err := decodeList[T]([]byte(body))
	require.NoError(t, err, "%s", body)
	require.Len(t, env.Data.items, 3, "%s", body)
	assert.Equal(t, valid, env.Data.items[0])
	assert.Equal(t, valid, env.Data.items[2])
}

// TestResponseIsNeverReadFromTheBody: the models' Response field (tagged
// json:"-") is the call's HTTP answer, whatever member called "Response"
// or "response" the body holds, on the one-pass decoding and on the
// tolerant one (an odd value in the same object), for a page's items and
// for a single object.
func TestResponseIsNeverReadFromTheBody(t *testing.T) {
	t.Parallel()
	const forged = `"Response":{"StatusCode":999,"Body":"eA==","Warning":"w"},"response":{"statuscode":1},"RESPONSE":5,"-":{"StatusCode":998}`
	for _, odd := range []string{``, `,"folder":7,"name":[1]`} {
		t.Run("list"+odd, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[{"id":"t1",`+forged+odd+`},{"id":"t2"}]}`))
			page, err := c.Tags.List(context.Background(), nil)
			require.NoError(t, err)
			require.Len(t, page.Items, 2)
			for _, item := range page.Items {
				assert.Nil(t, item.Response)
			}
			assert.Equal(t, http.StatusOK, page.Response.StatusCode)
		})
		for _, body := range []string{`{"data":{"id":"c1",` + forged + odd + `}}`, `{"id":"c1",` + forged + odd + `}`} {
			t.Run("one "+body, func(t *testing.T) {
				t.Parallel()
				c, _ := newWireServer(t, respond(http.StatusOK, body))
				conv, err := c.Conversations.Get(context.Background(), "c1")
				require.NoError(t, err)
				assert.Equal(t, "c1", conv.ID)
				require.NotNil(t, conv.Response)
				assert.Equal(t, http.StatusOK, conv.Response.StatusCode)
				assert.Equal(t, body, string(conv.Response.Body))
				assert.Empty(t, conv.Response.Warning)
			})
		}
	}
}

// TestDeeplyNestedAnswer: nesting up to encoding/json's depth limit in a
// value of the wrong kind is read by the tolerant rules (the text field is
// "", the Scalar keeps it), and beyond the limit the answer is a decoding
// error; neither crashes.
func TestDeeplyNestedAnswer(t *testing.T) {
	t.Parallel()
	nested := func(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }
	cases := []struct {
		depth   int
		wantErr bool
	}{{100, false}, {9990, false}, {10001, true}, {200000, true}}
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.depth), func(t *testing.T) {
			t.Parallel()
			deep := nested(tc.depth)
			body := `{"data":[{"id":"a","name":` + deep + `,"contact_fields":[{"key":"k","value":` + deep + `}]},{"id":"b"}]}`
			c, _ := newWireServer(t, respond(http.StatusOK, body))
			page, err := c.Contacts.List(context.Background(), nil)
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "decoding the answer")
				return
			}
			require.NoError(t, err)
			require.Len(t, page.Items, 2)
			assert.Equal(t, "", page.Items[0].Name)
			require.Len(t, page.Items[0].ContactFields, 1)
			assert.Equal(t, deep, string(page.Items[0].ContactFields[0].Value.Raw))
			assert.Equal(t, "b", page.Items[1].ID)
		})
	}
}
