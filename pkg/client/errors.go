package client

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

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
	kind := realty.KindByCodeOrInternal(p.Code)
	if p.Code == "validation_failed" && resp.StatusCode == http.StatusBadRequest {
		kind = realty.KindOf(realty.ErrMalformed)
	}
	detail := p.Detail
	wait := retryAfter(resp.Header.Get("Retry-After"), time.Now())
	if p.Code == "rate_limited" && wait > 0 {
		detail += fmt.Sprintf(" (retry in %s)", wait.Round(time.Second))
	}
	e := &Error{Status: resp.StatusCode, Code: p.Code, Detail: detail,
		RequestID: resp.Header.Get("X-Request-ID"), kind: kind.Err}
	if wait > 0 && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		return &realty.RetryLater{Err: e, After: wait} // as the service says it
	}
	return e
}

// retryAfter is how long a Retry-After value (RFC 9110, 10.2.3: seconds, or
// an HTTP date) says to wait from now, or 0 for none or a bad one.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 32); err == nil {
		return time.Duration(max(0, s)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now))
	}
	return 0
}

// codeOf guesses the code of a response that is not a problem (a proxy's):
// the table's kind of that status, bad gateways and timeouts being
// "unavailable".
func codeOf(status int) string {
	switch status {
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return "unavailable"
	case http.StatusServiceUnavailable:
		return "unavailable" // not schema_outdated: a proxy says nothing of schemas
	}
	for _, k := range realty.Kinds {
		if k.Status == status && k.Err != realty.ErrMalformed {
			return k.Code
		}
	}
	return "internal"
}
