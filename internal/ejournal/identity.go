package ejournal

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Account is a person's login and password. Logins are unique across the
// deployment, because a user signs in before the school is known.
type Account struct {
	// Login is lower case: 2 to 64 of a–z, 0–9, '.', '_' and '-', starting
	// with a letter or digit (NormalizeLogin).
	Login    string `json:"login"`
	SchoolID string `json:"school_id"`
	PersonID string `json:"person_id"`
	// PasswordHash is the argon2id hash in PHC string form. It never leaves
	// the store: not in responses, logs or the audit trail.
	PasswordHash string `json:"password_hash,omitempty"`
	// MustChange is set for a one-time password given by staff: the user
	// must choose their own before doing anything else.
	MustChange bool `json:"must_change,omitempty"`
	// Disabled accounts cannot sign in.
	Disabled          bool      `json:"disabled,omitempty"`
	PasswordChangedAt time.Time `json:"password_changed_at"`
	Version           int64     `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// NormalizeLogin trims and lower-cases a login and checks its form; ok is
// false when it cannot be a login.
func NormalizeLogin(s string) (string, bool) {
	l := strings.ToLower(strings.TrimSpace(s))
	return l, loginPattern.MatchString(l)
}

// LoginText explains the form of a login.
var LoginText = T("Логин — от 2 до 64 латинских букв, цифр, «.», «_» или «-», начиная с буквы или цифры.",
	"A login is 2 to 64 Latin letters, digits, '.', '_' or '-', starting with a letter or digit.")

// Session is a sign-in session: one family of rotating refresh tokens.
// Only the SHA-256 of each token's secret is kept.
type Session struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	PersonID string `json:"person_id"`
	// SecretHash is the hash of the current refresh token's secret (hex).
	SecretHash string `json:"secret_hash"`
	// Spent are the hashes of the family's earlier secrets, the newest
	// last, a bounded number of them: presenting one again is reuse.
	Spent     []string `json:"spent,omitempty"`
	UserAgent string   `json:"user_agent,omitempty"`
	// MustChange marks a session opened with a one-time password: its
	// access tokens are good only for changing the password.
	MustChange bool      `json:"must_change,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	// ExpiresAt is when the current refresh token expires; the store
	// deletes the session then.
	ExpiresAt time.Time `json:"expires_at"`
	Version   int64     `json:"version"`
}

// Throttle is a counter of failed sign-in attempts in a window that starts
// with the first failure.
type Throttle struct {
	Count int
	// Start is when the window began; zero when there is no count.
	Start time.Time
}

// Relations are what scopes are checked against for one person: the
// person, a parent's children, and for staff the classes they lead and the
// lessons they teach in the current school year.
type Relations struct {
	Person   *Person
	Children []*Person
	// ClassTeacherOf are the classes the person is class teacher of.
	ClassTeacherOf []*Class
	Assignments    []*Assignment
}

// identityService is the password sign-in part of IdentityService.
//
// CreateAccount and UpdateAccount write an audit entry (without the
// password hash) in the same transaction. Sessions and throttling counters
// are not audited.
type identityService interface {
	// CreateAccount creates a login for a person of a school and records
	// the login on the person. ECONFLICT when the login is taken or the
	// person already has one, ENOTFOUND when the person does not exist.
	CreateAccount(ctx context.Context, a *Account) error
	// Account returns the account of a login (normalised), ENOTFOUND.
	Account(ctx context.Context, login string) (*Account, error)
	// UpdateAccount replaces an account at its Version (ECONFLICT when
	// stale) and increments Version.
	UpdateAccount(ctx context.Context, a *Account) error

	// CreateSession stores a new session; its ID must be set.
	CreateSession(ctx context.Context, s *Session) error
	// Session returns one session of a person, ENOTFOUND when it does not
	// exist, was revoked or has expired.
	Session(ctx context.Context, schoolID, personID, id string) (*Session, error)
	// Sessions lists a person's live sessions, newest first.
	Sessions(ctx context.Context, schoolID, personID string) ([]*Session, error)
	// UpdateSession replaces a session at its Version (ECONFLICT when
	// another request changed it first, ENOTFOUND when it is gone).
	UpdateSession(ctx context.Context, s *Session) error
	// DeleteSession revokes one session; revoking a missing one is no error.
	DeleteSession(ctx context.Context, schoolID, personID, id string) error
	// DeleteSessions revokes every session of a person but keep (if given).
	DeleteSessions(ctx context.Context, schoolID, personID, keep string) error

	// Throttle returns the failure counter of kind ("login", "ip") and
	// value in the window ending now.
	Throttle(ctx context.Context, kind, value string, window time.Duration) (Throttle, error)
	// CountFailure adds one failure to the counter and returns it.
	CountFailure(ctx context.Context, kind, value string, window time.Duration) (Throttle, error)
	// ResetThrottle clears a counter.
	ResetThrottle(ctx context.Context, kind, value string) error

	// Relations returns a person's relations, ENOTFOUND when the person
	// does not exist in the school.
	Relations(ctx context.Context, schoolID, personID string) (*Relations, error)
}
