package sendbeetest

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sendbee/sendbee-go"
)

// store is the server's in-memory account: every resource the API serves.
// All access goes through mu.
type store struct {
	now func() time.Time

	mu            sync.Mutex
	lastID        int
	contacts      []sendbee.Contact
	tags          []sendbee.Tag
	fields        []sendbee.ContactField
	conversations []*conversation
	templates     []sendbee.Template
	teams         []sendbee.MemberTeam // team records: ID and name
	members       []sendbee.Member     // membership by team ID in Teams
	sent          int
}

func newStore(now func() time.Time) *store {
	st := &store{now: now}
	st.seedTemplates()
	st.seedTeams()
	return st
}

// newID returns the next ID, UUID-shaped and deterministic:
// "00000000-0000-4000-8000-000000000001", "…0002", and so on. The caller
// holds mu.
func (st *store) newID() string {
	st.lastID++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", st.lastID)
}

// stamp is the current time as the API writes it, "2006-01-02 15:04:05" in UTC.
func (st *store) stamp() sendbee.Time {
	return sendbee.Time{Time: st.now().UTC().Truncate(time.Second)}
}

// indexByID returns the position of the item whose id(item) is id, or -1.
func indexByID[T any](items []T, id string, idOf func(T) string) int {
	return slices.IndexFunc(items, func(item T) bool { return idOf(item) == id })
}

// findByID is indexByID for a request naming the item: an unknown id is
// the API's 404 for what ("Tag", "Contact field", …).
func findByID[T any](items []T, id string, idOf func(T) string, what string) (int, error) {
	i := indexByID(items, id, idOf)
	if i < 0 {
		return -1, notFound(what)
	}
	return i, nil
}
