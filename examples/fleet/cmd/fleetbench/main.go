// Command fleetbench measures the shared limiter: for fleets of 1, 2, 4 and
// 8 worker processes, each pacing itself with the limiter shared through
// Redis or with a limiter of its own at the full rate, it sends messages
// through a fake API that allows -limit requests a second and prints a
// Markdown table: the rate achieved at the fake (sends after the first,
// divided by the time from the first request the fake received to the last,
// so that starting the processes does not count) as a fraction of the
// limit, the 429s the fake answered, the sends that failed, and the median and 99th-percentile
// wait in the limiter's Wait. It starts its own redis-server (from PATH) on
// a free loopback port, and runs the workers as copies of itself.
//
//	go run ./cmd/fleetbench            # from examples/fleet; about a minute
//	go run ./cmd/fleetbench -procs 4 -seconds 10
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go/examples/fleet/internal/redistest"
	"github.com/sendbee/sendbee-go/examples/fleet/internal/worker"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// workerArg, as the first argument, makes the program a worker.
const workerArg = "worker"

func main() {
	if len(os.Args) > 1 && os.Args[1] == workerArg {
		os.Exit(worker.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fleetbench:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	procs   []int
	seconds float64
	limit   int
	rate    int
	burst   int
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("fleetbench", flag.ContinueOnError)
	procs := fs.String("procs", "1,2,4,8", "fleet sizes to measure, comma-separated")
	var cfg config
	fs.Float64Var(&cfg.seconds, "seconds", 4, "about how long each fleet sends, at the limiter's rate")
	fs.IntVar(&cfg.limit, "limit", 20, "requests a second the fake API allows")
	fs.IntVar(&cfg.rate, "rate", 19, "requests a second the limiters allow")
	fs.IntVar(&cfg.burst, "burst", 1, "the limiters' burst")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	for _, p := range strings.Split(*procs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return cfg, fmt.Errorf("-procs: %q is not a positive number", p)
		}
		cfg.procs = append(cfg.procs, n)
	}
	if cfg.seconds <= 0 || cfg.limit <= 0 || cfg.rate <= 0 || cfg.burst <= 0 {
		return cfg, errors.New("-seconds, -limit, -rate and -burst must be positive")
	}
	return cfg, nil
}

// cell is one measured fleet.
type cell struct {
	procs    int
	shared   bool
	sent     int
	failed   int
	rejected int           // 429s the fake answered
	span     time.Duration // from the first request the fake received to the last
	waits    []time.Duration
}

func run(args []string, out io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		return fmt.Errorf("needs redis-server on PATH (apt-get install -y redis-server): %w", err)
	}
	dir, err := os.MkdirTemp("", "fleetbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rds, err := redistest.Start(context.Background(), redisBin, dir)
	if err != nil {
		return err
	}
	defer rds.Stop()

	fmt.Fprintf(out, "fake API: %d requests a second; limiters: %d a second, burst %d; about %gs of sends per fleet\n",
		cfg.limit, cfg.rate, cfg.burst, cfg.seconds)
	fmt.Fprintf(out, "%s %s/%s, %d CPUs%s\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadAverage())
	fmt.Fprintln(out, "| processes | limiter | sent | failed | rate / limit | 429s | median wait | p99 wait |")
	fmt.Fprintln(out, "|---:|---|---:|---:|---:|---:|---:|---:|")
	for _, procs := range cfg.procs {
		for _, shared := range []bool{true, false} {
			c, err := measure(self, rds.Addr, cfg, procs, shared)
			if err != nil {
				return err
			}
			limiter := "own, in-process"
			if shared {
				limiter = "shared (Redis)"
			}
			rate := 0.0
			if c.span > 0 {
				rate = float64(c.sent-1) / c.span.Seconds() / float64(cfg.limit)
			}
			fmt.Fprintf(out, "| %d | %s | %d | %d | %.2f | %d | %s | %s |\n", procs, limiter, c.sent, c.failed, rate, c.rejected,
				fmtWait(percentile(c.waits, 0.50)), fmtWait(percentile(c.waits, 0.99)))
		}
	}
	return nil
}

// measure runs one fleet against a fresh fake API and reports it.
func measure(self, redisAddr string, cfg config, procs int, shared bool) (cell, error) {
	api := sendbeetest.NewServer(sendbeetest.WithRateLimitPeriod(cfg.limit, time.Second))
	defer api.Close()
	perWorker := max(1, int(float64(cfg.rate)*cfg.seconds)/procs)
	limiter := "local"
	if shared {
		limiter = "redis"
	}
	key := fmt.Sprintf("fleetbench:%d:%s:%d", procs, limiter, time.Now().UnixNano())
	env := append(os.Environ(), "SENDBEE_API_KEY="+api.APIKey(), "SENDBEE_API_SECRET="+api.APISecret())

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmds := make([]*exec.Cmd, procs)
	stdouts := make([]bytes.Buffer, procs)
	for i := range cmds {
		cmd := exec.CommandContext(ctx, self, workerArg,
			"-id", fmt.Sprintf("w%d", i), "-base-url", api.URL, "-redis", redisAddr, "-key", key, "-limiter", limiter,
			"-rate", strconv.Itoa(cfg.rate), "-period", "1s", "-burst", strconv.Itoa(cfg.burst), "-n", strconv.Itoa(perWorker))
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = &stdouts[i], os.Stderr
		if err := cmd.Start(); err != nil {
			return cell{}, err
		}
		cmds[i] = cmd
	}
	c := cell{procs: procs, shared: shared}
	for i, cmd := range cmds {
		_ = cmd.Wait()
		var rep worker.Report
		if err := json.Unmarshal(bytes.TrimSpace(stdouts[i].Bytes()), &rep); err != nil {
			return c, fmt.Errorf("worker %d printed %q: %w", i, stdouts[i].String(), err)
		}
		c.sent += rep.Sent
		c.failed += rep.Failed
		for _, us := range rep.WaitsMicros {
			c.waits = append(c.waits, time.Duration(us)*time.Microsecond)
		}
	}
	reqs := api.Requests()
	if len(reqs) > 0 {
		c.span = reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
	}
	c.rejected = len(reqs) - api.SentCount()
	return c, nil
}

// percentile is the p-th quantile of ds by the nearest-rank method; 0 for none.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := max(0, min(len(s)-1, int(float64(len(s))*p+0.5)-1))
	return s[i]
}

// loadAverage is ", load average" and the machine's 1-minute load where
// /proc/loadavg tells it, else "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return ""
	}
	return ", load average " + fields[0] + " at the start"
}

func fmtWait(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}
