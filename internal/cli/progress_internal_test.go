package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress: piped, a plain line at each tenth with the rate and the time
// left; on a terminal, one line redrawn in place, at most every 200 ms.
func TestProgress(t *testing.T) {
	clock := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var piped bytes.Buffer
	p := newProgress(&IO{Err: &piped}, "Importing", 200000)
	p.now, p.start = now, clock
	for range 200 {
		clock = clock.Add(50 * time.Millisecond)
		p.add(1000)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(piped.String()), "\n")
	if len(lines) != 10 || lines[0] != "Importing: 20 000 of 200 000 (10%) · 20 000/s · about 9s left" ||
		lines[9] != "Importing: 200 000 in 10s (20 000/s)" || strings.Contains(piped.String(), "\r") {
		t.Errorf("piped progress:\n%s", piped.String())
	}

	var tty bytes.Buffer
	p = newProgress(&IO{Err: &tty, ErrTTY: true}, "Importing", 200000)
	p.now, p.start = now, clock
	for range 200 {
		clock = clock.Add(50 * time.Millisecond)
		p.add(1000)
	}
	p.finish()
	// The first add, every 4th (200 ms) after it, the last, and the clearing.
	if n := strings.Count(tty.String(), clearLine); n != 52 {
		t.Errorf("%d redraws, want 52", n)
	}
	if !strings.Contains(tty.String(), clearLine+"[==========          ] Importing: 101 000 of 200 000 (50%) · 20 000/s · about 5s left\r") ||
		!strings.HasSuffix(tty.String(), clearLine+"Importing: 200 000 in 10s (20 000/s)\n") {
		t.Errorf("terminal progress: %q", tty.String()[:200])
	}
}
