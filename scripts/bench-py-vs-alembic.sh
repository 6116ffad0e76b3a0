#!/usr/bin/env bash
# Times retort running Alembic .py revisions against Alembic itself:
# 1,000 trivial .py revisions (scripts/benchgen.py linear), base to head on
# PostgreSQL, `retort upgrade heads` (each revision through the project's
# env.py in the project's Python, one transaction each, with retort's lock,
# version-row checks and audit rows) against `alembic upgrade heads` with
# transaction_per_migration=True (benchgen's env.py). Whole processes,
# alternating, RUNS times each (default 7) on a fresh database each time;
# prints the medians and their ratio.
#
#   ./scripts/bench-py-vs-alembic.sh [RUNS]
#
# RETORT_BENCH_DATABASE_URL names a server whose role may create databases
# (postgres://user@host:port/postgres); without it a throwaway server is
# started as for the tests. Needs Alembic and psycopg2 for /usr/bin/python3,
# psql, Go.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
python=/usr/bin/python3
revisions=1000

. scripts/pg.sh
trap pg_stop EXIT
trap 'exit 130' INT TERM
url=${RETORT_BENCH_DATABASE_URL:-}
if [ -z "$url" ]; then
	pg_start
	url=$PG_URL
fi
query=""
case "$url" in *\?*) query="?${url#*\?}" ;; esac
base=${url%%\?*}
base=${base%/*}

work=$(mktemp -d /tmp/retort-bench-py.XXXXXX)
cleanup_work() { rm -rf "$work"; pg_stop; }
trap cleanup_work EXIT

go build -o "$work/retort" .
"$python" scripts/benchgen.py linear "$revisions" "$work/linear"
project=$work/linear

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 "$url" -c "$1" >/dev/null; }
seq_db=0
# fresh prints the URL of a new, empty database.
fresh() {
	seq_db=$((seq_db + 1))
	local name="benchpy_$$_$seq_db"
	psql_admin "CREATE DATABASE $name TEMPLATE template0"
	echo "${base}/${name}${query}"
}
drop() { local name=${1##*/}; name=${name%%\?*}; psql_admin "DROP DATABASE IF EXISTS $name"; }

now() { date +%s%N; }
# timed runs a command in the project and prints its wall time in ms.
timed() {
	local t0 t1
	t0=$(now)
	(cd "$project" && "$@") >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; return 1; }
	t1=$(now)
	echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Alembic reads its database from the ini; each run gets a copy naming its
# database, in SQLAlchemy's spelling.
alembic_run() {
	local ini="$project/alembic.$seq_db.ini"
	sed "s#^sqlalchemy.url = .*#sqlalchemy.url = postgresql://${1#postgres*://}#" "$project/alembic.ini" >"$ini"
	timed "$python" -m alembic -c "$ini" upgrade heads
}
retort_run() { timed "$work/retort" --python "$python" --db "$1" upgrade heads; }

# A first run of each, not timed: Python's bytecode caches of the
# revisions are written (by Alembic, which writes them), as in a project
# used before.
for who in alembic retort; do
	db=$(fresh)
	"${who}_run" "$db" >/dev/null
	drop "$db"
done

: >"$work/r"
: >"$work/a"
for _ in $(seq "$runs"); do
	for who in retort alembic; do
		db=$(fresh)
		if [ "$who" = retort ]; then
			retort_run "$db" >>"$work/r"
		else
			alembic_run "$db" >>"$work/a"
		fi
		drop "$db"
	done
done
r=$(median <"$work/r")
a=$(median <"$work/a")
printf '%-36s %10s %10s %8s\n' "work" "retort ms" "alembic ms" "ratio"
printf '%-36s %10s %10s %8s\n' "upgrade heads, $revisions .py linear" "$r" "$a" \
	"$(awk -v r="$r" -v a="$a" 'BEGIN {printf "%.2fx", r / a}')"
echo "runs: retort $(tr '\n' ' ' <"$work/r")| alembic $(tr '\n' ' ' <"$work/a")"
