"""Runs Alembic commands for retort's tests, many in one process.

Starting Python and importing Alembic and SQLAlchemy costs about half a
second, more than most commands the tests run; so a test starts this driver
once and sends it command lines, one JSON request per line on stdin:

    {"argv": ["-c", "/tmp/x/alembic.ini", "upgrade", "heads"]}

and reads one JSON reply per line on stdout:

    {"code": 0, "stdout": "...", "stderr": "..."}

Each request runs as `alembic ARGV...` would from the command line (the same
parser, the same error handling: a CommandError is printed as
"FAILED: ..." and gives a non-zero code), with its output captured. The
hash seed is the process's (PYTHONHASHSEED), as for the real command.
"""

import contextlib
import io
import json
import sys
import traceback

from alembic.config import CommandLine, Config
import psycopg2  # noqa: F401  (online commands need it: fail at start if it is missing)


def captured():
    # A text stream with an encoding, so that Alembic's write_outstream
    # keeps non-ASCII text instead of replacing it with '?'.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")


def text(stream):
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")


def run(cli, argv):
    out, err = captured(), captured()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            options = cli.parser.parse_args(argv)
            if not hasattr(options, "cmd"):
                raise SystemExit("no command in %r" % (argv,))
            config = Config(
                file_=options.config,
                ini_section=options.name,
                cmd_opts=options,
                stdout=out,
            )
            cli.run_cmd(config, options)
    except SystemExit as e:
        # As the interpreter exits: None is success, an int is the
        # status, anything else is printed and means 1.
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            code = 1
            err.write(str(e.code) + "\n")
    except BaseException:
        code = 1
        err.write(traceback.format_exc())
    return {"code": code, "stdout": text(out), "stderr": text(err)}


def main():
    replies = sys.stdout
    cli = CommandLine(prog="alembic")
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = run(cli, json.loads(line)["argv"])
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
