// Command ferretdb runs FerretDB v1 on PostgreSQL or SQLite through its
// embeddable package.
//
// Why a wrapper and not `go build github.com/FerretDB/FerretDB/cmd/ferretdb`:
// since Go 1.24 a tool built from a dependency records that dependency as the
// main module, and FerretDB then insists on a build/version/version.txt that
// only its own repository generates, so the binary panics at start-up. Built
// from this module, the version check is skipped. The flags mirror the ones
// the project passes to the official binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const version = "v1.24.2"

func main() {
	handler := flag.String("handler", "sqlite", "backend handler: postgresql or sqlite")
	postgreSQLURL := flag.String("postgresql-url", "", "PostgreSQL URL, e.g. postgres://user:pass@127.0.0.1:5432/db")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URL, e.g. file:/abs/dir/")
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	showVersion := flag.Bool("version", false, "print the version and exit")
	// Accepted for compatibility with the official command line; the embeddable
	// package has no state directory, debug listener or telemetry.
	flag.String("state-dir", "-", "ignored")
	flag.String("debug-addr", "-", "ignored")
	flag.String("telemetry", "disable", "ignored")
	flag.Parse()

	if *showVersion {
		fmt.Println("ferretdb", version, "(embedded build)")
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "invalid --log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgreSQLURL,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := f.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}
