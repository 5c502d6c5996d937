// Command ferretdb is a tiny wrapper that embeds FerretDB (module
// github.com/FerretDB/FerretDB, public package .../ferretdb) with the SQLite
// backend, so Sluice can test its MongoDB storage against a real wire-protocol
// server on machines where no mongod binary can be installed. Pinned to
// v1.24.0: the Go module proxy refuses v1.24.1 ("not available", 403).
//
// Why a wrapper instead of `go install github.com/FerretDB/FerretDB/cmd/ferretdb`:
// the module archive lacks the generated build/version/version.txt, and
// build/version's init() panics ("Invalid build/version/version.txt file
// content") when the main module is github.com/FerretDB/FerretDB. Embedding is
// safe: that init() returns early when debug.ReadBuildInfo().Main.Path is not
// github.com/FerretDB/FerretDB (it only reads the always-present mongodb.txt),
// so no build tag, -ldflags or other workaround is needed here.
//
// Telemetry: ferretdb.New never creates the telemetry reporter and also calls
// state.DisableTelemetry() with TelemetryLocked=true on an in-memory state
// (no state.json is written); internal/util/telemetry is not even linked, and
// the OTLP trace exporter is only wired up by cmd/ferretdb. Verified with
// strace: the only socket call is bind() on the listen address.
//
// Logging: at "warn" FerretDB dumps every error response (e.g. expected E11000
// on replayed upserts) to stderr; use -log-level error to keep CI logs quiet.
//
// Usage: ferretdb -listen-addr 127.0.0.1:27017 -sqlite-url file:/abs/dir/ -log-level warn
// Each flag defaults to the env var FERRETDB_LISTEN_ADDR / FERRETDB_SQLITE_URL /
// FERRETDB_LOG_LEVEL when set. The SQLite directory must exist and the URL must
// end with "/". SIGINT/SIGTERM stop the server gracefully (exit code 0).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	listenAddr := flag.String("listen-addr", env("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP listen address")
	sqliteURL := flag.String("sqlite-url", env("FERRETDB_SQLITE_URL", "file:data/"), `SQLite directory URL ("file:/dir/", must exist)`)
	logLevel := flag.String("log-level", env("FERRETDB_LOG_LEVEL", "warn"), "log level: debug, info, warn, error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		logger.Error("ferretdb: failed to start", "err", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if ix, err := newIDIndexer(*sqliteURL, logger); err == nil {
		go ix.run(ctx, time.Second)
	} else {
		logger.Error("ferretdb: no _id expression indexes", "err", err)
	}

	logger.Info("ferretdb: serving", "addr", *listenAddr, "sqlite", *sqliteURL)
	if err := f.Run(ctx); err != nil {
		logger.Error("ferretdb: run failed", "err", err)
		os.Exit(1)
	}
	logger.Info("ferretdb: stopped")
}
