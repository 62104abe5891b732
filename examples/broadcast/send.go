package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/sendbee/sendbee-go"
)

// outcome is what became of one send.
type outcome struct {
	phone string
	err   error
}

// summary counts the outcomes of a broadcast and keeps the ones that need
// attention.
type summary struct {
	sent, failed, unknown int
	// failures are "phone: error" lines for failed sends.
	failures []string
	// unknowns are "phone: error" lines for sends that may or may not have
	// gone out: check those conversations before sending to them again.
	unknowns []string
}

// add counts one outcome.
func (s *summary) add(o outcome) {
	switch {
	case o.err == nil:
		s.sent++
	case errors.Is(o.err, sendbee.ErrOutcomeUnknown):
		s.unknown++
		s.unknowns = append(s.unknowns, fmt.Sprintf("%s: %v", o.phone, o.err))
	default:
		s.failed++
		s.failures = append(s.failures, fmt.Sprintf("%s: %v", o.phone, o.err))
	}
}

// done returns how many sends have an outcome.
func (s *summary) done() int { return s.sent + s.failed + s.unknown }

// print writes the summary, failures and unknown outcomes sorted.
func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "sent %d, failed %d, outcome unknown %d\n", s.sent, s.failed, s.unknown)
	slices.Sort(s.failures)
	for _, f := range s.failures {
		fmt.Fprintf(w, "  failed: %s\n", f)
	}
	slices.Sort(s.unknowns)
	for _, u := range s.unknowns {
		fmt.Fprintf(w, "  outcome unknown: %s\n", u)
	}
	if s.unknown > 0 {
		fmt.Fprintln(w, "Check the conversations of the outcome-unknown numbers before sending to them again.")
	}
}

// broadcast sends the template in params to every phone with workers
// goroutines sharing client (and so its rate limiter), reporting progress
// after each send. A send is never repeated: the client retries it only
// when the API cannot have acted (a 429, a refused connection).
func broadcast(ctx context.Context, client *sendbee.Client, params sendbee.SendTemplateParams, phones []string, workers int, prog *progress) *summary {
	jobs := make(chan string)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for phone := range jobs {
				p := params
				p.Phone = phone
				_, err := client.Templates.Send(ctx, p)
				results <- outcome{phone: phone, err: err}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, phone := range phones {
			select {
			case jobs <- phone:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	sum := &summary{}
	for o := range results {
		sum.add(o)
		prog.update(sum, len(phones))
	}
	prog.finish()
	return sum
}

// progress reports how far a broadcast has got: on a terminal one line
// rewritten in place after every send, elsewhere a line at every tenth.
type progress struct {
	w        io.Writer
	terminal bool
	// reported is the last tenth reported when not on a terminal.
	reported int
}

// update reports sum's counts out of total.
func (p *progress) update(sum *summary, total int) {
	line := fmt.Sprintf("%d/%d done: sent %d, failed %d, outcome unknown %d", sum.done(), total, sum.sent, sum.failed, sum.unknown)
	if p.terminal {
		fmt.Fprintf(p.w, "\r%s", line)
		return
	}
	if tenth := sum.done() * 10 / total; tenth > p.reported {
		p.reported = tenth
		fmt.Fprintln(p.w, line)
	}
}

// finish ends the line rewritten in place.
func (p *progress) finish() {
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}
