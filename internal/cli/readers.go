package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/realtyhq/realty/pkg/realty"
)

// recordReader reads the records of a file one at a time.
type recordReader interface {
	// next returns the next record and the line it starts on. A record that
	// cannot be read as a property comes with a *realty.ValidationError
	// naming its members; an error of the file itself ends the reading
	// (io.EOF at its end).
	next() (propertyRecord, int, error)
}

// maxRecord bounds one record of a file: far above any valid property.
const maxRecord = 4 << 20

// utf8BOM starts files saved by some spreadsheets; it is skipped.
const utf8BOM = "\ufeff"

// openRecords reads the records of a file in a format; "" guesses it
// from the first byte that is not space: [ is JSON, { is NDJSON, anything
// else CSV. It returns the format read.
func openRecords(r io.Reader, format string) (recordReader, string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(len(utf8BOM)); err == nil && string(b) == utf8BOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	if format == "" {
		format = sniffFormat(br)
	}
	var rr recordReader
	var err error
	switch format {
	case formatCSV:
		rr, err = newCSVIn(br)
	case formatJSON:
		rr, err = newJSONArrayIn(br)
	default:
		rr = &ndjsonIn{r: br}
	}
	return rr, format, err
}

func sniffFormat(br *bufio.Reader) string {
	for n := 1; n <= 4096; n++ {
		b, err := br.Peek(n)
		if err != nil {
			break
		}
		switch b[n-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '[':
			return formatJSON
		case '{':
			return formatNDJSON
		}
		break
	}
	return formatCSV
}

// fileError is a problem of the file itself, at a line: nothing after it
// can be read.
type fileError struct {
	line int
	msg  string
}

func (e *fileError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// invalid is the problem as invalid input (exit status 7).
func (e *fileError) invalid() error {
	return realty.Invalid(fmt.Sprintf("line %d", e.line), "%s", e.msg)
}

func fileProblem(line int, format string, args ...any) error {
	return &fileError{line, fmt.Sprintf(format, args...)}
}

type ndjsonIn struct {
	r    *bufio.Reader
	line int
}

func (n *ndjsonIn) next() (propertyRecord, int, error) { return nextOf(n) }

func (n *ndjsonIn) raw() ([]byte, int, error) {
	for {
		b, err := readLine(n.r)
		if len(b) == 0 && err != nil {
			return nil, n.line, err
		}
		n.line++
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, n.line, fileProblem(n.line, "%v", err)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		return b, n.line, nil
	}
}

// rawReader is a recordReader that can cut its records out of the file
// before they are decoded (decodeRecord), which can then happen on other
// goroutines (checkedRecords).
type rawReader interface {
	recordReader
	// raw returns the next record's bytes, which it does not reuse, and
	// line; or an error of the file itself (io.EOF at its end).
	raw() ([]byte, int, error)
}

// nextOf is the next method of a rawReader.
func nextOf(r rawReader) (propertyRecord, int, error) {
	b, line, err := r.raw()
	if err != nil {
		return propertyRecord{}, line, err
	}
	rec, err := decodeRecord(b)
	return rec, line, err
}

// readLine reads a line without its end, of at most maxRecord bytes.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRecord {
			return line, fmt.Errorf("is longer than %d bytes", maxRecord)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// jsonArrayIn reads the elements of a JSON array one at a time, each with
// the line it starts on: a scan of the bytes that follows strings and
// nesting, so that a file of any size is read in constant memory.
type jsonArrayIn struct {
	r    *bufio.Reader
	line int
	done bool
}

func newJSONArrayIn(r *bufio.Reader) (*jsonArrayIn, error) {
	a := &jsonArrayIn{r: r, line: 1}
	c, err := a.skipSpace()
	if err != nil || c != '[' {
		return nil, fileProblem(a.line, "a JSON array of properties is expected")
	}
	return a, nil
}

func (a *jsonArrayIn) skipSpace() (byte, error) {
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			a.line++
		case ' ', '\t', '\r':
		default:
			return c, nil
		}
	}
}

func (a *jsonArrayIn) next() (propertyRecord, int, error) { return nextOf(a) }

func (a *jsonArrayIn) raw() ([]byte, int, error) {
	if a.done {
		return nil, a.line, io.EOF
	}
	c, err := a.skipSpace()
	if err == nil && c == ',' {
		c, err = a.skipSpace()
	}
	switch {
	case err != nil:
		return nil, a.line, fileProblem(a.line, "the JSON array is cut short (no closing ])")
	case c == ']':
		a.done = true
		if c, err := a.skipSpace(); err == nil {
			return nil, a.line, fileProblem(a.line, "unexpected %q after the JSON array", c)
		}
		return nil, a.line, io.EOF
	case c != '{':
		return nil, a.line, fileProblem(a.line, "each element of the array must be a JSON object")
	}
	start := a.line
	raw, err := a.object()
	if err != nil {
		return nil, start, fileProblem(start, "%v", err)
	}
	return raw, start, nil
}

// object reads the rest of an object whose { was read.
func (a *jsonArrayIn) object() ([]byte, error) {
	raw := []byte{'{'}
	depth, inString, escaped := 1, false, false
	for depth > 0 {
		c, err := a.r.ReadByte()
		if err != nil {
			return nil, errors.New("the JSON object is cut short")
		}
		if len(raw) >= maxRecord {
			return nil, fmt.Errorf("a property is longer than %d bytes", maxRecord)
		}
		raw = append(raw, c)
		switch {
		case c == '\n':
			a.line++
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return raw, nil
}

// csvIn reads a CSV file whose header names its columns (any order;
// name, type and city are required).
type csvIn struct {
	r   *csv.Reader
	col map[string]int
}

func newCSVIn(r io.Reader) (*csvIn, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fileProblem(1, "a header line is expected (%s): %v", strings.Join(csvColumns, ","), err)
	}
	c := &csvIn{r: cr, col: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(csvColumns, h) {
			return nil, fileProblem(1, "column %q is not one of %s", h, strings.Join(csvColumns, ", "))
		}
		if _, dup := c.col[h]; dup {
			return nil, fileProblem(1, "column %q is given twice", h)
		}
		c.col[h] = i
	}
	for _, need := range []string{"name", "type", "city"} {
		if _, ok := c.col[need]; !ok {
			return nil, fileProblem(1, "the header has no %q column", need)
		}
	}
	return c, nil
}

func (c *csvIn) next() (propertyRecord, int, error) {
	row, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return propertyRecord{}, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return propertyRecord{}, pe.StartLine, fileProblem(pe.StartLine, "%v", pe.Err)
	}
	if err != nil {
		return propertyRecord{}, 0, err
	}
	line, _ := c.r.FieldPos(0)
	if len(row) != len(c.col) {
		return propertyRecord{}, line, realty.Invalid("", "has %d cells; the header has %d columns", len(row), len(c.col))
	}
	cell := func(name string) string {
		if i, ok := c.col[name]; ok {
			return row[i]
		}
		return ""
	}
	var p realty.Problems
	rec := propertyRecord{NewProperty: realty.NewProperty{Name: cell("name"), Description: cell("description"),
		City: cell("city"), Currency: cell("currency")}}
	if s := strings.TrimSpace(cell("id")); s != "" { // read, not used: every import is new
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			p.Add("id", "must be a property id, or empty")
		}
		rec.ID = id
	}
	rec.Type = realty.PropertyType(realty.NormalizeEnum(cell("type")))
	rec.Status = realty.ListingStatus(realty.NormalizeEnum(cell("status")))
	if s := strings.TrimSpace(cell("transaction")); s != "" {
		t := realty.Transaction(realty.NormalizeEnum(s))
		rec.Transaction = &t
	}
	if s := strings.TrimSpace(cell("price")); s != "" {
		v, err := realty.ParsePrice(s)
		if err != nil {
			p.Add("price", "%v", err)
		}
		rec.Price = &v
	}
	rooms, err := ParseRoomSpecs(cell("rooms"))
	p.Merge("", err)
	rec.Rooms = rooms
	return rec, line, p.Err()
}
