//go:build !linux

package redistest

import "syscall"

// procAttr is nil where the kernel cannot tie redis-server's life to its
// parent's: a test process killed before its cleanups leaves it running.
func procAttr() *syscall.SysProcAttr { return nil }
