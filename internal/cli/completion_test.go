package cli_test

import (
	"bytes"
	"flag"
	"fmt"
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
		{[]string{"property", "list", "--city", ""}, []string{"Lyon\t1 property", "Saint-Étienne\t1 property"}},
		{[]string{"property", "list", "--city", "sai"}, []string{"saint-Étienne\t1 property"}},
		{[]string{"property", "list", "--city", "saint e"}, []string{"saint etienne\t1 property"}},
		{[]string{"property", "list", "--owner", ""}, []string{"me"}},
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

// TestIDCompletionByPrefix: ids complete by prefix, your own properties
// first, and only yours for the commands that change one; ids past the
// first thousand complete too (an e2e script checks 200 000).
func TestIDCompletionByPrefix(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Bob")
	for i := range 3 {
		h.ok("property", "create", "--name", fmt.Sprint("Bob ", i+1), "--type", "house", "--city", "Brest")
	}
	h.ok("auth", "logout")
	h.registerAndLogin("Alice")
	for i := range 20 {
		h.ok("property", "create", "--name", fmt.Sprint("Alice ", i+4), "--type", "house", "--city", "Lyon")
	}
	ids := func(args ...string) []string {
		var out []string
		for _, l := range strings.Split(h.ok(append([]string{"__complete"}, args...)...), "\n") {
			if id, _, ok := strings.Cut(l, "\t"); ok {
				out = append(out, id)
			}
		}
		return out
	}
	if got := strings.Join(ids("property", "show", "1"), " "); got != "10 11 12 13 14 15 16 17 18 19 1" {
		t.Errorf("show 1<tab> offers %s: want Alice's 10-19 first, then Bob's 1", got)
	}
	if got := strings.Join(ids("property", "update", "1"), " "); got != "10 11 12 13 14 15 16 17 18 19" {
		t.Errorf("update 1<tab> offers %s: want Alice's only", got)
	}
	if got := strings.Join(ids("property", "show", "2"), " "); got != "20 21 22 23 2" {
		t.Errorf("show 2<tab> offers %s", got)
	}
	if got := ids("property", "show", "x"); len(got) != 0 {
		t.Errorf("show x<tab> offers %v", got)
	}
}
