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
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) { testStatuses(t, newAPI(t, dialect, server.Config{})) })
	}
}

func testStatuses(t *testing.T, a *api) {
	alice, aliceID := a.user("Alice")
	bob, _ := a.user("Bob")
	p := a.property(alice)
	pid := fmt.Sprint(p.ID)
	room := fmt.Sprintf("/v1/properties/%d/rooms/%d", p.ID, p.Rooms[0].ID)

	// 201 with Location (and ETag for properties), 200 with ETag, 304.
	r := a.do("POST", "/v1/properties/"+pid+"/rooms", alice, map[string]any{"type": "kitchen"})
	if r.status != 201 || !regexp.MustCompile(`^/v1/properties/\d+/rooms/\d+$`).MatchString(r.header.Get("Location")) {
		t.Errorf("add room: %d, Location %q", r.status, r.header.Get("Location"))
	}
	if got := a.do("GET", r.header.Get("Location"), "", nil); got.status != 200 {
		t.Errorf("GET the new room's Location: %d", got.status)
	}
	r = a.do("GET", "/v1/properties/"+pid, "", nil)
	if r.status != 200 || r.header.Get("ETag") != `"2"` {
		t.Errorf("get: %d, ETag %q; want 200 and \"2\"", r.status, r.header.Get("ETag"))
	}
	if r := a.do("GET", "/v1/properties/"+pid, "", nil, "If-None-Match", `"2"`); r.status != 304 {
		t.Errorf("If-None-Match current: %d, want 304", r.status)
	}
	r = a.do("POST", "/v1/properties", alice, map[string]any{"name": "Flat", "type": "apartment", "city": "Paris"})
	if r.status != 201 || r.header.Get("ETag") != `"1"` || !strings.HasPrefix(r.header.Get("Location"), "/v1/properties/") {
		t.Errorf("create: %d, ETag %q, Location %q", r.status, r.header.Get("ETag"), r.header.Get("Location"))
	}

	// 400: not JSON, or not one object.
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/users", `{"email": `}, {"POST", "/v1/auth/tokens", `[]`},
		{"POST", "/v1/properties", `{"name": "x"} {}`}, {"PATCH", "/v1/properties/" + pid, `nope`},
		{"POST", "/v1/properties/" + pid + "/rooms", ``}, {"PATCH", room, `{`},
		{"PATCH", "/v1/users/me", `"x"`}, {"PUT", "/v1/users/me/password", `{]`},
	} {
		wantProblem(t, "400 "+c.method+" "+c.path, a.do(c.method, c.path, alice, c.body), 400, "validation_failed")
	}

	// 401 on every route that needs a token, without one and with a forged one.
	writes := []struct{ method, path string }{
		{"GET", "/v1/users/me"}, {"PATCH", "/v1/users/me"}, {"PUT", "/v1/users/me/password"},
		{"DELETE", "/v1/auth/tokens/current"}, {"POST", "/v1/properties"}, {"POST", "/v1/properties/batch"},
		{"PATCH", "/v1/properties/" + pid},
		{"DELETE", "/v1/properties/" + pid}, {"POST", "/v1/properties/" + pid + "/rooms"},
		{"PATCH", room}, {"DELETE", room},
	}
	for _, w := range writes {
		body := any(nil)
		if w.method != "GET" && w.method != "DELETE" {
			body = map[string]any{}
		}
		for _, token := range []string{"", "rty_forged"} {
			r := a.do(w.method, w.path, token, body)
			wantProblem(t, "401 "+w.method+" "+w.path, r, 401, "unauthenticated")
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 %s %s: WWW-Authenticate %q", w.method, w.path, r.header.Get("WWW-Authenticate"))
			}
		}
	}

	// 403 on every write to Alice's property by Bob; nothing changes.
	before := a.do("GET", "/v1/properties/"+pid, "", nil).body
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/v1/properties/" + pid, map[string]any{"name": "Bob's"}}, {"DELETE", "/v1/properties/" + pid, nil},
		{"POST", "/v1/properties/" + pid + "/rooms", map[string]any{"type": "cellar"}},
		{"PATCH", room, map[string]any{"name": "Bob's"}}, {"DELETE", room, nil},
	} {
		wantProblem(t, "403 "+c.method+" "+c.path, a.do(c.method, c.path, bob, c.body), 403, "forbidden")
	}
	if after := a.do("GET", "/v1/properties/"+pid, "", nil).body; !bytes.Equal(before, after) {
		t.Errorf("Bob's refused writes changed the property:\n%s\n%s", before, after)
	}

	// 404.
	for _, path := range []string{"/v1/properties/999999", "/v1/properties/abc", "/v1/users/999999", "/v1/nothing",
		fmt.Sprintf("/v1/properties/%d/rooms/999999", p.ID)} {
		wantProblem(t, "404 GET "+path, a.do("GET", path, "", nil), 404, "not_found")
	}
	wantProblem(t, "404 PATCH unknown property", a.do("PATCH", "/v1/properties/999999", alice, map[string]any{"name": "x"}), 404, "not_found")
	wantProblem(t, "405", a.do("PUT", "/v1/properties/"+pid, alice, map[string]any{}), 405, "method_not_allowed")

	// 409: duplicate email, on registration and on a profile change.
	wantProblem(t, "409 register", a.do("POST", "/v1/users", "", map[string]any{"email": "ALICE@example.com",
		"password": "long enough", "first_name": "A", "last_name": "B"}), 409, "conflict")
	wantProblem(t, "409 patch me", a.do("PATCH", "/v1/users/me", bob, map[string]any{"email": "alice@example.com", "current_password": "password-Bob"}), 409, "conflict")

	// 412: If-Match not current, or not a strong tag; nothing changes.
	before = a.do("GET", "/v1/properties/"+pid, "", nil).body
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/v1/properties/" + pid, map[string]any{"name": "Stale"}}, {"DELETE", "/v1/properties/" + pid, nil},
		{"POST", "/v1/properties/" + pid + "/rooms", map[string]any{"type": "cellar"}},
		{"PATCH", room, map[string]any{"name": "Stale"}}, {"DELETE", room, nil},
	} {
		for _, tag := range []string{`"1"`, `W/"2"`, `2`, `"x"`} {
			wantProblem(t, "412 "+c.method+" "+c.path+" If-Match "+tag, a.do(c.method, c.path, alice, c.body, "If-Match", tag), 412, "precondition_failed")
		}
	}
	if after := a.do("GET", "/v1/properties/"+pid, "", nil).body; !bytes.Equal(before, after) {
		t.Error("refused stale writes changed the property")
	}
	r = a.do("PATCH", "/v1/properties/"+pid, alice, map[string]any{"name": "Current"}, "If-Match", `"2"`)
	if r.status != 200 || r.header.Get("ETag") != `"3"` {
		t.Errorf("PATCH with the current ETag: %d, ETag %q", r.status, r.header.Get("ETag"))
	}

	// 413 and 415.
	big := `{"name": "` + strings.Repeat("x", 1<<20) + `"}`
	wantProblem(t, "413", a.do("POST", "/v1/properties", alice, big), 413, "payload_too_large")
	wantProblem(t, "415", a.do("POST", "/v1/properties", alice, `name=x`, "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type")
	wantProblem(t, "415 merge patch on POST", a.do("POST", "/v1/properties", alice, `{}`, "Content-Type", "application/merge-patch+json"), 415, "unsupported_media_type")
	if r := a.do("PATCH", "/v1/properties/"+pid, alice, `{"description": "merge"}`, "Content-Type", "application/merge-patch+json"); r.status != 200 {
		t.Errorf("merge-patch content type: %d %s", r.status, r.body)
	}

	// 422: every failing member, unknown and read-only members, nulls that cannot be.
	r = a.do("POST", "/v1/properties", alice, map[string]any{"name": "", "type": "castle", "city": "Lyon",
		"rooms": []any{map[string]any{"type": "bedroom", "area": 0, "level": 500}}})
	wantProblem(t, "422", r, 422, "validation_failed")
	if got := fieldNames(r); got != "name,type,rooms[0].area,rooms[0].level" {
		t.Errorf("422 errors = %s", got)
	}
	for _, body := range []string{`{"name": "x", "type": "loft", "city": "Lyon", "owner": {"id": 2}}`,
		`{"name": "x", "type": "loft", "city": "Lyon", "id": 9}`, `{"name": "x", "type": "loft", "city": "Lyon", "version": 9}`} {
		wantProblem(t, "422 mass assignment "+body, a.do("POST", "/v1/properties", alice, body), 422, "validation_failed")
	}
	wantProblem(t, "422 null name", a.do("PATCH", "/v1/properties/"+pid, alice, `{"name": null}`), 422, "validation_failed")
	wantProblem(t, "422 limit", a.do("GET", "/v1/properties?limit=0", "", nil), 422, "validation_failed")
	wantProblem(t, "422 owner_id", a.do("GET", "/v1/properties?owner_id=me", "", nil), 422, "validation_failed")

	// The public profile never shows the email or the birth date.
	r = a.do("GET", fmt.Sprintf("/v1/users/%d", aliceID), bob, nil)
	if r.status != 200 || strings.Contains(string(r.body), "email") || strings.Contains(string(r.body), "birth_date") {
		t.Errorf("public profile: %d %s", r.status, r.body)
	}
}

func fieldNames(r reply) string {
	var names []string
	for _, f := range r.problem().Errors {
		names = append(names, f.Field)
	}
	return strings.Join(names, ",")
}

func TestLoginThrottling(t *testing.T) {
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
