package sendbee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	return fmt.Errorf("sendbee: \"data\" is neither an object nor an array: %.40s", b)
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

// list runs a list call and decodes its page.
func list[T any](ctx context.Context, c *Client, cl call) (*Page[T], error) {
	resp, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope[T](resp.Body)
	if err != nil {
		return nil, decodeError(cl, err)
	}
	c.noteWarning(ctx, resp, env.Warning.String())
	return &Page[T]{Items: env.Data.items, Meta: env.Meta, Links: env.Links, Response: resp}, nil
}

// one runs a call that answers with a single object. The API sends it as
// "data": {...} or "data": [{...}]; a body without "data" is taken as the
// object itself. An answer with no object gives the zero T.
func one[T any](ctx context.Context, c *Client, cl call) (*T, error) {
	resp, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope[T](resp.Body)
	if err != nil {
		return nil, decodeError(cl, err)
	}
	c.noteWarning(ctx, resp, env.Warning.String())
	out := new(T)
	switch {
	case len(env.Data.items) > 0:
		*out = env.Data.items[0]
	case !env.Data.present && firstByte(resp.Body) == '{':
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return nil, decodeError(cl, err)
		}
	}
	return out, nil
}

func decodeError(cl call, err error) error {
	return fmt.Errorf("sendbee: %s %s: decoding the answer: %w", cl.method, cl.path, err)
}
