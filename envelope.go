package sendbee

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// envelope is the API's top-level answer: {"data", "meta", "links", "warning"}.
type envelope[T any] struct {
	Data    dataItems[T]
	Meta    Meta
	Links   Links
	Warning Scalar
}

// dataItems are the objects of "data", and whether "data" was there.
type dataItems[T any] struct {
	items   []T
	present bool
}

// set reads "data": an array of objects (any element that is not an
// object, null included, is skipped), one object, or null.
func (d *dataItems[T]) set(raw json.RawMessage) error {
	d.present = true
	switch firstByte(raw) {
	case 'n':
		return nil
	case '{':
		d.items = []T{decodeItem[T](raw)}
		return nil
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return err
		}
		d.items = make([]T, 0, len(elems))
		for _, elem := range elems {
			if firstByte(elem) == '{' {
				d.items = append(d.items, decodeItem[T](elem))
			}
		}
		return nil
	}
	return errDataShape
}

// errDataShape is the error for "data" that is neither an array, an object
// nor null.
var errDataShape = errors.New(`"data" is neither an object nor an array`)

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// rawEnvelope is an answer object with its parts kept raw; the keys match
// as encoding/json matches them (ignoring case).
type rawEnvelope struct {
	Data    json.RawMessage `json:"data"`
	Meta    json.RawMessage `json:"meta"`
	Links   json.RawMessage `json:"links"`
	Warning Scalar          `json:"warning"`
}

// decodeEnvelope reads a 2xx body of any shape, by the rules of
// decodeTolerant: an empty body or null is an empty envelope; a bare JSON
// array is taken as the data; an object without "data" that has keys of
// its own (any but warning, meta, links and error) is the one item. A body
// that is not JSON, a JSON string, number or boolean, and "data" that is
// neither an array, an object nor null are errors.
func decodeEnvelope[T any](body []byte) (envelope[T], error) {
	var env envelope[T]
	switch first := firstByte(body); first {
	case 0:
		return env, nil
	case '{':
	default:
		var whole json.RawMessage
		if err := json.Unmarshal(body, &whole); err != nil {
			return env, err // not JSON
		}
		switch first {
		case 'n':
			return env, nil
		case '[':
			return env, env.Data.set(whole)
		}
		return env, errAnswerShape
	}
	var raw rawEnvelope
	if err := json.Unmarshal(body, &raw); err != nil {
		return env, err // not JSON
	}
	env.Warning = raw.Warning
	if raw.Meta != nil {
		decodeTolerant(raw.Meta, &env.Meta)
	}
	if raw.Links != nil {
		decodeTolerant(raw.Links, &env.Links)
	}
	if raw.Data == nil {
		if !onlyEnvelopeKeys(body) {
			env.Data.items = []T{decodeItem[T](body)}
		}
		return env, nil
	}
	return env, env.Data.set(raw.Data)
}

// errAnswerShape is the error for a body that is a JSON string, number or
// boolean.
var errAnswerShape = errors.New("the answer is neither an object nor an array")

// decodeList reads a list answer. The usual shape, "data" a non-empty
// array of objects that plain encoding/json decodes without complaint, is
// decoded in one pass; any other shape or any value of the wrong kind
// falls back to decodeEnvelope, which decodes each item on its own and
// tolerantly, so that one odd value never loses the page.
func decodeList[T any](body []byte) (envelope[T], error) {
	if firstByte(body) == '{' && !mayHoldNullElement(body) {
		var usual struct {
			Data    []T    `json:"data"`
			Meta    Meta   `json:"meta"`
			Links   Links  `json:"links"`
			Warning Scalar `json:"warning"`
		}
		if json.Unmarshal(body, &usual) == nil && len(usual.Data) > 0 {
			env := envelope[T]{Meta: usual.Meta, Links: usual.Links, Warning: usual.Warning}
			env.Data = dataItems[T]{items: usual.Data, present: true}
			return env, nil
		}
	}
	return decodeEnvelope[T](body)
}

// decodeOne reads a single-object answer: "data": {...}, decoded in one
// pass as the usual case; "data": [{...}] (the first object); or a body
// without "data", taken as the object itself. It returns the object, nil
// when the answer holds none ("data": [] or null, an empty body, or a body
// of nothing but warning, meta or links), and the API's warning. Values of
// the wrong kind are read as decodeEnvelope reads them.
func decodeOne[T any](body []byte) (*T, string, error) {
	if firstByte(body) == '{' && !mayHoldNullElement(body) {
		var usual struct { // meta and links are of no use to one object
			Data    *T     `json:"data"`
			Warning Scalar `json:"warning"`
		}
		if json.Unmarshal(body, &usual) == nil && usual.Data != nil {
			return usual.Data, usual.Warning.String(), nil
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
	if len(env.Data.items) > 0 {
		return &env.Data.items[0], env.Warning.String(), nil
	}
	return nil, env.Warning.String(), nil
}

// onlyEnvelopeKeys reports whether body is not an object, or an object
// with no key but the envelope's own (warning, meta, links, error), matched
// as encoding/json matches them: an answer without "data" that holds no
// object either.
func onlyEnvelopeKeys(body []byte) bool {
	var keys map[string]json.RawMessage
	if firstByte(body) != '{' || json.Unmarshal(body, &keys) != nil {
		return true
	}
	for key := range keys {
		if !slices.ContainsFunc([]string{"warning", "meta", "links", "error"}, func(k string) bool { return strings.EqualFold(k, key) }) {
			return false
		}
	}
	return true
}

// errNotAnObject is what a model's UnmarshalJSON returns when handed a JSON
// value that is neither an object nor null.
var errNotAnObject = errors.New("not a JSON object")

// objectToDecode reports whether b, the JSON handed to a model's
// UnmarshalJSON, is an object to decode. null is not, and leaves the model
// as it is (as for any struct); any other value is errNotAnObject, saying
// that what (such as "a template") is that value.
func objectToDecode(b []byte, what string) (bool, error) {
	switch firstByte(b) {
	case '{':
		return true, nil
	case 'n':
		return false, nil
	}
	return false, fmt.Errorf("%w: %s is %s", errNotAnObject, what, quoteValue(b))
}

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
