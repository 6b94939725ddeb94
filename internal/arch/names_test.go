package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
	"testing"
)

// idiomatic are exported type names every package may have its own of.
var idiomatic = map[string]bool{"Option": true, "Config": true}

// interfaceMethods are method names a standard interface imposes
// (driver.Valuer's Value next to realty.Value is no ambiguity).
var interfaceMethods = map[string]bool{"Value": true, "Scan": true, "String": true, "Error": true, "Is": true,
	"Unwrap": true, "MarshalJSON": true, "UnmarshalJSON": true, "MarshalText": true, "UnmarshalText": true}

// TestOneMeaningPerName: an exported type name means one thing in the
// module (four packages each had a different Backend), and no package has
// a function and a method of one name (client.WithToken was both).
func TestOneMeaningPerName(t *testing.T) {
	types := map[string][]string{} // name -> packages
	funcs := map[string]bool{}     // package.name of package-level functions
	methods := map[string]bool{}   // package.name of methods
	eachGoFile(t, false, func(path, rel string) error {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok && ts.Name.IsExported() {
						types[ts.Name.Name] = append(types[ts.Name.Name], rel)
					}
				}
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					funcs[rel+"."+d.Name.Name] = true
				} else {
					methods[rel+"."+d.Name.Name] = true
				}
			}
		}
		return nil
	})
	for name, pkgs := range types {
		if len(pkgs) > 1 && !idiomatic[name] {
			sort.Strings(pkgs)
			t.Errorf("type %s is declared in %s: give each its own name", name, strings.Join(pkgs, ", "))
		}
	}
	for name := range funcs {
		if methods[name] && !interfaceMethods[name[strings.LastIndex(name, ".")+1:]] {
			t.Errorf("%s is both a function and a method: give one another name", name)
		}
	}
}
