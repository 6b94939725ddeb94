package cli

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestFactoryOnlyChoosesTheBackend: the factory's one job is to choose and
// open the backend; output is the Printer's and log-ins the Logins'.
// Its methods all live in factory.go, so that a new job shows.
func TestFactoryOnlyChoosesTheBackend(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") || path == "factory.go" {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil {
				if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok && star.X.(*ast.Ident).Name == "Factory" {
					t.Errorf("%s: (*Factory).%s: the factory only chooses the backend", path, fn.Name.Name)
				}
			}
		}
	}
}

func TestCredentialsAndPrinter(t *testing.T) {
	dir := t.TempDir()
	creds := NewLogins(func(k string) string {
		if k == "REALTY_CONFIG_DIR" {
			return dir
		}
		return ""
	})
	if err := creds.Set("sqlite:/a.db", credential{Token: "rty_a", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if c, err := creds.Get("sqlite:/a.db"); err != nil || c.Token != "rty_a" {
		t.Errorf("Get after Set: %+v, %v", c, err)
	}
	if err := creds.Set("sqlite:/a.db", credential{}); err != nil {
		t.Fatal(err)
	}
	if c, _ := creds.Get("sqlite:/a.db"); c.Token != "" {
		t.Error("a zero credential did not forget the log-in")
	}
	if _, err := NewLogins(func(string) string { return "" }).Get("x"); err == nil {
		t.Error("no HOME and no configuration directory: no error")
	}

	var out bytes.Buffer
	p := &Printer{IO: &IO{Out: &out, Env: func(string) string { return "" }}, JQ: ".items[].name"}
	if !p.Machine() {
		t.Error("--jq is not machine output")
	}
	if err := p.JSONOut(map[string]any{"items": []any{map[string]any{"name": "Loft"}}}); err != nil || out.String() != "Loft\n" {
		t.Errorf("--jq output %q, %v", out.String(), err)
	}
}
