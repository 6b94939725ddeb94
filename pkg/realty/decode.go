package realty

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// ErrMalformed marks input that is not a JSON document of the expected
// shape at all (as opposed to well-formed input with invalid values).
var ErrMalformed = errors.New("malformed input")

// DecodeJSON decodes one JSON object into v strictly, so that what reaches
// the service is exactly what the client sent:
//
//   - not JSON, not one object, invalid UTF-8 (including lone surrogates
//     escaped as \uD800), a member given twice, or a member spelled in another
//     case than its name ("NAME" for "name", which encoding/json would
//     silently accept): a ValidationError that also wraps ErrMalformed;
//   - unknown members (including read-only ones such as id, owner or version:
//     OWASP API3, mass assignment) and members of the wrong JSON type: a
//     ValidationError naming every such member by its exact path
//     (rooms[0].area), not only the first.
func DecodeJSON(data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return malformed("body", "is empty: a JSON object is expected")
	case !utf8.Valid(trimmed):
		return malformed("body", "is not valid UTF-8")
	case trimmed[0] != '{':
		return malformed("body", "must be a JSON object")
	}
	if err := checkSyntax(trimmed); err != nil {
		return err
	}
	var w walker
	w.value(trimmed, reflect.TypeOf(v), "")
	if len(w.malformed.fields) > 0 {
		return malformedError{&ValidationError{Fields: w.malformed.fields}}
	}
	if err := w.invalid.Err(); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeProblem(err) // the walk saw everything it knows of; this is a safety net
	}
	return nil
}

// checkSyntax refuses what is not one JSON value, and lone UTF-16 surrogates
// in string escapes, which encoding/json would turn into U+FFFD silently.
func checkSyntax(b []byte) error {
	if json.Valid(b) {
		if at := loneSurrogate(b); at >= 0 {
			return malformed("body", fmt.Sprintf("is not valid UTF-8 (a lone surrogate escape at byte %d)", at))
		}
		return nil
	}
	// Invalid: decode to say where and why.
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return malformed("body", fmt.Sprintf("is not valid JSON (at byte %d: %v)", syn.Offset, syn))
		}
		return malformed("body", "is cut short")
	}
	return malformed("body", "has data after the JSON object")
}

// loneSurrogate returns the offset of a \uD800–\uDFFF escape that is not
// half of a surrogate pair, or -1. b is syntactically valid JSON.
func loneSurrogate(b []byte) int {
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			inString = !inString
		case !inString || c != '\\':
		case b[i+1] != 'u':
			i++ // a one-character escape such as \" or \\
		default:
			r := hex4(b[i+2 : i+6])
			switch {
			case r >= 0xD800 && r < 0xDC00:
				if i+12 > len(b) || b[i+6] != '\\' || b[i+7] != 'u' {
					return i
				}
				if lo := hex4(b[i+8 : i+12]); lo < 0xDC00 || lo > 0xDFFF {
					return i
				}
				i += 11
			case r >= 0xDC00 && r <= 0xDFFF:
				return i
			default:
				i += 5
			}
		}
	}
	return -1
}

func hex4(b []byte) int {
	n, err := strconv.ParseUint(string(b), 16, 32)
	if err != nil {
		return -1
	}
	return int(n)
}

// walker checks a syntactically valid document against the Go type it is
// decoded into, collecting every problem with its path.
type walker struct {
	malformed Problems // 400: duplicate or other-case members
	invalid   Problems // 422: unknown members, wrong JSON types
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// How a type is decoded, cached per type: looking up a method set on every
// value of every body was a fifth of the walk.
type decoding int

const (
	walked      decoding = iota // a struct or a slice: the walk goes in
	plain                       // a string, number or bool: checked without decoding
	unmarshaler                 // a json.Unmarshaler (Area, Date...): its own method decides
	generic                     // anything else decoded as a whole (text unmarshalers, maps)
)

var decodings sync.Map // reflect.Type -> decoding

func decodingOf(t reflect.Type) decoding {
	if d, ok := decodings.Load(t); ok {
		return d.(decoding)
	}
	d := generic
	switch {
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
		d = unmarshaler
	case reflect.PointerTo(t).Implements(textUnmarshaler):
	case t.Kind() == reflect.Struct, t.Kind() == reflect.Slice:
		d = walked
	case t.Kind() == reflect.String, t.Kind() == reflect.Bool, t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64:
		d = plain
	}
	decodings.Store(t, d)
	return d
}

func (w *walker) value(raw []byte, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if bytes.Equal(raw, []byte("null")) {
		return // encoding/json leaves the member as it is; validation decides
	}
	switch decodingOf(t) {
	case plain:
		if !plainLeaf(raw, t) {
			w.decodeLeaf(raw, t, path)
		}
		return
	case unmarshaler:
		// As encoding/json would: the method's own error, unchanged.
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			w.invalid.Add(orBody(path), "%s", typeMessage(err, t, raw))
		}
		return
	case generic:
		w.decodeLeaf(raw, t, path)
		return
	}
	switch {
	case t.Kind() == reflect.Struct && raw[0] == '{':
		w.object(raw, t, path)
	case t.Kind() == reflect.Slice && raw[0] == '[':
		w.array(raw, t.Elem(), path)
	default:
		w.invalid.Add(orBody(path), "must be a JSON %s, not %s", jsonKind(t.Kind().String()), valueKind(raw))
	}
}

// decodeLeaf decodes a value as a whole, to report why it does not fit t.
func (w *walker) decodeLeaf(raw []byte, t reflect.Type, path string) {
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
		w.invalid.Add(orBody(path), "%s", typeMessage(err, t, raw))
	}
}

// plainLeaf reports, without decoding, that raw decodes into t (a plain
// kind): a string into a string, a whole number in range into an integer,
// and so on. It answers false for mismatches, which json.Unmarshal then
// explains.
func plainLeaf(raw []byte, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
		return raw[0] == '"'
	case reflect.Bool:
		return raw[0] == 't' || raw[0] == 'f'
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err := strconv.ParseInt(string(raw), 10, t.Bits())
		return err == nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err := strconv.ParseUint(string(raw), 10, t.Bits())
		return err == nil
	case reflect.Float32, reflect.Float64:
		_, err := strconv.ParseFloat(string(raw), t.Bits())
		return err == nil
	}
	return false
}

// The walk reads the document once, in place: objects and arrays are split
// into their members by scanning bytes (the document is known to be valid
// JSON), not decoded again at every level of nesting.

func (w *walker) object(raw []byte, t reflect.Type, path string) {
	fields := jsonFields(t)
	seen := map[string]bool{}
	for i := skipSpace(raw, 1); raw[i] != '}'; {
		end := skipString(raw, i)
		name := memberName(raw[i:end])
		i = skipSpace(raw, skipSpace(raw, end)+1) // past the colon
		vend := skipValue(raw, i)
		member := raw[i:vend]
		i = skipSpace(raw, vend)
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
		at := join(path, name)
		if seen[name] {
			w.malformed.Add(at, "is given more than once")
			continue
		}
		seen[name] = true
		f, ok := fields[name]
		if !ok {
			if exact := otherCase(fields, name); exact != "" {
				w.malformed.Add(at, "is not a member: member names are case-sensitive (did you mean %q?)", exact)
			} else {
				w.invalid.Add(at, "is not a member that can be set (id, owner, version and timestamps are set by realty)")
			}
			continue
		}
		w.value(member, f, at)
	}
}

func (w *walker) array(raw []byte, elem reflect.Type, path string) {
	for i, n := skipSpace(raw, 1), 0; raw[i] != ']'; n++ {
		end := skipValue(raw, i)
		w.value(raw[i:end], elem, orBody(path)+"["+strconv.Itoa(n)+"]")
		i = skipSpace(raw, end)
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
}

// memberName decodes a member name (a JSON string, escapes allowed).
func memberName(quoted []byte) string {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return string(quoted[1 : len(quoted)-1])
	}
	var name string
	_ = json.Unmarshal(quoted, &name)
	return name
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string that starts at b[i].
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value that starts at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	for j := i; j < len(b); j++ { // a number, true, false or null
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j
		}
	}
	return len(b)
}

// jsonFields maps the JSON member names of a struct to their types, those
// of embedded structs included, as encoding/json flattens them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldsCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for n, ft := range jsonFields(f.Type) {
				if _, own := out[n]; !own {
					out[n] = ft
				}
			}
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	fieldsCache.Store(t, out)
	return out
}

// fieldsCache holds jsonFields' answers by type (read-only maps).
var fieldsCache sync.Map

func otherCase(fields map[string]reflect.Type, name string) string {
	for f := range fields {
		if strings.EqualFold(f, name) {
			return f
		}
	}
	return ""
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// typeMessage says why a member could not be decoded into t.
func typeMessage(err error, t reflect.Type, raw []byte) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		kind := jsonKind(typ.Type.Kind().String())
		if kind == "number" && valueKind(raw) == "number" {
			return "must be a whole number in range, not " + string(raw)
		}
		return fmt.Sprintf("must be a JSON %s, not %s", kind, valueKind(raw))
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if t.Kind() == reflect.String && raw[0] != '"' {
		return "must be a JSON string, not " + valueKind(raw)
	}
	return msg
}

func valueKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func malformed(field, msg string) error {
	return malformedError{Invalid(field, "%s", msg)}
}

// malformedError is a ValidationError that also matches ErrMalformed.
type malformedError struct{ *ValidationError }

func (e malformedError) Unwrap() []error { return []error{ErrMalformed, e.ValidationError} }

func decodeProblem(err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
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
	var p Problems
	for _, m := range members {
		if v, ok := raw[m]; ok && string(bytes.TrimSpace(v)) == "null" {
			p.Add(m, "cannot be null")
		}
	}
	return p.Err()
}
