package sendbee_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
)

func ExampleVerifyWebhookToken() {
	// The API secret, not the API key, signs webhooks.
	secret := "test-secret"
	sent := time.Unix(1700000000, 0)
	// What Sendbee puts in the X-Authorization header at that time.
	token := sendbee.GenerateToken(secret, sent)

	// A fixed clock keeps this example reproducible; leave it out in production.
	twoMinutesLater := sendbee.WithWebhookClock(func() time.Time { return sent.Add(2 * time.Minute) })
	fmt.Println(sendbee.VerifyWebhookToken(token, secret, twoMinutesLater))

	err := sendbee.VerifyWebhookToken(token, "not-the-secret", twoMinutesLater)
	fmt.Println(errors.Is(err, sendbee.ErrWebhookSignature))

	anHourLater := sendbee.WithWebhookClock(func() time.Time { return sent.Add(time.Hour) })
	err = sendbee.VerifyWebhookToken(token, secret, anHourLater)
	fmt.Println(errors.Is(err, sendbee.ErrWebhookExpired))
	// Output:
	// <nil>
	// true
	// true
}

func ExampleWebhookMiddleware() {
	secret := "test-secret"
	sent := time.Unix(1700000000, 0)

	events := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body) // at most 1 MiB unless WithWebhookMaxBodySize says otherwise
		if err != nil {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Printf("handler got %s\n", body)
	})
	guarded := sendbee.WebhookMiddleware(secret,
		// A fixed clock keeps this example reproducible; leave it out in production.
		sendbee.WithWebhookClock(func() time.Time { return sent.Add(time.Second) }),
		sendbee.WithWebhookLogger(slog.New(slog.DiscardHandler)),
	)(events)
	// In a server: mux.Handle("POST /sendbee", guarded)

	for _, signedWith := range []string{secret, "forged"} {
		req := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(`{"example":true}`))
		sendbee.SignWebhookRequest(req, signedWith, sent)
		rec := httptest.NewRecorder()
		guarded.ServeHTTP(rec, req)
		fmt.Printf("signed with %q: %d %q\n", signedWith, rec.Code, rec.Body.String())
	}
	// Output:
	// handler got {"example":true}
	// signed with "test-secret": 200 ""
	// signed with "forged": 401 ""
}
