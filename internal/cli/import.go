package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
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
Through a server that limits each user's writes (realty serve --write-limit),
the import waits when refused for a while, as long as the server says, and
goes on with smaller batches. If the import stops on an error, the properties
before it stay imported and the message says how many and which (their ids);
none after it are.`,
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

// importBatchBytes bounds the estimated JSON of a batch sent to a server,
// under its 1 MiB limit of a request body. A local service takes full
// batches (bulk loads on MySQL write batches of 1000 in two parts at once).
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
	var readErr error
	valid, invalid, shown := 0, 0, 0
	skip := map[int]bool{} // the lines of invalid records, which the second pass does not check again
	checkedRecords(ctx, rr, true, func(r checkedRecord) bool {
		if r.err == nil {
			valid++
			return true
		}
		if errors.As(r.err, &fe) { // the file itself: nothing can be read after it
			bad.Merge("", fe.invalid())
			invalid++
			return false
		}
		var ve *realty.ValidationError
		if !errors.As(r.err, &ve) {
			readErr = r.err
			return false
		}
		invalid++
		skip[r.line] = true
		for _, f := range ve.Fields {
			if shown++; shown <= maxShownProblems {
				bad.Add(fmt.Sprintf("line %d: %s", r.line, f.Field), "%s", f.Message)
			}
		}
		return true
	})
	if readErr != nil {
		return readErr
	}
	if shown > maxShownProblems {
		bad.Add("file", "%d more problems not shown", shown-maxShownProblems)
	}
	if fe != nil {
		opts.Print.Status("%s cannot be read past line %d; nothing was imported.", opts.File, fe.line)
		return bad.Err()
	}
	if invalid > 0 && !opts.SkipInvalid {
		verb := "are"
		if invalid == 1 {
			verb = "is"
		}
		opts.Print.Status("%d of %s %s invalid; nothing was imported (--skip-invalid imports the others).",
			invalid, counted(valid+invalid, "property", "properties"), verb)
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
		maxBytes := importBatchBytes
		if _, local := svc.(bulkLoader); local {
			maxBytes = 0
		}
		batches, readErr := readBatches(rctx, rr, skip, maxBytes)
		pace := newPacer(svc, func(d time.Duration) { bar.pause(d, "the server's limit of writes") })
		for batch := range batches {
			ids, err := pace.importBatch(ctx, batch)
			if len(ids) > 0 {
				if done == 0 {
					firstID = ids[0]
				}
				done, lastID = done+len(ids), ids[len(ids)-1]
				bar.add(len(ids))
			}
			if err != nil && done > 0 {
				err = fmt.Errorf("%s imported (ids %d to %d) before this batch failed: %w",
					counted(done, "property was", "properties were"), firstID, lastID, err)
			}
			if err != nil {
				stop() // and wait for the reader, which uses the file
				for range batches {
				}
				<-readErr
				return err
			}
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
	opts.Print.Status("Imported %s from %s (%s) in %s, %.0f/s; %d invalid skipped.", counted(done, "property", "properties"), opts.File,
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

// readBatches sends the records of rr, but for those at the lines of skip
// (found invalid by the first pass) and those that cannot be decoded, in
// batches of at most realty.MaxImport properties and, unless it is 0,
// maxBytes of JSON, then the reading's error (nil at the end of the file)
// on the second channel. It stops when ctx is done.
func readBatches(ctx context.Context, rr recordReader, skip map[int]bool, maxBytes int) (<-chan []realty.NewProperty, <-chan error) {
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
		stopped := false
		checkedRecords(ctx, rr, false, func(r checkedRecord) bool {
			if r.err != nil || skip[r.line] {
				return true // reported by the first pass (--skip-invalid)
			}
			n := 0 // the record's estimated JSON, when batches are bounded by it
			if maxBytes > 0 {
				n = estimateJSON(r.rec.NewProperty)
			}
			if len(batch) == realty.MaxImport || (maxBytes > 0 && len(batch) > 0 && size+n > maxBytes) {
				if stopped = !send(); stopped {
					return false
				}
			}
			batch, size = append(batch, r.rec.NewProperty), size+n
			return true
		})
		if stopped || (len(batch) > 0 && !send()) {
			errc <- ctx.Err()
			return
		}
		errc <- nil
	}()
	return out, errc
}

// checkedRecord is a record of a file, its line, and what is wrong with it:
// a *realty.ValidationError for the record, or an error of the file that
// ends the reading.
type checkedRecord struct {
	rec  propertyRecord
	line int
	err  error
}

// checked is a record as read (err: why it could not be) and, if validate,
// validated as the service will.
func checked(rec propertyRecord, line int, err error, validate bool) checkedRecord {
	if err == nil && validate {
		err = rec.Normalized().Validate()
	}
	return checkedRecord{rec, line, err}
}

// checkBlock is how many records a goroutine of checkedRecords decodes at a
// time.
const checkBlock = 256

// checkedRecords calls yield with each record of rr, decoded and, if
// validate, validated, in the file's order, until the end of the file, an
// error of the file (its last call), or yield returns false. The records of a rawReader are decoded and
// validated on every core, a block at a time: a million took 7.4 s on one.
func checkedRecords(ctx context.Context, rr recordReader, validate bool, yield func(checkedRecord) bool) {
	raws, ok := rr.(rawReader)
	if !ok {
		for {
			rec, line, err := rr.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(checked(rec, line, err, validate)) {
				return
			}
		}
	}
	type block struct {
		raws [][]byte
		out  []checkedRecord // the records; after them, maybe the error that ended the file
		done chan struct{}
	}
	// On return, the goroutines are stopped and waited for: the file is
	// the caller's again.
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	workers := runtime.GOMAXPROCS(0)
	jobs, inOrder := make(chan *block, workers), make(chan *block, 2*workers)
	wg.Go(func() { // cuts the records out, a block at a time
		defer close(jobs)
		defer close(inOrder)
		for end := false; !end; {
			b := &block{done: make(chan struct{})}
			for len(b.raws) < checkBlock {
				raw, line, err := raws.raw()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						b.out = append(b.out, checkedRecord{line: line, err: err})
					}
					end = true
					break
				}
				b.raws = append(b.raws, raw)
				b.out = append(b.out, checkedRecord{line: line})
			}
			for _, ch := range []chan *block{inOrder, jobs} {
				select {
				case ch <- b:
				case <-ctx.Done():
					return
				}
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				for i, raw := range b.raws {
					rec, err := decodeRecord(raw)
					b.out[i] = checked(rec, b.out[i].line, err, validate)
				}
				close(b.done)
			}
		})
	}
	for b := range inOrder {
		select {
		case <-b.done:
		case <-ctx.Done():
			return
		}
		for _, r := range b.out {
			if !yield(r) {
				return
			}
		}
	}
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
