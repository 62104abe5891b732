package sendbeetest

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/sendbee/sendbee-go"
)

// Error types the server puts in the "type" of its error bodies.
const (
	typeUnauthorized     = "unauthorized"
	typeNotFound         = "not_found"
	typeMethodNotAllowed = "method_not_allowed"
	typeBadRequest       = "bad_request"
	typeValidation       = "validation_error"
	typeRateLimited      = "rate_limit_exceeded"
	typeServerError      = "server_error"
)

// answer is a response the server has decided on but not yet written, so
// that a fault can still drop it or garble it.
type answer struct {
	status int
	hdr    http.Header
	body   []byte
}

// header returns the answer's headers, creating them on first use.
func (a *answer) header() http.Header {
	if a.hdr == nil {
		a.hdr = http.Header{}
	}
	return a.hdr
}

func (a *answer) write(w http.ResponseWriter) {
	for name, values := range a.hdr {
		w.Header()[name] = values
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// jsonAnswer encodes v as the body of a status answer.
func jsonAnswer(status int, v any) answer {
	body, err := json.Marshal(v)
	if err != nil {
		return errorAnswer(&apiError{status: http.StatusInternalServerError, typ: typeServerError, detail: "sendbeetest could not encode its answer"})
	}
	return answer{status: status, body: body}
}

// dataEnvelope is the answer to a call that returns one object.
type dataEnvelope struct {
	Data any `json:"data"`
}

// listEnvelope is one page of a list answer.
type listEnvelope[T any] struct {
	Data  []T       `json:"data"`
	Meta  wireMeta  `json:"meta"`
	Links wireLinks `json:"links"`
}

// wireMeta is a page's "meta" as a Laravel paginator writes it: from and to
// are null on a page with no items.
type wireMeta struct {
	CurrentPage int  `json:"current_page"`
	From        *int `json:"from"`
	LastPage    int  `json:"last_page"`
	PerPage     int  `json:"per_page"`
	To          *int `json:"to"`
	Total       int  `json:"total"`
}

// wireLinks is a page's "links": prev and next are null where there is no
// such page.
type wireLinks struct {
	First string  `json:"first"`
	Last  string  `json:"last"`
	Prev  *string `json:"prev"`
	Next  *string `json:"next"`
}

// apiError is a failure the server reports in its error envelope: nested,
// {"error":{"detail","type"}}, or, for rate limiting, flat,
// {"error":true,"detail","type"}.
type apiError struct {
	status     int
	typ        string
	detail     string
	flat       bool
	retryAfter time.Duration
	allow      string
}

func (e *apiError) Error() string { return e.detail }

// nestedError is the error envelope of every failure but rate limiting.
type nestedError struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Detail string `json:"detail"`
	Type   string `json:"type"`
}

func errorAnswer(e *apiError) answer {
	var a answer
	if e.flat {
		a = jsonAnswer(e.status, sendbee.RateLimitStatus{Error: true, Detail: e.detail, Type: e.typ})
	} else {
		a = jsonAnswer(e.status, nestedError{Error: errorDetail{Detail: e.detail, Type: e.typ}})
	}
	if e.retryAfter > 0 {
		a.header().Set("Retry-After", strconv.FormatInt(ceilSeconds(e.retryAfter), 10))
	}
	if e.allow != "" {
		a.header().Set("Allow", e.allow)
	}
	return a
}

// ceilSeconds rounds d up to whole seconds.
func ceilSeconds(d time.Duration) int64 {
	return int64(math.Ceil(d.Seconds()))
}

// invalid is the 422 for a missing or wrong parameter.
func invalid(detail string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, typ: typeValidation, detail: detail}
}

// notFound is the 404 for an unknown ID.
func notFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, typ: typeNotFound, detail: what + " not found"}
}

// badRequest is the 400 for a body or query that cannot be read, or an
// action the API refuses (such as sending a template that is not approved).
func badRequest(detail string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typeBadRequest, detail: detail}
}

// unauthorized is the 401 for missing or wrong credentials.
func unauthorized(detail string) *apiError {
	return &apiError{status: http.StatusUnauthorized, typ: typeUnauthorized, detail: detail}
}

// tooManyRequests is the 429 for a request over the rate limit.
func tooManyRequests(retryAfter time.Duration) *apiError {
	return &apiError{
		status: http.StatusTooManyRequests, typ: typeRateLimited, detail: "Too Many Attempts.",
		flat: true, retryAfter: max(retryAfter, time.Second),
	}
}
