package store

// SetBeforeCommit makes every transaction run fn just before COMMIT: tests
// inject the errors a busy database returns there.
func (s *Store) SetBeforeCommit(fn func(*Tx) error) { s.beforeCommit = fn }
