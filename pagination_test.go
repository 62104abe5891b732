package sendbee

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPageHasNextNextPage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		items    int
		meta     Meta
		wantNext int // 0: HasNext is false
	}{
		{"first of three", 2, Meta{CurrentPage: 1, LastPage: 3}, 2},
		{"middle", 2, Meta{CurrentPage: 2, LastPage: 3}, 3},
		{"last", 2, Meta{CurrentPage: 3, LastPage: 3}, 0},
		{"past the last", 2, Meta{CurrentPage: 4, LastPage: 3}, 0},
		{"only page", 2, Meta{CurrentPage: 1, LastPage: 1}, 0},
		{"no meta", 2, Meta{}, 0},
		{"empty page before the last", 0, Meta{CurrentPage: 2, LastPage: 3}, 0},
		{"current page zero", 2, Meta{CurrentPage: 0, LastPage: 3}, 0},
		{"last page zero", 2, Meta{CurrentPage: 1, LastPage: 0}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &Page[Contact]{Items: make([]Contact, tc.items), Meta: tc.meta}
			assert.Equal(t, tc.wantNext != 0, p.HasNext())
			assert.Equal(t, tc.wantNext, p.NextPage())
		})
	}
}

// pages describes the list a pagedHandler serves.
type pages struct {
	last    int  // last_page in meta
	perPage int  // items on each page
	noMeta  bool // leave meta out
	emptyAt int  // from this page on data is empty (0: never)
	failAt  int  // this page answers 500 (0: never)
	// stuckAt makes every page from this one on claim to be this page
	// (a server or proxy that ignores the page parameter); 0: never.
	stuckAt int
}

// pageOf reads the page a request asked for; absent means 1.
func pageOf(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// pagedHandler answers list requests from spec, with items named
// "p<page>-<i>".
func pagedHandler(spec pages) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page := pageOf(r)
		if page == spec.failAt {
			respond(http.StatusInternalServerError, `{"error":{"detail":"boom","type":"server_error"}}`)(w, r)
			return
		}
		current := page
		if spec.stuckAt != 0 && page >= spec.stuckAt {
			current = spec.stuckAt
		}
		var items []string
		if spec.emptyAt == 0 || page < spec.emptyAt {
			for i := range spec.perPage {
				items = append(items, fmt.Sprintf(`{"id":"p%d-%d","name":"item %d"}`, current, i, i))
			}
		}
		body := `{"data":[` + strings.Join(items, ",") + `]`
		if !spec.noMeta {
			body += fmt.Sprintf(`,"meta":{"current_page":%d,"last_page":%d,"per_page":%d}`, current, spec.last, spec.perPage)
		}
		respond(http.StatusOK, body+"}")(w, r)
	}
}

// collectIDs ranges over seq, returning the IDs and the errors it yielded.
func collectIDs[T interface{ id() string }](seq func(yield func(T, error) bool)) (ids []string, errs []error) {
	for item, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, item.id())
	}
	return ids, errs
}

func (c Contact) id() string      { return c.ID }
func (t Tag) id() string          { return t.ID }
func (f ContactField) id() string { return f.ID }

func requestedPages(reqs []wireRequest) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Query.Get("page"))
	}
	return out
}

// TestAllWalksEveryPage checks each service's All: every item of every
// page, in order, with exactly last_page requests.
func TestAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	want := []string{"p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"}
	cases := []struct {
		name string
		all  func(c *Client) ([]string, []error)
	}{
		{"Contacts", func(c *Client) ([]string, []error) { return collectIDs(c.Contacts.All(context.Background(), nil)) }},
		{"Tags", func(c *Client) ([]string, []error) { return collectIDs(c.Tags.All(context.Background(), nil)) }},
		{"ContactFields", func(c *Client) ([]string, []error) {
			return collectIDs(c.ContactFields.All(context.Background(), nil))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, pagedHandler(pages{last: 3, perPage: 2}))
			ids, errs := tc.all(c)
			assert.Empty(t, errs)
			assert.Equal(t, want, ids)
			assert.Equal(t, []string{"", "2", "3"}, requestedPages(srv.Requests()), "exactly last_page requests")
		})
	}
}

func TestAllStartsAtParamsPage(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 3, perPage: 1}))
	ids, errs := collectIDs(c.Contacts.All(context.Background(), &ListContactsParams{ListOptions: ListOptions{Page: 2}}))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"p2-0", "p3-0"}, ids)
	assert.Equal(t, []string{"2", "3"}, requestedPages(srv.Requests()))
}

func TestAllStopsOnEmptyPage(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 5, perPage: 2, emptyAt: 3}))
	ids, errs := collectIDs(c.Contacts.All(context.Background(), nil))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"p1-0", "p1-1", "p2-0", "p2-1"}, ids)
	assert.Equal(t, []string{"", "2", "3"}, requestedPages(srv.Requests()), "no request after the empty page")
}

func TestAllWithoutMetaIsOnePage(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{perPage: 3, noMeta: true}))
	ids, errs := collectIDs(c.Contacts.All(context.Background(), nil))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"p1-0", "p1-1", "p1-2"}, ids)
	assert.Len(t, srv.Requests(), 1)
}

// TestAllCopiesParams checks that All neither changes the caller's params
// nor sees the caller's later changes to them.
func TestAllCopiesParams(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 3, perPage: 1}))
	params := &ListContactsParams{ListOptions: ListOptions{Limit: 1}, Status: ContactSubscribed, SearchQuery: "ana", Tags: []string{"a", "b"}}
	before := *params
	before.Tags = []string{"a", "b"}

	for range c.Contacts.All(context.Background(), params) {
		params.SearchQuery = "changed while iterating"
		params.Page = 99
		params.Tags[0] = "CHANGED"
	}
	params.SearchQuery, params.Page, params.Tags[0] = before.SearchQuery, before.Page, before.Tags[0]
	assert.Equal(t, before, *params)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, "ana", r.Query.Get("search_query"))
		assert.Equal(t, "a,b", r.Query.Get("tags"))
		assert.Equal(t, "subscribed", r.Query.Get("status"))
		assert.Equal(t, "1", r.Query.Get("limit"))
	}
}

func TestAllLeavesCallerParamsUnchanged(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, pagedHandler(pages{last: 3, perPage: 1}))
	params := &ListTagsParams{Name: "vip"}
	ids, errs := collectIDs(c.Tags.All(context.Background(), params))
	assert.Empty(t, errs)
	assert.Len(t, ids, 3)
	assert.Equal(t, ListTagsParams{Name: "vip"}, *params)
}

// TestAllYieldsErrorOnceAndStops: a failing page yields one error after
// the earlier pages' items, and no further request is made.
func TestAllYieldsErrorOnceAndStops(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 4, perPage: 2, failAt: 2}))
	ids, errs := collectIDs(c.Contacts.All(context.Background(), nil))
	assert.Equal(t, []string{"p1-0", "p1-1"}, ids)
	require.Len(t, errs, 1)
	var apiErr *APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, []string{"", "2"}, requestedPages(srv.Requests()))
}

// TestAllErrorItemIsZero: the item yielded with an error is the zero value.
func TestAllErrorItemIsZero(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, pagedHandler(pages{last: 1, perPage: 1, failAt: 1}))
	for item, err := range c.Tags.All(context.Background(), nil) {
		require.Error(t, err)
		assert.Equal(t, Tag{}, item)
	}
}

func TestAllStopsWhenConsumerBreaks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		takeItems int
		wantPages []string
	}{
		{"after the first item", 1, []string{""}},
		{"after the last item of page one", 2, []string{""}},
		{"after the first item of page two", 3, []string{"", "2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, pagedHandler(pages{last: 5, perPage: 2}))
			n := 0
			for _, err := range c.Contacts.All(context.Background(), nil) {
				require.NoError(t, err)
				n++
				if n == tc.takeItems {
					break
				}
			}
			assert.Equal(t, tc.wantPages, requestedPages(srv.Requests()))
		})
	}
}

// TestAllFetchesOnePageAtATime records, for each item the consumer
// receives, how many requests the server had seen: page N+1 is fetched only
// after the consumer took every item of page N.
func TestAllFetchesOnePageAtATime(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 3, perPage: 2}))
	var seen []int
	for _, err := range c.Contacts.All(context.Background(), nil) {
		require.NoError(t, err)
		seen = append(seen, len(srv.Requests()))
	}
	assert.Equal(t, []int{1, 1, 2, 2, 3, 3}, seen)
}

// TestAllRangedTwiceStartsOver: an iterator may be ranged again, and walks
// from the start page again.
func TestAllRangedTwiceStartsOver(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 2, perPage: 1}))
	seq := c.Contacts.All(context.Background(), nil)
	first, _ := collectIDs(seq)
	second, _ := collectIDs(seq)
	assert.Equal(t, []string{"p1-0", "p2-0"}, first)
	assert.Equal(t, first, second)
	assert.Equal(t, []string{"", "2", "", "2"}, requestedPages(srv.Requests()))
}

// TestAllStopsWhenServerIgnoresPage guards against a server (or proxy) that
// answers every page request with the same page: All must not loop
// forever, and says why it stopped.
func TestAllStopsWhenServerIgnoresPage(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 5, perPage: 1, stuckAt: 2}))
	var ids []string
	var errs []error
	for item, err := range c.Contacts.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, item.ID)
		require.Less(t, len(ids), 10, "All keeps requesting the same page")
	}
	assert.Equal(t, []string{"p1-0", "p2-0"}, ids)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "page 3")
	assert.Equal(t, []string{"", "2", "3"}, requestedPages(srv.Requests()))
}

// TestAllRangedConcurrently ranges one iterator from several goroutines at
// once: each walk must see every page exactly once (the race detector
// catches shared state between the walks).
func TestAllRangedConcurrently(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, pagedHandler(pages{last: 3, perPage: 2}))
	seq := c.Contacts.All(context.Background(), &ListContactsParams{Status: ContactSubscribed})
	const walkers = 8
	results := make([][]string, walkers)
	var wg sync.WaitGroup
	for i := range walkers {
		wg.Go(func() {
			results[i], _ = collectIDs(seq)
		})
	}
	wg.Wait()
	for i := range walkers {
		assert.Equal(t, []string{"p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"}, results[i], "walker %d", i)
	}
}

// TestAllStopsWhenContextIsCancelled: cancelling the context between pages
// yields context.Canceled once, and the next page is never requested.
func TestAllStopsWhenContextIsCancelled(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, pagedHandler(pages{last: 3, perPage: 1}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var ids []string
	var errs []error
	for tag, err := range c.Tags.All(ctx, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, tag.ID)
		cancel()
	}

	assert.Equal(t, []string{"p1-0"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, srv.Requests(), 1, "a page was requested after the context ended")
}
