package sendbee

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertReadsOnce checks that an error text carries the "sendbee: " prefix
// at most once and names the failed call ("METHOD /path:") at most once.
func assertReadsOnce(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	text := err.Error()
	assert.LessOrEqual(t, strings.Count(text, "sendbee:"), 1, "prefix repeated in %q", text)
	for _, method := range []string{"GET", "POST", "PUT", "DELETE"} {
		// net/http's own head (`Get "http://…/contacts?…": `) names the call again.
		head := method[:1] + strings.ToLower(method[1:]) + ` "`
		assert.NotContains(t, text, head, "net/http's head names the call again in %q", text)
		for _, seg := range strings.Split(text, method+" /")[1:] {
			path, _, ok := strings.Cut(seg, ":")
			if ok && !strings.ContainsAny(path, " \"") {
				assert.Equal(t, 1, strings.Count(text, method+" /"+path+":"), "call named twice in %q", text)
			}
		}
	}
}

// TestErrorTextsReadOnce drives every error the package builds and checks
// that none repeats the "sendbee: " prefix or the call it is about: the
// size limit, outcome unknown, the retry path's last error, decoding, the
// rate limiter, transport failures, validation, options, webhooks.
func TestErrorTextsReadOnce(t *testing.T) {
	t.Parallel()
	quick := withBackoff(backoff{base: time.Millisecond, max: time.Millisecond, jitter: func(d time.Duration) time.Duration { return d }})
	big := `{"data":[]}` + strings.Repeat(" ", 100)
	wire := func(t *testing.T, h http.HandlerFunc, opts ...Option) *Client {
		c, _ := newWireServer(t, h, opts...)
		return c
	}
	cases := []struct {
		name string
		err  func(t *testing.T) error
		want error // what the error must still match, when set
	}{
		{"API error", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusBadRequest, `{"error":{"type":"x","detail":"bad"}}`)))
		}, nil},
		{"response too large, list", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusOK, big), WithMaxResponseSize(20)))
		}, ErrResponseTooLarge},
		{"response too large, no length", func(t *testing.T) error {
			c := newScriptedClient(t, newScriptedTransport(step{body: big, noLength: true}), WithMaxResponseSize(20))
			return listContacts.call(context.Background(), c)
		}, ErrResponseTooLarge},
		{"response too large, send: outcome unknown", func(t *testing.T) error {
			return sendMessage.call(context.Background(), wire(t, respond(http.StatusOK, big), WithMaxResponseSize(20)))
		}, ErrOutcomeUnknown},
		{"5xx to a send: outcome unknown", func(t *testing.T) error {
			return sendMessage.call(context.Background(), wire(t, respond(http.StatusBadGateway, `{"error":{"detail":"down"}}`)))
		}, ErrOutcomeUnknown},
		{"retries used up", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusServiceUnavailable, `{}`), WithMaxRetries(2), quick))
		}, nil},
		{"gave up waiting to retry: last error", func(t *testing.T) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := newScriptedClient(t, transportFunc(func(r *http.Request) (*http.Response, error) {
				cancel() // the caller gives up while the client waits to retry
				resp := okResponse(r, `{}`)
				resp.StatusCode, resp.Status = http.StatusServiceUnavailable, "503 Service Unavailable"
				return resp, nil
			}))
			err := listContacts.call(ctx, c)
			assert.ErrorContains(t, err, "last error")
			return err
		}, context.Canceled},
		{"rate limiter fails before a retry: last error", func(t *testing.T) error {
			lim := &countingLimiter{failAt: 2, err: errors.New("limiter closed")}
			err := listContacts.call(context.Background(), wire(t, respond(http.StatusServiceUnavailable, `{}`), WithMaxRetries(2), quick, WithRateLimiter(lim)))
			assert.ErrorContains(t, err, "last error")
			return err
		}, nil},
		{"rate limiter fails first", func(t *testing.T) error {
			lim := &countingLimiter{failAt: 1, err: errors.New("limiter closed")}
			return listContacts.call(context.Background(), wire(t, respond(http.StatusOK, `{"data":[]}`), WithRateLimiter(lim)))
		}, nil},
		{"context already done", func(t *testing.T) error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return sendMessage.call(ctx, wire(t, respond(http.StatusOK, `{}`)))
		}, context.Canceled},
		{"decoding a list: data neither object nor array", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusOK, `{"data":5}`)))
		}, nil},
		{"decoding a list: a JSON string for a body", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusOK, `"contacts"`)))
		}, nil},
		{"decoding a list: not JSON", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusOK, `{"data":[{"created_at":tru}]}`)))
		}, nil},
		{"decoding a send's answer: outcome unknown", func(t *testing.T) error {
			return sendMessage.call(context.Background(), wire(t, respond(http.StatusOK, `{"data":"queued","meta":{"total":"many"}}`)))
		}, ErrOutcomeUnknown},
		{"a redirect echoing the key, refused by the caller's CheckRedirect: masked", func(t *testing.T) error {
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("no redirects here") }}
			return listContacts.call(context.Background(), wire(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/elsewhere?k="+testKey, http.StatusFound)
			}, WithHTTPClient(hc)))
		}, nil},
		{"an error answer that echoes the key: masked", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, respond(http.StatusTooManyRequests, `{"error":{"type":"`+testKey+`","detail":"`+testKey+`"}}`), WithMaxRetries(0)))
		}, ErrRateLimited},
		{"429 asking for longer than the longest wait", func(t *testing.T) error {
			return listContacts.call(context.Background(), wire(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "3600")
				respond(http.StatusTooManyRequests, `{}`)(w, r)
			}, WithMaxRetries(2), WithMaxRetryWait(time.Second)))
		}, ErrRateLimited},
		{"a contact field holding itself", func(t *testing.T) error {
			m := map[string]any{}
			m["self"] = m
			_, err := wire(t, respond(http.StatusOK, `{}`)).Contacts.Subscribe(context.Background(), SubscribeContactParams{Phone: "+1", ContactFields: m})
			return err
		}, nil},
		{"raw JSON that is not UTF-8", func(t *testing.T) error {
			_, err := wire(t, respond(http.StatusOK, `{}`)).Contacts.Subscribe(context.Background(), SubscribeContactParams{Phone: "+1", ContactFields: map[string]any{"f": rawText{"\xff"}}})
			return err
		}, nil},
		{"send answered with no object: outcome unknown", func(t *testing.T) error {
			return sendMessage.call(context.Background(), wire(t, respond(http.StatusOK, `{"data":[]}`)))
		}, ErrOutcomeUnknown},
		{"connection refused", func(t *testing.T) error {
			c, err := NewClient(testKey, testSecret, WithBaseURL("http://"+refusedAddr(t)), WithMaxRetries(1), quick)
			require.NoError(t, err)
			return listContacts.call(context.Background(), c)
		}, nil},
		{"connection dropped during a send", func(t *testing.T) error {
			return sendMessage.call(context.Background(), wire(t, func(w http.ResponseWriter, _ *http.Request) { hijackClose(w) }))
		}, ErrOutcomeUnknown},
		{"redirect answered to a send", func(t *testing.T) error {
			return sendMessage.call(context.Background(), wire(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/elsewhere" {
					respond(http.StatusNotFound, `{}`)(w, r)
					return
				}
				http.Redirect(w, r, "/elsewhere", http.StatusFound)
			}))
		}, nil},
		{"the caller's CheckRedirect refuses", func(t *testing.T) error {
			srv := httptest.NewServer(http.RedirectHandler("/elsewhere", http.StatusFound))
			t.Cleanup(srv.Close)
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("no redirects here") }}
			c, err := NewClient(testKey, testSecret, WithBaseURL(srv.URL), WithHTTPClient(hc), WithMaxRetries(0))
			require.NoError(t, err)
			return listContacts.call(context.Background(), c)
		}, nil},
		{"the transport's Proxy func fails", func(t *testing.T) error {
			tr := &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return nil, errors.New("no proxy configured") }}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := NewClient(testKey, testSecret, WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: tr}), WithMaxRetries(0))
			require.NoError(t, err)
			return sendMessage.call(context.Background(), c)
		}, nil},
		{"pages out of step", func(t *testing.T) error {
			c := wire(t, respond(http.StatusOK, `{"data":[{"id":"1"}],"meta":{"current_page":1,"last_page":3}}`))
			return firstError(c.Contacts.All(context.Background(), nil))
		}, nil},
		{"validation", func(t *testing.T) error {
			_, err := wire(t, respond(http.StatusOK, `{}`)).Messages.Send(context.Background(), SendMessageParams{})
			return err
		}, nil},
		{"nil context", func(t *testing.T) error {
			var none context.Context // a nil context is what this case checks
			return listContacts.call(none, wire(t, respond(http.StatusOK, `{}`)))
		}, nil},
		{"option", func(t *testing.T) error {
			_, err := NewClient(testKey, testSecret, WithBaseURL("ftp://x"))
			return err
		}, nil},
		{"webhook malformed", func(*testing.T) error { return VerifyWebhookToken("x", hookSecret) }, ErrWebhookMalformed},
		{"webhook signature", func(*testing.T) error {
			return VerifyWebhookToken(GenerateToken("other", time.Now()), hookSecret)
		}, ErrWebhookSignature},
		{"webhook expired", func(*testing.T) error {
			return VerifyWebhookToken(GenerateToken(hookSecret, time.Now().Add(-time.Hour)), hookSecret)
		}, ErrWebhookExpired},
		{"webhook misconfigured", func(*testing.T) error {
			return VerifyWebhookToken("x", hookSecret, WithWebhookWindow(-1))
		}, errWebhookConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.err(t)
			assertReadsOnce(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}
