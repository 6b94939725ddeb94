package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/realtyhq/realty/pkg/realty"
)

const requestIDKey = "request_id"

// statusClientClosed is logged for requests whose client went away.
const statusClientClosed = 499

// requestID takes a well-formed X-Request-ID from the client (or a proxy) or
// makes one, and returns it on the response.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// accessLog logs one structured line per request and records metrics. It
// logs the route, never the query's values, headers or bodies: no token or
// password can end up in the logs.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		client := c.Request().Context() // before deadline replaces it
		err := next(c)
		switch {
		case err != nil && client.Err() != nil && !c.Response().Committed:
			// The client hung up: nobody reads an answer, and nothing failed
			// on our side. Logged and counted as 499, as nginx does.
			c.Response().Status = statusClientClosed
		case err != nil:
			c.Error(err) // writes the problem now, so that the status is known
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status, elapsed := c.Response().Status, time.Since(start)
		s.metrics.observe(c.Request().Method, route, status, elapsed)
		// Typed attributes: no boxing of each value, one line per request.
		s.log.LogAttrs(context.WithoutCancel(client), slog.LevelInfo, "request", slog.String("request_id", requestID(c)),
			slog.String("method", c.Request().Method), slog.String("route", route), slog.Int("status", status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.Int64("bytes", c.Response().Size),
			slog.String("remote", c.RealIP()))
		return nil
	}
}

// recoverPanic turns a panicking handler into a 500; the server keeps serving.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// deadline bounds each request's work, so that a slow database answers 503
// instead of piling requests up.
func (s *Server) deadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	h := r.Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// svc is the realty.Service acting for the request's bearer token.
func (s *Server) svc(c echo.Context) realty.Service { return s.b.For(bearer(c.Request())) }

// schemaCurrent answers 503 schema_outdated on the data routes while the
// database's schema is behind (a server started with --migrate=false),
// instead of letting queries fail on missing tables or columns.
func (s *Server) schemaCurrent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Path(), "/v1/") {
			if err := s.b.Schema(c.Request().Context()); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// idempotencyKey gives the service the Idempotency-Key of a create
// (draft-ietf-httpapi-idempotency-key-header): a structured-field string
// ("8e03978e-40d5"), or the bare key as many clients send it, of 1 to 255
// visible ASCII characters, in one field. The service answers the same
// request sent again with the first one's result.
func idempotencyKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, ok := c.Request().Header["Idempotency-Key"]
		if !ok {
			return next(c)
		}
		if len(v) > 1 {
			return realty.Invalid(realty.IdempotencyKeyField, "must be sent once")
		}
		key := v[0]
		if len(key) >= 2 && key[0] == '"' && key[len(key)-1] == '"' {
			key = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(key[1 : len(key)-1])
		}
		if err := realty.ValidateIdempotencyKey(key); err != nil {
			return err // an empty one too, which the service would take for none
		}
		c.SetRequest(c.Request().WithContext(realty.WithIdempotencyKey(c.Request().Context(), key)))
		return next(c)
	}
}
