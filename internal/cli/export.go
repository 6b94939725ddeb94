package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

// newPropertyExportCmd builds 'realty property export'.
func newPropertyExportCmd(f *Factory) *cobra.Command {
	opts := &PropertyListOptions{Service: f.Service, Print: f.Print}
	var format, output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every matching property, with its rooms, to a CSV, NDJSON or JSON file",
		Long: `Write every property that the filters select (those of property list; all of
them without any), with its rooms, in the order of --sort, to standard output or
to --output. Memory stays flat whatever the number: the properties are read and
written a page at a time. property import reads the same files back.

Formats (--format, or the extension of --output, or else csv):
  csv     RFC 4180, UTF-8, a header line, the columns
          id,name,type,city,description,transaction,price,currency,status,rooms
          rooms: one room a line in the cell, as property create's --room
          takes it: bedroom,name=Master,area=12.5,level=1,feature=balcony
  ndjson  one JSON object a line: the API's shape of a new property, and its id
  json    a JSON array of the same objects`,
		Example: `  realty property export -o portfolio.csv
  realty property export --city lyon --transaction sale --sort price --format ndjson > lyon.ndjson
  realty property export --owner me -o mine.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmtName, err := fileFormat(format, output, formatCSV)
			if err != nil {
				return err
			}
			return propertyExportRun(cmd.Context(), opts, fmtName, output)
		},
	}
	addListFilterFlags(cmd, f, opts)
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "", "csv, ndjson or json (default: from --output's extension, else csv)")
	fl.StringVarP(&output, "output", "o", "", "the file to write (written whole or not at all); - or none: standard output")
	_ = cmd.RegisterFlagCompletionFunc("format", completeValues(fileFormats))
	return cmd
}

// exportPage is how many properties an export reads at a time.
const exportPage = realty.MaxPageSize

func propertyExportRun(ctx context.Context, opts *PropertyListOptions, format, output string) error {
	svc, filter, err := opts.resolve(ctx)
	if err != nil {
		return err
	}
	filter.Limit = exportPage
	streams := opts.Print.IO
	var out io.Writer = streams.Out
	var file *os.File
	if output != "" && output != "-" {
		// A temporary file beside the target, renamed over it at the end: a
		// failed export leaves the target as it was.
		file, err = os.CreateTemp(filepath.Dir(output), "."+filepath.Base(output)+".*")
		if err != nil {
			return err
		}
		// The mode of the file it replaces, or of a new file (CreateTemp
		// makes it 0600): properties are public, as is their export.
		mode := os.FileMode(0o644)
		if fi, err := os.Stat(output); err == nil {
			mode = fi.Mode().Perm()
		}
		if err := file.Chmod(mode); err != nil {
			return err
		}
		defer os.Remove(file.Name()) // a no-op once renamed
		defer file.Close()
		out = file
	}
	w, err := newRecordWriter(out, format)
	if err != nil {
		return err
	}
	n, start, last := 0, time.Now(), time.Time{}
	for {
		page, err := svc.PropertiesWithRooms(ctx, filter)
		if err != nil {
			return renameFields(err, listFlags)
		}
		for _, p := range page.Items {
			if err := w.write(recordOf(p)); err != nil {
				return err
			}
		}
		n += len(page.Items)
		if streams.ErrTTY && time.Since(last) >= redraw {
			last = time.Now()
			fmt.Fprintf(streams.Err, "%sExporting: %d properties", clearLine, n)
		}
		if filter.Cursor = page.NextCursor; filter.Cursor == "" {
			break
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	where := "standard output"
	if file != nil {
		if err := file.Sync(); err != nil {
			return err
		}
		if err := file.Close(); err != nil {
			return err
		}
		if err := os.Rename(file.Name(), output); err != nil {
			return err
		}
		where = output
	}
	if streams.ErrTTY {
		fmt.Fprint(streams.Err, clearLine)
	}
	opts.Print.Status("Exported %s to %s (%s, %s).", counted(n, "property", "properties"), where, format, time.Since(start).Round(time.Millisecond))
	return nil
}
