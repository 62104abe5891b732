package sendbee

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadLimitedBoundaries: a body of exactly the limit is read whole, one
// byte more is ErrResponseTooLarge, whatever the Content-Length says
// (exact, absent as -1, or false) and however the bytes arrive (at once,
// one at a time as a trickling chunked body, or with io.EOF on the last
// read); the buffer's capacity never exceeds the limit and one byte, nor
// twice the bytes read (and 512).
func TestReadLimitedBoundaries(t *testing.T) {
	t.Parallel()
	readers := map[string]func(string) io.Reader{
		"at once":         func(s string) io.Reader { return strings.NewReader(s) },
		"one byte a time": func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"EOF with data":   func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"half at a time":  func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
	}
	cases := []struct {
		name          string
		limit         int64
		body          int   // bytes
		contentLength int64 // -1: none; -2: the body's own length
		tooLarge      bool
	}{
		{"limit 1, empty body", 1, 0, -2, false},
		{"limit 1, one byte", 1, 1, -2, false},
		{"limit 1, two bytes", 1, 2, -1, true},
		{"limit 1, two bytes, announced", 1, 2, -2, true},
		{"limit 1, two bytes, announced as one", 1, 2, 1, true},
		{"exactly the limit", 4096, 4096, -2, false},
		{"exactly the limit, chunked", 4096, 4096, -1, false},
		{"one over, chunked", 4096, 4097, -1, true},
		{"one over, announced", 4096, 4097, -2, true},
		{"one over, announced as under", 4096, 4097, 10, true},
		{"a limit not a power of two, one under, chunked", 48 << 10, 48<<10 - 1, -1, false},
		{"a limit not a power of two, one over, chunked", 48 << 10, 48<<10 + 1, -1, true},
		{"no limit, chunked", math.MaxInt64, 5000, -1, false},
	}
	for _, tc := range cases {
		for rname, reader := range readers {
			t.Run(tc.name+"/"+rname, func(t *testing.T) {
				t.Parallel()
				body := strings.Repeat("x", tc.body)
				cl := tc.contentLength
				if cl == -2 {
					cl = int64(len(body))
				}
				got, err := readLimited(reader(body), cl, tc.limit)
				if tc.tooLarge {
					assert.ErrorIs(t, err, ErrResponseTooLarge)
					assert.Nil(t, got)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, len(body), len(got))
				bound := int64(2*len(body) + 512) // doubling from 512 bytes
				if tc.limit < bound {
					bound = tc.limit + 1 // the byte that reads io.EOF
				}
				assert.LessOrEqual(t, int64(cap(got)), bound, "buffer capacity")
			})
		}
	}
}

// TestGzipBombStopsAtTheLimit: an answer compressed by the server (the
// transport asks for gzip and inflates it) is held to the limit once
// inflated: 8 MiB of JSON padding in an 8 KiB gzip body fails the call
// with ErrResponseTooLarge under a 1 MiB limit, debug dump on or off, and
// a small one inflates and decodes as usual.
func TestGzipBombStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	gz := func(s []byte) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(s)
		_ = zw.Close()
		return b.Bytes()
	}
	bomb := gz(append(append([]byte(`{"data":[`), bytes.Repeat([]byte(" "), 8<<20)...), "]}"...))
	small := gz([]byte(`{"data":[{"id":"t1","name":"vip"}]}`))
	for _, debug := range []bool{false, true} {
		for _, tc := range []struct {
			name     string
			body     []byte
			tooLarge bool
		}{{"bomb", bomb, true}, {"small", small, false}} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				opts := []Option{WithMaxResponseSize(1 << 20)}
				if debug {
					opts = append(opts, WithDebug(io.Discard))
				}
				c, srv := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("Content-Encoding", "gzip")
					_, _ = w.Write(tc.body)
				}, opts...)
				page, err := c.Tags.List(t.Context(), nil)
				require.Len(t, srv.Requests(), 1)
				assert.Equal(t, "gzip", srv.Requests()[0].Header.Get("Accept-Encoding"), "the transport asked for gzip")
				if tc.tooLarge {
					assert.ErrorIs(t, err, ErrResponseTooLarge)
					return
				}
				require.NoError(t, err)
				require.Len(t, page.Items, 1)
				assert.Equal(t, "vip", page.Items[0].Name)
			})
		}
	}
}
