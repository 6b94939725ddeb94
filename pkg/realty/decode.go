package realty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrMalformed marks input that is not a JSON document of the expected
// shape at all (as opposed to well-formed input with invalid values).
var ErrMalformed = errors.New("malformed input")

// DecodeJSON decodes one JSON object into v strictly: unknown members
// (including read-only ones such as id, owner or version: OWASP API3, mass
// assignment) and trailing data are refused. The error is a *ValidationError
// naming the member; for a document that is not JSON, or not one object, it
// also wraps ErrMalformed.
func DecodeJSON(data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return malformed("body", "is empty: a JSON object is expected")
	}
	if trimmed[0] != '{' {
		return malformed("body", "must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeProblem(err)
	}
	if dec.More() {
		return malformed("body", "has data after the JSON object")
	}
	return nil
}

func malformed(field, msg string) error {
	return malformedError{Invalid(field, "%s", msg)}
}

// malformedError is a ValidationError that also matches ErrMalformed.
type malformedError struct{ *ValidationError }

func (e malformedError) Unwrap() []error { return []error{ErrMalformed, e.ValidationError} }

func decodeProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return malformed("body", fmt.Sprintf("is not valid JSON (at byte %d: %v)", syn.Offset, syn))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("body", "is cut short")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return Invalid(field, "must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return Invalid(strings.Trim(name, `"`), "is not a member that can be set (id, owner, version and timestamps are set by realty)")
	}
	// Errors of our own UnmarshalJSON methods (areas, dates) name no field.
	return Invalid("body", "%s", msg)
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "bool":
		return "boolean"
	}
	return "number"
}

// CheckNotNull refuses a JSON Merge Patch that sets one of the named members
// to null when the member cannot be removed.
func CheckNotNull(data []byte, members ...string) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil // DecodeJSON reports it
	}
	var p problems
	for _, m := range members {
		if v, ok := raw[m]; ok && string(bytes.TrimSpace(v)) == "null" {
			p.add(m, "cannot be null")
		}
	}
	return p.err()
}
