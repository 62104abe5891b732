package sendbeetest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

var hello = sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hello"}

func TestFaultStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      sendbeetest.Fault
		status     int
		errType    string
		detail     string
		retryAfter time.Duration
	}{
		{"server error", sendbeetest.Fault{Status: 503}, 503, "server_error", "injected failure (sendbeetest)", 0},
		{"rate limited with Retry-After", sendbeetest.Fault{Status: 429, RetryAfter: 1500 * time.Millisecond}, 429, "rate_limit_exceeded", "Too Many Attempts.", 2 * time.Second},
		{"own body", sendbeetest.Fault{Status: 502, Body: `{"error":{"detail":"upstream down","type":"gateway"}}`}, 502, "gateway", "upstream down", 0},
		{"body that is not JSON", sendbeetest.Fault{Status: 502, Body: "<html>Bad Gateway</html>"}, 502, "", "Bad Gateway", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newServer(t, nil)
			srv.FailNext(1, tt.fault)

			_, err := client.Messages.Send(context.Background(), hello)
			var apiErr *sendbee.APIError
			require.True(t, errors.As(err, &apiErr), "error %v is not an *APIError", err)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.errType, apiErr.Type)
			assert.Equal(t, tt.detail, apiErr.Detail)
			assert.Equal(t, tt.retryAfter, apiErr.RetryAfter)
			assert.Zero(t, srv.SentCount(), "a Status fault must not process the request")

			_, err = client.Messages.Send(context.Background(), hello)
			require.NoError(t, err, "normal service resumes after the fault")
			assert.Equal(t, 1, srv.SentCount())
		})
	}
}

func TestFaultDropBeforeProcessing(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(1, sendbeetest.Fault{DropBeforeProcessing: true})

	_, err := client.Messages.Send(context.Background(), hello)
	assert.ErrorIs(t, err, sendbee.ErrOutcomeUnknown)
	var apiErr *sendbee.APIError
	assert.False(t, errors.As(err, &apiErr), "a dropped connection has no HTTP answer")
	assert.Zero(t, srv.SentCount(), "state unchanged")
	assert.Empty(t, srv.Contacts(), "state unchanged")
	assert.Len(t, srv.Requests(), 1, "the request still reached the server")
}

func TestFaultDropAfterProcessing(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(1, sendbeetest.Fault{DropAfterProcessing: true})

	_, err := client.Messages.Send(context.Background(), hello)
	assert.ErrorIs(t, err, sendbee.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.SentCount(), "the message was sent although the client could not know")
	require.Len(t, srv.Conversations(), 1)
	assert.Len(t, srv.Messages(srv.Conversations()[0].ID), 1)
}

func TestFaultDelayHonoursClientTimeout(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil, sendbee.WithTimeout(50*time.Millisecond))
	srv.FailNext(1, sendbeetest.Fault{Delay: time.Hour})

	_, err := client.Messages.Send(context.Background(), hello)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the client's timeout ends the call, not the hour's delay")
	assert.ErrorIs(t, err, sendbee.ErrOutcomeUnknown)
	srv.Close() // waits for the abandoned request's handler to return
	assert.Zero(t, srv.SentCount(), "a request abandoned during its delay is not processed")
}

func TestFaultDelayThenServe(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(1, sendbeetest.Fault{Delay: time.Millisecond})

	sent, err := client.Messages.Send(context.Background(), hello)
	require.NoError(t, err)
	assert.Equal(t, "queued", sent.Status)
	assert.Equal(t, 1, srv.SentCount())
}

func TestFaultMalformed(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(1, sendbeetest.Fault{Malformed: true})

	_, err := client.Contacts.Subscribe(context.Background(), sendbee.SubscribeContactParams{Phone: "+385991234567"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decoding the answer")
	var apiErr *sendbee.APIError
	assert.False(t, errors.As(err, &apiErr), "a 200 with a broken body is not an API error")
	assert.Len(t, srv.Contacts(), 1, "a Malformed fault processes the request")
}

func TestFaultBodyReplacesAProcessedAnswer(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(1, sendbeetest.Fault{Body: `{"data":{"id":"injected","name":"from the fault"},"warning":"odd"}`})

	tag, err := client.Tags.Create(context.Background(), sendbee.CreateTagParams{Name: "vip"})
	require.NoError(t, err)
	require.NotNil(t, tag.Response)
	assert.Equal(t, "odd", tag.Response.Warning, "the injected warning reaches the tag's Response")
	tag.Response = nil
	assert.Equal(t, sendbee.Tag{ID: "injected", Name: "from the fault"}, *tag, "the client saw the injected body")
	assert.Len(t, srv.Tags(), 1, "the request was processed")

	// An injected answer with no object: the server acted, so a create
	// reports its outcome as unknown rather than "not created".
	srv.FailNext(1, sendbeetest.Fault{Body: `{"data":[]}`})
	_, err = client.Tags.Create(context.Background(), sendbee.CreateTagParams{Name: "vip2"})
	require.ErrorIs(t, err, sendbee.ErrOutcomeUnknown)
	assert.Len(t, srv.Tags(), 2, "the request was processed")
}

func TestFailNextCountsAndQueues(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(2, sendbeetest.Fault{Status: http.StatusServiceUnavailable})
	srv.FailNext(1, sendbeetest.Fault{Status: http.StatusNotFound})
	srv.FailNext(0, sendbeetest.Fault{Status: http.StatusTeapot})

	var statuses []int
	for range 4 {
		_, err := client.Tags.List(context.Background(), nil)
		var apiErr *sendbee.APIError
		if errors.As(err, &apiErr) {
			statuses = append(statuses, apiErr.StatusCode)
		} else {
			require.NoError(t, err)
			statuses = append(statuses, http.StatusOK)
		}
	}
	assert.Equal(t, []int{503, 503, 404, 200}, statuses)
}

func TestCloseEndsDelays(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailNext(1, sendbeetest.Fault{Delay: time.Hour})
	done := make(chan error, 1)
	go func() {
		_, err := client.Messages.Send(context.Background(), hello)
		done <- err
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 10*time.Second, time.Millisecond, "the send reached the server")

	srv.Close() // returns although the request is held for an hour
	assert.Error(t, <-done)
	assert.Zero(t, srv.SentCount())
}

const sendPath = "/conversations/messages/send"

// TestFailRouteCountsOnlyItsRoute: a route fault waits through requests to
// other routes and applies to the route's requests in order; a zero Fault
// lets one through.
func TestFailRouteCountsOnlyItsRoute(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()
	srv.FailRoute(http.MethodPost, sendPath, sendbeetest.Fault{}, sendbeetest.Fault{Status: http.StatusServiceUnavailable})

	for range 3 { // calls to other routes do not use the send's faults up
		_, err := client.Contacts.List(ctx, nil)
		require.NoError(t, err)
		_, err = client.Templates.Send(ctx, sendbee.SendTemplateParams{Phone: "+385991234567", TemplateKeyword: sendbeetest.TemplateWelcome, Language: "en", Tags: map[string]string{"1": "Ana", "2": "Sendbee"}})
		require.NoError(t, err)
	}
	_, err := client.Messages.Send(ctx, hello)
	require.NoError(t, err, "the first send passes (zero Fault)")
	_, err = client.Messages.Send(ctx, hello)
	var apiErr *sendbee.APIError
	require.ErrorAs(t, err, &apiErr, "the second send fails")
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	_, err = client.Messages.Send(ctx, hello)
	require.NoError(t, err, "then the route is served normally")
	assert.Equal(t, 3+2, srv.SentCount(), "three templates and two messages were sent")
}

// TestFailRouteBeforeFailNext: a request whose route has a fault waiting
// takes it and leaves the FailNext queue alone; others take FailNext's.
func TestFailRouteBeforeFailNext(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()
	srv.FailNext(1, sendbeetest.Fault{Status: http.StatusBadGateway})
	srv.FailRoute(http.MethodPost, sendPath, sendbeetest.Fault{Status: http.StatusServiceUnavailable})

	_, err := client.Messages.Send(ctx, hello)
	assert.Equal(t, http.StatusServiceUnavailable, statusOf(t, err), "the route's fault wins")
	_, err = client.Messages.Send(ctx, hello)
	assert.Equal(t, http.StatusBadGateway, statusOf(t, err), "FailNext's fault was left for the next request")
	_, err = client.Messages.Send(ctx, hello)
	require.NoError(t, err)

	srv.FailNext(1, sendbeetest.Fault{Status: http.StatusBadGateway})
	srv.FailRoute(http.MethodPost, sendPath, sendbeetest.Fault{})
	_, err = client.Messages.Send(ctx, hello)
	require.NoError(t, err, "a zero route Fault is taken instead of FailNext's")
	_, err = client.Contacts.List(ctx, nil)
	assert.Equal(t, http.StatusBadGateway, statusOf(t, err), "another route takes FailNext's fault")
}

// TestFailRouteMatching: the method ignores case, the path ignores a
// trailing slash and is matched without the query; another method on the
// same path, or another path, is another route.
func TestFailRouteMatching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		hits               bool
	}{
		{"exact", http.MethodGet, "/conversation", true},
		{"lower-case method", "get", "/conversation", true},
		{"trailing slash", http.MethodGet, "/conversation/", true},
		{"other method", http.MethodPost, "/conversation", false},
		{"other path", http.MethodGet, "/conversations", false},
		{"with a query", http.MethodGet, "/conversation?conversation_id=x", true},
		{"with a query and a trailing slash", http.MethodGet, "/conversation/?x=1", true},
		{"other path with a query", http.MethodGet, "/conversations?x=1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newServer(t, nil)
			conv := srv.AddInboundMessage("+385991234567", "Hi")
			srv.FailRoute(tc.method, tc.path, sendbeetest.Fault{Status: http.StatusTeapot})

			_, err := client.Conversations.Get(context.Background(), conv.ID)
			if tc.hits {
				assert.Equal(t, http.StatusTeapot, statusOf(t, err))
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

// TestFailRouteQueuesAndIgnoresNoFaults: calls for one route queue; a call
// without faults does nothing.
func TestFailRouteQueuesAndIgnoresNoFaults(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()
	srv.FailRoute(http.MethodPost, sendPath)
	srv.FailRoute(http.MethodPost, sendPath, sendbeetest.Fault{Status: 500})
	srv.FailRoute(http.MethodPost, sendPath, sendbeetest.Fault{Status: 502})

	_, err := client.Messages.Send(ctx, hello)
	assert.Equal(t, 500, statusOf(t, err))
	_, err = client.Messages.Send(ctx, hello)
	assert.Equal(t, 502, statusOf(t, err))
	_, err = client.Messages.Send(ctx, hello)
	assert.NoError(t, err)
}

// TestFailRouteDropAfterProcessing: route faults act like FailNext's: the
// send is stored, and the client cannot know.
func TestFailRouteDropAfterProcessing(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.FailRoute(http.MethodPost, sendPath, sendbeetest.Fault{DropAfterProcessing: true})

	_, err := client.Messages.Send(context.Background(), hello)
	assert.ErrorIs(t, err, sendbee.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.SentCount())
}

// TestFailRouteConcurrent: faults aimed at a route are each taken exactly
// once when many requests race for them.
func TestFailRouteConcurrent(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	const n = 20
	faults := make([]sendbeetest.Fault, n/2)
	for i := range faults {
		faults[i] = sendbeetest.Fault{Status: http.StatusServiceUnavailable}
	}
	srv.FailRoute(http.MethodPost, sendPath, faults...)

	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := client.Messages.Send(context.Background(), hello)
			errs <- err
		}()
	}
	failed := 0
	for range n {
		if <-errs != nil {
			failed++
		}
	}
	assert.Equal(t, n/2, failed)
	assert.Equal(t, n/2, srv.SentCount())
}

// statusOf returns the HTTP status of an *APIError, failing otherwise.
func statusOf(t *testing.T, err error) int {
	t.Helper()
	var apiErr *sendbee.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr.StatusCode
}
