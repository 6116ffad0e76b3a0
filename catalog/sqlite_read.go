package catalog

import (
	"context"
	"database/sql"
	"strings"

	"retort/schema"
)

// sqliteReader reads one snapshot of a SQLite database: each pragma is
// read for every table at once, joined with sqlite_master.
type sqliteReader struct {
	tx      *sql.Tx
	objects []schema.Object
}

// column is a row of pragma_table_xinfo.
type column struct {
	name, typ    string
	notNull      bool
	dflt         sql.NullString
	pk, hidden   int
	cid, ordinal int
}

// foreignKey is the rows of pragma_foreign_key_list of one key.
type foreignKey struct {
	table              string
	from, to           []string
	onUpdate, onDelete string
	match              string
	implicitTo         bool
}

func (r *sqliteReader) read(ctx context.Context, ms []master) error {
	flags, err := r.tableFlags(ctx)
	if err != nil {
		return err
	}
	cols, err := r.columns(ctx)
	if err != nil {
		return err
	}
	fks, err := r.foreignKeys(ctx)
	if err != nil {
		return err
	}
	uniques, err := r.uniques(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		switch m.kind {
		case "table":
			r.table(m, flags[m.name], cols[m.name], fks[m.name], uniques[m.name])
		case "index":
			if m.sql != "" { // a constraint's index has none: it is the constraint
				r.index(m)
			}
		case "view":
			def := strings.TrimPrefix(definitionAfterName(m.sql, "view"), "AS ")
			r.objects = append(r.objects, schema.Object{Kind: schema.KindView, Name: sqliteIdent(m.name), Def: def})
		case "trigger":
			r.objects = append(r.objects, schema.Object{Kind: schema.KindTrigger, Table: sqliteIdent(m.table),
				Name: sqliteIdent(m.name), Def: definitionAfterName(m.sql, "trigger")})
		}
	}
	return nil
}

// query runs q and calls each with every row's scan.
func (r *sqliteReader) query(ctx context.Context, q string, each func(scan func(...any) error) error) error {
	rows, err := r.tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// tableFlags are WITHOUT ROWID and STRICT, by table.
func (r *sqliteReader) tableFlags(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	err := r.query(ctx, `SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main'`, func(scan func(...any) error) error {
		var name string
		var wr, strict bool
		if err := scan(&name, &wr, &strict); err != nil {
			return err
		}
		if wr {
			out[name] = append(out[name], "WITHOUT ROWID")
		}
		if strict {
			out[name] = append(out[name], "STRICT")
		}
		return nil
	})
	return out, err
}

// columns of every table, in order.
func (r *sqliteReader) columns(ctx context.Context) (map[string][]column, error) {
	out := map[string][]column{}
	err := r.query(ctx, `SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
		FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid`,
		func(scan func(...any) error) error {
			var table string
			var c column
			if err := scan(&table, &c.cid, &c.name, &c.typ, &c.notNull, &c.dflt, &c.pk, &c.hidden); err != nil {
				return err
			}
			c.ordinal = len(out[table]) + 1
			out[table] = append(out[table], c)
			return nil
		})
	return out, err
}

// foreignKeys of every table, in their order.
func (r *sqliteReader) foreignKeys(ctx context.Context) (map[string][]*foreignKey, error) {
	out := map[string][]*foreignKey{}
	lastID := map[string]int{}
	err := r.query(ctx, `SELECT m.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete, f."match"
		FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq`,
		func(scan func(...any) error) error {
			var table, from string
			var to sql.NullString
			var id int
			fk := &foreignKey{}
			if err := scan(&table, &id, &fk.table, &from, &to, &fk.onUpdate, &fk.onDelete, &fk.match); err != nil {
				return err
			}
			keys := out[table]
			if last, ok := lastID[table]; ok && last == id {
				fk = keys[len(keys)-1]
			} else {
				out[table] = append(keys, fk)
				lastID[table] = id
			}
			fk.from = append(fk.from, sqliteIdent(from))
			if to.Valid {
				fk.to = append(fk.to, sqliteIdent(to.String))
			} else {
				fk.implicitTo = true
			}
			return nil
		})
	return out, err
}

// uniques are the column lists of every table's UNIQUE constraints.
func (r *sqliteReader) uniques(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	cols := map[string][]string{}
	var order []string
	err := r.query(ctx, `SELECT m.name, l.name, i.name FROM sqlite_master m JOIN pragma_index_list(m.name) l
		JOIN pragma_index_info(l.name) i WHERE m.type = 'table' AND l.origin = 'u' ORDER BY m.name, l.name, i.seqno`,
		func(scan func(...any) error) error {
			var table, index, col string
			if err := scan(&table, &index, &col); err != nil {
				return err
			}
			key := table + "\x00" + index
			if _, ok := cols[key]; !ok {
				order = append(order, key)
			}
			cols[key] = append(cols[key], sqliteIdent(col))
			return nil
		})
	for _, key := range order {
		table, _, _ := strings.Cut(key, "\x00")
		out[table] = append(out[table], "("+strings.Join(cols[key], ", ")+")")
	}
	return out, err
}

// table adds a table and what belongs to it.
func (r *sqliteReader) table(m master, flags []string, cols []column, fks []*foreignKey, uniques []string) {
	name := sqliteIdent(m.name)
	if virtualTable(m.sql) {
		r.objects = append(r.objects, schema.Object{Kind: schema.KindTable, Name: name, Def: "VIRTUAL " + definitionAfterName(m.sql, "table")})
		return
	}
	text := parseTable(m.sql)
	if text.autoincrement {
		flags = append(flags, "AUTOINCREMENT")
	}
	add := func(o schema.Object) {
		o.Table = name
		r.objects = append(r.objects, o)
	}
	r.objects = append(r.objects, schema.Object{Kind: schema.KindTable, Name: name, Def: strings.Join(flags, " ")})
	var pk []column
	for _, c := range cols {
		add(schema.Object{Kind: schema.KindColumn, Name: sqliteIdent(c.name), Def: columnDef(c, text), Position: c.ordinal})
		if c.pk > 0 {
			pk = append(pk, c)
		}
	}
	if len(pk) > 0 {
		names := make([]string, len(pk))
		for _, c := range pk {
			names[c.pk-1] = sqliteIdent(c.name)
		}
		add(schema.Object{Kind: schema.KindPrimaryKey, Def: "(" + strings.Join(names, ", ") + ")"})
	}
	for _, fk := range fks {
		add(schema.Object{Kind: schema.KindForeignKey, Def: fk.def()})
	}
	for _, u := range uniques {
		add(schema.Object{Kind: schema.KindUnique, Def: u})
	}
	for _, ch := range text.checks {
		o := schema.Object{Kind: schema.KindCheck, Def: ch.expr}
		if ch.name != "" {
			o.Name = sqliteIdent(ch.name)
		}
		add(o)
	}
}

// columnDef is a column's declared type (upper-case), collation, default
// or generation expression, and nullability.
func columnDef(c column, text tableText) string {
	def := strings.ToUpper(c.typ)
	if coll, ok := text.collate[c.name]; ok {
		def += " COLLATE " + coll
	}
	if c.dflt.Valid {
		def += " DEFAULT " + c.dflt.String
	}
	if gen, ok := text.generated[c.name]; ok && c.hidden >= 2 {
		def += " GENERATED ALWAYS AS " + gen
	}
	if c.hidden == 1 {
		def += " HIDDEN"
	}
	if c.notNull {
		def += " NOT NULL"
	}
	return strings.TrimSpace(def)
}

// def is the key as SQL writes it, without the actions that are the
// default.
func (fk *foreignKey) def() string {
	s := "(" + strings.Join(fk.from, ", ") + ") REFERENCES " + sqliteIdent(fk.table)
	if !fk.implicitTo {
		s += " (" + strings.Join(fk.to, ", ") + ")"
	}
	if fk.onUpdate != "NO ACTION" {
		s += " ON UPDATE " + fk.onUpdate
	}
	if fk.onDelete != "NO ACTION" {
		s += " ON DELETE " + fk.onDelete
	}
	if fk.match != "NONE" {
		s += " MATCH " + fk.match
	}
	return s
}

// index adds an index made by CREATE INDEX: [UNIQUE ](columns)[ WHERE ...],
// as written, normalised.
func (r *sqliteReader) index(m master) {
	ts := tokens(m.sql)
	def := normalize(ts)
	if i := afterName(ts, "index"); i >= 0 && i+1 < len(ts) && ts[i].is("on") {
		def = normalize(ts[i+2:])
		if len(ts) > 1 && ts[1].is("unique") {
			def = "UNIQUE " + def
		}
	}
	r.objects = append(r.objects, schema.Object{Kind: schema.KindIndex, Table: sqliteIdent(m.table), Name: sqliteIdent(m.name), Def: def})
}
