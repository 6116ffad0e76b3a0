package sqlsplit

// keywords holds the words highlighted as keywords, in lower case: the
// reserved words of PostgreSQL and SQLite, the words of common DDL and DML
// and the built-in type names. It is a constant table, never written after
// initialisation. The splitter and the classifier compare words themselves
// and do not depend on it.
var keywords = map[string]struct{}{
	"abort": {}, "absolute": {}, "access": {}, "action": {}, "add": {}, "admin": {}, "after": {},
	"aggregate": {}, "all": {}, "also": {}, "alter": {}, "always": {}, "analyse": {}, "analyze": {},
	"and": {}, "any": {}, "array": {}, "as": {}, "asc": {}, "asymmetric": {}, "atomic": {},
	"attach": {}, "attribute": {}, "authorization": {}, "autoincrement": {},
	"before": {}, "begin": {}, "between": {}, "bigint": {}, "bigserial": {}, "binary": {}, "bit": {},
	"blob": {}, "boolean": {}, "both": {}, "by": {}, "bytea": {},
	"cache": {}, "call": {}, "called": {}, "cascade": {}, "cascaded": {}, "case": {}, "cast": {},
	"char": {}, "character": {}, "check": {}, "checkpoint": {}, "class": {}, "cluster": {},
	"coalesce": {}, "collate": {}, "collation": {}, "column": {}, "comment": {}, "commit": {},
	"committed": {}, "concurrently": {}, "conflict": {}, "constraint": {}, "constraints": {},
	"copy": {}, "cost": {}, "create": {}, "cross": {}, "cube": {}, "current": {},
	"current_date": {}, "current_role": {}, "current_schema": {}, "current_time": {},
	"current_timestamp": {}, "current_user": {}, "cursor": {}, "cycle": {},
	"data": {}, "database": {}, "date": {}, "deallocate": {}, "dec": {}, "decimal": {},
	"declare": {}, "default": {}, "defaults": {}, "deferrable": {}, "deferred": {}, "definer": {},
	"delete": {}, "delimiter": {}, "desc": {}, "detach": {}, "disable": {}, "discard": {},
	"distinct": {}, "do": {}, "domain": {}, "double": {}, "drop": {},
	"each": {}, "else": {}, "enable": {}, "encoding": {}, "end": {}, "enum": {}, "escape": {},
	"event": {}, "except": {}, "exclude": {}, "excluding": {}, "exclusive": {}, "execute": {},
	"exists": {}, "explain": {}, "expression": {}, "extension": {}, "external": {}, "extract": {},
	"fail": {}, "false": {}, "family": {}, "fetch": {}, "filter": {}, "first": {}, "float": {},
	"following": {}, "for": {}, "force": {}, "foreign": {}, "from": {}, "full": {}, "function": {},
	"functions": {}, "generated": {}, "glob": {}, "global": {}, "grant": {}, "granted": {},
	"greatest": {}, "group": {}, "grouping": {}, "groups": {},
	"handler": {}, "having": {}, "identity": {}, "if": {}, "ilike": {}, "immediate": {},
	"immutable": {}, "implicit": {}, "import": {}, "in": {}, "include": {}, "including": {},
	"increment": {}, "index": {}, "indexed": {}, "inherit": {}, "inherits": {}, "initially": {},
	"inner": {}, "inout": {}, "input": {}, "insert": {}, "instead": {}, "int": {}, "integer": {},
	"intersect": {}, "interval": {}, "into": {}, "invoker": {}, "is": {}, "isnull": {},
	"isolation": {}, "join": {}, "json": {}, "jsonb": {}, "key": {},
	"language": {}, "last": {}, "lateral": {}, "leading": {}, "leakproof": {}, "least": {},
	"left": {}, "level": {}, "like": {}, "limit": {}, "listen": {}, "local": {}, "localtime": {},
	"localtimestamp": {}, "lock": {}, "locked": {}, "logged": {},
	"match": {}, "matched": {}, "materialized": {}, "maxvalue": {}, "merge": {}, "method": {},
	"minvalue": {}, "mode": {}, "move": {}, "natural": {}, "new": {}, "next": {}, "no": {},
	"none": {}, "not": {}, "nothing": {}, "notify": {}, "notnull": {}, "nowait": {}, "null": {},
	"nullif": {}, "nulls": {}, "numeric": {},
	"of": {}, "off": {}, "offset": {}, "oids": {}, "old": {}, "on": {}, "only": {}, "operator": {},
	"option": {}, "options": {}, "or": {}, "order": {}, "ordinality": {}, "others": {}, "out": {},
	"outer": {}, "over": {}, "overlaps": {}, "overriding": {}, "owned": {}, "owner": {},
	"parallel": {}, "parser": {}, "partial": {}, "partition": {}, "password": {}, "placing": {},
	"plan": {}, "policy": {}, "pragma": {}, "preceding": {}, "precision": {}, "prepare": {},
	"primary": {}, "privileges": {}, "procedure": {}, "procedures": {}, "publication": {},
	"query": {}, "raise": {}, "range": {}, "read": {}, "real": {}, "recursive": {}, "ref": {},
	"references": {}, "referencing": {}, "refresh": {}, "regexp": {}, "reindex": {}, "release": {},
	"rename": {}, "repeatable": {}, "replace": {}, "replica": {}, "reset": {}, "restart": {},
	"restrict": {}, "return": {}, "returning": {}, "returns": {}, "revoke": {}, "right": {},
	"role": {}, "rollback": {}, "rollup": {}, "routine": {}, "row": {}, "rowid": {}, "rows": {},
	"rule": {}, "savepoint": {}, "schema": {}, "schemas": {}, "security": {}, "select": {}, "sequence": {},
	"sequences": {}, "serial": {}, "serializable": {}, "server": {}, "session": {},
	"session_user": {}, "set": {}, "setof": {}, "sets": {}, "share": {}, "show": {},
	"similar": {}, "skip": {}, "smallint": {}, "smallserial": {}, "some": {}, "stable": {},
	"start": {}, "statement": {}, "statistics": {}, "storage": {}, "stored": {}, "strict": {},
	"subscription": {}, "symmetric": {}, "system": {},
	"table": {}, "tables": {}, "tablesample": {}, "tablespace": {}, "temp": {}, "template": {},
	"temporary": {}, "text": {}, "then": {}, "ties": {}, "time": {}, "timestamp": {},
	"timestamptz": {}, "to": {}, "trailing": {}, "transaction": {}, "trigger": {}, "true": {},
	"truncate": {}, "trusted": {}, "type": {}, "unbounded": {}, "uncommitted": {}, "union": {},
	"unique": {}, "unknown": {}, "unlisten": {}, "unlogged": {}, "until": {}, "update": {},
	"user": {}, "using": {}, "uuid": {},
	"vacuum": {}, "valid": {}, "validate": {}, "value": {}, "values": {}, "varchar": {},
	"variadic": {}, "varying": {}, "verbose": {}, "view": {}, "views": {}, "virtual": {},
	"volatile": {}, "when": {}, "where": {}, "window": {}, "with": {}, "within": {},
	"without": {}, "work": {}, "wrapper": {}, "write": {}, "zone": {},
}

// maxKeywordLen bounds the words worth looking up ("current_timestamp").
const maxKeywordLen = 17

// isKeyword reports whether word, in any case, is in the keyword table. It
// lowers the word into a stack buffer; the compiler turns the map lookup on
// string(buf) into one that does not allocate.
func isKeyword(word string) bool {
	if len(word) > maxKeywordLen {
		return false
	}
	var buf [maxKeywordLen]byte
	for i := 0; i < len(word); i++ {
		buf[i] = lowerASCII(word[i])
	}
	_, ok := keywords[string(buf[:len(word)])]
	return ok
}
