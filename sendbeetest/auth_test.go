package sendbeetest_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func TestAuthRejectsBadCredentials(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	good := sendbee.GenerateToken(srv.APISecret(), now)

	tests := []struct {
		name       string
		key, token string
	}{
		{"no key", "", good},
		{"wrong key", "other-key", good},
		{"no token", srv.APIKey(), ""},
		{"token not base64", srv.APIKey(), "%%%not-base64%%%"},
		{"token without a dot", srv.APIKey(), base64.StdEncoding.EncodeToString([]byte("1800000000"))},
		{"token with letters for a time", srv.APIKey(), base64.StdEncoding.EncodeToString([]byte("18000000ab.00"))},
		{"token signed with another secret", srv.APIKey(), sendbee.GenerateToken("other-secret", now)},
		{"token 61 s old", srv.APIKey(), sendbee.GenerateToken(srv.APISecret(), now.Add(-61*time.Second))},
		{"token 61 s ahead", srv.APIKey(), sendbee.GenerateToken(srv.APISecret(), now.Add(61*time.Second))},
		{"token with a forged signature", srv.APIKey(), base64.StdEncoding.EncodeToString([]byte("1800000000.0000000000000000000000000000000000000000000000000000000000000000"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			h.Set("X-Api-Key", tt.key)
			h.Set("X-Auth-Token", tt.token)
			resp := do(t, srv, http.MethodGet, "/contacts", "", h)
			assert.Equal(t, http.StatusUnauthorized, resp.Status)
			e := nestedError(t, resp)
			assert.Equal(t, "unauthorized", e.Error.Type)
			assert.NotEmpty(t, e.Error.Detail)
			for _, secret := range []string{srv.APISecret(), good} {
				assert.NotContains(t, string(resp.Body), secret, "the error body repeats a credential")
			}
		})
	}
}

func TestAuthAcceptsTokensWithinAMinute(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	for _, offset := range []time.Duration{-60 * time.Second, 0, 60 * time.Second} {
		resp := do(t, srv, http.MethodGet, "/contacts", "", signed(srv, now.Add(offset)))
		assert.Equal(t, http.StatusOK, resp.Status, "token signed %s from the server's clock: %s", offset, resp.Body)
	}
}

func TestAuthThroughTheClient(t *testing.T) {
	t.Parallel()
	srv := sendbeetest.NewServer(sendbeetest.WithCredentials("my-key", "my-secret"))
	t.Cleanup(srv.Close)
	assert.Equal(t, "my-key", srv.APIKey())
	assert.Equal(t, "my-secret", srv.APISecret())

	good, err := srv.Client(sendbee.WithMaxRetries(0))
	require.NoError(t, err)
	_, err = good.Tags.List(context.Background(), nil)
	require.NoError(t, err, "the server's own client is accepted")

	wrong, err := sendbee.NewClient("my-key", "not-my-secret", sendbee.WithBaseURL(srv.URL), sendbee.WithMaxRetries(0))
	require.NoError(t, err)
	_, err = wrong.Tags.List(context.Background(), nil)
	assert.ErrorIs(t, err, sendbee.ErrUnauthorized)
	var apiErr *sendbee.APIError
	require.True(t, errors.As(err, &apiErr), "error %v is not an *APIError", err)
	assert.Equal(t, "unauthorized", apiErr.Type)
	assert.NotContains(t, err.Error(), "not-my-secret")
}
