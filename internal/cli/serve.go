package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
)

// ServeOptions is what 'realty serve' works with.
type ServeOptions struct {
	Factory        *Factory // opens the database
	Addr           string
	LogFormat      string
	Migrate        bool
	Drain          time.Duration
	RequestTimeout time.Duration
	TrustProxy     bool
	CORSOrigins    []string
	Server         server.Config // the limits of the flags
	Limits         service.Limits
	HashMemoryMiB  int
}

// NewCmdServe builds 'realty serve'; runF, when not nil, replaces serveRun.
func NewCmdServe(f *Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the REST API",
		Long: `Serve the REST API (JSON under /v1, documented at /docs and /openapi.json)
on the database --db or REALTY_DB names: the local SQLite file by default, or
MySQL. It migrates the database on start unless --migrate=false; several
servers may share one MySQL database. SIGINT or SIGTERM stop it gracefully:
it stops accepting connections and finishes the requests in flight.

Limits (per process; answers 429 or 503 with Retry-After past them): log-ins
per email and address, per email and per address; sign-ups per address;
writes per user; and the memory that password hashing may use at once, which
bounds how many hashes run in parallel.

Operations: /healthz (alive), /readyz (database reachable and schema
current), /metrics (Prometheus). Logs are one JSON line per request on
standard error, without tokens, passwords or bodies.`,
		Example: `  realty serve
  realty serve --addr 127.0.0.1:9000 --db mysql://realty:secret@db:3306/realty
  REALTY_DB=mysql://realty:secret@db:3306/realty realty serve --migrate=false`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", ":8080", "address to listen on, host:port")
	fl.BoolVar(&opts.Migrate, "migrate", true, "apply pending migrations on start")
	fl.DurationVar(&opts.Drain, "shutdown-timeout", 15*time.Second, "how long to wait for requests in flight on SIGINT/SIGTERM")
	fl.DurationVar(&opts.RequestTimeout, "request-timeout", 10*time.Second, "deadline of each request's work")
	fl.BoolVar(&opts.TrustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a proxy that sets it)")
	fl.StringVar(&opts.LogFormat, "log-format", "json", "log format: json or text")
	fl.StringArrayVar(&opts.CORSOrigins, "cors-origin", nil, "a browser origin allowed to call the API, such as https://app.example.com, or * (repeatable)")
	fl.IntVar(&opts.Server.LoginPerEmailAddress, "login-limit", 10, "log-in attempts per minute for one email from one client address (0: no limit, as for every limit)")
	fl.IntVar(&opts.Server.LoginPerEmail, "login-limit-email", 60, "log-in attempts per minute for one email from all addresses")
	fl.IntVar(&opts.Server.LoginPerAddress, "login-limit-address", 30, "log-in attempts per minute from one client address")
	fl.IntVar(&opts.Server.SignupsPerAddress, "signup-limit", 10, "registrations per minute from one client address")
	fl.IntVar(&opts.Limits.Writes.PerMinute, "write-limit", 120, "writes per minute per user, a batch import costing one per 100 properties (0: no limit)")
	fl.IntVar(&opts.HashMemoryMiB, "hash-memory", service.DefaultHashMemory>>20, "MiB that password hashing may use at once (19 MiB per hash in parallel)")
	fl.DurationVar(&opts.Limits.HashQueueWait, "hash-queue-wait", 2*time.Second, "how long a log-in or sign-up waits for hashing capacity before 503")
	_ = cmd.RegisterFlagCompletionFunc("log-format", completeValues([]string{"json", "text"}))
	return cmd
}

func newLogger(f *Factory, format string) (*slog.Logger, error) {
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(f.IO.Err, nil)), nil
	case "text":
		return slog.New(slog.NewTextHandler(f.IO.Err, nil)), nil
	}
	return nil, usageErrorf("--log-format must be json or text, not %q", format)
}

// displayAddr shows a wildcard listener as localhost, which a browser opens.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	log, err := newLogger(opts.Factory, opts.LogFormat)
	if err != nil {
		return err
	}
	st, err := opts.Factory.Store(ctx)
	if err != nil {
		return err
	}
	if opts.Migrate {
		done, err := st.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", st, err)
		}
		for _, m := range done {
			log.Info("migrated", "version", m.Version, "name", m.Name)
		}
	}
	opts.Limits.HashMemory = int64(opts.HashMemoryMiB) << 20
	opts.Limits.Writes.Burst = opts.Limits.Writes.PerMinute
	core, err := service.New(st, service.WithLimits(opts.Limits))
	if err != nil {
		return err
	}
	if err := core.Ready(ctx); err != nil {
		log.Warn("not ready yet: /readyz will fail until this is fixed", "error", err.Error())
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	cfg := opts.Server
	cfg.Logger, cfg.RequestTimeout, cfg.TrustProxy, cfg.CORSOrigins = log, opts.RequestTimeout, opts.TrustProxy, opts.CORSOrigins
	cfg.Throttle = core.Limiter()
	for _, n := range []*int{&cfg.LoginPerEmailAddress, &cfg.LoginPerEmail, &cfg.LoginPerAddress, &cfg.SignupsPerAddress} {
		if *n == 0 {
			*n = -1 // the flag's 0 is "no limit"; the server's is "the default"
		}
	}
	srv := server.New(core, cfg)
	log.Info("listening", "url", "http://"+displayAddr(ln.Addr()), "database", st.String(), "version", version())
	opts.Factory.Print.Status("realty serve: listening on http://%s, database %s (stop with Ctrl-C)", displayAddr(ln.Addr()), st)
	if err := srv.Serve(ctx, ln, opts.Drain); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}
