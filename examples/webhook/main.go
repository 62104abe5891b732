// Command webhook is a Sendbee webhook receiver guarded by
// sendbee.WebhookMiddleware.
//
// With no arguments it serves on a loopback port, sends itself one signed
// and one forged request, prints the status each got, and exits 0 when the
// signed one was accepted and the forged one refused:
//
//	go run ./examples/webhook
//
// With -addr it serves there until interrupted, verifying requests with the
// API secret in SENDBEE_API_SECRET (the secret signs webhooks, not the key):
//
//	SENDBEE_API_SECRET=... go run ./examples/webhook -addr :8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
)

func main() {
	addr := flag.String("addr", "", "serve on this address until interrupted (secret from SENDBEE_API_SECRET); without it, run a self-test on a loopback port")
	flag.Parse()
	var err error
	if *addr != "" {
		err = serve(*addr, os.Getenv("SENDBEE_API_SECRET"))
	} else {
		err = selfTest()
	}
	if err != nil {
		log.Fatal(err)
	}
}

// newServer answers webhook requests at /sendbee that carry a token signed
// with secret.
func newServer(secret string) *http.Server {
	events := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		log.Printf("webhook received: %d bytes", len(body))
		w.WriteHeader(http.StatusOK)
	})
	mux := http.NewServeMux()
	mux.Handle("POST /sendbee", sendbee.WebhookMiddleware(secret)(events))
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}

func serve(addr, secret string) error {
	if secret == "" {
		return errors.New("set SENDBEE_API_SECRET to the API secret that signs your webhooks")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srv := newServer(secret)
	srv.Addr = addr
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	log.Printf("listening on %s, POST /sendbee", addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func selfTest() error {
	secret := os.Getenv("SENDBEE_API_SECRET")
	if secret == "" {
		secret = "example-secret"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := newServer(secret)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	url := "http://" + ln.Addr().String() + "/sendbee"
	signed, err := post(url, secret)
	if err != nil {
		return err
	}
	forged, err := post(url, "not-the-secret")
	if err != nil {
		return err
	}
	fmt.Println("signed request:", signed)
	fmt.Println("forged request:", forged)
	if signed != "200 OK" || forged != "401 Unauthorized" {
		return errors.New("the middleware did not tell the signed request from the forged one")
	}
	return nil
}

// post sends a webhook request signed with secret and returns the status it got.
func post(url, secret string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"example":true}`))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	sendbee.SignWebhookRequest(req, secret, time.Now())
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Status, nil
}
