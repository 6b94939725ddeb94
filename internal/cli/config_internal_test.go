package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentCredentialUpdatesKeepEveryEntry: log-ins to 20 backends at
// once with one configuration directory leave 20 entries. Without the lock,
// read-modify-write cycles overwrote each other's entries.
func TestConcurrentCredentialUpdatesKeepEveryEntry(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "realty")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			errs <- updateCredentials(dir, func(cf *credentialsFile) {
				cf.Backends[fmt.Sprintf("sqlite:/db%d", i)] = credential{Token: fmt.Sprint("rty_", i)}
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := loadCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.Backends) != 20 {
		t.Errorf("%d of 20 entries kept", len(cf.Backends))
	}
	st, err := os.Stat(filepath.Join(dir, credentialsName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, credentialsName+".*[0-9]")); len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}
