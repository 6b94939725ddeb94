// Command abuse measures realty serve under the two abuses of issue 7, on
// loopback only, bounded in time, and stops the server it started:
//
//	signup: CLIENTS anonymous clients flood POST /v1/users for DURATION
//	        while one user logs in every second; reports the server's peak
//	        RSS (VmHWM), the flood's statuses and the log-ins' latency.
//	import: 3 users each import maximal batches (1000 properties, 1 MiB)
//	        back to back while another user creates one property every
//	        100 ms; reports the creates' latency.
//
// Run it through scripts/loadtest/abuse.sh, which builds the binary. A
// measurement for the notes, not a pass/fail test.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	binary := flag.String("realty", "realty", "the realty binary")
	scenario := flag.String("scenario", "signup", "signup or import")
	duration := flag.Duration("duration", 15*time.Second, "how long the abuse lasts (at most 2m)")
	clients := flag.Int("clients", 64, "concurrent flooding clients (signup)")
	spoof := flag.Bool("spoof", false, "signup: each request from another address (X-Forwarded-For, server in --trust-proxy), as a botnet would")
	flag.Parse()
	*duration = min(*duration, 2*time.Minute)

	dir, err := os.MkdirTemp("", "realty-abuse-")
	check(err)
	cleanup = append(cleanup, func() { os.RemoveAll(dir) })
	defer os.RemoveAll(dir)
	port := freePort()
	base := "http://127.0.0.1:" + port
	args := []string{"serve", "--addr", "127.0.0.1:" + port, "--db", "sqlite:" + filepath.Join(dir, "realty.db"), "--log-format", "text"}
	switch *scenario {
	case "signup":
		// A user who logs in every second would pass the default 10 a
		// minute per email and address by design; allow him.
		args = append(args, "--login-limit", "120")
		if *spoof {
			args = append(args, "--trust-proxy")
		}
	case "import":
		args = append(args, "--write-limit", "0")
	default:
		fatalf("unknown scenario %q", *scenario)
	}
	srv := exec.Command(*binary, args...)
	logf, err := os.Create(filepath.Join(dir, "serve.log"))
	check(err)
	srv.Stderr = logf
	check(srv.Start())
	// Stopped on every way out, log.Fatal's included (it skips defers).
	stop := func() {
		_ = srv.Process.Signal(os.Interrupt)
		_ = srv.Wait()
	}
	cleanup = append(cleanup, stop)
	defer stop()
	waitReady(base)

	switch *scenario {
	case "signup":
		signupFlood(base, srv.Process.Pid, *duration, *clients, *spoof)
	case "import":
		importContention(base, srv.Process.Pid, *duration)
	}
}

var httpc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

func post(url, token, addr string, body any) (int, []byte, time.Duration) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	start := time.Now()
	resp, err := httpc.Do(req)
	if err != nil {
		return 0, nil, time.Since(start)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, time.Since(start)
}

func user(base, email, addr string) string {
	if st, b, _ := post(base+"/v1/users", "", addr, map[string]string{"email": email, "password": "load-test-password",
		"first_name": "Load", "last_name": "Test"}); st != 201 {
		fatalf("register %s: %d %s", email, st, b)
	}
	st, b, _ := post(base+"/v1/auth/tokens", "", addr, map[string]string{"email": email, "password": "load-test-password"})
	if st != 201 {
		fatalf("log in %s: %d %s", email, st, b)
	}
	var s struct{ Token string }
	check(json.Unmarshal(b, &s))
	return s.Token
}

func signupFlood(base string, pid int, d time.Duration, clients int, spoof bool) {
	user(base, "legit@example.com", "10.255.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				addr := ""
				if spoof {
					addr = fmt.Sprintf("10.%d.%d.%d", rand.N(250), rand.N(250), rand.N(250)+1)
				}
				st, _, _ := post(base+"/v1/users", "", addr, map[string]string{"email": fmt.Sprintf("flood%d-%d@example.com", c, i),
					"password": "flood-password", "first_name": "F", "last_name": "L"})
				mu.Lock()
				statuses[st]++
				mu.Unlock()
			}
		})
	}
	loginStatuses, lat := every(ctx, time.Second, func(int) (int, time.Duration) {
		st, _, took := post(base+"/v1/auth/tokens", "", "10.255.0.1", map[string]string{"email": "legit@example.com", "password": "load-test-password"})
		return st, took
	})
	wg.Wait()
	fmt.Printf("scenario signup, %d clients for %s, spoofed addresses: %v\n", clients, d, spoof)
	fmt.Printf("flood statuses: %v\n", statuses)
	fmt.Printf("legitimate log-ins: %v; latency %s\n", loginStatuses, summary(lat))
	fmt.Printf("server peak RSS (VmHWM): %s\n", vmHWM(pid))
}

func importContention(base string, pid int, d time.Duration) {
	var tokens []string
	for i := range 4 {
		tokens = append(tokens, user(base, fmt.Sprintf("user%d@example.com", i), ""))
	}
	batch := maximalBatch()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var imports []time.Duration
	importStatuses := map[int]int{}
	for _, tok := range tokens[:3] {
		wg.Go(func() {
			for ctx.Err() == nil {
				st, _, took := post(base+"/v1/properties/batch", tok, "", json.RawMessage(batch))
				mu.Lock()
				importStatuses[st]++
				imports = append(imports, took)
				mu.Unlock()
			}
		})
	}
	createStatuses, lat := every(ctx, 100*time.Millisecond, func(i int) (int, time.Duration) {
		st, _, took := post(base+"/v1/properties", tokens[3], "", map[string]any{"name": "Single " + strconv.Itoa(i), "type": "house", "city": "Lyon"})
		return st, took
	})
	wg.Wait()
	fmt.Printf("scenario import, 3 importers of %d-byte batches for %s\n", len(batch), d)
	fmt.Printf("imports: %v; duration %s\n", importStatuses, summary(imports))
	fmt.Printf("single creates: %v; latency %s\n", createStatuses, summary(lat))
	fmt.Printf("server peak RSS (VmHWM): %s\n", vmHWM(pid))
}

// every runs the i-th request every interval until ctx ends, and returns
// the statuses counted and the latencies.
func every(ctx context.Context, interval time.Duration, request func(i int) (status int, took time.Duration)) (map[int]int, []time.Duration) {
	statuses := map[int]int{}
	var lat []time.Duration
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; ctx.Err() == nil; i++ {
		st, took := request(i)
		statuses[st]++
		lat = append(lat, took)
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
	}
	return statuses, lat
}

// maximalBatch is 1000 properties of 58 rooms, just under the 1 MiB limit.
func maximalBatch() []byte {
	rooms := make([]map[string]string, 58)
	for i := range rooms {
		rooms[i] = map[string]string{"type": "attic"}
	}
	props := make([]map[string]any, 1000)
	for i := range props {
		props[i] = map[string]any{"name": strconv.Itoa(i), "type": "loft", "city": "Lyon", "rooms": rooms}
	}
	b, err := json.Marshal(map[string]any{"properties": props})
	check(err)
	if len(b) > 1<<20 {
		fatalf("batch of %d bytes is over 1 MiB", len(b))
	}
	return b
}

func summary(ds []time.Duration) string {
	if len(ds) == 0 {
		return "none"
	}
	slices.Sort(ds)
	q := func(p float64) time.Duration {
		return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(time.Millisecond)
	}
	return fmt.Sprintf("n=%d p50=%s p90=%s p99=%s max=%s", len(ds), q(0.5), q(0.9), q(0.99), ds[len(ds)-1].Round(time.Millisecond))
}

func vmHWM(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func waitReady(base string) {
	for range 100 {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	fatalf("realty serve did not become ready in 10 s")
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// cleanup runs before a fatal exit: the server started must not outlive
// the measurement.
var cleanup []func()

func fatalf(format string, args ...any) {
	for i := len(cleanup) - 1; i >= 0; i-- {
		cleanup[i]()
	}
	log.Fatalf(format, args...)
}

func check(err error) {
	if err != nil {
		fatalf("%v", err)
	}
}
