package pgparse

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
	_ "unsafe" // for go:linkname

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/wasilibs/wazero-helpers/allocator"

	// Links go-pgquery's embedded WebAssembly module and its host
	// functions, reached below by go:linkname. The package's own
	// initialisation is one empty list; it starts nothing.
	_ "github.com/wasilibs/go-pgquery/parser"
)

// The WebAssembly module and the host module it imports are go-pgquery's,
// in internal packages that Go does not let this module import. They are
// reached by name instead: the module's bytes are read, never written, and
// a go-pgquery that renamed them fails the build here, not at run time.
// (Importing go-pgquery's public API instead would keep its compilation
// cache in memory only, and link pg_query_go's cgo parser; see doc.go.)

//go:linkname libpgQuery github.com/wasilibs/go-pgquery/internal/wasm.LibPGQuery
var libpgQuery []byte

//go:linkname instantiateWasix github.com/wasilibs/go-pgquery/internal/wasix32v1.MustInstantiate
func instantiateWasix(ctx context.Context, r wazero.Runtime)

// wasixContext returns the context every call into the module needs: it
// carries the stack snapshots of PostgreSQL's error handling (its
// sigsetjmp/siglongjmp, which an error in the parser uses).
//
//go:linkname wasixContext github.com/wasilibs/go-pgquery/internal/wasix32v1.BackgroundContext
func wasixContext() context.Context

// Parser parses PostgreSQL statements. Its zero value is not usable: call
// New. A Parser serves one Parse at a time (calls from several goroutines
// wait for each other); Close releases its runtime.
type Parser struct {
	cacheDir string

	mu       sync.Mutex
	started  bool
	startErr error
	startup  Startup
	rt       wazero.Runtime
	cache    wazero.CompilationCache
	code     wazero.CompiledModule
	inst     *instance // nil before the first parse and after a trap
}

// Startup says how the Parser's runtime started.
type Startup struct {
	// Took is the time from the first Parse's start to a module ready to
	// parse: compiling it, or loading it from the cache, and
	// instantiating it.
	Took time.Duration
	// CacheDir is the directory the compiled code was kept in, "" when
	// none was used; CacheErr why the cache was skipped, if it was.
	CacheDir string
	CacheErr error
}

// New returns a Parser that keeps the compiled module in cacheDir ("" for
// memory only; DefaultCacheDir is the usual choice). It starts nothing:
// the first Parse does.
func New(cacheDir string) *Parser {
	return &Parser{cacheDir: cacheDir}
}

// DefaultCacheDir is retort's cache directory for compiled code:
// $XDG_CACHE_HOME/retort/wasm, else ~/.cache/retort/wasm on Linux (the
// platform's user cache directory elsewhere).
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the cache directory: %w", err)
	}
	return filepath.Join(dir, "retort", "wasm"), nil
}

// Start starts the runtime now rather than at the first Parse (a UI can
// warm it in the background), and says how it went. Calling it again
// returns the first result.
func (p *Parser) Start() (Startup, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	err := p.ensure()
	return p.startup, err
}

// Close releases the runtime. A closed Parser starts again on its next
// Parse.
func (p *Parser) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	if p.rt != nil {
		err = p.rt.Close(context.Background())
	}
	if p.cache != nil {
		err = errors.Join(err, p.cache.Close(context.Background()))
	}
	p.started, p.startErr, p.rt, p.cache, p.code, p.inst = false, nil, nil, nil, nil, nil
	return err
}

// ensure makes an instance ready, starting the runtime the first time.
// p.mu is held.
func (p *Parser) ensure() error {
	if !p.started {
		p.started = true
		begin := time.Now()
		p.startErr = p.start()
		p.startup.Took = time.Since(begin)
	}
	if p.startErr != nil {
		return p.startErr
	}
	if p.inst == nil {
		inst, err := p.instantiate()
		if err != nil {
			return err
		}
		p.inst = inst
	}
	return nil
}

// start compiles the module, through the disk cache when there is one. A
// cache that cannot be opened, or whose content wazero refuses, is
// dropped and the module compiled in memory.
func (p *Parser) start() error {
	if p.cacheDir != "" {
		err := p.compileCached()
		if err != nil && !errors.Is(err, errNoCacheDir) {
			// The cache holds something wazero refuses (a file cut short,
			// another program's): empty it and compile into it again.
			clearCache(p.cacheDir)
			err = p.compileCached()
		}
		if err == nil {
			p.startup.CacheDir = p.cacheDir
			return nil
		}
		p.startup.CacheErr = err
	}
	return p.compile(wazero.NewCompilationCache())
}

var errNoCacheDir = errors.New("no cache directory")

func (p *Parser) compileCached() error {
	cache, err := newDiskCache(p.cacheDir)
	if err != nil {
		return err
	}
	return p.compile(cache)
}

// clearCache empties a cache directory (wazero keeps one directory per
// wazero version in it).
func clearCache(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

func newDiskCache(dir string) (wazero.CompilationCache, error) {
	// wazero creates the directory itself, but with the umask's
	// permissions; machine code another user could write is a hazard.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the cache directory: %w: %w", errNoCacheDir, err)
	}
	cache, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return nil, fmt.Errorf("opening the cache directory %s: %w: %w", dir, errNoCacheDir, err)
	}
	return cache, nil
}

// compile builds the runtime with cache and compiles the module.
func (p *Parser) compile(cache wazero.CompilationCache) error {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
		WithCompilationCache(cache).
		WithCoreFeatures(api.CoreFeaturesV2|experimental.CoreFeaturesThreads))
	err := func() (err error) {
		// The host modules' instantiation panics on failure.
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		wasi_snapshot_preview1.MustInstantiate(ctx, rt)
		instantiateWasix(ctx, rt)
		p.code, err = rt.CompileModule(ctx, libpgQuery)
		return err
	}()
	if err != nil {
		_ = rt.Close(ctx)
		_ = cache.Close(ctx)
		return fmt.Errorf("starting the PostgreSQL grammar: %w", err)
	}
	p.rt, p.cache = rt, cache
	return nil
}

// instance is one instantiation of the module: its memory and the
// functions Parse calls.
type instance struct {
	mod                             api.Module
	malloc, free, parse, freeResult api.Function
}

func (p *Parser) instantiate() (*instance, error) {
	ctx := experimental.WithMemoryAllocator(context.Background(), allocator.NewNonMoving())
	cfg := wazero.NewModuleConfig().WithSysNanotime().WithStartFunctions("_initialize").WithName("")
	mod, err := p.rt.InstantiateModule(ctx, p.code, cfg)
	if err != nil {
		return nil, fmt.Errorf("starting the PostgreSQL grammar: %w", err)
	}
	in := &instance{mod: mod}
	for _, f := range []struct {
		fn   *api.Function
		name string
	}{
		{&in.malloc, "malloc"}, {&in.free, "free"},
		{&in.parse, "pg_query_parse"}, {&in.freeResult, "pg_query_free_parse_result"},
	} {
		if *f.fn = mod.ExportedFunction(f.name); *f.fn == nil {
			_ = mod.Close(ctx)
			return nil, fmt.Errorf("starting the PostgreSQL grammar: the module exports no %s", f.name)
		}
	}
	if init := mod.ExportedFunction("pg_query_init"); init != nil {
		if _, err := init.Call(wasixContext()); err != nil {
			_ = mod.Close(ctx)
			return nil, fmt.Errorf("starting the PostgreSQL grammar: %w", err)
		}
	}
	return in, nil
}
