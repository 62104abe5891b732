package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // descending: percentile sorts a copy
	}
	tests := []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"none", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of 4", ms(4, 1, 3, 2), 0.5, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p50 of 100", ms(hundred...), 0.5, 50 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.ds, tt.p); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if in := ms(hundred...); in[0] != 100*time.Millisecond {
		t.Error("percentile sorted its input")
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	cfg, err := parseFlags([]string{"-procs", "1, 4", "-seconds", "2"})
	if err != nil || len(cfg.procs) != 2 || cfg.procs[1] != 4 || cfg.seconds != 2 || cfg.limit != 20 || cfg.rate != 19 || cfg.burst != 1 {
		t.Errorf("parseFlags: %+v, %v", cfg, err)
	}
	for _, args := range [][]string{{"-procs", "0"}, {"-procs", "x"}, {"-seconds", "0"}, {"-rate", "-1"}, {"-burst", "0"}, {"-limit", "0"}} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}
