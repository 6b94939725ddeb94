package cli

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
)

func newServeCmd(f *Factory) *cobra.Command {
	var addr, logFormat string
	var migrate, trustProxy bool
	var corsOrigins []string
	var drain, requestTimeout time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the REST API",
		Long: `Serve the REST API (JSON under /v1, documented at /docs and /openapi.json)
on the database --db or REALTY_DB names: the local SQLite file by default, or
MySQL. It migrates the database on start unless --migrate=false; several
servers may share one MySQL database. SIGINT or SIGTERM stop it gracefully:
it stops accepting connections and finishes the requests in flight.

Operations: /healthz (alive), /readyz (database reachable and schema
current), /metrics (Prometheus). Logs are one JSON line per request on
standard error, without tokens, passwords or bodies.`,
		Example: `  realty serve
  realty serve --addr 127.0.0.1:9000 --db mysql://realty:secret@db:3306/realty
  REALTY_DB=mysql://realty:secret@db:3306/realty realty serve --migrate=false`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log, err := newLogger(f, logFormat)
			if err != nil {
				return err
			}
			st, err := f.Store(ctx)
			if err != nil {
				return err
			}
			if migrate {
				done, err := st.Migrate(ctx)
				if err != nil {
					return fmt.Errorf("migrate %s: %w", st, err)
				}
				for _, m := range done {
					log.Info("migrated", "version", m.Version, "name", m.Name)
				}
			}
			core, err := service.New(st)
			if err != nil {
				return err
			}
			if err := core.Ready(ctx); err != nil {
				log.Warn("not ready yet: /readyz will fail until this is fixed", "error", err.Error())
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv := server.New(core, server.Config{Logger: log, RequestTimeout: requestTimeout,
				TrustProxy: trustProxy, CORSOrigins: corsOrigins})
			log.Info("listening", "url", "http://"+displayAddr(ln.Addr()), "database", st.String(), "version", version())
			f.status("realty serve: listening on http://%s, database %s (stop with Ctrl-C)", displayAddr(ln.Addr()), st)
			if err := srv.Serve(ctx, ln, drain); err != nil {
				return err
			}
			log.Info("stopped")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", ":8080", "address to listen on, host:port")
	fl.BoolVar(&migrate, "migrate", true, "apply pending migrations on start")
	fl.DurationVar(&drain, "shutdown-timeout", 15*time.Second, "how long to wait for requests in flight on SIGINT/SIGTERM")
	fl.DurationVar(&requestTimeout, "request-timeout", 10*time.Second, "deadline of each request's work")
	fl.BoolVar(&trustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a proxy that sets it)")
	fl.StringVar(&logFormat, "log-format", "json", "log format: json or text")
	fl.StringArrayVar(&corsOrigins, "cors-origin", nil, "a browser origin allowed to call the API, such as https://app.example.com, or * (repeatable)")
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
