package sendbee

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDebugDumpsEachAttempt checks the dump of one POST: method, URL,
// request headers (credentials masked), body, status, response headers and
// body, and the curl line.
func TestDebugDumpsEachAttempt(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c, srv := newWireServer(t, respondRaw(http.StatusOK, "application/json", readTestdata(t, "contact_subscribe.json"), "X-RateLimit-Remaining", "59"),
		WithDebug(&buf))
	_, err := c.Contacts.Subscribe(context.Background(), SubscribeContactParams{Phone: "+385991234569", Name: "Ana"})
	require.NoError(t, err)
	sent := srv.Only(t)

	out := buf.String()
	for _, want := range []string{
		"--> POST " + srv.URL + "/contacts/subscribe\n",
		"Accept: application/json\n",
		"Content-Type: application/json\n",
		"User-Agent: sendbee-go/" + Version,
		"X-Api-Key: ********\n",
		"X-Auth-Token: ********\n",
		string(sent.Body) + "\n",
		"curl -X POST '" + srv.URL + "/contacts/subscribe'",
		"<-- 200 OK (",
		"X-Ratelimit-Remaining: 59\n",
		readTestdata(t, "contact_subscribe.json"),
	} {
		assert.Contains(t, out, want)
	}
	assert.Less(t, strings.Index(out, "--> POST"), strings.Index(out, "<-- 200"), "request before answer")
	assert.Equal(t, 1, strings.Count(out, "--> "), "one attempt, one dump")
}

func TestDebugDumpsTransportError(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	hc := &http.Client{Transport: transportFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("connection refused")
	})}
	c, err := NewClient(testKey, testSecret, WithHTTPClient(hc), WithMaxRetries(0), WithDebug(&buf))
	require.NoError(t, err)
	_, err = c.Tags.List(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, buf.String(), "--> GET https://api-v2.sendbee.io/contacts/tags\n")
	assert.Contains(t, buf.String(), "<-- error after ")
	assert.Contains(t, buf.String(), "connection refused")
}

// TestDebugCurlLineIsRunnableShell runs the dumped curl line in sh with a
// curl function that prints its arguments, and checks the shell hands curl
// exactly the request that was sent, credentials read from the environment.
func TestDebugCurlLineIsRunnableShell(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the curl line with")
	}
	cases := []struct {
		name string
		call func(ctx context.Context, c *Client) error
	}{
		{"GET with a query full of shell characters", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{SearchQuery: `Tom & Jerry's "best" $HOME +385 #1 čšž 100%`, Tags: []string{"a b", "`c`"}})
			return err
		}},
		{"POST with quotes in the body", func(ctx context.Context, c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: "+385991234569", Name: `Ana O'Brien "$(id)"`, Notes: []string{"a\nb"}})
			return err
		}},
		{"DELETE with a body", func(ctx context.Context, c *Client) error {
			_, err := c.Tags.Delete(ctx, "it's")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{}}`), WithDebug(&buf))
			require.NoError(t, tc.call(context.Background(), c))
			sent := srv.Only(t)

			var line string
			for l := range strings.Lines(buf.String()) {
				if strings.HasPrefix(l, "curl ") {
					line = l
				}
			}
			require.NotEmpty(t, line, "no curl line in the dump")

			cmd := exec.Command(sh, "-c", `curl() { for a in "$@"; do printf '%s\0' "$a"; done; }; `+line)
			cmd.Env = []string{"SENDBEE_API_KEY=env-key", "SENDBEE_AUTH_TOKEN=env-token"}
			out, err := cmd.Output()
			require.NoError(t, err, "the curl line is not valid shell")
			args := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")

			require.GreaterOrEqual(t, len(args), 3)
			assert.Equal(t, []string{"-X", sent.Method}, args[:2])
			u, err := url.Parse(args[2])
			require.NoError(t, err)
			assert.Equal(t, sent.Path, u.Path)
			assert.Equal(t, sent.Query, u.Query())

			headers := http.Header{}
			var body string
			for i := 3; i+1 < len(args); i += 2 {
				switch args[i] {
				case "-H":
					name, value, ok := strings.Cut(args[i+1], ": ")
					require.True(t, ok, "header argument %q", args[i+1])
					headers.Add(name, value)
				case "--data-raw":
					body = args[i+1]
				default:
					t.Fatalf("unexpected curl argument %q", args[i])
				}
			}
			assert.Equal(t, "env-key", headers.Get("X-Api-Key"))
			assert.Equal(t, "env-token", headers.Get("X-Auth-Token"))
			assert.Equal(t, sent.Header.Get("User-Agent"), headers.Get("User-Agent"))
			assert.Equal(t, "application/json", headers.Get("Accept"))
			assert.Equal(t, string(sent.Body), body)
			assert.Contains(t, line, `-H "X-Api-Key: $SENDBEE_API_KEY"`)
			assert.Contains(t, line, `-H "X-Auth-Token: $SENDBEE_AUTH_TOKEN"`)
		})
	}
}

// longBase64 matches a run the length of a token (100 characters for a
// 10-digit timestamp) in the base64 alphabet.
var longBase64 = regexp.MustCompile(`[A-Za-z0-9+/]{64,}={0,2}`)

// TestDebugAndLogsNeverContainSecrets runs successful and failing calls
// with both the debug dump and a Debug-level logger on, with the client's
// clock fixed so the token is known, and scans both outputs for the key,
// the secret and the token.
func TestDebugAndLogsNeverContainSecrets(t *testing.T) {
	t.Parallel()
	now := time.Now().Truncate(time.Second)
	token := GenerateToken(testSecret, now)
	var debug, logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	statuses := []int{http.StatusOK, http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusBadGateway}
	var n atomic.Int64
	c, srv := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		status := statuses[(n.Add(1)-1)%int64(len(statuses))]
		respondRaw(status, "application/json", `{"data":[],"error":{"detail":"nope","type":"x"}}`, "Retry-After", "1")(w, r)
	}, WithDebug(&debug), WithLogger(logger), withTestClock(func() time.Time { return now }))

	for _, fc := range contactsFamilyCalls() {
		_ = fc.do(context.Background(), c)
	}
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		require.True(t, r.Header.Get("X-Auth-Token") == token, "the server did not get the token the test looks for")
	}

	for name, out := range map[string]string{"debug dump": debug.String(), "log": logs.String()} {
		require.NotEmpty(t, out, name)
		assert.False(t, strings.Contains(out, testKey), "%s contains the API key", name)
		assert.False(t, strings.Contains(out, testSecret), "%s contains the secret", name)
		assert.False(t, strings.Contains(out, token), "%s contains the token", name)
		assert.Empty(t, longBase64.FindAllString(out, -1), "%s contains a token-shaped string", name)
	}
	assert.Equal(t, len(reqs), strings.Count(debug.String(), "X-Auth-Token: ********"), "every dumped request shows the token masked")
}

// TestLoggerLogsMetadataAtDebug checks the one record per attempt: method,
// path, status, attempt and duration at Debug level, and no query values or
// bodies.
func TestLoggerLogsMetadataAtDebug(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		status     int
		wantErrMsg bool
	}{
		{"success", http.StatusOK, false},
		{"API error", http.StatusNotFound, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := newWireServer(t, respond(tc.status, `{"error":{"detail":"private-detail-text","type":"not_found"}}`), WithLogger(logger))
			_, _ = c.Contacts.List(context.Background(), &ListContactsParams{SearchQuery: "private-search-text"})

			recs := logRecords(t, &logs)
			require.Len(t, recs, 1)
			rec := recs[0]
			assert.Equal(t, "DEBUG", rec["level"])
			assert.Equal(t, "sendbee request", rec["msg"])
			assert.Equal(t, "GET", rec["method"])
			assert.Equal(t, "/contacts", rec["path"])
			assert.Equal(t, float64(tc.status), rec["status"])
			assert.Equal(t, float64(1), rec["attempt"])
			assert.Contains(t, rec, "duration")
			_, hasErr := rec["error"]
			assert.Equal(t, tc.wantErrMsg, hasErr)
			assert.NotContains(t, logs.String(), "private-search-text", "query values are not logged")
			assert.NotContains(t, logs.String(), "private-detail-text", "the server's error detail (body content) is not logged")
			if tc.wantErrMsg {
				assert.Equal(t, "sendbee: GET /contacts: 404 not_found", rec["error"])
			}
		})
	}
}

func TestLoggerAboveDebugLogsNoAttempts(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[]}`), WithLogger(logger))
	_, err := c.Contacts.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, logs.String())
}

// TestDebugRedactsURLPassword: a password in the base URL (a proxy's) is
// masked in the dump and the curl line.
func TestDebugRedactsURLPassword(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	_, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`))
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	u.User = url.UserPassword("proxyuser", "proxy-pass-4e1f")
	c, err := NewClient(testKey, testSecret, WithBaseURL(u.String()), WithDebug(&buf))
	require.NoError(t, err)
	_, err = c.Tags.List(context.Background(), nil)
	require.NoError(t, err)
	out := buf.String()
	assert.Contains(t, out, "proxyuser:xxxxx@")
	assert.False(t, strings.Contains(out, "proxy-pass-4e1f"), "the URL's password is in the debug output")
}
