package sendbee_test

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The documents whose ```go blocks TestDocSnippetsCompile type-checks, each
// with the fewest blocks it must hold (so that a broken extractor, which
// would check nothing, fails instead of passing).
var snippetDocs = []struct {
	path      string
	minBlocks int
}{
	{"README.md", 30},
	{"MIGRATING.md", 1},
}

// fragmentParams are the names a README fragment (a block of statements)
// may use without declaring them: every fragment becomes the body of a
// function with these parameters, returning error. CONTRIBUTING.md lists
// them too; keep the two in step.
const fragmentParams = `ctx context.Context, client *sendbee.Client, apiKey, apiSecret string, ` +
	`httpClient *http.Client, limiter sendbee.RateLimiter, phone, text string, phones []string, r *http.Request, ` +
	`srv *sendbeetest.Server`

// notCompiledMarker, on the line before a ```go fence, exempts that block
// from the check; it must say why (a module this one does not depend on).
var notCompiledMarker = regexp.MustCompile(`^<!-- not compiled: (\S.*\S) -->$`)

// knownImports are the packages a fragment or declaration block may use
// without importing them; the harness adds the import when the block
// refers to the package by this name.
var knownImports = map[string]string{
	"context":     "context",
	"errors":      "errors",
	"fmt":         "fmt",
	"http":        "net/http",
	"httptest":    "net/http/httptest",
	"io":          "io",
	"iter":        "iter",
	"log":         "log",
	"os":          "os",
	"slog":        "log/slog",
	"strings":     "strings",
	"sync":        "sync",
	"time":        "time",
	"sendbee":     "github.com/sendbee/sendbee-go",
	"sendbeetest": "github.com/sendbee/sendbee-go/sendbeetest",
}

// snippet is one ```go block of a document.
type snippet struct {
	doc  string // the document's path, as it is named in errors
	line int    // the line of the block's first line of code
	code string
}

// TestDocSnippetsCompile type-checks every ```go block of README.md and
// MIGRATING.md with `go build` and `go vet`, so that the documents cannot drift from the
// API. A block is one of three kinds:
//
//   - a complete file (it has a package clause) is checked as it is, in a
//     package of its own;
//   - a block of declarations (only func, type, var, const and import at top
//     level) goes at file scope of a shared package;
//   - anything else is a fragment: the body of a function of that package
//     whose parameters are fragmentParams and whose result is error, so
//     `return err` works. Leading import lines are kept as imports.
//
// Declaration blocks and fragments need not import the packages of
// knownImports. A block preceded by `<!-- not compiled: why -->` is skipped.
// Every block must also be gofmt-formatted. Errors name the document's
// lines (README.md:123), through //line directives.
func TestDocSnippetsCompile(t *testing.T) {
	t.Parallel()
	var snippets []snippet
	for _, d := range snippetDocs {
		found, err := extractGoBlocks(d.path)
		if err != nil {
			t.Fatal(err)
		}
		if len(found) < d.minBlocks {
			t.Fatalf("%s: found %d Go blocks to check, want at least %d", d.path, len(found), d.minBlocks)
		}
		snippets = append(snippets, found...)
	}

	// The packages go inside this module, so that they import this
	// module's packages as they are; a directory starting with "_" is left
	// out of ./... patterns while it exists.
	dir, err := os.MkdirTemp(".", "_docsnippets")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	pkgs, err := writeSnippetPackages(dir, snippets)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("checking %d Go blocks: %d complete files, the rest declarations and fragments", len(snippets), len(pkgs)-1)
	for _, s := range snippets {
		if !gofmted(s.code) {
			t.Errorf("%s:%d: this Go block is not gofmt-formatted", s.doc, s.line)
		}
	}
	// go build lists every type error (-e); go vet then adds its checks.
	for _, args := range [][]string{{"build", "-gcflags=-e"}, {"vet"}} {
		cmd := exec.Command("go", append(args, pkgs...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("a Go block of the documentation does not compile (go %s: %v):\n%s", args[0], err, out)
		}
	}
}

// gofmted reports whether code is as gofmt would write it: a file or a
// block of declarations as it is, a fragment as the body of a function.
func gofmted(code string) bool {
	if kindOf(code) != "fragment" {
		src := code
		if kindOf(code) == "decls" {
			src = "package p\n\n" + code
		}
		formatted, err := format.Source([]byte(src))
		return err == nil && string(formatted) == src
	}
	imports, body, _ := splitImports(code)
	var b strings.Builder
	b.WriteString("package p\n\n" + imports + "func f() {\n")
	for _, line := range strings.SplitAfter(body, "\n") {
		if strings.TrimSpace(line) != "" {
			b.WriteString("\t")
		}
		b.WriteString(line)
	}
	b.WriteString("}\n")
	formatted, err := format.Source([]byte(b.String()))
	return err == nil && string(formatted) == b.String()
}

// extractGoBlocks returns the ```go blocks of the Markdown file at path,
// leaving out those marked not compiled.
func extractGoBlocks(path string) ([]snippet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		out      []snippet
		cur      *snippet
		inOther  bool // inside a fenced block of another language
		prev     string
		skipNext bool
		n        int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case cur != nil && line == "```":
			if !skipNext {
				out = append(out, *cur)
			}
			cur, skipNext = nil, false
		case cur != nil:
			cur.code += line + "\n"
		case inOther:
			inOther = line != "```"
		case line == "```go":
			cur = &snippet{doc: path, line: n + 1}
			skipNext = notCompiledMarker.MatchString(prev)
		case strings.HasPrefix(line, "```"):
			inOther = true
		case strings.HasPrefix(line, "<!-- not compiled") && !notCompiledMarker.MatchString(line):
			return nil, fmt.Errorf("%s:%d: a not-compiled marker must read <!-- not compiled: reason -->", path, n)
		}
		if strings.TrimSpace(line) != "" || cur != nil {
			prev = line
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: a ```go block is never closed", path, cur.line-1)
	}
	return out, nil
}

// writeSnippetPackages writes the snippets as Go packages under dir and
// returns their import paths relative to the module root.
func writeSnippetPackages(dir string, snippets []snippet) ([]string, error) {
	shared := filepath.Join(dir, "shared")
	if err := os.MkdirAll(shared, 0o755); err != nil {
		return nil, err
	}
	pkgs := []string{"./" + filepath.ToSlash(shared)}
	for i, s := range snippets {
		name := filepath.Join(shared, fmt.Sprintf("snippet%02d.go", i))
		var src string
		switch kindOf(s.code) {
		case "file":
			own := filepath.Join(dir, fmt.Sprintf("file%02d", i))
			if err := os.MkdirAll(own, 0o755); err != nil {
				return nil, err
			}
			pkgs = append(pkgs, "./"+filepath.ToSlash(own))
			name = filepath.Join(own, "snippet.go")
			src = lineDirective(s, 0) + s.code
		case "decls":
			src = "package shared\n\n" + importBlock(s.code, nil) + lineDirective(s, 0) + s.code
		default:
			src = fragmentSource(i, s)
		}
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			return nil, err
		}
	}
	return pkgs, nil
}

// kindOf tells a complete file ("file"), a block of top-level declarations
// ("decls") and a fragment ("fragment") apart.
func kindOf(code string) string {
	for _, line := range strings.Split(code, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		if strings.HasPrefix(line, "package ") {
			return "file"
		}
		break
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code, parser.SkipObjectResolution)
	if err == nil && len(f.Decls) > 0 {
		return "decls"
	}
	return "fragment"
}

// fragmentSource wraps fragment s, number i, in a function of package
// shared whose parameters are fragmentParams.
func fragmentSource(i int, s snippet) string {
	own, body, skipped := splitImports(s.code)
	ret := "\treturn nil\n"
	if f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() error {\n"+body+"\n}", parser.SkipObjectResolution); err == nil {
		stmts := f.Decls[0].(*ast.FuncDecl).Body.List
		if len(stmts) > 0 {
			if _, ok := stmts[len(stmts)-1].(*ast.ReturnStmt); ok {
				ret = ""
			}
		}
	}
	// fragmentParams name context, http, sendbee and sendbeetest.
	return "package shared\n\n" + own + importBlock(body+" context.X http.X sendbee.X sendbeetest.X", importedNames(own)) +
		fmt.Sprintf("func snippet%02d(%s) error {\n", i, fragmentParams) +
		lineDirective(s, skipped) + body + ret + "}\n"
}

// splitImports splits a fragment's leading import lines (and the blank
// lines among and after them) from the rest, its body, which starts at
// line number skipped (from 0) of code.
func splitImports(code string) (imports, body string, skipped int) {
	lines := strings.SplitAfter(code, "\n")
	var b strings.Builder
	for inBlock := false; skipped < len(lines); skipped++ {
		line := strings.TrimSpace(lines[skipped])
		switch {
		case inBlock:
			inBlock = line != ")"
		case line == "import (":
			inBlock = true
		case strings.HasPrefix(line, "import "), line == "" && skipped < len(lines)-1 && b.Len() > 0:
		default:
			return b.String(), strings.Join(lines[skipped:], ""), skipped
		}
		b.WriteString(lines[skipped])
	}
	return b.String(), "", skipped
}

// lineDirective returns a //line directive naming the document's line of
// the block's line number skip (from 0).
func lineDirective(s snippet, skip int) string {
	return "//line " + s.doc + ":" + strconv.Itoa(s.line+skip) + "\n"
}

// importBlock returns an import declaration for the knownImports that code
// refers to as pkg.Name and that are not in have.
func importBlock(code string, have []string) string {
	used := map[string]bool{}
	for _, name := range qualifiers(code) {
		if _, ok := knownImports[name]; ok && !slices.Contains(have, name) {
			used[name] = true
		}
	}
	for _, name := range importedNames(code) {
		delete(used, name)
	}
	if len(used) == 0 {
		return ""
	}
	names := make([]string, 0, len(used))
	for name := range used {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("import (\n")
	for _, name := range names {
		fmt.Fprintf(&b, "\t%q\n", knownImports[name])
	}
	b.WriteString(")\n\n")
	return b.String()
}

// qualifiers returns every identifier x of code that is followed by ".y"
// (a package name, or a variable's field or method), outside strings and
// comments.
func qualifiers(code string) []string {
	type item struct {
		tok token.Token
		lit string
	}
	var s scanner.Scanner
	s.Init(token.NewFileSet().AddFile("", -1, len(code)), []byte(code), nil, 0)
	var items []item
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		items = append(items, item{tok, lit})
	}
	var names []string
	for i := 0; i+2 < len(items); i++ {
		if items[i].tok == token.IDENT && items[i+1].tok == token.PERIOD && items[i+2].tok == token.IDENT &&
			(i == 0 || items[i-1].tok != token.PERIOD) {
			names = append(names, items[i].lit)
		}
	}
	return names
}

// importedNames returns the package names that code's own import lines
// bring in (the last element of each path).
func importedNames(code string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s*(?:import\s+)?"([^"]+)"\s*$`).FindAllStringSubmatch(code, -1) {
		p := m[1]
		if p == "github.com/sendbee/sendbee-go" {
			names = append(names, "sendbee")
			continue
		}
		names = append(names, p[strings.LastIndex(p, "/")+1:])
	}
	return names
}
