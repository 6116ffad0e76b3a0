"""retort's driver: Alembic's runtime in the project's own Python.

retort starts this file once per run with the project's interpreter and
talks to it in JSON, one object per line: requests on file descriptor 3,
replies and events on file descriptor 4 (stdout and stderr stay free for
what the project prints; a line printed from Python comes back as an
"output" event as well, in order with the other events).

Requests, each answered by events and one final reply carrying "done":

  {"op": "hello"}
      the versions of Python, Alembic and SQLAlchemy.
  {"op": "evaluate", "files": [PATH, ...]}
      imports each revision file as Alembic does and reports its
      revision, down_revision, branch_labels and depends_on.
  {"op": "run", "project": {...}}
      runs the project's env.py (or, without one, a migration context of
      its own) online, with retort choosing the steps: once the context
      is configured it sends a "ready" event (version table, dialect, the
      database's identity, the version rows) and then waits for requests:
        {"op": "step", "step": {...}}   runs one step in one transaction
        {"op": "finish"}                 ends the run
  {"op": "offline", "project": {...}, "steps": [...]}
      renders each step's SQL through Alembic's offline mode.
  {"op": "inspect", "app": FACTORY, "invenio": true, "invenio_app": FACTORY}
      what the project is, for retort's configuration. With "invenio",
      and when invenio_db is installed: Invenio's script location
      (invenio_db/alembic) and the version location of each
      invenio_db.alembic entry point, resolved as invenio-db does. With an
      application factory ("app"; else "invenio_app" when invenio_db was
      found), the application is created (once per process: later runs
      reuse it) and, in its app context, reported: Flask-Migrate's
      directory and Flask-SQLAlchemy's database URL. An application that
      cannot be created is reported in "app_error", an invenio_db that
      cannot be imported in "invenio_error", not raised. Alembic is not
      needed.
  {"op": "cancel"}
      may come at any time: the step in progress stops before its next
      statement and rolls back; a second cancel interrupts the statement
      on the server.

A step is one transaction, whatever env.py asks for: the version rows are
checked at its start, the revision's upgrade() or downgrade() runs, then
retort's own statements change the version rows, check them and write the
audit row, and the transaction commits. Alembic's HeadMaintainer is
replaced in this process by one that runs retort's statements, so the
version table changes exactly as retort planned (retort's plans are
Alembic's; its tests compare them).
"""

import contextlib
import io
import json
import logging
import os
import queue
import re
import sys
import threading
import time
import traceback

PROTOCOL = 1

# Alembic logs each step it runs; retort reports steps itself.
QUIET_LOGGERS = ("alembic.runtime.migration",)


class Channel:
    """The two pipes to retort, and the queue of requests read from them."""

    def __init__(self, infd, outfd, cancel):
        self._in = os.fdopen(infd, "r", encoding="utf-8")
        self._out = os.fdopen(outfd, "w", encoding="utf-8")
        self._lock = threading.Lock()
        self._requests = queue.Queue()
        self._cancel = cancel

    def start(self):
        t = threading.Thread(target=self._read, name="retort-requests", daemon=True)
        t.start()

    def _read(self):
        for line in self._in:
            if not line.strip():
                continue
            req = json.loads(line)
            if req.get("op") == "cancel":
                self._cancel.request()
                continue
            self._requests.put(req)
        self._requests.put(None)

    def next(self):
        """The next request, None once retort closed the pipe."""
        return self._requests.get()

    def send(self, obj):
        data = json.dumps(obj, default=str) + "\n"
        with self._lock:
            self._out.write(data)
            self._out.flush()


class Cancel:
    """A cancellation asked for by retort (ctrl+c, a signal)."""

    def __init__(self):
        self.count = 0
        self.dbapi = None  # the connection whose statement a second cancel interrupts
        self._lock = threading.Lock()

    def request(self):
        with self._lock:
            self.count += 1
            conn = self.dbapi
            again = self.count > 1
        if again and conn is not None:
            interrupt(conn)

    def reset(self):
        with self._lock:
            self.count = 0


def interrupt(dbapi):
    """Stops the statement running on a DBAPI connection: PostgreSQL's
    cancel request through psycopg2, sqlite3's interrupt()."""
    for name in ("cancel", "interrupt"):
        fn = getattr(dbapi, name, None)
        if fn is not None:
            try:
                fn()
            except Exception:
                pass
            return


class Cancelled(Exception):
    """The step was cancelled before a statement ran."""


class StaleRows(Exception):
    """The version table does not hold the rows the plan expected."""

    def __init__(self, what, have, want):
        super().__init__("%s: the version table holds [%s], the plan expected [%s]" % (what, ", ".join(have), ", ".join(want)))
        self.have = have
        self.want = want


class LineWriter(io.TextIOBase):
    """sys.stdout and sys.stderr while a run is in progress: each line
    printed becomes an "output" event."""

    def __init__(self, channel, stream):
        self._channel = channel
        self._stream = stream
        self._buf = ""

    def writable(self):
        return True

    def write(self, s):
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            self._channel.send({"event": "output", "stream": self._stream, "text": line})
        return len(s)

    def flush(self):
        if self._buf:
            self._channel.send({"event": "output", "stream": self._stream, "text": self._buf})
            self._buf = ""


class EventHandler(logging.Handler):
    """Sends every logging record as a "log" event."""

    def __init__(self, channel):
        super().__init__(logging.NOTSET)
        self._channel = channel

    def emit(self, record):
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        self._channel.send({"event": "log", "logger": record.name, "level": record.levelname, "text": message})


def capture_logging(channel):
    """Routes logging to retort: env.py's fileConfig has installed its
    handlers by the time the first step is asked for, so handlers writing
    to the console are removed (their lines would come twice) and retort's
    is added to the root logger. The levels the project set stay."""
    console = (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr)
    loggers = [logging.getLogger()] + [
        l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger)
    ]
    for lg in loggers:
        for h in list(lg.handlers):
            if isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) in console:
                lg.removeHandler(h)
    handler = EventHandler(channel)
    logging.getLogger().addHandler(handler)
    return handler


def error_info(exc, revision_path=None):
    """The account of an exception retort shows: its type and message, the
    revision's file and line from the traceback, and the database's error
    (SQLSTATE, detail, hint, statement) when there is one."""
    info = {"type": type(exc).__name__, "message": str(exc).strip()}
    tb = traceback.extract_tb(exc.__traceback__)
    if revision_path:
        real = os.path.realpath(revision_path)
        for frame in reversed(tb):
            if os.path.realpath(frame.filename) == real:
                info["file"] = revision_path
                info["line"] = frame.lineno
                break
    info["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    orig = getattr(exc, "orig", None)
    if orig is not None:
        info["message"] = str(orig).strip()
        stmt = getattr(exc, "statement", None)
        if stmt:
            info["statement"] = stmt
        diag = getattr(orig, "diag", None)
        if diag is not None:
            info["sqlstate"] = getattr(orig, "pgcode", None) or ""
            info["detail"] = getattr(diag, "message_detail", None) or ""
            info["hint"] = getattr(diag, "message_hint", None) or ""
            primary = getattr(diag, "message_primary", None)
            if primary:
                info["message"] = primary
    if isinstance(exc, StaleRows):
        info["stale"] = {"have": exc.have, "want": exc.want}
    if any(isinstance(e, Cancelled) for e in causes(exc)):
        info["cancelled"] = True
    return info


def causes(exc):
    """exc and what it wraps (SQLAlchemy puts an error raised in an event
    handler in .orig, Python in __cause__ or __context__)."""
    seen = []
    while exc is not None and exc not in seen and len(seen) < 10:
        seen.append(exc)
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return seen


def parse_notice(text):
    """psycopg2 gives notices as text: "NOTICE:  message\\n"."""
    m = re.match(r"^([A-Z]+):\s+(.*)$", text.strip(), re.S)
    if not m:
        return {"severity": "NOTICE", "text": text.strip()}
    return {"severity": m.group(1), "text": m.group(2)}


class Project:
    """How to reach the project's migration environment, as retort
    resolved it: an alembic.ini (or Flask-Migrate's directory), the
    script location holding env.py, the versions directories, the
    database URL, a Flask application factory."""

    def __init__(self, spec, apps):
        self._apps = apps
        self.ini = spec.get("ini") or None
        self.script_location = spec.get("script_location") or None
        self.version_locations = spec.get("version_locations") or []
        self.url = spec.get("url") or None
        self.app = spec.get("app") or None
        self.version_table = spec.get("version_table") or None
        self.version_table_schema = spec.get("version_table_schema") or None
        self.use_env = bool(spec.get("env", True))

    def config(self, stdout):
        from alembic.config import Config

        cfg = Config(self.ini, stdout=stdout) if self.ini else Config(stdout=stdout)
        if self.script_location:
            cfg.set_main_option("script_location", self.script_location)
        if self.version_locations:
            cfg.set_main_option("version_path_separator", "os")
            cfg.set_main_option("version_locations", os.pathsep.join(self.version_locations))
        if self.url:
            cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return cfg

    @contextlib.contextmanager
    def application(self):
        """The Flask application context the revisions run in, when the
        project names a factory (see load_app)."""
        if not self.app:
            yield None
            return
        app = load_app(self.app, self._apps)
        with app.app_context():
            yield app


def load_app(import_path, apps):
    """The Flask application of import_path, found the way the flask
    command finds FLASK_APP ("package.module:create_app",
    "module:create_app('dev')", "module" with an app or a create_app,
    "path/to/app.py"), created once per process: apps caches it."""
    if import_path in apps:
        return apps[import_path]
    try:
        from flask.cli import ScriptInfo
    except ImportError as e:
        raise RuntimeError("the application %s needs Flask, which this Python cannot import: %s" % (import_path, e))
    try:
        info = ScriptInfo(app_import_path=import_path, set_debug_flag=False)
    except TypeError:  # Flask < 2.2
        info = ScriptInfo(app_import_path=import_path)
    app = info.load_app()
    apps[import_path] = app
    return app


def describe_app(app, import_path):
    """What an application says about its migrations: Flask-Migrate's
    directory (relative to the current directory, as Flask-Migrate reads
    it) and the URL of Flask-SQLAlchemy's engine (with its password:
    retort connects with it)."""
    info = {"import": import_path, "name": app.import_name}
    ext = getattr(app, "extensions", {})
    migrate = ext.get("migrate")
    if migrate is not None and getattr(migrate, "directory", None):
        info["migrate"] = {"directory": os.path.abspath(str(migrate.directory))}
    db = ext.get("sqlalchemy")
    db = getattr(db, "db", db)  # Flask-SQLAlchemy < 3 registers a state holding db
    if db is not None:
        try:
            url = db.engine.url
            render = getattr(url, "render_as_string", None)
            info["url"] = render(hide_password=False) if render else str(url)
        except BaseException as e:  # noqa: B902 (reported: the URL stays unknown)
            info["url_error"] = error_info(e)
    return info


def invenio_layout():
    """Invenio's migration layout in this Python, None without invenio_db:
    the script location invenio_db/alembic and, for each invenio_db.alembic
    entry point, the directory invenio-db's InvenioDB.init_app makes of it:
    files(module) / attr ("invenio_foo = invenio_foo:alembic" is
    invenio_foo's directory alembic). A value without ":attr"
    ("invenio_foo.alembic") makes invenio-db fail (os.path.join(None)); it
    is read here as that package's own directory, with a warning."""
    import importlib.util

    try:
        if importlib.util.find_spec("invenio_db") is None:
            return None
    except (ImportError, ValueError):
        return None
    layout = {"script_location": package_dir("invenio_db", "alembic"), "locations": []}
    for ep in group_entry_points("invenio_db.alembic"):
        loc = {"name": ep.name, "value": ep.value}
        try:
            # ep.module and ep.attr, which Python 3.8 lacks.
            module, _, attr = ep.value.partition(":")
            module, attr = module.strip(), attr.split("[")[0].strip()
            loc["path"] = package_dir(module, attr)
            loc["exists"] = os.path.isdir(loc["path"])
            if not attr:
                loc["warning"] = "invenio-db cannot resolve an entry point without ':directory' (it fails on os.path.join(None)); read as the package's own directory"
        except BaseException as e:  # noqa: B902 (reported with the entry point)
            loc["error"] = error_info(e)
        layout["locations"].append(loc)
    return layout


def group_entry_points(group):
    """The entry points of a group, one per distribution, as invenio-base
    lists them (entry_points(group=...) from Python 3.10)."""
    from importlib import metadata

    try:
        return list(metadata.entry_points(group=group))
    except TypeError:  # Python < 3.10
        seen, out = set(), []
        for ep in metadata.entry_points().get(group, []):
            if (ep.name, ep.value) not in seen:
                seen.add((ep.name, ep.value))
                out.append(ep)
        return out


def package_dir(module, attr):
    """str(importlib.resources.files(module) / attr), as invenio-db
    computes a version location (attr None: the package's directory)."""
    try:
        from importlib.resources import files
    except ImportError:  # Python < 3.9
        from importlib_resources import files
    path = files(module)
    if attr:
        path = path / attr
    return str(path)


class RetortHeads:
    """Replaces Alembic's HeadMaintainer in this process: the version rows
    change through retort's statements, which the step carries."""

    def __init__(self, driver):
        self._driver = driver

    def __call__(self, context, heads):
        return _Maintainer(self._driver, context)


class _Maintainer:
    def __init__(self, driver, context):
        self._driver = driver
        self.context = context
        # Offline, Alembic creates the version table before a run that
        # starts without heads and drops it after one that ends without;
        # retort writes its own version statements, so there is always a
        # head here.
        self.heads = {"retort"}

    def update_to_step(self, step):
        if self.context.as_sql:
            return
        self._driver.finish_step(self.context)


class Driver:
    def __init__(self, channel, cancel):
        self.ch = channel
        self.cancel = cancel
        self.step = None  # the step in progress: its spec, start time
        self.autocommit = False
        self.retort_sql = False  # retort's own statement is running
        self.started = None
        self.apps = {}  # the Flask applications created, by import path

    # -- requests -------------------------------------------------------

    def serve(self):
        while True:
            req = self.ch.next()
            if req is None:
                return
            op = req.get("op")
            try:
                if op == "hello":
                    self.ch.send(dict(self.hello(), done=True))
                elif op == "evaluate":
                    self.ch.send({"done": True, "files": [evaluate(p) for p in req.get("files", [])]})
                elif op == "run":
                    self.run(Project(req.get("project", {}), self.apps))
                elif op == "offline":
                    self.offline(Project(req.get("project", {}), self.apps), req.get("steps", []))
                elif op == "inspect":
                    self.ch.send({"done": True, "inspect": self.inspect(req)})
                else:
                    self.ch.send({"done": True, "error": {"type": "ProtocolError", "message": "unknown request %r" % (op,)}})
            except BaseException as e:  # noqa: B902 (reported to retort, which decides)
                self.ch.send({"done": True, "error": error_info(e)})
                if isinstance(e, (KeyboardInterrupt, SystemExit)) and op not in ("run", "offline"):
                    raise

    def hello(self):
        info = {"protocol": PROTOCOL, "python": sys.version.split()[0], "executable": sys.executable}
        try:
            import alembic
            import sqlalchemy

            info["alembic"] = alembic.__version__
            info["sqlalchemy"] = sqlalchemy.__version__
        except ImportError as e:
            info["missing"] = str(e)
        return info

    def inspect(self, req):
        out = {}
        if req.get("invenio"):
            try:
                out["invenio"] = invenio_layout()
            except BaseException as e:  # noqa: B902 (invenio_db is there but cannot be imported)
                out["invenio_error"] = error_info(e)
        import_path = req.get("app") or (out.get("invenio") and req.get("invenio_app")) or None
        if import_path:
            try:
                app = load_app(import_path, self.apps)
                with app.app_context():
                    out["app"] = describe_app(app, import_path)
            except BaseException as e:  # noqa: B902 (reported: retort says what failed)
                out["app_error"] = error_info(e)
                out["app_error"]["message"] = "cannot create the application %s: %s" % (import_path, out["app_error"]["message"])
        return out

    # -- online runs ----------------------------------------------------

    def run(self, project):
        from alembic.runtime import migration

        migration.HeadMaintainer = RetortHeads(self)
        out = LineWriter(self.ch, "stdout")
        err = LineWriter(self.ch, "stderr")
        state = {"ready": False}
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                with project.application():
                    self._run_env(project, state, out)
        except BaseException as e:  # noqa: B902
            out.flush()
            err.flush()
            info = error_info(e, self.step and self.step["spec"].get("path"))
            if isinstance(e, SystemExit) and e.code in (None, 0) and state["ready"]:
                self.ch.send({"done": True, "event": "run-done"})
                return
            if not state["ready"]:
                info["where"] = "starting"
                self.ch.send({"done": True, "error": info})
            else:
                self.ch.send({"done": True, "event": "step-failed" if self.step else "run-failed", "error": info,
                              "ran": self.step and self.step.get("ran", 0), "autocommit": self.step and self.step.get("autocommit", False)})
            self.step = None
            return
        out.flush()
        err.flush()
        if not state["ready"]:
            self.ch.send({"done": True, "error": {"type": "RuntimeError", "message": "env.py ended without running migrations (context.run_migrations() was not called)", "where": "starting"}})
            return
        self.ch.send({"done": True, "event": "run-done"})

    def _run_env(self, project, state, out):
        from alembic.script import ScriptDirectory

        cfg = project.config(out)
        script = ScriptDirectory.from_config(cfg)
        fn = self._steps_fn(script, project, state)
        if project.use_env and os.path.exists(os.path.join(script.dir, "env.py")):
            self._with_env(cfg, script, fn, as_sql=False, project=project)
        else:
            self._without_env(project, script, fn)

    def _with_env(self, cfg, script, fn, as_sql, project, buffer=None):
        from alembic.runtime.environment import EnvironmentContext

        asked = {}
        configure = EnvironmentContext.configure

        def forced(env_self, *args, **kw):
            # One step, one transaction, whatever env.py asks for: that
            # is retort's contract (Alembic's default is one transaction
            # for the whole run). Offline, retort writes the transactions.
            asked["transaction_per_migration"] = kw.get("transaction_per_migration", False)
            kw["transaction_per_migration"] = not as_sql
            if project.version_table and "version_table" not in kw:
                kw["version_table"] = project.version_table
            if project.version_table_schema and "version_table_schema" not in kw:
                kw["version_table_schema"] = project.version_table_schema
            if as_sql:
                kw["output_buffer"] = buffer
            return configure(env_self, *args, **kw)

        EnvironmentContext.configure = forced
        try:
            with EnvironmentContext(cfg, script, fn=fn, as_sql=as_sql, output_buffer=buffer):
                script.run_env()
        finally:
            EnvironmentContext.configure = configure
        return asked

    def _without_env(self, project, script, fn):
        """No env.py (an Invenio application, or bare versions
        directories): a migration context on the application's engine or
        on the URL, as Flask-Alembic configures it."""
        import sqlalchemy as sa
        from alembic.operations import Operations
        from alembic.runtime.migration import MigrationContext

        engine, metadata = self._engine(project)
        with engine.connect() as conn:
            opts = {"fn": fn, "transaction_per_migration": True, "script": script}
            if metadata is not None:
                opts["target_metadata"] = metadata
            if project.version_table:
                opts["version_table"] = project.version_table
            if project.version_table_schema:
                opts["version_table_schema"] = project.version_table_schema
            ctx = MigrationContext.configure(conn, opts=opts)
            with Operations.context(ctx):
                ctx.run_migrations()
        if isinstance(engine, sa.engine.Engine):
            engine.dispose()

    def _engine(self, project):
        import sqlalchemy as sa

        try:
            from flask import current_app

            ext = current_app.extensions
        except Exception:
            ext = None
        if ext is not None:
            db = None
            if "sqlalchemy" in ext:
                db = ext["sqlalchemy"]
                db = getattr(db, "db", db)
            if db is not None:
                return db.engine, getattr(db, "metadata", None)
        if not project.url:
            raise RuntimeError("no database URL and no Flask-SQLAlchemy application to take one from")
        return sa.create_engine(project.url, poolclass=sa.pool.NullPool), None

    def _steps_fn(self, script, project, state):
        def fn(heads, context):
            if not state["ready"]:
                self._ready(context, heads)
                state["ready"] = True
            while True:
                req = self.ch.next()
                if req is None or req.get("op") == "finish":
                    return
                if req.get("op") != "step":
                    self.ch.send({"done": True, "error": {"type": "ProtocolError", "message": "%r during a run" % (req.get("op"),)}})
                    continue
                step = self._revision_step(script, req["step"], context)
                self.cancel.reset()
                self.step = {"spec": req["step"], "ran": 0, "autocommit": False}
                self.started = time.monotonic()
                yield step
                # Alembic committed the step's transaction when it asked
                # for the next one.
                self.ch.send({"done": True, "event": "step-done", "ran": self.step["ran"],
                              "duration_ms": (time.monotonic() - self.started) * 1000})
                self.step = None

        return fn

    def _ready(self, context, heads):
        capture_logging(self.ch)
        if context.dialect.name == "sqlite":
            # pysqlite begins a transaction only before INSERT, UPDATE and
            # DELETE, so DDL would commit on its own: retort begins each
            # step's transaction itself (begin_sqlite).
            dbapi_of(context.connection).isolation_level = None
        self._watch(context)
        self.ch.send({
            "done": True,
            "event": "ready",
            "version_table": context.version_table,
            "version_table_schema": context.version_table_schema or "",
            "dialect": context.dialect.name,
            "identity": identity(context.connection),
            "heads": list(heads),
        })

    def _watch(self, context):
        """Statement events, notices and cancellation, for every connection
        of the run's engine (autocommit_block switches connections)."""
        from sqlalchemy import event

        engine = context.connection.engine
        self.cancel.dbapi = dbapi_of(context.connection)
        timing = {}

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, ctx, executemany):
            if self.cancel.count and not self.retort_sql:
                raise Cancelled("cancelled before this statement ran")
            timing[id(cursor)] = time.monotonic()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, ctx, executemany):
            t0 = timing.pop(id(cursor), None)
            dbapi = dbapi_of(conn)
            if self.retort_sql or self.step is None:
                drain_notices(dbapi)
                return
            self.step["ran"] += 1
            ev = {"event": "statement", "sql": statement, "rows": getattr(cursor, "rowcount", -1),
                  "autocommit": self.autocommit}
            if t0 is not None:
                ev["duration_ms"] = (time.monotonic() - t0) * 1000
            self.ch.send(ev)
            for n in drain_notices(dbapi):
                self.ch.send(dict(parse_notice(n), event="notice"))

        mc = type(context)
        if not getattr(mc, "_retort_autocommit", False):
            original = mc.autocommit_block

            @contextlib.contextmanager
            def autocommit_block(ctx_self):
                self.autocommit = True
                if self.step is not None:
                    self.step["autocommit"] = True
                self.ch.send({"event": "autocommit", "begin": True})
                try:
                    with original(ctx_self):
                        yield
                    begin_sqlite(ctx_self.connection)
                finally:
                    self.autocommit = False
                    self.ch.send({"event": "autocommit", "begin": False})

            mc.autocommit_block = autocommit_block
            mc._retort_autocommit = True

    def _revision_step(self, script, spec, context):
        from alembic.runtime.migration import RevisionStep
        from alembic.script.base import Script

        path = spec["path"]
        rev = Script._from_path(script, path)
        if rev is None:
            raise RuntimeError("%s: not a revision file Alembic can read" % path)
        if rev.revision != spec["revision"]:
            raise RuntimeError("%s: Alembic reads revision %r there, retort planned %r" % (path, rev.revision, spec["revision"]))
        # Alembic's revision map is not built: retort planned the steps, and
        # the map would refuse a parent that is a .sql revision.
        step = RevisionStep(None, rev, spec["direction"] == "upgrade")
        body = step.migration_fn
        select = spec["select"]
        before = spec["before"]

        def migration_fn(**kw):
            # The version rows are checked in the step's own transaction,
            # before the revision runs: no gap between check and step.
            begin_sqlite(context.connection)
            have = self.retort_rows(context, select)
            if have != sorted(before):
                raise StaleRows("before the step", have, sorted(before))
            return body(**kw)

        step.migration_fn = migration_fn
        return step

    def retort_rows(self, context, select):
        rows = self.retort_exec(context, select, {}, fetch=True)
        return sorted(r[0] for r in rows)

    def retort_exec(self, context, sql, params, fetch=False):
        from sqlalchemy import text

        self.retort_sql = True
        try:
            result = context.connection.execute(text(sql), params or {})
            if fetch:
                return result.fetchall()
            return result.rowcount
        finally:
            self.retort_sql = False

    def finish_step(self, context):
        """retort's end of the step, in its transaction: the version
        changes (each UPDATE and DELETE must hit one row), the check of
        the rows after them, and the audit row."""
        spec = self.step["spec"]
        for op in spec.get("ops", []):
            n = self.retort_exec(context, op["sql"], op.get("params"))
            if op.get("one") and n != 1:
                raise RuntimeError(
                    "Online migration expected to match one row when %s; %d found" % (op.get("what", "changing the version table"), n))
        have = self.retort_rows(context, spec["select"])
        if have != sorted(spec["after"]):
            raise StaleRows("after the step's changes", have, sorted(spec["after"]))
        for st in spec.get("finish", []):
            self.retort_exec(context, st["sql"], st.get("params"))

    # -- offline --------------------------------------------------------

    def offline(self, project, steps):
        """Each step's SQL from Alembic's offline mode. A step that cannot
        render (it reads the database through op.get_bind(), its imports
        fail) gets its error instead, and the others still render."""
        from alembic.runtime import migration
        from alembic.script import ScriptDirectory

        migration.HeadMaintainer = RetortHeads(self)
        results = [{"sql": "", "error": None} for _ in steps]
        buf = io.StringIO()
        out = LineWriter(self.ch, "stdout")
        err = LineWriter(self.ch, "stderr")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                with project.application():
                    cfg = project.config(out)
                    script = ScriptDirectory.from_config(cfg)
                    fn = self._offline_fn(script, steps, results, buf)
                    if not os.path.exists(os.path.join(script.dir, "env.py")):
                        raise RuntimeError("no env.py in %s: offline mode runs through it" % script.dir)
                    self._with_env(cfg, script, fn, as_sql=True, project=project, buffer=buf)
        except BaseException as e:  # noqa: B902
            info = error_info(e)
            for r in results:
                if r["sql"] == "" and r["error"] is None:
                    r["error"] = info
        out.flush()
        err.flush()
        self.ch.send({"done": True, "steps": results})

    def _offline_fn(self, script, steps, results, buf):
        def fn(heads, context):
            for k, spec in enumerate(steps):
                step = None
                try:
                    step = self._offline_step(script, spec, results[k], buf)
                except BaseException as e:  # noqa: B902
                    results[k]["error"] = error_info(e, spec.get("path"))
                if step is None:
                    continue
                start = buf.tell()
                results[k]["start"] = start
                yield step
                results[k]["sql"] = strip_running(buf.getvalue()[start:])

        return fn

    def _offline_step(self, script, spec, result, buf):
        from alembic.runtime.migration import RevisionStep
        from alembic.script.base import Script

        rev = Script._from_path(script, spec["path"])
        if rev is None:
            raise RuntimeError("%s: not a revision file Alembic can read" % spec["path"])
        step = RevisionStep(None, rev, spec["direction"] == "upgrade")
        body = step.migration_fn

        def migration_fn(**kw):
            start = buf.tell()
            try:
                body(**kw)
            except BaseException as e:  # noqa: B902
                result["error"] = error_info(e, spec["path"])
                buf.seek(start)
                buf.truncate()

        step.migration_fn = migration_fn
        return step


def strip_running(sql):
    """Alembic writes its own "-- Running ..." comment before a step's SQL;
    retort writes it once, itself."""
    lines = sql.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].startswith("-- Running "):
        lines.pop(0)
    return "\n".join(lines).strip("\n") + ("\n" if "".join(lines).strip() else "")


def begin_sqlite(conn):
    """Begins the step's transaction on SQLite, where pysqlite, in the
    autocommit mode _ready set, leaves that to the caller."""
    if conn.dialect.name != "sqlite":
        return
    dbapi = dbapi_of(conn)
    if dbapi.isolation_level is None and not dbapi.in_transaction:
        dbapi.execute("BEGIN")


def dbapi_of(conn):
    """The DBAPI connection under a SQLAlchemy connection."""
    raw = getattr(conn, "connection", None)
    return getattr(raw, "dbapi_connection", None) or getattr(raw, "connection", None) or raw


def drain_notices(dbapi):
    notices = getattr(dbapi, "notices", None)
    if not notices:
        return []
    out = list(notices)
    del notices[:]
    return out


def identity(conn):
    """Which database the connection reaches, for retort to compare with
    the one it holds the lock on."""
    name = conn.dialect.name
    if name == "postgresql":
        row = conn.exec_driver_sql(
            "SELECT current_database(), (SELECT system_identifier::text FROM pg_control_system())").fetchone()
        return {"dialect": name, "database": row[0], "system_identifier": row[1]}
    if name == "sqlite":
        rows = conn.exec_driver_sql("PRAGMA database_list").fetchall()
        path = next((r[2] for r in rows if r[1] == "main"), "")
        return {"dialect": name, "path": path}
    return {"dialect": name}


def evaluate(path):
    """A revision file's identifiers, as Alembic reads them: by importing
    the module."""
    from alembic import util

    result = {"path": path}
    try:
        module = util.load_python_file(os.path.dirname(path), os.path.basename(path))
    except BaseException as e:  # noqa: B902
        result["error"] = error_info(e, path)
        return result
    for name in ("revision", "down_revision", "branch_labels", "depends_on"):
        if hasattr(module, name):
            result[name] = plain(getattr(module, name))
    result["doc"] = module.__doc__ or ""
    return result


def plain(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return repr(value)


class Quiet(logging.Filter):
    """Drops Alembic's own announcements ("Context impl ...", "Running
    upgrade ..."): retort reports its steps itself. A logger's filters
    survive env.py's fileConfig, which replaces handlers."""

    def filter(self, record):
        return record.levelno >= logging.WARNING


def main():
    for name in QUIET_LOGGERS:
        logging.getLogger(name).addFilter(Quiet())
    cancel = Cancel()
    ch = Channel(3, 4, cancel)
    ch.start()
    Driver(ch, cancel).serve()


if __name__ == "__main__":
    main()
