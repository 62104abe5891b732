package worker

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sendbee/sendbee-go/examples/fleet/internal/redistest"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// runMain runs Main with the fake's credentials in the environment.
func runMain(t *testing.T, api *sendbeetest.Server, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if api != nil {
		t.Setenv("SENDBEE_API_KEY", api.APIKey())
		t.Setenv("SENDBEE_API_SECRET", api.APISecret())
	}
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestMainRefusesBadInput(t *testing.T) {
	api := sendbeetest.NewServer()
	t.Cleanup(api.Close)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no base URL", nil, "-base-url is required"},
		{"unknown limiter", []string{"-base-url", api.URL, "-limiter", "memcached"}, `-limiter "memcached": want redis or local`},
		{"negative count", []string{"-base-url", api.URL, "-n", "-1"}, "-n -1 is negative"},
		{"zero rate", []string{"-base-url", api.URL, "-limiter", "local", "-rate", "0"}, "-rate, -period and -burst must be positive"},
		{"zero burst, shared", []string{"-base-url", api.URL, "-burst", "0"}, "shared rate limit: burst 0 is not positive"},
		{"unknown flag", []string{"-base-url", api.URL, "-bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, api, tt.args...)
			if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and %q", code, stdout, stderr, tt.want)
			}
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		t.Setenv("SENDBEE_API_KEY", "")
		t.Setenv("SENDBEE_API_SECRET", "")
		code, _, stderr := runMain(t, nil, "-base-url", api.URL)
		if code != 2 || !strings.Contains(stderr, "set SENDBEE_API_KEY and SENDBEE_API_SECRET") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

// TestMainReports sends through Main and reads its one JSON line: with its
// own limiter; with the shared one; and fail-open on a stopped Redis, whose
// errors it counts. With the fake's limit of 2 a minute, the fail-open run
// also meets 429s, which it counts without waiting them out (retries off).
func TestMainReports(t *testing.T) {
	rds := redistest.New(t)
	stopped := redistest.New(t)
	stopped.Stop()
	tests := []struct {
		name       string
		limit      int
		args       []string
		code       int
		want       Report
		redisError bool
	}{
		{"own limiter", 0, []string{"-limiter", "local", "-rate", "1000"}, 0, Report{Sent: 3}, false},
		{"shared limiter", 0, []string{"-redis", rds.Addr, "-rate", "1000"}, 0, Report{Sent: 3}, false},
		{"fail-open", 2, []string{"-redis", stopped.Addr, "-fail-open", "-max-retries", "0"}, 1, Report{Sent: 2, Failed: 1, Responses429: 1}, true},
		{"fail-closed", 0, []string{"-redis", stopped.Addr}, 1, Report{Failed: 3}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := sendbeetest.NewServer(sendbeetest.WithRateLimit(tt.limit))
			t.Cleanup(api.Close)
			args := append([]string{"-id", "w7", "-base-url", api.URL, "-n", "3", "-key", "test:" + t.Name(), "-call-timeout", time.Minute.String()}, tt.args...)
			code, stdout, stderr := runMain(t, api, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			var rep Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil || strings.Count(stdout, "\n") != 1 {
				t.Fatalf("stdout %q is not one JSON line: %v", stdout, err)
			}
			if rep.Worker != "w7" || rep.Sent != tt.want.Sent || rep.Failed != tt.want.Failed || rep.Responses429 != tt.want.Responses429 {
				t.Errorf("report %+v, want %+v", rep, tt.want)
			}
			if got := rep.RedisErrors > 0; got != tt.redisError {
				t.Errorf("%d Redis errors reported", rep.RedisErrors)
			}
			if rep.Failed > 0 && rep.FirstError == "" {
				t.Error("no first error reported")
			}
			if len(rep.WaitsMicros) != 3 {
				t.Errorf("%d waits recorded, want one per attempt: 3", len(rep.WaitsMicros))
			}
			if api.SentCount() != rep.Sent {
				t.Errorf("the fake processed %d sends, the worker reports %d", api.SentCount(), rep.Sent)
			}
			for _, secret := range []string{api.APIKey(), api.APISecret()} {
				if strings.Contains(stdout+stderr, secret) {
					t.Error("the worker printed a credential")
				}
			}
		})
	}
}
