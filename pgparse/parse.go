package pgparse

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Tree is what Parse returns for a text: its statements, in order.
type Tree struct {
	Stmts []RawStmt
}

// RawStmt is one statement of a Tree.
type RawStmt struct {
	// Node is the statement: Node.Type() is its parse node's name
	// (CreateStmt, AlterTableStmt, IndexStmt, ...).
	Node Node
	// Location and Len are the statement's bytes in the text parsed
	// (Len 0: to the end of the text), from the start of its first token.
	Location, Len int
}

// Error is a syntax error: PostgreSQL's message and the character (not
// byte) in the text parsed where it was found, 1-based, as PostgreSQL
// reports positions (one past the last character for "at end of input").
type Error struct {
	Message  string
	Position int
}

func (e *Error) Error() string { return e.Message }

// ErrNUL is the error for a text holding a NUL byte, which PostgreSQL
// refuses in a query.
var ErrNUL = errors.New("the statement holds a NUL byte, which PostgreSQL refuses")

// Parse parses text, which may hold several statements. A syntax error is
// an *Error; any other error means the grammar itself could not run.
func (p *Parser) Parse(text string) (*Tree, error) {
	if strings.IndexByte(text, 0) >= 0 {
		return nil, &Error{Message: ErrNUL.Error(), Position: 1 + len([]rune(text[:strings.IndexByte(text, 0)]))}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.ensure(); err != nil {
		return nil, err
	}
	out, perr, err := p.inst.call(text)
	if err != nil {
		// A trap (the module ran out of stack or memory) may leave the
		// instance in any state: the next Parse starts a fresh one.
		_ = p.inst.mod.Close(context.Background())
		p.inst = nil
		return nil, fmt.Errorf("the PostgreSQL grammar failed: %w", err)
	}
	if perr != nil {
		return nil, perr
	}
	return decode(out)
}

// call runs pg_query_parse on text and returns the JSON tree or the syntax
// error.
func (in *instance) call(text string) (tree []byte, perr *Error, err error) {
	ctx := wasixContext()
	mem := in.mod.Memory()
	input, err := in.alloc(ctx, len(text)+1)
	if err != nil {
		return nil, nil, err
	}
	defer in.release(ctx, input)
	if !mem.WriteString(input, text) || !mem.WriteByte(input+uint32(len(text)), 0) {
		return nil, nil, errors.New("writing the statement into the module's memory")
	}
	// PgQueryParseResult: char *parse_tree; char *stderr_buffer;
	// PgQueryError *error (three 32-bit pointers), returned through a
	// pointer to space the caller provides.
	res, err := in.alloc(ctx, 12)
	if err != nil {
		return nil, nil, err
	}
	defer in.release(ctx, res)
	if _, err := in.parse.Call(ctx, uint64(res), uint64(input)); err != nil {
		return nil, nil, err
	}
	defer func() {
		if _, ferr := in.freeResult.Call(ctx, uint64(res)); ferr != nil && err == nil {
			err = ferr
		}
	}()
	buf, ok := mem.Read(res, 12)
	if !ok {
		return nil, nil, errors.New("reading the parse result")
	}
	if errPtr := binary.LittleEndian.Uint32(buf[8:]); errPtr != 0 {
		perr, err := readError(mem, errPtr)
		return nil, perr, err
	}
	tree, err = readCString(mem, binary.LittleEndian.Uint32(buf))
	return tree, nil, err
}

// readError reads a PgQueryError: char *message, *funcname, *filename;
// int lineno, cursorpos; char *context.
func readError(mem memory, at uint32) (*Error, error) {
	msgPtr, ok1 := mem.ReadUint32Le(at)
	pos, ok2 := mem.ReadUint32Le(at + 16)
	if !ok1 || !ok2 {
		return nil, errors.New("reading the syntax error")
	}
	msg, err := readCString(mem, msgPtr)
	if err != nil {
		return nil, err
	}
	return &Error{Message: string(msg), Position: int(pos)}, nil
}

// memory is the part of api.Memory the readers use.
type memory interface {
	Read(offset, n uint32) ([]byte, bool)
	ReadUint32Le(offset uint32) (uint32, bool)
	Size() uint32
}

// readCString copies the NUL-terminated string at ptr out of the module.
func readCString(mem memory, ptr uint32) ([]byte, error) {
	if ptr == 0 {
		return nil, nil
	}
	size := mem.Size()
	if ptr >= size {
		return nil, errors.New("a string pointer outside the module's memory")
	}
	all, ok := mem.Read(ptr, size-ptr)
	if !ok {
		return nil, errors.New("reading a string from the module's memory")
	}
	n := 0
	for n < len(all) && all[n] != 0 {
		n++
	}
	return append([]byte(nil), all[:n]...), nil
}

func (in *instance) alloc(ctx context.Context, n int) (uint32, error) {
	r, err := in.malloc.Call(ctx, uint64(n))
	if err != nil {
		return 0, err
	}
	if r[0] == 0 {
		return 0, fmt.Errorf("the module could not allocate %d bytes", n)
	}
	return uint32(r[0]), nil
}

func (in *instance) release(ctx context.Context, ptr uint32) {
	_, _ = in.free.Call(ctx, uint64(ptr))
}

// decode reads libpg_query's JSON tree.
func decode(out []byte) (*Tree, error) {
	var raw struct {
		Stmts []struct {
			Stmt     map[string]any `json:"stmt"`
			Location int            `json:"stmt_location"`
			Len      int            `json:"stmt_len"`
		} `json:"stmts"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("reading the parse tree: %w", err)
	}
	t := &Tree{Stmts: make([]RawStmt, len(raw.Stmts))}
	for i, s := range raw.Stmts {
		t.Stmts[i] = RawStmt{Node: wrap(s.Stmt), Location: s.Location, Len: s.Len}
	}
	return t, nil
}
