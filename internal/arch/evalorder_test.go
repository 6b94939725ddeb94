package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// TestNoResultReadWhileACallWritesIt: in `return u, c.do(ctx, &u)` the Go
// specification leaves unspecified whether u is read before or after the
// call writes it ("the order of those events compared to the evaluation and
// indexing of x ... is not specified"). Assign first, then return.
func TestNoResultReadWhileACallWritesIt(t *testing.T) {
	eachGoFile(t, true, func(path, _ string) error {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ret, ok := n.(*ast.ReturnStmt)
			if !ok {
				return true
			}
			for _, r := range ret.Results {
				name := rootIdent(r)
				if name == "" {
					continue
				}
				for _, other := range ret.Results {
					if other != r && takesAddressOf(other, name) {
						t.Errorf("%s: returns %s while a call in the same return writes it through &%s: assign first",
							fset.Position(ret.Pos()), name, name)
					}
				}
			}
			return true
		})
		return nil
	})
}

// rootIdent is x for the results x and x.f; "" otherwise.
func rootIdent(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		if e.Name != "nil" && e.Name != "err" {
			return e.Name
		}
	case *ast.SelectorExpr:
		return rootIdent(e.X)
	}
	return ""
}

// takesAddressOf reports a call in e that is given &name (or &name.f).
func takesAddressOf(e ast.Expr, name string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return !found
		}
		for _, a := range call.Args {
			if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND && rootIdent(u.X) == name {
				found = true
			}
		}
		return !found
	})
	return found
}
