// Package arch checks the import rules of DESIGN.md §2, so that the layering
// cannot erode one convenient import at a time.
package arch

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/realtyhq/realty/"

// allowed lists, per package, the packages of this module its non-test code
// may import. Packages not listed may import anything of the module.
var allowed = map[string][]string{
	"pkg/realty":         {},
	"pkg/client":         {"pkg/realty"},
	"migrations":         {},
	"internal/store":     {"pkg/realty", "migrations"},
	"internal/service":   {"pkg/realty", "internal/store", "internal/ratelimit"},
	"internal/server":    {"pkg/realty", "internal/ratelimit"},
	"internal/ratelimit": {},
	"internal/tui":       {"pkg/realty"},
	"internal/contract":  {"pkg/realty"},
	"internal/testdb":    {"internal/store"},
	"cmd/realty":         {"internal/cli"},
}

// wiring lists the only files of internal/cli that may open a backend: the
// factory, and the start-up of commands that need the database itself.
var wiring = []string{"factory.go", "migrate.go", "serve.go"}

func TestImportRules(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			dep, ok := strings.CutPrefix(p, module)
			if !ok {
				continue
			}
			if rules, listed := allowed[rel]; listed && !slices.Contains(rules, dep) {
				t.Errorf("%s imports %s: %s may only import %v", path, dep, rel, rules)
			}
			if rel == "internal/cli" && (dep == "internal/store" || dep == "internal/service" || dep == "internal/server" || dep == "pkg/client") &&
				!slices.Contains(wiring, filepath.Base(path)) {
				t.Errorf("%s imports %s: only the factory chooses and opens a backend", path, dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
