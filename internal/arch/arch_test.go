// Package arch checks the import rules of DESIGN.md §2, so that the layering
// cannot erode one convenient import at a time.
package arch

import (
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/realtyhq/realty/"

// allowed lists, per package, the packages of this module its non-test code
// may import. It denies by default: a package that is not listed fails the
// test until someone decides where it sits in the layering.
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
	"internal/cli": {"pkg/realty", "pkg/client", "internal/service", "internal/store", "internal/server",
		"internal/tui", "migrations"},
	"internal/arch":          {},
	"scripts/loadtest/seed":  {"internal/store", "internal/service", "pkg/realty"},
	"scripts/loadtest/abuse": {},
	"scripts/loadtest/load":  {},
	"scripts/cluster/chaos":  {},
	"scripts/searchbench":    {"internal/store", "pkg/realty"},
}

// wiring lists the only files of internal/cli that may open a backend: the
// factory, and the start-up of commands that need the database itself.
var wiring = []string{"factory.go", "migrate.go", "serve.go"}

func TestImportRules(t *testing.T) {
	eachGoFile(t, false, func(path, rel string) error {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		var imports []string
		for _, imp := range f.Imports {
			imports = append(imports, strings.Trim(imp.Path.Value, `"`))
		}
		for _, problem := range importProblems(rel, filepath.Base(path), imports) {
			t.Errorf("%s: %s", path, problem)
		}
		return nil
	})
}

// importProblems checks the imports of one file of package rel.
func importProblems(rel, file string, imports []string) []string {
	rules, listed := allowed[rel]
	if !listed {
		return []string{"package " + rel + " is not listed in internal/arch: decide what it may import"}
	}
	var out []string
	for _, p := range imports {
		dep, ok := strings.CutPrefix(p, module)
		if !ok {
			continue
		}
		if !slices.Contains(rules, dep) {
			out = append(out, fmt.Sprintf("imports %s: %s may only import %v", dep, rel, rules))
		}
		if rel == "internal/cli" && (dep == "internal/store" || dep == "internal/service" || dep == "internal/server" || dep == "pkg/client") &&
			!slices.Contains(wiring, file) {
			out = append(out, fmt.Sprintf("imports %s: only the factory chooses and opens a backend", dep))
		}
	}
	return out
}

func TestImportRulesDenyByDefault(t *testing.T) {
	for _, c := range []struct {
		rel, file string
		imports   []string
		problems  int
	}{
		{"internal/newthing", "a.go", []string{"fmt"}, 1},
		{"internal/server", "a.go", []string{module + "internal/store"}, 1},
		{"internal/cli", "user.go", []string{module + "pkg/client"}, 1},
		{"internal/cli", "factory.go", []string{module + "pkg/client", "fmt"}, 0},
		{"pkg/realty", "a.go", []string{"golang.org/x/text/unicode/norm"}, 0},
	} {
		if got := importProblems(c.rel, c.file, c.imports); len(got) != c.problems {
			t.Errorf("%s/%s importing %v: %v; want %d problems", c.rel, c.file, c.imports, got, c.problems)
		}
	}
}
