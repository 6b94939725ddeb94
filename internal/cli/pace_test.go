package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/internal/service"
)

// TestImportThroughALimitedServer: through a server that lets each user
// make 15 writes at once, then 5 a second (an import costs one per 100
// properties), the second batch of 1000 is refused; the import waits the
// second the server says, sends the rest in halves, and imports every
// property once, in the file's order.
func TestImportThroughALimitedServer(t *testing.T) {
	h := newHarness(t, "sqlite")
	withServer(t, h, service.WithLimits(service.Limits{Writes: ratelimit.Limit{PerMinute: 300, Burst: 15}}))
	h.registerAndLogin("Ana")
	var file strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&file, `{"name":"P%04d","type":"house","city":"Lyon"}`+"\n", i)
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("", false, "property", "import", path)
	if r.code != 0 || !strings.Contains(r.err, "Importing: waiting 1s: the server's limit of writes\n") ||
		!strings.Contains(r.err, "Imported 2000 properties") {
		t.Fatalf("import: exit %d\n%s", r.code, r.err)
	}
	names := h.ok("property", "list", "--owner", "me", "--all", "--sort", "id", "--jq", "[.items[].name] | join(\",\")")
	var want []string
	for i := range 2000 {
		want = append(want, fmt.Sprintf("P%04d", i))
	}
	if names != strings.Join(want, ",")+"\n" {
		t.Errorf("the properties, in the order of their ids, are not the file's, once each")
	}
}
