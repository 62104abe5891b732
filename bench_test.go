package sendbee

// Benchmarks of the SDK against a hand-written client. Each benchmark has
// two sub-benchmarks run in the same process against the same loopback
// server: impl=baseline does the exchange by hand with net/http and
// encoding/json (same headers, a token computed per request, the body read
// fully and decoded into the same structs), impl=sdk does it through the
// Client. Compare them with
//
//	benchstat -col /impl bench.txt
//
// See BENCHMARKS.md for the commands, the machine and the results.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// benchPageSize is the number of contacts on each page the server sends.
	benchPageSize = 100
	// benchPages is how many pages the All benchmarks walk: 10,000 contacts.
	benchPages = 100
	// benchConversationID is the conversation the Get benchmarks read.
	benchConversationID = "8a7d3f2e-1b4c-4e5f-9a0b-0c1d2e3f4a5b"
)

// benchBodies are the answers of the benchmark server.
type benchBodies struct {
	// contactPages[i] is page i+1 of benchPages pages of contacts.
	contactPages                            [][]byte
	sendMessage, sendTemplate, conversation []byte
}

func loadBenchBodies(tb testing.TB) *benchBodies {
	tb.Helper()
	read := func(name string) []byte {
		body, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		return body
	}
	b := &benchBodies{
		sendMessage:  read("bench_send_message.json"),
		sendTemplate: read("bench_send_template.json"),
		conversation: read("bench_conversation_get.json"),
	}
	for page := 1; page <= benchPages; page++ {
		b.contactPages = append(b.contactPages, benchContactsPage(page, benchPages))
	}
	return b
}

// benchContactsPage generates page of lastPage pages of benchPageSize
// contacts, in the shape of testdata/contacts_list.json: every contact has
// tags, contact fields and a note, and the tolerant fields come in their
// different wire forms (dates as strings and numbers, booleans as "1", 1
// and true). The output depends only on the arguments.
func benchContactsPage(page, lastPage int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"data":[`)
	for i := range benchPageSize {
		if i > 0 {
			b.WriteByte(',')
		}
		writeBenchContact(&b, (page-1)*benchPageSize+i+1)
	}
	from, to := (page-1)*benchPageSize+1, page*benchPageSize
	fmt.Fprintf(&b, `],"meta":{"current_page":%d,"last_page":"%d","per_page":%d,"total":%d,"from":%d,"to":%d},`,
		page, lastPage, benchPageSize, lastPage*benchPageSize, from, to)
	link := func(p int) string { return strconv.Quote("https://api-v2.sendbee.io/contacts?page=" + strconv.Itoa(p)) }
	prev, next := "null", "null"
	if page > 1 {
		prev = link(page - 1)
	}
	if page < lastPage {
		next = link(page + 1)
	}
	fmt.Fprintf(&b, `"links":{"first":%s,"last":%s,"prev":%s,"next":%s}}`, link(1), link(lastPage), prev, next)
	return b.Bytes()
}

func writeBenchContact(b *bytes.Buffer, n int) {
	consent := [...]string{`"1"`, `1`, `true`, `0`}[n%4]
	status := [...]string{"subscribed", "unsubscribed"}[n%2]
	fmt.Fprintf(b, `{"id":"6a0b0a2e-6d2b-4f4b-9a57-%012d","name":"Contact %d","phone":"+38599%07d",`+
		`"whatsapp_user_id":"HR.1349120865530%07d","status":%q,"folder":"open",`+
		`"created_at":"2020-02-%02d 23:36:55","modified_at":%d,"has_messaging_consent":%s,`+
		`"tags":[{"id":"5c1e7a6e-0000-4000-8000-%012d","name":"vip customer","editable":1,"disable_contact":false,"icons":{"color":"red"}},`+
		`{"id":"5c1e7a6e-0000-4000-8000-%012d","name":"newsletter","editable":"0","disable_contact":"0"}],`+
		`"contact_fields":[{"key":"age","value":%d},{"key":"city","value":"Zagreb"},{"key":"newsletter","value":true},{"key":"birthday","value":null}],`+
		`"notes":[{"id":"n%d","value":"Prefers WhatsApp, call after 5pm"}],"unknown_future_field":{"x":1}}`,
		n, n, n, n, status, n%28+1, 1700000000+n, consent, n%7, n%7+7, 18+n%60, n)
}

// newBenchServer starts a loopback server that answers the benchmarked
// calls with the recorded bodies, and check, when not nil, sees each
// request first. It answers 401 to a request without X-Api-Key or a
// well-formed X-Auth-Token, and sends the rate-limit headers the API sends.
func newBenchServer(tb testing.TB, bodies *benchBodies, check func(r *http.Request, body []byte)) *httptest.Server {
	tb.Helper()
	contentType := []string{"application/json"}
	rateLimit := map[string][]string{
		"X-Ratelimit-Limit":     {"60"},
		"X-Ratelimit-Remaining": {"59"},
		"X-Ratelimit-Reset":     {"1700000060"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqBody, _ := io.ReadAll(r.Body)
		if check != nil {
			check(r, reqBody)
		}
		if r.Header.Get("X-Api-Key") != testKey || len(r.Header.Get("X-Auth-Token")) != 100 {
			http.Error(w, `{"error":{"detail":"bad credentials","type":"unauthorized"}}`, http.StatusUnauthorized)
			return
		}
		body := benchAnswer(bodies, r)
		if body == nil {
			http.Error(w, `{"error":{"detail":"not found","type":"not_found"}}`, http.StatusNotFound)
			return
		}
		h := w.Header()
		h["Content-Type"] = contentType
		for k, v := range rateLimit {
			h[k] = v
		}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// benchAnswer picks the body for r, or nil for an unknown request.
func benchAnswer(bodies *benchBodies, r *http.Request) []byte {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/contacts":
		page := 1
		if v := queryValue(r.URL.RawQuery, "page"); v != "" {
			page, _ = strconv.Atoi(v)
		}
		if page < 1 || page > len(bodies.contactPages) {
			return nil
		}
		return bodies.contactPages[page-1]
	case r.Method == http.MethodGet && r.URL.Path == "/conversation":
		if queryValue(r.URL.RawQuery, "conversation_id") != benchConversationID {
			return nil
		}
		return bodies.conversation
	case r.Method == http.MethodPost && r.URL.Path == "/conversations/messages/send":
		return bodies.sendMessage
	case r.Method == http.MethodPost && r.URL.Path == "/conversations/messages/templates/send":
		return bodies.sendTemplate
	}
	return nil
}

// queryValue finds name's value in a raw query without building a
// url.Values, so the server's own cost stays small next to the clients'.
func queryValue(rawQuery, name string) string {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if k, v, _ := strings.Cut(pair, "="); k == name {
			return v
		}
	}
	return ""
}

// handClient is the baseline: the client a careful developer writes by hand
// with net/http and encoding/json. It sends the same headers as the SDK,
// computes the token for every request, reads each body fully and decodes
// it into the SDK's structs.
type handClient struct {
	baseURL, apiKey, apiSecret, userAgent string
	http                                  *http.Client
}

func newHandClient(baseURL string) *handClient {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 16
	return &handClient{
		baseURL:   baseURL,
		apiKey:    testKey,
		apiSecret: testSecret,
		userAgent: userAgent(""),
		http:      &http.Client{Transport: transport, Timeout: DefaultTimeout},
	}
}

// token is the §1.2 algorithm as a hand-written client computes it, once per
// request.
func (h *handClient) token() string {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(h.apiSecret))
	mac.Write([]byte(ts))
	return base64.StdEncoding.EncodeToString([]byte(ts + "." + hex.EncodeToString(mac.Sum(nil))))
}

// do sends one request (query in the URL, in as a JSON body) and decodes a
// 2xx answer into out.
func (h *handClient) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	target := h.baseURL + path
	if query != nil {
		target += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	req.Header.Set("X-Api-Key", h.apiKey)
	req.Header.Set("X-Auth-Token", h.token())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", h.userAgent)
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return json.Unmarshal(raw, out)
}

// handContactsPage is a page of contacts as the baseline decodes it.
type handContactsPage struct {
	Data  []Contact `json:"data"`
	Meta  Meta      `json:"meta"`
	Links Links     `json:"links"`
}

func (h *handClient) listContacts(ctx context.Context, page int) (*handContactsPage, error) {
	var out handContactsPage
	q := url.Values{"page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(benchPageSize)}}
	return &out, h.do(ctx, http.MethodGet, "/contacts", q, nil, &out)
}

// allContacts walks every page, calling yield for each contact, holding one
// page at a time.
func (h *handClient) allContacts(ctx context.Context, yield func(Contact)) error {
	for page := 1; ; page++ {
		p, err := h.listContacts(ctx, page)
		if err != nil {
			return err
		}
		for _, c := range p.Data {
			yield(c)
		}
		if len(p.Data) == 0 || p.Meta.CurrentPage >= p.Meta.LastPage {
			return nil
		}
	}
}

func (h *handClient) sendMessage(ctx context.Context, params SendMessageParams) (*SentMessage, error) {
	var out struct {
		Data SentMessage `json:"data"`
	}
	return &out.Data, h.do(ctx, http.MethodPost, "/conversations/messages/send", nil, params, &out)
}

func (h *handClient) sendTemplate(ctx context.Context, params SendTemplateParams) (*SentMessage, error) {
	var out struct {
		Data SentMessage `json:"data"`
	}
	return &out.Data, h.do(ctx, http.MethodPost, "/conversations/messages/templates/send", nil, params, &out)
}

func (h *handClient) getConversation(ctx context.Context, id string) (*Conversation, error) {
	var out struct {
		Data Conversation `json:"data"`
	}
	q := url.Values{"conversation_id": {id}}
	return &out.Data, h.do(ctx, http.MethodGet, "/conversation", q, nil, &out)
}

// benchEnv is one server and the two clients that talk to it.
type benchEnv struct {
	bodies *benchBodies
	srv    *httptest.Server
	sdk    *Client
	hand   *handClient
}

func newBenchEnv(tb testing.TB, check func(r *http.Request, body []byte)) *benchEnv {
	tb.Helper()
	e := &benchEnv{bodies: loadBenchBodies(tb)}
	e.srv = newBenchServer(tb, e.bodies, check)
	sdk, err := NewClient(testKey, testSecret, WithBaseURL(e.srv.URL), WithWarningHandler(func(context.Context, string) {}))
	if err != nil {
		tb.Fatal(err)
	}
	e.sdk = sdk
	e.hand = newHandClient(e.srv.URL)
	tb.Cleanup(e.closeIdle)
	return e
}

func (e *benchEnv) closeIdle() {
	e.sdk.httpClient.CloseIdleConnections()
	e.hand.http.CloseIdleConnections()
}

// The requests of the benchmarks, the same for both clients.
var (
	benchListParams = ListContactsParams{ListOptions: ListOptions{Page: 1, Limit: benchPageSize}}
	benchMessage    = SendMessageParams{Phone: "+385991234567", Text: "Your order #10023 has shipped and arrives on Tuesday."}
	benchTemplate   = SendTemplateParams{
		Phone: "+385991234567", TemplateKeyword: "order_shipped", Language: "en",
		Tags: map[string]string{"1": "Tom", "2": "#10023", "3": "Tuesday"},
	}
)

// sdkListContacts, handListContacts, … are the benchmarked exchanges that
// other benchmarks and tests also use; exchanges has the rest. Each returns
// an error when the answer was not what the server sends, so a benchmark
// cannot pass while measuring a failure.
func (e *benchEnv) sdkListContacts(ctx context.Context) error {
	p, err := e.sdk.Contacts.List(ctx, &benchListParams)
	if err != nil {
		return err
	}
	return wantItems(len(p.Items), benchPageSize)
}

func (e *benchEnv) handListContacts(ctx context.Context) error {
	p, err := e.hand.listContacts(ctx, 1)
	if err != nil {
		return err
	}
	return wantItems(len(p.Data), benchPageSize)
}

func (e *benchEnv) sdkAllContacts(ctx context.Context, each func(Contact)) error {
	params := ListContactsParams{ListOptions: ListOptions{Limit: benchPageSize}}
	n := 0
	for c, err := range e.sdk.Contacts.All(ctx, &params) {
		if err != nil {
			return err
		}
		each(c)
		n++
	}
	return wantItems(n, benchPages*benchPageSize)
}

func (e *benchEnv) handAllContacts(ctx context.Context, each func(Contact)) error {
	n := 0
	err := e.hand.allContacts(ctx, func(c Contact) {
		each(c)
		n++
	})
	if err != nil {
		return err
	}
	return wantItems(n, benchPages*benchPageSize)
}

func wantItems(got, want int) error {
	if got != want {
		return fmt.Errorf("got %d items, want %d", got, want)
	}
	return nil
}

func wantSent(m *SentMessage, err error) error {
	if err != nil {
		return err
	}
	if m.MessageID == "" || m.Status != "queued" {
		return fmt.Errorf("unexpected receipt %+v", m)
	}
	return nil
}

func wantConversation(c *Conversation, err error) error {
	if err != nil {
		return err
	}
	if c.ID != benchConversationID || c.Contact == nil || c.LastMessage == nil {
		return fmt.Errorf("unexpected conversation %+v", c)
	}
	return nil
}

// benchExchange is one exchange done both ways.
type benchExchange struct {
	name          string
	baseline, sdk func(ctx context.Context) error
}

// exchanges are the benchmarked pairs, named as their benchmarks.
func (e *benchEnv) exchanges() []benchExchange {
	var sink int
	count := func(c Contact) { sink += len(c.ID) }
	return []benchExchange{
		{"ContactsList", e.handListContacts, e.sdkListContacts},
		{"SendMessage",
			func(ctx context.Context) error { return wantSent(e.hand.sendMessage(ctx, benchMessage)) },
			func(ctx context.Context) error { return wantSent(e.sdk.Messages.Send(ctx, benchMessage)) }},
		{"SendTemplate",
			func(ctx context.Context) error { return wantSent(e.hand.sendTemplate(ctx, benchTemplate)) },
			func(ctx context.Context) error { return wantSent(e.sdk.Templates.Send(ctx, benchTemplate)) }},
		{"ConversationsGet",
			func(ctx context.Context) error {
				return wantConversation(e.hand.getConversation(ctx, benchConversationID))
			},
			func(ctx context.Context) error {
				return wantConversation(e.sdk.Conversations.Get(ctx, benchConversationID))
			}},
		{"ContactsAll",
			func(ctx context.Context) error { return e.handAllContacts(ctx, count) },
			func(ctx context.Context) error { return e.sdkAllContacts(ctx, count) }},
	}
}

// exchange returns the exchange called name.
func (e *benchEnv) exchange(tb testing.TB, name string) benchExchange {
	tb.Helper()
	for _, x := range e.exchanges() {
		if x.name == name {
			return x
		}
	}
	tb.Fatalf("no exchange %q", name)
	return benchExchange{}
}

// benchPair runs the exchange called name as two sub-benchmarks of b,
// impl=baseline and impl=sdk, each against its own client and the same
// server.
func benchPair(b *testing.B, name string) {
	e := newBenchEnv(b, nil)
	x := e.exchange(b, name)
	ctx := context.Background()
	for _, impl := range []struct {
		name string
		run  func(ctx context.Context) error
	}{{"impl=baseline", x.baseline}, {"impl=sdk", x.sdk}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := impl.run(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkContactsList fetches one page of 100 contacts.
func BenchmarkContactsList(b *testing.B) { benchPair(b, "ContactsList") }

// BenchmarkSendMessage sends a text message.
func BenchmarkSendMessage(b *testing.B) { benchPair(b, "SendMessage") }

// BenchmarkSendTemplate sends a template message with three tags.
func BenchmarkSendTemplate(b *testing.B) { benchPair(b, "SendTemplate") }

// BenchmarkConversationsGet reads one conversation.
func BenchmarkConversationsGet(b *testing.B) { benchPair(b, "ConversationsGet") }

// BenchmarkContactsAll walks 10,000 contacts, 100 pages of 100; one op is
// the whole walk.
func BenchmarkContactsAll(b *testing.B) { benchPair(b, "ContactsAll") }

// BenchmarkInterleaved runs each exchange's baseline and SDK version
// alternately, one call each per iteration (their order swapped every
// iteration), and reports the ratio of their totals, sdk/baseline, in wall
// time and, where the system tells it, in the process's CPU time (both
// clients and the server, which does the same work for both). Load from
// other processes falls on both alike, so the ratios hold on a busy machine
// where the separate benchmarks' ns/op swing widely. An op is one call of
// each.
func BenchmarkInterleaved(b *testing.B) {
	e := newBenchEnv(b, nil)
	ctx := context.Background()
	for _, x := range e.exchanges() {
		b.Run(x.name, func(b *testing.B) {
			var wall, cpu [2]time.Duration // [0] baseline, [1] sdk
			runs := [2]func(ctx context.Context) error{x.baseline, x.sdk}
			cpuOK := true
			i := 0
			for b.Loop() {
				for j := range 2 {
					k := (i + j) % 2
					start := time.Now()
					cpuStart, ok1 := processCPU()
					if err := runs[k](ctx); err != nil {
						b.Fatal(err)
					}
					cpuEnd, ok2 := processCPU()
					wall[k] += time.Since(start)
					cpu[k] += cpuEnd - cpuStart
					cpuOK = cpuOK && ok1 && ok2
				}
				i++
			}
			b.ReportMetric(float64(wall[0].Nanoseconds())/float64(b.N), "baseline-ns/op")
			b.ReportMetric(float64(wall[1].Nanoseconds())/float64(b.N), "sdk-ns/op")
			b.ReportMetric(float64(wall[1])/float64(wall[0]), "sdk/baseline")
			if cpuOK && cpu[0] > 0 {
				b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "sdk/baseline-cpu")
			}
		})
	}
}

// heapSampler measures the heap after a full collection, so that only
// memory still reachable counts, and keeps the peaks above the level at
// which it was made: live is runtime.MemStats.HeapAlloc (the bytes of live
// objects), inUse is HeapInuse (the spans holding them, which also counts
// the free room in partly used spans and so moves in 8 KiB steps).
type heapSampler struct {
	startLive, startInUse uint64
	live, inUse           uint64
	stats                 runtime.MemStats
}

func newHeapSampler() *heapSampler {
	s := &heapSampler{}
	s.read()
	s.startLive, s.startInUse = s.stats.HeapAlloc, s.stats.HeapInuse
	return s
}

func (s *heapSampler) read() {
	runtime.GC()
	runtime.ReadMemStats(&s.stats)
}

// sample records the heap now.
func (s *heapSampler) sample() {
	s.read()
	s.live = max(s.live, above(s.stats.HeapAlloc, s.startLive))
	s.inUse = max(s.inUse, above(s.stats.HeapInuse, s.startInUse))
}

func above(n, start uint64) uint64 {
	if n < start {
		return 0
	}
	return n - start
}

// pageHeap is one page's worth: the live heap held by one *Page[Contact] of
// 100 contacts (the decoded items and the raw body kept in its Response).
func (e *benchEnv) pageHeap(ctx context.Context) (uint64, error) {
	s := newHeapSampler()
	p, err := e.sdk.Contacts.List(ctx, &benchListParams)
	s.sample()
	runtime.KeepAlive(p)
	return s.live, err
}

// walkHeap runs walk (one of the All exchanges) and samples the heap once
// per page, from inside the consumer's loop, while the walk holds that page.
func walkHeap(ctx context.Context, walk func(ctx context.Context, each func(Contact)) error) (*heapSampler, error) {
	n := 0
	s := newHeapSampler()
	err := walk(ctx, func(Contact) {
		if n%benchPageSize == 0 {
			s.sample()
		}
		n++
	})
	return s, err
}

// warmUp makes one call with each client so that connections and lazily
// built state exist before anything is measured.
func (e *benchEnv) warmUp(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	for _, call := range []func(context.Context) error{e.handListContacts, e.sdkListContacts} {
		if err := call(ctx); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkContactsAllHeap reports the peak heap while walking 10,000
// contacts, sampled after a forced collection at each page from inside the
// consumer's loop (see heapSampler): peak-live-B, the live bytes above the
// level before the walk; peak-live-pages, the same in units of one decoded
// page (pageHeap); peak-inuse-B, the HeapInuse delta. It reports no time:
// the collections dominate it.
func BenchmarkContactsAllHeap(b *testing.B) {
	e := newBenchEnv(b, nil)
	e.warmUp(b)
	ctx := context.Background()
	page, err := e.pageHeap(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name string
		walk func(ctx context.Context, each func(Contact)) error
	}{{"impl=baseline", e.handAllContacts}, {"impl=sdk", e.sdkAllContacts}} {
		b.Run(impl.name, func(b *testing.B) {
			var live, inUse uint64
			for b.Loop() {
				s, err := walkHeap(ctx, impl.walk)
				if err != nil {
					b.Fatal(err)
				}
				live, inUse = max(live, s.live), max(inUse, s.inUse)
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(live), "peak-live-B")
			b.ReportMetric(float64(live)/float64(page), "peak-live-pages")
			b.ReportMetric(float64(inUse), "peak-inuse-B")
		})
	}
}

// TestContactsAllHeapUnderThreePages holds All to its promise of one page
// in memory at a time, with the measure of BenchmarkContactsAllHeap. It is
// not parallel: it reads the whole process's heap.
func TestContactsAllHeapUnderThreePages(t *testing.T) {
	e := newBenchEnv(t, nil)
	e.warmUp(t)
	ctx := context.Background()
	page, err := e.pageHeap(ctx)
	require.NoError(t, err)
	require.NotZero(t, page)
	s, err := walkHeap(ctx, e.sdkAllContacts)
	require.NoError(t, err)
	assert.Less(t, s.live, 3*page, "peak live heap while walking %d pages, against one page's %d bytes", benchPages, page)
}

// reportHMACRate reports hmac/s: the HMACs computed since a run began, over
// the number of distinct Unix seconds the run touched. One HMAC per client
// per second is 1.
func reportHMACRate(b *testing.B, hmacs uint64, firstUnix int64) {
	seconds := time.Now().Unix() - firstUnix + 1
	b.ReportMetric(float64(hmacs)/float64(seconds), "hmac/s")
}

// BenchmarkSignerToken asks one signer for the current token from 8
// goroutines per CPU at once: it allocates nothing and computes one HMAC per
// second whatever the load.
func BenchmarkSignerToken(b *testing.B) {
	s := &signer{secret: hidden(testSecret), now: time.Now}
	b.ReportAllocs()
	b.SetParallelism(8)
	first := time.Now().Unix()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if len(s.token()) != 100 {
				b.Error("malformed token")
			}
		}
	})
	reportHMACRate(b, s.hmacs.Load(), first)
}

// BenchmarkSendMessageParallel sends messages from 8 goroutines per CPU
// through one client and reports its HMACs per second: the baseline
// computes one per request, the SDK one per second.
func BenchmarkSendMessageParallel(b *testing.B) {
	e := newBenchEnv(b, nil)
	x := e.exchange(b, "SendMessage")
	ctx := context.Background()
	for _, impl := range []struct {
		name   string
		run    func(ctx context.Context) error
		signer *signer
	}{
		{"impl=baseline", x.baseline, nil},
		{"impl=sdk", x.sdk, e.sdk.signer},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(8)
			first := time.Now().Unix()
			var before uint64
			if impl.signer != nil {
				// Forget the tokens of earlier rounds, so that this
				// round pays for every second it touches.
				impl.signer.cached.Store(nil)
				before = impl.signer.hmacs.Load()
			}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := impl.run(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
			hmacs := uint64(b.N) // the baseline signs every request
			if impl.signer != nil {
				hmacs = impl.signer.hmacs.Load() - before
			}
			reportHMACRate(b, hmacs, first)
		})
	}
}

// TestSignerOneHMACPerSecond checks the signer's cache under contention with
// a fake clock: however many goroutines ask at once, each second costs one
// HMAC, and each token is the one for its second.
func TestSignerOneHMACPerSecond(t *testing.T) {
	t.Parallel()
	var unix atomic.Int64
	unix.Store(1700000000)
	s := &signer{secret: hidden(testSecret), now: func() time.Time { return time.Unix(unix.Load(), 0) }}
	for second := int64(1700000000); second < 1700000003; second++ {
		unix.Store(second)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				<-start
				for range 100 {
					assert.Equal(t, GenerateToken(testSecret, time.Unix(second, 0)), s.token())
				}
			})
		}
		close(start)
		wg.Wait()
		assert.Equal(t, uint64(second-1700000000+1), s.hmacs.Load(), "HMACs after second %d", second)
	}

	// A request that read the clock just before the last second began
	// still finds its token; one further back, or a clock set back, costs
	// one HMAC for that second.
	unix.Store(1700000001)
	assert.Equal(t, GenerateToken(testSecret, time.Unix(1700000001, 0)), s.token())
	assert.Equal(t, uint64(3), s.hmacs.Load(), "HMACs after the second before the last")
	unix.Store(1700000000)
	assert.Equal(t, GenerateToken(testSecret, time.Unix(1700000000, 0)), s.token())
	assert.Equal(t, GenerateToken(testSecret, time.Unix(1700000000, 0)), s.token())
	assert.Equal(t, uint64(4), s.hmacs.Load(), "HMACs after going back two seconds")
	unix.Store(1700000002)
	assert.Equal(t, GenerateToken(testSecret, time.Unix(1700000002, 0)), s.token())
	assert.Equal(t, uint64(4), s.hmacs.Load(), "the latest second is kept")
}

// TestBenchClientsAgree checks the benchmarks measure what they claim: both
// clients send signed requests with the same headers and decode the same
// answers to the same values.
func TestBenchClientsAgree(t *testing.T) {
	t.Parallel()
	e := newBenchEnv(t, func(r *http.Request, body []byte) {
		assertSigned(t, wireRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header, Body: body})
	})
	ctx := context.Background()

	sdkPage, err := e.sdk.Contacts.List(ctx, &benchListParams)
	require.NoError(t, err)
	handPage, err := e.hand.listContacts(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, handPage.Data, sdkPage.Items)
	assert.Equal(t, handPage.Meta, sdkPage.Meta)
	assert.Equal(t, handPage.Links, sdkPage.Links)
	assert.Len(t, sdkPage.Items, benchPageSize)

	sdkSent, err := e.sdk.Messages.Send(ctx, benchMessage)
	require.NoError(t, err)
	handSent, err := e.hand.sendMessage(ctx, benchMessage)
	require.NoError(t, err)
	assert.Equal(t, handSent, withoutResponse(sdkSent))

	sdkSent, err = e.sdk.Templates.Send(ctx, benchTemplate)
	require.NoError(t, err)
	handSent, err = e.hand.sendTemplate(ctx, benchTemplate)
	require.NoError(t, err)
	assert.Equal(t, handSent, withoutResponse(sdkSent))

	sdkConv, err := e.sdk.Conversations.Get(ctx, benchConversationID)
	require.NoError(t, err)
	handConv, err := e.hand.getConversation(ctx, benchConversationID)
	require.NoError(t, err)
	assert.Equal(t, handConv, withoutResponse(sdkConv))

	var sdkIDs, handIDs []string
	require.NoError(t, e.sdkAllContacts(ctx, func(c Contact) { sdkIDs = append(sdkIDs, c.ID) }))
	require.NoError(t, e.handAllContacts(ctx, func(c Contact) { handIDs = append(handIDs, c.ID) }))
	assert.Equal(t, handIDs, sdkIDs)
}

// BenchmarkDecodeContactsPage decodes one generated page of 100 contacts
// without the HTTP exchange: usual, as the API sends it, and with one odd
// value in the middle contact ("name": 7), which sends the page through
// the tolerant decoding.
func BenchmarkDecodeContactsPage(b *testing.B) {
	usual := benchContactsPage(1, benchPages)
	const key = `"name":"`
	i := bytes.Index(usual[len(usual)/2:], []byte(key)) + len(usual)/2
	end := i + len(key) + bytes.IndexByte(usual[i+len(key):], '"') + 1
	odd := slices.Concat(usual[:i], []byte(`"name":7`), usual[end:])
	if !json.Valid(odd) {
		b.Fatal("the odd page is not JSON")
	}
	for _, tc := range []struct {
		name string
		body []byte
	}{{"answer=usual", usual}, {"answer=one-odd-value", odd}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				if env, err := decodeList[Contact](tc.body); err != nil || len(env.Data.items) != benchPageSize {
					b.Fatal(err)
				}
			}
		})
	}
}

// adversarialMaskCases are texts of 1 MiB a hostile server can send, each
// against needles of 8, 100 and 1000 bytes that almost match everywhere:
// full of '%' and backslashes, each of which can be read as itself or as
// the start of an escape, or a run of one letter that ends wrong.
func adversarialMaskCases() []struct{ name, text, needle string } {
	const size = 1 << 20
	var cases []struct{ name, text, needle string }
	for _, n := range []int{8, 100, 1000} {
		percent := strings.Repeat("%", n-1) + "X"
		backslash := strings.Repeat(`\`, n-1) + "X"
		cases = append(cases,
			struct{ name, text, needle string }{fmt.Sprintf("text=%%25,needle=%d", n), strings.Repeat("%25", size/3), percent},
			struct{ name, text, needle string }{fmt.Sprintf("text=a,needle=%d", n), strings.Repeat("a", size), strings.Repeat("a", n-1) + "b"},
			struct{ name, text, needle string }{fmt.Sprintf(`text=\u0061,needle=%d`, n), strings.Repeat(`\u0061`, size/6), strings.Repeat("a", n-1) + "b"},
			struct{ name, text, needle string }{fmt.Sprintf(`text=\,needle=%d`, n), strings.Repeat(`\`, size), backslash},
		)
	}
	return cases
}

// BenchmarkMaskAdversarial masks 1 MiB texts built to make a credential
// search slow; the time should grow with the text, not with the needle.
func BenchmarkMaskAdversarial(b *testing.B) {
	for _, tc := range adversarialMaskCases() {
		b.Run(tc.name, func(b *testing.B) {
			m := newMasker([]string{tc.needle})
			b.SetBytes(int64(len(tc.text)))
			for b.Loop() {
				m.mask(tc.text)
			}
		})
	}
}
