package server

import (
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

// ProblemTypeBase prefixes problem type URIs; the code completes them. The
// reference is relative to the API (RFC 9457 §3.1.1), and this server
// serves the page it names: /problems/{code}.
const ProblemTypeBase = "/problems/"

func newProblem(status int, code, detail string) *Problem {
	return &Problem{Type: ProblemTypeBase + code, Title: http.StatusText(status), Status: status, Code: code, Detail: detail}
}

// toProblem maps any error to the problem the client sees, through the one
// table of realty.Kinds. Typed errors keep their meaning and their message;
// unavailable and internal errors say nothing of their cause (a driver's
// message may name hosts and users), which the log keeps.
func toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	err = asRealtyError(err)
	k := realty.KindOf(err)
	p = newProblem(k.Status, k.Code, err.Error())
	var ve *realty.ValidationError
	switch {
	case errors.As(err, &ve):
		p.Errors = ve.Fields
		if n := len(ve.Fields); n > maxProblemErrors { // a bad 1000-property import can fail 100 000 members
			p.Errors = ve.Fields[:maxProblemErrors]
			p.Detail = fmt.Sprintf("invalid input: %d members fail; the first %d are listed", n, maxProblemErrors)
		}
	case k.Err == realty.ErrSchemaOutdated:
		p.Detail = "the database schema is behind this server's; an operator must run 'realty migrate up'"
		p.retryAfter = "30"
	case k.Err == realty.ErrStorageFull:
		p.Detail = "the database cannot store anything more now (disk full or read-only); reading still works"
	case k.Err == realty.ErrRateLimited:
		p.retryAfter = retryAfter(err, "1")
	case k.Err == realty.ErrUnavailable && isRetryLater(err):
		p.retryAfter = retryAfter(err, "2") // our own message (hashing at capacity), not a driver's
	case k.Err == realty.ErrUnavailable:
		p.Detail = "the database is unavailable or too slow; retry shortly"
		p.retryAfter = "2"
	case k.Err == realty.ErrInternal:
		p.Detail = "internal error; the request id identifies it in the server's logs"
	}
	p.cause = err
	return p
}

// asRealtyError gives the HTTP layer's own errors (echo's, net/http's) the
// realty sentinel of their kind.
func asRealtyError(err error) error {
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return fmt.Errorf("the request body is larger than 1 MiB: %w", realty.ErrTooLarge)
	case !errors.As(err, &he):
		return err
	case he.Code == http.StatusNotFound:
		return fmt.Errorf("no such resource: %w", realty.ErrNotFound)
	case he.Code == http.StatusMethodNotAllowed:
		return fmt.Errorf("this resource does not support that method: %w", realty.ErrMethodNotAllowed)
	case he.Code == http.StatusRequestEntityTooLarge:
		return fmt.Errorf("the request body is larger than 1 MiB: %w", realty.ErrTooLarge)
	}
	return fmt.Errorf("%w: %w", realty.ErrInternal, err)
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
