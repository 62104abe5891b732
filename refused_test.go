package sendbee

import (
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refusedAddr returns a loopback address whose connections the kernel
// refuses for as long as t runs, and that no socket of this process or any
// other can take over meanwhile. Its port is the local end of a connection
// t holds open: nothing listens on it, so a dial gets a real "connection
// refused", and while the connection lives the port is in use, so it is
// neither bound for another listener nor picked for another connection.
//
// A port found by closing a listener is not safe for this: the next
// listener anywhere on the machine (another test binary of `go test ./...`,
// another checkout's tests) may be given it, and the requests meant to be
// refused then reach that stranger's server, recorded there as if its own
// client had sent them.
func refusedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close() // the port that matters is the dialing end's
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	peer, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = conn.Close()
		_ = peer.Close()
	})
	return conn.LocalAddr().String()
}

// TestRefusedAddr checks refusedAddr's promise: a dial to it is refused by
// the kernel, every time, and nobody can listen on it, so a test dialing it
// never reaches another test's server.
func TestRefusedAddr(t *testing.T) {
	t.Parallel()
	addr := refusedAddr(t)
	for range 3 {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			_ = conn.Close()
		}
		require.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.True(t, isConnectError(err), "the client's policy sees a refused dial: %v", err)
	}
	for _, listenOn := range []string{addr, ":" + portOf(t, addr)} {
		ln, err := net.Listen("tcp", listenOn)
		if err == nil {
			_ = ln.Close()
		}
		assert.Error(t, err, "another listener could take %s", listenOn)
	}
}

// portOf returns the port of a host:port address.
func portOf(t testing.TB, addr string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	return port
}
