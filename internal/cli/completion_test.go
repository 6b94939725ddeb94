package cli_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/cli"
)

var update = flag.Bool("update", false, "rewrite the committed completion scripts")

// TestCompletionScriptsAreCurrent fails when completions/ no longer matches
// the command tree. Regenerate with:
//
//	go test ./internal/cli -run TestCompletionScriptsAreCurrent -update
func TestCompletionScriptsAreCurrent(t *testing.T) {
	files := map[string]string{"bash": "realty.bash", "zsh": "_realty", "fish": "realty.fish", "powershell": "realty.ps1"}
	for shell, name := range files {
		var buf bytes.Buffer
		root := cli.NewRootCmd(&cli.Factory{IO: &cli.IO{Env: func(string) string { return "" }}})
		if err := cli.GenCompletion(root, shell, &buf); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "completions", name)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		committed, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(committed, buf.Bytes()) {
			t.Errorf("completions/%s is stale (%v): run go test ./internal/cli -run TestCompletionScriptsAreCurrent -update", name, err)
		}
	}
}

// TestDynamicCompletion asks the command tree for candidates the way the
// shell scripts do (the hidden __complete command).
func TestDynamicCompletion(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	p := h.createLoft()
	h.ok("property", "create", "--name", "Maison", "--type", "house", "--city", "Saint-Étienne")
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"property", "show", ""}, []string{"1\tLoft Croix-Rousse (Lyon)", "2\tMaison (Saint-Étienne)"}},
		{[]string{"property", "show", "2"}, []string{"2\tMaison (Saint-Étienne)"}},
		{[]string{"room", "update", "1", ""}, []string{itoa(p.Rooms[0].ID) + "\tliving_room", itoa(p.Rooms[1].ID) + "\tbedroom: Master bedroom"}},
		{[]string{"property", "list", "--city", ""}, []string{"Lyon\t1 properties", "Saint-Étienne\t1 properties"}},
		{[]string{"property", "list", "--type", ""}, []string{"apartment", "house", "loft"}},
		{[]string{"room", "add", "1", "--type", ""}, []string{"living_room", "bedroom", "terrace"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
	}
	for _, c := range cases {
		out := h.ok(append([]string{"__complete"}, c.args...)...)
		for _, w := range c.want {
			if !strings.Contains(out, w+"\n") {
				t.Errorf("complete %q: missing %q in\n%s", c.args, w, out)
			}
		}
	}
}
