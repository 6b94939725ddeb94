// Package server is realty's REST API (echo/v4) over a realty.Service: JSON
// with snake_case members under /v1, problem+json errors (RFC 9457), strong
// ETags from versions, keyset pagination, and the operational endpoints
// /healthz, /readyz, /metrics, /openapi.json and /docs.
//
// The server keeps no state that correctness depends on: the service value
// of each request is built from its bearer token, so any number of servers
// can share one database. Only throttling (log-ins, sign-ups, writes) is per process.
package server

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/pkg/realty"
)

// App is what the server needs from the application: a realty.Service
// per token, and facts about the database for operations.
type App interface {
	// For returns a Service acting for the token ("" for nobody).
	For(token string) realty.Service
	// Ready fails when the database cannot be reached, its schema is not
	// current, or it cannot store more.
	Ready(ctx context.Context) error
	// Schema fails with realty.ErrSchemaOutdated while the database's schema
	// is behind the program's: the data routes answer 503 schema_outdated.
	Schema(ctx context.Context) error
	// PoolStats returns the database pools' statistics by pool name.
	PoolStats() map[string]sql.DBStats
}

// Config tunes the server. Zero values take the defaults.
type Config struct {
	Logger *slog.Logger
	// RequestTimeout bounds each request's work, database included (default 10s).
	RequestTimeout time.Duration
	// Log-in attempts allowed per minute (each also the burst): for one email
	// from one client address (default 10), for one email from anywhere
	// (default 60), and from one address whatever the email (default 30).
	// The first is the strict one against guessing; the second is looser so
	// that an attacker at one address cannot lock the owner out from another
	// (see throttle.go).
	LoginPerEmailAddress, LoginPerEmail, LoginPerAddress int
	// SignupsPerAddress: registrations allowed per minute from one client
	// address (default 10), each costing a password hash. A negative limit
	// is no limit.
	SignupsPerAddress int
	// TrustProxy takes the client address from X-Forwarded-For (set it only
	// behind a proxy that sets that header).
	TrustProxy bool
	// CORSOrigins are the browser origins allowed to call the API from
	// another site (e.g. https://app.example.com, or * for any); none by default.
	CORSOrigins []string
	// Throttle keeps the log-in and sign-up buckets: by default in this
	// process; servers sharing a database share them there (the service's
	// Limiter), so that the limits hold for all of them together.
	Throttle ratelimit.Limiter
}

// Server is the HTTP API.
type Server struct {
	e        *echo.Echo
	b        App
	log      *slog.Logger
	cfg      Config
	metrics  *metrics
	throttle ratelimit.Limiter
}

// exposedHeaders are the response headers browsers let front ends read.
var exposedHeaders = []string{"ETag", echo.HeaderLocation, echo.HeaderXRequestID, "Retry-After", echo.HeaderWWWAuthenticate,
	"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}

// maxBody is the largest request body accepted (413 above).
const maxBody = 1 << 20

// New builds the server and its routes.
func New(b App, cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	cfg.LoginPerEmailAddress = cmp.Or(cfg.LoginPerEmailAddress, 10)
	cfg.LoginPerEmail = cmp.Or(cfg.LoginPerEmail, 60)
	cfg.LoginPerAddress = cmp.Or(cfg.LoginPerAddress, 30)
	cfg.SignupsPerAddress = cmp.Or(cfg.SignupsPerAddress, 10)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	if cfg.Throttle == nil {
		cfg.Throttle = ratelimit.New(ratelimit.DefaultMaxKeys)
	}
	s := &Server{e: e, b: b, log: cfg.Logger, cfg: cfg, metrics: newMetrics(b.PoolStats), throttle: cfg.Throttle}
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestID, s.accessLog, s.recoverPanic)
	if len(cfg.CORSOrigins) > 0 {
		// Bearer tokens, not cookies: no credentials mode is needed, so even
		// "*" is safe. Clients must be able to read these headers.
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: cfg.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete},
			AllowHeaders: []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "If-None-Match", echo.HeaderXRequestID,
				"Idempotency-Key"},
			ExposeHeaders: exposedHeaders,
			MaxAge:        3600,
		}))
	}
	e.Use(s.strictQuery, s.deadline, s.schemaCurrent, s.rateLimitHeaders)
	s.routes()
	return s
}

// Handler returns the server as an http.Handler (for httptest and embedding).
func (s *Server) Handler() http.Handler { return s.e }

// Routes lists every registered method and path (echo syntax, :id).
func (s *Server) Routes() []*echo.Route { return s.e.Routes() }

func (s *Server) routes() {
	e := s.e
	// Every GET route answers HEAD too (RFC 9110 §9.3.2): the same headers,
	// no body (net/http drops it).
	get := func(add func(string, string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route, path string, h echo.HandlerFunc) {
		add(http.MethodGet, path, h)
		add(http.MethodHead, path, h)
	}
	get(e.Add, "/healthz", s.healthz)
	get(e.Add, "/readyz", s.readyz)
	get(e.Add, "/metrics", s.serveMetrics)
	get(e.Add, "/openapi.json", serveOpenAPI)
	get(e.Add, "/docs", serveDocs)
	get(e.Add, "/problems", serveProblems)
	get(e.Add, "/problems/:code", serveProblems)

	v1 := e.Group("/v1")
	v1.POST("/users", s.register)
	get(v1.Add, "/users/me", s.me)
	v1.PATCH("/users/me", s.updateMe)
	v1.PUT("/users/me/password", s.changePassword)
	v1.POST("/users/me/deletion", s.deleteAccount)
	get(v1.Add, "/users/:id", s.user)
	v1.POST("/auth/tokens", s.login)
	v1.DELETE("/auth/tokens/current", s.logout)
	get(v1.Add, "/properties", s.listProperties)
	v1.POST("/properties", s.createProperty, idempotencyKey)
	v1.POST("/properties/batch", s.importProperties, idempotencyKey)
	get(v1.Add, "/properties/:id", s.getProperty)
	v1.PATCH("/properties/:id", s.updateProperty)
	v1.DELETE("/properties/:id", s.deleteProperty)
	v1.POST("/properties/:id/rooms", s.addRoom, idempotencyKey)
	get(v1.Add, "/properties/:id/rooms/:room_id", s.room)
	v1.PATCH("/properties/:id/rooms/:room_id", s.updateRoom)
	v1.DELETE("/properties/:id/rooms/:room_id", s.removeRoom)
	get(v1.Add, "/properties/:id/history", s.propertyHistory)
	get(v1.Add, "/cities", s.cities)
}

// Timeouts of the HTTP server: slow clients cannot hold connections.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
)

// Serve answers on ln until ctx is done, then stops accepting connections and
// waits up to drain for the requests in flight to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	hs := &http.Server{
		Handler:           s.e,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining requests in flight", "timeout", drain.String())
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}
