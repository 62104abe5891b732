package redistest

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// recordingTB stands in for a test: it records how New ended it, and ends
// New's goroutine as Fatal and Skip end a test's.
type recordingTB struct {
	testing.TB
	how, msg string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Fatal(args ...any) {
	r.how, r.msg = "fatal", fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recordingTB) Skip(args ...any) {
	r.how, r.msg = "skip", fmt.Sprint(args...)
	runtime.Goexit()
}

// TestNewWithoutRedisServer checks what New does when redis-server is not
// on PATH: fail the test under CI=true, skip it with a message saying how
// to install it otherwise.
func TestNewWithoutRedisServer(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tt := range []struct{ ci, want string }{{"true", "fatal"}, {"", "skip"}, {"false", "skip"}} {
		t.Setenv("CI", tt.ci)
		rec := &recordingTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			New(rec)
		}()
		<-done
		if rec.how != tt.want {
			t.Errorf("CI=%q: New ended the test with %q, want %q", tt.ci, rec.how, tt.want)
		}
		if want := "redis-server is not installed (apt-get install -y redis-server)"; len(rec.msg) < len(want) || rec.msg[:len(want)] != want {
			t.Errorf("CI=%q: message %q", tt.ci, rec.msg)
		}
	}
}

// TestStartAndStop starts a real server, checks that it answers PING, and
// that Stop ends the process, after which it no longer answers.
func TestStartAndStop(t *testing.T) {
	t.Parallel()
	s := New(t)
	if err := ping(t.Context(), s.Addr); err != nil {
		t.Fatalf("PING: %v", err)
	}
	s.Stop()
	s.Stop() // a second Stop does nothing
	if err := ping(t.Context(), s.Addr); err == nil {
		t.Error("the server still answers after Stop")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.awaitPong(ctx); err == nil {
		t.Error("awaitPong on a stopped server reported success")
	}
}
