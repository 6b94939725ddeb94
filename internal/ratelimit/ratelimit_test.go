package ratelimit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/ratelimit"
)

func TestAllOrNothing(t *testing.T) {
	t.Parallel()
	s := ratelimit.New(100)
	now := time.Unix(0, 0)
	strict := ratelimit.Limit{PerMinute: 60, Burst: 2}
	loose := ratelimit.Limit{PerMinute: 60, Burst: 3}
	for i := range 2 {
		d := s.Allow(now, 1, ratelimit.Rule{Key: "a", Limit: strict}, ratelimit.Rule{Key: "b", Limit: loose})
		if !d.OK || d.Limit != 2 || d.Remaining != 1-i {
			t.Fatalf("attempt %d: %+v; want allowed, the strict rule reported with %d left", i, d, 1-i)
		}
	}
	d := s.Allow(now, 1, ratelimit.Rule{Key: "a", Limit: strict}, ratelimit.Rule{Key: "b", Limit: loose})
	if d.OK || d.Wait <= 0 || d.Wait > time.Second || d.Remaining != 0 || d.Reset != 2*time.Second {
		t.Fatalf("third attempt: %+v; want refused for about a second, full again in 2s", d)
	}
	// The refusal took nothing from b: one more attempt on b alone passes.
	if d := s.Allow(now, 1, ratelimit.Rule{Key: "b", Limit: loose}); !d.OK {
		t.Error("a refused attempt consumed the other bucket")
	}
	if d := s.Allow(now.Add(time.Second), 1, ratelimit.Rule{Key: "a", Limit: strict}); !d.OK {
		t.Error("bucket did not refill")
	}
	if d := s.Allow(now, 5, ratelimit.Rule{Key: "c", Limit: strict}); d.OK {
		t.Error("a cost over the burst passed")
	}
	if d := s.Allow(now, 1000, ratelimit.Rule{Key: "d"}); !d.OK || d.Limit != 0 {
		t.Error("no limit refused")
	}
}

func TestMemoryIsBounded(t *testing.T) {
	t.Parallel()
	s := ratelimit.New(1000)
	now := time.Unix(0, 0)
	for i := range 50_000 {
		s.Allow(now, 1, ratelimit.Rule{Key: fmt.Sprint("k", i), Limit: ratelimit.Limit{PerMinute: 10, Burst: 10}})
	}
	if n := s.Len(); n > 1000 {
		t.Errorf("%d buckets kept, want at most 1000", n)
	}
}
