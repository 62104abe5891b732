// Command broadcast sends a message template to many phone numbers at
// once, within Sendbee's limit of 60 requests a minute, and sums up what
// was sent, what failed, and what may or may not have been sent.
//
// With no credentials in the environment it sends to -n made-up numbers
// through an in-process fake of the API (package sendbeetest), which
// enforces the same limit. At 60 a minute the default 200 sends take a little
// over three minutes; against the fake, -rate 6000 makes it end in seconds.
// -faults makes the fake fail
// some requests (an error status, a 500, a connection dropped after the
// send, a 429) to show each outcome:
//
//	go run ./examples/broadcast
//	go run ./examples/broadcast -rate 6000 -n 500 -workers 16 -faults
//
// With SENDBEE_API_KEY and SENDBEE_API_SECRET set it uses the real API at
// 60 requests a minute, and sends only to the numbers in the -phones file
// (one per line; blank lines and lines starting with # are skipped), only
// the approved template named by -template. SENDBEE_BASE_URL, when set,
// replaces the API's address (sendbee.DefaultBaseURL), for a proxy or a
// test server:
//
//	go run ./examples/broadcast -phones phones.txt -template welcome -tag 1=friend -tag 2=our-shop
//
// It exits 1 when any send failed or has an unknown outcome, after the
// summary. It never prints the credentials.
package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// defaultRate is Sendbee's limit per business number, in requests a minute;
// the fake enforces it too.
const defaultRate = 60

// options are the command line's settings.
type options struct {
	n, workers, rate int
	faults           bool
	phonesFile       string
	template         string
	language         string
	tags             map[string]string
}

func main() {
	opts := parseFlags()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, opts, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "broadcast:", err)
		os.Exit(1)
	}
}

func parseFlags() options {
	opts := options{tags: map[string]string{}}
	flag.IntVar(&opts.n, "n", 200, "how many made-up numbers to send to (fake API only)")
	flag.IntVar(&opts.workers, "workers", 8, "how many sends may be in flight at once")
	flag.IntVar(&opts.rate, "rate", defaultRate, "requests a minute (Sendbee allows 60 per business number; raise it against the fake to finish sooner)")
	flag.BoolVar(&opts.faults, "faults", false, "make the fake API fail some requests (fake API only)")
	flag.StringVar(&opts.phonesFile, "phones", "", "file of phone numbers to send to, one per line (required with the real API)")
	flag.StringVar(&opts.template, "template", "", "keyword of the approved template to send (required with the real API; default "+sendbeetest.TemplateWelcome+" with the fake)")
	flag.StringVar(&opts.language, "language", "en", "language of the template")
	flag.Func("tag", "a template placeholder's value as name=value, such as 1=Ana (repeatable)", func(s string) error {
		name, value, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return errors.New("want name=value")
		}
		opts.tags[name] = value
		return nil
	})
	flag.Parse()
	return opts
}

// run sends the broadcast against the fake or the real API, as the
// environment says, and prints the summary to out and progress to errOut.
func run(ctx context.Context, opts options, out, errOut io.Writer) error {
	if opts.rate < 1 {
		return errors.New("-rate must be at least 1")
	}
	if opts.workers < 1 {
		return errors.New("-workers must be at least 1")
	}
	key, secret := os.Getenv("SENDBEE_API_KEY"), os.Getenv("SENDBEE_API_SECRET")
	var tg *target
	var err error
	switch {
	case key == "" && secret == "":
		tg, err = fakeTarget(opts, out)
	case key == "" || secret == "":
		err = errors.New("set both SENDBEE_API_KEY and SENDBEE_API_SECRET to use the real API, or neither to use the built-in fake")
	default:
		tg, err = realTarget(opts, key, secret, out)
	}
	if err != nil {
		return err
	}
	defer tg.close()
	return tg.send(ctx, opts, out, errOut)
}

// target is where a broadcast goes: the client, its recipients and the
// template.
type target struct {
	client *sendbee.Client
	phones []string
	params sendbee.SendTemplateParams
	rate   int
	// srv is the fake API; nil against the real one.
	srv *sendbeetest.Server
}

// fakeTarget starts the fake API, with faults queued when asked, and
// makes up opts.n numbers to send to.
func fakeTarget(opts options, out io.Writer) (*target, error) {
	if opts.phonesFile != "" {
		return nil, errors.New("-phones needs SENDBEE_API_KEY and SENDBEE_API_SECRET; without them the broadcast goes to the fake API and made-up numbers")
	}
	if opts.n < 1 {
		return nil, errors.New("-n must be at least 1")
	}
	srv := sendbeetest.NewServer(sendbeetest.WithRateLimit(opts.rate))
	tg := &target{srv: srv, rate: opts.rate, params: templateParams(opts, sendbeetest.TemplateWelcome)}
	if len(opts.tags) == 0 {
		tg.params.Tags = map[string]string{"1": "there", "2": "Sendbee Shop"}
	}
	for i := range opts.n {
		tg.phones = append(tg.phones, fmt.Sprintf("+38599%07d", i+1))
	}
	var err error
	if tg.client, err = srv.Client(sendbee.WithRateLimiter(newPacer(opts.rate))); err != nil {
		srv.Close()
		return nil, err
	}
	fmt.Fprintf(out, "No SENDBEE_API_KEY and SENDBEE_API_SECRET: broadcasting to %d made-up numbers through an in-process fake Sendbee API.\n", opts.n)
	if opts.faults {
		injectFaults(srv, out)
	}
	return tg, nil
}

// injectFaults makes the fake fail the next requests: two refused with
// 400 (failed), two answered 500 and two dropped after the send (outcome
// unknown: the client cannot know whether they went out), and two 429s,
// which the client waits out and retries.
func injectFaults(srv *sendbeetest.Server, out io.Writer) {
	srv.FailNext(2, sendbeetest.Fault{Status: http.StatusBadRequest, Body: `{"error":{"detail":"refused by -faults","type":"bad_request"}}`})
	srv.FailNext(2, sendbeetest.Fault{Status: http.StatusInternalServerError})
	srv.FailNext(2, sendbeetest.Fault{DropAfterProcessing: true})
	srv.FailNext(2, sendbeetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	fmt.Fprintln(out, "-faults: the fake fails the first requests: 2 with 400, 2 with 500, 2 dropped after sending, 2 with 429 and Retry-After: 1s.")
}

// realTarget builds a client for the real API and reads the recipients
// from opts.phonesFile; it refuses to go on without them and a template.
func realTarget(opts options, key, secret string, out io.Writer) (*target, error) {
	if opts.phonesFile == "" || opts.template == "" {
		return nil, errors.New("with SENDBEE_API_KEY and SENDBEE_API_SECRET set this sends real messages: give the recipients with -phones FILE and the template with -template KEYWORD")
	}
	if opts.faults {
		return nil, errors.New("-faults works only with the fake API")
	}
	phones, err := readPhones(opts.phonesFile)
	if err != nil {
		return nil, err
	}
	baseURL := cmp.Or(os.Getenv("SENDBEE_BASE_URL"), sendbee.DefaultBaseURL)
	client, err := sendbee.NewClient(key, secret,
		sendbee.WithBaseURL(baseURL),
		sendbee.WithRateLimiter(newPacer(opts.rate)),
		sendbee.WithUserAgent("sendbee-go-broadcast"))
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(baseURL) // accepted by WithBaseURL above
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "Broadcasting template %q to %d numbers from %s through %s.\n", opts.template, len(phones), opts.phonesFile, u.Redacted())
	return &target{client: client, phones: phones, rate: opts.rate, params: templateParams(opts, opts.template)}, nil
}

// templateParams are the send's parameters but the phone, with keyword
// unless -template names another.
func templateParams(opts options, keyword string) sendbee.SendTemplateParams {
	return sendbee.SendTemplateParams{
		TemplateKeyword: cmp.Or(opts.template, keyword),
		Language:        opts.language,
		Tags:            opts.tags,
	}
}

// readPhones reads one phone number a line, skipping blank lines and
// lines starting with #.
func readPhones(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var phones []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			phones = append(phones, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(phones) == 0 {
		return nil, fmt.Errorf("%s holds no phone numbers", name)
	}
	return phones, nil
}

// send runs the broadcast and prints its summary; the error says how many
// sends need attention.
func (tg *target) send(ctx context.Context, opts options, out, errOut io.Writer) error {
	fmt.Fprintf(out, "Sending template %q with %d workers, at most %d requests a minute.\n", tg.params.TemplateKeyword, opts.workers, tg.rate)
	prog := &progress{w: errOut, terminal: isTerminal(errOut)}
	sum := broadcast(ctx, tg.client, tg.params, tg.phones, opts.workers, prog)
	sum.print(out)
	if tg.srv != nil {
		fmt.Fprintf(out, "The fake API received %d requests (a 429 is waited out and retried) and processed %d sends\n", len(tg.srv.Requests()), tg.srv.SentCount())
		fmt.Fprintln(out, "(those sent, and those dropped after sending: an unknown outcome may well have been sent).")
	}
	if missing := len(tg.phones) - sum.done(); missing > 0 {
		return fmt.Errorf("interrupted: %d numbers were not sent to", missing)
	}
	if sum.failed+sum.unknown > 0 {
		return fmt.Errorf("%d sends failed and %d have an unknown outcome", sum.failed, sum.unknown)
	}
	return nil
}

// close stops the fake API, if any.
func (tg *target) close() {
	if tg.srv != nil {
		tg.srv.Close()
	}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
