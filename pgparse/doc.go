// Package pgparse is PostgreSQL's own grammar for retort: libpg_query (the
// parser of PostgreSQL 17 taken out of the server) compiled to WebAssembly
// by the go-pgquery project and run by wazero, a WebAssembly runtime in pure
// Go, so that retort needs no cgo and no C toolchain.
//
// Nothing happens at import time. A Parser starts the runtime on its first
// Parse, which compiles the 2.2 MB WebAssembly module to machine code: about
// 2.5 s of CPU and 270 MB of memory. The compiled code is kept in a cache
// directory (CacheDir: $XDG_CACHE_HOME/retort/wasm, else
// ~/.cache/retort/wasm), so that later processes load it in about 0.5 s of
// CPU instead; a cache that cannot be created or read is skipped, never an
// error. Callers run Parse when lint is asked for or a preview is shown,
// never on the path of a run or of the first frame.
//
// Parse trees are libpg_query's JSON, read into Node values: objects whose
// fields are the parse nodes' (RangeVar's relname, AlterTableCmd's subtype,
// ...), with PostgreSQL's enum names as strings. go-pgquery's own Go API
// returns pg_query_go's protobuf types, but importing pg_query_go builds its
// cgo parser and runs its init (the C library's initialisation, and the
// registration of hundreds of protobuf messages) in every process that links
// it: the reason this package drives the WebAssembly module itself.
package pgparse
