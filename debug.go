package sendbee

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// secretHeader reports whether a header carries a credential, and the
// environment variable a curl command reads it from instead.
func secretHeader(name string) (envVar string, secret bool) {
	switch http.CanonicalHeaderKey(name) {
	case "X-Api-Key":
		return "$SENDBEE_API_KEY", true
	case "X-Auth-Token", "X-Authorization":
		return "$SENDBEE_AUTH_TOKEN", true
	case "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie":
		return "$" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")), true
	}
	return "", false
}

// debugTransport writes each signed attempt and its answer to the client's
// debug writer, credentials masked, with an equivalent curl command.
type debugTransport struct {
	client *Client
	base   http.RoundTripper
}

// RoundTrip dumps req, sends it, and dumps the answer (its body is read and
// replaced, so the caller still sees all of it, or the error that ended
// reading it).
func (t *debugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)

	var b strings.Builder
	b.WriteString("--> " + req.Method + " " + req.URL.Redacted() + "\n")
	writeHeaders(&b, req.Header)
	if len(reqBody) > 0 {
		b.Write(reqBody)
		b.WriteString("\n")
	}
	b.WriteString(curlCommand(req, reqBody) + "\n")
	if err != nil {
		b.WriteString("<-- error after " + time.Since(start).Round(time.Millisecond).String() + ": " + err.Error() + "\n\n")
		t.client.writeDebug(req, b.String())
		return nil, err
	}
	// Read through the same limit as the client, so that a body over it is
	// abandoned here too; the client then gets the same error.
	body, readErr := readLimited(resp.Body, resp.ContentLength, t.client.cfg.maxResponseSize)
	var rest io.Reader = bytes.NewReader(body)
	if readErr != nil {
		rest = failedRead{readErr}
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{rest, resp.Body}
	b.WriteString("<-- " + resp.Status + " (" + time.Since(start).Round(time.Millisecond).String() + ")\n")
	writeHeaders(&b, resp.Header)
	b.Write(body)
	if readErr != nil {
		b.WriteString("\n<-- error reading body: " + readErr.Error())
	}
	b.WriteString("\n\n")
	t.client.writeDebug(req, b.String())
	return resp, nil
}

// failedRead is a body whose reading failed with err, for the client to see.
type failedRead struct{ err error }

func (f failedRead) Read([]byte) (int, error) { return 0, f.err }

// writeDebug writes the dump of req's exchange with the API key, the
// secret and the call's tokens masked wherever they appear (an answer may
// echo them).
func (c *Client) writeDebug(req *http.Request, s string) {
	s = c.redactor(req.Context())(s) // req's token is among those its call sent
	c.debugMu.Lock()
	defer c.debugMu.Unlock()
	_, _ = io.WriteString(c.cfg.debug, s)
}

func writeHeaders(b *strings.Builder, h http.Header) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range h[name] {
			if _, secret := secretHeader(name); secret {
				v = "********"
			}
			b.WriteString(name + ": " + v + "\n")
		}
	}
}

// curlCommand is a shell command that repeats req, with credentials taken
// from environment variables instead of written out.
func curlCommand(req *http.Request, body []byte) string {
	var b strings.Builder
	b.WriteString("curl -X " + req.Method + " " + shellQuote(req.URL.Redacted()))
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			if env, secret := secretHeader(name); secret {
				b.WriteString(` -H "` + name + ": " + env + `"`)
				continue
			}
			b.WriteString(" -H " + shellQuote(name+": "+v))
		}
	}
	if len(body) > 0 {
		b.WriteString(" --data-raw " + shellQuote(string(body)))
	}
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// logAttempt records one attempt's metadata at Debug level: never
// credentials, query values, bodies or the server's error detail. A failed
// attempt's error is summarized by errorSummary.
func (c *Client) logAttempt(ctx context.Context, cl call, attempt int, resp *Response, err error, took, wait time.Duration) {
	logger := c.cfg.logger
	if logger == nil || !logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", cl.method),
		slog.String("path", cl.path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", took),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redactor(ctx)(errorSummary(err))))
	}
	if wait > 0 {
		attrs = append(attrs, slog.Duration("retry_in", wait))
	}
	logger.LogAttrs(ctx, slog.LevelDebug, "sendbee request", attrs...)
}

// errorSummary describes err without the request URL, whose query may hold
// the caller's data, and without an *APIError's detail, which is body
// content.
func errorSummary(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.text(false)
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err.Error()
	}
	return err.Error()
}
