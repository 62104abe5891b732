package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPacerKeepsToTheRate checks that requests asking at once get slots one
// interval apart, so that a minute holds exactly perMinute of them, and
// that an idle pacer lets the next request go at once.
func TestPacerKeepsToTheRate(t *testing.T) {
	t.Parallel()
	p := newPacer(60)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	inFirstMinute := 0
	for i := range 120 {
		wait := p.reserve(t0)
		assert.Equal(t, time.Duration(i)*time.Second, wait, "slot %d", i)
		if wait < time.Minute {
			inFirstMinute++
		}
	}
	assert.Equal(t, 60, inFirstMinute)

	later := t0.Add(10 * time.Minute)
	assert.Zero(t, p.reserve(later), "an idle pacer lets the next request go at once")
	assert.Equal(t, time.Second, p.reserve(later))
}

// TestPacerWaitEndsWithContext checks that Wait lets the first request go
// at once and gives up on a later slot when the context ends.
func TestPacerWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	p := newPacer(1) // one request a minute
	require.NoError(t, p.Wait(t.Context()))

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	start := time.Now()
	err := p.Wait(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 30*time.Second, "Wait kept waiting for its slot after the context ended")
}
