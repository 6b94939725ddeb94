package server_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

func TestSignupThrottling(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{SignupsPerAddress: 3, TrustProxy: true})
	signup := func(i int, addr string) reply {
		return a.do("POST", "/v1/users", "", map[string]any{"email": fmt.Sprintf("u%d@example.com", i), "password": "long enough",
			"first_name": "U", "last_name": "V"}, "X-Forwarded-For", addr)
	}
	for i := range 3 {
		if r := signup(i, "192.0.2.1"); r.status != 201 {
			t.Fatalf("sign-up %d: %d %s", i, r.status, r.body)
		}
	}
	r := signup(3, "192.0.2.1")
	wantProblem(t, "fourth sign-up from one address", r, 429, "rate_limited")
	if r.header.Get("RateLimit-Limit") != "3" || r.header.Get("RateLimit-Remaining") != "0" {
		t.Errorf("429 sign-up: RateLimit-Limit %q, -Remaining %q", r.header.Get("RateLimit-Limit"), r.header.Get("RateLimit-Remaining"))
	}
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// From another address: not throttled, and the refused email is free.
	if r := signup(3, "192.0.2.2"); r.status != 201 {
		t.Errorf("the refused sign-up again from another address: %d %s", r.status, r.body)
	}
}

// TestLoginThrottlingCannotLockOut: an attacker at one address guessing
// Alice's password without pause is throttled; Alice, at another address,
// still logs in.
func TestLoginThrottlingCannotLockOut(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{TrustProxy: true})
	a.user("Alice")
	login := func(password, addr string) reply {
		return a.do("POST", "/v1/auth/tokens", "", map[string]any{"email": "alice@example.com", "password": password},
			"X-Forwarded-For", addr)
	}
	throttled := 0
	for range 40 {
		if login("a wrong guess", "198.51.100.7").status == 429 {
			throttled++
		}
	}
	if throttled < 25 {
		t.Errorf("only %d of 40 guesses from one address were throttled", throttled)
	}
	if r := login("password-Alice", "203.0.113.9"); r.status != 201 {
		t.Errorf("the owner from another address: %d %s; want 201", r.status, r.body)
	}
}

func TestWriteRateLimit(t *testing.T) {
	t.Parallel()
	core, err := service.New(testdb.Open(t, "sqlite"), service.WithLimits(service.Limits{Writes: ratelimit.Limit{PerMinute: 3, Burst: 3}}))
	if err != nil {
		t.Fatal(err)
	}
	a := serve(t, core, server.Config{})
	alice, _ := a.user("Alice")
	bob, _ := a.user("Bob")
	p := a.property(alice) // 1
	r := a.do("PATCH", fmt.Sprintf("/v1/properties/%d", p.ID), alice, map[string]any{"name": "Two"})
	if r.status != 200 {
		t.Fatalf("second write: %d", r.status)
	}
	// Clients can pace themselves: the budget is in the headers.
	if h := r.header; h.Get("RateLimit-Limit") != "3" || h.Get("RateLimit-Remaining") != "1" || h.Get("RateLimit-Reset") == "" {
		t.Errorf("RateLimit headers after 2 of 3 writes: %q %q %q", h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"), h.Get("RateLimit-Reset"))
	}
	if h := a.do("GET", "/v1/properties", alice, nil).header; h.Get("RateLimit-Limit") != "" {
		t.Error("a read reports a rate limit")
	}
	a.property(alice) // 3
	for _, w := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/v1/properties", map[string]any{"name": "Four", "type": "loft", "city": "Lyon"}},
		{"POST", "/v1/properties/batch", map[string]any{"properties": []any{map[string]any{"name": "B", "type": "loft", "city": "Lyon"}}}},
		{"PATCH", fmt.Sprintf("/v1/properties/%d", p.ID), map[string]any{"name": "Five"}},
		{"POST", fmt.Sprintf("/v1/properties/%d/rooms", p.ID), map[string]any{"type": "kitchen"}},
		{"PATCH", "/v1/users/me", map[string]any{"first_name": "Al"}},
	} {
		r := a.do(w.method, w.path, alice, w.body)
		wantProblem(t, "over the limit: "+w.method+" "+w.path, r, 429, "rate_limited")
		if r.header.Get("Retry-After") == "" || r.header.Get("RateLimit-Remaining") != "0" {
			t.Errorf("%s %s: 429 without Retry-After", w.method, w.path)
		}
	}
	if r := a.do("GET", fmt.Sprintf("/v1/properties/%d", p.ID), "", nil); !strings.Contains(string(r.body), `"Two"`) {
		t.Errorf("a refused write changed the property: %s", r.body)
	}
	// The limit is Alice's: Bob writes, and everybody reads.
	a.property(bob)
	if r := a.do("GET", "/v1/properties", alice, nil); r.status != 200 {
		t.Errorf("read over the write limit: %d", r.status)
	}
}

// full fails every write as a database without space does.
type full struct{ realty.Service }

func (full) CreateProperty(context.Context, realty.NewProperty) (realty.Property, error) {
	return realty.Property{}, fmt.Errorf("%w: database or disk is full (13)", realty.ErrStorageFull)
}

func TestStorageFullIs507AndNotReady(t *testing.T) {
	t.Parallel()
	a := serve(t, stub{svc: full{}, ready: realty.ErrStorageFull}, server.Config{})
	r := a.do("POST", "/v1/properties", "rty_x", map[string]any{"name": "Loft", "type": "loft", "city": "Lyon"})
	wantProblem(t, "create on a full disk", r, 507, "insufficient_storage")
	if strings.Contains(string(r.body), "(13)") {
		t.Errorf("the driver's message reached the client: %s", r.body)
	}
	wantProblem(t, "readyz on a full disk says why", a.do("GET", "/readyz", "", nil), 503, "insufficient_storage")
}

// TestProblemListsAtMost1000Members: a batch of 1000 properties failing
// three members each answers one bounded problem, not 3000 entries.
func TestProblemListsAtMost1000Members(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	bad := make([]any, 1000)
	for i := range bad {
		bad[i] = map[string]any{"name": "", "type": "castle", "city": ""}
	}
	r := a.do("POST", "/v1/properties/batch", alice, map[string]any{"properties": bad})
	wantProblem(t, "1000 bad properties", r, 422, "validation_failed")
	if p := r.problem(); len(p.Errors) != 1000 || !strings.Contains(p.Detail, "3000 members fail") {
		t.Errorf("%d errors listed, detail %q", len(p.Errors), p.Detail)
	}
	// A password longer than any account's costs no hash.
	r = a.do("POST", "/v1/auth/tokens", "", map[string]any{"email": "alice@example.com", "password": strings.Repeat("p", 129)})
	wantProblem(t, "over-long password", r, 422, "validation_failed")
}

// TestSchemaOutdated: a server started with --migrate=false on a database
// that is behind answers 503 schema_outdated on the data routes (not 500 on
// a missing table), /readyz says why, and both recover once migrated.
func TestSchemaOutdated(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "realty.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	core, err := service.New(st)
	if err != nil {
		t.Fatal(err)
	}
	a := serve(t, core, server.Config{})
	for _, r := range []struct{ method, path string }{{"GET", "/v1/properties"}, {"GET", "/v1/cities"},
		{"POST", "/v1/users"}, {"GET", "/v1/properties/1"}} {
		got := a.do(r.method, r.path, "", map[string]any{"email": "a@example.com", "password": "long enough", "first_name": "A", "last_name": "B"})
		if r.method == "GET" {
			got = a.do(r.method, r.path, "", nil)
		}
		wantProblem(t, r.method+" "+r.path+" behind", got, 503, "schema_outdated")
		if got.header.Get("Retry-After") == "" {
			t.Errorf("%s %s: 503 without Retry-After", r.method, r.path)
		}
	}
	ready := a.do("GET", "/readyz", "", nil)
	wantProblem(t, "readyz behind", ready, 503, "schema_outdated")
	if !strings.Contains(ready.problem().Detail, "realty migrate up") {
		t.Errorf("readyz does not say what to do: %s", ready.body)
	}
	if r := a.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz behind: %d (the process is alive)", r.status)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := a.do("GET", "/v1/properties", "", nil); r.status != 200 {
		t.Errorf("after migrating: %d %s", r.status, r.body)
	}
	if r := a.do("GET", "/readyz", "", nil); r.status != 200 {
		t.Errorf("readyz after migrating: %d", r.status)
	}
}

// fails answers every property read with one error.
type fails struct {
	realty.Service
	err error
}

func (f fails) Property(context.Context, int64) (realty.Property, error) {
	return realty.Property{}, f.err
}

// TestErrorTableThroughHTTP walks realty.Kinds through the HTTP layer: each
// sentinel, returned by a service, becomes its status and code, and the
// client maps the answer back to the same sentinel.
func TestErrorTableThroughHTTP(t *testing.T) {
	t.Parallel()
	for _, k := range realty.Kinds {
		err := fmt.Errorf("property 1: %w", k.Err)
		if k.Err == realty.ErrMalformed {
			err = realty.DecodeJSON([]byte("[]"), &struct{}{})
		}
		if k.Code == "validation_failed" && k.Status == 422 {
			err = realty.Invalid("name", "is required")
		}
		a := serve(t, stub{svc: fails{err: err}}, server.Config{})
		r := a.do("GET", "/v1/properties/1", "", nil)
		wantProblem(t, k.Code, r, k.Status, k.Code)
		c, cerr := client.New(a.url, client.WithRetries(0, 0))
		if cerr != nil {
			t.Fatal(cerr)
		}
		_, got := c.Property(context.Background(), 1)
		if back := realty.KindOf(got); back.Code != k.Code || back.Exit != k.Exit {
			t.Errorf("%s came back through the client as %s (exit %d, want %d): %v", k.Code, back.Code, back.Exit, k.Exit, got)
		}
	}
}

// TestLimitsHoldForServersSharingADatabase: two servers on one MySQL
// database (as behind a load balancer) apply each limit together: an
// attacker alternating between them gets no more log-in attempts, sign-ups
// or writes than from one.
func TestLimitsHoldForServersSharingADatabase(t *testing.T) {
	t.Parallel()
	url := testdb.MySQLURL(t)
	var apis []*api
	for range 2 {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		core, err := service.New(st, service.WithLimits(service.Limits{Writes: ratelimit.Limit{PerMinute: 4, Burst: 4}}))
		if err != nil {
			t.Fatal(err)
		}
		apis = append(apis, serve(t, core, server.Config{LoginPerEmailAddress: 3, SignupsPerAddress: 3,
			TrustProxy: true, Throttle: core.Limiter()}))
	}
	statuses := func(n int, send func(i int, a *api) reply) (got []int) {
		for i := range n {
			got = append(got, send(i, apis[i%2]).status)
		}
		return got
	}
	addr := "203.0.113.9"
	signups := statuses(4, func(i int, a *api) reply {
		return a.do("POST", "/v1/users", "", map[string]any{"email": fmt.Sprintf("s%d@example.com", i),
			"password": "long enough", "first_name": "S", "last_name": "T"}, "X-Forwarded-For", addr)
	})
	if fmt.Sprint(signups) != "[201 201 201 429]" {
		t.Errorf("sign-ups alternating between two servers: %v, want the 4th refused", signups)
	}
	logins := statuses(4, func(_ int, a *api) reply {
		return a.do("POST", "/v1/auth/tokens", "", map[string]any{"email": "s0@example.com", "password": "a wrong guess"},
			"X-Forwarded-For", addr)
	})
	if fmt.Sprint(logins) != "[401 401 401 429]" {
		t.Errorf("log-ins alternating between two servers: %v, want the 4th refused", logins)
	}
	token, _ := apis[0].user("Writer")
	writes := statuses(5, func(i int, a *api) reply {
		return a.do("POST", "/v1/properties", token, map[string]any{"name": fmt.Sprint("P", i), "type": "loft", "city": "Lyon"})
	})
	if fmt.Sprint(writes) != "[201 201 201 201 429]" {
		t.Errorf("writes alternating between two servers: %v, want the 5th refused", writes)
	}
}
