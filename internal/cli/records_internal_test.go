package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

// trickyRecords have what breaks naive CSV and JSON: quotes, commas, new
// lines (LF and CRLF), accents and emoji, leading spaces, empty optional
// members, many rooms, none.
func trickyRecords() []propertyRecord {
	a, lvl, zero := realty.Area(1250), -1, 0
	sale, rent := realty.Transaction("sale"), realty.Transaction("rent")
	price, cents := realty.Price(51_200_000), realty.Price(65_050)
	return []propertyRecord{
		{ID: 1, NewProperty: realty.NewProperty{Name: `Maison "Les Tilleuls", côté sud`, Type: "house", City: "Nîmes",
			Description: "Deux niveaux,\nun jardin; \"calme\".\r\nÉtage: 1 🌳", Transaction: &sale, Price: &price,
			Currency: "EUR", Status: "under_offer", Rooms: []realty.NewRoom{
				{Type: "living_room", Name: "Séjour, salon", Area: &a, Level: &zero, Features: []string{"fireplace", "south-facing"}},
				{Type: "bedroom", Description: " Vue \"mer\"\net parquet ", Level: &lvl},
				{Type: "cellar"},
			}}},
		{ID: 22, NewProperty: realty.NewProperty{Name: "Studio", Type: "studio", City: "Lyon", Transaction: &rent,
			Price: &cents, Currency: "CHF", Status: "available"}},
		{ID: 333, NewProperty: realty.NewProperty{Name: "Terrain", Type: "land", City: "Saint-Étienne"}},
	}
}

func writeRecords(t testing.TB, format string, recs []propertyRecord) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := newRecordWriter(&b, format)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readRecords(data []byte, format string) ([]propertyRecord, []int, error) {
	rr, _, err := openRecords(bytes.NewReader(data), format)
	if err != nil {
		return nil, nil, err
	}
	var recs []propertyRecord
	var lines []int
	for {
		rec, line, err := rr.next()
		if errors.Is(err, io.EOF) {
			return recs, lines, nil
		}
		if err != nil {
			return recs, append(lines, line), err
		}
		recs, lines = append(recs, rec), append(lines, line)
	}
}

func normalizeRecords(recs []propertyRecord) []propertyRecord {
	out := make([]propertyRecord, len(recs))
	for i, r := range recs {
		r.NewProperty = r.Normalized()
		if len(r.Rooms) == 0 {
			r.Rooms = nil
		}
		for j := range r.Rooms {
			if len(r.Rooms[j].Features) == 0 {
				r.Rooms[j].Features = nil
			}
		}
		out[i] = r
	}
	return out
}

// TestRecordsRoundTrip: each format reads back what it wrote, member for
// member, and (guessed from the content) in the same format.
func TestRecordsRoundTrip(t *testing.T) {
	want := trickyRecords()
	for _, format := range fileFormats {
		data := writeRecords(t, format, want)
		for _, f := range []string{format, ""} {
			got, _, err := readRecords(data, f)
			if err != nil {
				t.Fatalf("%s (read as %q): %v\n%s", format, f, err, data)
			}
			// As stored: normalized (CSV has no null: an empty currency or
			// status reads as the default), no rooms or features as nil.
			if got, want := normalizeRecords(got), normalizeRecords(want); !reflect.DeepEqual(got, want) {
				t.Errorf("%s (read as %q) read back\n%+v\nwant\n%+v", format, f, got, want)
			}
		}
	}
}

// TestCSVIsRFC4180: another reader of RFC 4180 (encoding/csv, strict about
// quotes) reads the export's cells as written: a header, CRLF line ends
// (inside quoted cells too), rooms a line each in one cell.
func TestCSVIsRFC4180(t *testing.T) {
	data := writeRecords(t, formatCSV, normalizeRecords(trickyRecords()))
	if bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
		t.Errorf("a line ends without CR:\n%q", data)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], csvColumns) || len(rows) != 4 {
		t.Fatalf("rows = %q", rows)
	}
	want := []string{"1", `Maison "Les Tilleuls", côté sud`, "house", "Nîmes",
		"Deux niveaux,\nun jardin; \"calme\".\nÉtage: 1 🌳", "sale", "512000", "EUR", "under_offer",
		"living_room,name=\"Séjour, salon\",area=12.5,level=0,feature=fireplace,feature=south-facing\n" +
			"bedroom,level=-1,description=\"Vue \"\"mer\"\"\net parquet\"\ncellar"}
	if !reflect.DeepEqual(rows[1], want) {
		t.Errorf("row 1 =\n%q\nwant\n%q", rows[1], want)
	}
	if got := rows[3]; strings.Join(got, "|") != "333|Terrain|land|Saint-Étienne||||EUR|available|" {
		t.Errorf("empty optional members: %q", got)
	}
}

// TestBadFiles: each class of bad file is reported at its line: a record
// that is not a property names its members and the reading goes on; a
// file that cannot be read further stops it.
func TestBadFiles(t *testing.T) {
	for name, c := range map[string]struct {
		format, data string
		lines        []int  // the lines of the records read (the last one bad)
		want         string // in the last error
		fatal        bool   // a fileError: nothing after it
	}{
		"csv: no header":         {formatCSV, "", nil, "a header line is expected", true},
		"csv: unknown column":    {formatCSV, "name,type,town\n", nil, `line 1: column "town" is not one of`, true},
		"csv: column twice":      {formatCSV, "name,type,city,name\n", nil, `column "name" is given twice`, true},
		"csv: required column":   {formatCSV, "name,type\n", nil, `the header has no "city" column`, true},
		"csv: open quote":        {formatCSV, "name,type,city\nA,house,Lyon\n\"B,house,Lyon\n", []int{2, 3}, `line 3: extraneous or missing "`, true},
		"csv: cells":             {formatCSV, "name,type,city\nA,house\n", []int{2}, "has 2 cells; the header has 3 columns", false},
		"csv: price":             {formatCSV, "name,type,city,price\nA,house,Lyon,12.345\n", []int{2}, "price:", false},
		"csv: room":              {formatCSV, "name,type,city,rooms\nA,house,Lyon,\"bedroom\nbedroom,area=x\"\n", []int{2}, "rooms[1]:", false},
		"csv: bom and multiline": {formatCSV, "\ufeffname,type,city\n\"A\nB\",house,Lyon\nC,house,Lyon,\n", []int{2, 4}, "has 4 cells", false},
		"ndjson: bad json":       {formatNDJSON, "{\"name\":\"A\"}\n\n{\"name\":\n", []int{1, 3}, "body:", false},
		"ndjson: unknown member": {formatNDJSON, `{"name":"A","owner":{"id":1}}`, []int{1}, "owner: is not a member", false},
		"ndjson: wrong type":     {formatNDJSON, `{"rooms":[{"area":"big"}]}`, []int{1}, "rooms[0].area:", false},
		"json: not an array":     {formatJSON, `{"name":"A"}`, nil, "a JSON array of properties is expected", true},
		"json: not objects":      {formatJSON, "[\n 1]", nil, "line 2: each element of the array must be a JSON object", true},
		"json: cut short":        {formatJSON, "[\n{\"name\":\"A\"},\n{\"name\":\n", []int{2, 3}, "line 3: the JSON object is cut short", true},
		"json: no bracket":       {formatJSON, "[\n{\"name\":\"A\"}\n", []int{2, 3}, "line 3: the JSON array is cut short", true},
		"json: after the array":  {formatJSON, "[]\nx", nil, `unexpected 'x' after the JSON array`, true},
		"json: member":           {formatJSON, "[\n{\"name\":\"A\"},\n\n{\"name\":\"B\",\n\"version\":2}]", []int{2, 4}, "version: is not a member", false},
	} {
		_, lines, err := readRecords([]byte(c.data), c.format)
		var fe *fileError
		var ve *realty.ValidationError
		switch {
		case err == nil || !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: %v; want an error with %q", name, err, c.want)
		case c.fatal != errors.As(err, &fe):
			t.Errorf("%s: %v (%T); want fatal %v", name, err, err, c.fatal)
		case !c.fatal && !errors.As(err, &ve):
			t.Errorf("%s: %v (%T); want a validation error", name, err, err)
		case c.lines != nil && !reflect.DeepEqual(lines, c.lines):
			t.Errorf("%s: records at lines %v; want %v", name, lines, c.lines)
		}
	}
}

// failingImports is a service whose imports fail from the call numbered
// failAt on, after recording what they were given.
type failingImports struct {
	realty.Service
	calls, failAt int
	got           []int
}

func (f *failingImports) ImportProperties(_ context.Context, in []realty.NewProperty) ([]int64, error) {
	f.calls++
	if f.calls >= f.failAt {
		return nil, realty.ErrUnavailable
	}
	f.got = append(f.got, len(in))
	ids := make([]int64, len(in))
	for i := range ids {
		ids[i] = int64((f.calls-1)*realty.MaxImport + i + 1)
	}
	return ids, nil
}

// TestImportStopsAtAFailedBatch: the batches go in order, and an import
// that fails after some of them says how many were imported, which ones.
func TestImportStopsAtAFailedBatch(t *testing.T) {
	var recs []propertyRecord
	for i := range 2500 {
		recs = append(recs, propertyRecord{NewProperty: realty.NewProperty{Name: fmt.Sprint("P", i), Type: "house", City: "Lyon"}})
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, writeRecords(t, formatNDJSON, recs), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		failAt int
		want   string
		got    []int
	}{
		{99, "", []int{1000, 1000, 500}},
		{3, "2000 properties were imported (ids 1 to 2000) before this batch failed", []int{1000, 1000}},
		{1, "unavailable", nil},
	} {
		svc := &failingImports{failAt: c.failAt}
		var out, errOut bytes.Buffer
		opts := &PropertyImportOptions{File: path, Print: &Printer{IO: &IO{Out: &out, Err: &errOut}},
			Service: func(context.Context) (realty.Service, error) { return svc, nil }}
		err := propertyImportRun(context.Background(), opts)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("failing at call %d: %v; want %q", c.failAt, err, c.want)
		}
		if !reflect.DeepEqual(svc.got, c.got) {
			t.Errorf("failing at call %d: batches %v; want %v", c.failAt, svc.got, c.got)
		}
	}
}

// localImports is a failingImports that is local: it has BulkLoad.
type localImports struct{ failingImports }

func (l *localImports) BulkLoad(_ context.Context, _ int, load func() error) error { return load() }

// TestImportBatchesFitRequests: batches sent to a server stay under its
// limit of a request body; a local service gets full ones.
func TestImportBatchesFitRequests(t *testing.T) {
	var recs []propertyRecord
	for i := range 1500 {
		recs = append(recs, propertyRecord{NewProperty: realty.NewProperty{Name: fmt.Sprint("P", i), Type: "house",
			City: "Lyon", Description: strings.Repeat("é", 1500)}})
	}
	path := filepath.Join(t.TempDir(), "p.ndjson")
	if err := os.WriteFile(path, writeRecords(t, formatNDJSON, recs), 0o600); err != nil {
		t.Fatal(err)
	}
	remote, local := &failingImports{failAt: 99}, &localImports{failingImports{failAt: 99}}
	for _, svc := range []realty.Service{remote, local} {
		opts := &PropertyImportOptions{File: path, Print: &Printer{IO: &IO{Out: io.Discard, Err: io.Discard}},
			Service: func(context.Context) (realty.Service, error) { return svc, nil }}
		if err := propertyImportRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
	}
	if len(remote.got) < 5 || slices.Max(remote.got)*estimateJSON(recs[0].NewProperty) > importBatchBytes {
		t.Errorf("batches sent to a server: %v", remote.got)
	}
	if !slices.Equal(local.got, []int{1000, 500}) {
		t.Errorf("batches of a local service: %v, want 1000 and 500", local.got)
	}
}
