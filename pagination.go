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
// range of items on this page (0 on an empty page).
type Meta struct {
	CurrentPage Int `json:"current_page"`
	LastPage    Int `json:"last_page"`
	PerPage     Int `json:"per_page"`
	Total       Int `json:"total"`
	From        Int `json:"from"`
	To          Int `json:"to"`
}

// UnmarshalJSON reads the pagination object; any other value (null, an
// empty array in place of an object) leaves Meta zero instead of failing
// the answer.
func (m *Meta) UnmarshalJSON(b []byte) error {
	type plain Meta
	p := (*plain)(m)
	*p = plain{}
	return decodeObject(b, &p)
}

// Links holds the page URLs the API may send beside meta; any may be empty.
type Links struct {
	First string `json:"first"`
	Last  string `json:"last"`
	Prev  string `json:"prev"`
	Next  string `json:"next"`
}

// Page is one page of a list answer.
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

// UnmarshalJSON reads the links object; any other value (an array of page
// links, as some paginators send, or null) leaves Links zero instead of
// failing the answer.
func (l *Links) UnmarshalJSON(b []byte) error {
	type plain Links
	p := (*plain)(l)
	*p = plain{}
	return decodeObject(b, &p)
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
