package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

// PropertyImportOptions is what 'realty property import' works with.
type PropertyImportOptions struct {
	Service     func(context.Context) (realty.Service, error)
	Print       *Printer
	File        string // a path, or - for standard input
	Format      string // --format; "" from the extension or the content
	SkipInvalid bool
}

// newPropertyImportCmd builds 'realty property import'.
func newPropertyImportCmd(f *Factory) *cobra.Command {
	opts := &PropertyImportOptions{Service: f.Service, Print: f.Print}
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Create properties, with their rooms, from a CSV, NDJSON or JSON file",
		Long: `Create the properties of a file (as property export writes them), owned by you.
The format is --format's, or the file's extension's (.csv, .ndjson or .jsonl,
.json), or else guessed from the first character: [ JSON, { NDJSON, else CSV.
Ids in the file are ignored: every property is new.

The whole file is checked first. Every bad property is reported with its line
and member (line 12: rooms[1].area: must be greater than 0), and then nothing
is imported, unless --skip-invalid imports the others. The properties are then
created in batches of at most 1000, with progress on a terminal, and a summary.
A batch is all or nothing; if the import stops on an error after some batches,
the message says how many properties were imported.`,
		Example: `  realty property import portfolio.csv
  realty property export --city lyon | realty property import - --format csv
  realty property import listings.ndjson --skip-invalid`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			format, err := fileFormat(opts.Format, opts.File, "")
			if err != nil {
				return err
			}
			opts.Format = format
			return propertyImportRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "", "csv, ndjson or json (default: from the extension, else from the content)")
	fl.BoolVar(&opts.SkipInvalid, "skip-invalid", false, "import the valid properties even if some are not")
	_ = cmd.RegisterFlagCompletionFunc("format", completeValues(fileFormats))
	return cmd
}

// maxShownProblems bounds the problems an import lists.
const maxShownProblems = 100

// importBatchBytes bounds the estimated JSON of a batch, under the server's
// 1 MiB limit of a request body.
const importBatchBytes = 900 << 10

func propertyImportRun(ctx context.Context, opts *PropertyImportOptions) error {
	src, cleanup, err := importSource(opts.Print.IO, opts.File)
	if err != nil {
		return err
	}
	defer cleanup()

	// First pass: every record checked, nothing written.
	rr, format, err := openRecords(src, opts.Format)
	var fe *fileError
	if errors.As(err, &fe) {
		return fe.invalid()
	}
	if err != nil {
		return err
	}
	var bad realty.Problems
	valid, invalid, shown := 0, 0, 0
	for {
		_, line, err := nextChecked(rr)
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			valid++
			continue
		}
		if errors.As(err, &fe) { // the file itself: nothing can be read after it
			bad.Merge("", fe.invalid())
			invalid++
			break
		}
		var ve *realty.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		invalid++
		for _, f := range ve.Fields {
			if shown++; shown <= maxShownProblems {
				bad.Add(fmt.Sprintf("line %d: %s", line, f.Field), "%s", f.Message)
			}
		}
	}
	if shown > maxShownProblems {
		bad.Add("file", "%d more problems not shown", shown-maxShownProblems)
	}
	if fe != nil {
		opts.Print.Status("%s cannot be read past line %d; nothing was imported.", opts.File, fe.line)
		return bad.Err()
	}
	if invalid > 0 && !opts.SkipInvalid {
		opts.Print.Status("%d of %d properties are invalid; nothing was imported (--skip-invalid imports the others).",
			invalid, valid+invalid)
		return bad.Err()
	}
	var ve *realty.ValidationError
	if errors.As(bad.Err(), &ve) {
		for _, f := range ve.Fields {
			opts.Print.Status("skipped: %s: %s", f.Field, f.Message)
		}
	}

	// Second pass: the valid records, in batches.
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if rr, _, err = openRecords(src, format); err != nil {
		return err
	}
	svc, err := opts.Service(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(opts.Print.IO, "Importing", valid)
	done := 0
	var firstID, lastID int64
	err = bulkImport(ctx, svc, valid, func() error {
		// Batches are read and checked in a goroutine while the one before
		// is written, in order: decoding the file and writing the database
		// take a core each.
		rctx, stop := context.WithCancel(ctx)
		defer stop()
		batches, readErr := readBatches(rctx, rr)
		for batch := range batches {
			ids, err := svc.ImportProperties(ctx, batch)
			if err != nil && done > 0 {
				err = fmt.Errorf("%d properties were imported (ids %d to %d) before this batch failed: %w",
					done, firstID, lastID, err)
			}
			if err != nil {
				stop() // and wait for the reader, which uses the file
				for range batches {
				}
				<-readErr
				return err
			}
			if done == 0 {
				firstID = ids[0]
			}
			done, lastID = done+len(ids), ids[len(ids)-1]
			bar.add(len(ids))
		}
		return <-readErr
	})
	if err != nil {
		return err
	}
	bar.finish()
	if opts.Print.Machine() {
		return opts.Print.JSONOut(map[string]any{"imported": done, "skipped": invalid, "first_id": firstID, "last_id": lastID})
	}
	elapsed := time.Since(start)
	opts.Print.Status("Imported %d properties from %s (%s) in %s, %.0f/s; %d invalid skipped.", done, opts.File,
		format, elapsed.Round(time.Millisecond), float64(done)/max(elapsed.Seconds(), 1e-9), invalid)
	return nil
}

// bulkLoader is a service that can run a large import its fastest way
// (the local one: see service's BulkLoad).
type bulkLoader interface {
	BulkLoad(ctx context.Context, n int, load func() error) error
}

// bulkImport runs load, which imports about n properties through svc, as
// svc runs large imports best.
func bulkImport(ctx context.Context, svc realty.Service, n int, load func() error) error {
	if b, ok := svc.(bulkLoader); ok {
		return b.BulkLoad(ctx, n, load)
	}
	return load()
}

// readBatches sends the valid records of rr in batches of at most
// realty.MaxImport properties and importBatchBytes of JSON, then the
// reading's error (nil at the end of the file) on the second channel. It
// stops when ctx is done.
func readBatches(ctx context.Context, rr recordReader) (<-chan []realty.NewProperty, <-chan error) {
	out, errc := make(chan []realty.NewProperty, 1), make(chan error, 1)
	go func() {
		defer close(out)
		batch, size := make([]realty.NewProperty, 0, realty.MaxImport), 0
		send := func() bool {
			select {
			case out <- batch:
				batch, size = make([]realty.NewProperty, 0, realty.MaxImport), 0
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			rec, _, err := nextChecked(rr)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				continue // reported by the first pass (--skip-invalid)
			}
			n := estimateJSON(rec.NewProperty)
			if len(batch) == realty.MaxImport || (len(batch) > 0 && size+n > importBatchBytes) {
				if !send() {
					errc <- ctx.Err()
					return
				}
			}
			batch, size = append(batch, rec.NewProperty), size+n
		}
		if len(batch) > 0 && !send() {
			errc <- ctx.Err()
			return
		}
		errc <- nil
	}()
	return out, errc
}

// nextChecked reads the next record and validates it as the service will.
func nextChecked(rr recordReader) (propertyRecord, int, error) {
	rec, line, err := rr.next()
	if err == nil {
		err = rec.Normalized().Validate()
	}
	return rec, line, err
}

// importSource opens the file to import, or copies standard input to a
// temporary file, which an import reads twice.
func importSource(s *IO, path string) (io.ReadSeeker, func(), error) {
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		return f, func() { f.Close() }, nil
	}
	tmp, err := os.CreateTemp("", "realty-import-*")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, s.In); err != nil {
		cleanup()
		return nil, nil, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, nil, err
	}
	return tmp, cleanup, nil
}

// estimateJSON is an upper estimate of a property's JSON in bytes.
func estimateJSON(p realty.NewProperty) int {
	n := 300 + 2*(len(p.Name)+len(p.Description)+len(p.City))
	for _, r := range p.Rooms {
		n += 150 + 2*(len(r.Name)+len(r.Description))
		for _, f := range r.Features {
			n += 4 + 2*len(f)
		}
	}
	return n
}
