package sendbeetest

import (
	"net/http"
	"net/url"
	"time"
)

// Request is one request as the server received it.
type Request struct {
	// Method is the HTTP method, such as "POST".
	Method string
	// Path is the URL path, such as "/contacts/subscribe".
	Path string
	// Query holds the parsed query string.
	Query url.Values
	// Header holds the request headers, credentials included.
	Header http.Header
	// Body is the raw request body (at most 1 MiB of it).
	Body []byte
	// Time is when it arrived, by the server's clock.
	Time time.Time
}

// Requests returns every request the server has received, in order of
// arrival: rejected, faulted and unknown-path ones included. The slice is
// a copy.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r
		out[i].Query = cloneValues(r.Query)
		out[i].Header = r.Header.Clone()
		out[i].Body = append([]byte(nil), r.Body...)
	}
	return out
}

// record keeps a copy of r with its body.
func (s *Server) record(r *http.Request, body []byte) {
	req := Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   append([]byte(nil), body[:min(len(body), maxRequestBody)]...),
		Time:   s.cfg.now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
