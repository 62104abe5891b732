// Package examples_test builds and runs every program under examples/, so
// that the examples cannot rot: each must build, run with no SENDBEE_*
// environment (against the in-process fake API) and exit 0 within a
// timeout, and the known ones must print their key lines.
package examples_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go/sendbeetest"
)

// runTimeout bounds one run of an example; buildTimeout one build.
const (
	runTimeout   = 90 * time.Second
	buildTimeout = 3 * time.Minute
)

// keyLines are lines, or parts of lines, that an example's standard output
// must hold when it runs with no SENDBEE_* environment. An example missing
// here is still built and run, and must still exit 0.
var keyLines = map[string][]string{
	"quickstart": {
		`created contact field "City" (text)`,
		"subscribed Lucija Novak (+385991234567), status subscribed",
		"  tags: customer, newsletter",
		"  City = Zagreb",
		"All read 25 contacts, 10 per page, in 3 requests",
		`sent template "welcome": queued`,
		"  outbound sent     Hello Lucija, welcome to Sendbee Shop!",
		"chatbot off after sending",
		"chatbot on after switching it on",
		"chatbot off after switching it off",
		"retries off: 429 rate_limit_exceeded",
		"retry after 1s",
		"retries on: rate_limit_ok after 2 attempts",
		"\ndone.\n",
	},
	"broadcast": {
		"sent 200, failed 0, outcome unknown 0",
		"The fake API received 200 requests (a 429 is waited out and retried) and processed 200 sends\n",
	},
	"webhook": {
		"signed request: 200 OK",
		"forged request: 401 Unauthorized",
	},
}

// exampleArgs are the flags an example runs with in TestExamples: the
// broadcast keeps to Sendbee's 60 requests a minute by default, which would
// take minutes; the fake allows it to go faster.
var exampleArgs = map[string][]string{
	"broadcast": {"-rate", "6000"},
}

// exampleDirs returns the directories under examples/ that hold Go files,
// leaving out those that hold a go.mod of their own: a nested module (such
// as fleet/, which needs Redis) builds and tests on its own, and the go
// command of this module cannot build it.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(e.Name(), "go.mod")); err == nil {
			continue
		}
		files, err := filepath.Glob(filepath.Join(e.Name(), "*.go"))
		require.NoError(t, err)
		if len(files) > 0 {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

// TestKeyLinesNameExamples keeps keyLines honest: every example it names
// exists, so a renamed or deleted example does not leave checks that
// silently never run.
func TestKeyLinesNameExamples(t *testing.T) {
	t.Parallel()
	dirs := exampleDirs(t)
	for name := range keyLines {
		assert.Contains(t, dirs, name, "keyLines names an example that does not exist")
	}
}

// TestExampleDirsSkipNestedModules checks that a folder holding its own
// go.mod, such as fleet/, is left to its own module's build and tests.
func TestExampleDirsSkipNestedModules(t *testing.T) {
	t.Parallel()
	_, err := os.Stat(filepath.Join("fleet", "go.mod"))
	require.NoError(t, err, "fleet/ is a nested module")
	dirs := exampleDirs(t)
	assert.NotContains(t, dirs, "fleet")
	assert.Contains(t, dirs, "quickstart")
}

// TestExamples builds every example once, then, in parallel subtests,
// runs each with no SENDBEE_* environment (checking that it exits 0,
// prints its key lines and no credential), and puts the quickstart and
// the broadcast through their other modes.
func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every example")
	}
	names := exampleDirs(t)
	bins := buildExamples(t, names)
	for _, name := range names {
		t.Run("run/"+name, func(t *testing.T) {
			t.Parallel()
			res := runExample(t, bins[name], nil, exampleArgs[name]...)
			require.Equal(t, 0, res.code, "exit code; stderr:\n%s", res.stderr)
			for _, line := range keyLines[name] {
				assert.Contains(t, res.stdout, line)
			}
			assertNoSecrets(t, res)
		})
	}
	for _, sub := range []struct {
		name    string
		example string
		test    func(t *testing.T, bin string)
	}{
		{"quickstart/README", "quickstart", testQuickstartOutputInREADME},
		{"quickstart/real API only reads", "quickstart", testQuickstartRealAPIOnlyReads},
		{"quickstart/needs both credentials", "quickstart", testQuickstartNeedsBothCredentials},
		{"broadcast/faults", "broadcast", testBroadcastFaults},
		{"broadcast/real API", "broadcast", testBroadcastRealAPI},
	} {
		t.Run(sub.name, func(t *testing.T) {
			t.Parallel()
			bin, ok := bins[sub.example]
			require.True(t, ok, "no example %q", sub.example)
			sub.test(t, bin)
		})
	}
}

// testQuickstartOutputInREADME checks that the README shows the
// quickstart's output exactly as it prints.
func testQuickstartOutputInREADME(t *testing.T, bin string) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	shown, ok := quickstartOutputSection(string(readme))
	require.True(t, ok, `README.md has no "## Quickstart output" section with a text block`)

	res := runExample(t, bin, nil)
	require.Equal(t, 0, res.code, "exit code; stderr:\n%s", res.stderr)
	assert.Equal(t, res.stdout, shown, "README.md's quickstart output differs from what the quickstart prints")
}

// quickstartOutputSection returns the first ```text block after the
// "## Quickstart output" heading.
func quickstartOutputSection(readme string) (string, bool) {
	_, section, ok := strings.Cut(readme, "\n## Quickstart output\n")
	if !ok {
		return "", false
	}
	_, block, ok := strings.Cut(section, "```text\n")
	if !ok {
		return "", false
	}
	block, _, ok = strings.Cut(block, "```\n")
	return block, ok
}

// testBroadcastFaults runs the broadcast with -faults and checks that each
// injected failure lands in the right bucket: 400s as failed, 500s and
// dropped connections as outcome unknown, 429s waited out and retried
// once each (202 requests) and sent; that the fake really sent the two
// dropped ones (196 sends processed); and that the exit code is 1.
func testBroadcastFaults(t *testing.T, bin string) {
	res := runExample(t, bin, nil, append(exampleArgs["broadcast"], "-faults")...)
	assert.Equal(t, 1, res.code, "exit code; stderr:\n%s", res.stderr)
	assert.Contains(t, res.stdout, "sent 194, failed 2, outcome unknown 4\n")
	assert.Equal(t, 2, strings.Count(res.stdout, "  failed: "))
	assert.Equal(t, 2, strings.Count(res.stdout, "400 bad_request: refused by -faults"))
	assert.Equal(t, 4, strings.Count(res.stdout, "  outcome unknown: +38599"))
	assert.Equal(t, 4, strings.Count(res.stdout, "outcome unknown, "), "the errors of unknown outcomes say so")
	assert.Contains(t, res.stdout, "The fake API received 202 requests (a 429 is waited out and retried) and processed 196 sends\n")
	assert.Contains(t, res.stderr, "2 sends failed and 4 have an unknown outcome")
	assertNoSecrets(t, res)
}

// testQuickstartRealAPIOnlyReads runs the quickstart in its real-API mode
// against a fake server standing in for Sendbee, and checks that it only
// reads, and with SENDBEE_TEST_PHONE sends exactly one message there.
func testQuickstartRealAPIOnlyReads(t *testing.T, bin string) {
	srv := newRealAPIServer()
	defer srv.Close()
	srv.AddInboundMessage("+385991112223", "Hello?")
	env := []string{"SENDBEE_API_KEY=" + srv.APIKey(), "SENDBEE_API_SECRET=" + srv.APISecret(), "SENDBEE_BASE_URL=" + srv.URL}

	res := runExample(t, bin, env)
	require.Equal(t, 0, res.code, "exit code; stderr:\n%s", res.stderr)
	assert.Contains(t, res.stdout, "reading only (set SENDBEE_TEST_PHONE")
	assert.Contains(t, res.stdout, "== Contacts\n1 in all; the first 1:\n  (no name) +385991112223 (subscribed)\n")
	assert.Contains(t, res.stdout, "  with (no name) (+385991112223): folder open, chatbot on, last message inbound received\n")
	assert.Contains(t, res.stdout, "welcome (en)")
	assert.Contains(t, res.stdout, "Support: Ana Horvat (admin)")
	assertNoSecrets(t, res, srv)
	reqs := signedRequests(t, srv)
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method, "%s %s", r.Method, r.Path)
	}
	assert.Zero(t, srv.SentCount())

	res = runExample(t, bin, append(env, "SENDBEE_TEST_PHONE=+385994445556"))
	require.Equal(t, 0, res.code, "exit code; stderr:\n%s", res.stderr)
	assert.Contains(t, res.stdout, "sent a message to SENDBEE_TEST_PHONE: queued")
	var writes []string
	for _, r := range signedRequests(t, srv)[len(reqs):] {
		if r.Method != http.MethodGet {
			writes = append(writes, r.Method+" "+r.Path)
			assert.Contains(t, string(r.Body), `"phone":"+385994445556"`)
		}
	}
	assert.Equal(t, []string{"POST /conversations/messages/send"}, writes)
	assert.Equal(t, 1, srv.SentCount())
}

// newRealAPIServer starts a fake standing in for the real API, with
// credentials of its own, so that what the example under test sends there
// can be told from anything else that reaches it (see signedRequests).
func newRealAPIServer() *sendbeetest.Server {
	return sendbeetest.NewServer(sendbeetest.WithCredentials("examples-key-"+rand.Text(), "examples-secret-"+rand.Text()))
}

// signedRequests returns, in order, the requests srv received signed with
// its API key: those of the example under test, the only client given that
// key. The fake listens on a loopback port of a machine other test suites
// share, and a stray client of theirs that reaches it brings another key
// (the fake answers 401 and acts on nothing); such requests are logged and
// left out.
func signedRequests(t *testing.T, srv *sendbeetest.Server) []sendbeetest.Request {
	t.Helper()
	var signed []sendbeetest.Request
	for _, r := range srv.Requests() {
		if r.Header.Get("X-Api-Key") != srv.APIKey() {
			t.Logf("not the example's (another API key): %s %s", r.Method, r.Path)
			continue
		}
		signed = append(signed, r)
	}
	return signed
}

// testQuickstartNeedsBothCredentials checks that one credential without
// the other is a clear error, not a silent fall-back to the fake.
func testQuickstartNeedsBothCredentials(t *testing.T, bin string) {
	res := runExample(t, bin, []string{"SENDBEE_API_KEY=key-only"})
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "set both SENDBEE_API_KEY and SENDBEE_API_SECRET")
	assert.Empty(t, res.stdout)
}

// testBroadcastRealAPI runs the broadcast in its real-API mode against a
// fake server standing in for Sendbee: without -phones it refuses and
// sends nothing; with a -phones file it sends to exactly those numbers.
func testBroadcastRealAPI(t *testing.T, bin string) {
	srv := newRealAPIServer()
	defer srv.Close()
	env := []string{"SENDBEE_API_KEY=" + srv.APIKey(), "SENDBEE_API_SECRET=" + srv.APISecret(), "SENDBEE_BASE_URL=" + srv.URL}

	res := runExample(t, bin, env, "-template", sendbeetest.TemplateWelcome)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "give the recipients with -phones FILE")
	assert.Empty(t, signedRequests(t, srv), "the broadcast sent requests without -phones")

	phones := filepath.Join(t.TempDir(), "phones.txt")
	require.NoError(t, os.WriteFile(phones, []byte("# test list\n+385991000001\n\n+385991000002\n"), 0o600))
	res = runExample(t, bin, env, "-phones", phones, "-template", sendbeetest.TemplateWelcome,
		"-tag", "1=friend", "-tag", "2=our shop", "-rate", "6000")
	require.Equal(t, 0, res.code, "exit code; stderr:\n%s", res.stderr)
	assert.Contains(t, res.stdout, "sent 2, failed 0, outcome unknown 0\n")
	assertNoSecrets(t, res, srv)
	var sentTo []string
	for _, c := range srv.Contacts() {
		sentTo = append(sentTo, c.Phone)
	}
	assert.ElementsMatch(t, []string{"+385991000001", "+385991000002"}, sentTo)
	assert.Equal(t, 2, srv.SentCount())
}

// buildExamples builds the examples in the named directories with one go
// build into a temporary directory, and returns each binary's path by name.
func buildExamples(t *testing.T, names []string) map[string]string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build the examples")
	dir := t.TempDir()
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	bins := make(map[string]string, len(names))
	for _, name := range names {
		args = append(args, "./"+name)
		bins[name] = filepath.Join(dir, name)
	}
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Env = withoutSendbee(os.Environ())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	return bins
}

// result is what one run of an example printed, and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

// runExample runs bin with args, its environment cleared of SENDBEE_*
// variables and then extended with env, and waits at most runTimeout.
func runExample(t *testing.T, bin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(withoutSendbee(os.Environ()), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "%s did not finish within %s; stdout:\n%s", filepath.Base(bin), runTimeout, stdout.String())
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		require.NoError(t, err, "running %s", filepath.Base(bin))
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

// withoutSendbee returns env without the SENDBEE_* variables, so that no
// test run reaches the real API with a developer's credentials.
func withoutSendbee(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "SENDBEE_") {
			kept = append(kept, kv)
		}
	}
	return kept
}

// assertNoSecrets checks that a run printed neither the fake API's key nor
// its secret: the defaults, and those of the servers given.
func assertNoSecrets(t *testing.T, res result, servers ...*sendbeetest.Server) {
	t.Helper()
	secrets := []string{sendbeetest.DefaultAPIKey, sendbeetest.DefaultAPISecret}
	for _, srv := range servers {
		secrets = append(secrets, srv.APIKey(), srv.APISecret())
	}
	for i, secret := range secrets {
		// a failure names the credential by its place, never by its value
		assert.False(t, strings.Contains(res.stdout, secret), "stdout holds credential #%d", i)
		assert.False(t, strings.Contains(res.stderr, secret), "stderr holds credential #%d", i)
	}
}
