package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/realtyhq/realty/pkg/realty"
)

// The files of property export and property import: a property a record,
// as it is created (what import needs) and its id (which import ignores):
//
//   - ndjson: a JSON object a line, in the API's shape of a new property
//     plus "id";
//   - json: a JSON array of the same objects, one a line;
//   - csv: RFC 4180 (comma, double quotes, CRLF), UTF-8, a header line and
//     the columns of csvColumns; rooms in one cell, one room a line, each
//     written as property create's --room takes it
//     ("bedroom,name=Master,area=12.5,level=1,feature=balcony").
const (
	formatCSV    = "csv"
	formatNDJSON = "ndjson"
	formatJSON   = "json"
)

var fileFormats = []string{formatCSV, formatNDJSON, formatJSON}

// csvColumns are the columns of a CSV file, in order. Empty cells are
// members without a value (no transaction, no price); currency and status
// empty take their defaults on import.
var csvColumns = []string{"id", "name", "type", "city", "description", "transaction", "price", "currency", "status", "rooms"}

// propertyRecord is a property of a file.
type propertyRecord struct {
	ID int64 `json:"id,omitempty"`
	realty.NewProperty
}

// recordOf is the record of a stored property.
func recordOf(p realty.Property) propertyRecord {
	r := propertyRecord{ID: p.ID, NewProperty: realty.NewProperty{Name: p.Name, Description: p.Description,
		Type: p.Type, City: p.City, Transaction: p.Transaction, Price: p.Price, Currency: p.Currency, Status: p.Status}}
	for _, room := range p.Rooms {
		r.Rooms = append(r.Rooms, realty.NewRoom{Type: room.Type, Name: room.Name, Area: room.Area, Level: room.Level,
			Description: room.Description, Features: room.Features})
	}
	return r
}

// fileFormat is the format named by --format, or else by the file's
// extension (csv, ndjson or jsonl, json), or else def.
func fileFormat(format, path, def string) (string, error) {
	if format != "" {
		format = strings.ToLower(format)
		for _, f := range fileFormats {
			if f == format {
				return f, nil
			}
		}
		return "", usageErrorf("--format must be one of %s, got %q", strings.Join(fileFormats, ", "), format)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return formatCSV, nil
	case ".ndjson", ".jsonl":
		return formatNDJSON, nil
	case ".json":
		return formatJSON, nil
	}
	return def, nil
}

// recordWriter writes records in a format, each as it comes.
type recordWriter interface {
	write(r propertyRecord) error
	close() error // ends the file (the JSON array's bracket) and flushes
}

func newRecordWriter(w io.Writer, format string) (recordWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case formatCSV:
		cw := csv.NewWriter(bw)
		cw.UseCRLF = true
		return &csvOut{w: cw, flush: bw}, cw.Write(csvColumns)
	case formatJSON:
		_, err := bw.WriteString("[")
		return &jsonOut{w: bw, array: true}, err
	}
	return &jsonOut{w: bw}, nil
}

type csvOut struct {
	w     *csv.Writer
	flush *bufio.Writer
	cells []string
}

func (c *csvOut) write(r propertyRecord) error {
	rooms := make([]string, len(r.Rooms))
	for i, room := range r.Rooms {
		rooms[i] = FormatRoomSpec(room)
	}
	transaction, price := "", ""
	if r.Transaction != nil {
		transaction = string(*r.Transaction)
	}
	if r.Price != nil {
		price = r.Price.String()
	}
	id := ""
	if r.ID != 0 {
		id = itoa(r.ID)
	}
	c.cells = append(c.cells[:0], id, r.Name, string(r.Type), r.City, r.Description, transaction, price, r.Currency,
		string(r.Status), strings.Join(rooms, "\n"))
	return c.w.Write(c.cells)
}

func (c *csvOut) close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.flush.Flush()
}

type jsonOut struct {
	w     *bufio.Writer
	array bool // a JSON array, not a line each
	n     int
}

func (j *jsonOut) write(r propertyRecord) error {
	if j.array {
		sep := "\n"
		if j.n > 0 {
			sep = ",\n"
		}
		if _, err := j.w.WriteString(sep); err != nil {
			return err
		}
	}
	j.n++
	b, err := marshalRecord(r)
	if err != nil {
		return err
	}
	_, err = j.w.Write(b)
	if err == nil && !j.array {
		err = j.w.WriteByte('\n')
	}
	return err
}

func (j *jsonOut) close() error {
	if j.array {
		end := "\n]\n"
		if j.n == 0 {
			end = "]\n"
		}
		if _, err := j.w.WriteString(end); err != nil {
			return err
		}
	}
	return j.w.Flush()
}

// marshalRecord is a record's JSON on one line, without HTML escapes, rooms
// always present (a room's features only when it has some).
func marshalRecord(r propertyRecord) ([]byte, error) {
	type withRooms struct {
		propertyRecord
		Rooms []realty.NewRoom `json:"rooms"`
	}
	w := withRooms{propertyRecord: r, Rooms: r.Rooms}
	if w.Rooms == nil {
		w.Rooms = []realty.NewRoom{}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, fmt.Errorf("property %d: %w", r.ID, err)
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
