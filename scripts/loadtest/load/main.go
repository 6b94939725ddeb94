// Command load runs one of realty's hot-path loads against any realty
// server and reports throughput, latency percentiles and answers by status:
//
//	list:   GET /v1/properties?city=CITY (page 1, default size)
//	get:    GET /v1/properties/{id}, ids drawn at random (fixed seed) from
//	        the first pages of the city's list
//	create: POST /v1/properties with 5 rooms (3 features), the requests
//	        rotating over USERS users' tokens; the users are registered and
//	        logged in first (log-ins and sign-ups are throttled per address:
//	        run the server with --signup-limit 0 --write-limit 0, and
//	        --trust-proxy so that each log-in comes from its own address)
//
// For example, against a server already running:
//
//	go run ./scripts/loadtest/load -url http://127.0.0.1:8080 -scenario get -c 32 -d 10s
//
// scripts/loadtest/run.sh seeds a database, starts a server and runs it.
// Bounded in time (at most 2 minutes a run); a measurement, not a test.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// createBody is P4's body of ../shared/bench: five rooms, three features.
const createBody = `{"name":"Load test flat","description":"Bright flat near the river","type":"apartment","city":"Lyon",
"rooms":[{"type":"living_room","area":32.5,"level":3,"features":["balcony","fireplace"]},
{"type":"kitchen","area":12,"level":3},{"type":"bedroom","area":14.25,"level":3,"features":["view"]},
{"type":"bedroom","area":11,"level":3},{"type":"bathroom","area":6.5,"level":3}]}`

func main() {
	base := flag.String("url", "", "the server's base URL, e.g. http://127.0.0.1:8080 (required)")
	scenario := flag.String("scenario", "list", "list, get or create")
	conns := flag.Int("c", 32, "concurrent connections")
	duration := flag.Duration("d", 10*time.Second, "how long the load lasts (at most 2m)")
	warmup := flag.Duration("warmup", 2*time.Second, "load before measuring")
	city := flag.String("city", "lyon", "list and get: the city")
	users := flag.Int("users", 8, "create: how many users create")
	flag.Parse()
	if *base == "" || !slices.Contains([]string{"list", "get", "create"}, *scenario) || *conns < 1 {
		flag.Usage()
		os.Exit(2)
	}
	*base = strings.TrimSuffix(*base, "/")
	*duration = min(*duration, 2*time.Minute)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}}

	var next func(r *rand.Rand) *http.Request
	switch *scenario {
	case "list":
		u := *base + "/v1/properties?city=" + *city
		next = func(*rand.Rand) *http.Request { return request(http.MethodGet, u, "", "") }
	case "get":
		ids := listIDs(client, *base, *city, 1000)
		log.Printf("drawing from %d property ids of %s", len(ids), *city)
		next = func(r *rand.Rand) *http.Request {
			return request(http.MethodGet, fmt.Sprintf("%s/v1/properties/%d", *base, ids[r.IntN(len(ids))]), "", "")
		}
	case "create":
		tokens := logIn(client, *base, *users)
		next = func(r *rand.Rand) *http.Request {
			return request(http.MethodPost, *base+"/v1/properties", createBody, tokens[r.IntN(len(tokens))])
		}
	}
	run(client, next, *conns, *warmup) // warm-up, not counted
	res := run(client, next, *conns, *duration)
	res.report(os.Stdout, fmt.Sprintf("%s %s, %d connections, %s", *scenario, *base, *conns, *duration))
}

func request(method, url, body, token string) *http.Request {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	check(err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// result is what a run measured.
type result struct {
	elapsed   time.Duration
	latencies []time.Duration
	statuses  map[int]int
	errors    int
}

// run sends requests from conns workers for d and collects the answers.
func run(client *http.Client, next func(*rand.Rand) *http.Request, conns int, d time.Duration) result {
	var mu sync.Mutex
	res := result{statuses: map[int]int{}}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 2026))
			var lat []time.Duration
			statuses, errs := map[int]int{}, 0
			for time.Now().Before(deadline) {
				t := time.Now()
				resp, err := client.Do(next(r))
				if err != nil {
					errs++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t))
				statuses[resp.StatusCode]++
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			for s, n := range statuses {
				res.statuses[s] += n
			}
			res.errors += errs
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func (r result) report(w io.Writer, title string) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))].Round(time.Microsecond)
	}
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "requests  %d in %s: %.0f/s\n", len(r.latencies), r.elapsed.Round(time.Millisecond),
		float64(len(r.latencies))/r.elapsed.Seconds())
	fmt.Fprintf(w, "latency   p50 %s  p90 %s  p99 %s  max %s\n", pct(.5), pct(.9), pct(.99), pct(1))
	codes := make([]int, 0, len(r.statuses))
	for s := range r.statuses {
		codes = append(codes, s)
	}
	slices.Sort(codes)
	for _, s := range codes {
		fmt.Fprintf(w, "status    %d: %d\n", s, r.statuses[s])
	}
	if r.errors > 0 {
		fmt.Fprintf(w, "errors    %d (connection failures)\n", r.errors)
	}
}

// listIDs follows the city's list until it has n ids (or the list ends).
func listIDs(client *http.Client, base, city string, n int) []int64 {
	var ids []int64
	cursor := ""
	for len(ids) < n {
		var page struct {
			Items      []struct{ ID int64 }
			NextCursor *string `json:"next_cursor"`
		}
		call(client, request(http.MethodGet, base+"/v1/properties?limit=100&city="+city+"&cursor="+cursor, "", ""), http.StatusOK, &page)
		for _, p := range page.Items {
			ids = append(ids, p.ID)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if len(ids) == 0 {
		log.Fatalf("no property in %s to get: seed the database first", city)
	}
	return ids
}

// logIn registers users load-N@example.com (if needed) and returns their
// tokens, each log-in sent as from its own address.
func logIn(client *http.Client, base string, n int) []string {
	tokens := make([]string, n)
	for i := range tokens {
		email, password := fmt.Sprintf("load-%d@example.com", i), "load-test-password-2026"
		reg := request(http.MethodPost, base+"/v1/users", fmt.Sprintf(
			`{"email":%q,"password":%q,"first_name":"Load","last_name":"Test %d"}`, email, password, i), "")
		reg.Header.Set("X-Forwarded-For", fmt.Sprintf("10.77.%d.%d", i/250, i%250+1))
		resp, err := client.Do(reg)
		check(err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusConflict {
			log.Fatalf("register %s: %s", email, resp.Status)
		}
		login := request(http.MethodPost, base+"/v1/auth/tokens", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password), "")
		login.Header.Set("X-Forwarded-For", fmt.Sprintf("10.78.%d.%d", i/250, i%250+1))
		var s struct{ Token string }
		call(client, login, http.StatusCreated, &s)
		tokens[i] = s.Token
	}
	return tokens
}

// call sends req and decodes its answer, which must have status want.
func call(client *http.Client, req *http.Request, want int, out any) {
	resp, err := client.Do(req)
	check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	check(err)
	if resp.StatusCode != want {
		log.Fatalf("%s %s: %s: %s", req.Method, req.URL.Path, resp.Status, bytes.TrimSpace(body))
	}
	check(json.Unmarshal(body, out))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
