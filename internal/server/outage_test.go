package server_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
)

// proxy forwards TCP connections to a target; stopping it is the database
// going away (refused connections, existing ones cut), starting it again on
// the same address is the database coming back.
type proxy struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        map[net.Conn]bool
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr, p.conns = ln, ln.Addr().String(), map[net.Conn]bool{}
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
}

// TestDatabaseOutageAndRecovery: while MySQL is unreachable requests answer
// 503 with Retry-After and /readyz fails; once it is back, the server
// recovers by itself.
func TestDatabaseOutageAndRecovery(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(testdb.MySQLURL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{target: u.Host}
	p.start(t)
	defer p.stop()
	u.Host = p.addr
	st, err := store.Open(t.Context(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	core, err := service.New(st)
	if err != nil {
		t.Fatal(err)
	}
	a := serve(t, core, server.Config{})
	token, _ := a.user("Alice")
	a.property(token)

	wantUp := func(when string) {
		t.Helper()
		var r reply
		// The pool may hold connections the outage cut: database/sql retries
		// those; a few immediate attempts are enough, no waiting.
		for range 3 {
			if r = a.do("GET", "/v1/properties?city=lyon", "", nil); r.status == 200 {
				break
			}
		}
		if r.status != 200 {
			t.Fatalf("%s: %d %s", when, r.status, r.body)
		}
		if r := a.do("GET", "/readyz", "", nil); r.status != 200 {
			t.Errorf("%s: readyz %d", when, r.status)
		}
	}
	wantUp("before the outage")

	p.stop()
	for _, path := range []string{"/v1/properties?city=lyon", "/v1/cities"} {
		r := a.do("GET", path, "", nil)
		wantProblem(t, "during the outage: GET "+path, r, 503, "unavailable")
		if r.header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
	}
	wantProblem(t, "during the outage: POST", a.do("POST", "/v1/properties", token,
		map[string]any{"name": "X", "type": "loft", "city": "Lyon"}), 503, "unavailable")
	wantProblem(t, "readyz during the outage", a.do("GET", "/readyz", "", nil), 503, "unavailable")
	if r := a.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz during the outage: %d", r.status)
	}

	p.start(t)
	wantUp("after the outage")
}
