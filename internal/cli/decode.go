package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/realtyhq/realty/pkg/realty"
)

// maxPropertyFile bounds what --file reads: far above any valid property.
const maxPropertyFile = 1 << 20

// DecodeProperty reads a whole property, rooms included, from JSON in the
// API's shape. Unknown members (including read-only ones such as id, owner or
// version) and trailing data are refused, so that a typo never goes unseen.
func DecodeProperty(r io.Reader) (realty.NewProperty, error) {
	var p realty.NewProperty
	b, err := io.ReadAll(io.LimitReader(r, maxPropertyFile+1))
	if err != nil {
		return p, err
	}
	if len(b) > maxPropertyFile {
		return p, realty.Invalid("file", "is larger than %d bytes", maxPropertyFile)
	}
	err = realty.DecodeJSON(b, &p)
	return p, err
}

// ParseRoomSpec reads a --room value: comma-separated key=value pairs, the
// first of which may be the bare room type. Keys: type, name, area, level,
// description, feature (repeatable) or features ("a|b"). A value with a
// comma, a double quote or a new line is double-quoted, its double quotes
// doubled: --room 'bedroom,name="Big, bright"'. A new line outside quotes
// is refused.
func ParseRoomSpec(spec string) (realty.NewRoom, error) {
	var r realty.NewRoom
	bad := func(format string, args ...any) error {
		return realty.Invalid("", "%q: "+format, append([]any{spec}, args...)...) // the whole spec
	}
	fields, ok := splitSpec(spec)
	if !ok || strings.TrimSpace(spec) == "" {
		return r, bad("write it as type,key=value,... such as bedroom,name=Master,area=12.5,level=1,feature=balcony")
	}
	for _, field := range fields {
		if _, value, _ := strings.Cut(field, "="); strings.ContainsAny(field, "\n\r") && !isQuoted(field) && !isQuoted(value) {
			return r, bad("must be on one line, but for new lines inside double quotes")
		}
	}
	for i, field := range fields {
		key, value, hasEq := strings.Cut(unquote(field), "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if !hasEq {
			if i != 0 {
				return r, bad("%q is not key=value", field)
			}
			key, value = "type", field
		}
		if err := setRoomField(&r, key, unquote(value)); err != nil {
			return r, bad("%v", err)
		}
	}
	if r.Type == "" {
		return r, bad("the room type is missing (%s)", strings.Join(realty.Names(realty.RoomTypes), ", "))
	}
	return r, nil
}

// FormatRoomSpec writes a room as ParseRoomSpec reads it: the type, then
// each member that has a value, quoted when needed. Parsing it gives the
// room back.
func FormatRoomSpec(r realty.NewRoom) string {
	parts := []string{string(r.Type)}
	add := func(key, value string) {
		if strings.ContainsAny(value, ",\"\n\r") || strings.TrimSpace(value) != value {
			value = `"` + strings.ReplaceAll(value, `"`, `""`) + `"`
		}
		parts = append(parts, key+"="+value)
	}
	if r.Name != "" {
		add("name", r.Name)
	}
	if r.Area != nil {
		add("area", r.Area.String())
	}
	if r.Level != nil {
		add("level", strconv.Itoa(*r.Level))
	}
	if r.Description != "" {
		add("description", r.Description)
	}
	for _, f := range r.Features {
		add("feature", f)
	}
	return strings.Join(parts, ",")
}

// ParseRoomSpecs reads rooms written one spec a line (the rooms column of
// a CSV export); new lines inside double quotes belong to their value.
// Problems are named rooms[i].
func ParseRoomSpecs(text string) ([]realty.NewRoom, error) {
	var rooms []realty.NewRoom
	var p realty.Problems
	quoted, start := false, 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] == '"' {
			quoted = !quoted
		}
		if i < len(text) && (text[i] != '\n' || quoted) {
			continue
		}
		spec := strings.TrimRight(text[start:i], "\r")
		start = i + 1
		if strings.TrimSpace(spec) == "" {
			continue
		}
		r, err := ParseRoomSpec(spec)
		p.Merge(fmt.Sprintf("rooms[%d]", len(rooms)), err)
		rooms = append(rooms, r)
	}
	return rooms, p.Err()
}

// splitSpec splits on commas outside double quotes; false if a quote is left open.
func splitSpec(s string) ([]string, bool) {
	var fields []string
	var cur strings.Builder
	quoted := false
	for _, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
			cur.WriteRune(c)
		case c == ',' && !quoted:
			fields = append(fields, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteRune(c)
		}
	}
	return append(fields, strings.TrimSpace(cur.String())), !quoted
}

// isQuoted reports whether a value is in double quotes (spaces around aside).
func isQuoted(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"'
}

// unquote removes the double quotes around a value ("" inside stands for ").
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if isQuoted(s) {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

func setRoomField(r *realty.NewRoom, key, value string) error {
	switch key {
	case "type":
		t, err := realty.ParseRoomType(value)
		r.Type = t
		return err
	case "name":
		r.Name = value
	case "description":
		r.Description = value
	case "area":
		a, err := realty.ParseArea(value)
		if err != nil {
			return err
		}
		r.Area = &a
	case "level":
		l, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("level %q is not a whole number", value)
		}
		r.Level = &l
	case "feature":
		r.Features = append(r.Features, value)
	case "features":
		r.Features = append(r.Features, strings.Split(value, "|")...)
	default:
		return fmt.Errorf("unknown key %q (type, name, area, level, description, feature)", key)
	}
	return nil
}
