package redistest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// orphanHelperEnv makes the test binary act as a test process that starts
// a server and then dies without stopping it.
const orphanHelperEnv = "REDISTEST_ORPHAN_HELPER"

// TestServerDiesWithItsTest runs a test process that starts a redis-server
// and exits without stopping it, as a test binary killed by -timeout or a
// signal does (its cleanups never run): the server must not outlive it.
func TestServerDiesWithItsTest(t *testing.T) {
	if os.Getenv(orphanHelperEnv) == "1" {
		s, err := Start(t.Context(), os.Getenv("REDISTEST_BIN"), t.TempDir())
		if err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("pid " + strconv.Itoa(s.cmd.Process.Pid) + "\n")
		os.Exit(3) // no Stop, no cleanups
	}
	t.Parallel()
	bin := lookPath(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerDiesWithItsTest$")
	cmd.Env = append(os.Environ(), orphanHelperEnv+"=1", "REDISTEST_BIN="+bin)
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	var pid int
	if line, _ := bufio.NewReader(&out).ReadString('\n'); strings.HasPrefix(line, "pid ") {
		pid, _ = strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "pid ")))
	}
	if pid == 0 {
		t.Fatalf("the helper started no server: %v, output %q", err, out.String())
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(10 * time.Second)
	for alive(pid) {
		select {
		case <-tick.C:
		case <-timeout:
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("redis-server %d outlived the test process that started it", pid)
		}
	}
}

// alive reports whether process pid is a running redis-server: it exists,
// is not a zombie (an orphan not yet reaped has stopped running), and is
// not another program that took the ID since.
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// "pid (comm) state …": the command name is in parentheses
	open, end := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
	if open < 0 || end < open {
		return false
	}
	fields := strings.Fields(string(stat[end+1:]))
	return string(stat[open+1:end]) == "redis-server" && len(fields) > 0 && fields[0] != "Z"
}
