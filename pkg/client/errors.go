package client

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/realtyhq/realty/pkg/realty"
)

// problem is an RFC 9457 problem response of the server.
type problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail"`
	Code   string              `json:"code"`
	Errors []realty.FieldError `json:"errors"`
}

// Error is an error answered by the server. It matches the realty error of
// its code with errors.Is (realty.ErrNotFound...).
type Error struct {
	Status    int
	Code      string
	Detail    string
	RequestID string
	kind      error
}

func (e *Error) Error() string {
	if e.Status >= 500 && e.Code != "unavailable" {
		return fmt.Sprintf("server error %d (%s), request id %s", e.Status, e.Detail, e.RequestID)
	}
	return e.Detail
}

// Unwrap returns the realty error of the code.
func (e *Error) Unwrap() error { return e.kind }

var kinds = map[string]error{
	"not_found":            realty.ErrNotFound,
	"unauthenticated":      realty.ErrUnauthenticated,
	"forbidden":            realty.ErrForbidden,
	"conflict":             realty.ErrConflict,
	"precondition_failed":  realty.ErrPrecondition,
	"unavailable":          realty.ErrUnavailable,
	"rate_limited":         realty.ErrRateLimited,
	"insufficient_storage": realty.ErrStorageFull,
	"schema_outdated":      realty.ErrSchemaOutdated,
}

// problemError maps a problem response back to the typed error it came from.
func problemError(resp *http.Response, body io.Reader) error {
	var p problem
	b, _ := io.ReadAll(io.LimitReader(body, 1<<20))
	if err := json.Unmarshal(b, &p); err != nil || p.Code == "" {
		p = problem{Status: resp.StatusCode, Code: codeOf(resp.StatusCode), Detail: http.StatusText(resp.StatusCode)}
	}
	if p.Code == "validation_failed" && len(p.Errors) > 0 {
		return &realty.ValidationError{Fields: p.Errors}
	}
	detail := p.Detail
	if p.Code == "rate_limited" {
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			detail += " (retry in " + ra + "s)"
		}
	}
	return &Error{Status: resp.StatusCode, Code: p.Code, Detail: detail,
		RequestID: resp.Header.Get("X-Request-ID"), kind: kinds[p.Code]}
}

// codeOf guesses the code of a response that is not a problem (a proxy's).
func codeOf(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "unavailable"
	case http.StatusInsufficientStorage:
		return "insufficient_storage"
	}
	return "internal"
}
