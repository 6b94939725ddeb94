package arch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eachGoFile calls fn for every Go file of the module (tests too when
// withTests), with its path and its directory relative to the module root.
func eachGoFile(t *testing.T, withTests bool, fn func(path, rel string) error) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && path != root && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || (!withTests && strings.HasSuffix(path, "_test.go")) {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		return fn(path, filepath.ToSlash(rel))
	})
	if err != nil {
		t.Fatal(err)
	}
}
