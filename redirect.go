package sendbee

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// The redirect rule. A redirect is followed only when following it cannot
// change what the call does or where its credentials go:
//
//   - a call that is not idempotent follows none: its 3xx ends the call with
//     an *APIError that matches ErrOutcomeUnknown, since the server may have
//     acted before redirecting;
//   - an idempotent GET follows any redirect (301, 302, 303, 307, 308) to the
//     base URL's origin;
//   - an idempotent PUT, POST or DELETE follows only a 307 or 308 to the base
//     URL's origin, which keep the method and the body (a 301, 302 or 303
//     would turn it into a bodiless GET);
//   - a redirect to any other origin (another scheme, so never from https to
//     http, another host or another port) is never followed.
//
// A redirect not followed ends the call with the *APIError for its status,
// never retried. A CheckRedirect of the caller's http.Client is consulted
// only for a redirect this rule allows.

// maxRedirects bounds the redirects one attempt follows, as net/http's
// default policy does, whatever the caller's CheckRedirect says.
const maxRedirects = 10

// origin is a URL's scheme, host and port, compared to decide where
// credentials may go and which redirects may be followed: the scheme and
// host with their ASCII letters lower-cased, the port spelled out when the
// URL leaves it to the scheme's default (https://h is https://h:443).
type origin struct {
	scheme, host, port string
}

func originOf(u *url.URL) origin {
	o := origin{scheme: lowerASCII(u.Scheme), host: hostKey(u.Hostname()), port: u.Port()}
	if o.port == "" {
		switch o.scheme {
		case "http":
			o.port = "80"
		case "https":
			o.port = "443"
		}
	}
	return o
}

// hostKey is host as origins compare it: its ASCII letters lower-cased,
// but for an IPv6 address's zone (after "%"), an interface name, whose case
// tells interfaces apart.
func hostKey(host string) string {
	addr, zone, ok := strings.Cut(host, "%")
	if !ok {
		return lowerASCII(host)
	}
	return lowerASCII(addr) + "%" + zone
}

// lowerASCII lower-cases the ASCII letters of s and changes nothing else.
// A host name is compared this way, never with a Unicode case mapping: the
// transport dials "apİ.test" as xn--api-bec.test, yet strings.ToLower makes
// it "api.test" (and it turns every byte that is not UTF-8 into U+FFFD), so
// two hosts the transport keeps apart would compare equal.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// idempotentKey is the request context key under which an attempt of an
// idempotent call says so, for the redirect rule.
type idempotentKey struct{}

// markIdempotent returns ctx marked as an idempotent call's.
func markIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

// isIdempotent reports whether ctx was marked by markIdempotent; an
// unmarked request counts as not idempotent, so it follows no redirect.
func isIdempotent(ctx context.Context) bool {
	idempotent, _ := ctx.Value(idempotentKey{}).(bool)
	return idempotent
}

// checkRedirect is the http.Client's CheckRedirect: the redirect rule, then
// the caller's own policy (next, from WithHTTPClient), if any, for what the
// rule allows. A redirect not followed hands the 3xx answer back to the
// call, which returns it as an *APIError.
func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	base := originOf(c.baseURL)
	return func(req *http.Request, via []*http.Request) error {
		switch {
		case !mayFollow(req, via, base), len(via) >= maxRedirects:
			return http.ErrUseLastResponse
		case next == nil:
			return nil
		}
		err := next(req, via)
		if err == nil || err == http.ErrUseLastResponse { // net/http compares it with ==
			return err
		}
		return &redirectRefusedError{err: err}
	}
}

// mayFollow applies the redirect rule to req, the request a redirect
// answer to via's last request asks for. via[0] is the call's own request.
func mayFollow(req *http.Request, via []*http.Request, base origin) bool {
	if !isIdempotent(req.Context()) || originOf(req.URL) != base {
		return false
	}
	if via[0].Method == http.MethodGet {
		return true
	}
	switch req.Response.StatusCode {
	case http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return req.Method == via[0].Method
	}
	return false
}

// redirectRefusedError is the error of a caller's CheckRedirect that refused
// a redirect: it ends the call, never retried.
type redirectRefusedError struct {
	err error
}

func (e *redirectRefusedError) Error() string {
	return "redirect refused by the http.Client's CheckRedirect: " + e.err.Error()
}

func (e *redirectRefusedError) Unwrap() error { return e.err }
