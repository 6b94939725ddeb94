package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/itchyny/gojq"
)

// Printer writes a command's output on the IO streams: JSON for scripts
// (--json, --jq), tables and fields for people, status lines on stderr.
type Printer struct {
	IO   *IO
	JSON bool   // --json
	JQ   string // --jq
}

// JSONOut writes v as the API writes it, or what --jq makes of it.
func (p *Printer) JSONOut(v any) error {
	if p.JQ == "" {
		enc := json.NewEncoder(p.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	return runJQ(p.IO.Out, p.JQ, v)
}

// Machine reports whether the output is JSON (--json or --jq).
func (p *Printer) Machine() bool { return p.JSON || p.JQ != "" }

// runJQ filters v with a jq expression; strings print raw, as 'jq -r' (and gh) do.
func runJQ(w io.Writer, expr string, v any) error {
	q, err := gojq.Parse(expr)
	if err != nil {
		return usageErrorf("invalid --jq expression: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return err
	}
	iter := q.Run(generic)
	for {
		out, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := out.(error); isErr {
			return fmt.Errorf("--jq: %w", err)
		}
		if s, isStr := out.(string); isStr {
			fmt.Fprintln(w, s)
			continue
		}
		b, err := gojq.Marshal(out)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, string(b))
	}
}

// table writes rows: aligned under a header on a terminal, tab-separated
// without header when piped (for cut, awk, sort...).
type table struct {
	io      *IO
	headers []string
	rows    [][]string
}

func newTable(s *IO, headers ...string) *table { return &table{io: s, headers: headers} }

func (t *table) add(cells ...string) {
	for i, c := range cells {
		cells[i] = oneLine(c)
	}
	t.rows = append(t.rows, cells)
}

func (t *table) print() error {
	if !t.io.OutTTY {
		for _, r := range t.rows {
			if _, err := fmt.Fprintln(t.io.Out, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.headers, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	out := buf.String()
	if t.io.Color() { // bold header, added after alignment so escapes take no width
		header, rest, _ := strings.Cut(out, "\n")
		out = t.io.bold(strings.TrimRight(header, " ")) + "\n" + rest
	}
	_, err := io.WriteString(t.io.Out, out)
	return err
}

// oneLine keeps a cell on one line and out of the column separators.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// Fields writes "name value" pairs: aligned on a terminal, tab-separated when piped.
func (p *Printer) Fields(pairs ...[2]string) error {
	t := &table{io: p.IO}
	for _, p := range pairs {
		t.add(p[0], p[1])
	}
	if !p.IO.OutTTY {
		return t.print()
	}
	tw := tabwriter.NewWriter(p.IO.Out, 0, 4, 2, ' ', 0)
	for _, r := range t.rows {
		label := r[0] + ":"
		if p.IO.Color() {
			label = p.IO.bold(label)
		}
		fmt.Fprintf(tw, "%s\t%s\n", label, r[1])
	}
	return tw.Flush()
}

// Status writes a message for people to stderr (never parsed, never data).
func (p *Printer) Status(format string, args ...any) {
	fmt.Fprintf(p.IO.Err, format+"\n", args...)
}

// counted is a count and its noun for Status: counted(1, "property",
// "properties") is "1 property", counted(2, ...) "2 properties".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
