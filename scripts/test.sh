#!/usr/bin/env bash
# The project's test command: `go vet ./...` and `go test ./...` against a
# real PostgreSQL. Arguments go to go test; packages among them (./engine/...)
# replace ./... for both commands.
#
# RETORT_TEST_DATABASE_URL names the server the tests use. When it is unset,
# this script starts a throwaway server once for the whole run (initdb and
# pg_ctl in a temporary directory, as the postgres system user when run as
# root), exports its URL, and stops and removes it on exit. A missing tool is
# a failure that says how to install it, never a skipped test.
set -euo pipefail
cd "$(dirname "$0")/.."

install_hint="apt-get install postgresql sqlite3 tmux python3-alembic python3-psycopg2 python3-flask-migrate python3-flask-sqlalchemy python3-sqlalchemy-utils"
python=/usr/bin/python3

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	export PATH="/usr/local/go/bin:$PATH"
fi

. scripts/pg.sh

missing=()
command -v go >/dev/null 2>&1 || missing+=("Go (install it in /usr/local/go: https://go.dev/doc/install)")
if [ -z "${RETORT_TEST_DATABASE_URL:-}" ]; then
	pg_bindir >/dev/null || missing+=("PostgreSQL server programs initdb and pg_ctl")
fi
command -v tmux >/dev/null 2>&1 || missing+=("tmux")
# The schema snapshots are checked against pg_dump and sqlite3's .schema.
command -v pg_dump >/dev/null 2>&1 || missing+=("pg_dump (PostgreSQL's client programs)")
command -v sqlite3 >/dev/null 2>&1 || missing+=("sqlite3")
if ! [ -x "$python" ] || ! "$python" -c 'import alembic, psycopg2' 2>/dev/null; then
	missing+=("Alembic with psycopg2 for $python")
fi
if ! [ -x "$python" ] || ! "$python" -c 'import flask_migrate, flask_sqlalchemy' 2>/dev/null; then
	missing+=("Flask-Migrate and Flask-SQLAlchemy for $python (the fixtures in testdata/)")
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "scripts/test.sh: missing:" >&2
	printf '  - %s\n' "${missing[@]}" >&2
	echo "install them with: $install_hint" >&2
	exit 1
fi

trap pg_stop EXIT
trap 'exit 130' INT TERM
if [ -z "${RETORT_TEST_DATABASE_URL:-}" ]; then
	pg_start
	export RETORT_TEST_DATABASE_URL=$PG_URL
fi

# packages_of prints, one per line, the packages named among go test's
# arguments: positional arguments that look like package paths (., ./dir,
# ./..., ../dir, retort, retort/...). The value of a flag is not one, even
# when it looks like a path (-run ., -coverprofile ./c.out), so a flag that
# takes a value in the next argument skips it; -flag=value is one argument.
# Everything after -args goes to the test binary.
packages_of() {
	local a name skip=0
	for a in "$@"; do
		if [ "$skip" -eq 1 ]; then
			skip=0
			continue
		fi
		case "$a" in
		-args | --args) return ;;
		-*=*) continue ;;
		-*)
			name=${a#-}
			name=${name#-}
			name=${name#test.}
			case "$name" in
			run | skip | bench | benchtime | count | cpu | timeout | parallel | fuzz | fuzztime | \
				fuzzminimizetime | tags | list | shuffle | coverprofile | covermode | coverpkg | \
				cpuprofile | memprofile | memprofilerate | blockprofile | blockprofilerate | \
				mutexprofile | mutexprofilefraction | trace | outputdir | o | exec | p | mod | \
				ldflags | gcflags | asmflags | vet)
				skip=1
				;;
			esac
			;;
		. | ./* | .. | ../* | retort | retort/*) printf '%s\n' "$a" ;;
		esac
	done
}

# Packages named among the arguments (./engine/..., retort/ui) replace
# ./... for both go vet and go test; every other argument goes to go test.
pkgs=()
while IFS= read -r p; do
	pkgs+=("$p")
done < <(packages_of "$@")
if [ ${#pkgs[@]} -eq 0 ]; then
	pkgs=(./...)
	set -- ./... "$@"
fi

go vet "${pkgs[@]}"
go test "$@"
