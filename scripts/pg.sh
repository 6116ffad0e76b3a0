# Sourced by test.sh and bench-vs-psql.sh: a throwaway PostgreSQL server.
#
#   pg_start   starts one on a free loopback port (initdb and pg_ctl in a
#              temporary directory, as the postgres system user when run as
#              root, since initdb refuses root) and sets PG_URL
#   pg_stop    stops it and removes its directory (safe to call twice)
#
# The data is thrown away, so durability is off (fsync, synchronous_commit,
# full_page_writes): both sides of a comparison run on the same server.

PG_DIR=""
PG_URL=""
pg_run_as=()
pg_install_hint="apt-get install postgresql"

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

pg_stop() {
	if [ -n "$PG_DIR" ]; then
		"${pg_run_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
		rm -rf "$PG_DIR"
		PG_DIR=""
	fi
}

pg_start() {
	local me attempt port
	me=$(basename "$0")
	PG_BIN=$(pg_bindir) || {
		echo "$me: PostgreSQL's server programs initdb and pg_ctl are missing: $pg_install_hint" >&2
		exit 1
	}
	PG_DIR=$(mktemp -d /tmp/retort-pg.XXXXXX)
	if [ "$(id -u)" -eq 0 ]; then
		if ! id postgres >/dev/null 2>&1; then
			echo "$me: running as root needs the postgres system user: $pg_install_hint" >&2
			exit 1
		fi
		chown postgres: "$PG_DIR"
		pg_run_as=(runuser -u postgres --)
	fi
	if ! "${pg_run_as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1; then
		cat "$PG_DIR/initdb.log" >&2
		exit 1
	fi
	for attempt in 1 2 3; do
		port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		if "${pg_run_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
			-o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
			start >/dev/null; then
			PG_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			echo "$me: PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_DIR)"
			return
		fi
	done
	cat "$PG_DIR/server.log" >&2
	exit 1
}
