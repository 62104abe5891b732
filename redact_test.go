package sendbee

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoedForms are the texts a server echoing token could send back: the
// token, its decoded "<unix>.<hex>" form and its hex HMAC.
func echoedForms(token string) []string {
	forms := []string{token}
	if plain, err := base64.StdEncoding.DecodeString(token); err == nil {
		forms = append(forms, string(plain))
		if _, sig, ok := strings.Cut(string(plain), "."); ok {
			forms = append(forms, sig)
		}
	}
	return forms
}

// tokenRecorder keeps every X-Auth-Token a test server received.
type tokenRecorder struct {
	mu     sync.Mutex
	tokens []string
}

func (r *tokenRecorder) add(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, token)
}

// secrets is every credential text that must stay out of the client's
// output: the key, the secret, and each token received in all its forms,
// also with "/" escaped as PHP writes it.
func (r *tokenRecorder) secrets() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []string{testKey, testSecret}
	for _, token := range r.tokens {
		for _, form := range echoedForms(token) {
			out = append(out, form, strings.ReplaceAll(form, "/", `\/`))
		}
	}
	return out
}

// assertNoSecret checks that text holds none of secrets, without printing
// them.
func assertNoSecret(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for i, s := range secrets {
		assert.False(t, strings.Contains(text, s), "%s holds secret #%d of the list checked (of tokenRecorder.secrets: 0 key, 1 secret, then token forms)", what, i)
	}
}

// assertNoSecretShown checks every text a failed call shows: the error,
// the *APIError's type and detail, the log records and the debug dump.
func assertNoSecretShown(t *testing.T, err error, logs, dump *syncBuffer, secrets []string) {
	t.Helper()
	assertNoSecret(t, "err.Error()", err.Error(), secrets)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "not an *APIError")
	assertNoSecret(t, "APIError.Type", apiErr.Type, secrets)
	assertNoSecret(t, "APIError.Detail", apiErr.Detail, secrets)
	assertNoSecret(t, "log records", logs.snapshot().String(), secrets)
	assertNoSecret(t, "debug dump", dump.snapshot().String(), secrets)
}

// phpJSON encodes v as PHP's json_encode does by default: "/" escaped.
func phpJSON(v any) string {
	b, _ := json.Marshal(v)
	return strings.ReplaceAll(string(b), "/", `\/`)
}

// TestEchoedCredentialsAreMasked plays a server (or a proxy before it) that
// reflects the request's X-Api-Key and X-Auth-Token, in every form, into
// its error type and detail, a header, and a 2xx body the decoder quotes.
// The error's text and fields, the WithLogger records and the WithDebug dump
// hold none of them; Response.Body keeps the answer as sent.
func TestEchoedCredentialsAreMasked(t *testing.T) {
	t.Parallel()
	echoAll := func(r *http.Request) string {
		key, token := r.Header.Get("X-Api-Key"), r.Header.Get("X-Auth-Token")
		return "key " + key + " token " + token + " decoded " + strings.Join(echoedForms(token)[1:], " sig ")
	}
	cases := []struct {
		name    string
		status  int
		body    func(r *http.Request) string
		call    func(ctx context.Context, c *Client) error
		retries int
	}{
		{"400 nested error body", http.StatusBadRequest,
			func(r *http.Request) string {
				return phpJSON(map[string]any{"error": map[string]any{"type": r.Header.Get("X-Auth-Token"), "detail": echoAll(r)}})
			}, sendMessage.call, 0},
		{"401 flat error body, key as type", http.StatusUnauthorized,
			func(r *http.Request) string {
				return phpJSON(map[string]any{"error": true, "type": r.Header.Get("X-Api-Key"), "detail": echoAll(r)})
			}, listContacts.call, 0},
		{"422 detail as a map of field errors", http.StatusUnprocessableEntity,
			func(r *http.Request) string {
				return phpJSON(map[string]any{"error": map[string]any{"type": "validation", "detail": map[string]any{"phone": []string{echoAll(r)}}}})
			}, sendMessage.call, 0},
		{"503 to a send: outcome unknown", http.StatusServiceUnavailable,
			func(r *http.Request) string {
				return phpJSON(map[string]any{"error": map[string]any{"type": r.Header.Get("X-Auth-Token"), "detail": echoAll(r)}})
			}, sendMessage.call, 0},
		{"503 retried: last error", http.StatusServiceUnavailable,
			func(r *http.Request) string {
				return phpJSON(map[string]any{"error": map[string]any{"type": r.Header.Get("X-Api-Key"), "detail": echoAll(r)}})
			}, listContacts.call, 2},
		{"string error body", http.StatusForbidden,
			func(r *http.Request) string { return phpJSON(map[string]any{"error": echoAll(r)}) }, listContacts.call, 0},
		{"2xx list the decoder quotes", http.StatusOK,
			func(r *http.Request) string { return phpJSON(map[string]any{"data": r.Header.Get("X-Api-Key")}) }, listContacts.call, 0},
		{"2xx send the decoder quotes", http.StatusOK,
			func(r *http.Request) string {
				return phpJSON(map[string]any{"data": r.Header.Get("X-Api-Key"), "meta": map[string]any{"total": r.Header.Get("X-Api-Key")}})
			}, sendMessage.call, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var tokens tokenRecorder
			var logs, dump syncBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
				tokens.add(r.Header.Get("X-Auth-Token"))
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Echo", echoAll(r))
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body(r)))
			}, WithMaxRetries(tc.retries), WithLogger(logger), WithDebug(&dump),
				withBackoff(backoff{base: time.Millisecond, max: time.Millisecond, jitter: func(d time.Duration) time.Duration { return d }}))

			err := tc.call(context.Background(), c)
			require.Error(t, err)
			secrets := tokens.secrets()
			require.Len(t, tokens.tokens, tc.retries+1, "attempts")
			assertNoSecret(t, "err.Error()", err.Error(), secrets)
			assertNoSecret(t, "%+v of the error", fmt.Sprintf("%+v", err), secrets)
			assertNoSecret(t, "%#v of the error", fmt.Sprintf("%#v", err), secrets)
			assertNoSecret(t, "log records", logs.snapshot().String(), secrets)
			assertNoSecret(t, "debug dump", dump.snapshot().String(), secrets)
			assert.True(t, strings.Contains(dump.snapshot().String(), redacted), "the dump shows where a credential was masked")
			var apiErr *APIError
			if tc.status >= 300 {
				require.True(t, errors.As(err, &apiErr), "not an *APIError") // ErrorAs would print the error
				for _, field := range []string{apiErr.Type, apiErr.Detail, apiErr.Method, apiErr.Path, apiErr.text(false)} {
					assertNoSecret(t, "an APIError field", field, secrets)
				}
				assert.True(t, strings.Contains(apiErr.Detail, redacted), "Detail shows where a credential was masked")
				// Response keeps the answer as it came, as its doc says.
				assert.True(t, strings.Contains(string(apiErr.Response.Body), testKey) || strings.Contains(string(apiErr.Response.Body), `\/`) ||
					strings.Contains(string(apiErr.Response.Body), tokens.tokens[0]), "Response.Body is raw")
				assert.True(t, strings.Contains(apiErr.Response.Header.Get("X-Echo"), testKey), "Response.Header is raw")
			}
		})
	}
}

// TestLoggedErrorTypeIsAnIdentifier: a log record carries the server's
// error type only when it looks like an identifier.
func TestLoggedErrorTypeIsAnIdentifier(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typ    string
		logged bool
	}{
		{"validation_error", true},
		{"rate.limit-exceeded_2", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"has space", false},
		{"quote\"d", false},
		{"naïve", false},
		{"a/b", false},
	}
	for _, tc := range cases {
		t.Run(tc.typ, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := newWireServer(t, respond(http.StatusBadRequest, phpJSON(map[string]any{"error": map[string]any{"type": tc.typ, "detail": "x"}})), WithLogger(logger))
			_, err := c.Tags.List(context.Background(), nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.typ, apiErr.Type, "the error keeps the type")
			recs := logRecords(t, logs.snapshot())
			require.Len(t, recs, 1)
			logged, _ := recs[0]["error"].(string)
			assert.Equal(t, tc.logged, strings.Contains(logged, " "+tc.typ), "type in %q", logged)
		})
	}
}

// TestNoVerbPrintsCredentials formats the client, every service and the
// webhook guard with every verb, after a call has filled the signer's
// cache, and finds neither the key nor the secret (nor their hex forms)
// nor the token in use.
func TestNoVerbPrintsCredentials(t *testing.T) {
	t.Parallel()
	var tokens tokenRecorder
	c, err := NewClient(testKey, testSecret, WithDebug(&syncBuffer{}), WithBaseURL("https://user:proxy-pass-9d1c@api.example"), WithHTTPClient(&http.Client{Transport: transportFunc(func(r *http.Request) (*http.Response, error) {
		tokens.add(r.Header.Get("X-Auth-Token"))
		return okResponse(r, `{"data":[]}`), nil
	})}))
	require.NoError(t, err)
	_, err = c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	guard := c.WebhookMiddleware()
	values := map[string]any{
		"*Client": c, "Contacts": c.Contacts, "Tags": c.Tags, "ContactFields": c.ContactFields,
		"Conversations": c.Conversations, "Messages": c.Messages, "Templates": c.Templates,
		"Teams": c.Teams, "Automation": c.Automation, "Client.WebhookMiddleware": guard,
		"guarded handler": guard(http.NotFoundHandler()), "[]any{client}": []any{c}, "struct holding client": struct{ C *Client }{c},
	}
	secrets := tokens.secrets()
	for _, s := range []string{testKey, testSecret, "proxy-pass-9d1c"} {
		secrets = append(secrets, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))))
	}
	for name, v := range values {
		for _, verb := range []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%X", "%d"} {
			assertNoSecret(t, name+" with "+verb, fmt.Sprintf(verb, v), secrets)
		}
	}
}

// TestEchoedWarningIsMasked: a warning that echoes the key is logged and
// handed on masked, while Response.Warning keeps it as sent.
func TestEchoedWarningIsMasked(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		respond(http.StatusOK, phpJSON(map[string]any{"data": []any{}, "warning": "unknown key " + r.Header.Get("X-Api-Key")}))(w, r)
	}, WithLogger(logger), WithWarningHandler(nil))
	page, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	assert.True(t, strings.Contains(page.Response.Warning, testKey), "Response.Warning is as sent")
	text := logs.snapshot().String()
	assert.True(t, strings.Contains(text, "unknown key "+redacted), "the warning is logged, masked")
	assertNoSecret(t, "log records", text, []string{testKey, testSecret})
}

// failureText is a TestingT that keeps the failure message testify would
// print, so a test can check what a failed assertion shows.
type failureText struct{ strings.Builder }

func (f *failureText) Errorf(format string, args ...any) { fmt.Fprintf(&f.Builder, format, args...) }

// testifyDiff is the text assert.Equal prints when expected and actual
// differ: spew's dump of both, which reaches unexported fields and follows
// pointers without calling any String method.
func testifyDiff(expected, actual any) string {
	var f failureText
	assert.Equal(&f, expected, actual)
	return f.String()
}

// TestCallContextPrintsNoToken hands the call's context to everything of
// the caller's that receives it (a warning handler, a rate limiter, a
// transport given with WithHTTPClient) and formats it with every verb, and
// as a failed assert.Equal shows it. The context carried the tokens the
// call sent, and %v printed them.
func TestCallContextPrintsNoToken(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []context.Context
	keep := func(ctx context.Context) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, ctx)
	}
	var tokens tokenRecorder
	c, err := NewClient(testKey, testSecret,
		WithWarningHandler(func(ctx context.Context, _ string) { keep(ctx) }),
		WithRateLimiter(limiterFunc(func(ctx context.Context) error { keep(ctx); return nil })),
		WithHTTPClient(&http.Client{Transport: transportFunc(func(r *http.Request) (*http.Response, error) {
			keep(r.Context())
			tokens.add(r.Header.Get("X-Auth-Token"))
			return okResponse(r, `{"data":[],"warning":"w"}`), nil
		})}))
	require.NoError(t, err)
	_, err = c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	secrets := tokens.secrets()
	require.Len(t, seen, 3, "contexts handed out")
	for i, ctx := range seen {
		for _, verb := range []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%d"} {
			assertNoSecret(t, fmt.Sprintf("context #%d with %s", i, verb), fmt.Sprintf(verb, ctx), secrets)
		}
		assertNoSecret(t, fmt.Sprintf("assert.Equal's diff of context #%d", i), testifyDiff(context.Background(), ctx), secrets)
	}
}

// TestEchoedTokenOfEarlierCallIsMasked plays a proxy that answers with an
// error page it kept from an earlier request, the token of the client's
// previous call (a second before) in it, in every form. That token is
// masked too, though this call did not send it.
func TestEchoedTokenOfEarlierCallIsMasked(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	var tokens tokenRecorder
	var earlier string
	var logs, dump syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		tokens.add(r.Header.Get("X-Auth-Token"))
		if earlier == "" {
			earlier = r.Header.Get("X-Auth-Token")
			respond(http.StatusOK, `{"data":[]}`)(w, r)
			return
		}
		echo := strings.Join(echoedForms(earlier), " ")
		w.Header().Set("X-Echo", echo)
		respond(http.StatusBadGateway, phpJSON(map[string]any{"error": map[string]any{"type": earlier, "detail": echo}}))(w, r)
	}, withTestClock(clock), WithLogger(logger), WithDebug(&dump))
	_, err := c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	err = sendMessage.call(context.Background(), c)
	require.Error(t, err)
	secrets := tokens.secrets()
	assertNoSecretShown(t, err, &logs, &dump, secrets)
}

// errorChain is err and every error below it, through Unwrap() error and
// Unwrap() []error, as an error tracker walks it to report each text.
func errorChain(err error) []error {
	var out []error
	for queue := []error{err}; len(queue) > 0; queue = queue[1:] {
		e := queue[0]
		if e == nil {
			continue
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			queue = append(queue, u.Unwrap())
		case interface{ Unwrap() []error }:
			queue = append(queue, u.Unwrap()...)
		}
	}
	return out
}

// keyLeaks are the texts that give the test key away: the key, a long
// part of it (a quote cut short), and the key written with a JSON escape.
var keyLeaks = []string{testKey, testKey[:10], testKey[len(testKey)-10:], `\u0074est-key`}

// TestDecodeErrorQuotesNoCredential answers 2xx with bodies that echo the
// key where the decoder fails: as "data" itself, JSON-escaped (which masking
// did not recognise) or far enough into a long value that a quote cut at 40
// bytes kept only part of it, and as bare JSON. Neither the error's text,
// %+v, %#v, nor the text of any error down its chain gives the key away,
// and the error still matches what it did.
func TestDecodeErrorQuotesNoCredential(t *testing.T) {
	t.Parallel()
	padded := strings.Repeat("x", 28) + testKey // the key starts before byte 40 and ends after it
	cases := []struct {
		name string
		body string
		call func(ctx context.Context, c *Client) error
		is   error
	}{
		{"data a string, key JSON-escaped", `{"data":"\u0074est-key-7f3a9c"}`, listContacts.call, nil},
		{"data a string, key past the cut", phpJSON(map[string]any{"data": padded}), listContacts.call, nil},
		{"data a string of a send", phpJSON(map[string]any{"data": padded}), sendMessage.call, ErrOutcomeUnknown},
		{"not JSON", `{"data":[` + testKey + `]}`, listContacts.call, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := newWireServer(t, respond(http.StatusOK, tc.body), WithLogger(logger))
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			assert.True(t, strings.Contains(err.Error(), "decoding the answer"), "a decoding error")
			for i, e := range errorChain(err) {
				assertNoSecret(t, fmt.Sprintf("error #%d of the chain (%T)", i, e), e.Error(), keyLeaks)
			}
			assertNoSecret(t, "%+v", fmt.Sprintf("%+v", err), keyLeaks)
			assertNoSecret(t, "%#v", fmt.Sprintf("%#v", err), keyLeaks)
			assertNoSecret(t, "log records", logs.snapshot().String(), keyLeaks)
			if tc.is != nil {
				assert.True(t, errors.Is(err, tc.is), "matches %v", tc.is)
			}
		})
	}
}

// TestMaskedErrorHidesItsOriginal: a server redirects to a Location that
// echoes the key, and the caller's CheckRedirect refuses it, so the error
// quotes the URL and is masked. Its text is; but the original, unmasked,
// was one Unwrap away (where an error tracker walking the chain reports
// each text) and in reach of testify's diff. Now neither shows the key,
// and errors.Is and errors.As still see the original chain.
func TestMaskedErrorHidesItsOriginal(t *testing.T) {
	t.Parallel()
	refusing := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("no redirects here") }}
	masked := func(echo string) error {
		c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere/"+echo+"?k="+echo, http.StatusFound)
		}, WithHTTPClient(refusing))
		err := listContacts.call(context.Background(), c)
		require.Error(t, err)
		return err
	}
	err := masked(testKey)
	require.True(t, strings.Contains(err.Error(), "/elsewhere/"+redacted+": "), "the text is masked")
	require.False(t, strings.Contains(err.Error(), "k="), "the hop's query is left out")
	for i, e := range errorChain(err) {
		assertNoSecret(t, fmt.Sprintf("error #%d of the chain (%T)", i, e), e.Error(), keyLeaks)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assertNoSecret(t, verb, fmt.Sprintf(verb, err), keyLeaks)
	}
	assertNoSecret(t, "assert.Equal's diff", testifyDiff(masked(testKey+"-"), err), keyLeaks)
	var urlErr *url.Error
	assert.True(t, errors.As(err, &urlErr), "errors.As finds the *url.Error")
	assert.False(t, errors.Is(err, ErrOutcomeUnknown))
}

// TestQuoteValue: a value is quoted whole or described, never cut or
// quoted with an escape in it.
func TestQuoteValue(t *testing.T) {
	t.Parallel()
	cases := []struct{ raw, want string }{
		{`"12x"`, `"\"12x\""`},
		{` 1.5 `, `"1.5"`},
		{`true`, `"true"`},
		{`"` + strings.Repeat("a", 38) + `"`, `"\"` + strings.Repeat("a", 38) + `\""`},
		{`"` + strings.Repeat("a", 39) + `"`, "a JSON string of 41 bytes"},
		{`"\u0041"`, "a JSON string of 8 bytes"},
		{`"caf` + "\xc3\xa9" + `"`, "a JSON string of 7 bytes"},
		{"{\"a\":\n1}", "a JSON object of 8 bytes"},
		{`[1,2,"\/"]`, "a JSON array of 10 bytes"},
		{`-` + strings.Repeat("9", 40), "a JSON number of 41 bytes"},
		{`x\`, "a JSON value of 2 bytes"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, quoteValue([]byte(tc.raw)), "%s", tc.raw)
	}
}

// escapeAll writes every byte of s as format does (a JSON \u escape, a
// percent-encoding), the way an encoder that escapes more than it must
// would echo a credential.
func escapeAll(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// escapedForms are a credential's echoes that masking must recognise.
func escapedForms(s string) []string {
	return []string{s, url.QueryEscape(s), escapeAll(s, `\u%04X`), escapeAll(s, `\u%04x`), escapeAll(s, "%%%02X"), strings.ReplaceAll(s, "/", `\/`)}
}

// TestEscapedEchoIsMasked plays a server that echoes the key and the token
// escaped: in a redirect's Location, percent-encoded (which the dump shows
// twice, in the answer's headers and in the next request's URL), and in its
// error body and a header with every character a JSON \u escape or
// percent-encoded. The dump printed the raw body and headers, escapes and
// all. (A token is base64 of digits, '.' and hex digits, which never gives
// '+', '/' or '=': percent-encoding leaves it as it is.)
func TestEscapedEchoIsMasked(t *testing.T) {
	t.Parallel()
	var tokens tokenRecorder
	var logs, dump syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		key, token := r.Header.Get("X-Api-Key"), r.Header.Get("X-Auth-Token")
		tokens.add(token)
		if r.URL.Path == "/contacts/tags" {
			http.Redirect(w, r, "/echo?t="+url.QueryEscape(token)+"&k="+escapeAll(key, "%%%02x"), http.StatusFound)
			return
		}
		body := `{"error":{"type":"` + escapeAll(key, `\u%04X`) + `","detail":"` + escapeAll(token, `\u%04x`) + ` ` + url.QueryEscape(token) + `"}}`
		w.Header().Set("X-Echo", escapeAll(key, "%%%02X")+" "+escapeAll(token, `\u%04X`))
		respond(http.StatusBadRequest, body)(w, r)
	}, WithLogger(logger), WithDebug(&dump))
	_, err := c.Tags.List(context.Background(), nil)
	require.Error(t, err)
	var secrets []string
	for _, s := range append([]string{testKey}, tokens.tokens...) {
		secrets = append(secrets, escapedForms(s)...)
	}
	assertNoSecretShown(t, err, &logs, &dump, secrets)
	assert.GreaterOrEqual(t, strings.Count(dump.snapshot().String(), redacted), 6, "the dump shows where it masked")
}

// TestTinyKeyIsMaskedAsAWord: a key of one character is masked where it
// stands alone (echoed in quotes, after "key="), not wherever its letter
// occurs: masking every "s" made "sendbee: GET /contacts/tags" unreadable.
func TestTinyKeyIsMaskedAsAWord(t *testing.T) {
	t.Parallel()
	var dump syncBuffer
	srv := httptest.NewServer(respond(http.StatusBadRequest, `{"error":{"type":"bad_key","detail":"wrong key=s, try \"s\" again"}}`))
	t.Cleanup(srv.Close)
	c, err := NewClient("s", "e", WithBaseURL(srv.URL), WithMaxRetries(0), WithDebug(&dump))
	require.NoError(t, err)
	_, err = c.Tags.List(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, `sendbee: GET /contacts/tags: 400 bad_key: wrong key=[redacted], try "[redacted]" again`, err.Error())
	assert.Contains(t, dump.snapshot().String(), "--> GET "+srv.URL+"/contacts/tags\n")
	assert.Contains(t, dump.snapshot().String(), `"detail":"wrong key=[redacted], try \"[redacted]\" again"`)
}

// TestMaskerForms: what the masker takes for a credential, and what not.
func TestMaskerForms(t *testing.T) {
	t.Parallel()
	m := newMasker([]string{"ab/c+d é", "xyz"})
	cases := []struct{ in, want string }{
		{"<ab/c+d é>", "<[redacted]>"},
		{`<ab\/c+d \u00e9>`, "<[redacted]>"},
		{`<\u0061\u0062\u002F\u0063\u002b\u0064\u0020\u00E9>`, "<[redacted]>"},
		{"<ab%2Fc%2bd+%C3%A9>", "<[redacted]>"},
		{"<ab%2Fc%2bd%20é>", "<[redacted]>"},
		{"<ab/c+d e>", "<ab/c+d e>"},
		{`<ab\/c+d \u00e>`, `<ab\/c+d \u00e>`},
		{"<ab%2", "<ab%2"},
		{"xyz xyz.", "[redacted] [redacted]."},
		{"xyzw wxyz 0xyz", "xyzw wxyz 0xyz"},
		{`"\u0078yz"`, `"[redacted]"`},
		{"", ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, m.mask(tc.in), "%s", tc.in)
	}
	astral := newMasker([]string{"key😀key"})
	assert.Equal(t, "[redacted]", astral.mask(`key\ud83d\ude00key`))
	percent := newMasker([]string{"%00000000"})
	assert.Equal(t, "<[redacted]> <[redacted]>", percent.mask("<%00000000> <%25%30%30000000>"), "a '%' as itself or escaped")
	mixed := newMasker([]string{"p%41ss/word+1", `C:\dir\key`})
	assert.Equal(t, "<[redacted]> <[redacted]>", mixed.mask(`<p%41ss\/word+1> <p%41ss\u002Fword 1>`), "a '%' as itself next to escapes")
	assert.Equal(t, "<[redacted]> <[redacted]>", mixed.mask(`<C:\\dir\\key> <C:\di%72\key>`), "a backslash as itself next to escapes")
	quoted := newMasker([]string{"test-key-7f3a9c"})
	assert.Equal(t, `{"log":"{\"detail\":\"\[redacted]\"}"}`, quoted.mask(`{"log":"{\"detail\":\"\\u0074est-key-7f3a9c\"}"}`), "JSON quoted in JSON")
	// Each backslash of the needle can be read as itself or as half of an
	// escaped one: without a bound, not finding it took exponential time.
	backslashes := newMasker([]string{strings.Repeat(`\`, 60) + "X"})
	text := strings.Repeat(`\`, 200) + "Y"
	assert.Equal(t, text, backslashes.mask(text))
}

// TestNoDiffPrintsCredentials compares, with assert.Equal, structs that
// hold two different clients, as a test of the caller's might: testify's
// diff is spew's dump, which follows pointers into unexported fields
// without calling any method. It showed the base URL's password; it shows
// neither that, nor the key, the secret, or a token.
func TestNoDiffPrintsCredentials(t *testing.T) {
	t.Parallel()
	var tokens tokenRecorder
	var passwords sync.Map // the requests still carry the base URL's user and password
	client := func(key, secret, base string) *Client {
		c, err := NewClient(key, secret, WithBaseURL(base), WithDebug(&syncBuffer{}), WithHTTPClient(&http.Client{Transport: transportFunc(func(r *http.Request) (*http.Response, error) {
			tokens.add(r.Header.Get("X-Auth-Token"))
			if pass, ok := r.URL.User.Password(); ok && r.URL.User.Username() == "user" {
				passwords.Store(pass, true)
			}
			return okResponse(r, `{"data":[]}`), nil
		})}))
		require.NoError(t, err)
		_, err = c.Tags.List(context.Background(), nil)
		require.NoError(t, err)
		return c
	}
	a := client(testKey, testSecret, "https://user:proxy-pass-9d1c@api.example")
	b := client(testKey+"-b", testSecret+"-b", "https://user:other-pass-51e0@api.example")
	type holder struct {
		Client *Client
		Tags   *TagsService
	}
	for _, pass := range []string{"proxy-pass-9d1c", "other-pass-51e0"} {
		_, sent := passwords.Load(pass)
		assert.True(t, sent, "the request carries the base URL's password")
	}
	diff := testifyDiff(holder{a, a.Tags}, holder{b, b.Tags})
	require.True(t, strings.Contains(diff, "Diff:"), "assert.Equal shows a diff")
	assertNoSecret(t, "assert.Equal's diff", diff, append(tokens.secrets(), "proxy-pass-9d1c", "other-pass-51e0", testKey+"-b", testSecret+"-b"))
}

// TestEchoedTokenOfEarlierAttemptIsMasked: each attempt of a call falls in
// a second of its own, and each answer echoes the tokens of every attempt
// so far and the secret, JSON-escaped. The first attempt's token is no
// longer among the client's two latest, but the call sent it: it is masked
// in the error, the logs and the dump like the others.
func TestEchoedTokenOfEarlierAttemptIsMasked(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Unix(1_800_000_000, 0)
	var tokens tokenRecorder
	var logs, dump syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		tokens.add(r.Header.Get("X-Auth-Token"))
		mu.Lock()
		now = now.Add(time.Second) // the next attempt signs in the next second
		mu.Unlock()
		tokens.mu.Lock()
		echo := strings.Join(tokens.tokens, " ") + " " + escapeAll(testSecret, `\u%04x`)
		tokens.mu.Unlock()
		respond(http.StatusServiceUnavailable, phpJSON(map[string]any{"error": map[string]any{"type": "down", "detail": echo}}))(w, r)
	}, withTestClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}), WithMaxRetries(3), WithLogger(logger), WithDebug(&dump),
		withBackoff(backoff{base: time.Millisecond, max: time.Millisecond, jitter: func(d time.Duration) time.Duration { return d }}))
	err := listContacts.call(context.Background(), c)
	require.Error(t, err)
	require.Len(t, tokens.tokens, 4, "attempts")
	secrets := append(tokens.secrets(), escapedForms(testSecret)...)
	assertNoSecret(t, "err.Error()", err.Error(), secrets)
	assertNoSecret(t, "log records", logs.snapshot().String(), secrets)
	assertNoSecret(t, "debug dump", dump.snapshot().String(), secrets)
	assert.Equal(t, 5, strings.Count(err.Error(), redacted), "the four attempts' tokens and the secret masked")
}

// TestEchoedBaseURLPasswordIsMasked: with a base URL holding a user and
// password (a proxy's), Go sends them as Basic credentials in an
// Authorization header, which a proxy may echo like any other. The password
// and the Basic credentials are masked in the error, the logs and the dump,
// like the key.
func TestEchoedBaseURLPasswordIsMasked(t *testing.T) {
	t.Parallel()
	const password = "proxy-pass-3c9e"
	basic := base64.StdEncoding.EncodeToString([]byte("user:" + password))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := r.Header.Get("Authorization") + " " + password
		w.Header().Set("X-Echo", echo)
		respond(http.StatusBadRequest, phpJSON(map[string]any{"error": map[string]any{"type": "auth", "detail": echo}}))(w, r)
	}))
	t.Cleanup(srv.Close)
	var logs, dump syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := strings.Replace(srv.URL, "http://", "http://user:"+password+"@", 1)
	c, err := NewClient(testKey, testSecret, WithBaseURL(base), WithMaxRetries(0), WithLogger(logger), WithDebug(&dump))
	require.NoError(t, err)
	err = listContacts.call(context.Background(), c)
	require.Error(t, err)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "not an *APIError")
	require.True(t, strings.Contains(string(apiErr.Response.Body), basic), "the server echoed the Basic credentials")
	secrets := []string{password, basic}
	assertNoSecretShown(t, err, &logs, &dump, secrets)
}

// FuzzMask: masking any text never panics, and leaves no occurrence of a
// credential of 8 bytes or more (one without the brackets of "[redacted]"),
// nor of its every-character JSON escape or percent-encoding.
func FuzzMask(f *testing.F) {
	f.Add("key test-key-7f3a9c!", "test-key-7f3a9c")
	f.Add(`"\u0074est-key-7f3a9c\"`, "test-key-7f3a9c")
	f.Add("%74est-key-7f3a9%63%", "test-key-7f3a9c")
	f.Add(`\ud83d\ude00\u`, "key😀key-long")
	f.Add("aaaaaaaaaaaaaaaaaaaaab", "aaaaaaaab")
	f.Add(strings.Repeat("%25", 40), strings.Repeat("%", 99)+"X")
	f.Add(strings.Repeat(`\\`, 40)+`\u0058`, strings.Repeat(`\`, 99)+"X")
	f.Fuzz(func(t *testing.T, text, needle string) {
		if len(needle) < minLooseNeedle || strings.ContainsAny(needle, "[]") {
			return
		}
		m := newMasker([]string{needle})
		// The text and a near miss of the needle, again and again up to
		// 16 KiB: the search must finish on it as fast as on any other
		// text of that size (a stall fails the fuzzer, not a clock).
		nearMisses := strings.Repeat(text+needle[:len(needle)-1], 1+(16<<10)/(len(text)+len(needle)))
		for _, s := range []string{text, text + needle + text, escapeAll(needle, `\u%04x`) + text, text + escapeAll(needle, "%%%02X"), nearMisses + needle} {
			out := m.mask(s)
			assert.False(t, strings.Contains(out, needle), "the needle survives")
			if utf8.ValidString(needle) {
				assert.False(t, strings.Contains(out, escapeAll(needle, "%%%02X")), "the needle percent-encoded survives")
			}
		}
	})
}

// TestMaskAdversarialTextFinishes masks 1 MiB texts a hostile server can
// send against needles of up to 1000 bytes full of '%' and backslashes:
// the search tried each of them as itself and as an escape at every
// position of the text, and took hours. It must simply finish; the
// deadline only turns a hang into a failure.
func TestMaskAdversarialTextFinishes(t *testing.T) {
	t.Parallel()
	for _, tc := range adversarialMaskCases() {
		done := make(chan string, 1)
		go func() { done <- newMasker([]string{tc.needle}).mask(tc.text) }()
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		select {
		case out := <-done:
			assert.True(t, out == tc.text, "%s: nothing to mask, yet the text changed", tc.name)
		case <-ctx.Done():
			t.Fatalf("%s: masking 1 MiB did not finish", tc.name)
		}
		cancel()
	}
}
