package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// api is a running server on a fresh database, with helpers for raw requests.
type api struct {
	t    *testing.T
	url  string
	logs *lockedWriter
}

func newAPI(t *testing.T, dialect string, cfg server.Config) *api {
	t.Helper()
	core, err := service.New(testdb.Open(t, dialect))
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, core, cfg)
}

func serve(t *testing.T, b server.App, cfg server.Config) *api {
	logs := &lockedWriter{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	ts := httptest.NewServer(server.New(b, cfg).Handler())
	t.Cleanup(ts.Close)
	return &api{t: t, url: ts.URL, logs: logs}
}

// reply is a response, its body read.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(v any) {
	_ = json.Unmarshal(r.body, v)
}

// problem decodes a problem response.
func (r reply) problem() (p struct {
	Type, Title, Detail, Code string
	Status                    int
	Errors                    []realty.FieldError
}) {
	r.json(&p)
	return p
}

// do sends a request; body may be a string (sent as is) or a value (JSON).
func (a *api) do(method, path, token string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// user registers and logs in someone, returning the token.
func (a *api) user(first string) (token string, id int64) {
	a.t.Helper()
	email := strings.ToLower(first) + "@example.com"
	r := a.do("POST", "/v1/users", "", map[string]any{"email": email, "password": "password-" + first,
		"first_name": first, "last_name": "Martin"})
	if r.status != 201 {
		a.t.Fatalf("register %s: %d %s", first, r.status, r.body)
	}
	r = a.do("POST", "/v1/auth/tokens", "", map[string]any{"email": email, "password": "password-" + first})
	if r.status != 201 {
		a.t.Fatalf("login %s: %d %s", first, r.status, r.body)
	}
	var s realty.Session
	r.json(&s)
	return s.Token, s.User.ID
}

func (a *api) property(token string) realty.Property {
	a.t.Helper()
	r := a.do("POST", "/v1/properties", token, map[string]any{"name": "Loft", "type": "loft", "city": "Lyon",
		"rooms": []any{map[string]any{"type": "bedroom", "area": 12.5}}})
	if r.status != 201 {
		a.t.Fatalf("create: %d %s", r.status, r.body)
	}
	var p realty.Property
	r.json(&p)
	return p
}

// wantProblem checks a problem response's status, code and headers.
func wantProblem(t *testing.T, what string, r reply, status int, code string) {
	t.Helper()
	p := r.problem()
	if r.status != status || p.Code != code || p.Status != status || p.Title == "" || p.Detail == "" ||
		p.Type != "/problems/"+code || r.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s: got %d %s (%s), want %d %s as problem+json", what, r.status, r.body, r.header.Get("Content-Type"), status, code)
	}
	if r.header.Get("X-Request-ID") == "" {
		t.Errorf("%s: no X-Request-ID", what)
	}
}

func TestStatusesAndHeaders(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) { testStatuses(t, newAPI(t, dialect, server.Config{})) })
	}
}

// scenario is one request of an API scenario table (in the spirit of
// PocketBase's ApiScenario): what is sent, the status and problem code
// expected, and any further check. Scenarios run in order, each as a
// subtest named after it.
type scenario struct {
	name         string
	method, path string
	token        string
	body         any
	headers      []string
	status       int
	code         string // the problem's code, for an error status
	check        func(t *testing.T, r reply)
}

func runScenarios(t *testing.T, a *api, scenarios []scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			r := a.do(s.method, s.path, s.token, s.body, s.headers...)
			if s.code != "" {
				wantProblem(t, s.name, r, s.status, s.code)
			} else if r.status != s.status {
				t.Errorf("%s %s: %d %s, want %d", s.method, s.path, r.status, r.body, s.status)
			}
			if s.check != nil {
				s.check(t, r)
			}
		})
	}
}

// header checks a response header.
func header(name, want string) func(t *testing.T, r reply) {
	return func(t *testing.T, r reply) {
		t.Helper()
		if got := r.header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// unchanged returns a check that fails when the property differs from the
// snapshot taken by the returned snap, and that snap.
func unchanged(a *api, path string) (snap func(*testing.T, reply), check func(*testing.T, reply)) {
	var before []byte
	snap = func(*testing.T, reply) { before = a.do("GET", path, "", nil).body }
	check = func(t *testing.T, _ reply) {
		if after := a.do("GET", path, "", nil).body; !bytes.Equal(before, after) {
			t.Errorf("refused writes changed %s:\n%s\n%s", path, before, after)
		}
	}
	return snap, check
}

func testStatuses(t *testing.T, a *api) {
	alice, aliceID := a.user("Alice")
	bob, _ := a.user("Bob")
	p := a.property(alice)
	prop := fmt.Sprintf("/v1/properties/%d", p.ID)
	room := fmt.Sprintf("%s/rooms/%d", prop, p.Rooms[0].ID)
	var ss []scenario
	add := func(s ...scenario) { ss = append(ss, s...) }

	// 201 with Location (and ETag for properties), 200 with ETag, 304.
	add(scenario{name: "add room answers 201 and a Location that resolves", method: "POST", path: prop + "/rooms", token: alice,
		body: map[string]any{"type": "kitchen"}, status: 201, check: func(t *testing.T, r reply) {
			if loc := r.header.Get("Location"); !regexp.MustCompile(`^/v1/properties/\d+/rooms/\d+$`).MatchString(loc) {
				t.Errorf("Location %q", loc)
			} else if got := a.do("GET", loc, "", nil); got.status != 200 {
				t.Errorf("GET the new room's Location: %d", got.status)
			}
		}},
		scenario{name: "get answers the version as ETag", method: "GET", path: prop, status: 200, check: header("ETag", `"2"`)},
		scenario{name: "If-None-Match of the current version answers 304", method: "GET", path: prop,
			headers: []string{"If-None-Match", `"2"`}, status: 304},
		scenario{name: "create answers 201 with ETag and Location", method: "POST", path: "/v1/properties", token: alice,
			body: map[string]any{"name": "Flat", "type": "apartment", "city": "Paris"}, status: 201, check: func(t *testing.T, r reply) {
				if r.header.Get("ETag") != `"1"` || !strings.HasPrefix(r.header.Get("Location"), "/v1/properties/") {
					t.Errorf("ETag %q, Location %q", r.header.Get("ETag"), r.header.Get("Location"))
				}
			}})

	// 400: not JSON, or not one object.
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/users", `{"email": `}, {"POST", "/v1/auth/tokens", `[]`},
		{"POST", "/v1/properties", `{"name": "x"} {}`}, {"PATCH", prop, `nope`},
		{"POST", prop + "/rooms", ``}, {"PATCH", room, `{`},
		{"PATCH", "/v1/users/me", `"x"`}, {"PUT", "/v1/users/me/password", `{]`},
	} {
		add(scenario{name: "400 " + c.method + " " + c.path + " " + c.body, method: c.method, path: c.path, token: alice,
			body: c.body, status: 400, code: "validation_failed"})
	}

	// 401 on every route that needs a token, without one and with a forged one.
	for _, w := range []struct{ method, path string }{
		{"GET", "/v1/users/me"}, {"PATCH", "/v1/users/me"}, {"PUT", "/v1/users/me/password"},
		{"DELETE", "/v1/auth/tokens/current"}, {"POST", "/v1/properties"}, {"POST", "/v1/properties/batch"},
		{"PATCH", prop}, {"DELETE", prop}, {"POST", prop + "/rooms"}, {"PATCH", room}, {"DELETE", room},
	} {
		body := any(nil)
		if w.method != "GET" && w.method != "DELETE" {
			body = map[string]any{}
		}
		for _, token := range []string{"", "rty_forged"} {
			add(scenario{name: fmt.Sprintf("401 %s %s token %q", w.method, w.path, token), method: w.method, path: w.path,
				token: token, body: body, status: 401, code: "unauthenticated", check: func(t *testing.T, r reply) {
					if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
					}
				}})
		}
	}

	// 403 on every write to Alice's property by Bob; nothing changes.
	snap, same := unchanged(a, prop)
	add(scenario{name: "snapshot before Bob's writes", method: "GET", path: prop, status: 200, check: snap})
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", prop, map[string]any{"name": "Bob's"}}, {"DELETE", prop, nil},
		{"POST", prop + "/rooms", map[string]any{"type": "cellar"}},
		{"PATCH", room, map[string]any{"name": "Bob's"}}, {"DELETE", room, nil},
	} {
		add(scenario{name: "403 " + c.method + " " + c.path, method: c.method, path: c.path, token: bob, body: c.body,
			status: 403, code: "forbidden"})
	}
	add(scenario{name: "Bob's refused writes changed nothing", method: "GET", path: prop, status: 200, check: same})

	// 404 and 405.
	for _, path := range []string{"/v1/properties/999999", "/v1/properties/abc", "/v1/users/999999", "/v1/nothing",
		prop + "/rooms/999999"} {
		add(scenario{name: "404 GET " + path, method: "GET", path: path, status: 404, code: "not_found"})
	}
	add(scenario{name: "404 PATCH of an unknown property", method: "PATCH", path: "/v1/properties/999999", token: alice,
		body: map[string]any{"name": "x"}, status: 404, code: "not_found"},
		scenario{name: "405 PUT on a property", method: "PUT", path: prop, token: alice, body: map[string]any{},
			status: 405, code: "method_not_allowed"})

	// 409: duplicate email, on registration and on a profile change.
	add(scenario{name: "409 register a taken email", method: "POST", path: "/v1/users", body: map[string]any{
		"email": "ALICE@example.com", "password": "long enough", "first_name": "A", "last_name": "B"}, status: 409, code: "conflict"},
		scenario{name: "409 take another's email", method: "PATCH", path: "/v1/users/me", token: bob,
			body: map[string]any{"email": "alice@example.com", "current_password": "password-Bob"}, status: 409, code: "conflict"})

	// 412: If-Match not current, or not a strong tag; nothing changes.
	snap, same = unchanged(a, prop)
	add(scenario{name: "snapshot before stale writes", method: "GET", path: prop, status: 200, check: snap})
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", prop, map[string]any{"name": "Stale"}}, {"DELETE", prop, nil},
		{"POST", prop + "/rooms", map[string]any{"type": "cellar"}},
		{"PATCH", room, map[string]any{"name": "Stale"}}, {"DELETE", room, nil},
	} {
		for _, tag := range []string{`"1"`, `W/"2"`, `2`, `"x"`} {
			add(scenario{name: "412 " + c.method + " " + c.path + " If-Match " + tag, method: c.method, path: c.path,
				token: alice, body: c.body, headers: []string{"If-Match", tag}, status: 412, code: "precondition_failed"})
		}
	}
	add(scenario{name: "stale writes changed nothing", method: "GET", path: prop, status: 200, check: same},
		scenario{name: "PATCH with the current ETag answers the next", method: "PATCH", path: prop, token: alice,
			body: map[string]any{"name": "Current"}, headers: []string{"If-Match", `"2"`}, status: 200, check: header("ETag", `"3"`)})

	// 413 and 415.
	add(scenario{name: "413 a body over 1 MiB", method: "POST", path: "/v1/properties", token: alice,
		body: `{"name": "` + strings.Repeat("x", 1<<20) + `"}`, status: 413, code: "payload_too_large"},
		scenario{name: "415 a form", method: "POST", path: "/v1/properties", token: alice, body: `name=x`,
			headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415, code: "unsupported_media_type"},
		scenario{name: "415 merge patch on POST", method: "POST", path: "/v1/properties", token: alice, body: `{}`,
			headers: []string{"Content-Type", "application/merge-patch+json"}, status: 415, code: "unsupported_media_type"},
		scenario{name: "merge-patch content type on PATCH", method: "PATCH", path: prop, token: alice,
			body: `{"description": "merge"}`, headers: []string{"Content-Type", "application/merge-patch+json"}, status: 200})

	// 422: every failing member, unknown and read-only members, nulls that cannot be.
	add(scenario{name: "422 lists every failing member", method: "POST", path: "/v1/properties", token: alice,
		body: map[string]any{"name": "", "type": "castle", "city": "Lyon",
			"rooms": []any{map[string]any{"type": "bedroom", "area": 0, "level": 500}}},
		status: 422, code: "validation_failed", check: func(t *testing.T, r reply) {
			if got := fieldNames(r); got != "name,type,rooms[0].area,rooms[0].level" {
				t.Errorf("errors = %s", got)
			}
		}})
	for _, body := range []string{`{"name": "x", "type": "loft", "city": "Lyon", "owner": {"id": 2}}`,
		`{"name": "x", "type": "loft", "city": "Lyon", "id": 9}`, `{"name": "x", "type": "loft", "city": "Lyon", "version": 9}`} {
		add(scenario{name: "422 mass assignment " + body, method: "POST", path: "/v1/properties", token: alice, body: body,
			status: 422, code: "validation_failed"})
	}
	add(scenario{name: "422 null name", method: "PATCH", path: prop, token: alice, body: `{"name": null}`, status: 422, code: "validation_failed"},
		scenario{name: "422 limit 0", method: "GET", path: "/v1/properties?limit=0", status: 422, code: "validation_failed"},
		scenario{name: "422 owner_id me", method: "GET", path: "/v1/properties?owner_id=me", status: 422, code: "validation_failed"})

	// The public profile never shows the email or the birth date.
	add(scenario{name: "the public profile hides email and birth date", method: "GET", path: fmt.Sprintf("/v1/users/%d", aliceID),
		token: bob, status: 200, check: func(t *testing.T, r reply) {
			if strings.Contains(string(r.body), "email") || strings.Contains(string(r.body), "birth_date") {
				t.Errorf("public profile: %s", r.body)
			}
		}})
	runScenarios(t, a, ss)
}

func fieldNames(r reply) string {
	var names []string
	for _, f := range r.problem().Errors {
		names = append(names, f.Field)
	}
	return strings.Join(names, ",")
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{LoginPerEmail: 3, LoginPerAddress: 100})
	a.user("Alice")
	wrong := map[string]any{"email": "alice@example.com", "password": "wrong password"}
	for i := range 2 {
		wantProblem(t, fmt.Sprint("attempt ", i), a.do("POST", "/v1/auth/tokens", "", wrong), 401, "unauthenticated")
	}
	r := a.do("POST", "/v1/auth/tokens", "", wrong)
	wantProblem(t, "throttled", r, 429, "rate_limited")
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The right password is refused too while throttled: no guessing around it.
	wantProblem(t, "throttled, right password", a.do("POST", "/v1/auth/tokens", "", map[string]any{"email": "alice@example.com", "password": "password-Alice"}), 429, "rate_limited")
	// Another email from the same address is not throttled by Alice's limit.
	if r := a.do("POST", "/v1/auth/tokens", "", map[string]any{"email": "bob@example.com", "password": "whatever1"}); r.status != 401 {
		t.Errorf("other email: %d", r.status)
	}
}

// stub is a backend whose services and readiness the test decides.
type stub struct {
	svc   realty.Service
	ready error
}

func (s stub) For(string) realty.Service    { return s.svc }
func (s stub) Ready(context.Context) error  { return s.ready }
func (s stub) Schema(context.Context) error { return nil }
func (s stub) PoolStats() map[string]sql.DBStats {
	return map[string]sql.DBStats{"main": {MaxOpenConnections: 4}}
}

// panicky panics on every call (its embedded interface is nil).
type panicky struct{ realty.Service }

// down fails every call as a database that went away does.
type down struct{ realty.Service }

func (down) Cities(context.Context, realty.CityFilter) (realty.Page[realty.CityCount], error) {
	return realty.Page[realty.CityCount]{}, fmt.Errorf("%w: database: dial tcp 10.0.0.9:3306: connect: connection refused (user realty)", realty.ErrUnavailable)
}

func TestPanicAnswers500AndServerKeepsServing(t *testing.T) {
	t.Parallel()
	a := serve(t, stub{svc: panicky{}}, server.Config{})
	for range 2 {
		wantProblem(t, "panic", a.do("GET", "/v1/cities", "", nil), 500, "internal")
	}
	if r := a.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz after panics: %d", r.status)
	}
	if !strings.Contains(a.logs.String(), `"msg":"panic"`) {
		t.Error("the panic was not logged")
	}
}

func TestUnavailableDatabase(t *testing.T) {
	t.Parallel()
	a := serve(t, stub{svc: down{}, ready: realty.ErrUnavailable}, server.Config{})
	r := a.do("GET", "/v1/cities", "", nil)
	wantProblem(t, "503", r, 503, "unavailable")
	if r.header.Get("Retry-After") == "" || strings.Contains(string(r.body), "10.0.0.9") || strings.Contains(string(r.body), "realty)") {
		t.Errorf("503: Retry-After %q, body %s (no driver detail may leak)", r.header.Get("Retry-After"), r.body)
	}
	wantProblem(t, "readyz", a.do("GET", "/readyz", "", nil), 503, "unavailable")
	if r := a.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz: %d (liveness does not depend on the database)", r.status)
	}
}

func TestEveryRouteIsDocumentedAndEveryDocumentedRouteExists(t *testing.T) {
	t.Parallel()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(server.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	s := server.New(stub{}, server.Config{})
	registered := map[string]bool{}
	for _, r := range s.Routes() {
		path := regexp.MustCompile(`:(\w+)`).ReplaceAllString(r.Path, "{$1}")
		if r.Method == http.MethodHead {
			// HEAD is GET without a body (RFC 9110 §9.3.2): documented by its GET.
			if !documented["GET "+path] {
				t.Errorf("route HEAD %s has no GET", path)
			}
			continue
		}
		registered[r.Method+" "+path] = true
		if !documented[r.Method+" "+path] {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, path)
		}
	}
	for route := range documented {
		if !registered[route] {
			t.Errorf("the OpenAPI document has %s, which the server does not serve", route)
		}
	}
}

// TestHeadAndCanonicalIDs: HEAD answers every GET route with GET's status
// and headers and no body; an id has one spelling.
func TestHeadAndCanonicalIDs(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, aliceID := a.user("Alice")
	p := a.property(alice)
	s := server.New(stub{}, server.Config{})
	for _, r := range s.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		path := strings.NewReplacer(":id", fmt.Sprint(p.ID), ":room_id", fmt.Sprint(p.Rooms[0].ID)).Replace(r.Path)
		if r.Path == "/v1/users/:id" {
			path = fmt.Sprintf("/v1/users/%d", aliceID)
		}
		get, head := a.do("GET", path, alice, nil), a.do("HEAD", path, alice, nil)
		if head.status != get.status || len(head.body) != 0 || head.header.Get("Content-Type") != get.header.Get("Content-Type") ||
			head.header.Get("ETag") != get.header.Get("ETag") {
			t.Errorf("HEAD %s: %d, %d bytes, %q; GET: %d, %q", path, head.status, len(head.body),
				head.header.Get("Content-Type"), get.status, get.header.Get("Content-Type"))
		}
	}
	for _, id := range []string{"+1", "01", "1.0", "0x1", "1e0", " 1", "00000000000000000000001"} {
		wantProblem(t, "property "+id, a.do("GET", "/v1/properties/"+url.PathEscape(id), "", nil), 404, "not_found")
	}
	wantProblem(t, "room +1", a.do("GET", fmt.Sprintf("/v1/properties/%d/rooms/+%d", p.ID, p.Rooms[0].ID), "", nil), 404, "not_found")
}

// TestProblemTypesResolve: a problem's type names a page this server
// serves, for every kind of realty.Kinds; the index lists them all, and
// /docs links to it.
func TestProblemTypesResolve(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	index := a.do("GET", "/problems", "", nil)
	if index.status != 200 || !strings.HasPrefix(index.header.Get("Content-Type"), "text/html") {
		t.Fatalf("/problems: %d %s", index.status, index.header.Get("Content-Type"))
	}
	for _, k := range realty.Kinds {
		if !strings.Contains(string(index.body), `href="/problems/`+k.Code+`"`) {
			t.Errorf("/problems does not list %s", k.Code)
		}
		r := a.do("GET", "/problems/"+k.Code, "", nil)
		if r.status != 200 || !strings.Contains(string(r.body), k.Phrase) || !strings.Contains(string(r.body), fmt.Sprint(k.Status)) {
			t.Errorf("/problems/%s: %d %s", k.Code, r.status, r.body)
		}
	}
	p := a.do("GET", "/v1/properties/999", "", nil).problem()
	if r := a.do("GET", p.Type, "", nil); r.status != 200 {
		t.Errorf("the type of a 404 (%s) does not resolve: %d", p.Type, r.status)
	}
	wantProblem(t, "unknown problem type", a.do("GET", "/problems/nope", "", nil), 404, "not_found")
	if r := a.do("GET", "/docs", "", nil); !strings.Contains(string(r.body), `href="/problems"`) {
		t.Error("/docs does not link to the problem types")
	}
}

// TestLogsHoldNoSecrets: the access log of a session never contains the
// password or the token.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	token, _ := a.user("Alice")
	a.do("GET", "/v1/users/me", token, nil)
	a.do("PUT", "/v1/users/me/password", token, map[string]any{"current_password": "password-Alice", "new_password": "password-new-secret"})
	a.do("DELETE", "/v1/auth/tokens/current", token, nil)
	logs := a.logs.String()
	if !strings.Contains(logs, `"route":"/v1/users/me"`) {
		t.Fatalf("no access log: %s", logs)
	}
	for _, secret := range []string{token, "password-Alice", "password-new-secret"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain a secret: %q", secret)
		}
	}
}

func TestOperationsEndpoints(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	a.do("GET", "/v1/properties", "", nil)
	if r := a.do("GET", "/readyz", "", nil); r.status != 200 {
		t.Errorf("readyz: %d %s", r.status, r.body)
	}
	r := a.do("GET", "/metrics", "", nil)
	for _, want := range []string{`realty_http_requests_total{method="GET",route="/v1/properties",status="200"} 1`,
		`realty_http_request_duration_seconds_count{method="GET",route="/v1/properties"} 1`,
		`realty_db_max_open_connections{pool="write"} 1`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack %q:\n%s", want, r.body)
		}
	}
	for _, want := range []string{"go_goroutines ", "process_resident_memory_bytes "} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack the Go and process collectors (%s)", want)
		}
	}
	if r := a.do("GET", "/openapi.json", "", nil); r.status != 200 || !bytes.Equal(r.body, server.OpenAPI) {
		t.Errorf("openapi.json: %d", r.status)
	}
	if r := a.do("GET", "/docs", "", nil); r.status != 200 || !strings.Contains(string(r.body), "/openapi.json") {
		t.Errorf("docs: %d", r.status)
	}
}

// TestMetricsLabelsAreBounded: invented methods and paths, which any client
// can send, add no series: they are "other" and "unmatched".
func TestMetricsLabelsAreBounded(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	for i := range 300 {
		a.do(fmt.Sprintf("INVENTED%d", i), fmt.Sprintf("/v1/properties/%d", i), "", nil)
		a.do("GET", fmt.Sprintf("/no/such/path/%d", i), "", nil)
	}
	body := string(a.do("GET", "/metrics", "", nil).body)
	series := 0
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "realty_http_requests_total{") {
			series++
		}
	}
	if strings.Contains(body, "INVENTED") || strings.Contains(body, "/no/such") || series > 3 {
		t.Errorf("600 odd requests made %d request series:\n%s", series, body)
	}
	if !strings.Contains(body, `method="other"`) || !strings.Contains(body, `route="unmatched"`) {
		t.Errorf("odd methods and paths are not labelled other and unmatched")
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{CORSOrigins: []string{"https://app.example.com"}})
	r := a.do("OPTIONS", "/v1/properties/1", "", nil, "Origin", "https://app.example.com",
		"Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "authorization, if-match, content-type")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(strings.ToLower(r.header.Get("Access-Control-Allow-Headers")), "if-match") {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	r = a.do("GET", "/v1/properties", "", nil, "Origin", "https://app.example.com")
	if r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("simple request: %v", r.header)
	}
	if r := a.do("GET", "/v1/properties", "", nil, "Origin", "https://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin was allowed: %v", r.header)
	}
	off := newAPI(t, "sqlite", server.Config{})
	if r := off.do("GET", "/v1/properties", "", nil, "Origin", "https://app.example.com"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS without configuration: %v", r.header)
	}
}

// TestStrictJSON pins how bodies that encoding/json would bend are refused:
// 400 for what is not the JSON a client meant to send, 422 naming every
// member of the wrong type; nothing is stored either way.
func TestStrictJSON(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	for name, body := range map[string]string{
		"invalid UTF-8":        "{\"name\": \"Loft \xff\", \"type\": \"loft\", \"city\": \"Lyon\"}",
		"lone high surrogate":  `{"name": "Loft \ud800", "type": "loft", "city": "Lyon"}`,
		"lone low surrogate":   `{"name": "Loft \udc00x", "type": "loft", "city": "Lyon"}`,
		"duplicate member":     `{"name": "Loft", "name": "Other", "type": "loft", "city": "Lyon"}`,
		"duplicate in a room":  `{"name": "Loft", "type": "loft", "city": "Lyon", "rooms": [{"type": "bedroom", "type": "kitchen"}]}`,
		"other-case member":    `{"NAME": "Loft", "type": "loft", "city": "Lyon"}`,
		"other-case in a room": `{"name": "Loft", "type": "loft", "city": "Lyon", "rooms": [{"Type": "bedroom"}]}`,
	} {
		wantProblem(t, "400 "+name, a.do("POST", "/v1/properties", alice, body), 400, "validation_failed")
	}
	r := a.do("POST", "/v1/properties", alice, `{"name": 1, "type": "loft", "city": ["Lyon"],
		"rooms": [{"type": "bedroom", "area": "big"}, {"type": 3, "level": 1.5, "features": [1]}]}`)
	wantProblem(t, "422 type errors", r, 422, "validation_failed")
	if got := fieldNames(r); got != "name,city,rooms[0].area,rooms[1].type,rooms[1].level,rooms[1].features[0]" {
		t.Errorf("422 type errors name %s", got)
	}
	r = a.do("POST", "/v1/properties", alice, `{"name": "Loft", "type": "loft", "city": "Lyon", "rooms": [{"type": "bedroom", "owner": 2}]}`)
	if got := fieldNames(r); r.status != 422 || got != "rooms[0].owner" {
		t.Errorf("unknown member in a room: %d, errors on %s", r.status, got)
	}
	// A surrogate pair is a valid character, and the spelling of an ordinary one too.
	r = a.do("POST", "/v1/properties", alice, `{"name": "Loft \ud83c\udfe0 \u00e9", "type": "loft", "city": "Lyon"}`)
	var p realty.Property
	if r.json(&p); r.status != 201 || p.Name != "Loft 🏠 é" {
		t.Errorf("escaped pair: %d %s", r.status, r.body)
	}
	var page realty.Page[realty.PropertySummary]
	if a.do("GET", "/v1/properties", "", nil).json(&page); len(page.Items) != 1 {
		t.Errorf("refused bodies stored properties: %d listed", len(page.Items))
	}
}

// TestUnknownQueryParameters: a misspelt parameter (?ctiy=lyon) would list
// everything without a word; every route answers 400 naming it.
func TestUnknownQueryParameters(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	p := a.property(alice)
	if r := a.do("GET", "/v1/properties?city=lyon&limit=5&type=loft&cursor=&owner_id=1", "", nil); r.status != 200 {
		t.Errorf("known parameters: %d %s", r.status, r.body)
	}
	if r := a.do("GET", "/v1/cities?prefix=ly&limit=5&cursor=", "", nil); r.status != 200 {
		t.Errorf("known city parameters: %d %s", r.status, r.body)
	}
	s := server.New(stub{}, server.Config{})
	for _, route := range s.Routes() {
		path := strings.NewReplacer(":id", fmt.Sprint(p.ID), ":room_id", fmt.Sprint(p.Rooms[0].ID)).Replace(route.Path)
		if route.Method == http.MethodHead {
			continue
		}
		r := a.do(route.Method, path+"?ctiy=lyon", alice, nil)
		wantProblem(t, route.Method+" "+route.Path+"?ctiy=lyon", r, 400, "validation_failed")
		if got := fieldNames(r); got != "ctiy" {
			t.Errorf("%s %s?ctiy=lyon names %q", route.Method, route.Path, got)
		}
	}
	if r := a.do("GET", "/v1/nothing?x=1", "", nil); r.status != 404 {
		t.Errorf("an unknown path with a query: %d, want 404", r.status)
	}
	if r := a.do("GET", fmt.Sprintf("/v1/properties/%d", p.ID), "", nil); r.status != 200 {
		t.Errorf("the property survived the refused requests: %d", r.status)
	}
}

// TestLinkNext: lists send the next page's address in a Link header (RFC
// 8288); following it walks the same pages as next_cursor.
func TestLinkNext(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	for range 5 {
		a.property(alice)
	}
	for _, start := range []string{"/v1/properties?city=LYON&limit=2", "/v1/cities?limit=1"} {
		path, pages := start, 0
		for path != "" {
			r := a.do("GET", path, "", nil)
			var page struct {
				NextCursor *string `json:"next_cursor"`
			}
			r.json(&page)
			pages++
			link := r.header.Get("Link")
			if page.NextCursor == nil {
				if link != "" {
					t.Errorf("%s: Link %q on the last page", path, link)
				}
				break
			}
			m := regexp.MustCompile(`^<([^>]+)>; rel="next"$`).FindStringSubmatch(link)
			if m == nil || !strings.Contains(m[1], "cursor="+url.QueryEscape(*page.NextCursor)) || !strings.Contains(m[1], "limit=") {
				t.Fatalf("%s: Link %q does not name the next page (cursor %s)", path, link, *page.NextCursor)
			}
			path = m[1]
		}
		if want := map[bool]int{true: 3, false: 1}[strings.HasPrefix(start, "/v1/properties")]; pages != want {
			t.Errorf("%s: %d pages through Link, want %d", start, pages, want)
		}
	}
}

// TestMergePatchNullRemoves: in a JSON Merge Patch (RFC 7396) null removes
// a member: a description becomes empty, features none, area and level
// unknown. Members that cannot be absent answer 422 for null.
func TestMergePatchNullRemoves(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	r := a.do("POST", "/v1/properties", alice, map[string]any{"name": "Loft", "type": "loft", "city": "Lyon", "description": "Bright",
		"rooms": []any{map[string]any{"type": "bedroom", "name": "Blue", "area": 12.5, "level": 2, "description": "Quiet", "features": []string{"balcony"}}}})
	var p realty.Property
	r.json(&p)
	path := fmt.Sprintf("/v1/properties/%d", p.ID)
	merge := func(path, body string) reply {
		return a.do("PATCH", path, alice, body, "Content-Type", "application/merge-patch+json")
	}
	if r := merge(path, `{"description": null}`); r.status != 200 || !strings.Contains(string(r.body), `"description":""`) {
		t.Errorf("property description null: %d %s", r.status, r.body)
	}
	room := fmt.Sprintf("%s/rooms/%d", path, p.Rooms[0].ID)
	r = merge(room, `{"name": null, "description": null, "features": null, "area": null, "level": null}`)
	var got realty.Room
	if r.json(&got); r.status != 200 || got.Name != "" || got.Description != "" || len(got.Features) != 0 || got.Area != nil || got.Level != nil {
		t.Errorf("room members null: %d %s", r.status, r.body)
	}
	for body, field := range map[string]string{`{"name": null}`: "name", `{"type": null}`: "type", `{"city": null}`: "city"} {
		r := merge(path, body)
		if wantProblem(t, "property "+body, r, 422, "validation_failed"); fieldNames(r) != field {
			t.Errorf("%s: errors on %s", body, fieldNames(r))
		}
	}
	wantProblem(t, "room type null", merge(room, `{"type": null}`), 422, "validation_failed")
	wantProblem(t, "first name null", merge("/v1/users/me", `{"first_name": null}`), 422, "validation_failed")
}

// TestRoomWritesChainWithETags: a room write answers the property's new
// version, in ETag and in property_version, so that a front end chains
// edits with If-Match without reading the property again.
func TestRoomWritesChainWithETags(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	p := a.property(alice) // version 1
	path := fmt.Sprintf("/v1/properties/%d", p.ID)
	r := a.do("POST", path+"/rooms", alice, map[string]any{"type": "kitchen"}, "If-Match", `"1"`)
	var room realty.Room
	if r.json(&room); r.status != 201 || r.header.Get("ETag") != `"2"` || room.PropertyVersion != 2 {
		t.Fatalf("add room: %d, ETag %q, %s", r.status, r.header.Get("ETag"), r.body)
	}
	roomPath := r.header.Get("Location")
	if g := a.do("GET", roomPath, "", nil); g.header.Get("ETag") != `"2"` {
		t.Errorf("GET room: ETag %q, want the property's \"2\"", g.header.Get("ETag"))
	}
	r = a.do("PATCH", roomPath, alice, map[string]any{"name": "Kitchen"}, "If-Match", r.header.Get("ETag"))
	if r.status != 200 || r.header.Get("ETag") != `"3"` {
		t.Fatalf("update room with the add's ETag: %d, ETag %q", r.status, r.header.Get("ETag"))
	}
	r = a.do("DELETE", roomPath, alice, nil, "If-Match", r.header.Get("ETag"))
	if r.status != 204 || r.header.Get("ETag") != `"4"` {
		t.Fatalf("remove room with the update's ETag: %d, ETag %q", r.status, r.header.Get("ETag"))
	}
	if r = a.do("PATCH", path, alice, map[string]any{"name": "Done"}, "If-Match", r.header.Get("ETag")); r.status != 200 {
		t.Errorf("rename with the removal's ETag: %d %s", r.status, r.body)
	}
}

// TestDocsShowRealShapes: /docs renders its examples from the document, so
// every scalar member has an example (or an enum) in the real shape, and
// the page renders types, limits and each operation's error responses.
func TestDocsShowRealShapes(t *testing.T) {
	t.Parallel()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(server.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for name, s := range doc.Components.Schemas {
		for member, p := range s.Properties {
			_, ref := p["$ref"]
			_, example := p["example"]
			_, enum := p["enum"]
			if typ := p["type"]; !ref && !example && !enum && typ != "object" && typ != "array" {
				t.Errorf("%s.%s has no example: /docs would show a placeholder", name, member)
			}
		}
	}
	a := newAPI(t, "sqlite", server.Config{})
	page := string(a.do("GET", "/docs", "", nil).body)
	for _, want := range []string{"maxLength", "enum", "minimum", "maxItems", "Members (* required)", `href="/problems"`, "headers: "} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs does not render %q", want)
		}
	}
}

// TestIdempotencyKeyHeader: a create sent again with its Idempotency-Key,
// quoted (a structured-field string) or bare, gets the first answer,
// headers included, and makes nothing; a bad key is 422 naming the header,
// before anything is written.
func TestIdempotencyKeyHeader(t *testing.T) {
	t.Parallel()
	a := newAPI(t, "sqlite", server.Config{})
	alice, _ := a.user("Alice")
	body := map[string]any{"name": "Loft", "type": "loft", "city": "Lyon"}
	first := a.do("POST", "/v1/properties", alice, body, "Idempotency-Key", `"a1b2"`)
	again := a.do("POST", "/v1/properties", alice, body, "Idempotency-Key", `a1b2`)
	if first.status != 201 || again.status != 201 || !bytes.Equal(first.body, again.body) ||
		again.header.Get("Location") != first.header.Get("Location") || again.header.Get("ETag") != `"1"` {
		t.Fatalf("create twice with one key: %d %s, then %d %s (Location %q)", first.status, first.body, again.status,
			again.body, again.header.Get("Location"))
	}
	escaped := a.do("POST", "/v1/properties", alice, body, "Idempotency-Key", `"q\"\\"`)
	bare := a.do("POST", "/v1/properties", alice, body, "Idempotency-Key", `q"\`)
	if escaped.status != 201 || !bytes.Equal(escaped.body, bare.body) || bytes.Equal(escaped.body, first.body) {
		t.Errorf("a quoted key with escapes is its bare form: %s, then %s", escaped.body, bare.body)
	}
	r := a.do("POST", "/v1/properties", alice, map[string]any{"name": "Other", "type": "loft", "city": "Lyon"},
		"Idempotency-Key", `"a1b2"`)
	wantProblem(t, "the key of another request", r, 422, "validation_failed")
	if fieldNames(r) != "Idempotency-Key" {
		t.Errorf("the key of another request: errors %s", r.body)
	}
	for _, bad := range []string{``, `""`, `"with space"`, strings.Repeat("k", 256)} {
		r := a.do("POST", "/v1/properties/batch", alice, map[string]any{"properties": []any{body}}, "Idempotency-Key", bad)
		wantProblem(t, fmt.Sprintf("key %q", bad), r, 422, "validation_failed")
		if fieldNames(r) != "Idempotency-Key" {
			t.Errorf("key %q: errors %s", bad, r.body)
		}
	}
	req, _ := http.NewRequest("POST", a.url+"/v1/properties", strings.NewReader(`{"name":"Twice","type":"loft","city":"Lyon"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+alice)
	req.Header["Idempotency-Key"] = []string{`"k1"`, `"k2"`}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 422 {
		t.Errorf("two Idempotency-Key fields: %s, want 422", resp.Status)
	}
	var page realty.Page[realty.PropertySummary]
	a.do("GET", "/v1/properties", "", nil).json(&page)
	if len(page.Items) != 2 {
		t.Errorf("%d properties, want 2: one a key", len(page.Items))
	}
}
