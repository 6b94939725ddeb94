package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/realtyhq/realty/pkg/realty"
)

// Exit codes (DESIGN.md §6), from the one table of realty.Kinds.
const (
	ExitOK           = realty.ExitOK
	ExitError        = realty.ExitError
	ExitUsage        = realty.ExitUsage
	ExitNotFound     = realty.ExitNotFound
	ExitUnauthorized = realty.ExitUnauth
	ExitForbidden    = realty.ExitForbidden
	ExitConflict     = realty.ExitConflict
	ExitInvalid      = realty.ExitInvalid
	ExitRateLimited  = realty.ExitRateLimited
)

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// ExitCode maps an error to the process exit code: usage mistakes are 2,
// the rest follows realty.Kinds.
func ExitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue), isCobraUsage(err):
		return ExitUsage
	}
	return realty.KindOf(err).Exit
}

// isCobraUsage recognises the errors cobra returns for unknown commands.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ") || strings.HasPrefix(err.Error(), "unknown shorthand flag")
}

// hinted is an error with the hint a command knows better than the table.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

// withHint attaches a hint to a non-nil error.
func withHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &hinted{err: err, hint: hint}
}

// hints says what to do about each kind of error (by problem code), on a
// database and through a server when they differ.
var hints = map[string][2]string{
	"unauthenticated":      {"run 'realty auth login' first", ""},
	"forbidden":            {"only the owner of a property can change it or its rooms", ""},
	"precondition_failed":  {"someone changed it since you read it: look again with 'realty property show', then retry", ""},
	"conflict":             {"that email belongs to another account: log in with it, or choose another", ""},
	"rate_limited":         {"wait a moment, then retry", ""},
	"schema_outdated":      {"the database must be migrated first: run 'realty migrate up' with the server's --db", ""},
	"insufficient_storage": {"the database's disk is full or it is read-only: free space (or ask its administrator), then retry", ""},
	"unavailable": {"the database cannot be reached now: check --db or REALTY_DB, then retry",
		"is 'realty serve' running there? check --server or REALTY_SERVER, then retry"},
}

// describe returns the message for an error and a hint saying what to do;
// remote says whether the CLI works through a server.
func describe(err error, remote bool) (msg, hint string) {
	var ve *realty.ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		b.WriteString("invalid input:")
		for _, f := range ve.Fields {
			fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
		}
		return b.String(), ""
	}
	var h *hinted
	if errors.As(err, &h) {
		return sentence(err), h.hint
	}
	pair := hints[realty.KindOf(err).Code]
	hint = pair[0]
	if remote && pair[1] != "" {
		hint = pair[1]
	}
	return sentence(err), hint
}

// sentence is an error's message for people: without the trailing name of
// the sentinel that classifies it (": forbidden", ": not authenticated"),
// which only says again what the message and the exit code say. What is
// not found says so: "property 42 does not exist".
func sentence(err error) string {
	msg, k := err.Error(), realty.KindOf(err)
	if k.Err == nil {
		return msg
	}
	suffix := ": " + k.Err.Error()
	if !strings.HasSuffix(msg, suffix) {
		return msg
	}
	for strings.HasSuffix(msg, suffix) {
		msg = strings.TrimSuffix(msg, suffix)
	}
	if k.Code == "not_found" {
		return msg + " does not exist"
	}
	return msg
}
