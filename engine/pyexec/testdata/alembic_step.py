"""Runs single migration steps through Alembic's own runtime, as `alembic
upgrade` and `alembic downgrade` run each of theirs: the project's env.py,
Alembic's migration context and its HeadMaintainer, which changes the
version rows. The tests compare what retort does with this, step by step:
`alembic downgrade TARGET` cannot name one step of a graph with branches.

One request per line on stdin, tab-separated: INI REVISION DIRECTION
(upgrade or downgrade); one reply per line on stdout: "ok", or "error: "
and the traceback on one line.
"""

import contextlib
import io
import json
import sys
import traceback

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import RevisionStep
from alembic.script import ScriptDirectory


def run(ini, revision, direction):
    cfg = Config(ini, stdout=io.StringIO())
    script = ScriptDirectory.from_config(cfg)

    def fn(heads, context):
        return [RevisionStep(script.revision_map, script.get_revision(revision), direction == "upgrade")]

    with EnvironmentContext(cfg, script, fn=fn):
        script.run_env()


def main():
    replies = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        ini, revision, direction = line.rstrip("\n").split("\t")
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                run(ini, revision, direction)
            reply = "ok"
        except BaseException:  # noqa: B902 (reported to the test)
            reply = "error: " + json.dumps(traceback.format_exc())
        replies.write(reply + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
