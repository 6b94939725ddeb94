package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Paths follow the XDG base directory convention.
func dataDir(env func(string) string) (string, error) {
	if d := env("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "realty"), nil
	}
	home, err := homeDir(env)
	return filepath.Join(home, ".local", "share", "realty"), err
}

func configDir(env func(string) string) (string, error) {
	if d := env("REALTY_CONFIG_DIR"); d != "" {
		return d, nil
	}
	if d := env("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "realty"), nil
	}
	home, err := homeDir(env)
	return filepath.Join(home, ".config", "realty"), err
}

func homeDir(env func(string) string) (string, error) {
	if h := env("HOME"); h != "" {
		return h, nil
	}
	return "", errors.New("cannot find your home directory: set HOME, XDG_DATA_HOME or REALTY_CONFIG_DIR")
}

// Logins keeps the log-ins, one per backend key (each server URL, each
// local database), in credentials.json under the configuration directory.
type Logins struct {
	dir string
	err error // why there is no directory (no HOME)
}

// NewLogins keeps log-ins under the configuration directory that env
// names ($REALTY_CONFIG_DIR, $XDG_CONFIG_HOME/realty, ~/.config/realty).
func NewLogins(env func(string) string) *Logins {
	dir, err := configDir(env)
	return &Logins{dir: dir, err: err}
}

// Get returns the log-in of a backend (zero if none).
func (c *Logins) Get(key string) (credential, error) {
	if c.err != nil {
		return credential{}, c.err
	}
	cf, err := loadCredentials(c.dir)
	return cf.Backends[key], err
}

// Keys lists the backends with a log-in, in no order (none if the file
// cannot be read).
func (c *Logins) Keys() []string {
	if c.err != nil {
		return nil
	}
	cf, _ := loadCredentials(c.dir)
	keys := make([]string, 0, len(cf.Backends))
	for k := range cf.Backends {
		keys = append(keys, k)
	}
	return keys
}

// Set stores the log-in of a backend; a zero credential forgets it.
func (c *Logins) Set(key string, cred credential) error {
	if c.err != nil {
		return c.err
	}
	return updateCredentials(c.dir, func(cf *credentialsFile) {
		if cred.Token == "" {
			delete(cf.Backends, key)
		} else {
			cf.Backends[key] = cred
		}
	})
}

// credential is what realty keeps of a log-in: one per backend (each server
// URL, each local database). The file is readable by its owner only.
type credential struct {
	Token     string    `json:"token"`
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expires_at"`
}

type credentialsFile struct {
	Backends map[string]credential `json:"backends"`
}

const credentialsName = "credentials.json"

func loadCredentials(dir string) (credentialsFile, error) {
	cf := credentialsFile{Backends: map[string]credential{}}
	b, err := os.ReadFile(filepath.Join(dir, credentialsName))
	if errors.Is(err, fs.ErrNotExist) {
		return cf, nil
	}
	if err != nil {
		return cf, err
	}
	if err := json.Unmarshal(b, &cf); err != nil {
		return cf, fmt.Errorf("%s is damaged (%v): remove it and log in again", filepath.Join(dir, credentialsName), err)
	}
	if cf.Backends == nil {
		cf.Backends = map[string]credential{}
	}
	return cf, nil
}

// updateCredentials changes the credentials file under an exclusive lock
// (flock on a lock file beside it), so that concurrent log-ins to different
// backends with one HOME each keep their entry: reading, changing and
// writing back without it, the last writer erased the others' entries.
func updateCredentials(dir string, change func(*credentialsFile)) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	lock, err := os.OpenFile(filepath.Join(dir, credentialsName+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer lock.Close() // closing releases the lock
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	cf, err := loadCredentials(dir)
	if err != nil {
		return err
	}
	change(&cf)
	return cf.save(dir)
}

// save writes the file atomically (a new file renamed over the old one:
// readers see the old or the new, never half) with mode 0600 in a 0700
// directory.
func (cf credentialsFile) save(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(cf, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, credentialsName+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, credentialsName))
}
