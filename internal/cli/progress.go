package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// clearLine returns to the start of the line and erases it.
const clearLine = "\r" + ansi.EraseLineRight

// progress reports long work (realty demo --properties, imports): on a
// terminal, one line redrawn in place at most every redraw, with a bar,
// the count, the rate and the time left; piped, a plain line at every
// tenth of the work, so that logs stay short and readable.
type progress struct {
	w           io.Writer
	tty         bool
	what        string
	total, done int
	start, last time.Time
	tenth       int       // piped: the last tenth reported
	paused      time.Time // piped: when a wait was last reported
	now         func() time.Time
}

// redraw is how often a terminal's progress line changes at most.
const redraw = 200 * time.Millisecond

func newProgress(s *IO, what string, total int) *progress {
	p := &progress{w: s.Err, tty: s.ErrTTY, what: what, total: total, now: time.Now}
	p.start = p.now()
	return p
}

// add counts n more items done and reports when it is time.
func (p *progress) add(n int) {
	p.done += n
	now := p.now()
	if p.tty {
		if now.Sub(p.last) >= redraw || p.done >= p.total {
			p.last = now
			fmt.Fprint(p.w, clearLine+p.line(now, true))
		}
		return
	}
	if tenth := p.done * 10 / max(1, p.total); tenth > p.tenth && p.done < p.total {
		p.tenth = tenth
		fmt.Fprintln(p.w, p.line(now, false))
	}
}

// pause reports a wait of d before the work goes on, and why: on a
// terminal, on the progress line; piped, on a line of its own, at most
// once a minute (a server's limit may make a wait of every request).
func (p *progress) pause(d time.Duration, why string) {
	msg := fmt.Sprintf("waiting %s: %s", d.Round(time.Second), why)
	now := p.now()
	if p.tty {
		p.last = now
		fmt.Fprint(p.w, clearLine+p.line(now, true)+" · "+msg)
		return
	}
	if p.paused.IsZero() || now.Sub(p.paused) >= time.Minute {
		p.paused = now
		fmt.Fprintf(p.w, "%s: %s\n", p.what, msg)
	}
}

// finish ends the report with the total and the time it took.
func (p *progress) finish() {
	elapsed := p.now().Sub(p.start)
	if p.tty {
		fmt.Fprint(p.w, clearLine)
	}
	fmt.Fprintf(p.w, "%s: %s in %s (%s/s)\n", p.what, count(p.done), elapsed.Round(time.Millisecond), count(rate(p.done, elapsed)))
}

func (p *progress) line(now time.Time, bar bool) string {
	elapsed := now.Sub(p.start)
	pct := p.done * 100 / max(1, p.total)
	s := fmt.Sprintf("%s: %s of %s (%d%%)", p.what, count(p.done), count(p.total), pct)
	if bar {
		const width = 20
		filled := min(width, p.done*width/max(1, p.total))
		s = "[" + strings.Repeat("=", filled) + strings.Repeat(" ", width-filled) + "] " + s
	}
	if r := rate(p.done, elapsed); r > 0 {
		left := time.Duration(float64(p.total-p.done) / float64(r) * float64(time.Second))
		s += fmt.Sprintf(" · %s/s · about %s left", count(r), left.Round(time.Second))
	}
	return s
}

func rate(n int, d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(float64(n) / d.Seconds())
}

// count writes a number with thin groups of thousands: 200 000.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}
