// Command worker sends -n messages through its own sendbee.Client, paced by
// the budget it shares with every other worker through Redis (or, with
// -limiter local, by a limiter of its own), and prints one JSON line: the
// sends that went, those that failed, the 429 answers its client met and
// waited out, and how long each wait on the limiter took. The API key and
// secret come from SENDBEE_API_KEY and SENDBEE_API_SECRET; -base-url says
// where the API is.
//
//	SENDBEE_API_KEY=… SENDBEE_API_SECRET=… worker -base-url http://127.0.0.1:8080 -redis 127.0.0.1:6379 -id w1 -n 20
package main

import (
	"os"

	"github.com/sendbee/sendbee-go/examples/fleet/internal/worker"
)

func main() {
	os.Exit(worker.Main(os.Args[1:], os.Stdout, os.Stderr))
}
