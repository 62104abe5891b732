package redistest

import "syscall"

// procAttr has the kernel kill redis-server when the process that started
// it ends without stopping it, as a test binary killed by -timeout or a
// signal does, its cleanups never run.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
