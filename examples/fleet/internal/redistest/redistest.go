// Package redistest runs a real redis-server for the fleet's tests and
// benchmark: on a free loopback port, with persistence off, stopped by its
// process ID.
package redistest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startTimeout bounds how long Start waits for the server to answer PING.
const startTimeout = 10 * time.Second

// Server is one redis-server process.
type Server struct {
	// Addr is the server's address, such as "127.0.0.1:50123".
	Addr string

	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has been waited for
	err    error         // the process's exit, set before exited closes
}

// Start starts bin (redis-server) on a free loopback port with persistence
// off and its working directory dir, and returns once it answers PING. The
// caller must Stop it; on Linux the kernel also kills it if the calling
// process dies first, as a test binary killed by -timeout does. A port
// taken between choosing it and the server binding it is tried again with
// another, up to three times in all.
func Start(ctx context.Context, bin, dir string) (*Server, error) {
	var err error
	for range 3 {
		var s *Server
		if s, err = startOnce(ctx, bin, dir); err == nil || ctx.Err() != nil {
			return s, err
		}
	}
	return nil, err
}

// startOnce is one attempt of Start.
func startOnce(ctx context.Context, bin, dir string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--logfile", "")
	cmd.Stdout, cmd.Stderr = nil, nil
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("redistest: start %s: %w", bin, err)
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd, exited: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	if err := s.awaitPong(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// New starts a redis-server for t and stops it when t ends. Without
// redis-server on PATH it fails the test when the environment says CI=true,
// and skips it otherwise.
func New(t testing.TB) *Server {
	t.Helper()
	s, err := Start(t.Context(), lookPath(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// lookPath returns the path of redis-server; without it, it fails t when
// the environment says CI=true and skips t otherwise.
func lookPath(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		msg := "redis-server is not installed (apt-get install -y redis-server): the fleet's tests need a real Redis"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// Stop kills the server by its process ID (resuming it first if paused) and
// waits for it to exit. Calling it again does nothing.
func (s *Server) Stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT)
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// Pause stops the server's process with SIGSTOP: it keeps its connections
// open and answers nothing until Resume.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a paused server with SIGCONT.
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }

// awaitPong polls the server with PING on a short ticker until it answers,
// the process exits, ctx ends or startTimeout passes.
func (s *Server) awaitPong(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		if last = ping(ctx, s.Addr); last == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("redistest: redis-server on %s exited before answering PING: %v", s.Addr, s.err)
		case <-ctx.Done():
			return fmt.Errorf("redistest: redis-server on %s did not answer PING: %w", s.Addr, errors.Join(ctx.Err(), last))
		case <-tick.C:
		}
	}
}

// ping sends one PING and expects +PONG.
func ping(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
