package sendbee

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewClientRefusesUnsendableConfiguration: a key or secret with a
// control character or white space at either end, and a User-Agent product
// with a control character, are refused by NewClient, and the error does
// not show the value.
func TestNewClientRefusesUnsendableConfiguration(t *testing.T) {
	t.Parallel()
	const mark = "Zq9-mark" // in every bad value, never in an error
	bad := map[string]string{
		"trailing LF":       mark + "\n",
		"trailing CRLF":     mark + "\r\n",
		"LF inside":         mark + "\nX-Evil: 1",
		"NUL":               mark + "\x00",
		"tab inside":        mark + "\tx",
		"DEL":               mark + "\x7f",
		"escape":            "\x1b" + mark,
		"leading space":     " " + mark,
		"trailing space":    mark + " ",
		"no-break space":    "\u00a0" + mark,
		"trailing tab":      mark + "\t",
		"ideographic space": mark + "\u3000",
		"line separator":    mark + "\u2028",
		"next line (NEL)":   "\u0085" + mark,
		"C1 control inside": mark + "\u009bx",
		"not UTF-8":         mark + "\xff",
		"cut UTF-8":         mark + "\xc3",
	}
	for name, v := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, which := range []struct {
				field       string
				key, secret string
				opts        []Option
			}{
				{"API key", v, testSecret, nil},
				{"API secret", testKey, v, nil},
			} {
				c, err := NewClient(which.key, which.secret, which.opts...)
				require.Error(t, err, which.field)
				assert.Nil(t, c)
				assert.ErrorContains(t, err, which.field)
				assert.False(t, strings.Contains(err.Error(), mark), "the error shows the %s", which.field)
			}
			if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				_, err := NewClient(testKey, testSecret, WithUserAgent(v))
				require.Error(t, err, "WithUserAgent")
				assert.ErrorContains(t, err, "WithUserAgent")
				assert.NotContains(t, err.Error(), mark)
			}
		})
	}
	for _, ok := range []string{"k-ey_1.2", "ключ-🐝", "a b"} {
		_, err := NewClient(ok, ok)
		assert.NoError(t, err, "a key and secret without control characters or surrounding white space")
	}
}

// TestFailureBeforeSendingIsNotOutcomeUnknown: an attempt that the client
// can prove sent nothing (its proxy cannot be chosen, its context ended
// after the rate limiter let it go, the rate limiter failed, the context
// was already done) is not reported as outcome unknown for a send, and is
// not retried for any call: the server receives nothing.
func TestFailureBeforeSendingIsNotOutcomeUnknown(t *testing.T) {
	t.Parallel()
	errProxy := errors.New("no proxy for you")
	errLimiter := errors.New("limiter closed")
	for _, ep := range []endpoint{sendMessage, listContacts} {
		cases := []struct {
			name  string
			opts  func(calls *atomic.Int64) []Option
			ctx   func(t *testing.T) context.Context
			is    error
			calls int64 // of the proxy func or the limiter
		}{
			{
				name: "the Proxy func fails",
				opts: func(calls *atomic.Int64) []Option {
					return []Option{WithHTTPClient(&http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
						calls.Add(1)
						return nil, errProxy
					}}})}
				},
				is: errProxy, calls: 1,
			},
			{
				name: "the context ends while the rate limiter lets the call go",
				opts: func(calls *atomic.Int64) []Option {
					return []Option{WithRateLimiter(limiterFunc(func(ctx context.Context) error {
						calls.Add(1)
						ctx.Value(cancelKey{}).(context.CancelFunc)()
						return nil
					}))}
				},
				ctx: func(t *testing.T) context.Context {
					ctx, cancel := context.WithCancel(t.Context())
					t.Cleanup(cancel)
					return context.WithValue(ctx, cancelKey{}, cancel)
				},
				is: context.Canceled, calls: 1,
			},
			{
				name: "the rate limiter fails",
				opts: func(calls *atomic.Int64) []Option {
					return []Option{WithRateLimiter(limiterFunc(func(context.Context) error {
						calls.Add(1)
						return errLimiter
					}))}
				},
				is: errLimiter, calls: 1,
			},
			{
				name: "the context is already done",
				opts: func(*atomic.Int64) []Option { return nil },
				ctx: func(t *testing.T) context.Context {
					ctx, cancel := context.WithCancel(t.Context())
					cancel()
					return ctx
				},
				is: context.Canceled,
			},
		}
		for _, tc := range cases {
			t.Run(ep.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				var calls atomic.Int64
				opts := append([]Option{WithMaxRetries(3), exactBackoff()}, tc.opts(&calls)...)
				c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{}}`), opts...)
				ctx := t.Context()
				if tc.ctx != nil {
					ctx = tc.ctx(t)
				}
				err := ep.call(ctx, c)
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.is)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown, "nothing was sent, so the outcome is known")
				assert.NotContains(t, err.Error(), "outcome unknown")
				assert.Equal(t, tc.calls, calls.Load(), "proxy or limiter calls: the call is not retried")
				assert.Empty(t, srv.Requests(), "requests the server received")
			})
		}
	}
}

// TestProxyFuncStillChoosesTheProxy: the Proxy func of a caller's
// *http.Transport, consulted by the client before each request, still
// routes it: here to a proxy that answers for the API.
func TestProxyFuncStillChoosesTheProxy(t *testing.T) {
	t.Parallel()
	_, proxy := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"c1","message_id":"m1"}}`))
	proxyURL, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	var calls atomic.Int64
	c, err := NewClient(testKey, testSecret, WithBaseURL("http://api.invalid"), WithMaxRetries(0),
		WithHTTPClient(&http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
			calls.Add(1)
			return proxyURL, nil
		}}}))
	require.NoError(t, err)
	_, err = c.Messages.Send(t.Context(), SendMessageParams{Phone: "+385991234567", Text: "hi"})
	require.NoError(t, err)
	r := proxy.Only(t)
	assert.Equal(t, "/conversations/messages/send", r.Path)
	assert.Positive(t, calls.Load())
}

// limiterFunc is a RateLimiter made of a function.
type limiterFunc func(ctx context.Context) error

func (f limiterFunc) Wait(ctx context.Context) error { return f(ctx) }

// cancelKey holds, in a test's context, the function that cancels it.
type cancelKey struct{}
