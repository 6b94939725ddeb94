package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeExamples runs the README's shell examples as a newcomer pastes
// them: the tour of the CLI on the default local database, then the REST
// API's curl commands and the CLI through a server (the README's
// http://localhost:8080 is a server of the built binary on a free port).
// Each command must succeed: curl fails on an HTTP error status, and the
// script stops at the first failure.
func TestReadmeExamples(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the README's examples need %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	tour := shellExamples(t, string(readme), "## A short tour", "### The terminal interface")
	api := shellExamples(t, string(readme), "### The REST API", "### Limits")

	dir := t.TempDir()
	srv, err := startServer("sqlite:" + filepath.Join(dir, "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.stop(); err != nil {
			t.Error(err)
		}
	}()
	script := "set -euo pipefail\ncurl() { command curl --fail-with-body \"$@\"; }\n" + tour +
		strings.ReplaceAll(api, "http://localhost:8080", srv.url)
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + filepath.Join(dir, "home"), "PATH=" + binDir + ":/usr/bin:/bin",
		"GOCOVERDIR=" + coverDir}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's examples failed: %v\n%s", err, out)
	}
	// The last examples: a room added through the server to the studio
	// created with curl, whose history shows the renaming.
	for _, want := range []string{`"kind":"updated"`, `"new":"Studio Montmartre, view"`, "Added room"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the examples' output lacks %s:\n%s", want, out)
		}
	}
}

// shellExamples are the sh blocks of the README between the headings from
// and to.
func shellExamples(t *testing.T, readme, from, to string) string {
	t.Helper()
	start, end := strings.Index(readme, "\n"+from+"\n"), strings.Index(readme, "\n"+to+"\n")
	if start < 0 || end < start {
		t.Fatalf("the README has no section %q followed by %q", from, to)
	}
	blocks := regexp.MustCompile("(?s)\n```sh\n(.*?)```").FindAllStringSubmatch(readme[start:end], -1)
	if len(blocks) == 0 {
		t.Fatalf("the README's section %q has no sh example", from)
	}
	var b strings.Builder
	for _, m := range blocks {
		b.WriteString(m[1])
	}
	return b.String()
}
