package sendbee

import (
	"context"
	"fmt"
	"iter"
)

// ListOptions pages a list call. Pages are 1-based; Page 0 asks for the
// first page. Limit is the page size, at most 100; 0 leaves the server's
// default.
type ListOptions struct {
	// Page is the page to fetch, from 1; 0 means the first.
	Page int `url:"page,omitempty"`
	// Limit is the number of items per page, 1 to 100; 0 means the server's default.
	Limit int `url:"limit,omitempty"`
}

func (o ListOptions) validate() error {
	if o.Page < 0 {
		return invalid("page", "must not be negative")
	}
	if o.Limit < 0 || o.Limit > maxPageLimit {
		return invalid("limit", "must be between 1 and 100 (0 for the server's default)")
	}
	return nil
}

const maxPageLimit = 100

// Meta is the pagination block of a list answer. From and To are the 1-based
// range of items on this page (0 on an empty page). Each field follows Int
// ("total": "abc" is 0, "3" is 3); meta sent as anything but an object is
// the zero Meta (see Page).
type Meta struct {
	CurrentPage Int `json:"current_page"`
	LastPage    Int `json:"last_page"`
	PerPage     Int `json:"per_page"`
	Total       Int `json:"total"`
	From        Int `json:"from"`
	To          Int `json:"to"`
}

// UnmarshalJSON reads the pagination object and never returns an error:
// any other shape (an empty array in place of an object, null, a string) leaves
// Meta zero, and each field is read as Int reads it ("3" and 3.0 are 3,
// 2.9 is 2, true is 1; "abc", {} and [] are 0).
func (m *Meta) UnmarshalJSON(b []byte) error {
	type plain Meta
	p := (*plain)(m)
	*p = plain{}
	decodeObject(b, &p)
	return nil
}

// Links holds the page URLs the API may send beside meta; any may be empty.
// A link sent as a number or boolean is its JSON text, as an object or
// array ""; links sent as anything but an object are the zero Links (see
// Page).
type Links struct {
	First string `json:"first"`
	Last  string `json:"last"`
	Prev  string `json:"prev"`
	Next  string `json:"next"`
}

// Page is one page of a list answer.
//
// A value of the wrong kind never fails a page: only an answer that is not
// JSON, or whose "data" is a string, number or boolean, is an error. Every
// field of every model, of Meta and of Links, reads such a value as
// follows (single-object answers alike):
//   - text (string fields and the string types such as ContactStatus and
//     Folder): a number or boolean is its JSON text (7 is "7", 2.5 is
//     "2.5", true is "true"); an object or array is "";
//   - integers (Int): a numeric string is its number, a fraction is
//     truncated toward zero, true is 1 and false 0, and anything else (a
//     non-numeric string such as "abc", a number out of range, an object,
//     an array) is 0; see Int;
//   - Time and Bool: every form described at each; a value they cannot
//     read leaves them zero (Time.Raw keeps it as sent);
//   - a nested object (such as Conversation.Contact): any value but an
//     object leaves it nil;
//   - a list (such as Contact.Tags or ContactField.Options): any value but
//     an array leaves it nil; in a list of objects, an element that is not
//     an object (null included) is skipped; in a list of text, each element
//     follows the text rule (null is "");
//   - Scalar and json.RawMessage fields (ContactFieldValue.Value, Tag.Icons,
//     Message.MetaData, TemplateButton.Icon) keep any value as sent;
//   - null leaves a field zero (nil for an object or a list).
//
// An element of "data" that is not an object, null included, is skipped. A
// list answer that is an object without "data" is the one item when it has
// members of its own (any but meta, links, warning and error), and an
// empty page when it has none.
type Page[T any] struct {
	// Items are the page's entries, in the server's order.
	Items []T
	// Meta is the pagination state; zero when the server sent none, which
	// means the list fits on this one page.
	Meta Meta
	// Links are the page URLs, when the server sent them.
	Links Links
	// Response is the HTTP answer this page came from.
	Response *Response
}

// UnmarshalJSON reads the links object and never returns an error: any
// other shape (an array of page links, as some paginators send, null, a
// string) leaves Links zero. A link sent as a number or boolean is its JSON
// text (2 is "2"); one sent as an object or array is "".
func (l *Links) UnmarshalJSON(b []byte) error {
	type plain Links
	p := (*plain)(l)
	*p = plain{}
	decodeObject(b, &p)
	return nil
}

// HasNext reports whether a later page exists: the current page is before
// the last one and this page was not empty.
func (p *Page[T]) HasNext() bool {
	return len(p.Items) > 0 && p.Meta.CurrentPage >= 1 && p.Meta.CurrentPage < p.Meta.LastPage
}

// NextPage returns the number of the page after this one, or 0 when HasNext
// is false.
func (p *Page[T]) NextPage() int {
	if !p.HasNext() {
		return 0
	}
	return int(p.Meta.CurrentPage) + 1
}

// allPages walks pages from start (0 = first) until the last one, yielding
// each item, or one error and then stopping. Only one page is held at a time.
// A later page that comes back as another page number (a server or proxy
// ignoring the page parameter) is an error, not an endless walk.
func allPages[T any](ctx context.Context, start int, fetch func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		page := start
		for {
			p, err := fetch(ctx, page)
			if err == nil && page != start && p.Meta.CurrentPage != 0 && int(p.Meta.CurrentPage) != page {
				err = fmt.Errorf("sendbee: asked for page %d, the server answered with page %d", page, p.Meta.CurrentPage)
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range p.Items {
				if !yield(item, nil) {
					return
				}
			}
			if !p.HasNext() {
				return
			}
			page = p.NextPage()
		}
	}
}

// pageParams is a list call's params type whose page can be set.
type pageParams[P any] interface {
	*P
	pageNumber() *int
}

func (o *ListOptions) pageNumber() *int { return &o.Page }

// walk is every service's All: it iterates with list from params.Page (or
// the first page) to the last, giving each fetch its own copy of the
// caller's params, so one iterator may be ranged again, or from several
// goroutines at once.
func walk[P any, PP pageParams[P], T any](ctx context.Context, params *P, list func(context.Context, *P) (*Page[T], error)) iter.Seq2[T, error] {
	p := orZero(params)
	return allPages(ctx, *PP(&p).pageNumber(), func(ctx context.Context, page int) (*Page[T], error) {
		q := p
		*PP(&q).pageNumber() = page
		return list(ctx, &q)
	})
}

// orZero returns *p, or the zero value when p is nil; list methods use it to
// take a copy of the caller's params.
func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
