//go:build unix

package sendbee

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used, user and system,
// all threads; ok is false where it cannot be read.
func processCPU() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
