package sendbeetest_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func TestRequestsRecordsEveryRequest(t *testing.T) {
	t.Parallel()
	clock := newManualClock(time.Now())
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithClock(clock.Now)})

	_, err := client.Contacts.List(context.Background(), &sendbee.ListContactsParams{Tags: []string{"vip", "new"}, SearchQuery: "Ana & Marko"})
	require.NoError(t, err)
	clock.Advance(time.Second)
	_, err = client.Tags.Create(context.Background(), sendbee.CreateTagParams{Name: "vip"})
	require.NoError(t, err)
	clock.Advance(time.Second)
	srv.FailNext(1, sendbeetest.Fault{Status: http.StatusInternalServerError})
	_, err = client.Tags.Delete(context.Background(), "tag-1")
	require.Error(t, err)
	unsigned := do(t, srv, http.MethodGet, "/nowhere?x=1", "", http.Header{})
	require.Equal(t, http.StatusUnauthorized, unsigned.Status)

	reqs := srv.Requests()
	require.Len(t, reqs, 4, "faulted and rejected requests are recorded too")

	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, "/contacts", reqs[0].Path)
	assert.Equal(t, url.Values{"tags": {"vip,new"}, "search_query": {"Ana & Marko"}}, reqs[0].Query)
	assert.Empty(t, reqs[0].Body)
	assert.Equal(t, srv.APIKey(), reqs[0].Header.Get("X-Api-Key"))
	assert.Equal(t, clock.Now().Add(-2*time.Second), reqs[0].Time)

	assert.Equal(t, http.MethodPost, reqs[1].Method)
	assert.Equal(t, "/contacts/tags", reqs[1].Path)
	assert.JSONEq(t, `{"name":"vip"}`, string(reqs[1].Body))
	assert.Equal(t, clock.Now().Add(-time.Second), reqs[1].Time)

	assert.Equal(t, http.MethodDelete, reqs[2].Method)
	assert.JSONEq(t, `{"id":"tag-1"}`, string(reqs[2].Body))

	assert.Equal(t, "/nowhere", reqs[3].Path)
	assert.Equal(t, url.Values{"x": {"1"}}, reqs[3].Query)
}

func TestRequestsReturnsACopy(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	_, err := client.Tags.Create(context.Background(), sendbee.CreateTagParams{Name: "vip"})
	require.NoError(t, err)

	first := srv.Requests()
	first[0].Body[0] = 'X'
	first[0].Header.Set("X-Api-Key", "changed")
	first[0].Query.Set("q", "changed")

	again := srv.Requests()[0]
	assert.JSONEq(t, `{"name":"vip"}`, string(again.Body))
	assert.Equal(t, srv.APIKey(), again.Header.Get("X-Api-Key"))
	assert.Empty(t, again.Query)
}
