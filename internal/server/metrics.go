package server

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of their own
// (nothing global). Every label comes from a closed set, so that no client
// can make the series grow: route templates (or "unmatched"), the methods
// the API knows (else "other"), and the status codes the server answers.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(pools func() map[string]sql.DBStats) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "realty_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "realty_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		poolCollector{pools})
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
	return m
}

// knownMethods are the methods a metric label may name; others are "other".
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

func methodLabel(m string) string {
	if knownMethods[m] {
		return m
	}
	return "other"
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	method = methodLabel(method)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

func (s *Server) serveMetrics(c echo.Context) error {
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

// poolCollector reports the database pools' statistics at each scrape.
type poolCollector struct{ stats func() map[string]sql.DBStats }

var poolGauges = []struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(sql.DBStats) float64
}{
	{prometheus.NewDesc("realty_db_open_connections", "Open database connections.", []string{"pool"}, nil),
		prometheus.GaugeValue, func(s sql.DBStats) float64 { return float64(s.OpenConnections) }},
	{prometheus.NewDesc("realty_db_in_use_connections", "Database connections in use.", []string{"pool"}, nil),
		prometheus.GaugeValue, func(s sql.DBStats) float64 { return float64(s.InUse) }},
	{prometheus.NewDesc("realty_db_idle_connections", "Idle database connections.", []string{"pool"}, nil),
		prometheus.GaugeValue, func(s sql.DBStats) float64 { return float64(s.Idle) }},
	{prometheus.NewDesc("realty_db_max_open_connections", "Maximum open database connections.", []string{"pool"}, nil),
		prometheus.GaugeValue, func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) }},
	{prometheus.NewDesc("realty_db_wait_count_total", "Times a request waited for a database connection.", []string{"pool"}, nil),
		prometheus.CounterValue, func(s sql.DBStats) float64 { return float64(s.WaitCount) }},
	{prometheus.NewDesc("realty_db_wait_seconds_total", "Time spent waiting for database connections.", []string{"pool"}, nil),
		prometheus.CounterValue, func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() }},
}

func (p poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, g := range poolGauges {
		ch <- g.desc
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, st := range p.stats() {
		for _, g := range poolGauges {
			ch <- prometheus.MustNewConstMetric(g.desc, g.kind, g.value(st), name)
		}
	}
}
