package cli

import (
	"time"

	"github.com/spf13/cobra"
)

func newMigrateCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply or inspect database migrations",
		Long: `Apply the schema migrations embedded in this binary, or list them. Commands
migrate a database that is behind by themselves; this is for MySQL databases
shared by several servers, and for checking. 'migrate up' creates a local
database that does not exist yet; 'migrate status' never does.`,
		Args: noArgs,
	}
	cmd.AddCommand(newMigrateUpCmd(f), newMigrateStatusCmd(f))
	return cmd
}

func newMigrateUpCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "up",
		Short:   "Apply every pending migration",
		Long:    "Apply every pending migration, holding a lock so that two processes never migrate at once.",
		Example: "  realty migrate up --db mysql://realty:secret@db:3306/realty",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			done, err := st.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			for _, m := range done {
				f.Print.Status("Applied %04d_%s.", m.Version, m.Name)
			}
			if len(done) == 0 {
				f.Print.Status("%s is up to date.", st)
			}
			return nil
		},
	}
}

func newMigrateStatusCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "status",
		Short:   "List migrations and whether they are applied",
		Example: "  realty migrate status",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := f.MigrationStatus(cmd.Context())
			if err != nil {
				return err
			}
			type row struct {
				Version   int        `json:"version"`
				Name      string     `json:"name"`
				AppliedAt *time.Time `json:"applied_at"`
			}
			rows := make([]row, len(list))
			t := newTable(f.IO, "VERSION", "NAME", "APPLIED")
			for i, m := range list {
				rows[i] = row{Version: m.Version, Name: m.Name}
				applied := "pending"
				if !m.AppliedAt.IsZero() {
					at := m.AppliedAt.UTC()
					rows[i].AppliedAt, applied = &at, at.Format(time.RFC3339)
				}
				t.add(itoa(int64(m.Version)), m.Name, applied)
			}
			if f.Print.Machine() {
				return f.Print.JSONOut(rows)
			}
			return t.print()
		},
	}
}
