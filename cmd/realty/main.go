// Command realty manages real-estate properties, their rooms and their
// owners: a CLI on a local SQLite database or MySQL. See 'realty --help'.
package main

import (
	"os"

	"github.com/realtyhq/realty/internal/cli"
)

func main() { os.Exit(cli.Main()) }
