package sendbeetest

import (
	"net/http"
	"strings"
	"time"
)

// Fault says how an injected failure behaves (see Server.FailNext and
// Server.FailRoute). Its fields combine and act in this order: Delay;
// DropBeforeProcessing; Status; then, the request having been processed
// normally, DropAfterProcessing, Malformed or Body. The zero Fault changes
// nothing: the request it applies to is served normally, and still uses it
// up (one of FailNext's n, or one of FailRoute's faults).
type Fault struct {
	// Status, when not 0, answers with this HTTP status instead of
	// processing the request, so the server's state does not change. The
	// body is Body when set, else the API's error envelope: the flat
	// {"error":true,"detail","type":"rate_limit_exceeded"} for 429, the
	// nested {"error":{"detail","type"}} otherwise.
	Status int
	// RetryAfter, with Status, sets Retry-After to this wait in whole
	// seconds, rounded up.
	RetryAfter time.Duration
	// Body, when set, is written verbatim as the answer's body: of the
	// Status answer, or, without Status, of the processed request's answer
	// (its status kept), for answers of an unexpected shape.
	Body string
	// DropBeforeProcessing closes the connection without an answer and
	// without processing the request: nothing changes on the server, but
	// the client cannot tell (a send then fails with an error matching
	// sendbee.ErrOutcomeUnknown).
	DropBeforeProcessing bool
	// DropAfterProcessing processes the request (a message is stored and
	// counted, a contact created…) and then closes the connection without
	// an answer, so the client cannot know the outcome.
	DropAfterProcessing bool
	// Delay holds the request this long before anything else happens. If
	// the request's context ends first (the client timed out or hung up),
	// or the server is closed, the request is abandoned: not processed, not
	// answered.
	Delay time.Duration
	// Malformed processes the request and answers 200 with a body that is
	// not valid JSON, so the client fails to decode it.
	Malformed bool
}

// malformedBody is the answer body of a Malformed fault: JSON cut short.
const malformedBody = `{"data":[{"id":"`

// pendingFault is a fault with the number of requests it still applies to.
type pendingFault struct {
	fault Fault
	left  int
}

// FailNext makes the next n requests the server receives, whatever their
// path or credentials, fail as f says; then normal service resumes. Faults
// queue: FailNext(1, a) then FailNext(1, b) fails the next request with a
// and the one after with b. n of 0 or less does nothing. A request to a
// route with a FailRoute fault waiting takes that fault instead and does
// not count towards n.
//
// Go's http.Transport resends an idempotent request (such as a GET) once
// by itself when a reused connection is dropped before any answer, and the
// sendbee client retries as its policy allows (use
// sendbee.WithMaxRetries(0) to see each failure), so one client call may use
// up more than one fault.
func (s *Server) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, pendingFault{fault: f, left: n})
}

// route names an endpoint: an HTTP method and a URL path without a
// trailing slash.
type route struct {
	method, path string
}

// FailRoute makes the next requests to one route, given by its method and
// URL path (such as http.MethodPost and "/conversations/messages/send"),
// fail as faults say: the first request to the route takes faults[0], the
// second faults[1], and so on; then the route is served normally again.
// Only requests to that route count: requests to other routes neither use
// up its faults nor take them. The zero Fault lets one request through
// unchanged, so
//
//	srv.FailRoute(http.MethodPost, "/conversations/messages/send", sendbeetest.Fault{}, sendbeetest.Fault{Status: 503})
//
// fails the second send whatever else the code under test calls before
// it. Calls for the same route queue their faults after those still
// waiting. The method may be given in any case ("post" is POST); the path
// is matched exactly against the request's path, a trailing slash
// ignored; a query string given with it ("/conversation?conversation_id=…")
// is ignored too, since a route is one endpoint whatever its parameters. No
// faults do nothing.
//
// Route faults are consulted before the FailNext queue, and a request takes
// at most one fault: a request whose route has a fault waiting takes that
// one (a zero Fault included) and leaves the FailNext queue as it is; only
// a request whose route has none takes the next FailNext fault. As with
// FailNext, the client's own retries and Go's transport may send a request
// more than once, and each attempt counts.
func (s *Server) FailRoute(method, path string, faults ...Fault) {
	if len(faults) == 0 {
		return
	}
	r := routeOf(strings.ToUpper(method), path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.routeFaults == nil {
		s.routeFaults = map[route][]Fault{}
	}
	s.routeFaults[r] = append(s.routeFaults[r], faults...)
}

func routeOf(method, path string) route {
	path, _, _ = strings.Cut(path, "?")
	return route{method: method, path: strings.TrimSuffix(path, "/")}
}

// takeFault returns the fault for the request just received, if any: its
// route's next fault, else the next of the FailNext queue.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := routeOf(r.Method, r.URL.Path)
	if waiting := s.routeFaults[key]; len(waiting) > 0 {
		if len(waiting) == 1 {
			delete(s.routeFaults, key)
		} else {
			s.routeFaults[key] = waiting[1:]
		}
		return waiting[0], true
	}
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0].fault
	s.faults[0].left--
	if s.faults[0].left == 0 {
		s.faults = s.faults[1:]
	}
	return f, true
}

// beforeProcessing applies the parts of f that act before the request is
// processed. It reports whether processing should go on; when not, the
// request has been answered, dropped or abandoned. A delay ends early when
// closing is closed.
func (f Fault) beforeProcessing(w http.ResponseWriter, r *http.Request, closing <-chan struct{}) bool {
	if f.Delay > 0 && !wait(r, f.Delay, closing) {
		dropConnection(w) // returning without a word would send an empty 200
		return false
	}
	if f.DropBeforeProcessing {
		dropConnection(w)
		return false
	}
	if f.Status == 0 {
		return true
	}
	e := &apiError{status: f.Status, typ: typeServerError, detail: "injected failure (sendbeetest)", retryAfter: f.RetryAfter}
	if f.Status == http.StatusTooManyRequests {
		e.typ, e.detail, e.flat = typeRateLimited, "Too Many Attempts.", true
	}
	a := errorAnswer(e)
	if f.Body != "" {
		a.body = []byte(f.Body)
	}
	a.write(w)
	return false
}

// afterProcessing applies the parts of f that act on the processed
// request's answer a. It reports whether a should still be written.
func (f Fault) afterProcessing(w http.ResponseWriter, a *answer) bool {
	switch {
	case f.DropAfterProcessing:
		dropConnection(w)
		return false
	case f.Malformed:
		a.status, a.body = http.StatusOK, []byte(malformedBody)
	case f.Body != "":
		a.body = []byte(f.Body)
	}
	return true
}

// wait holds the request for d; false if its context ended or the server
// began closing first.
func wait(r *http.Request, d time.Duration, closing <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-closing:
		return false
	}
}

// dropConnection closes the client's connection without writing an answer.
func dropConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	// Connections that cannot be hijacked (HTTP/2) get a bodiless 502,
	// the nearest a handler can come to saying nothing.
	w.WriteHeader(http.StatusBadGateway)
}
