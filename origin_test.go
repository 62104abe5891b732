package sendbee

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOriginComparison: two URLs are the same origin exactly when the
// transport reaches the same scheme, host and port through them. Default
// ports, ASCII letter case and user information do not matter; a Unicode
// case mapping, which the transport does not apply as strings.ToLower does
// ("İ" lower-cases to "i", but the transport dials xn--…), and bytes that
// are not UTF-8 do.
func TestOriginComparison(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		same bool
	}{
		{"https://api.test", "https://api.test:443", true},
		{"http://api.test", "http://api.test:80", true},
		{"https://API.Test", "https://api.test", true},
		{"HTTPS://api.test", "https://api.test", true},
		{"https://user:pw@api.test", "https://api.test", true},
		{"https://[::1]", "https://[::1]:443", true},
		{"https://[::1]:8443", "https://[::1]", false},
		{"https://[::1]:8443", "https://[::1]:8443", true},
		{"https://api.test", "http://api.test:443", false},
		{"https://api.test", "http://api.test", false},
		{"https://api.test", "https://api.test:8443", false},
		{"https://api.test", "https://api.test.", false},
		{"https://api.test", "https://ap\u0130.test", false},     // İ: Unicode lower-cases it to i
		{"https://api.test", "https://ap%C4%B0.test", false},     // the same, percent-encoded
		{"https://key.test", "https://\u212Aey.test", false},     // Kelvin sign: Unicode lower-cases it to k
		{"https://\u00c4pi.test", "https://\u00c4pi.test", true}, // non-ASCII, spelled the same
		{"https://%FF.test", "https://%FE.test", false},          // not UTF-8: distinct bytes stay distinct
		{"http://[fe80::1%25eth0]", "http://[FE80::1%25eth0]:80", true},
		{"http://[fe80::1%25eth0]", "http://[fe80::1%25ETH0]", false}, // interface names are case-sensitive
	}
	for _, tc := range cases {
		t.Run(tc.a+" "+tc.b, func(t *testing.T) {
			t.Parallel()
			a, err := url.Parse(tc.a)
			require.NoError(t, err)
			b, err := url.Parse(tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.same, originOf(a) == originOf(b), "same origin")
			assert.Equal(t, tc.same, originOf(b) == originOf(a), "same origin, compared the other way")
		})
	}
}

// TestCredentialsGoOnlyToTheHostDialed: the API at http://api.test/v2
// redirects a GET to a location the transport (a real *http.Transport)
// dials; a recording dialer sends every connection to one server that
// plays every host. A redirect is followed, signed, only when the
// transport dials the API's own host and port, whatever the path (/moved
// is outside the base URL's /v2: the origin is the boundary); a host that
// strings.ToLower would map onto the API's ("apİ.test", which the
// transport dials as xn--api-bec.test) never receives the key or a token.
func TestCredentialsGoOnlyToTheHostDialed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		location string
		followed bool
	}{
		{"http://ap\u0130.test/moved", false},
		{"http://ap%C4%B0.test/moved", false},
		{"http://api.test./moved", false},
		{"http://api.test:8080/moved", false},
		{"http://API.TEST/moved", true},
		{"http://api.test:80/moved", true},
		{"http://user:pw@api.test/moved", true},
		{"/moved", true},
	}
	for _, tc := range cases {
		t.Run(tc.location, func(t *testing.T) {
			t.Parallel()
			type received struct {
				host, path string
				signed     bool
			}
			var mu sync.Mutex
			var got []received
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, received{host: r.Host, path: r.URL.Path, signed: r.Header.Get("X-Api-Key") != "" || r.Header.Get("X-Auth-Token") != ""})
				mu.Unlock()
				if strings.HasSuffix(r.URL.Path, "/moved") {
					respond(http.StatusOK, `{"data":[]}`)(w, r)
					return
				}
				w.Header().Set("Location", tc.location)
				w.WriteHeader(http.StatusFound)
			}))
			t.Cleanup(srv.Close)
			var dialed []string
			tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				mu.Lock()
				dialed = append(dialed, addr)
				mu.Unlock()
				return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
			}}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := NewClient(testKey, testSecret, WithBaseURL("http://api.test/v2"), WithMaxRetries(0),
				WithHTTPClient(&http.Client{Transport: tr}))
			require.NoError(t, err)

			_, err = c.Contacts.List(t.Context(), nil)
			mu.Lock()
			defer mu.Unlock()
			for _, r := range got {
				if r.signed {
					assert.True(t, strings.EqualFold(r.host, "api.test") || strings.EqualFold(r.host, "api.test:80"),
						"a request for host %q (dialed: %q) carries a credential", r.host, dialed)
				}
			}
			if tc.followed {
				require.NoError(t, err)
				require.Len(t, got, 2, "requests: the redirect is followed")
				assert.True(t, got[1].signed, "the followed request is signed")
				return
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusFound, apiErr.StatusCode)
			assert.Len(t, got, 1, "requests: the redirect is not followed")
		})
	}
}
