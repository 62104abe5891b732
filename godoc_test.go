package sendbee_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// godocForbidden are words no exported doc comment may use: godoc says
// what the API and this library do, and comparisons with the other
// clients belong in MIGRATING.md.
var godocForbidden = regexp.MustCompile(`\b(Python|PHP)\b`)

// TestGodocForUsers reads the exported documentation of package sendbee and
// package sendbeetest, as go doc shows it (the package comment, every
// exported constant, variable, function, type, method and field), and fails
// when a comment names the Python or PHP client or an unexported identifier
// of its package. An unexported name counts when it cannot be an English
// word: it holds an upper-case letter, a digit or an underscore
// (decodeObject, errNotAnObject), so "call" or "service" in prose pass.
func TestGodocForUsers(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{".", "sendbeetest"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			docs, unexported := exportedDocs(t, dir)
			if len(docs) < 20 {
				t.Fatalf("found only %d exported doc comments in %s", len(docs), dir)
			}
			ident := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
			for _, d := range docs {
				if m := godocForbidden.FindString(d.text); m != "" {
					t.Errorf("%s: the doc of %s names %q; move the comparison to MIGRATING.md", d.pos, d.name, m)
				}
				for _, word := range ident.FindAllString(d.text, -1) {
					if unexported[word] {
						t.Errorf("%s: the doc of %s names the unexported %s", d.pos, d.name, word)
					}
				}
			}
		})
	}
}

// exportedDoc is one doc comment that go doc shows.
type exportedDoc struct {
	name string // what it documents, such as "Conversation.UnmarshalJSON"
	pos  token.Position
	text string
}

// exportedDocs parses the non-test files of dir and returns the doc
// comments go doc shows, and the package's unexported names that cannot be
// English words.
func exportedDocs(t *testing.T, dir string) ([]exportedDoc, map[string]bool) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}

	unexported := map[string]bool{}
	for _, f := range files {
		for _, decl := range f.Decls {
			for _, name := range declaredNames(decl) {
				if !ast.IsExported(name) && strings.ContainsFunc(name, func(r rune) bool {
					return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '_'
				}) {
					unexported[name] = true
				}
			}
		}
	}

	pkg, err := doc.NewFromFiles(fset, files, "github.com/sendbee/sendbee-go/"+dir)
	if err != nil {
		t.Fatal(err)
	}
	var docs []exportedDoc
	add := func(name string, pos token.Pos, texts ...string) {
		for _, text := range texts {
			if strings.TrimSpace(text) != "" {
				docs = append(docs, exportedDoc{name, fset.Position(pos), text})
			}
		}
	}
	for _, f := range files {
		if f.Doc != nil {
			add("the package", f.Doc.Pos(), pkg.Doc)
			break
		}
	}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			add(strings.Join(v.Names, ", "), v.Decl.Pos(), v.Doc)
			for _, spec := range v.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				add(vs.Names[0].Name, vs.Pos(), vs.Doc.Text(), vs.Comment.Text())
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			add(prefix+f.Name, f.Decl.Pos(), f.Doc)
		}
	}
	values(pkg.Consts)
	values(pkg.Vars)
	funcs("", pkg.Funcs)
	for _, typ := range pkg.Types {
		add(typ.Name, typ.Decl.Pos(), typ.Doc)
		values(typ.Consts)
		values(typ.Vars)
		funcs("", typ.Funcs)
		funcs(typ.Name+".", typ.Methods)
		for _, spec := range typ.Decl.Specs {
			ts := spec.(*ast.TypeSpec)
			add(typ.Name, ts.Pos(), ts.Doc.Text(), ts.Comment.Text())
			var fields *ast.FieldList
			switch tt := ts.Type.(type) {
			case *ast.StructType:
				fields = tt.Fields
			case *ast.InterfaceType:
				fields = tt.Methods
			}
			if fields == nil {
				continue
			}
			for _, field := range fields.List {
				if len(field.Names) > 0 && !field.Names[0].IsExported() {
					continue
				}
				add(typ.Name+" field", field.Pos(), field.Doc.Text(), field.Comment.Text())
			}
		}
	}
	return docs, unexported
}

// declaredNames returns the names decl declares at package level, methods
// included.
func declaredNames(decl ast.Decl) []string {
	var names []string
	switch d := decl.(type) {
	case *ast.FuncDecl:
		names = append(names, d.Name.Name)
	case *ast.GenDecl:
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			}
		}
	}
	return names
}
