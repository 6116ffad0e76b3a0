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
      its own) online, with retort choosing each migration step: once the
      context is configured it answers with a "ready" event (version
      table, dialect, the database's identity and user) and then serves a
      database session on env.py's connection, one request at a time:
        {"op": "begin", "select": SQL}  begins a transaction and answers
                                         the first column of SQL's rows
                                         (values)
        {"op": "exec", "sql": SQL, "args": [...]}
                                         runs a statement: rows_affected
        {"op": "batch", "stmts": [{"sql", "args"}, ...]}
                                         runs them in order, stopping at
                                         the first error: affected, failed
        {"op": "query", "sql": SQL, "args": [...]}
                                         its rows (result)
        {"op": "body", "path", "revision", "direction"}
                                         calls the revision's upgrade() or
                                         downgrade(): ran, kept, or error
        {"op": "finish"}                 ends the run
      "COMMIT" and "ROLLBACK" are statements (alone, or COMMIT last in a
      batch). Arguments are in the DBAPI's own style (psycopg2's %s,
      sqlite3's ?).
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
      may come at any time: the body in progress stops before its next
      statement (the statement running runs to its end).

How a session's transactions are Alembic's own (see Session and
Transaction): a begin is handed to Alembic as a migration step, which
opens its per-migration transaction (one per step, whatever env.py asks
for) and calls the step's migration_fn; that serves the requests that
follow inside the transaction, the revision's body included, until
COMMIT, when it returns and Alembic commits, or ROLLBACK, raised through
Alembic, which rolls back, and out of env.py, which runs again for the
next transaction. retort decides everything around the body (the
version-row check, the version changes, the audit row); the driver only
executes. Alembic's HeadMaintainer is replaced in this process by one
that does nothing: the version table changes through retort's
statements, exactly as retort planned.
"""

import contextlib
import io
import json
import logging
import os
import re
import select
import sys
import threading
import time
import traceback

PROTOCOL = 1

# Alembic logs each step it runs; retort reports steps itself.
QUIET_LOGGERS = ("alembic.runtime.migration",)


class Channel:
    """The two pipes to retort. Requests are read in the main thread, as it
    serves them (a thread handing them over would cost two thread switches
    per request); a cancellation, the only thing retort sends while a body
    runs, is noticed before the body's next statement (cancelled)."""

    def __init__(self, infd, outfd):
        self._fd = infd
        self._buf = b""
        self._eof = False
        self._pending = []  # requests read while looking for a cancellation
        self._cancels = 0
        self._polled = 0.0  # when cancelled() last looked at the pipe
        self._out = os.fdopen(outfd, "w", encoding="utf-8")
        self._lock = threading.Lock()  # a revision's threads may log or print
        self._waiting = None  # since when written data waits to be flushed
        threading.Thread(target=self._flusher, name="retort-flush", daemon=True).start()

    def _line(self, block):
        """The next line, None at the end of the pipe or, not blocking,
        when none has come whole."""
        while b"\n" not in self._buf:
            if self._eof or (not block and not select.select([self._fd], [], [], 0)[0]):
                return None
            data = os.read(self._fd, 1 << 16)
            if not data:
                self._eof = True
                return None
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def _read(self, block):
        """Reads lines up to a request, counting cancellations."""
        while True:
            line = self._line(block)
            if line is None:
                return None
            if not line.strip():
                continue
            req = json.loads(line)
            if req.get("op") == "cancel":
                self._cancels += 1
                continue
            return req

    def next(self):
        """The next request, None once retort closed the pipe (and for
        every call after that)."""
        if self._pending:
            return self._pending.pop(0)
        return self._read(True)

    def reset_cancel(self):
        """Forgets cancellations of a body that is over."""
        self._cancels = 0
        # A cancellation that comes while the body is short is the
        # engine's to act on once the body is over.
        self._polled = time.monotonic()

    def cancelled(self):
        """Whether retort asked to cancel, reading what it sent meanwhile
        (every 20 ms at most: a system call per statement would cost more
        than the statements of a short body)."""
        now = time.monotonic()
        if now - self._polled >= 0.02:
            self._polled = now
            req = self._read(False)
            if req is not None:
                self._pending.append(req)
        return self._cancels > 0

    def send(self, obj, later=False):
        """Writes obj; later: it may wait (a quarter of a second at most)
        for what follows it, so that a statement's event and the reply of a
        short body cost one write."""
        data = json.dumps(obj, default=str) + "\n"
        with self._lock:
            self._out.write(data)
            if not later:
                self._out.flush()
                self._waiting = None
            elif self._waiting is None:
                self._waiting = time.monotonic()

    def flush(self):
        """Writes what waits: before a statement, which may be long."""
        with self._lock:
            if self._waiting is not None:
                self._out.flush()
                self._waiting = None

    def _flusher(self):
        while True:
            time.sleep(0.1)
            with self._lock:
                if self._waiting is not None and time.monotonic() - self._waiting > 0.2:
                    self._out.flush()
                    self._waiting = None


class Cancelled(Exception):
    """The step was cancelled before a statement ran."""


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
    root = logging.getLogger()
    if not any(isinstance(h, EventHandler) for h in root.handlers):
        root.addHandler(EventHandler(channel))


def error_info(exc, revision_path=None):
    """The account of an exception retort shows: its type and message, the
    revision's file and line from the traceback, and the database's error
    (SQLSTATE, severity, detail, hint, position, statement) when there is
    one: a DBAPI error raised as is, or wrapped by SQLAlchemy (in .orig)."""
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
    else:
        orig = exc
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(orig, "pgcode", None):
        info["sqlstate"] = orig.pgcode
        info["severity"] = getattr(diag, "severity", None) or ""
        info["severity_nonlocalized"] = getattr(diag, "severity_nonlocalized", None) or ""
        info["detail"] = getattr(diag, "message_detail", None) or ""
        info["hint"] = getattr(diag, "message_hint", None) or ""
        try:
            info["position"] = int(getattr(diag, "statement_position", None) or 0)
        except ValueError:
            pass
        primary = getattr(diag, "message_primary", None)
        if primary:
            info["message"] = primary
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
    """Replaces Alembic's HeadMaintainer in this process: retort changes the
    version rows itself, with its own statements in the step's transaction
    (online) or in its own output (offline)."""

    def __call__(self, context, heads):
        return _Maintainer()


class _Maintainer:
    def __init__(self):
        # Offline, Alembic creates the version table before a run that
        # starts without heads and drops it after one that ends without;
        # retort writes its own version statements, so there is always a
        # head here.
        self.heads = {"retort"}

    def update_to_step(self, step):
        pass


class Rollback(BaseException):
    """retort rolled the transaction back (req: its ROLLBACK request; None:
    retort went away). Raised inside Alembic's per-migration transaction,
    which rolls back, and out of env.py, which ends; the next transaction
    runs env.py again. A BaseException, so that an env.py catching
    Exception lets it through."""

    def __init__(self, req=None):
        super().__init__("rolled back by retort")
        self.req = req


class Transaction:
    """One transaction of retort's session, handed to Alembic as a migration
    step: Alembic opens its per-migration transaction around it and calls
    migration_fn, which serves retort's requests in it (the version-row
    read, retort's statements, the revision's body) until retort sends
    COMMIT (migration_fn returns, and Alembic commits) or ROLLBACK (Rollback
    is raised, and Alembic rolls back)."""

    def __init__(self, session, begin):
        self.session = session
        self.begin = begin
        self.revision_step = None  # Alembic's step whose body ran, if any
        self.commit = None  # the request whose COMMIT ends the transaction
        self.affected = []  # the rows of that batch's statements before it

    def migration_fn(self, **kw):
        self.session.serve(self, kw)

    def __str__(self):
        return str(self.revision_step) if self.revision_step else "retort's transaction"

    @property
    def short_log(self):
        return self.revision_step.short_log if self.revision_step else "retort's transaction"

    @property
    def info(self):
        """What Alembic hands env.py's on_version_apply callbacks. Without
        Alembic's revision map, the down revisions are the revision's
        down_revision, without its depends_on."""
        from alembic.runtime.migration import MigrationInfo

        step = self.revision_step
        if step is None:
            return MigrationInfo(None, is_upgrade=True, is_stamp=True, up_revisions=(), down_revisions=())
        rev = step.revision
        return MigrationInfo(None, is_upgrade=step.is_upgrade, is_stamp=False, up_revisions=rev.revision,
                             down_revisions=rev._versioned_down_revisions)


class Body:
    """The counts of the revision body in progress: the statements that ran,
    and of them those that committed (before or in an autocommit_block())."""

    def __init__(self, path, real):
        self.path = path
        self.real = real
        self.ran = 0
        self.kept = 0
        self.started = {}  # the start of each cursor's statement
        self.lines = {}  # the line of each cursor's statement in the file


def is_statement(sql, word):
    return sql.strip().rstrip(";").strip().upper() == word


class Transactions:
    """retort's transactions on env.py's connection, begun and ended as
    SQL inside Alembic's per-migration transactions, whose own BEGIN and
    COMMIT then have nothing to do: psycopg2 is put in autocommit mode, and
    pysqlite in the mode where it leaves transactions to its caller. So the
    BEGIN rides with the version-row read, and on PostgreSQL the COMMIT with
    the step's end, in one round trip each, and a COMMIT's failure is
    known before the transaction is handed back to Alembic. The modes the
    connection had come back when env.py's run ends (release)."""

    def __init__(self, conn):
        self.conn = conn
        self.dbapi = dbapi_of(conn)
        self.pg = conn.dialect.name == "postgresql"
        if self.pg:
            # What env.py ran so far (a SET lock_timeout, Alembic's read of
            # the heads) is in psycopg2's open transaction: kept.
            self.dbapi.commit()
            self.saved = self.dbapi.autocommit
            self.dbapi.autocommit = True
        else:
            self.saved = self.dbapi.isolation_level
            self.dbapi.isolation_level = None

    def begin(self):
        """The SQL that begins a transaction; SQLite's takes the write lock
        at once, as retort's own transactions do (a deferred one that
        reads first could fail to become a writer)."""
        return "BEGIN" if self.pg else "BEGIN IMMEDIATE"

    def before_block(self):
        """autocommit_block() commits what ran before it: on PostgreSQL
        the COMMIT is retort's to send (Alembic's commits nothing)."""
        if self.pg:
            run_sql(self.dbapi, "COMMIT")

    def after_block(self, conn):
        """After an autocommit_block(), SQLAlchemy put the connection back in
        its own mode: the transaction Alembic opens after the block is begun
        here, in retort's."""
        self.conn = conn
        if self.pg:
            self.dbapi.autocommit = True
        else:
            self.dbapi.isolation_level = None
        run_sql(self.dbapi, self.begin())

    def release(self):
        """Gives the connection its modes back, without a transaction of
        retort's left open on it (env.py's engine may keep it in a pool)."""
        try:
            if self.pg:
                from psycopg2 import extensions

                if self.dbapi.info.transaction_status != extensions.TRANSACTION_STATUS_IDLE:
                    run_sql(self.dbapi, "ROLLBACK")
                self.dbapi.autocommit = self.saved
            else:
                if self.dbapi.in_transaction:
                    self.dbapi.rollback()
                self.dbapi.isolation_level = self.saved
        except Exception:  # noqa: B902 (the connection is gone)
            pass


def run_sql(dbapi, sql):
    cur = dbapi.cursor()
    try:
        cur.execute(sql)
    finally:
        cur.close()


class Session:
    """An online run: the project's env.py, run with retort choosing what
    each migration step is (a Transaction), and retort's session served on
    the connection env.py configured. A ROLLBACK ends env.py; the next
    transaction runs it again, on a new connection to the same database."""

    def __init__(self, driver, project):
        self.ch = driver.ch
        self.project = project
        self.script = None
        self.context = None
        self.first = None  # the identity of the first connection, which retort checked
        self.backend = None  # the server session of the current connection
        self.pending = None  # a begin that waits for env.py to run again
        self.awaiting = None  # the request whose answer is due
        self.end = None  # how the fn ended: "finish" or "eof"
        self.tx = None
        self.body = None
        self.autocommit = False
        self.watched = set()
        self.realpaths = {}  # the real paths of the files on the stacks seen
        self.txs = None  # retort's transactions on env.py's connection

    # -- env.py, once and again ----------------------------------------

    def run(self):
        out = LineWriter(self.ch, "stdout")
        err = LineWriter(self.ch, "stderr")
        self.awaiting = {"op": "run"}
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                with self.project.application():
                    while self.run_env(out) == "again":
                        out.flush()
                        err.flush()
                        if not self.between():
                            return
        except BaseException as e:  # noqa: B902 (the application could not be created)
            self.failed(e)
        finally:
            out.flush()
            err.flush()

    def run_env(self, out):
        """Runs env.py once; "again" when a transaction ended it (a
        ROLLBACK, a failure) and the run goes on."""
        from alembic.script import ScriptDirectory

        self.end = None
        try:
            cfg = self.project.config(out)
            self.script = ScriptDirectory.from_config(cfg)
            fn = self.steps_fn()
            if self.project.use_env and os.path.exists(os.path.join(self.script.dir, "env.py")):
                with_env(cfg, self.script, fn, as_sql=False, project=self.project)
            else:
                without_env(self.project, self.script, fn)
        except Rollback as r:
            if r.req is None:
                return "eof"
            self.reply({"done": True, "rows_affected": 0})
            return "again"
        except BaseException as e:  # noqa: B902 (reported to the request waiting)
            if isinstance(e, SystemExit) and e.code in (None, 0) and self.end:
                pass
            else:
                self.failed(e)
                return "again" if self.first is not None else "over"
        finally:
            self.tx = None
            self.context = None
            if self.txs is not None:
                self.txs.release()
                self.txs = None
        if self.end == "finish":
            self.reply({"done": True, "event": "run-done"})
        elif self.end is None:
            self.failed(RuntimeError("env.py ended without running migrations (context.run_migrations() was not called)"))
            return "again" if self.first is not None else "over"
        return self.end

    def between(self):
        """Serves what comes after env.py ended with a transaction: False
        once the run is over."""
        while True:
            req = self.ch.next()
            if req is None:
                return False
            self.awaiting = req
            op = req.get("op")
            if op == "finish":
                self.reply({"done": True, "event": "run-done"})
                return False
            if op == "begin":
                self.pending = req
                return True
            if op == "exec" and (is_statement(req["sql"], "ROLLBACK") or is_statement(req["sql"], "COMMIT")):
                self.reply({"done": True, "rows_affected": 0})  # no transaction to end
                continue
            self.reply(protocol_error("%s outside a transaction" % op))

    def reply(self, obj):
        self.awaiting = None
        self.ch.send(obj)

    def failed(self, e):
        """Reports e to the request waiting for an answer: the run (env.py
        failed before its first step), a begin (env.py failed when it ran
        again), a COMMIT (it ran, then Alembic failed to close the step:
        an on_version_apply callback raised, say; retort checks the
        version table to tell whether the step committed)."""
        req = self.awaiting
        self.pending = None
        if req is None:
            return
        info = error_info(e)
        if req.get("op") == "run":
            info["where"] = "starting"
        info["closed"] = True  # env.py ended: its connection with it
        self.reply({"done": True, "error": info})

    def steps_fn(self):
        def fn(heads, context):
            self.ready(context, heads)
            while True:
                req = self.pending or self.ch.next()
                self.pending = None
                if req is None:
                    self.end = "eof"
                    self.txs.release()
                    return
                self.awaiting = req
                op = req.get("op")
                if op == "finish":
                    self.end = "finish"
                    self.txs.release()
                    return
                if op == "begin":
                    self.tx = Transaction(self, req)
                    yield self.tx
                    # The step's COMMIT ran; Alembic closed the step when
                    # it asked for the next one.
                    self.committed(self.tx)
                    self.tx = None
                elif op == "exec" and (is_statement(req["sql"], "ROLLBACK") or is_statement(req["sql"], "COMMIT")):
                    self.reply({"done": True, "rows_affected": 0})
                else:
                    self.reply(protocol_error("%s outside a transaction" % op))

        return fn

    def committed(self, tx):
        req = tx.commit
        if req.get("op") == "batch":
            self.reply({"done": True, "affected": tx.affected, "failed": len(req.get("stmts", []))})
        else:
            self.reply({"done": True, "rows_affected": 0})

    def ready(self, context, heads):
        """env.py configured its context: the connection is checked (the
        first time by retort, then against the first one) and watched."""
        self.context = context
        self.watch(context)
        capture_logging(self.ch)
        ident = identity(context.connection)
        self.backend = ident.get("backend")
        self.txs = Transactions(context.connection)
        if self.first is None:
            self.first = ident
            self.reply({
                "done": True,
                "event": "ready",
                "version_table": context.version_table,
                "version_table_schema": context.version_table_schema or "",
                "dialect": context.dialect.name,
                "identity": ident,
                "heads": list(heads),
            })
            return
        same = ("dialect", "database", "system_identifier", "path")
        if any(ident.get(k) != self.first.get(k) for k in same):
            raise RuntimeError("env.py connected to another database when it ran again: %r, not %r" % (
                {k: ident.get(k) for k in same}, {k: self.first.get(k) for k in same}))

    # -- one transaction ------------------------------------------------

    def serve(self, tx, kw):
        self.reply(self.begin(tx.begin))
        while True:
            req = self.ch.next()
            if req is None:
                self.rollback()
                raise Rollback()
            self.awaiting = req
            op = req.get("op")
            if op == "exec" and is_statement(req["sql"], "ROLLBACK"):
                self.rollback()
                raise Rollback(req)
            if op == "exec" and is_statement(req["sql"], "COMMIT"):
                res = self.execute(req)
                if "error" not in res:
                    tx.commit = req
                    return
                self.reply(res)
            elif op == "exec":
                self.reply(self.execute(req))
            elif op == "batch":
                res = self.batch(req)
                if res is None:
                    tx.commit = req
                    tx.affected = self.affected
                    return
                self.reply(res)
            elif op == "query":
                self.reply(self.execute(req, fetch=True))
            elif op == "body":
                self.reply(self.run_body(tx, req, kw))
            else:
                self.reply(protocol_error("%s in a transaction" % op))

    def begin(self, req):
        """Begins the transaction and reads the version rows in it: one
        round trip on PostgreSQL, whose simple protocol takes both."""
        out = {"done": True, "backend": self.backend}
        begin, query = self.txs.begin(), req.get("select")
        try:
            if query and self.txs.pg:
                _, rows = self.raw(begin + ";\n" + query, None, True)
            else:
                self.raw(begin, None, False)
                rows = self.raw(query, None, True)[1] if query else []
        except Exception as e:  # noqa: B902 (the database's error, for the engine)
            return {"done": True, "error": self.db_error(e)}
        out["values"] = [r[0] for r in rows]
        return out

    def rollback(self):
        """Rolls the transaction back, for Alembic's rollback to find
        nothing left to do; its error is of no use (the connection may be
        gone, and the server then rolls back)."""
        try:
            run_sql(self.txs.dbapi, "ROLLBACK")
        except Exception:  # noqa: B902
            pass
        self.txs.release()

    def raw(self, sql, args, fetch):
        dbapi = self.txs.dbapi
        cur = dbapi.cursor()
        try:
            if args:
                cur.execute(sql, args)
            else:
                cur.execute(sql)
            rows = None
            if fetch:
                rows = [[plain_value(v) for v in row] for row in cur.fetchall()] if cur.description else []
            return cur.rowcount, rows
        finally:
            cur.close()
            drain_notices(dbapi)

    def execute(self, req, fetch=False):
        try:
            n, rows = self.raw(req["sql"], req.get("args"), fetch)
        except Exception as e:  # noqa: B902 (the database's error, for the engine)
            return {"done": True, "error": self.db_error(e)}
        out = {"done": True, "rows_affected": n}
        if fetch:
            out["result"] = rows
        return out

    def batch(self, req):
        """Runs the statements in order, stopping at the first error; None
        when they ran up to a final COMMIT, which is Alembic's."""
        stmts = req.get("stmts") or []
        self.affected = []
        existing = None
        if len(stmts) > 1 and self.txs.pg:
            try:
                failed = self.combined(stmts)
            except Exception as e:  # noqa: B902 (what failed is found one by one)
                failed = e
            if failed is None:
                self.affected = [-1] * len(stmts)
                return None if is_statement(stmts[-1]["sql"], "COMMIT") else {
                    "done": True, "affected": self.affected, "failed": len(stmts)}
            if not isinstance(failed, set):
                # The COMMIT itself failed: the transaction is over.
                return {"done": True, "affected": [-1] * (len(stmts) - 1), "failed": len(stmts) - 1,
                        "error": self.db_error(failed)}
            existing = failed
        for i, st in enumerate(stmts):
            try:
                if st.get("prepare") and (existing is None or st.get("name") not in existing):
                    self.raw(st["prepare"], None, False)
                n, _ = self.raw(st["sql"], st.get("args"), False)
            except Exception as e:  # noqa: B902
                return {"done": True, "affected": self.affected, "failed": i, "error": self.db_error(e)}
            self.affected.append(n)
            if is_statement(st["sql"], "COMMIT") and i == len(stmts) - 1:
                return None
        return {"done": True, "affected": self.affected, "failed": len(stmts)}

    def combined(self, stmts):
        """Runs the statements (a COMMIT among them) in one round trip, as
        psycopg2 sends one text holding several (their arguments inlined, as
        psycopg2 does for each), behind a savepoint. None when they all
        ran. On an error, the savepoint takes the transaction back to
        before them, and the caller runs them one by one, which finds the
        one that fails (the first, when the transaction had failed before
        the savepoint could be set); the set returned names the statements
        prepared by then (a PREPARE outlives a rollback). When no
        transaction is left, the final COMMIT failed: its error is
        returned. Their rows affected are not known (-1); retort reads them
        only on SQLite."""
        from psycopg2 import extensions

        dbapi = self.txs.dbapi
        cur = dbapi.cursor()
        try:
            parts = [b"SAVEPOINT retort_batch"]
            for st in stmts:
                if st.get("prepare"):
                    parts.append(st["prepare"].encode("utf-8"))
                args = st.get("args")
                parts.append(cur.mogrify(st["sql"], args) if args else st["sql"].encode("utf-8"))
            try:
                cur.execute(b";\n".join(parts))
                return None
            except Exception as e:  # noqa: B902
                failure = e
            if is_statement(stmts[-1]["sql"], "COMMIT") and dbapi.info.transaction_status == extensions.TRANSACTION_STATUS_IDLE:
                return failure
            try:
                cur.execute("ROLLBACK TO SAVEPOINT retort_batch")
                cur.execute("SELECT name FROM pg_prepared_statements")
                return {r[0] for r in cur.fetchall()}
            except Exception:  # noqa: B902 (never set: the first statement fails again)
                return set()
        finally:
            cur.close()
            drain_notices(dbapi)

    def db_error(self, e):
        info = error_info(e)
        info["closed"] = bool(getattr(self.txs.dbapi, "closed", False))
        return info

    def run_body(self, tx, req, kw):
        """Calls the revision's upgrade() or downgrade() through Alembic's
        runtime, with Flask-SQLAlchemy's session on the step's connection."""
        from alembic.runtime.migration import RevisionStep
        from alembic.script.base import Script

        path = req["path"]
        try:
            rev = Script._from_path(self.script, path)
            if rev is None:
                raise RuntimeError("%s: not a revision file Alembic can read" % path)
            if rev.revision != req["revision"]:
                raise RuntimeError("%s: Alembic reads revision %r there, retort planned %r" % (path, rev.revision, req["revision"]))
        except BaseException as e:  # noqa: B902 (an import error of the revision)
            return {"done": True, "error": error_info(e, path), "ran": 0, "kept": 0}
        # Alembic's revision map is not built: retort planned the steps, and
        # the map would refuse a parent that is a .sql revision.
        step = RevisionStep(None, rev, req["direction"] == "upgrade")
        tx.revision_step = step
        self.ch.reset_cancel()
        real = self.realpaths.get(path)
        if real is None:
            real = self.realpaths[path] = os.path.realpath(path)
        body = self.body = Body(path, real)
        try:
            with flask_session_on(self.context.connection):
                step.migration_fn(**kw)
        except BaseException as e:  # noqa: B902 (the revision's failure, reported)
            return {"done": True, "error": error_info(e, path), "ran": body.ran, "kept": body.kept}
        finally:
            self.body = None
        return {"done": True, "ran": body.ran, "kept": body.kept}

    # -- what the body does ---------------------------------------------

    def watch(self, context):
        """Statement events, notices and cancellation on the run's engine
        (every connection of it: autocommit_block switches connections, and
        Flask-SQLAlchemy's session runs on the step's)."""
        from sqlalchemy import event

        engine = context.connection.engine
        if id(engine) in self.watched:
            return
        self.watched.add(id(engine))

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, ctx, executemany):
            b = self.body
            if b is None:
                return
            self.ch.flush()
            if self.ch.cancelled():
                raise Cancelled("cancelled before this statement ran")
            b.lines[id(cursor)] = revision_line(b.real, self.realpaths)
            b.started[id(cursor)] = time.monotonic()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, ctx, executemany):
            b = self.body
            dbapi = dbapi_of(conn)
            if b is None:
                drain_notices(dbapi)
                return
            t0 = b.started.pop(id(cursor), None)
            b.ran += 1
            if self.autocommit:
                b.kept = b.ran
            ev = {"event": "statement", "sql": statement, "rows": getattr(cursor, "rowcount", -1),
                  "autocommit": self.autocommit, "line": b.lines.pop(id(cursor), 0)}
            if t0 is not None:
                ev["duration_ms"] = (time.monotonic() - t0) * 1000
            # A statement of an autocommit_block() stays applied: said at
            # once, should the process die after it.
            self.ch.send(ev, later=not self.autocommit)
            for n in drain_notices(dbapi):
                self.ch.send(dict(parse_notice(n), event="notice"))

        self.patch_autocommit(type(context))

    def patch_autocommit(self, mc):
        """autocommit_block() commits what ran before it: those statements
        stay applied whatever follows, and so do the block's own."""
        if getattr(mc, "_retort_autocommit", None) is self:
            return
        original = getattr(mc, "_retort_original_autocommit", mc.autocommit_block)
        session = self

        @contextlib.contextmanager
        def autocommit_block(ctx_self):
            b = session.body
            if b is not None:
                b.kept = b.ran
            session.txs.before_block()
            session.autocommit = True
            session.ch.send({"event": "autocommit", "begin": True})
            try:
                with original(ctx_self):
                    yield
            finally:
                session.autocommit = False
                session.ch.send({"event": "autocommit", "begin": False})
                session.txs.after_block(ctx_self.connection)

        mc._retort_original_autocommit = original
        mc.autocommit_block = autocommit_block
        mc._retort_autocommit = self


def with_env(cfg, script, fn, as_sql, project, buffer=None):
    """Runs the project's env.py with retort's steps (fn), one transaction
    per step whatever env.py asks for."""
    from alembic.runtime.environment import EnvironmentContext

    configure = EnvironmentContext.configure

    def forced(env_self, *args, **kw):
        # One step, one transaction, whatever env.py asks for: that is
        # retort's contract (Alembic's default is one transaction for the
        # whole run). Offline, retort writes the transactions.
        kw["transaction_per_migration"] = not as_sql
        # retort creates the version table itself, in the first step's
        # transaction, as for its .sql revisions.
        kw["dont_mutate"] = True
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


def without_env(project, script, fn):
    """No env.py (an Invenio application, or bare versions directories): a
    migration context on the application's engine or on the URL, as
    Flask-Alembic configures it."""
    import sqlalchemy as sa
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    engine, metadata = app_engine(project)
    with engine.connect() as conn:
        opts = {"fn": fn, "transaction_per_migration": True, "script": script, "dont_mutate": True}
        if metadata is not None:
            opts["target_metadata"] = metadata
        if project.version_table:
            opts["version_table"] = project.version_table
        if project.version_table_schema:
            opts["version_table_schema"] = project.version_table_schema
        ctx = MigrationContext.configure(conn, opts=opts)
        with Operations.context(ctx):
            ctx.run_migrations()
    if isinstance(engine, sa.engine.Engine) and not flask_db():
        engine.dispose()


def flask_db():
    """Flask-SQLAlchemy's db of the current application, None without."""
    flask = sys.modules.get("flask")  # an application imported it
    if flask is None or not flask.has_app_context():
        return None
    db = flask.current_app.extensions.get("sqlalchemy")
    return getattr(db, "db", db)  # Flask-SQLAlchemy < 3 registers a state holding db


def app_engine(project):
    import sqlalchemy as sa

    db = flask_db()
    if db is not None:
        return db.engine, getattr(db, "metadata", None)
    if not project.url:
        raise RuntimeError("no database URL and no Flask-SQLAlchemy application to take one from")
    return sa.create_engine(project.url, poolclass=sa.pool.NullPool), None


@contextlib.contextmanager
def flask_session_on(connection):
    """Flask-SQLAlchemy's db.session (hence Model.query) and db.engine on the
    step's connection while the revision's body runs, when they are on the
    same database: the body's data changes are then part of the step's
    transaction (db.session.commit() commits nothing before the step does),
    and on SQLite they do not wait for the lock the step holds. Flask-
    SQLAlchemy 3 keeps the application's engines in a dict (db.engines),
    which this switches for the body; an older one is left as it is."""
    db = flask_db()
    try:
        engines = db.engines if db is not None else None
    except Exception:  # noqa: B902 (an older Flask-SQLAlchemy)
        engines = None
    if not isinstance(engines, dict) or engines.get(None) is None or engines[None].url != connection.engine.url:
        yield
        return
    saved = engines[None]
    db.session.remove()
    engines[None] = connection
    try:
        yield
    finally:
        try:
            db.session.remove()
        finally:
            engines[None] = saved


def revision_line(real, seen):
    """The line of the revision file (its real path) the current statement
    comes from, 0 when it is not on the stack. seen caches the real paths
    of the files on the stack."""
    f = sys._getframe(2)
    while f is not None:
        name = f.f_code.co_filename
        r = seen.get(name)
        if r is None:
            r = seen[name] = os.path.realpath(name)
        if r == real:
            return f.f_lineno
        f = f.f_back
    return 0


def protocol_error(message):
    return {"done": True, "error": {"type": "ProtocolError", "message": message}}


def plain_value(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, (bytes, memoryview)):
        return bytes(v).hex()
    return str(v)


class Driver:
    def __init__(self, channel):
        self.ch = channel
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
        """An online run: env.py with retort's session (see Session)."""
        from alembic.runtime import migration

        migration.HeadMaintainer = RetortHeads()
        Session(self, project).run()

    # -- offline --------------------------------------------------------

    def offline(self, project, steps):
        """Each step's SQL from Alembic's offline mode, statement by
        statement with the line of the revision that emitted it. A step
        that cannot render (it reads the database through op.get_bind(),
        its imports fail) gets its error instead, and the others still
        render."""
        from alembic.runtime import migration
        from alembic.script import ScriptDirectory

        migration.HeadMaintainer = RetortHeads()
        results = [{"sql": "", "statements": [], "error": None} for _ in steps]
        buf = OfflineBuffer()
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
                    with_env(cfg, script, fn, as_sql=True, project=project, buffer=buf)
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
                buf.real = os.path.realpath(spec["path"])
                yield step
                buf.real = None
                results[k]["sql"] = strip_running(buf.getvalue()[start:])
                results[k]["statements"] = buf.statements(start)

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
                buf.rewind(start)

        step.migration_fn = migration_fn
        return step


class OfflineBuffer(io.StringIO):
    """Alembic's offline output, with where each write came from: Alembic
    writes each statement and comment in one write (static_output)."""

    def __init__(self):
        super().__init__()
        self.marks = []  # (offset, line in the revision file) of each write
        self.real = None  # the real path of the revision being rendered
        self.realpaths = {}

    def write(self, s):
        self.marks.append((self.tell(), revision_line(self.real, self.realpaths) if self.real else 0))
        return super().write(s)

    def rewind(self, start):
        self.seek(start)
        self.truncate()
        self.marks = [m for m in self.marks if m[0] < start]

    def statements(self, start):
        """The statements written from start on, without their ';', with
        their lines; Alembic's own "-- Running" comment left out."""
        text = self.getvalue()
        marks = [m for m in self.marks if m[0] >= start]
        out = []
        for k, (at, line) in enumerate(marks):
            end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
            chunk = text[at:end].strip()
            if not chunk or chunk.startswith("-- Running "):
                continue
            if chunk.endswith(";"):
                out.append({"sql": chunk[:-1].rstrip(), "line": line})
            else:
                out.append({"sql": chunk, "line": line, "comment": True})
        return out


def strip_running(sql):
    """Alembic writes its own "-- Running ..." comment before a step's SQL;
    retort writes it once, itself."""
    lines = sql.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].startswith("-- Running "):
        lines.pop(0)
    return "\n".join(lines).strip("\n") + ("\n" if "".join(lines).strip() else "")


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
    """Which database the connection reaches, as whom, for retort to
    compare with the one it holds the lock on; on PostgreSQL also the
    server session (pid, its start, the server's start and address), to
    settle a COMMIT the connection loses."""
    name = conn.dialect.name
    if name == "postgresql":
        row = conn.exec_driver_sql(
            "SELECT current_database(), (SELECT system_identifier::text FROM pg_control_system()), "
            "current_user::text, pg_backend_pid(), "
            "(SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()), "
            "pg_postmaster_start_time(), "
            "coalesce(host(inet_server_addr()), '') || ':' || coalesce(inet_server_port()::text, '')").fetchone()
        return {"dialect": name, "database": row[0], "system_identifier": row[1], "user": row[2],
                "backend": {"pid": row[3], "started": plain_value(row[4]), "server_started": plain_value(row[5]), "addr": row[6]}}
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
    Driver(Channel(3, 4)).serve()


if __name__ == "__main__":
    main()
