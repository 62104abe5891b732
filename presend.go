package sendbee

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
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

// connWatch follows, through the request's httptrace hooks, whether an
// *http.Transport asked for a connection and whether it got one. Once it
// has asked, an attempt that failed without getting one (its dial, its
// proxy's CONNECT or its TLS handshake failed) wrote none of its request:
// the transport writes only on a connection it got.
type connWatch struct {
	asked, got atomic.Bool
	hooks      httptrace.ClientTrace // held here, so that one allocation makes both
}

// watchConn returns ctx with w's hooks added to any the caller set.
func (w *connWatch) watchConn(ctx context.Context) context.Context {
	w.hooks.GetConn = w.getConn
	w.hooks.GotConn = w.gotConn
	return httptrace.WithClientTrace(ctx, &w.hooks)
}

func (w *connWatch) getConn(string)                { w.asked.Store(true) }
func (w *connWatch) gotConn(httptrace.GotConnInfo) { w.got.Store(true) }

// neverConnected reports whether the transport asked for a connection and
// never got one.
func (w *connWatch) neverConnected() bool {
	return w.asked.Load() && !w.got.Load()
}

// notConnectedError is the error of an attempt whose transport never got a
// connection: a failure to connect, so nothing was sent.
type notConnectedError struct {
	err error
}

func (e *notConnectedError) Error() string { return e.err.Error() }

func (e *notConnectedError) Unwrap() error { return e.err }
