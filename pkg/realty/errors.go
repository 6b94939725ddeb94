package realty

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Sentinel errors shared by every layer. Implementations wrap them with
// context (fmt.Errorf("property %d: %w", id, ErrNotFound)); callers match them
// with errors.Is. They keep their meaning from the store to the CLI exit code.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnauthenticated: no token, an unknown or expired token, or bad credentials.
	ErrUnauthenticated = errors.New("not authenticated")
	// ErrForbidden: authenticated, but not allowed (not the owner).
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the change collides with existing data (duplicate email).
	ErrConflict = errors.New("conflict")
	// ErrPrecondition: the caller's version is not the current one.
	ErrPrecondition = errors.New("precondition failed")
	// ErrUnavailable: the backend (database, server) cannot be reached now.
	ErrUnavailable = errors.New("unavailable")
	// ErrSchemaOutdated: the database's schema is behind this program's
	// (a server started with --migrate=false before 'realty migrate up').
	ErrSchemaOutdated = errors.New("schema outdated")
	// ErrStorageFull: the database cannot store anything more now (disk
	// full, database read-only); reads still work.
	ErrStorageFull = errors.New("insufficient storage")
	// ErrRateLimited: too many attempts (log-ins, sign-ups, writes); retry later.
	ErrRateLimited = errors.New("rate limited")
	// ErrTooLarge: a request body over the 1 MiB limit (HTTP only).
	ErrTooLarge = errors.New("payload too large")
	// ErrUnsupportedMediaType: a request body that is not JSON (HTTP only).
	ErrUnsupportedMediaType = errors.New("unsupported media type")
	// ErrMethodNotAllowed: a method the resource does not answer (HTTP only).
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrInternal: a failure of the program itself; its cause is logged, not shown.
	ErrInternal = errors.New("internal error")
)

// FieldError is one failing input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every failing field of an input at once.
type ValidationError struct {
	Fields []FieldError `json:"errors"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Has reports whether field is among the failing fields.
func (e *ValidationError) Has(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// FieldNames returns the failing field names, sorted.
func (e *ValidationError) FieldNames() []string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
	}
	sort.Strings(names)
	return names
}

// Invalid builds a ValidationError for a single field.
func Invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// Problems accumulates field errors from several checks, so that a
// ValidationError lists every failing field at once. The zero value is ready.
type Problems struct{ fields []FieldError }

// Add records that field fails.
func (p *Problems) Add(field, format string, args ...any) {
	p.fields = append(p.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge records the fields of err, if it is a ValidationError, each under
// prefix (rooms[2]. for the members of a room); a field named "" takes the
// prefix without its dot. It reports whether err was one.
func (p *Problems) Merge(prefix string, err error) bool {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		name := prefix + f.Field
		if f.Field == "" {
			name = strings.TrimSuffix(prefix, ".")
		}
		p.fields = append(p.fields, FieldError{Field: name, Message: f.Message})
	}
	return true
}

// Err returns the ValidationError of every field recorded, or nil.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: p.fields}
}

// RetryLater wraps an error (ErrRateLimited, ErrUnavailable) with how long
// the caller should wait before trying again: the HTTP server sends it as
// Retry-After.
type RetryLater struct {
	Err   error
	After time.Duration
}

func (e *RetryLater) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *RetryLater) Unwrap() error { return e.Err }
