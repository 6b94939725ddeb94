package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/realtyhq/realty/pkg/realty"
)

// Exit codes (DESIGN.md §6).
const (
	ExitOK           = 0
	ExitError        = 1
	ExitUsage        = 2
	ExitNotFound     = 3
	ExitUnauthorized = 4
	ExitForbidden    = 5
	ExitConflict     = 6
	ExitInvalid      = 7
)

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	var ue *usageError
	var ve *realty.ValidationError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue), isCobraUsage(err):
		return ExitUsage
	case errors.As(err, &ve):
		return ExitInvalid
	case errors.Is(err, realty.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, realty.ErrUnauthenticated):
		return ExitUnauthorized
	case errors.Is(err, realty.ErrForbidden):
		return ExitForbidden
	case errors.Is(err, realty.ErrConflict), errors.Is(err, realty.ErrPrecondition):
		return ExitConflict
	}
	return ExitError
}

// isCobraUsage recognises the errors cobra returns for unknown commands.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ") || strings.HasPrefix(err.Error(), "unknown shorthand flag")
}

// describe returns the message for an error and a hint saying what to do.
func describe(err error) (msg, hint string) {
	var ve *realty.ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		b.WriteString("invalid input:")
		for _, f := range ve.Fields {
			fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
		}
		return b.String(), ""
	}
	msg = err.Error()
	switch {
	case errors.Is(err, realty.ErrUnauthenticated):
		hint = "run 'realty auth login' first"
		if strings.Contains(msg, "wrong email or password") {
			hint = "check the email and password, or register with 'realty user register'"
		}
	case errors.Is(err, realty.ErrForbidden):
		hint = "only the owner of a property can change it or its rooms"
	case errors.Is(err, realty.ErrPrecondition):
		hint = "someone changed it since you read it: look again with 'realty property show', then retry"
	case errors.Is(err, realty.ErrConflict):
		hint = "that email belongs to another account: log in with it, or choose another"
	case errors.Is(err, realty.ErrSchemaOutdated):
		hint = "the database must be migrated first: run 'realty migrate up' with the server's --db"
	case errors.Is(err, realty.ErrStorageFull):
		hint = "the database's disk is full or it is read-only: free space (or ask its administrator), then retry"
	case errors.Is(err, realty.ErrUnavailable) && strings.Contains(msg, "realty server"):
		hint = "is 'realty serve' running there? check --server or REALTY_SERVER, then retry"
	case errors.Is(err, realty.ErrUnavailable):
		hint = "the database cannot be reached now: check --db or REALTY_DB, then retry"
	}
	return msg, hint
}
