package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"retort/schema"
)

// pgReader reads one snapshot, in one transaction, query by query: each
// query reads one kind of object for the whole database, so that the number
// of round trips does not grow with the number of tables.
type pgReader struct {
	tx      pgx.Tx
	version int
	objects []schema.Object
	// byOID finds the object read from a catalog row, for the comments
	// and privileges on it.
	byOID map[oidKey]schema.Object
	// rels are the names of the relations read (tables, views), by oid:
	// what belongs to one is named with it, and what belongs to another
	// (an extension's) is left out.
	rels map[uint32]string
}

func newPGReader(tx pgx.Tx, version int) *pgReader {
	return &pgReader{tx: tx, version: version, byOID: map[oidKey]schema.Object{}, rels: map[uint32]string{}}
}

// oidKey names a catalog row: its catalog (pg_class...), oid, and column
// number for a column.
type oidKey struct {
	class string
	oid   uint32
	sub   int32
}

// userNS keeps the namespaces of users: not the system's, nor temporary
// ones. %[1]s is the pg_namespace alias.
const userNS = `%[1]s.nspname NOT IN ('pg_catalog', 'information_schema')
	AND %[1]s.nspname NOT LIKE 'pg\_toast%%' AND %[1]s.nspname NOT LIKE 'pg\_temp\_%%'`

// notExtension keeps what does not belong to an extension: %[2]s is the
// catalog, %[3]s the object's oid.
const notExtension = `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '%[2]s'::regclass
	AND e.objid = %[3]s AND e.deptype = 'e')`

// notInternal keeps, of functions, those that are not the inner workings
// of another object (a range type's constructors).
const notInternal = ` AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass
	AND i.objid = p.oid AND i.deptype = 'i')`

// where is the filter of user objects in namespace alias ns, in catalog
// class, whose oid is the expression oid.
func where(ns, class, oid string) string {
	return fmt.Sprintf(userNS+" AND "+notExtension, ns, class, oid)
}

// inUserNS keeps the rows of relations (alias c) in users' namespaces; the
// relations of extensions are left out by the reader's rels.
func inUserNS() string {
	return "c.relnamespace IN (SELECT n.oid FROM pg_namespace n WHERE " + fmt.Sprintf(userNS, "n") + ")"
}

// qualified is the SQL of a schema-qualified, quoted name.
func qualified(ns, name string) string {
	return fmt.Sprintf("quote_ident(%s.nspname) || '.' || quote_ident(%s)", ns, name)
}

func (r *pgReader) readAll(ctx context.Context) error {
	for _, read := range []func(context.Context) error{
		r.schemas, r.extensions, r.types, r.relations, r.columns, r.constraints, r.indexes,
		r.triggers, r.rules, r.policies, r.statistics, r.sequences, r.functions,
		r.comments, r.privileges,
	} {
		if err := read(ctx); err != nil {
			return err
		}
	}
	return nil
}

// add records an object, and the catalog row it was read from.
func (r *pgReader) add(o schema.Object, class string, oid uint32, sub int32) {
	r.objects = append(r.objects, o)
	if class != "" {
		r.byOID[oidKey{class, oid, sub}] = o
	}
}

// query runs sql and calls each with every row's scan.
func (r *pgReader) query(ctx context.Context, sql string, each func(scan func(...any) error) error) error {
	rows, err := r.tx.Query(ctx, sql)
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

func (r *pgReader) schemas(ctx context.Context) error {
	sql := `SELECT n.oid, quote_ident(n.nspname) FROM pg_namespace n WHERE ` + where("n", "pg_namespace", "n.oid")
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid uint32
		var name string
		if err := scan(&oid, &name); err != nil {
			return err
		}
		r.add(schema.Object{Kind: schema.KindSchema, Name: name}, "pg_namespace", oid, 0)
		return nil
	})
}

// extensions: those a user created (initdb's plpgsql has a system oid).
func (r *pgReader) extensions(ctx context.Context) error {
	sql := `SELECT quote_ident(e.extname), e.extversion, quote_ident(n.nspname)
		FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.oid >= 16384`
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var name, version, ns string
		if err := scan(&name, &version, &ns); err != nil {
			return err
		}
		r.add(schema.Object{Kind: schema.KindExtension, Name: name, Def: "VERSION " + version + " SCHEMA " + ns}, "", 0, 0)
		return nil
	})
}

// types: enums, domains, composite and range types (not the types of
// tables, arrays or multiranges, which come with something else).
func (r *pgReader) types(ctx context.Context) error {
	sql := `SELECT t.oid, t.typtype::text, ` + qualified("n", "t.typname") + `,
		CASE t.typtype
		WHEN 'e' THEN (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
			FROM pg_enum e WHERE e.enumtypid = t.oid)
		WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
		WHEN 'r' THEN (SELECT 'SUBTYPE = ' || format_type(g.rngsubtype, NULL) FROM pg_range g WHERE g.rngtypid = t.oid)
		ELSE (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
			FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
		END,
		CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
			THEN (SELECT ' COLLATE ' || quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) ELSE '' END,
		t.typnotnull, coalesce(t.typdefault, ''),
		coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(co.conname) || ' ' || pg_get_constraintdef(co.oid), '' ORDER BY co.conname)
			FROM pg_constraint co WHERE co.contypid = t.oid), '')
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE t.typtype IN ('e', 'd', 'r', 'c')
		AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
		AND ` + where("n", "pg_type", "t.oid")
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid uint32
		var typtype, name, body, collate, deflt, checks string
		var notNull bool
		if err := scan(&oid, &typtype, &name, &body, &collate, &notNull, &deflt, &checks); err != nil {
			return err
		}
		o := schema.Object{Name: name}
		switch typtype {
		case "e":
			o.Kind, o.Def = schema.KindEnum, "("+body+")"
		case "d":
			o.Kind, o.Def = schema.KindDomain, "AS "+body+collate
			if deflt != "" {
				o.Def += " DEFAULT " + deflt
			}
			if notNull {
				o.Def += " NOT NULL"
			}
			o.Def += checks
		case "r":
			o.Kind, o.Def = schema.KindType, "AS RANGE ("+body+")"
		default:
			o.Kind, o.Def = schema.KindType, "AS ("+body+")"
		}
		r.add(o, "pg_type", oid, 0)
		return nil
	})
}

// relations: tables, views, materialized views and foreign tables, with
// what defines them beyond their columns.
func (r *pgReader) relations(ctx context.Context) error {
	sql := `SELECT c.oid, c.relkind::text, ` + qualified("n", "c.relname") + `, c.relpersistence::text,
		coalesce(pg_get_partkeydef(c.oid), ''),
		coalesce((SELECT string_agg(` + qualified("pn", "p.relname") + `, ', ' ORDER BY i.inhseqno)
			FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
			WHERE i.inhrelid = c.oid), ''),
		CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) ELSE '' END,
		coalesce(array_to_string(c.reloptions, ', '), ''), c.relrowsecurity, c.relforcerowsecurity,
		CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) ELSE '' END
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ` + where("n", "pg_class", "c.oid")
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid uint32
		var kind, name, persistence, partKey, parents, bound, options, view string
		var rls, forceRLS bool
		if err := scan(&oid, &kind, &name, &persistence, &partKey, &parents, &bound, &options, &rls, &forceRLS, &view); err != nil {
			return err
		}
		r.rels[oid] = name
		o := schema.Object{Kind: schema.KindTable, Name: name}
		var def []string
		add := func(cond bool, s string) {
			if cond {
				def = append(def, s)
			}
		}
		switch kind {
		case "v", "m":
			o.Kind = schema.KindView
			if kind == "m" {
				o.Kind = schema.KindMatView
			}
			add(options != "", "WITH ("+options+")")
			add(true, dedent(strings.TrimSuffix(strings.TrimSpace(view), ";")))
			o.Def = strings.Join(def, "\n")
			r.add(o, "pg_class", oid, 0)
			return nil
		}
		add(kind == "f", "FOREIGN")
		add(persistence == "u", "UNLOGGED")
		add(bound != "", "PARTITION OF "+parents+" "+bound)
		add(bound == "" && parents != "", "INHERITS ("+parents+")")
		add(partKey != "", "PARTITION BY "+partKey)
		add(options != "", "WITH ("+options+")")
		add(rls, "ROW LEVEL SECURITY")
		add(forceRLS, "FORCE ROW LEVEL SECURITY")
		o.Def = strings.Join(def, " ")
		r.add(o, "pg_class", oid, 0)
		return nil
	})
}

// dedent removes the indentation all of s's lines share.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return s
	}
	for i, l := range lines {
		if len(l) >= common {
			lines[i] = l[common:]
		}
	}
	return strings.Join(lines, "\n")
}

// columns of tables and foreign tables, in order: type, collation when not
// the type's, default or generation expression, identity, nullability.
func (r *pgReader) columns(ctx context.Context) error {
	sql := `SELECT a.attrelid, a.attnum, quote_ident(a.attname),
		format_type(a.atttypid, a.atttypmod),
		CASE WHEN a.attcollation <> t.typcollation THEN (SELECT ` + qualified("cn", "co.collname") + `
			FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END,
		a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity::text, a.attgenerated::text
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND ` + inUserNS() + `
		ORDER BY a.attrelid, a.attnum`
	var lastRel uint32
	pos := 0
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var rel uint32
		var num int16
		var name, typ, collation, expr, identity, generated string
		var notNull bool
		if err := scan(&rel, &num, &name, &typ, &collation, &notNull, &expr, &identity, &generated); err != nil {
			return err
		}
		table, ok := r.rels[rel]
		if !ok {
			return nil
		}
		if rel != lastRel {
			lastRel, pos = rel, 0
		}
		pos++
		def := typ
		if collation != "" {
			def += " COLLATE " + strings.TrimPrefix(collation, "pg_catalog.")
		}
		switch {
		case generated == "s":
			def += " GENERATED ALWAYS AS (" + expr + ") STORED"
		case expr != "":
			def += " DEFAULT " + expr
		}
		switch identity {
		case "a":
			def += " GENERATED ALWAYS AS IDENTITY"
		case "d":
			def += " GENERATED BY DEFAULT AS IDENTITY"
		}
		if notNull {
			def += " NOT NULL"
		}
		r.add(schema.Object{Kind: schema.KindColumn, Table: table, Name: name, Def: def, Position: pos}, "pg_class", rel, int32(num))
		return nil
	})
}

// constraints of tables, as pg_get_constraintdef writes them; not those a
// partition or an inheritance child gets from its parent, which the
// parent's define.
func (r *pgReader) constraints(ctx context.Context) error {
	sql := `SELECT co.oid, co.conrelid, co.contype::text, quote_ident(co.conname), pg_get_constraintdef(co.oid)
		FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
		WHERE co.contype IN ('p', 'f', 'u', 'c', 'x') AND co.conislocal AND co.conparentid = 0 AND ` + inUserNS()
	kinds := map[string]schema.Kind{"p": schema.KindPrimaryKey, "f": schema.KindForeignKey, "u": schema.KindUnique,
		"c": schema.KindCheck, "x": schema.KindExclusion}
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid, rel uint32
		var typ, name, def string
		if err := scan(&oid, &rel, &typ, &name, &def); err != nil {
			return err
		}
		table, ok := r.rels[rel]
		if !ok {
			return nil
		}
		r.add(schema.Object{Kind: kinds[typ], Table: table, Name: name, Def: constraintBody(def)}, "pg_constraint", oid, 0)
		return nil
	})
}

// constraintBody drops from a constraint's definition the words its kind
// says: PRIMARY KEY (id) is a primary key's (id).
func constraintBody(def string) string {
	for _, w := range []string{"PRIMARY KEY ", "FOREIGN KEY ", "UNIQUE ", "CHECK ", "EXCLUDE "} {
		if strings.HasPrefix(def, w) {
			return def[len(w):]
		}
	}
	return def
}

// indexes that no constraint makes (a primary key's or a unique
// constraint's index is the constraint), defined from USING on; an index of
// a partition attached to its parent's index says so.
func (r *pgReader) indexes(ctx context.Context) error {
	sql := `SELECT i.indexrelid, i.indrelid, quote_ident(ic.relname), pg_get_indexdef(i.indexrelid),
		i.indisvalid,
		coalesce((SELECT ` + qualified("pn", "p.relname") + ` FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
			JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE h.inhrelid = i.indexrelid), '')
		FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
		WHERE NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
			AND co.contype IN ('p', 'u', 'x'))
		AND ` + inUserNS()
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid, rel uint32
		var name, def, parent string
		var valid bool
		if err := scan(&oid, &rel, &name, &def, &valid, &parent); err != nil {
			return err
		}
		table, ok := r.rels[rel]
		if !ok {
			return nil
		}
		def = indexDef(def)
		if !valid {
			def += " INVALID"
		}
		if parent != "" {
			def += " ATTACHED TO " + parent
		}
		r.add(schema.Object{Kind: schema.KindIndex, Table: table, Name: name, Def: def}, "pg_class", oid, 0)
		return nil
	})
}

// indexDef keeps of pg_get_indexdef's `CREATE [UNIQUE] INDEX name ON
// [ONLY] table USING ...` what the index's kind, name and table do not
// say: `[UNIQUE ]USING ...`.
func indexDef(def string) string {
	at := strings.Index(def, " USING ")
	if at < 0 {
		return def
	}
	rest := def[at+1:]
	if strings.HasPrefix(def, "CREATE UNIQUE ") {
		return "UNIQUE " + rest
	}
	return rest
}

// tableObjects reads objects of catalog class that belong to tables, from
// rows of (oid, table oid, name, definition); object makes each one.
func (r *pgReader) tableObjects(ctx context.Context, sql, class string, object func(name, def string) schema.Object) error {
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid, rel uint32
		var name, def string
		if err := scan(&oid, &rel, &name, &def); err != nil {
			return err
		}
		table, ok := r.rels[rel]
		if !ok {
			return nil
		}
		o := object(name, def)
		o.Table, o.Name = table, name
		r.add(o, class, oid, 0)
		return nil
	})
}

// triggers a user made (not those of foreign keys, nor those a partition
// gets from its parent), defined from after their name.
func (r *pgReader) triggers(ctx context.Context) error {
	cloned := ""
	if r.version >= 130000 {
		cloned = " AND t.tgparentid = 0"
	}
	sql := `SELECT t.oid, t.tgrelid, quote_ident(t.tgname),
		pg_get_triggerdef(t.oid) || CASE WHEN t.tgenabled = 'D' THEN ' DISABLED' ELSE '' END
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal` + cloned + ` AND ` + inUserNS()
	return r.tableObjects(ctx, sql, "pg_trigger", func(name, def string) schema.Object {
		def = strings.Replace(strings.TrimPrefix(def, "CREATE "), "TRIGGER "+name+" ", "", 1)
		return schema.Object{Kind: schema.KindTrigger, Def: def}
	})
}

// rules other than a view's own.
func (r *pgReader) rules(ctx context.Context) error {
	sql := `SELECT w.oid, w.ev_class, quote_ident(w.rulename), pg_get_ruledef(w.oid)
		FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class WHERE w.rulename <> '_RETURN' AND ` + inUserNS()
	return r.tableObjects(ctx, sql, "pg_rewrite", func(name, def string) schema.Object {
		def = strings.TrimPrefix(strings.TrimSuffix(def, ";"), "CREATE RULE "+name+" AS")
		return schema.Object{Kind: schema.KindRule, Def: dedent(strings.Trim(def, "\n"))}
	})
}

// policies of row-level security.
func (r *pgReader) policies(ctx context.Context) error {
	sql := `SELECT p.oid, p.polrelid, quote_ident(p.polname),
		CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END || ' FOR ' ||
		CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END ||
		' TO ' || (SELECT string_agg(CASE WHEN x.r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.r)) END, ', ' ORDER BY 1)
			FROM unnest(p.polroles) AS x(r)) ||
		coalesce(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', '') ||
		coalesce(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
		FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE ` + inUserNS()
	return r.tableObjects(ctx, sql, "pg_policy", func(_, def string) schema.Object {
		return schema.Object{Kind: schema.KindPolicy, Def: def}
	})
}

// statistics: extended statistics objects.
func (r *pgReader) statistics(ctx context.Context) error {
	sql := `SELECT s.oid, s.stxrelid, ` + qualified("sn", "s.stxname") + `, pg_get_statisticsobjdef(s.oid)
		FROM pg_statistic_ext s JOIN pg_class c ON c.oid = s.stxrelid JOIN pg_namespace sn ON sn.oid = s.stxnamespace
		WHERE ` + inUserNS()
	return r.tableObjects(ctx, sql, "pg_statistic_ext", func(name, def string) schema.Object {
		return schema.Object{Kind: schema.KindStatistics, Def: strings.TrimPrefix(def, "CREATE STATISTICS "+name+" ")}
	})
}

// sequences, without their position (a rehearsal advances it); one that
// belongs to a column (serial, identity) is listed with its table.
func (r *pgReader) sequences(ctx context.Context) error {
	sql := `SELECT c.oid, ` + qualified("n", "c.relname") + `, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
		s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
		coalesce((SELECT d.deptype::text || ' ' || d.refobjid::text || ' ' || quote_ident(a.attname)
			FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
			WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
			AND d.deptype IN ('a', 'i') LIMIT 1), '')
		FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE ` + where("n", "pg_class", "c.oid")
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid uint32
		var name, typ, owner string
		var start, inc, lo, hi, cache int64
		var cycle bool
		if err := scan(&oid, &name, &typ, &start, &inc, &lo, &hi, &cache, &cycle, &owner); err != nil {
			return err
		}
		def := fmt.Sprintf("AS %s START WITH %d INCREMENT BY %d MINVALUE %d MAXVALUE %d CACHE %d", typ, start, inc, lo, hi, cache)
		if cycle {
			def += " CYCLE"
		}
		o := schema.Object{Kind: schema.KindSequence, Name: name}
		if dep, rest, ok := strings.Cut(owner, " "); ok {
			rel, column, _ := strings.Cut(rest, " ")
			relOID, _ := strconv.ParseUint(rel, 10, 32) // the server's oid::text
			o.Table = r.rels[uint32(relOID)]
			if dep == "i" {
				def += " IDENTITY OF " + column
			} else {
				def += " OWNED BY " + column
			}
		}
		o.Def = def
		r.add(o, "pg_class", oid, 0)
		return nil
	})
}

// functions, procedures and aggregates, named with the types of their
// arguments (not their names, which do not tell two functions apart);
// a function's definition is pg_get_functiondef's without its first line
// (the name), an aggregate's its state function and type.
func (r *pgReader) functions(ctx context.Context) error {
	sql := `SELECT p.oid, p.prokind::text, ` + qualified("n", "p.proname") + ` || '(' || oidvectortypes(p.proargtypes) || ')',
		CASE WHEN p.prokind = 'a' THEN
			(SELECT 'SFUNC = ' || a.aggtransfn::regproc::text || ', STYPE = ' || format_type(a.aggtranstype, NULL) ||
				CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::regproc::text ELSE '' END ||
				coalesce(', INITCOND = ' || quote_literal(a.agginitval), '')
			FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
		ELSE pg_get_functiondef(p.oid) END
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE ` + where("n", "pg_proc", "p.oid") + notInternal
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var oid uint32
		var kind, name, def string
		if err := scan(&oid, &kind, &name, &def); err != nil {
			return err
		}
		o := schema.Object{Kind: schema.KindFunction, Name: name, Def: def}
		switch kind {
		case "a":
			o.Kind = schema.KindAggregate
		case "p":
			o.Kind = schema.KindProcedure
			o.Def = functionBody(def)
		default:
			o.Def = functionBody(def)
		}
		r.add(o, "pg_proc", oid, 0)
		return nil
	})
}

// functionBody drops pg_get_functiondef's first line (CREATE OR REPLACE
// FUNCTION name(args)) and the space before the clauses after it, up to
// the body.
func functionBody(def string) string {
	lines := strings.Split(strings.TrimRight(def, "\n"), "\n")
	if len(lines) > 0 && strings.HasPrefix(lines[0], "CREATE ") {
		lines = lines[1:]
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, " ") {
			break
		}
		lines[i] = strings.TrimPrefix(l, " ")
	}
	return strings.Join(lines, "\n")
}

// comments on the objects read (those of initdb's objects, such as the
// public schema's, are not a user's: system oids are left out).
func (r *pgReader) comments(ctx context.Context) error {
	sql := `SELECT d.classoid::regclass::text, d.objoid, d.objsubid, d.description FROM pg_description d WHERE d.objoid >= 16384`
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var k oidKey
		var text string
		if err := scan(&k.class, &k.oid, &k.sub, &text); err != nil {
			return err
		}
		if on, ok := r.byOID[k]; ok {
			r.objects = append(r.objects, about(schema.KindComment, on, quoteLiteral(text)))
		}
		return nil
	})
}

// about is an object of kind k on the object on: a comment, privileges.
// It belongs to on's group, and is named by on's kind and name.
func about(k schema.Kind, on schema.Object, def string) schema.Object {
	return schema.Object{Kind: k, Table: on.Owner(), Name: string(on.Kind) + " " + on.Name, Def: def}
}

// quoteLiteral quotes s as an SQL string.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// privileges on relations, schemas and functions, where they differ from
// what the object had when it was made (the defaults, or initdb's for its
// own objects): the grants to other roles than the owner, by grantee.
// "(none)" says every default grant was revoked.
func (r *pgReader) privileges(ctx context.Context) error {
	acl := func(acl string) string {
		return `coalesce((SELECT string_agg(g, '; ' ORDER BY g) FROM (
			SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END || ': ' ||
				string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, ', '
					ORDER BY x.privilege_type) AS g
			FROM aclexplode(` + acl + `) x WHERE x.grantee <> o.owner GROUP BY x.grantee) y), '')`
	}
	sql := `WITH o AS (
		SELECT 'pg_class' AS class, c.oid, c.relowner AS owner, c.relacl AS acl,
			acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner) AS dflt
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ` + where("n", "pg_class", "c.oid") + `
		UNION ALL
		SELECT 'pg_namespace', n.oid, n.nspowner, n.nspacl, acldefault('n'::"char", n.nspowner)
		FROM pg_namespace n WHERE ` + where("n", "pg_namespace", "n.oid") + `
		UNION ALL
		SELECT 'pg_proc', p.oid, p.proowner, p.proacl, acldefault('f'::"char", p.proowner)
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ` + where("n", "pg_proc", "p.oid") + `
	)
	SELECT o.class, o.oid, ` + acl("o.acl") + `,
		` + acl(`coalesce((SELECT i.initprivs FROM pg_init_privs i WHERE i.objoid = o.oid AND i.classoid = o.class::regclass
			AND i.objsubid = 0), o.dflt)`) + `
	FROM o WHERE o.acl IS NOT NULL`
	return r.query(ctx, sql, func(scan func(...any) error) error {
		var k oidKey
		var now, made string
		if err := scan(&k.class, &k.oid, &now, &made); err != nil {
			return err
		}
		on, ok := r.byOID[k]
		if !ok || now == made {
			return nil
		}
		if now == "" {
			now = "(none)"
		}
		r.objects = append(r.objects, about(schema.KindPrivileges, on, now))
		return nil
	})
}
