package fleet_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go/examples/fleet"
)

// oddRedis is a server that speaks just enough of Redis's protocol to be
// connected to, and answers every command but HELLO with reply, verbatim.
// It returns its address and how many scripts (EVALSHA or EVAL) it was sent.
func oddRedis(t *testing.T, reply string) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	scripts := &atomic.Int64{}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveOdd(conn, reply, scripts)
		}
	}()
	return ln.Addr().String(), scripts
}

// serveOdd answers each command read from conn until it closes, counting
// the scripts in scripts.
func serveOdd(conn net.Conn, reply string, scripts *atomic.Int64) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		args, err := readCommand(r)
		if err != nil {
			return
		}
		answer := reply
		if strings.HasPrefix(strings.ToUpper(args[0]), "EVAL") {
			scripts.Add(1)
		}
		if strings.EqualFold(args[0], "HELLO") {
			answer = "-ERR unknown command 'HELLO'\r\n" // go-redis then speaks RESP2
		}
		if _, err := conn.Write([]byte(answer)); err != nil {
			return
		}
	}
}

// readCommand reads one command, an array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "*")))
	if err != nil || n <= 0 {
		return nil, errors.New("not an array")
	}
	args := make([]string, n)
	for i := range args {
		head, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(head, "$")))
		if err != nil || size < 0 {
			return nil, errors.New("not a bulk string")
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		args[i] = string(buf[:size])
	}
	return args, nil
}

// TestLimiterOddReplies points the limiter at a server whose replies are
// not what the rate-limit script returns: an error reply, a number where an
// array belongs, an array of the wrong types. Each is an error matching
// ErrRedis, never a panic, and fail-open lets the request go.
func TestLimiterOddReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply string
		want  string
	}{
		{"error reply", "-ERR out of luck\r\n", "shared rate limit: Redis call failed: ERR out of luck"},
		{"number for an array", ":1\r\n", "shared rate limit: Redis call failed: unreadable reply: "},
		{"array of the wrong types", "*4\r\n$1\r\nx\r\n$1\r\ny\r\n:1\r\n:2\r\n", "shared rate limit: Redis call failed: unreadable reply: "},
		{"short array", "*1\r\n:1\r\n", "shared rate limit: Redis call failed: unreadable reply: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, _ := oddRedis(t, tt.reply)
			for _, failOpen := range []bool{false, true} {
				var reported error
				l, err := fleet.NewLimiter(newRedisClient(t, addr, true), "odd", fleet.Limit{Rate: 1, Period: time.Second, Burst: 1},
					modeOptions(failOpen, func(err error) { reported = err })...)
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(t.Context(), guard)
				err = l.Wait(ctx)
				cancel()
				if failOpen {
					require.NoError(t, err)
					err = reported
				}
				require.ErrorIs(t, err, fleet.ErrRedis, mode(failOpen))
				assert.True(t, strings.HasPrefix(err.Error(), tt.want), "%s: %q", mode(failOpen), err)
			}
		})
	}
}

// TestLimiterRefusalWithoutWait points the limiter at a server that refuses
// the slot with a wait that is not positive (negative, zero, or a wait too
// long for a time.Duration, which wraps negative): the limiter waits the
// spacing of one slot, an hour here, so with a deadline seconds away it
// returns at once, having asked once, instead of asking again every
// millisecond until the deadline.
func TestLimiterRefusalWithoutWait(t *testing.T) {
	t.Parallel()
	for name, retryAfter := range map[string]string{"negative": "-5", "zero": "0", "past a Duration": "1e300"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			reply := "*4\r\n:0\r\n:0\r\n$" + strconv.Itoa(len(retryAfter)) + "\r\n" + retryAfter + "\r\n$1\r\n0\r\n"
			addr, scripts := oddRedis(t, reply)
			l, err := fleet.NewLimiter(newRedisClient(t, addr, true), "odd", fleet.Limit{Rate: 1, Period: time.Hour, Burst: 1})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			err = l.Wait(ctx)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "past the context's deadline")
			assert.NoError(t, ctx.Err(), "Wait returned before the deadline")
			assert.Equal(t, int64(1), scripts.Load(), "scripts sent to Redis")
		})
	}
}
