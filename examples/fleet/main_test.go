package fleet_test

import (
	"context"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestMain silences go-redis's own logging of refused connections, which the
// tests that stop Redis provoke on purpose; the errors themselves reach the
// tests through Wait.
func TestMain(m *testing.M) {
	redis.SetLogger(silentLogger{})
	os.Exit(m.Run())
}

type silentLogger struct{}

func (silentLogger) Printf(context.Context, string, ...any) {}
