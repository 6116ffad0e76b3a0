package sqlsplit

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// startPostgres initialises and starts a throw-away PostgreSQL cluster on
// loopback for the test and returns a connection to it. The tests only ever
// parse statements on it; nothing is executed. As root, the server runs as
// the postgres user, because initdb refuses to run as root.
func startPostgres(t *testing.T) *pgx.Conn {
	t.Helper()
	bin := postgresBinDir(t)
	dir, err := os.MkdirTemp("", "sqlsplit-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	asUser := serverUser(t, dir)

	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		if asUser != "" {
			cmd = exec.Command("runuser", append([]string{"-u", asUser, "--", filepath.Join(bin, name)}, args...)...)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	data := filepath.Join(dir, "data")
	run("initdb", "-D", data, "-U", "retort", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C")
	port := freePort(t)
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir)
	run("pg_ctl", "start", "-w", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts)
	t.Cleanup(func() { run("pg_ctl", "stop", "-m", "immediate", "-D", data) })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://retort@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// postgresBinDir finds initdb and pg_ctl on PATH or in Debian's versioned
// directories, newest first.
func postgresBinDir(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			p, _ = filepath.EvalSymlinks(p)
			return filepath.Dir(p)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	t.Fatal("PostgreSQL server binaries (initdb, pg_ctl) not found: install them, e.g. `apt-get install postgresql`")
	return ""
}

func pgVersion(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// serverUser returns the user to run the server as ("" for the current
// one) and hands dir to it.
func serverUser(t *testing.T, dir string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return ""
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatal("running as root and there is no postgres user to run the test server as: create one or run the tests as another user")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("runuser"); err != nil {
		t.Fatal("running as root needs runuser (util-linux) to start the test server as postgres")
	}
	return u.Username
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
