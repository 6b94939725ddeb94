package cli

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

// decodeStrictly is what every record must decode to: realty.DecodeJSON's
// result.
func decodeStrictly(b []byte) (propertyRecord, error) {
	var rec propertyRecord
	err := realty.DecodeJSON(b, &rec)
	return rec, err
}

// scanned are records the scan reads itself: export's output, and the
// JSON others write (spaces, escapes, nulls, members in any order).
func scanned(t testing.TB) [][]byte {
	lines := bytes.Split(bytes.TrimSpace(writeRecords(t, formatNDJSON, trickyRecords())), []byte("\n"))
	return append(lines,
		[]byte(`{}`),
		[]byte(` { "rooms" : [ ] , "name" : "A\"b\\c\/d\b\f\n\r\t" , "type":"house" } `),
		[]byte(`{"name":"\u00e9t\u00C9 \ud83c\udf33 \u0000","city":null,"transaction":null,"price":null,"rooms":null}`),
		[]byte(`{"id":-0,"price":1000.5,"rooms":[{},{"area":null,"level":null,"features":null},{"level":-5,"area":0.5,"features":[]}]}`),
		[]byte(`{"rooms":[{"type":"bedroom","features":["a","b\u0063"]}],"status":"sold","currency":"chf"}`),
	)
}

// TestScanReadsCommonRecords: the records export writes, and those of
// other writers' usual JSON, are read by the scan, to what
// realty.DecodeJSON reads.
func TestScanReadsCommonRecords(t *testing.T) {
	t.Parallel()
	for _, line := range scanned(t) {
		got, ok := scanRecord(line)
		if !ok {
			t.Errorf("%s: not read by the scan", line)
			continue
		}
		want, err := decodeStrictly(line)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nscan   %+v\nstrict %+v, %v", line, got, want, err)
		}
	}
}

// TestScanLeavesTheRestToDecodeJSON: what the scan does not take gets
// realty.DecodeJSON's answer, its explanation included.
func TestScanLeavesTheRestToDecodeJSON(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		`{"name":"a","name":"b"}`,         // repeated
		`{"Name":"a"}`,                    // another case
		`{"owner":1}`,                     // not a member
		`{"n\u0061me":"a"}`,               // escaped name
		`{"name":"\ud800"}`,               // lone surrogate
		`{"name":"a\x01"}`,                // control character
		"{\"name\":\"\xff\"}",             // not UTF-8
		`{"name":1}`,                      // wrong type
		`{"price":"12"}`,                  // a string for a number
		`{"price":1.234}`,                 // three decimals
		`{"rooms":[{"level":1.5}]}`,       // not whole
		`{"rooms":[{"features":[null]}]}`, // a null element
		`{"rooms":[null]}`,                // a null room
		`{"id":01}`,                       // not JSON
		`{"name":"a",}`,                   // not JSON
		`{"name":"a"} x`,                  // data after
		`[{"name":"a"}]`,                  // not an object
		`{"rooms":[{"area":-1,"level":999}]}` + "\u00a0", // no-break space after (trimmed by DecodeJSON)
	} {
		want, wantErr := decodeStrictly([]byte(line))
		got, err := decodeRecord([]byte(line))
		if !reflect.DeepEqual(got, want) || (err == nil) != (wantErr == nil) ||
			(err != nil && err.Error() != wantErr.Error()) {
			t.Errorf("%s: decodeRecord %+v, %v; DecodeJSON %+v, %v", line, got, err, want, wantErr)
		}
	}
	if _, err := decodeRecord([]byte(`{"name":"a","name":"b"}`)); !errors.Is(err, realty.ErrMalformed) {
		t.Errorf("a repeated member: %v, want malformed", err)
	}
}

// FuzzDecodeRecord: whatever the scan reads, realty.DecodeJSON reads too,
// to the same record.
func FuzzDecodeRecord(f *testing.F) {
	for _, line := range scanned(f) {
		f.Add(line)
	}
	f.Add([]byte(`{"rooms":[{"type":"a","level":-9223372036854775808}],"id":9223372036854775807}`))
	f.Add([]byte(`{"name":"` + strings.Repeat(`\u00e9\n`, 40) + `"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := scanRecord(b)
		if !ok {
			return
		}
		want, err := decodeStrictly(b)
		if err != nil {
			t.Fatalf("%q: the scan read %+v; DecodeJSON refuses it: %v", b, got, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nscan   %+v\nstrict %+v", b, got, want)
		}
	})
}

func BenchmarkDecodeRecord(b *testing.B) {
	line := bytes.SplitN(writeRecords(b, formatNDJSON, trickyRecords()), []byte("\n"), 2)[0]
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := decodeRecord(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DecodeJSON", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := decodeStrictly(line); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestCheckedRecordsKeepTheFileOrder: records decoded on several
// goroutines come back in the file's order with their lines and problems,
// a problem of the file itself last; a caller may stop at any record.
func TestCheckedRecordsKeepTheFileOrder(t *testing.T) {
	t.Parallel()
	var file bytes.Buffer
	const n = 3*checkBlock + 17
	for i := 1; i <= n; i++ {
		if i%97 == 0 {
			file.WriteString(`{"name":"Bad","type":"house","city":"Lyon","rooms":[{"type":"bedroom","area":-1}]}` + "\n")
			continue
		}
		fmt.Fprintf(&file, `{"name":"P%d","type":"house","city":"Lyon"}`+"\n", i)
	}
	for _, tc := range []struct {
		format, data, end string
	}{
		{formatNDJSON, file.String(), ""},
		{formatJSON, "[" + strings.ReplaceAll(strings.TrimSuffix(file.String(), "\n"), "\n", ",\n") + "\n", "cut short"},
	} {
		rr, _, err := openRecords(strings.NewReader(tc.data), tc.format)
		if err != nil {
			t.Fatal(err)
		}
		var got []checkedRecord
		checkedRecords(t.Context(), rr, true, func(r checkedRecord) bool { got = append(got, r); return true })
		if tc.end != "" {
			last := got[len(got)-1]
			var fe *fileError
			if !errors.As(last.err, &fe) || !strings.Contains(fe.msg, tc.end) {
				t.Errorf("%s: the last is %+v, want the file's problem", tc.format, last)
			}
			got = got[:len(got)-1]
		}
		if len(got) != n {
			t.Fatalf("%s: %d records, want %d", tc.format, len(got), n)
		}
		for i, r := range got {
			var ve *realty.ValidationError
			switch line := i + 1; {
			case r.line != line:
				t.Fatalf("%s: record %d says line %d", tc.format, i, r.line)
			case line%97 == 0 && (!errors.As(r.err, &ve) || ve.Fields[0].Field != "rooms[0].area"):
				t.Errorf("%s: line %d: %v, want its area refused", tc.format, line, r.err)
			case line%97 != 0 && (r.err != nil || r.rec.Name != fmt.Sprint("P", line)):
				t.Errorf("%s: line %d: %+v", tc.format, line, r)
			}
		}
		rr, _, _ = openRecords(strings.NewReader(tc.data), tc.format)
		seen := 0
		checkedRecords(t.Context(), rr, true, func(checkedRecord) bool { seen++; return seen < 300 })
		if seen != 300 {
			t.Errorf("%s: %d records after stopping at the 300th", tc.format, seen)
		}
	}
}
