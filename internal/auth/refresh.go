package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"ejournal/internal/ejournal"
)

// RefreshToken is an opaque refresh token taken apart: whose session it
// belongs to and its secret. Only the SHA-256 of the secret is stored.
type RefreshToken struct {
	School  string
	Person  string
	Session string
	Secret  []byte
}

// refreshPrefix versions the token format.
const refreshPrefix = "rt1."

// secretLen is the length of a refresh token's secret.
const secretLen = 32

// NewRefreshToken returns a token with a fresh random secret.
func NewRefreshToken(school, person, session string) RefreshToken {
	secret := make([]byte, secretLen)
	_, _ = rand.Read(secret)
	return RefreshToken{School: school, Person: person, Session: session, Secret: secret}
}

// String encodes the token for the client.
func (t RefreshToken) String() string {
	inner := t.School + "." + t.Person + "." + t.Session + "." + b64url.EncodeToString(t.Secret)
	return refreshPrefix + b64url.EncodeToString([]byte(inner))
}

// Hash is the stored form of the token's secret (hex SHA-256).
func (t RefreshToken) Hash() string {
	sum := sha256.Sum256(t.Secret)
	return hex.EncodeToString(sum[:])
}

// ParseRefreshToken takes a client's refresh token apart; ok is false when
// it is not one.
func ParseRefreshToken(s string) (RefreshToken, bool) {
	rest, ok := strings.CutPrefix(s, refreshPrefix)
	if !ok || len(rest) > 512 {
		return RefreshToken{}, false
	}
	inner, err := b64url.DecodeString(rest)
	if err != nil {
		return RefreshToken{}, false
	}
	parts := strings.Split(string(inner), ".")
	if len(parts) != 4 || !ejournal.ValidID(parts[0]) || !ejournal.ValidID(parts[1]) || !ejournal.ValidID(parts[2]) {
		return RefreshToken{}, false
	}
	secret, err := b64url.DecodeString(parts[3])
	if err != nil || len(secret) != secretLen {
		return RefreshToken{}, false
	}
	return RefreshToken{School: parts[0], Person: parts[1], Session: parts[2], Secret: secret}, true
}

// SameHash compares two stored hashes in constant time.
func SameHash(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
