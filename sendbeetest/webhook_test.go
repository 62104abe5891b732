package sendbeetest_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func TestSignWebhook(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	srv := sendbeetest.NewServer(sendbeetest.WithCredentials("", "test-secret"), sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)

	req := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(`{"type":"message.received"}`))
	srv.SignWebhook(req)

	token := req.Header.Get("X-Authorization")
	// Known-answer vector 1 of TestGenerateTokenKnownAnswers (auth_test.go).
	assert.Equal(t, "MTcwMDAwMDAwMC4xYjc0ZWFmODdkYTQ2ODc3YmE2NTFhYzgxMmIyNGEzYmYwMTk5MGU5ZWQwMTAxYjg4MjY4ZjYwZjk2NTcyOWUy", token)
	assert.Equal(t, sendbee.GenerateToken(srv.APISecret(), now), token)
	assert.NoError(t, sendbee.VerifyWebhookToken(token, srv.APISecret(), sendbee.WithWebhookClock(func() time.Time { return now })))
	assert.ErrorIs(t, sendbee.VerifyWebhookToken(token, "other-secret", sendbee.WithWebhookClock(func() time.Time { return now })), sendbee.ErrWebhookSignature)
	assert.Empty(t, req.Header.Get("X-Auth-Token"), "webhooks carry X-Authorization, not X-Auth-Token")
	assert.Empty(t, srv.Requests(), "signing sends nothing")
}

func TestSignedWebhookPassesTheMiddleware(t *testing.T) {
	t.Parallel()
	srv := sendbeetest.NewServer() // the real clock: the middleware checks against time.Now
	t.Cleanup(srv.Close)
	quiet := sendbee.WithWebhookLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	handler := sendbee.WebhookMiddleware(srv.APISecret(), quiet)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))

	signed := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(`{}`))
	srv.SignWebhook(signed)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, signed)
	assert.Equal(t, http.StatusNoContent, rec.Code)

	unsigned := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(`{}`))
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, unsigned)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
}
