package service

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// TestOnEveryCore: every index is done once, whatever the count, and the
// error is the lowest index's.
func TestOnEveryCore(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 3, 999, 1000} {
		calls := make([]atomic.Int32, n)
		err := onEveryCore(n, func(i int) error {
			calls[i].Add(1)
			if i > 0 && i%7 == 0 {
				return fmt.Errorf("item %d", i)
			}
			return nil
		})
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("n=%d: item %d done %d times", n, i, c)
			}
		}
		if want := "item 7"; (n > 7) != (err != nil) || (err != nil && err.Error() != want) {
			t.Errorf("n=%d: %v, want %q", n, err, want)
		}
	}
}
