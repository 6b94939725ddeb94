package realty

import (
	"context"
	"errors"
	"net/http"
)

// Kind is one kind of error, as every layer shows it: the sentinel error
// that carries it (matched with errors.Is), the problem code and HTTP status
// of the API, the exit code of the CLI, and a phrase for people. Kinds is
// the one table every layer reads: the server to answer, the client to map
// an answer back to the sentinel, the CLI to exit, the TUI to say what
// happened.
type Kind struct {
	Err    error
	Code   string
	Status int
	Exit   int
	Phrase string
}

// Exit codes of the CLI (DESIGN.md §6).
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitNotFound    = 3
	ExitUnauth      = 4
	ExitForbidden   = 5
	ExitConflict    = 6
	ExitInvalid     = 7
	ExitRateLimited = 8
)

// Kinds lists every kind of error, most specific first: KindOf returns the
// first whose Err the error matches. Two kinds share the code
// validation_failed: malformed input (400) and invalid values (422).
var Kinds = []Kind{
	{ErrMalformed, "validation_failed", http.StatusBadRequest, ExitInvalid, "malformed request"},
	{errValidation, "validation_failed", http.StatusUnprocessableEntity, ExitInvalid, "invalid input"},
	{ErrNotFound, "not_found", http.StatusNotFound, ExitNotFound, "not found"},
	{ErrUnauthenticated, "unauthenticated", http.StatusUnauthorized, ExitUnauth, "not logged in, or the session expired"},
	{ErrForbidden, "forbidden", http.StatusForbidden, ExitForbidden, "only the owner may change it"},
	{ErrConflict, "conflict", http.StatusConflict, ExitConflict, "it collides with existing data"},
	{ErrPrecondition, "precondition_failed", http.StatusPreconditionFailed, ExitConflict, "it changed since it was read"},
	{ErrRateLimited, "rate_limited", http.StatusTooManyRequests, ExitRateLimited, "too many requests; retry later"},
	{ErrTooLarge, "payload_too_large", http.StatusRequestEntityTooLarge, ExitInvalid, "the request is too large"},
	{ErrUnsupportedMediaType, "unsupported_media_type", http.StatusUnsupportedMediaType, ExitInvalid, "the request body is not JSON"},
	{ErrMethodNotAllowed, "method_not_allowed", http.StatusMethodNotAllowed, ExitError, "this resource does not answer that method"},
	{ErrSchemaOutdated, "schema_outdated", http.StatusServiceUnavailable, ExitError, "the database must be migrated"},
	{ErrStorageFull, "insufficient_storage", http.StatusInsufficientStorage, ExitError, "the database cannot store more"},
	{ErrUnavailable, "unavailable", http.StatusServiceUnavailable, ExitError, "unavailable; retry shortly"},
	{ErrInternal, "internal", http.StatusInternalServerError, ExitError, "internal error"},
}

// errValidation stands for every *ValidationError in the table.
var errValidation = errors.New("invalid input")

// Is makes every ValidationError match the table's validation kind.
func (e *ValidationError) Is(target error) bool { return target == errValidation }

// KindOf returns the kind of an error: the first of Kinds it matches, else
// internal. A context deadline is "unavailable": the backend was too slow.
func KindOf(err error) Kind {
	for _, k := range Kinds {
		if errors.Is(err, k.Err) {
			return k
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindByCodeOrInternal("unavailable")
	}
	return Kinds[len(Kinds)-1]
}

// KindByCode returns the kind of a problem code (for validation_failed, the
// 422 one).
func KindByCode(code string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Code == code && k.Err != ErrMalformed {
			return k, true
		}
	}
	return Kind{}, false
}

// KindByCodeOrInternal is KindByCode, internal for an unknown code.
func KindByCodeOrInternal(code string) Kind {
	if k, ok := KindByCode(code); ok {
		return k
	}
	return Kinds[len(Kinds)-1]
}
