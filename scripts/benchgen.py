#!/usr/bin/env python3
"""Writes the benchmark histories of scripts/bench-vs-psql.sh.

    benchgen.py linear N DIR    N revisions in a line
    benchgen.py branchy N DIR   N revisions: a base, 8 labelled branches of
                                equal length from it, and a merge of all 8

Each revision inserts its number into one table on upgrade and deletes it
on downgrade, so that what retort adds to the work shows. Every revision is
written twice, in the same order and with the same ids: as retort's .sql in
DIR/sql and as Alembic's .py in DIR/alembic/versions (with an alembic.ini
and an env.py that runs one transaction per revision), so that both tools
run the same history.
"""
import os
import sys

BRANCHES = 8

ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
'''

ALEMBIC_INI = '''[alembic]
script_location = alembic
sqlalchemy.url = postgresql://localhost/bench
'''


def rev_id(n):
    return "%012x" % (0xB0000000000 + n)


def history(kind, n):
    """(id, parents, label, n) in creation order."""
    if kind == "linear":
        return [(rev_id(i), [rev_id(i - 1)] if i else [], None, i) for i in range(n)]
    per, extra = divmod(n - 2, BRANCHES)
    revs = [(rev_id(0), [], None, 0)]
    tips = []
    k = 1
    for b in range(BRANCHES):
        parent = rev_id(0)
        for j in range(per + (1 if b < extra else 0)):
            label = "b%d" % b if j == 0 else None
            revs.append((rev_id(k), [parent], label, k))
            parent = rev_id(k)
            k += 1
        tips.append(parent)
    revs.append((rev_id(k), tips, None, k))
    return revs


def sql_file(rid, parents, label, n):
    up = "CREATE TABLE bench (n integer);" if n == 0 else "INSERT INTO bench VALUES (%d);" % n
    down = "DROP TABLE bench;" if n == 0 else "DELETE FROM bench WHERE n = %d;" % n
    head = ["-- Revision ID: " + rid, "-- Revises: " + ", ".join(parents)]
    if label:
        head.append("-- Branch Labels: " + label)
    head.append("-- Message: step %d" % n)
    return "\n".join(head) + "\n\n-- +upgrade\n%s\n\n-- +downgrade\n%s\n" % (up, down)


def py_file(rid, parents, label, n):
    up = "CREATE TABLE bench (n integer)" if n == 0 else "INSERT INTO bench VALUES (%d)" % n
    down = "DROP TABLE bench" if n == 0 else "DELETE FROM bench WHERE n = %d" % n
    if not parents:
        down_rev = "None"
    elif len(parents) == 1:
        down_rev = repr(parents[0])
    else:
        down_rev = repr(tuple(parents))
    labels = repr((label,)) if label else "None"
    return ('"""step %d"""\nfrom alembic import op\n\nrevision = %r\ndown_revision = %s\n'
            'branch_labels = %s\ndepends_on = None\n\n\ndef upgrade():\n    op.execute(%r)\n\n\n'
            'def downgrade():\n    op.execute(%r)\n') % (n, rid, down_rev, labels, up, down)


def main():
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(os.path.join(out, "sql"), exist_ok=True)
    os.makedirs(os.path.join(out, "alembic", "versions"), exist_ok=True)
    with open(os.path.join(out, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI)
    with open(os.path.join(out, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    for rid, parents, label, k in history(kind, n):
        name = "%s_step_%d" % (rid, k)
        with open(os.path.join(out, "sql", name + ".sql"), "w") as f:
            f.write(sql_file(rid, parents, label, k))
        with open(os.path.join(out, "alembic", "versions", name + ".py"), "w") as f:
            f.write(py_file(rid, parents, label, k))


if __name__ == "__main__":
    main()
