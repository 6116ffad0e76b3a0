package sqlfacts

import (
	"strings"

	"retort/pgparse"
)

// ColumnDef is what a column definition says, as the rules need it.
type ColumnDef struct {
	Name string
	// TypeName is the type's last name part as written or as the
	// grammar rewrites it: "int4" for int and integer, "int8" for bigint,
	// "varchar", "bpchar" for char(n), "serial", "timestamp", "text"...
	// TypeSchema is "pg_catalog" for the SQL-standard spellings.
	TypeName, TypeSchema string
	// Mods are the type modifiers as written (the 10 of varchar(10)).
	Mods     []pgparse.Node
	Array    bool
	NotNull  bool
	Default  pgparse.Node // the DEFAULT expression, if any
	Identity bool         // GENERATED ... AS IDENTITY
	// Generated is GENERATED ALWAYS AS (...) STORED.
	Generated bool
	// Serial: smallserial, serial or bigserial, which fill a new
	// column from a sequence.
	Serial     bool
	PrimaryKey bool
}

// ReadColumn reads a ColumnDef node.
func ReadColumn(def pgparse.Node) ColumnDef {
	t := def.Field("typeName")
	names := t.Strings("names")
	c := ColumnDef{Name: def.Str("colname"), Mods: t.List("typmods"), Array: len(t.List("arrayBounds")) > 0}
	if len(names) > 0 {
		c.TypeName = names[len(names)-1]
		if len(names) > 1 {
			c.TypeSchema = names[len(names)-2]
		}
	}
	switch c.TypeName {
	case "smallserial", "serial", "bigserial", "serial2", "serial4", "serial8":
		c.Serial = c.TypeSchema == "" && !c.Array
	}
	for _, con := range def.List("constraints") {
		switch con.Str("contype") {
		case "CONSTR_NOTNULL":
			c.NotNull = true
		case "CONSTR_DEFAULT":
			c.Default = con.Field("raw_expr")
		case "CONSTR_IDENTITY":
			c.Identity = true
		case "CONSTR_GENERATED":
			c.Generated = true
		case "CONSTR_PRIMARY":
			c.PrimaryKey, c.NotNull = true, true
		}
	}
	return c
}

// VolatilityOf is what Volatility found in an expression.
type VolatilityOf struct {
	// Volatile: the expression calls a function PostgreSQL declares
	// VOLATILE (random(), gen_random_uuid(), clock_timestamp(),
	// nextval()...), named in Calls.
	Volatile bool
	// Unknown are the functions retort cannot classify without a
	// database: user-defined functions are VOLATILE unless declared
	// otherwise.
	Unknown []Name
	calls   []string
}

// Calls names the volatile functions, else the unknown ones, as "f()".
func (v VolatilityOf) Calls() string {
	return strings.Join(v.calls, ", ")
}

// Volatility classifies an expression by the functions it calls. now()
// and CURRENT_TIMESTAMP are STABLE, not volatile: a default using them is
// computed once when a column is added.
func Volatility(expr pgparse.Node) VolatilityOf {
	var v VolatilityOf
	var unknown []string
	expr.Walk(func(n pgparse.Node) bool {
		if !n.Is("FuncCall") {
			return true
		}
		name := qualified(n.Strings("funcname"))
		switch builtinVolatility(name) {
		case 'v':
			v.Volatile = true
			v.calls = append(v.calls, name.String()+"()")
		case '?':
			v.Unknown = append(v.Unknown, name)
			unknown = append(unknown, name.String()+"()")
		}
		return true
	})
	if !v.Volatile {
		v.calls = unknown
	}
	return v
}

// builtinVolatility is a built-in function's volatility as pg_proc
// declares it ('v' volatile, 's' stable or immutable), '?' for a name
// retort does not know.
func builtinVolatility(n Name) byte {
	if n.Schema != "" && n.Schema != "pg_catalog" {
		return '?'
	}
	switch n.Name {
	case "random", "random_normal", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
		"uuid_generate_v4", "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setval",
		"currval", "lastval", "txid_current", "pg_current_xact_id", "setseed":
		return 'v'
	case "now", "transaction_timestamp", "statement_timestamp", "current_setting", "lower", "upper",
		"btrim", "ltrim", "rtrim", "length", "concat", "concat_ws", "to_char", "to_date", "to_timestamp",
		"to_number", "date_trunc", "date_part", "make_date", "make_time", "make_timestamp",
		"make_timestamptz", "make_interval", "abs", "round", "floor", "ceil", "trunc", "nullif",
		"jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array",
		"to_jsonb", "to_json", "md5", "replace", "substr", "substring", "left", "right", "lpad",
		"rpad", "format", "timezone", "array_length", "int4", "int8", "text", "numeric", "uuid_nil":
		return 's'
	}
	return '?'
}
