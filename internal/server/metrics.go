package server

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// metrics counts requests and their latency by route, in the Prometheus text
// format (written by hand: a dozen lines instead of a dependency tree).
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[latKey]*histogram
}

type reqKey struct {
	method, route string
	status        int
}

type latKey struct{ method, route string }

// buckets are latency upper bounds in seconds.
var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[latKey]*histogram{}}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{method, route, status}]++
	h := m.latency[latKey{method, route}]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.latency[latKey{method, route}] = h
	}
	sec := d.Seconds()
	if i, _ := slices.BinarySearch(buckets, sec); i < len(buckets) {
		h.counts[i]++
	}
	h.sum += sec
	h.count++
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP realty_http_requests_total HTTP requests by method, route and status.")
	fmt.Fprintln(w, "# TYPE realty_http_requests_total counter")
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b reqKey) int {
		return strings.Compare(fmt.Sprint(a.route, a.method, a.status), fmt.Sprint(b.route, b.method, b.status))
	})
	for _, k := range keys {
		fmt.Fprintf(w, "realty_http_requests_total{method=%q,route=%q,status=\"%d\"} %d\n", k.method, k.route, k.status, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP realty_http_request_duration_seconds HTTP request latency by method and route.")
	fmt.Fprintln(w, "# TYPE realty_http_request_duration_seconds histogram")
	lkeys := make([]latKey, 0, len(m.latency))
	for k := range m.latency {
		lkeys = append(lkeys, k)
	}
	slices.SortFunc(lkeys, func(a, b latKey) int { return strings.Compare(a.route+a.method, b.route+b.method) })
	for _, k := range lkeys {
		h := m.latency[k]
		labels := fmt.Sprintf("method=%q,route=%q", k.method, k.route)
		var cum uint64
		for i, le := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "realty_http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", labels, strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "realty_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, h.count)
		fmt.Fprintf(w, "realty_http_request_duration_seconds_sum{%s} %g\n", labels, h.sum)
		fmt.Fprintf(w, "realty_http_request_duration_seconds_count{%s} %d\n", labels, h.count)
	}
}

func (s *Server) serveMetrics(c echo.Context) error {
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	s.metrics.write(w)
	stats := s.b.PoolStats()
	names := make([]string, 0, len(stats))
	for n := range stats {
		names = append(names, n)
	}
	slices.Sort(names)
	gauges := []struct {
		name, help string
		value      func(string) float64
	}{
		{"realty_db_open_connections", "Open database connections.", func(n string) float64 { return float64(stats[n].OpenConnections) }},
		{"realty_db_in_use_connections", "Database connections in use.", func(n string) float64 { return float64(stats[n].InUse) }},
		{"realty_db_idle_connections", "Idle database connections.", func(n string) float64 { return float64(stats[n].Idle) }},
		{"realty_db_max_open_connections", "Maximum open database connections.", func(n string) float64 { return float64(stats[n].MaxOpenConnections) }},
		{"realty_db_wait_count_total", "Times a request waited for a database connection.", func(n string) float64 { return float64(stats[n].WaitCount) }},
		{"realty_db_wait_seconds_total", "Time spent waiting for database connections.", func(n string) float64 { return stats[n].WaitDuration.Seconds() }},
	}
	for _, g := range gauges {
		typ := "gauge"
		if strings.HasSuffix(g.name, "_total") {
			typ = "counter"
		}
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", g.name, g.help, g.name, typ)
		for _, n := range names {
			fmt.Fprintf(w, "%s{pool=%q} %g\n", g.name, n, g.value(n))
		}
	}
	return nil
}
