package ratelimit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/ratelimit"
)

func TestAllOrNothing(t *testing.T) {
	s := ratelimit.New(100)
	now := time.Unix(0, 0)
	strict := ratelimit.Limit{PerMinute: 60, Burst: 2}
	loose := ratelimit.Limit{PerMinute: 60, Burst: 3}
	for i := range 2 {
		if ok, _ := s.Allow(now, 1, ratelimit.Rule{Key: "a", Limit: strict}, ratelimit.Rule{Key: "b", Limit: loose}); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	ok, wait := s.Allow(now, 1, ratelimit.Rule{Key: "a", Limit: strict}, ratelimit.Rule{Key: "b", Limit: loose})
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("third attempt: %v, wait %v; want refused for about a second", ok, wait)
	}
	// The refusal took nothing from b: one more attempt on b alone passes.
	if ok, _ := s.Allow(now, 1, ratelimit.Rule{Key: "b", Limit: loose}); !ok {
		t.Error("a refused attempt consumed the other bucket")
	}
	if ok, _ := s.Allow(now.Add(time.Second), 1, ratelimit.Rule{Key: "a", Limit: strict}); !ok {
		t.Error("bucket did not refill")
	}
	if ok, _ := s.Allow(now, 5, ratelimit.Rule{Key: "c", Limit: strict}); ok {
		t.Error("a cost over the burst passed")
	}
	if ok, _ := s.Allow(now, 1000, ratelimit.Rule{Key: "d"}); !ok {
		t.Error("no limit refused")
	}
}

func TestMemoryIsBounded(t *testing.T) {
	s := ratelimit.New(1000)
	now := time.Unix(0, 0)
	for i := range 50_000 {
		s.Allow(now, 1, ratelimit.Rule{Key: fmt.Sprint("k", i), Limit: ratelimit.Limit{PerMinute: 10, Burst: 10}})
	}
	if n := s.Len(); n > 1000 {
		t.Errorf("%d buckets kept, want at most 1000", n)
	}
}
