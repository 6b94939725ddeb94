package cli_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
)

// withServer points the harness at a realty server on a fresh SQLite database.
func withServer(t *testing.T, h *harness, opts ...service.Option) {
	core, err := service.New(testdb.Open(t, "sqlite"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(core, server.Config{LoginPerEmail: 1000, LoginPerAddress: 1000}).Handler())
	t.Cleanup(ts.Close)
	h.env["REALTY_SERVER"] = ts.URL
}

// TestDemoIsIdempotent loads the demo twice, locally and through a server:
// the second run adds nothing, and the demo passwords work.
func TestDemoIsIdempotent(t *testing.T) {
	for _, mode := range []string{"local", "remote"} {
		t.Run(mode, func(t *testing.T) {
			h := newHarness(t, "sqlite")
			if mode == "remote" {
				withServer(t, h)
			}
			r := h.run("", false, "demo", "--properties", "1500")
			if r.code != 0 || !strings.Contains(r.err, "Added 24 demo properties.\n") || strings.Contains(r.err, "already") ||
				!strings.Contains(r.err, "Adding synthetic properties: 1 500 in ") {
				t.Fatalf("first demo: exit %d\n%s", r.code, r.err)
			}
			// Piped, the progress is a plain line at each tenth: 1500 in batches of 1000.
			if !strings.Contains(r.err, "Adding synthetic properties: 1 000 of 1 500 (66%)") || strings.Contains(r.err, "\r") {
				t.Errorf("first demo's progress:\n%s", r.err)
			}
			if !strings.Contains(r.out, "alice@demo.example\tdemo-alice-2026\tAlice Martin") {
				t.Errorf("demo users are not printed:\n%s", r.out)
			}
			r = h.run("", false, "demo", "--properties", "1500")
			if r.code != 0 || !strings.Contains(r.err, "Added 0 demo properties (24 were there already)") ||
				!strings.Contains(r.err, "1500 synthetic properties were there already") {
				t.Errorf("second demo: exit %d\n%s", r.code, r.err)
			}
			if got := h.ok("property", "list", "--all", "--jq", ".items | length"); got != "1524\n" {
				t.Errorf("%s properties after two runs, want 1524", strings.TrimSpace(got))
			}
			if got := h.ok("property", "list", "--city", "saint etienne", "--jq", "[.items[] | select(.name | startswith(\"Synthetic\") | not) | .name] | sort | join(\",\")"); got != "Appartement Jean-Jaurès,Maison du Pilat\n" {
				t.Errorf("Saint-Étienne demo properties = %q", got)
			}
			h.okStdin("demo-chloe-2026\n", "auth", "login", "--email", "chloe@demo.example", "--password-stdin")
			if got := h.ok("property", "list", "--owner", "me", "--jq", ".items | length"); got != "6\n" {
				t.Errorf("Chloé owns %s demo properties, want 6", got)
			}
			if r := h.run("", false, "demo", "--properties", "-1"); r.code != 7 {
				t.Errorf("--properties -1: exit %d", r.code)
			}
		})
	}
}

// TestDemoAfterTheTour: the README's tour registers alice@example.com with
// its own password; the demo's users live on their own domain, so 'realty
// demo' afterwards works.
func TestDemoAfterTheTour(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	if r := h.run("", false, "demo"); r.code != 0 || !strings.Contains(r.out, "alice@demo.example") {
		t.Fatalf("demo after the tour: exit %d\n%s", r.code, r.err)
	}
}
