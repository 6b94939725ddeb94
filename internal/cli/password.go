package cli

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

// newPassword reads a new password: from stdin, or typed twice on a terminal.
func newPassword(io *IO, fromStdin bool) (string, error) {
	p, err := readPassword(io, fromStdin, "Password")
	if err != nil || fromStdin {
		return p, err
	}
	again, err := io.PromptSecret("Password again", "")
	if err != nil {
		return "", err
	}
	if again != p {
		return "", usageErrorf("the two passwords differ")
	}
	return p, nil
}
