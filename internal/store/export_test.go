package store

// SetBeforeCommit makes every transaction run fn just before COMMIT: tests
// inject the errors a busy database returns there.
func (s *Store) SetBeforeCommit(fn func(*Tx) error) { s.beforeCommit = fn }

// ExecWriter runs a statement on the writer connection (SQLite's is one
// connection, so per-connection pragmas stay in force).
func (s *Store) ExecWriter(query string) error {
	_, err := s.write.Exec(query)
	return err
}
