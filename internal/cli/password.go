package cli

import "fmt"

// Passwords are read from a prompt without echo on a terminal, or from
// standard input with --password-stdin: never from a flag, where they would
// show in the shell's history and in ps.

// readPassword reads a password from stdin (--password-stdin) or a prompt.
func readPassword(io *IO, fromStdin bool, label string) (string, error) {
	if fromStdin {
		return io.ReadLine()
	}
	return io.PromptSecret(label, "pass --password-stdin and write it to standard input")
}

// newPassword reads a new password: from stdin, or typed twice on a
// terminal, where a password that would be refused is refused at once
// (not after typing it twice) and two that differ are asked again.
func newPassword(io *IO, fromStdin bool) (string, error) {
	if fromStdin {
		return io.ReadLine()
	}
	for attempt := 1; ; attempt++ {
		p, err := askUntil(io, func() (string, error) { return readPassword(io, false, "Password") }, "password")
		if err != nil {
			return "", err
		}
		again, err := io.PromptSecret("Password again", "")
		if err != nil {
			return "", err
		}
		if again == p {
			return p, nil
		}
		if attempt == promptAttempts {
			return "", usageErrorf("the two passwords differ")
		}
		fmt.Fprintln(io.Err, "  the two passwords differ; try again.")
	}
}
