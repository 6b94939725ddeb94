// Command chaos puts a mixed load on a realty cluster started by
// scripts/cluster/up.sh, through its load balancer, while it kills a
// database node and a realty server and restarts them; then it checks
// what the cluster acknowledged against what its three nodes hold:
//
//   - every acknowledged create is on all three nodes, and none twice: a
//     create is sent with an Idempotency-Key, and sent again with it when
//     its answer is lost or a 503 (a few times, with backoff);
//   - no lost update: each edited property's final version is 1 + the
//     edits acknowledged (+ at most the edits whose answer was lost);
//   - answers other than 2xx and 4xx are 503 only, and only inside the
//     fault windows, each at most 5 s long; the one exception is a write
//     in flight on the realty server that is killed: HAProxy closes its
//     connection without an answer (it must not send it again, and cannot
//     know whether it was applied), and such writes are listed;
//   - CHECKSUM TABLE is the same on the three nodes after the rejoin.
//
// scripts/cluster/chaos.sh starts a cluster, runs this and tears it down:
//
//	go run ./scripts/cluster/chaos -dir DIR
//
// Loopback only, bounded in time (the load lasts -d, 60 s by default).
// It exits 1 when a check fails.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// event is one answer (or none) of the load.
type event struct {
	at     time.Duration
	op     string
	status int    // 0: no answer (transport error)
	err    string // the transport error
}

// hot is a property that several clients edit, with If-Match.
type hot struct {
	mu        sync.Mutex
	id        int64
	acked     int // edits answered 200/201
	ambiguous int // edits whose answer was lost (5xx, no answer): applied or not
}

type run struct {
	lb     string
	start  time.Time
	http   *http.Client
	mu     sync.Mutex
	events []event
	acked  []int64 // acknowledged creates
	// resent: creates sent again with their key; recovered: those of them
	// answered 201 in the end.
	resent, recovered int
	// serverKilled is when the realty server was killed.
	serverKilled time.Duration
}

func main() {
	dir := flag.String("dir", "", "the cluster's directory (up.sh's DIR; required)")
	d := flag.Duration("d", 60*time.Second, "how long the load lasts (at most 5m)")
	clients := flag.Int("c", 16, "concurrent clients")
	scripts := flag.String("scripts", "scripts/cluster", "the directory of node.sh and server.sh")
	flag.Parse()
	if *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	env := readEnv(filepath.Join(*dir, "cluster.env"))
	*d = min(*d, 5*time.Minute)
	r := &run{lb: env["LB"], http: &http.Client{Timeout: 15 * time.Second}}

	// Users (two clients each: they edit the same properties) and the
	// properties they will edit.
	users := (*clients + 1) / 2
	tokens := make([]string, users)
	hots := make([][]*hot, users)
	for u := range users {
		tokens[u] = r.user(fmt.Sprintf("chaos%d@example.com", u))
		for range 3 {
			id, err := r.create(tokens[u], "Hot")
			if err != nil {
				log.Fatalf("setup: %v", err)
			}
			hots[u] = append(hots[u], &hot{id: id})
		}
	}
	log.Printf("load: %d clients for %s through %s; faults: SIGKILL node 2 at 15s, server 3 at 25s, both restarted at 40s",
		*clients, *d, r.lb)
	r.start = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), *d)
	defer cancel()
	var wg sync.WaitGroup
	for c := range *clients {
		wg.Go(func() { r.client(ctx, c, tokens[c%users], hots[c%users]) })
	}
	faults := []struct {
		at   time.Duration
		what string
		do   func() error
	}{
		{15 * time.Second, "SIGKILL database node 2", func() error { return kill(filepath.Join(*dir, "node2", "pid")) }},
		{25 * time.Second, "SIGKILL realty server 3", func() error {
			r.serverKilled = time.Since(r.start)
			return kill(filepath.Join(*dir, "server3.pid"))
		}},
		{40 * time.Second, "restart node 2 and server 3", func() error {
			var errs [2]error
			var w sync.WaitGroup
			w.Go(func() { errs[0] = script(*scripts, "node.sh", *dir, "start", "2") })
			w.Go(func() { errs[1] = script(*scripts, "server.sh", *dir, "start", "3") })
			w.Wait()
			return errors.Join(errs[:]...)
		}},
	}
	var faultAt [][2]time.Duration // when each fault began and ended (a restart takes a while)
	for _, f := range faults {
		if f.at >= *d {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Until(r.start.Add(f.at))):
		}
		began := time.Since(r.start)
		log.Printf("%5.1fs %s", began.Seconds(), f.what)
		if err := f.do(); err != nil {
			log.Printf("fault %q: %v", f.what, err)
		}
		faultAt = append(faultAt, [2]time.Duration{began, time.Since(r.start)})
		log.Printf("%5.1fs done: %s", time.Since(r.start).Seconds(), f.what)
	}
	wg.Wait()
	ok := r.report(faultAt)
	ok = r.verify(env, *dir, hots) && ok
	if !ok {
		log.Print("FAIL")
		os.Exit(1)
	}
	log.Print("PASS")
}

// client runs the mix until ctx ends: lists, gets, creates with rooms,
// If-Match renames and room adds on its user's hot properties.
func (r *run) client(ctx context.Context, c int, token string, mine []*hot) {
	rng := rand.New(rand.NewPCG(uint64(c), 7))
	cities := []string{"lyon", "paris", "nantes"}
	for seq := 0; ctx.Err() == nil; seq++ {
		switch n := rng.IntN(100); {
		case n < 30:
			r.do("list", "GET", "/v1/properties?city="+cities[rng.IntN(3)], "", nil, nil)
		case n < 50:
			r.mu.Lock()
			var id int64
			if len(r.acked) > 0 {
				id = r.acked[rng.IntN(len(r.acked))]
			}
			r.mu.Unlock()
			if id != 0 {
				r.do("get", "GET", fmt.Sprintf("/v1/properties/%d", id), "", nil, nil)
			}
		case n < 70:
			if id, err := r.create(token, fmt.Sprintf("Chaos %d-%d", c, seq)); err == nil {
				r.mu.Lock()
				r.acked = append(r.acked, id)
				r.mu.Unlock()
			}
		default:
			h := mine[rng.IntN(len(mine))]
			r.edit(token, h, n < 90, fmt.Sprintf("Hot %d-%d", c, seq))
		}
	}
}

// edit renames h (or adds a room to it) at the version it reads first,
// with If-Match: of two clients at the same version one gets 412.
func (r *run) edit(token string, h *hot, rename bool, name string) {
	var p struct{ Version int64 }
	if st := r.do("read", "GET", fmt.Sprintf("/v1/properties/%d", h.id), "", nil, &p); st != 200 {
		return
	}
	op, method, path, body := "rename", "PATCH", fmt.Sprintf("/v1/properties/%d", h.id), map[string]any{"name": name}
	if !rename {
		op, method, path, body = "room", "POST", path+"/rooms", map[string]any{"type": "bedroom", "name": name}
	}
	st := r.do(op, method, path, token, body, nil, "If-Match", strconv.Quote(strconv.FormatInt(p.Version, 10)))
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case st == 200 || st == 201:
		h.acked++
	case st == 0 || st >= 500:
		h.ambiguous++
	}
}

func (r *run) user(email string) string {
	body := map[string]any{"email": email, "password": "chaos-password", "first_name": "Chaos", "last_name": "Monkey"}
	if st := r.do("setup", "POST", "/v1/users", "", body, nil); st != 201 {
		log.Fatalf("register %s: %d", email, st)
	}
	var s struct{ Token string }
	if st := r.do("setup", "POST", "/v1/auth/tokens", "", map[string]any{"email": email, "password": "chaos-password"}, &s); st != 201 {
		log.Fatalf("log in %s: %d", email, st)
	}
	return s.Token
}

// create makes a property, with an Idempotency-Key: a create whose answer
// was lost, or a 503, is sent again with it, up to 5 times in about 3 s,
// and the server makes it once.
func (r *run) create(token, name string) (int64, error) {
	body := map[string]any{"name": name, "type": "apartment", "city": []string{"Lyon", "Paris", "Nantes"}[len(name)%3],
		"rooms": []any{map[string]any{"type": "living_room", "area": 21.5, "features": []string{"balcony"}},
			map[string]any{"type": "bedroom", "area": 11}}}
	key := strconv.Quote(fmt.Sprintf("chaos-%016x", rand.Uint64()))
	var p struct{ ID int64 }
	st, attempts := 0, 0
	for attempts < 6 {
		if attempts > 0 {
			time.Sleep(100 * time.Millisecond << (attempts - 1)) // backoff: 0.1 to 1.6 s
		}
		attempts++
		if st = r.do("create", "POST", "/v1/properties", token, body, &p, "Idempotency-Key", key); st != 0 && st != 503 {
			break
		}
	}
	if attempts > 1 {
		r.mu.Lock()
		r.resent++
		if st == 201 {
			r.recovered++
		}
		r.mu.Unlock()
	}
	if st != 201 {
		return 0, fmt.Errorf("create: %d", st)
	}
	return p.ID, nil
}

// do sends a request and records its answer; it returns the status (0
// when there was none) and decodes a 2xx body into out.
func (r *run) do(op, method, path, token string, body, out any, headers ...string) int {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, r.lb+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	status, errText := 0, ""
	res, err := r.http.Do(req)
	if err != nil {
		errText = err.Error()
	} else {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		status = res.StatusCode
		if out != nil && status/100 == 2 {
			_ = json.Unmarshal(b, out)
		}
		if status == http.StatusTooManyRequests && !r.start.IsZero() {
			log.Printf("%5.2fs %s %s: 429 %s", time.Since(r.start).Seconds(), method, path, b)
		}
	}
	if !r.start.IsZero() {
		r.mu.Lock()
		r.events = append(r.events, event{at: time.Since(r.start), op: op, status: status, err: errText})
		r.mu.Unlock()
	}
	return status
}

// report prints the answers by operation and status, and checks that the
// failures (not 2xx, not 4xx) are 503s, in windows of at most 5 s, each
// beginning while a fault is under way or within 5 s of its end.
func (r *run) report(faults [][2]time.Duration) bool {
	counts := map[string]map[int]int{}
	var bad []event
	for _, e := range r.events {
		if counts[e.op] == nil {
			counts[e.op] = map[int]int{}
		}
		counts[e.op][e.status]++
		if e.status == 0 || e.status >= 500 {
			bad = append(bad, e)
		}
	}
	ops := make([]string, 0, len(counts))
	for op := range counts {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	fmt.Printf("answers (%d in %.0fs, %.0f/s):\n", len(r.events), r.events[len(r.events)-1].at.Seconds(),
		float64(len(r.events))/r.events[len(r.events)-1].at.Seconds())
	for _, op := range ops {
		var parts []string
		for st, n := range counts[op] {
			parts = append(parts, fmt.Sprintf("%d×%d", n, st))
		}
		slices.Sort(parts)
		fmt.Printf("  %-7s %s\n", op, strings.Join(parts, " "))
	}
	ok := true
	slices.SortFunc(bad, func(a, b event) int { return int(a.at - b.at) })
	var windows [][2]time.Duration
	unanswered := 0
	for _, e := range bad {
		if e.status == 0 && e.op != "get" && e.op != "list" && e.op != "read" && r.serverKilled > 0 &&
			e.at >= r.serverKilled && e.at-r.serverKilled < time.Second {
			fmt.Printf("  unanswered: %s at %.3fs, in flight on the killed server (%s)\n", e.op, e.at.Seconds(), e.err)
			unanswered++
			continue
		}
		if e.status != 503 {
			fmt.Printf("FAIL: %s at %.1fs answered %d, not 503 %s\n", e.op, e.at.Seconds(), e.status, e.err)
			ok = false
		}
		if n := len(windows); n > 0 && e.at-windows[n-1][1] < time.Second {
			windows[n-1][1] = e.at
		} else {
			windows = append(windows, [2]time.Duration{e.at, e.at})
		}
	}
	fmt.Printf("failures: %d 503s in %d window(s), %d writes unanswered when their server was killed\n",
		len(bad)-unanswered, len(windows), unanswered)
	fmt.Printf("creates sent again with their Idempotency-Key: %d, of which %d answered 201\n", r.resent, r.recovered)
	for _, w := range windows {
		fault := time.Duration(-1)
		for _, f := range faults {
			if f[0] <= w[0]+100*time.Millisecond && w[0] <= f[1]+5*time.Second {
				fault = f[0]
			}
		}
		length := w[1] - w[0]
		fmt.Printf("  %.2fs to %.2fs (%.2fs), during the fault of %.1fs\n", w[0].Seconds(), w[1].Seconds(),
			length.Seconds(), fault.Seconds())
		if fault < 0 || length > 5*time.Second {
			fmt.Printf("FAIL: the window is longer than 5 s, or not during a fault\n")
			ok = false
		}
	}
	return ok
}

// verify waits for the three nodes to be synced, then checks them.
func (r *run) verify(env map[string]string, dir string, hots [][]*hot) bool {
	ok := true
	var nodes []*sql.DB
	for n := 1; n <= 3; n++ {
		cfg, err := mysql.ParseDSN(dsn(env[fmt.Sprintf("NODE%d", n)]))
		if err != nil {
			log.Fatal(err)
		}
		cfg.Params = map[string]string{"wsrep_sync_wait": "1"}
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			log.Fatal(err)
		}
		defer db.Close()
		root, err := sql.Open("mysql", "root@unix("+filepath.Join(dir, fmt.Sprintf("node%d", n), "mysqld.sock")+")/")
		if err != nil {
			log.Fatal(err)
		}
		defer root.Close()
		deadline := time.Now().Add(2 * time.Minute)
		for state := ""; state != "Synced"; {
			var name string
			if err := root.QueryRow("SHOW STATUS LIKE 'wsrep_local_state_comment'").Scan(&name, &state); err != nil || state != "Synced" {
				if time.Now().After(deadline) {
					log.Fatalf("node %d is not Synced after 2 minutes (%s, %v)", n, state, err)
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
		nodes = append(nodes, db)
	}

	// Every acknowledged create, on every node.
	for n, db := range nodes {
		missing := 0
		for chunk := range slices.Chunk(r.acked, 500) {
			q := "SELECT COUNT(*) FROM properties WHERE id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + ")"
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			var found int
			if err := db.QueryRow(q, args...).Scan(&found); err != nil {
				log.Fatal(err)
			}
			missing += len(chunk) - found
		}
		fmt.Printf("node %d: %d of %d acknowledged creates present\n", n+1, len(r.acked)-missing, len(r.acked))
		if missing > 0 {
			ok = false
		}
	}

	// No create made twice: each has its own name, and is sent again only
	// with its key.
	var twice int
	if err := nodes[0].QueryRow(`SELECT COUNT(*) FROM (SELECT name FROM properties WHERE name LIKE 'Chaos %'
		GROUP BY name HAVING COUNT(*) > 1) d`).Scan(&twice); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("creates made twice: %d\n", twice)
	if twice > 0 {
		ok = false
	}

	// No lost update on the hot properties.
	edits, ambiguous, exact := 0, 0, 0
	for _, hs := range hots {
		for _, h := range hs {
			var versions []int64
			for _, db := range nodes {
				var v int64
				if err := db.QueryRow("SELECT version FROM properties WHERE id = ?", h.id).Scan(&v); err != nil {
					log.Fatal(err)
				}
				versions = append(versions, v)
			}
			edits, ambiguous = edits+h.acked, ambiguous+h.ambiguous
			applied := versions[0] - 1
			switch {
			case versions[0] != versions[1] || versions[0] != versions[2]:
				fmt.Printf("FAIL: property %d: versions %v differ between the nodes\n", h.id, versions)
				ok = false
			case applied < int64(h.acked):
				fmt.Printf("FAIL: property %d: version %d, but %d edits were acknowledged: lost update\n", h.id, versions[0], h.acked)
				ok = false
			case applied > int64(h.acked+h.ambiguous):
				fmt.Printf("FAIL: property %d: version %d, more than 1 + %d acknowledged + %d unanswered edits\n",
					h.id, versions[0], h.acked, h.ambiguous)
				ok = false
			case applied == int64(h.acked):
				exact++
			}
		}
	}
	fmt.Printf("hot properties: %d acknowledged edits (+%d unanswered); %d of %d at exactly 1 + acknowledged\n",
		edits, ambiguous, exact, len(hots)*len(hots[0]))

	// The same data on the three nodes.
	tables := "users, auth_tokens, properties, rooms, room_features, idempotency_keys, schema_migrations"
	var sums []string
	for _, db := range nodes {
		rows, err := db.Query("CHECKSUM TABLE " + tables)
		if err != nil {
			log.Fatal(err)
		}
		var b strings.Builder
		for rows.Next() {
			var table string
			var sum sql.NullInt64
			if err := rows.Scan(&table, &sum); err != nil {
				log.Fatal(err)
			}
			fmt.Fprintf(&b, "%s=%d ", table[strings.LastIndex(table, ".")+1:], sum.Int64)
		}
		rows.Close()
		sums = append(sums, b.String())
	}
	for n, s := range sums {
		fmt.Printf("node %d: CHECKSUM TABLE %s\n", n+1, s)
	}
	if sums[0] != sums[1] || sums[0] != sums[2] {
		fmt.Println("FAIL: the nodes' checksums differ")
		ok = false
	}
	return ok
}

func kill(pidFile string) error {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

func script(dir, name string, args ...string) error {
	cmd := exec.Command(filepath.Join(dir, name), args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	return cmd.Run()
}

func readEnv(path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	return env
}

// dsn turns up.sh's mysql://user@host:port/name into the driver's form.
func dsn(url string) string {
	rest := strings.TrimPrefix(url, "mysql://")
	user, rest, _ := strings.Cut(rest, "@")
	host, name, _ := strings.Cut(rest, "/")
	return user + "@tcp(" + host + ")/" + name
}
