package fleet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go/examples/fleet/internal/redistest"
	"github.com/sendbee/sendbee-go/examples/fleet/internal/worker"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// fleetSize and perWorker make the fleet of TestFleetOfProcesses: 4
// processes of 20 messages each, about 4 seconds at 19 a second.
const (
	fleetSize = 4
	perWorker = 20
)

// TestFleetOfProcesses builds cmd/worker and runs 4 worker processes at
// once against one fake API that allows 20 requests a second and one real
// redis-server. With the shared limiter (19 a second, burst 1) the fake
// answers no 429 and stores every message exactly once. With a limiter of
// each process's own at the same rate, the 4 together go about four times
// faster than the fake allows and meet 429s, which is the problem the
// shared limiter solves; the client waits those out, so nothing is stored
// twice there either. It asserts counts, never times.
func TestFleetOfProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the worker and runs fleets of processes")
	}
	bin := buildWorker(t)
	rds := redistest.New(t)
	tests := []struct {
		name    string
		limiter string
		check   func(t *testing.T, api *sendbeetest.Server, reports []worker.Report, codes []int)
	}{
		{"shared", "redis", func(t *testing.T, api *sendbeetest.Server, reports []worker.Report, codes []int) {
			assert.Equal(t, fleetSize*perWorker, len(api.Requests()), "every request the fake received")
			assert.Equal(t, fleetSize*perWorker, api.SentCount(), "every send the fake processed")
			for i, rep := range reports {
				assert.Equal(t, 0, codes[i], "worker %d's exit code", i)
				assert.Equal(t, perWorker, rep.Sent, "worker %d", i)
				assert.Zero(t, rep.Failed, "worker %d: %s", i, rep.FirstError)
				assert.Zero(t, rep.Responses429, "worker %d", i)
			}
		}},
		{"unshared", "local", func(t *testing.T, api *sendbeetest.Server, reports []worker.Report, _ []int) {
			rejected := len(api.Requests()) - api.SentCount()
			assert.Positive(t, rejected, "429s at the fake: processes pacing themselves alone overrun the shared limit")
			seen := 0
			for _, rep := range reports {
				seen += rep.Responses429
			}
			assert.Equal(t, rejected, seen, "the workers met every 429 the fake answered")
			t.Logf("unshared: the fake answered %d requests with 429", rejected)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := sendbeetest.NewServer(sendbeetest.WithRateLimitPeriod(fakeLimit, time.Second))
			t.Cleanup(api.Close)
			reports, codes := runFleet(t, bin, api, rds.Addr, tt.limiter)
			tt.check(t, api, reports, codes)

			sent := 0
			var all []string
			for i, rep := range reports {
				sent += rep.Sent
				for m := range perWorker {
					all = append(all, fmt.Sprintf("w%d message %d", i, m+1))
				}
			}
			texts := outboundTexts(api)
			for text, n := range texts {
				assert.Equal(t, 1, n, "%q stored %d times", text, n)
			}
			assert.Len(t, texts, sent, "the fake stored as many messages as the workers sent")
			if sent == len(all) {
				assertEachOnce(t, api, all)
			}
		})
	}
}

// buildWorker builds cmd/worker into a temporary directory.
func buildWorker(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "worker")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/worker").CombinedOutput()
	require.NoError(t, err, "go build ./cmd/worker:\n%s", out)
	return bin
}

// runFleet starts fleetSize workers at once, each sending perWorker messages
// with its own id, and returns their reports and exit codes.
func runFleet(t *testing.T, bin string, api *sendbeetest.Server, redisAddr, limiter string) ([]worker.Report, []int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	env := append(os.Environ(), "SENDBEE_API_KEY="+api.APIKey(), "SENDBEE_API_SECRET="+api.APISecret())
	cmds := make([]*exec.Cmd, fleetSize)
	stdouts := make([]*bytes.Buffer, fleetSize)
	stderrs := make([]*bytes.Buffer, fleetSize)
	for i := range cmds {
		cmd := exec.CommandContext(ctx, bin,
			"-id", fmt.Sprintf("w%d", i), "-base-url", api.URL, "-redis", redisAddr,
			"-key", "sendbee:test:"+t.Name(), "-limiter", limiter,
			"-rate", "19", "-period", "1s", "-burst", "1", "-n", fmt.Sprint(perWorker))
		cmd.Env = env
		stdouts[i], stderrs[i] = &bytes.Buffer{}, &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = stdouts[i], stderrs[i]
		require.NoError(t, cmd.Start())
		cmds[i] = cmd
	}
	reports := make([]worker.Report, fleetSize)
	codes := make([]int, fleetSize)
	for i, cmd := range cmds {
		_ = cmd.Wait()
		require.NoError(t, ctx.Err(), "the fleet did not finish; worker %d's stderr:\n%s", i, stderrs[i])
		codes[i] = cmd.ProcessState.ExitCode()
		line := strings.TrimSpace(stdouts[i].String())
		require.NoError(t, json.Unmarshal([]byte(line), &reports[i]), "worker %d printed %q; stderr:\n%s", i, line, stderrs[i])
		assert.Equal(t, fmt.Sprintf("w%d", i), reports[i].Worker)
		assert.Equal(t, perWorker, reports[i].Sent+reports[i].Failed, "worker %d tried every message", i)
		for _, secret := range []string{api.APIKey(), api.APISecret()} {
			assert.False(t, strings.Contains(stdouts[i].String()+stderrs[i].String(), secret), "worker %d printed a credential", i)
		}
	}
	return reports, codes
}
