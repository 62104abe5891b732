package main

import (
	"context"
	"sync"
	"time"
)

// pacer is a client-side rate limiter that lets requests go one at a time,
// evenly spaced, so that no minute holds more than perMinute of them. It
// satisfies sendbee.RateLimiter; golang.org/x/time/rate would do as well,
// but an example should not need a dependency for twenty lines.
//
// Every Wait reserves the next free slot, so a Wait whose context ends
// before its slot leaves that slot unused: the pacer errs on the slow side.
type pacer struct {
	interval time.Duration

	mu   sync.Mutex
	next time.Time // the earliest time the next request may go
}

// newPacer returns a pacer for perMinute requests a minute; perMinute must
// be positive.
func newPacer(perMinute int) *pacer {
	return &pacer{interval: time.Minute / time.Duration(perMinute)}
}

// Wait blocks until the caller's slot comes, or returns ctx's error if ctx
// ends first.
func (p *pacer) Wait(ctx context.Context) error {
	d := p.reserve(time.Now())
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reserve takes the next free slot at or after now and returns how long
// until it comes.
func (p *pacer) reserve(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	return slot.Sub(now)
}
