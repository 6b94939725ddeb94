package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// serverProc is a `realty serve` process of the built binary.
type serverProc struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	logs strings.Builder
	seen map[string]chan struct{} // closed when a log line with that message appears
	done chan error
}

// logged returns a channel closed once the server logs a line with msg.
func (s *serverProc) logged(msg string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.seen[msg]
	if !ok {
		ch = make(chan struct{})
		s.seen[msg] = ch
	}
	return ch
}

func (s *serverProc) record(line string) (msg, url string) {
	var entry struct{ Msg, URL string }
	_ = json.Unmarshal([]byte(line), &entry)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs.WriteString(line + "\n")
	if entry.Msg != "" {
		ch, ok := s.seen[entry.Msg]
		if !ok {
			ch = make(chan struct{})
			s.seen[entry.Msg] = ch
		}
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
	return entry.Msg, entry.URL
}

// startServer starts realty serve on a free port of 127.0.0.1 and returns
// once it listens: it reads the "listening" log line, which says where.
func startServer(dbURL string, extraArgs ...string) (*serverProc, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL}, extraArgs...)
	cmd := exec.Command(filepath.Join(binDir, "realty"), args...)
	cmd.Env = []string{"HOME=/nonexistent", "PATH=/usr/bin:/bin", "GOCOVERDIR=" + coverDir}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &serverProc{cmd: cmd, done: make(chan error, 1), seen: map[string]chan struct{}{}}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if msg, u := s.record(sc.Text()); msg == "listening" {
				listening <- u
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		s.done <- cmd.Wait()
		close(listening)
	}()
	u, ok := <-listening
	if !ok {
		return nil, fmt.Errorf("realty serve stopped before listening: %v\n%s", <-s.done, s.output())
	}
	s.url = u
	return s, nil
}

func (s *serverProc) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// terminate sends SIGTERM and waits for the process to exit.
func (s *serverProc) terminate() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	return <-s.done
}

func (s *serverProc) stop() error {
	err := s.terminate()
	if err != nil {
		return fmt.Errorf("%w\n%s", err, s.output())
	}
	return nil
}
