package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"retort/models"
)

// TestLockHolderHiddenByPrivileges: a waiter whose role may not see the
// holder's session in pg_stat_activity (no pg_read_all_stats) still names
// its pid and user, and says the client is hidden from it instead of
// calling it a local socket.
func TestLockHolderHiddenByPrivileges(t *testing.T) {
	target := pgtestDatabase(t)
	holder := open(t, target, WithVersionTable("public", "alembic_version"), WithApplicationName("holder-app"))
	release := make(chan struct{})
	done := holdLock(t, holder, release)
	defer func() { close(release); <-done }()
	low := open(t, newRole(t, target), WithVersionTable("public", "alembic_version"))
	h, err := low.LockHolder(context.Background())
	pid := holder.conn.(*pgConn).id.pid
	want := fmt.Sprintf(`pid %d (application_name "holder-app", user "%s", client not visible to this role (that needs pg_read_all_stats))`,
		pid, holder.ident.dbUser)
	if err != nil || h != want {
		t.Errorf("LockHolder seen by an unprivileged role = %q, %v\nwant %q", h, err, want)
	}
}

// TestLockHolderOnLocalSocket: a holder connected through the server's Unix
// socket is shown as such (pg_stat_activity has no client_addr for it, and
// client_port -1). The server must be on this machine, as the one the tests
// start is; a remote RETORT_TEST_DATABASE_URL has no socket here to use.
func TestLockHolderOnLocalSocket(t *testing.T) {
	target := pgtestDatabase(t)
	p := newProbe(t, target)
	dir := strings.Split(p.strings("SHOW unix_socket_directories")[0], ",")[0]
	port := p.strings("SHOW port")[0]
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the server's socket directory %s is not on this machine (%v)", dir, err)
	}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("host", strings.TrimSpace(dir))
	q.Set("port", port)
	u.Host, u.RawQuery = "", q.Encode()
	holder := open(t, u.String(), WithVersionTable("public", "alembic_version"))
	release := make(chan struct{})
	done := holdLock(t, holder, release)
	defer func() { close(release); <-done }()
	h, err := open(t, target, WithVersionTable("public", "alembic_version")).LockHolder(context.Background())
	if err != nil || !strings.Contains(h, ", from a local socket, connected since ") {
		t.Errorf("LockHolder of a holder on the socket = %q, %v", h, err)
	}
}

// silentLocker is a lock that is never free and whose holder nobody can
// find, counting the attempts.
type silentLocker struct{ tries atomic.Int32 }

func (l *silentLocker) tryLock(context.Context) (bool, error)  { l.tries.Add(1); return false, nil }
func (l *silentLocker) holder(context.Context) (string, error) { return "", nil }
func (l *silentLocker) unlock(context.Context) error           { return nil }

// TestLockWaitWithoutHolder: when the lock is taken but no holder can be
// found, the runner still waits the poll interval between tries (no busy
// loop), and the timeout says the holder could not be identified.
func TestLockWaitWithoutHolder(t *testing.T) {
	db := open(t, "sqlite://", WithLockTimeout(300*time.Millisecond), WithLockPollInterval(50*time.Millisecond))
	l := &silentLocker{}
	db.lock = l
	rec := &recorder{}
	err := db.Apply(context.Background(), &models.Plan{}, rec.sink)
	if !errors.Is(err, ErrLockTimeout) || !strings.HasSuffix(err.Error(), ", held by "+unknownHolder) {
		t.Errorf("Apply: %v; want a lock timeout naming no holder but saying so", err)
	}
	if n := l.tries.Load(); n < 3 || n > 10 {
		t.Errorf("%d tries in 300ms polling every 50ms", n)
	}
	var waiting []string
	for _, e := range rec.all() {
		if e.Kind == models.EventLockWaiting {
			waiting = append(waiting, e.Message)
		}
	}
	if len(waiting) != 1 || !strings.HasSuffix(waiting[0], "held by "+unknownHolder) {
		t.Errorf("lock-waiting events %q, want one saying the holder is unknown", waiting)
	}
}
