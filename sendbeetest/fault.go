package sendbeetest

import (
	"net/http"
	"time"
)

// Fault says how an injected failure behaves (see Server.FailNext). Its
// fields combine and act in this order: Delay; DropBeforeProcessing;
// Status; then, the request having been processed normally,
// DropAfterProcessing, Malformed or Body. The zero Fault changes nothing
// (the request still uses up one of FailNext's n).
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
// and the one after with b. n of 0 or less does nothing.
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

// takeFault returns the fault for the request just received, if any.
func (s *Server) takeFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
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
