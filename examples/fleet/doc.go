// Package fleet shares one Sendbee rate limit among many processes through
// Redis: Limiter is a sendbee.RateLimiter on the GCRA limiter of
// github.com/go-redis/redis_rate/v10, so every replica of a service, or
// every worker of a pool, draws on the one budget Sendbee counts per
// business number (60 requests a minute).
//
// Copy limiter.go into a package of your own rather than importing this
// one: it is one file whose only requirements are
// github.com/redis/go-redis/v9 and github.com/go-redis/redis_rate/v10, while
// this module is an example inside the sendbee-go repository, published with
// no version tags of its own, whose API may change with the examples. The
// file needs Go 1.24 or later with go-redis v9.22.0 (go-redis v9.23 needs
// Go 1.26); this module says go 1.25.0 because sendbee-go does.
//
// The module also holds the programs that show and measure the recipe:
// cmd/worker sends messages through its own sendbee.Client with the shared
// limiter (or, with -limiter local, with a limiter of its own), and
// cmd/fleetbench runs fleets of workers against a fake API and reports the
// rate they achieve and the 429s they meet.
package fleet
