package arch

import (
	"os"
	"strings"
	"testing"
)

// TestNoRawTerminalEscapes: styling goes through the styling library, which
// knows the terminal's profile; a hand-written "\x1b[1m" bypasses it.
func TestNoRawTerminalEscapes(t *testing.T) {
	eachGoFile(t, false, func(path, _ string) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, esc := range []string{`\x1b[`, `\033[`, `\u001b[`} {
			if strings.Contains(string(b), esc) {
				t.Errorf("%s writes a raw terminal escape (%s): use lipgloss", path, esc)
			}
		}
		return nil
	})
}
