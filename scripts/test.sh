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

install_hint="apt-get install postgresql tmux python3-alembic python3-psycopg2"
python=/usr/bin/python3

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	export PATH="/usr/local/go/bin:$PATH"
fi

# pg_bindir prints the directory of initdb and pg_ctl: pg_config's bindir,
# the newest /usr/lib/postgresql/*/bin, or where PATH finds initdb.
pg_bindir() {
	local dir
	if dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
		echo "$dir"
		return
	fi
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rn); do
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			echo "$dir"
			return
		fi
	done
	if dir=$(command -v initdb 2>/dev/null); then
		dir=$(dirname "$(readlink -f "$dir")")
		if [ -x "$dir/pg_ctl" ]; then
			echo "$dir"
			return
		fi
	fi
	return 1
}

missing=()
command -v go >/dev/null 2>&1 || missing+=("Go (install it in /usr/local/go: https://go.dev/doc/install)")
if [ -z "${RETORT_TEST_DATABASE_URL:-}" ]; then
	pg_bin=$(pg_bindir) || missing+=("PostgreSQL server programs initdb and pg_ctl")
fi
command -v tmux >/dev/null 2>&1 || missing+=("tmux")
if ! [ -x "$python" ] || ! "$python" -c 'import alembic, psycopg2' 2>/dev/null; then
	missing+=("Alembic with psycopg2 for $python")
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "scripts/test.sh: missing:" >&2
	printf '  - %s\n' "${missing[@]}" >&2
	echo "install them with: $install_hint" >&2
	exit 1
fi

pg_dir=""
run_as=()
stop_server() {
	if [ -n "$pg_dir" ]; then
		"${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
		rm -rf "$pg_dir"
	fi
}

# start_server starts the throwaway cluster on a free loopback port. The
# data is thrown away, so durability is off.
start_server() {
	pg_dir=$(mktemp -d /tmp/retort-pg.XXXXXX)
	if [ "$(id -u)" -eq 0 ]; then
		# initdb refuses to run as root.
		if ! id postgres >/dev/null 2>&1; then
			echo "scripts/test.sh: running as root needs the postgres system user: $install_hint" >&2
			exit 1
		fi
		chown postgres: "$pg_dir"
		run_as=(runuser -u postgres --)
	fi
	if ! "${run_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$pg_dir/initdb.log" 2>&1; then
		cat "$pg_dir/initdb.log" >&2
		exit 1
	fi
	local attempt port
	for attempt in 1 2 3; do
		port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		if "${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
			-o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
			start >/dev/null; then
			export RETORT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			echo "scripts/test.sh: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($pg_dir)"
			return
		fi
	done
	cat "$pg_dir/server.log" >&2
	exit 1
}

trap stop_server EXIT
trap 'exit 130' INT TERM
if [ -z "${RETORT_TEST_DATABASE_URL:-}" ]; then
	start_server
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
