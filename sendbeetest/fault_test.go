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
