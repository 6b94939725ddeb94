package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

func TestHashingSlotsAreSizedFromTheMemoryBudget(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		budget int64
		want   int
	}{{64 << 20, 3}, {19 << 20, 1}, {1, 1}, {0, 3}, {200 << 20, 10}} {
		if got := cap(newHashing(Limits{HashMemory: c.budget}, DefaultArgon2).slots); got != c.want {
			t.Errorf("budget %d: %d slots, want %d", c.budget, got, c.want)
		}
	}
}

func TestHashingIsBounded(t *testing.T) {
	t.Parallel()
	h := newHashing(Limits{HashMemory: 1, HashQueueWait: 20 * time.Millisecond}, DefaultArgon2) // one slot
	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() { done <- h.run(context.Background(), false, func() { close(inside); <-release }) }()
	<-inside

	// The slot is taken: a second hash waits, then gives up with 503.
	ran := false
	err := h.run(context.Background(), false, func() { ran = true })
	var rl *realty.RetryLater
	if !errors.Is(err, realty.ErrUnavailable) || !errors.As(err, &rl) || ran {
		t.Errorf("full: %v (ran %v); want unavailable with a retry delay, not run", err, ran)
	}
	// A caller that has gone costs nothing, waiting or not.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.run(ctx, false, func() { ran = true }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("gone caller: %v (ran %v)", err, ran)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := h.run(context.Background(), false, func() { ran = true }); err != nil || !ran {
		t.Errorf("after release: %v (ran %v)", err, ran)
	}
}

// TestSignupsLeaveALogInSlot: sign-ups fill every slot they may; a log-in
// still gets the last one at once.
func TestSignupsLeaveALogInSlot(t *testing.T) {
	t.Parallel()
	h := newHashing(Limits{HashMemory: 3 * 19 << 20, HashQueueWait: 20 * time.Millisecond}, DefaultArgon2) // three slots
	release := make(chan struct{})
	inside := make(chan struct{}, 2)
	done := make(chan error, 2)
	for range 2 {
		go func() { done <- h.run(context.Background(), true, func() { inside <- struct{}{}; <-release }) }()
	}
	<-inside
	<-inside
	if err := h.run(context.Background(), true, func() {}); !errors.Is(err, realty.ErrUnavailable) {
		t.Errorf("a third sign-up: %v; want unavailable (the last slot is the log-ins')", err)
	}
	ran := false
	if err := h.run(context.Background(), false, func() { ran = true }); err != nil || !ran {
		t.Errorf("a log-in while sign-ups fill their slots: %v (ran %v)", err, ran)
	}
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
