package sendbeetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/sendbee/sendbee-go"
)

// maxRequestBody bounds how much of a request body the server reads; a
// larger body gets 413.
const maxRequestBody = 1 << 20

// Server is a fake Sendbee Public API on a local httptest.Server. Make it
// with NewServer and Close it when done. All its methods are safe for
// concurrent use, also while requests are being served.
type Server struct {
	// URL is the server's base URL, such as "http://127.0.0.1:50123"; give
	// it to sendbee.WithBaseURL, or use Client.
	URL string

	cfg    config
	srv    *httptest.Server
	routes map[string]map[string]handler
	store  *store
	limit  *rateWindow

	closing   chan struct{} // closed by Close, to end injected delays
	closeOnce sync.Once

	mu          sync.Mutex
	requests    []Request
	faults      []pendingFault
	routeFaults map[route][]Fault
}

// NewServer starts a fake Sendbee API server with seeded templates, teams
// and members, and no contacts, tags, contact fields or conversations. The
// caller must Close it.
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	s := &Server{
		cfg:     cfg,
		store:   newStore(cfg.now),
		limit:   &rateWindow{limit: cfg.rateLimit, period: cfg.ratePeriod},
		closing: make(chan struct{}),
	}
	s.routes = s.routeTable()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down and waits for the requests being served;
// requests held by a Fault's Delay are abandoned unprocessed. Calling it
// again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.Close()
}

// APIKey returns the API key the server accepts.
func (s *Server) APIKey() string { return s.cfg.apiKey }

// APISecret returns the API secret the server checks tokens with (and signs
// webhooks with).
func (s *Server) APISecret() string { return s.cfg.apiSecret }

// Client returns a sendbee.Client pointed at the server with its
// credentials, over the server's own http.Client. opts are applied after
// sendbee.WithBaseURL and sendbee.WithHTTPClient, so they may replace them;
// tests usually add sendbee.WithMaxRetries(0) to see failures as they are.
func (s *Server) Client(opts ...sendbee.Option) (*sendbee.Client, error) {
	all := append([]sendbee.Option{sendbee.WithBaseURL(s.URL), sendbee.WithHTTPClient(s.srv.Client())}, opts...)
	return sendbee.NewClient(s.cfg.apiKey, s.cfg.apiSecret, all...)
}

// serveHTTP records the request, applies a pending fault, and otherwise
// authenticates, rate-limits and routes it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	s.record(r, body)
	fault, faulted := s.takeFault(r)
	if faulted && !fault.beforeProcessing(w, r, s.closing) {
		return
	}
	var a answer
	switch {
	case readErr != nil:
		a = errorAnswer(&apiError{status: http.StatusBadRequest, typ: typeBadRequest, detail: "the request body could not be read"})
	case len(body) > maxRequestBody:
		a = errorAnswer(&apiError{status: http.StatusRequestEntityTooLarge, typ: typeBadRequest, detail: "the request body is larger than 1 MiB"})
	default:
		a = s.process(r, body)
	}
	if faulted && !fault.afterProcessing(w, &a) {
		return
	}
	a.write(w)
}

// process answers an intact request: authentication, then the rate limit,
// then the endpoint.
func (s *Server) process(r *http.Request, body []byte) answer {
	if err := s.authenticate(r.Header); err != nil {
		return errorAnswer(err)
	}
	now := s.cfg.now()
	state, admitted := s.limit.admit(now)
	var a answer
	if admitted {
		a = s.route(r, body)
	} else {
		a = errorAnswer(tooManyRequests(state.retryAfter(now)))
	}
	state.setHeaders(a.header())
	return a
}
