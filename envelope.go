package sendbee

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// envelope is the API's top-level answer: {"data", "meta", "links", "warning"}.
type envelope[T any] struct {
	Data    flexList[T] `json:"data"`
	Meta    Meta        `json:"meta"`
	Links   Links       `json:"links"`
	Warning Scalar      `json:"warning"`
}

// flexList decodes "data" whether the API sends an array, a single object,
// or null.
type flexList[T any] struct {
	items   []T
	present bool
}

func (l *flexList[T]) UnmarshalJSON(b []byte) error {
	l.present = true
	switch firstByte(b) {
	case '[':
		return json.Unmarshal(b, &l.items)
	case '{':
		l.items = make([]T, 1)
		return json.Unmarshal(b, &l.items[0])
	case 'n':
		l.items = nil
		return nil
	}
	return fmt.Errorf("\"data\" is neither an object nor an array: %s", quoteValue(b))
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// decodeEnvelope reads a 2xx body. An empty body is an empty envelope; a
// bare JSON array is taken as the data.
func decodeEnvelope[T any](body []byte) (envelope[T], error) {
	var env envelope[T]
	switch firstByte(body) {
	case 0:
		return env, nil
	case '[':
		return env, json.Unmarshal(body, &env.Data)
	}
	return env, json.Unmarshal(body, &env)
}

// decodeList reads a list answer. The usual shape, "data" an array, is
// decoded straight into a slice in one pass; going through flexList's
// UnmarshalJSON would make encoding/json scan the whole array twice more
// (once to skip it, once to validate it again). Any other shape falls back
// to decodeEnvelope, with the same result as before.
func decodeList[T any](body []byte) (envelope[T], error) {
	if firstByte(body) == '{' {
		var usual struct {
			Data    []T    `json:"data"`
			Meta    Meta   `json:"meta"`
			Links   Links  `json:"links"`
			Warning Scalar `json:"warning"`
		}
		err := json.Unmarshal(body, &usual)
		if !isDataShapeError(err) {
			env := envelope[T]{Meta: usual.Meta, Links: usual.Links, Warning: usual.Warning}
			env.Data.items = usual.Data
			return env, err
		}
	}
	return decodeEnvelope[T](body)
}

// decodeOne reads a single-object answer: "data": {...}, decoded in one
// pass as the usual case; "data": [{...}]; or a body without "data", taken
// as the object itself. It returns the object, nil when the answer holds
// none ("data": [] or null, an empty body, or a body of nothing but
// warning, meta or links), and the API's warning.
func decodeOne[T any](body []byte) (*T, string, error) {
	if firstByte(body) == '{' {
		var usual struct {
			Data    *T     `json:"data"`
			Meta    Meta   `json:"meta"`  // unused, but a malformed one
			Links   Links  `json:"links"` // fails the call as before
			Warning Scalar `json:"warning"`
		}
		err := json.Unmarshal(body, &usual)
		switch {
		case err == nil && usual.Data != nil:
			return usual.Data, usual.Warning.String(), nil
		case err != nil && !isDataShapeError(err):
			return nil, "", err
		}
	}
	return decodeOneAnyShape[T](body)
}

// decodeOneAnyShape is decodeOne for every shape, through decodeEnvelope.
func decodeOneAnyShape[T any](body []byte) (*T, string, error) {
	env, err := decodeEnvelope[T](body)
	if err != nil {
		return nil, "", err
	}
	switch {
	case len(env.Data.items) > 0:
		return &env.Data.items[0], env.Warning.String(), nil
	case !env.Data.present && !onlyEnvelopeKeys(body):
		out := new(T)
		if err := json.Unmarshal(body, out); err != nil {
			return nil, "", err
		}
		return out, env.Warning.String(), nil
	}
	return nil, env.Warning.String(), nil
}

// onlyEnvelopeKeys reports whether body is not an object, or an object
// with no key but the envelope's own (warning, meta, links, error): an
// answer without "data" that holds no object either.
func onlyEnvelopeKeys(body []byte) bool {
	var keys map[string]json.RawMessage
	if firstByte(body) != '{' || json.Unmarshal(body, &keys) != nil {
		return true
	}
	for key := range keys {
		switch strings.ToLower(key) {
		case "warning", "meta", "links", "error":
		default:
			return false
		}
	}
	return true
}

// isDataShapeError reports whether err is encoding/json's complaint that
// "data" itself has another shape than the one tried (an object where an
// array was expected, or the reverse), or a model's own UnmarshalJSON
// saying it was handed something other than an object (errNotAnObject:
// how encoding/json annotates errors from such methods differs between Go
// releases, so their Field cannot be relied on). The field is matched as
// encoding/json matches keys, ignoring case: Go 1.27 names it as the body
// spells it ("DATA").
func isDataShapeError(err error) bool {
	var typeErr *json.UnmarshalTypeError
	return errors.As(err, &typeErr) && strings.EqualFold(typeErr.Field, "data") || errors.Is(err, errNotAnObject)
}

// errNotAnObject is what a model's UnmarshalJSON returns when handed a JSON
// value that is neither an object nor null.
var errNotAnObject = errors.New("not a JSON object")

// list runs a list call and decodes its page. Its error never quotes a
// credential the call sent (see redactErr).
func list[T any](ctx context.Context, c *Client, cl call) (*Page[T], error) {
	ctx = withSentTokens(ctx)
	resp, err := c.do(ctx, cl)
	if err != nil {
		return nil, c.redactErr(ctx, err)
	}
	env, err := decodeList[T](resp.Body)
	if err != nil {
		return nil, c.redactErr(ctx, decodeError(cl, err))
	}
	c.noteWarning(ctx, resp, env.Warning.String())
	return &Page[T]{Items: env.Data.items, Meta: env.Meta, Links: env.Links, Response: resp}, nil
}

// one runs a call that answers with a single object; see decodeOne. The
// object carries the call's Response, warning included. A 2xx answer that
// cannot be decoded or holds no object is an error (except for calls marked
// emptyOK, whose confirmation may be empty); for a call that is not safe to
// repeat it matches ErrOutcomeUnknown, since the server accepted the
// request.
func one[T any, PT singleObject[T]](ctx context.Context, c *Client, cl call) (*T, error) {
	ctx = withSentTokens(ctx)
	resp, err := c.do(ctx, cl)
	if err != nil {
		return nil, c.redactErr(ctx, err)
	}
	out, warning, err := decodeOne[T](resp.Body)
	c.noteWarning(ctx, resp, warning)
	if err == nil && out == nil && cl.emptyOK {
		out = new(T)
	}
	switch {
	case err == nil && out != nil:
		PT(out).setResponse(resp)
		return out, nil
	case err == nil:
		err = errNoObject
	}
	if !cl.idempotent {
		err = &outcomeUnknownError{call: cl, err: fmt.Errorf("decoding the answer: %w", err)}
	} else {
		err = decodeError(cl, err)
	}
	return nil, c.redactErr(ctx, err) // the decoder may quote the answer
}

// errNoObject is wrapped by the error for a 2xx answer with no object where
// one was expected.
var errNoObject = errors.New("the answer holds no object")

func decodeError(cl call, err error) error {
	return fmt.Errorf("sendbee: %s %s: decoding the answer: %w", cl.method, cl.path, err)
}
