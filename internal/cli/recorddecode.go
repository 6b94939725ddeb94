package cli

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/realtyhq/realty/pkg/realty"
)

// decodeRecord decodes a property record of a JSON or NDJSON file as
// realty.DecodeJSON does, strictly. A record that is plainly well formed
// (as export writes them) is read by a scan written for its members, in
// one pass: realty.DecodeJSON validates and walks a document in four, and
// took 30 s of CPU for a million properties, twice an import (checking the
// file, then writing it). Anything the scan does not expect (an unknown or
// repeated member, a null element, an escaped member name, a lone
// surrogate, a number of another type...) goes to realty.DecodeJSON, which
// gives the result or says precisely what is wrong. FuzzDecodeRecord holds
// the two to the same results.
func decodeRecord(b []byte) (propertyRecord, error) {
	if rec, ok := scanRecord(b); ok {
		return rec, nil
	}
	var rec propertyRecord
	err := realty.DecodeJSON(b, &rec)
	return rec, err
}

// scanRecord reads a record, or reports that it cannot say (false).
func scanRecord(b []byte) (rec propertyRecord, ok bool) {
	if !utf8.Valid(b) {
		return rec, false
	}
	s := recordScanner{b: b}
	s.space()
	ok = s.object(propertyMembers, func(member int) bool {
		p := &rec.NewProperty
		switch member {
		case 0:
			return s.int64(&rec.ID)
		case 1:
			return s.str(&p.Name)
		case 2:
			return s.str(&p.Description)
		case 3:
			return s.str((*string)(&p.Type))
		case 4:
			return s.str(&p.City)
		case 5:
			if s.null() {
				return true
			}
			var t string
			if !s.str(&t) {
				return false
			}
			tr := realty.Transaction(t)
			p.Transaction = &tr
			return true
		case 6:
			if s.null() {
				return true
			}
			p.Price = new(realty.Price)
			return s.number(p.Price.UnmarshalJSON)
		case 7:
			return s.str(&p.Currency)
		case 8:
			return s.str((*string)(&p.Status))
		case 9:
			return s.rooms(&p.Rooms)
		}
		return false
	})
	s.space()
	return rec, ok && s.i == len(s.b)
}

// The members of a record and of a room, in the order of scanRecord's and
// rooms' cases (a member is known by its place: at most 64 of them).
var (
	propertyMembers = []string{"id", "name", "description", "type", "city", "transaction", "price", "currency",
		"status", "rooms"}
	roomMembers = []string{"type", "name", "area", "level", "description", "features"}
)

// recordScanner reads JSON values from b at i; each method reports whether
// the value there was of the kind it reads (and then moves past it).
type recordScanner struct {
	b []byte
	i int
}

func (s *recordScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next is the byte at i after spaces, 0 at the end.
func (s *recordScanner) next() byte {
	s.space()
	if s.i == len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// object reads an object whose members are among names, each once, the
// value of the k-th name by member(k).
func (s *recordScanner) object(names []string, member func(k int) bool) bool {
	if s.next() != '{' {
		return false
	}
	s.i++
	if s.next() == '}' {
		s.i++
		return true
	}
	var seen uint64
	for {
		if s.next() != '"' {
			return false
		}
		k := s.memberName(names)
		if k < 0 || seen&(1<<k) != 0 || s.next() != ':' {
			return false
		}
		seen |= 1 << k
		s.i++
		s.space()
		if !member(k) {
			return false
		}
		switch s.next() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// memberName reads a member's name, without escapes, and returns its place
// in names, or -1.
func (s *recordScanner) memberName(names []string) int {
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			for k, n := range names {
				if n == string(s.b[start:j]) {
					return k
				}
			}
			return -1
		case c == '\\' || c < 0x20:
			return -1
		}
	}
	return -1
}

// null reads a null.
func (s *recordScanner) null() bool {
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// str reads a string into v, or a null (v unchanged, as encoding/json does).
func (s *recordScanner) str(v *string) bool {
	if s.null() {
		return true
	}
	if s.i == len(s.b) || s.b[s.i] != '"' {
		return false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			*v = string(s.b[start:j])
			s.i = j + 1
			return true
		case c == '\\':
			return s.escaped(v, start, j)
		case c < 0x20:
			return false
		}
	}
	return false
}

// escaped reads the rest of a string that has an escape at j.
func (s *recordScanner) escaped(v *string, start, j int) bool {
	buf := append(make([]byte, 0, 2*(j-start)+16), s.b[start:j]...)
	for j < len(s.b) {
		c := s.b[j]
		switch {
		case c == '"':
			*v = string(buf)
			s.i = j + 1
			return true
		case c < 0x20:
			return false
		case c != '\\':
			buf = append(buf, c)
			j++
			continue
		}
		if j+1 >= len(s.b) {
			return false
		}
		switch e := s.b[j+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n := s.unicodeEscape(j)
			if n == 0 {
				return false
			}
			buf = utf8.AppendRune(buf, r)
			j += n
			continue
		default:
			return false
		}
		j += 2
	}
	return false
}

// unicodeEscape reads \uXXXX at j, or a surrogate pair of them, and
// returns the rune and the bytes read (0: not one the scan takes, such
// as a lone surrogate, which realty.DecodeJSON refuses).
func (s *recordScanner) unicodeEscape(j int) (rune, int) {
	r := s.hex4(j + 2)
	switch {
	case r < 0:
		return 0, 0
	case utf16.IsSurrogate(rune(r)):
		if r >= 0xDC00 || j+12 > len(s.b) || s.b[j+6] != '\\' || s.b[j+7] != 'u' {
			return 0, 0
		}
		lo := s.hex4(j + 8)
		if lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0
		}
		return utf16.DecodeRune(rune(r), rune(lo)), 12
	}
	return rune(r), 6
}

// hex4 is the value of the four hexadecimal digits at i, or -1.
func (s *recordScanner) hex4(i int) int {
	if i+4 > len(s.b) {
		return -1
	}
	v := 0
	for _, c := range s.b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return v
}

// numberEnd returns the end of the JSON number at i, or -1.
func (s *recordScanner) numberEnd() int {
	b, j := s.b, s.i
	digits := func() bool {
		start := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j > start
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case !digits():
		return -1
	}
	if j < len(b) && b[j] == '.' {
		j++
		if !digits() {
			return -1
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if !digits() {
			return -1
		}
	}
	return j
}

// number reads a JSON number with its type's UnmarshalJSON.
func (s *recordScanner) number(unmarshal func([]byte) error) bool {
	end := s.numberEnd()
	if end < 0 || unmarshal(s.b[s.i:end]) != nil {
		return false
	}
	s.i = end
	return true
}

// int64 reads a whole number into v, or a null (v unchanged).
func (s *recordScanner) int64(v *int64) bool {
	if s.null() {
		return true
	}
	return s.number(func(b []byte) error {
		n, err := strconv.ParseInt(string(b), 10, 64)
		*v = n
		return err
	})
}

// rooms reads the rooms of a record: an array of room objects, or null.
func (s *recordScanner) rooms(v *[]realty.NewRoom) bool {
	if s.null() {
		*v = nil
		return true
	}
	rooms := []realty.NewRoom{}
	ok := s.array(func() bool {
		var r realty.NewRoom
		ok := s.object(roomMembers, func(member int) bool {
			switch member {
			case 0:
				return s.str((*string)(&r.Type))
			case 1:
				return s.str(&r.Name)
			case 2:
				if s.null() {
					return true
				}
				r.Area = new(realty.Area)
				return s.number(r.Area.UnmarshalJSON)
			case 3:
				if s.null() {
					return true
				}
				var n int64
				if !s.int64(&n) || int64(int(n)) != n {
					return false
				}
				level := int(n)
				r.Level = &level
				return true
			case 4:
				return s.str(&r.Description)
			case 5:
				return s.features(&r.Features)
			}
			return false
		})
		rooms = append(rooms, r)
		return ok
	})
	*v = rooms
	return ok
}

// features reads an array of strings, or null.
func (s *recordScanner) features(v *[]string) bool {
	if s.null() {
		*v = nil
		return true
	}
	out := []string{}
	ok := s.array(func() bool {
		if s.next() != '"' { // a null element: realty.DecodeJSON's to say
			return false
		}
		var f string
		ok := s.str(&f)
		out = append(out, f)
		return ok
	})
	*v = out
	return ok
}

// array reads an array, each element by elem.
func (s *recordScanner) array(elem func() bool) bool {
	if s.next() != '[' {
		return false
	}
	s.i++
	if s.next() == ']' {
		s.i++
		return true
	}
	for {
		s.space()
		if !elem() {
			return false
		}
		switch s.next() {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}
