package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

func dbFor(t *testing.T, dialect string) string {
	if dialect == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "realty.db")
	}
	return testdb.MySQLURL(t)
}

// login registers a user through srv and returns a client acting for it,
// and its token.
func login(t *testing.T, url, first string) (*client.Client, string) {
	t.Helper()
	ctx := context.Background()
	c, err := client.New(url, client.WithRetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	email := strings.ToLower(first) + "@example.com"
	if _, err := c.Register(ctx, realty.NewUser{Email: email, Password: "password-" + first, FirstName: first, LastName: "M"}); err != nil && !errors.Is(err, realty.ErrConflict) {
		t.Fatal(err)
	}
	s, err := c.Login(ctx, realty.Credentials{Email: email, Password: "password-" + first})
	if err != nil {
		t.Fatal(err)
	}
	return c.ForToken(s.Token), s.Token
}

// TestGracefulShutdownDuringABurst sends SIGTERM while writers hammer the
// server and one request is still uploading its body. The server must finish
// that request (201), exit cleanly, and have stored every write it
// acknowledged; no response may be cut off after it started.
func TestGracefulShutdownDuringABurst(t *testing.T) {
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) { testGracefulShutdown(t, dbFor(t, dialect)) })
	}
}

func testGracefulShutdown(t *testing.T, db string) {
	srv, err := startServer(db)
	if err != nil {
		t.Fatal(err)
	}
	alice, token := login(t, srv.url, "Alice")
	slow := startSlowCreate(t, srv.url, token)

	var (
		mu     sync.Mutex
		acked  = map[int64]string{}
		cut    []error
		ok     atomic.Int64
		signal sync.Once
		exited = make(chan error, 1)
	)
	const workers, signalAfter = 8, 60
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				name := fmt.Sprintf("burst %d-%d", w, i)
				p, err := alice.CreateProperty(context.Background(), realty.NewProperty{Name: name, Type: "studio",
					City: "Lille", Rooms: []realty.NewRoom{{Type: "bedroom"}}})
				if err != nil {
					// A connection error means no response began: the server had
					// stopped listening, or closed an idle connection as this
					// request went out. A response that began and broke is a failure.
					if !errors.Is(err, realty.ErrUnavailable) {
						mu.Lock()
						cut = append(cut, err)
						mu.Unlock()
					}
					return
				}
				mu.Lock()
				acked[p.ID] = name
				mu.Unlock()
				if ok.Add(1) == signalAfter {
					signal.Do(func() { go func() { exited <- srv.terminate() }() })
				}
			}
		})
	}
	<-srv.logged("shutting down: draining requests in flight")
	slowID := slow.finish() // the request in flight at SIGTERM still gets its answer
	wg.Wait()
	if err := <-exited; err != nil {
		t.Fatalf("realty serve did not exit cleanly on SIGTERM: %v\n%s", err, srv.output())
	}
	for _, err := range cut {
		t.Errorf("a response was cut off: %v", err)
	}
	acked[slowID] = "slow upload"

	// A new server on the same database has every acknowledged write.
	again, err := startServer(db)
	if err != nil {
		t.Fatal(err)
	}
	defer again.stop()
	c, _ := client.New(again.url)
	all, err := listAll(c)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[int64]string{}
	for _, p := range all {
		stored[p.ID] = p.Name
	}
	for id, name := range acked {
		if stored[id] != name {
			t.Errorf("acknowledged property %d %q is not stored (found %q)", id, name, stored[id])
		}
	}
	t.Logf("%d writes acknowledged, all stored (%d stored in all)", len(acked), len(stored))
}

// slowCreate is a POST whose body is only half sent.
type slowCreate struct {
	t    *testing.T
	w    *io.PipeWriter
	resp chan *http.Response
	errc chan error
}

// startSlowCreate sends the headers and half the body of a property creation
// and returns once they are on the wire.
func startSlowCreate(t *testing.T, url, token string) *slowCreate {
	t.Helper()
	pr, pw := io.Pipe()
	wrote := make(chan struct{})
	trace := &httptrace.ClientTrace{WroteHeaders: func() { close(wrote) }}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "POST", url+"/v1/properties", pr)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	s := &slowCreate{t: t, w: pw, resp: make(chan *http.Response, 1), errc: make(chan error, 1)}
	go func() {
		resp, err := (&http.Transport{}).RoundTrip(req)
		if err != nil {
			s.errc <- err
			return
		}
		s.resp <- resp
	}()
	if _, err := pw.Write([]byte(`{"name": "slow upload", "type": "house",`)); err != nil {
		t.Fatal(err)
	}
	<-wrote
	return s
}

// finish sends the rest of the body and returns the created property's id.
func (s *slowCreate) finish() int64 {
	s.t.Helper()
	if _, err := s.w.Write([]byte(` "city": "Lille"}`)); err != nil {
		s.t.Fatalf("finish the slow upload: %v", err)
	}
	s.w.Close()
	select {
	case err := <-s.errc:
		s.t.Fatalf("the request in flight at SIGTERM failed: %v", err)
	case resp := <-s.resp:
		defer resp.Body.Close()
		var p realty.Property
		if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&p) != nil {
			s.t.Fatalf("the request in flight at SIGTERM got %d", resp.StatusCode)
		}
		return p.ID
	}
	return 0
}

func listAll(c *client.Client) ([]realty.PropertySummary, error) {
	var all []realty.PropertySummary
	f := realty.PropertyFilter{Limit: realty.MaxPageSize}
	for {
		p, err := c.Properties(context.Background(), f)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			return all, nil
		}
		f.Cursor = p.NextCursor
	}
}

// TestTwoServersNeverLoseAnUpdate: two realty serve processes on one MySQL
// database; writers on both increment a counter kept in a property's
// description with read-modify-write and If-Match. Each write either
// succeeds on the version it read or gets 412 and retries, so the final
// count equals the number of successful writes: no update is lost.
func TestTwoServersNeverLoseAnUpdate(t *testing.T) {
	skipWithoutMySQL(t)
	db := testdb.MySQLURL(t)
	var servers [2]*serverProc
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range servers { // started together: their migrations must not collide
		wg.Go(func() { servers[i], errs[i] = startServer(db, "--write-limit", "0") }) // 300+ writes in a second
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("server %d: %v", i, err)
		}
		defer servers[i].stop()
	}
	a, _ := login(t, servers[0].url, "Alice")
	b, _ := login(t, servers[1].url, "Alice") // the same user, through the other server
	ctx := context.Background()
	p, err := a.CreateProperty(ctx, realty.NewProperty{Name: "Counter", Description: "0", Type: "other", City: "Nancy"})
	if err != nil {
		t.Fatal(err)
	}

	const perWorker, workersPerServer = 10, 4
	var conflicts atomic.Int64
	for _, c := range []*client.Client{a, b} {
		for range workersPerServer {
			wg.Go(func() {
				for range perWorker {
					for {
						cur, err := c.Property(ctx, p.ID)
						if err != nil {
							t.Error(err)
							return
						}
						n, _ := strconv.Atoi(cur.Description)
						next := strconv.Itoa(n + 1)
						_, err = c.UpdateProperty(ctx, p.ID, realty.PropertyPatch{Description: &next}, cur.Version)
						if errors.Is(err, realty.ErrPrecondition) {
							conflicts.Add(1)
							continue // someone else wrote first: read again
						}
						if err != nil {
							t.Error(err)
							return
						}
						break
					}
				}
			})
		}
	}
	wg.Wait()
	final, err := b.Property(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	const total = 2 * workersPerServer * perWorker
	if final.Description != strconv.Itoa(total) || final.Version != 1+total {
		t.Errorf("after %d increments: description %q, version %d; want %d and %d (an update was lost)",
			total, final.Description, final.Version, total, 1+total)
	}
	t.Logf("%d increments through two servers, %d refused with 412 and retried", total, conflicts.Load())
}

// TestServeWithoutMigrating: with --migrate=false on a new database the
// server starts but is not ready; once 'realty migrate up' has run, it is,
// without a restart.
func TestServeWithoutMigrating(t *testing.T) {
	db := dbFor(t, "sqlite")
	srv, err := startServer(db, "--migrate=false")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	ready := func() int {
		resp, err := http.Get(srv.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("readyz before migrating: %d, want 503", got)
	}
	migrate := exec.Command(filepath.Join(binDir, "realty"), "migrate", "up", "--db", db)
	migrate.Env = append(os.Environ(), "GOCOVERDIR="+coverDir)
	out, err := migrate.CombinedOutput()
	if err != nil {
		t.Fatalf("migrate up: %v\n%s", err, out)
	}
	if got := ready(); got != http.StatusOK {
		t.Errorf("readyz after migrating: %d, want 200", got)
	}
}

// TestNoTerminalQueries: commands other than 'realty tui' never query the
// terminal (bubbletea v1 asked every process for its background colour, and
// under a terminal that never answers each command waited 5 s). Run under a
// pseudo-terminal with script(1) and NO_COLOR set, they write no escape
// sequence at all.
func TestNoTerminalQueries(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "realty.db")
	for _, args := range []string{"version", "migrate up --db " + db, "property list --db " + db, "--help"} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		log := filepath.Join(t.TempDir(), "typescript")
		cmd := exec.CommandContext(ctx, script, "-qec", filepath.Join(binDir, "realty")+" "+args, log)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "REALTY_CONFIG_DIR="+t.TempDir(), "TERM=xterm-256color", "NO_COLOR=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("realty %s under a terminal: %v\n%s", args, err, out)
		}
		typescript, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		if i := strings.IndexByte(string(typescript), 0x1b); i >= 0 {
			t.Errorf("realty %s wrote an escape sequence to the terminal: %q", args, typescript[i:min(len(typescript), i+16)])
		}
	}
}

// TestCompletingIDsPastTheFirstThousand: on 200 000 properties, an id
// completes by its prefix from the store (completion used to offer the first
// 1000 properties only). The time it takes is logged, for the notes.
func TestCompletingIDsPastTheFirstThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 200 000 properties")
	}
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "big.db")
	env := append(os.Environ(), "HOME="+t.TempDir(), "REALTY_CONFIG_DIR="+t.TempDir())
	run := func(args ...string) string {
		cmd := exec.Command(filepath.Join(binDir, "realty"), args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("realty %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	run("demo", "--properties", "200000", "--db", db)
	start := time.Now()
	out := run("__complete", "property", "show", "--db", db, "19999")
	t.Logf("completing 19999 on 200 000 properties: %s", time.Since(start))
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "19999\t") || !strings.HasPrefix(lines[1], "199990\t") {
		t.Errorf("completing 19999 offers:\n%s", out)
	}
}
