package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/realtyhq/realty/internal/cli"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// harness runs the real command tree with fake streams and a private HOME.
type harness struct {
	t   *testing.T
	env map[string]string
	// transcript collects everything printed, to check no secret ever is.
	transcript strings.Builder
}

type result struct {
	code     int
	out, err string
}

func newHarness(t *testing.T, dialect string) *harness {
	home := t.TempDir()
	h := &harness{t: t, env: map[string]string{"HOME": home}}
	if dialect == "mysql" {
		h.env["REALTY_DB"] = testdb.MySQLURL(t)
	}
	return h
}

// run runs realty; tty says whether stdin and stdout are a terminal.
func (h *harness) run(stdin string, tty bool, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	s := &cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, InTTY: tty, OutTTY: tty,
		Env: func(k string) string { return h.env[k] }}
	code := cli.Run(context.Background(), args, s)
	h.transcript.WriteString(out.String() + errb.String())
	return result{code: code, out: out.String(), err: errb.String()}
}

// ok runs a command that must succeed (piped, no terminal).
func (h *harness) ok(args ...string) string {
	h.t.Helper()
	r := h.run("", false, args...)
	if r.code != 0 {
		h.t.Fatalf("realty %s: exit %d\n%s", strings.Join(args, " "), r.code, r.err)
	}
	return r.out
}

func (h *harness) okStdin(stdin string, args ...string) string {
	h.t.Helper()
	r := h.run(stdin, false, args...)
	if r.code != 0 {
		h.t.Fatalf("realty %s: exit %d\n%s", strings.Join(args, " "), r.code, r.err)
	}
	return r.out
}

// registerAndLogin registers a user and logs in as them with auth login.
func (h *harness) registerAndLogin(first string) {
	h.t.Helper()
	email := strings.ToLower(first) + "@example.com"
	h.okStdin(first+"-secret-pw\n", "user", "register", "--email", email, "--first-name", first, "--last-name", "Martin", "--password-stdin")
	h.login(first)
}

func (h *harness) login(first string) {
	h.t.Helper()
	h.okStdin(first+"-secret-pw\n", "auth", "login", "--email", strings.ToLower(first)+"@example.com", "--password-stdin")
}

func (h *harness) createLoft() realty.Property {
	h.t.Helper()
	var p realty.Property
	out := h.ok("property", "create", "--name", "Loft Croix-Rousse", "--type", "loft", "--city", "Lyon", "--json",
		"--room", "living_room,area=32.5,level=3,feature=fireplace", "--room", "bedroom,name=Master bedroom,area=12.5")
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		h.t.Fatalf("create --json: %v\n%s", err, out)
	}
	return p
}

func eachDialect(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, newHarness(t, d)) })
	}
}

func TestExitCodes(t *testing.T) {
	eachDialect(t, func(t *testing.T, h *harness) {
		h.registerAndLogin("Alice")
		p := h.createLoft()
		id := itoa(p.ID)
		h.registerAndLogin("Bob") // Bob is now the stored log-in
		cases := []struct {
			name  string
			stdin string
			args  []string
			code  int
			msg   string
		}{
			{"success", "", []string{"property", "show", id}, cli.ExitOK, ""},
			{"unknown command", "", []string{"propertee", "list"}, cli.ExitUsage, "unknown command"},
			{"unknown flag", "", []string{"property", "list", "--town", "Lyon"}, cli.ExitUsage, "unknown flag"},
			{"missing argument", "", []string{"property", "show"}, cli.ExitUsage, "needs PROPERTY_ID"},
			{"bad id", "", []string{"property", "show", "abc"}, cli.ExitUsage, "positive number"},
			{"bad owner", "", []string{"property", "list", "--owner", "bob"}, cli.ExitUsage, `--owner must be a user id or me, got "bob"`},
			{"nothing to update", "", []string{"property", "update", id}, cli.ExitUsage, "nothing to change"},
			{"delete without --yes off a terminal", "", []string{"property", "delete", id}, cli.ExitUsage, "--yes"},
			{"prompt impossible", "", []string{"user", "register", "--first-name", "C", "--last-name", "D"}, cli.ExitUsage, "--email"},
			{"bad jq", "", []string{"property", "show", id, "--jq", ".["}, cli.ExitUsage, "--jq"},
			{"not found", "", []string{"property", "show", "99999"}, cli.ExitNotFound, "property 99999 does not exist"},
			{"unknown room of someone else's property", "", []string{"room", "remove", id, "99999", "--yes"}, cli.ExitForbidden, "belongs to someone else"},
			{"bad credentials", "wrong-password\n", []string{"auth", "login", "--email", "alice@example.com", "--password-stdin"}, cli.ExitUnauthorized, "wrong email or password"},
			{"forbidden rename", "", []string{"property", "update", id, "--name", "Mine now"}, cli.ExitForbidden, "belongs to someone else"},
			{"forbidden delete", "", []string{"property", "delete", id, "--yes"}, cli.ExitForbidden, "only the owner"},
			{"forbidden room add", "", []string{"room", "add", id, "--type", "cellar"}, cli.ExitForbidden, ""},
			{"forbidden room update", "", []string{"room", "update", id, itoa(p.Rooms[0].ID), "--name", "x"}, cli.ExitForbidden, ""},
			{"duplicate email", "pw-long-enough\n", []string{"user", "register", "--email", "ALICE@example.com", "--first-name", "A", "--last-name", "B", "--password-stdin"}, cli.ExitConflict, "already registered"},
			{"invalid", "", []string{"property", "create", "--name", "", "--type", "castle", "--city", "Lyon"}, cli.ExitInvalid, "type: must be one of"},
			{"invalid room spec", "", []string{"property", "create", "--name", "X", "--type", "house", "--city", "Lyon", "--room", "bedroom,area=big"}, cli.ExitInvalid, "rooms[0]"},
			{"invalid birth date", "", []string{"user", "update", "--birth-date", "1800-01-01"}, cli.ExitInvalid, "birth_date"},
			{"limit out of range", "", []string{"property", "list", "--limit", "0"}, cli.ExitUsage, "--limit must be from 1 to 100"},
			{"limit over the maximum", "", []string{"property", "list", "--limit", "101"}, cli.ExitUsage, "got 101"},
		}
		for _, c := range cases {
			r := h.run(c.stdin, false, c.args...)
			if r.code != c.code || !strings.Contains(r.err, c.msg) {
				t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", c.name, r.code, r.err, c.code, c.msg)
			}
		}
		// Alice's property is untouched by Bob's attempts.
		h.login("Alice")
		var after realty.Property
		_ = json.Unmarshal([]byte(h.ok("property", "show", id, "--json")), &after)
		if after.Version != 1 || after.Name != p.Name || after.RoomCount != 2 {
			t.Errorf("after refused writes: version %d, name %q, %d rooms", after.Version, after.Name, after.RoomCount)
		}
		// Stale version: exit 6, and nothing changes.
		h.ok("property", "update", id, "--name", "Renamed", "--if-version", "1")
		r := h.run("", false, "property", "update", id, "--name", "Stale", "--if-version", "1")
		if r.code != cli.ExitConflict || !strings.Contains(r.err, "changed since you read it") {
			t.Errorf("stale update: exit %d, %q", r.code, r.err)
		}
		h.ok("auth", "logout")
		r = h.run("", false, "property", "create", "--name", "X", "--type", "house", "--city", "Lyon")
		if r.code != cli.ExitUnauthorized || !strings.Contains(r.err, "realty auth login") {
			t.Errorf("create when logged out: exit %d, %q", r.code, r.err)
		}
		r = h.run("", false, "auth", "status")
		if r.code != cli.ExitUnauthorized {
			t.Errorf("status when logged out: exit %d", r.code)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestTablesForPeopleTSVForPipes(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	h.createLoft()
	h.ok("property", "create", "--name", "Maison", "--type", "house", "--city", "Saint-Étienne")

	piped := h.ok("property", "list")
	want := "1\tLoft Croix-Rousse\tloft\tLyon\t2\t45 m²\tAlice Martin\t-\t-\n2\tMaison\thouse\tSaint-Étienne\t0\t0 m²\tAlice Martin\t-\t-\n"
	if piped != want {
		t.Errorf("piped list:\n%q\nwant\n%q", piped, want)
	}

	h.env["NO_COLOR"] = "1"
	tty := h.run("", true, "property", "list", "--city", "saint etienne")
	lines := strings.Split(strings.TrimRight(tty.out, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID  NAME") || strings.Contains(tty.out, "\x1b[") || strings.Contains(tty.out, "\t") {
		t.Errorf("terminal list with NO_COLOR:\n%s", tty.out)
	}
	if strings.Index(lines[0], "TYPE") != strings.Index(lines[1], "house") {
		t.Errorf("columns are not aligned:\n%s", tty.out)
	}
	delete(h.env, "NO_COLOR")
	if colored := h.run("", true, "property", "list"); !strings.HasPrefix(colored.out, "\x1b[1mID") {
		t.Errorf("terminal list without NO_COLOR has no bold header: %q", colored.out)
	}
	if piped := h.ok("property", "list"); strings.Contains(piped, "\x1b[") {
		t.Errorf("piped output has escape codes: %q", piped)
	}
	if more := h.run("", false, "property", "list", "--limit", "1"); !strings.Contains(more.err, "--cursor ") || strings.Count(more.out, "\n") != 1 {
		t.Errorf("first page of one: out %q, err %q", more.out, more.err)
	}
	if cities := h.ok("city", "list"); cities != "Lyon\t1\nSaint-Étienne\t1\n" {
		t.Errorf("city list = %q", cities)
	}
}

func TestJSONAndJQ(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	p := h.createLoft()
	if p.Owner.FirstName != "Alice" || p.TotalArea.String() != "45" || p.Rooms[0].Features[0] != "fireplace" {
		t.Errorf("create --json = %+v", p)
	}
	var page struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"next_cursor"`
	}
	if err := json.Unmarshal([]byte(h.ok("property", "list", "--json")), &page); err != nil || len(page.Items) != 1 || page.NextCursor != nil {
		t.Errorf("list --json: %+v, %v", page, err)
	}
	for _, member := range []string{"id", "name", "description", "type", "city", "owner", "room_count", "total_area", "version", "created_at", "updated_at"} {
		if _, ok := page.Items[0][member]; !ok {
			t.Errorf("list item lacks %q", member)
		}
	}
	if got := h.ok("property", "show", "1", "--jq", ".rooms[] | .name"); got != "\nMaster bedroom\n" {
		t.Errorf("--jq strings = %q", got)
	}
	if got := h.ok("property", "list", "--jq", "[.items[].total_area]"); got != "[45]\n" {
		t.Errorf("--jq array = %q", got)
	}
	if got := h.ok("user", "me", "--jq", ".email"); got != "alice@example.com\n" {
		t.Errorf("user me --jq = %q", got)
	}
	if got := h.ok("user", "show", "1", "--json"); !strings.Contains(got, `"first_name": "Alice"`) || strings.Contains(got, "email") {
		t.Errorf("public profile shows more than names: %s", got)
	}
}

func TestPromptsOnATerminalOnly(t *testing.T) {
	h := newHarness(t, "sqlite")
	r := h.run("carol@example.com\nCarol\nDurand\ncarol-password\ncarol-password\n", true, "user", "register")
	if r.code != 0 || !strings.Contains(r.err, "Email: ") || !strings.Contains(r.err, "Registered carol@example.com") {
		t.Fatalf("prompted registration: exit %d\n%s", r.code, r.err)
	}
	// Each answer is checked as it is given, and asked again with the reason.
	r = h.run("not-an-email\nx@example.com\n \nX\nY\nshort\npassword-1\npassword-2\npassword-1\npassword-1\n", true, "user", "register")
	for _, want := range []string{"email must be a valid email address such as alice@example.com; try again.\nEmail: ", "first name is required; try again.", "password must be at least 8 characters; try again.",
		"the two passwords differ; try again.", "Registered x@example.com"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("re-asked registration lacks %q: exit %d\n%s", want, r.code, r.err)
		}
	}
	r = h.run("y@example.com\nY\nY\npassword-1\npassword-2\npassword-1\npassword-2\npassword-1\npassword-2\npassword-1\npassword-2\npassword-1\npassword-2\n", true, "user", "register")
	if r.code != cli.ExitUsage || !strings.Contains(r.err, "error: the two passwords differ") {
		t.Errorf("passwords differing five times: exit %d, %q", r.code, r.err)
	}
	r = h.run("carol@example.com\ncarol-password\n", true, "auth", "login")
	if r.code != 0 {
		t.Fatalf("prompted login: exit %d\n%s", r.code, r.err)
	}
	r = h.run("Villa\nvilla\nNice\n", true, "property", "create")
	if r.code != 0 || !strings.Contains(r.err, "Created property 1") {
		t.Fatalf("prompted create: exit %d\n%s", r.code, r.err)
	}
	if r := h.run("n\n", true, "property", "delete", "1"); r.code != 0 || !strings.Contains(r.err, "Nothing deleted") {
		t.Errorf("declined delete: exit %d, %q", r.code, r.err)
	}
	h.ok("property", "show", "1")
	if r := h.run("y\n", true, "property", "delete", "1"); r.code != 0 || !strings.Contains(r.err, "Deleted property 1") {
		t.Errorf("confirmed delete: exit %d, %q", r.code, r.err)
	}
	if r := h.run("", false, "property", "show", "1"); r.code != cli.ExitNotFound {
		t.Errorf("show after delete: exit %d", r.code)
	}
}

// TestSecretsNeverPrinted runs a whole session and looks for the password and
// the token in everything realty printed; the token file must be 0600.
func TestSecretsNeverPrinted(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	h.createLoft()
	h.ok("auth", "status")
	h.ok("auth", "status", "--json")
	h.ok("user", "me", "--json")
	h.okStdin("Alice-secret-pw\nAlice-new-secret\n", "user", "passwd", "--password-stdin")
	h.run("wrong-password\n", false, "auth", "login", "--email", "alice@example.com", "--password-stdin")

	path := filepath.Join(h.env["HOME"], ".config", "realty", "credentials.json")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v, want 0600", info.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	token := regexpToken(string(b))
	if token == "" {
		t.Fatalf("no token in the credentials file: %s", b)
	}
	for _, secret := range []string{token, "Alice-secret-pw", "Alice-new-secret", "wrong-password"} {
		if strings.Contains(h.transcript.String(), secret) {
			t.Errorf("realty printed a secret: %q", secret)
		}
	}
	if strings.Contains(string(b), "secret-pw") {
		t.Error("the password is in the credentials file")
	}
}

func regexpToken(s string) string {
	i := strings.Index(s, "rty_")
	if i < 0 {
		return ""
	}
	return s[i : i+4+43]
}

func TestOneLoginPerBackendAndREALTY_TOKEN(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	other := "sqlite:" + filepath.Join(t.TempDir(), "other.db")
	if r := h.run("", false, "auth", "status", "--db", other); r.code != cli.ExitUnauthorized {
		t.Errorf("status on another database: exit %d (the log-in belongs to the first one)", r.code)
	}
	b, _ := os.ReadFile(filepath.Join(h.env["HOME"], ".config", "realty", "credentials.json"))
	h.env["REALTY_TOKEN"] = regexpToken(string(b))
	h.env["REALTY_CONFIG_DIR"] = t.TempDir() // no credentials file at all
	if out := h.ok("auth", "status"); !strings.Contains(out, "REALTY_TOKEN") || !strings.Contains(out, "alice@example.com") {
		t.Errorf("status with REALTY_TOKEN:\n%s", out)
	}
	h.env["REALTY_TOKEN"] = "rty_forged"
	if r := h.run("", false, "user", "me"); r.code != cli.ExitUnauthorized {
		t.Errorf("forged REALTY_TOKEN: exit %d", r.code)
	}
}

// TestUnreachableServerExitsOne: an error that is none of the typed ones
// (here: no server) exits 1, with a hint.
func TestUnreachableServerExitsOne(t *testing.T) {
	h := newHarness(t, "sqlite")
	r := h.run("", false, "property", "list", "--server", "http://127.0.0.1:1")
	if r.code != cli.ExitError || !strings.Contains(r.err, "cannot reach the realty server") || !strings.Contains(r.err, "check --server") {
		t.Errorf("exit %d, %q", r.code, r.err)
	}
	r = h.run("", false, "property", "list", "--server", "localhost:8080")
	if r.code != cli.ExitUsage {
		t.Errorf("a server URL without scheme: exit %d, %q", r.code, r.err)
	}
}

// TestHealthcheck: the container health check exits 0 on a ready server,
// 1 with the reason on one that is not or does not answer.
func TestHealthcheck(t *testing.T) {
	var notReady atomic.Bool
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if notReady.Load() {
			http.Error(w, `{"status":"not ready"}`, http.StatusServiceUnavailable)
		}
	}))
	defer ts.Close()
	h := newHarness(t, "sqlite")
	if r := h.run("", false, "healthcheck", "--url", ts.URL); r.code != 0 {
		t.Errorf("ready server: exit %d, %q", r.code, r.err)
	}
	notReady.Store(true)
	if r := h.run("", false, "healthcheck", "--url", ts.URL); r.code != cli.ExitError ||
		!strings.Contains(r.err, "503 Service Unavailable") {
		t.Errorf("server not ready: exit %d, %q", r.code, r.err)
	}
	if r := h.run("", false, "healthcheck", "--url", "http://127.0.0.1:1"); r.code != cli.ExitError ||
		!strings.Contains(r.err, "does not answer") {
		t.Errorf("no server: exit %d, %q", r.code, r.err)
	}
	if r := h.run("", false, "healthcheck", "--url", "localhost:8080"); r.code != cli.ExitUsage {
		t.Errorf("URL without scheme: exit %d, %q", r.code, r.err)
	}
}

// TestHintsNameTheRealCause: when a command is not logged in or cannot reach
// the API, the hint says why: REALTY_TOKEN set but not valid, a log-in
// stored for the same server under another name, a --server URL that
// includes the API's path.
func TestHintsNameTheRealCause(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	h.env["REALTY_TOKEN"] = "rty_bogus"
	if r := h.run("", false, "user", "me"); r.code != cli.ExitUnauthorized || !strings.Contains(r.err, "hint: REALTY_TOKEN is set but not valid here") {
		t.Errorf("REALTY_TOKEN=bogus: exit %d, %q", r.code, r.err)
	}
	delete(h.env, "REALTY_TOKEN")

	dir := filepath.Join(h.env["HOME"], ".config", "realty")
	creds := `{"backends": {"http://127.0.0.1:1": {"token": "rty_x", "user_id": 1, "email": "a@example.com"}}}`
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("", false, "auth", "status", "--server", "http://localhost:1")
	if r.code != cli.ExitUnauthorized || !strings.Contains(r.err, "you are logged in at http://127.0.0.1:1, the same server under another name") {
		t.Errorf("logged in at 127.0.0.1, using localhost: exit %d, %q", r.code, r.err)
	}
	if r := h.run("", false, "auth", "status", "--server", "http://localhost:2"); strings.Contains(r.err, "same server") {
		t.Errorf("another port is another server: %q", r.err)
	}

	r = h.run("", false, "property", "list", "--server", "http://127.0.0.1:1/v1")
	if r.code != cli.ExitUsage || !strings.Contains(r.err, "without the API's path: http://127.0.0.1:1, not http://127.0.0.1:1/v1") {
		t.Errorf("--server with /v1: exit %d, %q", r.code, r.err)
	}
	if r := h.run("", false, "user", "me"); strings.Contains(r.err, ": not authenticated") || strings.Contains(r.err, ": forbidden") {
		t.Errorf("a Go error suffix in a message: %q", r.err)
	}
}

// TestExportWritesWholeFiles: -o replaces its file only at the end, with the
// file's mode (0644 for a new one: CreateTemp's 0600 is not kept), and a
// failed export leaves the file as it was.
func TestExportWritesWholeFiles(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.registerAndLogin("Alice")
	h.ok("property", "create", "--name", "Loft", "--type", "loft", "--city", "Lyon")
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	h.ok("property", "export", "-o", path)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("new export: %v, %v", fi, err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if r := h.run("", false, "property", "export", "-o", path, "--min-price", "cheap"); r.code != 7 {
		t.Fatalf("bad filter: exit %d", r.code)
	}
	h.ok("property", "export", "-o", path, "--city", "Lyon")
	after, _ := os.ReadFile(path)
	fi, _ = os.Stat(path)
	entries, _ := os.ReadDir(dir)
	if string(after) != string(before) || fi.Mode().Perm() != 0o640 || len(entries) != 1 {
		t.Errorf("re-export: mode %v, %d files in the directory, same content %v", fi.Mode(), len(entries),
			string(after) == string(before))
	}
}
