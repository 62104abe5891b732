package sendbee

import (
	"fmt"
	"net/http"
)

// presend runs, for a call's own request, the checks whose failure proves
// that nothing was sent: the context is still live, and the Proxy func of
// the *http.Transport underneath (called here once more, ahead of the
// transport) chooses a proxy without error. A request a redirect asked for
// is not checked: the call's first request has already gone.
func (t *signingTransport) presend(req *http.Request) error {
	if req.Response != nil {
		return nil
	}
	if err := req.Context().Err(); err != nil {
		return &notSentError{err: err}
	}
	if t.proxy != nil {
		if _, err := t.proxy(req); err != nil {
			return &notSentError{err: fmt.Errorf("choosing a proxy: %w", err)}
		}
	}
	return nil
}

// notSentError is the error of an attempt that failed before any of its
// request was sent: the server cannot have acted, so the call's outcome is
// known, and the failure (a bad request, a proxy that cannot be chosen, a
// context already done) would only recur if the attempt were repeated.
type notSentError struct {
	err error
}

func (e *notSentError) Error() string { return "nothing was sent: " + e.err.Error() }

func (e *notSentError) Unwrap() error { return e.err }
