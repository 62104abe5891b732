package sendbeetest

import (
	"strconv"

	"github.com/sendbee/sendbee-go"
)

// paging is the page a list request asks for.
type paging struct {
	page, limit int
}

// paging reads page (default 1) and, where the endpoint takes one, limit
// (default the server's page size, at most MaxPageSize). A value that is not
// a positive integer, or a limit over the maximum, is a 422.
func (in *incoming) paging(takesLimit bool) (paging, error) {
	p := paging{page: 1, limit: in.pageSize}
	if v := in.query.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, invalid("The page must be an integer of at least 1.")
		}
		p.page = n
	}
	if v := in.query.Get("limit"); v != "" && takesLimit {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			return p, invalid("The limit must be an integer from 1 to 100.")
		}
		p.limit = n
	}
	return p, nil
}

// page cuts one page out of items and describes it with meta and links,
// as Laravel does: from and to are the 1-based positions of the page's
// first and last items (0 on an empty page), and links repeat the request's
// query with another page number (prev and next empty at the ends). A page
// past the end is empty, not an error.
func page[T any](in *incoming, items []T, p paging) listEnvelope[T] {
	total := len(items)
	lastPage := max(1, (total+p.limit-1)/p.limit)
	start := total
	if p.page-1 <= total/p.limit { // keeps (page-1)*limit from overflowing
		start = min((p.page-1)*p.limit, total)
	}
	end := min(start+p.limit, total)
	env := listEnvelope[T]{
		Data:  append(make([]T, 0, end-start), items[start:end]...),
		Meta:  wireMeta{CurrentPage: p.page, LastPage: lastPage, PerPage: p.limit, Total: total},
		Links: wireLinks{First: in.pageURL(1), Last: in.pageURL(lastPage)},
	}
	if end > start {
		env.Meta.From, env.Meta.To = sendbee.Ptr(start+1), sendbee.Ptr(end)
	}
	if p.page > 1 {
		env.Links.Prev = sendbee.Ptr(in.pageURL(min(p.page-1, lastPage)))
	}
	if p.page < lastPage {
		env.Links.Next = sendbee.Ptr(in.pageURL(p.page + 1))
	}
	return env
}

// serveList answers a list request with one page of what match returns.
// match runs under the store's lock; its error (such as an unknown
// conversation) is the answer instead.
func serveList[T any](s *Server, in *incoming, takesLimit bool, match func(st *store) ([]T, error)) (any, error) {
	p, err := in.paging(takesLimit)
	if err != nil {
		return nil, err
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	items, err := match(s.store)
	if err != nil {
		return nil, err
	}
	return page(in, items, p), nil
}

// filter returns copies, made by clone, of the items keep accepts, in order.
func filter[T any](items []T, keep func(T) bool, clone func(T) T) []T {
	var out []T
	for _, item := range items {
		if keep(item) {
			out = append(out, clone(item))
		}
	}
	return out
}

// pageURL is the request's URL on the server with page set to n.
func (in *incoming) pageURL(n int) string {
	q := in.url.Query()
	q.Set("page", strconv.Itoa(n))
	return in.base + in.url.Path + "?" + q.Encode()
}
