package main

// Why this file exists: FerretDB 1.24's SQLite backend pushes a filter of exactly {_id: <string>}
// down as `WHERE _ferretdb_sjson->'$._id' = ?` (and updates a document the same way), but the `_id_`
// index it creates is on the expression `_ferretdb_sjson->"_id"`. SQLite only uses an expression
// index for the same expression, so every lookup and every update by _id scans the whole table,
// and connect's writes slow down with the size of the collection (measured: 94 ms per update by _id
// at 5,000 documents). This adds, to every collection table, an index on the expression FerretDB's
// queries actually use. Indexes are schema only: FerretDB's own metadata is untouched, and dropping a
// collection drops its table with the index.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type idIndexer struct {
	dir    string
	log    *slog.Logger
	dbs    map[string]*sql.DB
	tables map[string]bool
}

func newIDIndexer(sqliteURL string, log *slog.Logger) (*idIndexer, error) {
	u, err := url.Parse(sqliteURL)
	if err != nil {
		return nil, err
	}
	dir := u.Path
	if dir == "" {
		dir = u.Opaque
	}
	return &idIndexer{dir: dir, log: log, dbs: map[string]*sql.DB{}, tables: map[string]bool{}}, nil
}

// run indexes new collection tables every interval until ctx ends.
func (x *idIndexer) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	defer func() {
		for _, db := range x.dbs {
			_ = db.Close()
		}
	}()
	for {
		x.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (x *idIndexer) pass(ctx context.Context) {
	files, _ := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	for _, f := range files {
		if err := x.indexFile(ctx, f); err != nil {
			x.log.Debug("idindex: skipped", "file", f, "err", err)
		}
	}
}

func (x *idIndexer) indexFile(ctx context.Context, file string) error {
	if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
		return err
	}
	db := x.dbs[file]
	if db == nil {
		var err error
		db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(1)
		x.dbs[file] = db
	}
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if rows.Scan(&t) == nil {
			tables = append(tables, t)
		}
	}
	_ = rows.Close()
	for _, t := range tables {
		key := file + "\x00" + t
		if x.tables[key] || strings.ContainsRune(t, '"') {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_sluice_id" ON "%s" (_ferretdb_sjson->'$._id')`, t, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
		x.tables[key] = true
	}
	return nil
}
