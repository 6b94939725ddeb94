package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/realtyhq/realty/pkg/realty"
)

// UserRow is a users row, password hash included: it never leaves the service.
type UserRow struct {
	ID           int64        `db:"id"`
	Email        string       `db:"email"`
	PasswordHash string       `db:"password_hash"`
	FirstName    string       `db:"first_name"`
	LastName     string       `db:"last_name"`
	BirthDate    *realty.Date `db:"birth_date"`
	CreatedAt    time.Time    `db:"created_at"`
	UpdatedAt    time.Time    `db:"updated_at"`
	Version      int64        `db:"version"`
}

// User returns the profile as its owner sees it.
func (u UserRow) User() realty.User {
	return realty.User{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		BirthDate: u.BirthDate, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

const userColumns = `u.id, u.email, u.password_hash, u.first_name, u.last_name, u.birth_date,
	u.created_at, u.updated_at, u.version`

// CreateUser inserts a user and returns its id; a taken email is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u UserRow) (int64, error) {
	res, err := s.exec(ctx, `INSERT INTO users
		(email, password_hash, first_name, last_name, birth_date, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
		u.Email, u.PasswordHash, u.FirstName, u.LastName, u.BirthDate, u.CreatedAt, u.UpdatedAt)
	if err != nil {
		return 0, emailErr(err)
	}
	return res.LastInsertId()
}

func emailErr(err error) error {
	if isUnique(err) {
		return fmt.Errorf("email is already registered: %w", realty.ErrConflict)
	}
	return mapErr(err)
}

// UserByID returns a user, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (UserRow, error) {
	var u UserRow
	err := s.read.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id)
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, mapErr(err))
	}
	return u, nil
}

// UserByEmail returns the user with a normalized email, or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (UserRow, error) {
	var u UserRow
	err := sqlx.GetContext(ctx, prepared{s, s.read}, &u, `SELECT `+userColumns+` FROM users u WHERE u.email = ?`, email)
	return u, mapErr(err)
}

// UpdateUser applies a normalized, validated patch; a taken email is ErrConflict.
func (s *Store) UpdateUser(ctx context.Context, id int64, p realty.UserPatch, at time.Time) error {
	sets, args := []string{"updated_at = ?", "version = version + 1"}, []any{at}
	if p.Email != nil {
		sets, args = append(sets, "email = ?"), append(args, *p.Email)
	}
	if p.FirstName != nil {
		sets, args = append(sets, "first_name = ?"), append(args, *p.FirstName)
	}
	if p.LastName != nil {
		sets, args = append(sets, "last_name = ?"), append(args, *p.LastName)
	}
	if p.BirthDate.Set {
		sets, args = append(sets, "birth_date = ?"), append(args, p.BirthDate.Ptr())
	}
	_, err := s.exec(ctx, "UPDATE users SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
	return emailErr(err)
}

// ErrCredentialsChanged says that the password a caller checked is no longer
// the user's: a password change committed in between.
var ErrCredentialsChanged = errors.New("the password changed meanwhile")

// SetPassword replaces a user's password hash, if it is still oldHash, and
// revokes every token of the user but keepTokenHash, in one transaction.
// With CreateToken's condition, no token issued for the old password
// survives the change, however the two interleave.
func (s *Store) SetPassword(ctx context.Context, userID int64, oldHash, hash, keepTokenHash string, at time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND password_hash = ?`, hash, at, userID, oldHash)
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, ErrCredentialsChanged)
		}
		_, err = tx.tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ? AND token_hash <> ?`, userID, keepTokenHash)
		return mapErr(err)
	})
}

// deleteChunk is how many of a deleted user's properties one transaction
// deletes (each with its rooms, features, words and events).
const deleteChunk = 500

// DeleteUser deletes a user whose password hash is still passwordHash (the
// one the caller checked), else ErrCredentialsChanged, with all that is
// theirs: their properties first, a chunk a transaction (so that no
// transaction holds SQLite's write lock long for a large portfolio), then,
// in one transaction, any property made meanwhile and the user, whose
// tokens and idempotency keys go with it (ON DELETE CASCADE). Every
// transaction checks the hash first: a password changed meanwhile stops
// the deletion where it is.
func (s *Store) DeleteUser(ctx context.Context, userID int64, passwordHash string) error {
	same := func(tx *Tx) error {
		var n int
		if err := tx.tx.QueryRowxContext(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND password_hash = ?`,
			userID, passwordHash).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			return ErrCredentialsChanged
		}
		return nil
	}
	for {
		var ids []int64
		if err := s.read.SelectContext(ctx, &ids, `SELECT id FROM properties WHERE owner_id = ? ORDER BY id LIMIT ?`,
			userID, deleteChunk); err != nil {
			return mapErr(err)
		}
		if len(ids) < deleteChunk {
			break // the rest goes with the user
		}
		q, args, err := sqlx.In(`DELETE FROM properties WHERE owner_id = ? AND id IN (?)`, userID, ids)
		if err != nil {
			return err
		}
		err = s.InTx(ctx, func(tx *Tx) error {
			if err := same(tx); err != nil {
				return err
			}
			return mapErr(execErr(tx.tx.ExecContext(ctx, q, args...)))
		})
		if err != nil {
			return err
		}
	}
	return s.InTx(ctx, func(tx *Tx) error {
		if err := same(tx); err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM properties WHERE owner_id = ?`, userID); err != nil {
			return mapErr(err)
		}
		_, err := tx.tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, userID)
		return mapErr(err)
	})
}

// TokenRow is an auth_tokens row joined with its user.
type TokenRow struct {
	ExpiresAt  time.Time  `db:"expires_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
	UserRow
}

// CreateToken stores the hash of a new token for a user whose password hash
// is still passwordHash (the one the log-in checked), else it returns
// ErrCredentialsChanged: the INSERT reads the users row it depends on, so a
// password change either sees the token and revokes it, or happened first
// and no token is made. It takes no lock that other log-ins wait for.
func (s *Store) CreateToken(ctx context.Context, userID int64, passwordHash, hash string, created, expires time.Time) error {
	res, err := s.exec(ctx, `INSERT INTO auth_tokens (user_id, token_hash, created_at, expires_at)
		SELECT id, ?, ?, ? FROM users WHERE id = ? AND password_hash = ?`, hash, created, expires, userID, passwordHash)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return cmp.Or(err, ErrCredentialsChanged)
	}
	return s.dropExpiredTokens(ctx, userID, created)
}

// dropExpiredTokens deletes a user's expired tokens by primary key, so that
// they do not pile up. Reading them first means no range of the index is
// locked (a ranged DELETE made concurrent MySQL log-ins deadlock).
func (s *Store) dropExpiredTokens(ctx context.Context, userID int64, now time.Time) error {
	var ids []int64
	// Expiry times are whole seconds (see service), so that SQLite's text
	// timestamps compare correctly here.
	if err := s.read.SelectContext(ctx, &ids, `SELECT id FROM auth_tokens WHERE user_id = ? AND expires_at < ?`,
		userID, now.Truncate(time.Second)); err != nil || len(ids) == 0 {
		return mapErr(err)
	}
	q, args, err := sqlx.In(`DELETE FROM auth_tokens WHERE id IN (?)`, ids)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, q, args...)
	return mapErr(err)
}

// Token returns the token with this hash and its user, or ErrNotFound.
func (s *Store) Token(ctx context.Context, hash string) (TokenRow, error) {
	var t TokenRow
	err := sqlx.GetContext(ctx, prepared{s, s.read}, &t, `SELECT t.expires_at, t.last_used_at, `+userColumns+`
		FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hash)
	return t, mapErr(err)
}

// TouchToken records that a token was used.
func (s *Store) TouchToken(ctx context.Context, hash string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE auth_tokens SET last_used_at = ? WHERE token_hash = ?`, at, hash)
	return mapErr(err)
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	_, err := s.exec(ctx, `DELETE FROM auth_tokens WHERE token_hash = ?`, hash)
	return mapErr(err)
}
