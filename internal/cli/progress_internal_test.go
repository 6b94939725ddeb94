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

// TestProgressPause: a wait is said on the terminal's line, after the
// count, each time; piped, on a line of its own, at most once a minute.
func TestProgressPause(t *testing.T) {
	start := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	const wait = "waiting 3s: the server's limit of writes"
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		p := newProgress(&IO{Err: &out, ErrTTY: tty}, "Importing", 10000)
		var clock time.Time
		p.now, p.start = func() time.Time { return clock }, start
		p.done = 1000
		for _, at := range []time.Duration{time.Second, 59 * time.Second, 61 * time.Second} {
			clock = start.Add(at)
			p.pause(2600*time.Millisecond, "the server's limit of writes")
		}
		want := "Importing: " + wait + "\nImporting: " + wait + "\n" // at 1 s and 61 s
		if tty {
			want = clearLine + "[==                  ] Importing: 1 000 of 10 000 (10%) · 1 000/s · about 9s left · " + wait
		}
		if got := out.String(); (!tty && got != want) || (tty && (!strings.HasPrefix(got, want) ||
			strings.Count(got, clearLine) != 3 || !strings.HasSuffix(got, wait))) {
			t.Errorf("tty %v: %q, want %q", tty, got, want)
		}
	}
}
