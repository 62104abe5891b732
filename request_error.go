package sendbee

import (
	"errors"
	"net/url"
)

// requestError is a failed attempt's *url.Error without net/http's
// `Get "URL": ` head: the call's error already names its method and path,
// so the head would say it twice, and the URL's query may quote the
// caller's data. A failure on a redirect hop keeps the hop's origin and
// path, which the call's own head does not say. errors.Is and errors.As
// see the *url.Error and what it wraps.
type requestError struct {
	err  *url.Error
	text string
}

func (e *requestError) Error() string { return e.text }
func (e *requestError) Unwrap() error { return e.err }

// withoutRequestHead returns err, the error of sending req, with the head
// of its *url.Error (if any) left out of its text.
func withoutRequestHead(err error, req *url.URL) error {
	var urlErr *url.Error
	if !errors.As(err, &urlErr) || urlErr.Err == nil {
		return err
	}
	text := urlErr.Err.Error()
	if hop, perr := url.Parse(urlErr.URL); perr == nil && (hop.Path != req.Path || hop.Host != req.Host) {
		hop.User, hop.RawQuery, hop.Fragment = nil, "", ""
		text = "after a redirect to " + hop.String() + ": " + text
	}
	return &requestError{err: urlErr, text: text}
}
