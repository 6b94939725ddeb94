package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/pkg/realty"
)

// Problem is an RFC 9457 problem detail, with realty's code and, for
// validation, the failing fields.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail"`
	Code   string              `json:"code"`
	Errors []realty.FieldError `json:"errors,omitempty"`

	retryAfter string
	cause      error
}

func (p *Problem) Error() string { return p.Detail }

// maxProblemErrors bounds the members listed in a validation problem.
const maxProblemErrors = 1000

// ProblemTypeBase prefixes problem type URIs; the code completes them.
const ProblemTypeBase = "https://realty.dev/problems/"

func newProblem(status int, code, detail string) *Problem {
	return &Problem{Type: ProblemTypeBase + code, Title: http.StatusText(status), Status: status, Code: code, Detail: detail}
}

// toProblem maps any error to the problem the client sees. Typed errors keep
// their meaning; anything else is a 500 whose detail says nothing of the cause.
func toProblem(err error) *Problem {
	var p *Problem
	var ve *realty.ValidationError
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &ve):
		p = newProblem(http.StatusUnprocessableEntity, "validation_failed", ve.Error())
		p.Errors = ve.Fields
		if n := len(ve.Fields); n > maxProblemErrors { // a bad 1000-property import can fail 100 000 members
			p.Errors = ve.Fields[:maxProblemErrors]
			p.Detail = fmt.Sprintf("invalid input: %d members fail; the first %d are listed", n, maxProblemErrors)
		}
	case errors.As(err, &mbe):
		p = newProblem(http.StatusRequestEntityTooLarge, "payload_too_large", "the request body is larger than 1 MiB")
	case errors.Is(err, realty.ErrNotFound):
		p = newProblem(http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, realty.ErrUnauthenticated):
		p = newProblem(http.StatusUnauthorized, "unauthenticated", err.Error())
	case errors.Is(err, realty.ErrForbidden):
		p = newProblem(http.StatusForbidden, "forbidden", err.Error())
	case errors.Is(err, realty.ErrConflict):
		p = newProblem(http.StatusConflict, "conflict", err.Error())
	case errors.Is(err, realty.ErrPrecondition):
		p = newProblem(http.StatusPreconditionFailed, "precondition_failed", err.Error())
	case errors.Is(err, realty.ErrSchemaOutdated):
		p = newProblem(http.StatusServiceUnavailable, "schema_outdated",
			"the database schema is behind this server's; an operator must run 'realty migrate up'")
		p.retryAfter = "30"
	case errors.Is(err, realty.ErrStorageFull):
		p = newProblem(http.StatusInsufficientStorage, "insufficient_storage",
			"the database cannot store anything more now (disk full or read-only); reading still works")
	case errors.Is(err, realty.ErrRateLimited):
		p = newProblem(http.StatusTooManyRequests, "rate_limited", err.Error())
		p.retryAfter = retryAfter(err, "1")
	case errors.Is(err, realty.ErrUnavailable) && isRetryLater(err):
		p = newProblem(http.StatusServiceUnavailable, "unavailable", err.Error()) // our own message, not a driver's
		p.retryAfter = retryAfter(err, "2")
	case errors.Is(err, realty.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		// Never the driver's message: it may name hosts and users.
		p = newProblem(http.StatusServiceUnavailable, "unavailable", "the database is unavailable or too slow; retry shortly")
		p.retryAfter = "2"
	case errors.As(err, &he):
		p = httpErrorProblem(he)
	default:
		p = newProblem(http.StatusInternalServerError, "internal", "internal error; the request id identifies it in the server's logs")
	}
	p.cause = err
	return p
}

func isRetryLater(err error) bool {
	var rl *realty.RetryLater
	return errors.As(err, &rl)
}

// retryAfter is the Retry-After of an error, in whole seconds.
func retryAfter(err error, fallback string) string {
	var rl *realty.RetryLater
	if errors.As(err, &rl) {
		return strconv.Itoa(ratelimit.RetryAfter(rl.After))
	}
	return fallback
}

func httpErrorProblem(he *echo.HTTPError) *Problem {
	switch he.Code {
	case http.StatusNotFound:
		return newProblem(he.Code, "not_found", "no such resource")
	case http.StatusMethodNotAllowed:
		return newProblem(he.Code, "method_not_allowed", "this resource does not support that method")
	case http.StatusRequestEntityTooLarge:
		return newProblem(he.Code, "payload_too_large", "the request body is larger than 1 MiB")
	}
	return newProblem(http.StatusInternalServerError, "internal", "internal error; the request id identifies it in the server's logs")
}

// handleError is echo's HTTPErrorHandler: every error becomes problem+json.
func (s *Server) handleError(err error, c echo.Context) {
	p := toProblem(err)
	if p.Status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "request_id", requestID(c),
			"status", p.Status, "error", p.cause)
	}
	if c.Response().Committed {
		return
	}
	h := c.Response().Header()
	switch p.Status {
	case http.StatusUnauthorized:
		challenge := `Bearer realm="realty"`
		if bearer(c.Request()) != "" {
			challenge += `, error="invalid_token"`
		}
		h.Set(echo.HeaderWWWAuthenticate, challenge)
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		h.Set("Retry-After", p.retryAfter)
	}
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	if err := json.NewEncoder(c.Response()).Encode(p); err != nil {
		s.log.Warn("write problem", "request_id", requestID(c), "error", err)
	}
}
