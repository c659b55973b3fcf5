// Package testpg starts a throwaway PostgreSQL server from the system's
// packages (Debian: apt-get install postgresql) for integration tests:
// initdb into a temporary directory, pg_ctl start on a free loopback
// port with trust authentication, pg_ctl stop and removal on Stop. As
// root, the server runs as the "postgres" user (PostgreSQL refuses root).
package testpg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/testenv"
)

// Hint is how to install what Start needs.
const Hint = "apt-get install -y postgresql (.ci/run does)"

// Server is a running throwaway PostgreSQL.
type Server struct {
	// URL connects as the superuser to the "postgres" database.
	URL string
	dir string
	bin string
	as  string // run commands as this user ("" = the current one)
}

// BinDir returns the newest /usr/lib/postgresql/N/bin holding initdb and
// pg_ctl, or "" when none is installed.
func BinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if fileExists(filepath.Join(d, "initdb")) && fileExists(filepath.Join(d, "pg_ctl")) {
			return d
		}
	}
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Start initialises and starts a server; the caller must Stop it.
func Start(ctx context.Context) (*Server, error) {
	bin := BinDir()
	if bin == "" {
		return nil, errors.New("testpg: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: " + Hint)
	}
	dir, err := os.MkdirTemp("", "aegis-testpg-")
	if err != nil {
		return nil, fmt.Errorf("testpg: %w", err)
	}
	s := &Server{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("testpg: running as root needs the postgres user (created by the postgresql package): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("testpg: %w", err)
		}
		s.as = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run(ctx, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("testpg: initdb: %w\n%s", err, out)
	}
	// The free port is only free when asked: another process can take it
	// before the server binds it (seen once with three test packages
	// starting servers at the same time), so a failed start is retried on
	// a new port.
	var port int
	for attempt := 1; ; attempt++ {
		if port, err = freePort(); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", port, dir)
		out, err := s.run(ctx, "pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start")
		if err == nil {
			break
		}
		if attempt == 3 || ctx.Err() != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("testpg: pg_ctl start (%d attempts): %w\n%s\n%s", attempt, err, out, log)
		}
	}
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return s, nil
}

// Stop stops the server and removes its files.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := s.run(ctx, "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	if rerr := os.RemoveAll(s.dir); err == nil && rerr != nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("testpg: stop: %w\n%s", err, out)
	}
	return nil
}

// run runs a server binary (as s.as when set).
func (s *Server) run(ctx context.Context, name string, args ...string) (string, error) {
	path := filepath.Join(s.bin, name)
	var cmd *exec.Cmd
	if s.as != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", s.as, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testpg: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartT starts a server for test t and stops it when t ends. It fails t
// (testenv.Require: skip outside CI) when PostgreSQL is not installed, and
// fails it when the server does not start.
func StartT(t testing.TB) *Server {
	t.Helper()
	testenv.Require(t, BinDir() != "", "PostgreSQL", Hint)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := Start(ctx)
	if err != nil {
		t.Fatalf("start PostgreSQL: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	})
	return srv
}
