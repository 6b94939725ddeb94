package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"golang.org/x/term"

	"github.com/realtyhq/realty/pkg/realty"
)

// IO is where a command reads and writes, and what it knows of the terminal.
// Tests build one with buffers and say whether it is "a terminal".
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	InTTY  bool // stdin is a terminal: prompting is allowed
	OutTTY bool // stdout is a terminal: aligned tables with headers
	ErrTTY bool // stderr is a terminal: progress redrawn in place
	Env    func(string) string

	lines *bufio.Reader
}

// SystemIO returns the process's streams and environment.
func SystemIO() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY: term.IsTerminal(int(os.Stdin.Fd())), OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())), Env: os.Getenv}
}

// Color reports whether output may use colour: on a terminal, without NO_COLOR.
func (s *IO) Color() bool { return s.OutTTY && s.Env("NO_COLOR") == "" }

// bold renders text in bold with the styling library, for the output stream:
// call it only when Color says so (nothing asks the terminal).
func (s *IO) bold(text string) string {
	return lipgloss.NewStyle().Bold(true).Render(text)
}

func (s *IO) reader() *bufio.Reader {
	if s.lines == nil {
		s.lines = bufio.NewReader(s.In)
	}
	return s.lines
}

// ReadLine reads one line of standard input, without its line ending.
func (s *IO) ReadLine() (string, error) {
	line, err := s.reader().ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("standard input ended before a line was read")
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// Prompt asks for a value on a terminal; without one it is a usage error that
// names the flag to pass instead.
func (s *IO) Prompt(label, flag string) (string, error) {
	if !s.InTTY {
		return "", usageErrorf("%s is required: pass %s (no prompt: standard input is not a terminal)", strings.ToLower(label), flag)
	}
	fmt.Fprintf(s.Err, "%s: ", label)
	return s.ReadLine()
}

// PromptSecret asks for a secret without echoing it.
func (s *IO) PromptSecret(label, hint string) (string, error) {
	if !s.InTTY {
		return "", usageErrorf("%s is required: %s (no prompt: standard input is not a terminal)", strings.ToLower(label), hint)
	}
	fmt.Fprintf(s.Err, "%s: ", label)
	if f, ok := s.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(s.Err)
		return string(b), err
	}
	return s.ReadLine()
}

// Confirm asks a yes/no question on a terminal (default no); without a
// terminal it is a usage error asking for --yes.
func (s *IO) Confirm(question string) (bool, error) {
	if !s.InTTY {
		return false, usageErrorf("confirmation required: pass --yes (no prompt: standard input is not a terminal)")
	}
	fmt.Fprintf(s.Err, "%s [y/N]: ", question)
	answer, err := s.ReadLine()
	if err != nil {
		return false, err
	}
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes", nil
}

// prompted is a required flag that may be asked for; member names what it
// sets, so that each answer is checked as it is given.
type prompted struct {
	value  *string
	flag   string
	label  string
	member string
}

// promptAttempts is how many times a prompt asks again after a refused answer.
const promptAttempts = 5

// promptMissing asks, on a terminal, for each required flag not given, and
// asks again, saying why, while an answer would be refused.
func promptMissing(io *IO, changed func(flag string) bool, flags []prompted) error {
	for _, p := range flags {
		if changed(p.flag) {
			continue
		}
		v, err := askUntil(io, func() (string, error) { return io.Prompt(p.label, "--"+p.flag) }, p.member)
		if err != nil {
			return err
		}
		*p.value = v
	}
	return nil
}

// askUntil asks until the answer passes realty.CheckMember, a few times.
func askUntil(io *IO, ask func() (string, error), member string) (string, error) {
	for attempt := 1; ; attempt++ {
		v, err := ask()
		if err != nil {
			return "", err
		}
		err = realty.CheckMember(member, v)
		if err == nil {
			return v, nil
		}
		if attempt == promptAttempts {
			return "", err
		}
		var ve *realty.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				fmt.Fprintf(io.Err, "  %s %s; try again.\n", strings.ReplaceAll(f.Field, "_", " "), f.Message)
			}
		}
	}
}
