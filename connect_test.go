package sendbee

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFailureToConnectIsNotOutcomeUnknown: a send whose transport (an
// *http.Transport) never got a connection wrote none of its request: a
// TLS handshake that fails (an untrusted certificate, a server that does
// not speak TLS) or a proxy that refuses the tunnel. That is a failure to
// connect: never ErrOutcomeUnknown, and retried like a refused dial. A
// request that did reach the server and lost its answer stays outcome
// unknown, never retried; so does any failure under a transport the client
// cannot follow (a RoundTripper of the caller's own around it).
func TestFailureToConnectIsNotOutcomeUnknown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// serve starts the far end and returns the base URL, the
		// transport to reach it, and a count of the connections it saw.
		serve   func(t *testing.T) (base string, rt http.RoundTripper, conns *atomic.Int64)
		wrap    bool // put a RoundTripper of the caller's around the transport
		unknown bool // the send's outcome is unknown
	}{
		{name: "untrusted certificate", serve: untrustedTLSServer},
		{name: "a server that does not speak TLS", serve: plainTCPServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", false)},
		{name: "a proxy that refuses the tunnel", serve: refusingProxy},
		{name: "untrusted certificate, the caller's RoundTripper", serve: untrustedTLSServer, wrap: true, unknown: true},
		{name: "the request reached the server, the connection closed", serve: plainTCPServer("", true), unknown: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base, rt, conns := tc.serve(t)
			if tc.wrap {
				inner := rt
				rt = transportFunc(func(r *http.Request) (*http.Response, error) { return inner.RoundTrip(r) })
			}
			c, err := NewClient(testKey, testSecret, WithBaseURL(base), WithMaxRetries(1),
				withBackoff(backoff{base: time.Millisecond, max: time.Millisecond}),
				WithHTTPClient(&http.Client{Transport: rt}))
			require.NoError(t, err)

			err = sendMessage.call(t.Context(), c)
			require.Error(t, err)
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown), "matches ErrOutcomeUnknown: %v", err)
			assert.Equal(t, !tc.unknown, isConnectError(err), "a failure to connect: %v", err)
			want := int64(2) // retried once, as after a refused dial
			if tc.unknown {
				want = 1 // never repeated
			}
			assert.Equal(t, want, conns.Load(), "connections the far end saw")
		})
	}
}

// untrustedTLSServer is a TLS server whose certificate the client's
// transport does not trust; its handler must never run.
func untrustedTLSServer(t *testing.T) (string, http.RoundTripper, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("a request reached the server through a failed TLS handshake")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		conns.Add(1)
		return nil, nil
	}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	tr := &http.Transport{} // trusts the system roots only
	t.Cleanup(tr.CloseIdleConnections)
	return srv.URL, tr, &conns
}

// plainTCPServer is a raw listener. Reached over https (plainHTTP false),
// it answers the client's TLS handshake with answer; reached over http, it
// reads the request to its end, then closes the connection without
// answering.
func plainTCPServer(answer string, plainHTTP bool) func(t *testing.T) (string, http.RoundTripper, *atomic.Int64) {
	return func(t *testing.T) (string, http.RoundTripper, *atomic.Int64) {
		var conns atomic.Int64
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				conns.Add(1)
				go func() {
					defer conn.Close()
					if plainHTTP {
						if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
							_, _ = io.Copy(io.Discard, req.Body)
						}
						return
					}
					_, _ = conn.Read(make([]byte, 4096))
					_, _ = io.WriteString(conn, answer)
				}()
			}
		}()
		scheme := "https://"
		if plainHTTP {
			scheme = "http://"
		}
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		return scheme + l.Addr().String(), tr, &conns
	}
}

// refusingProxy is an https API reached through a proxy that answers every
// CONNECT with 407.
func refusingProxy(t *testing.T) (string, http.RoundTripper, *atomic.Int64) {
	var conns atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conns.Add(1)
		if r.Method != http.MethodConnect {
			t.Errorf("the proxy received a %s, not a CONNECT", r.Method)
		}
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	t.Cleanup(proxy.Close)
	proxyURL, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	tr := &http.Transport{Proxy: http.ProxyURL(proxyURL)}
	t.Cleanup(tr.CloseIdleConnections)
	return "https://api.test", tr, &conns
}
