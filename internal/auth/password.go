// Package auth holds the cryptography of signing in: argon2id password
// hashes in PHC string form and the password rules, one-time passwords,
// Ed25519-signed access tokens (compact JWT), opaque refresh tokens and the
// signing key. It knows nothing of HTTP or storage.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"ejournal/internal/ejournal"
)

// Params are the argon2id cost parameters. They are stored with each hash,
// so they can be raised later: NeedsRehash tells which hashes to renew at
// the next sign-in.
type Params struct {
	// Memory in KiB.
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams cost about 70 ms on two cores (m=64 MiB, t=2, p=2; see
// BenchmarkHash): slow for guessing, quick enough for a sign-in.
var DefaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of password under p:
// $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>.
func (p Params) Hash(password string) string {
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// HashPassword hashes password with DefaultParams.
func HashPassword(password string) string { return DefaultParams.Hash(password) }

var errHashFormat = errors.New("not an argon2id PHC string")

// decodeHash parses a PHC string into its parameters, salt and key.
func decodeHash(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, errHashFormat
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, errHashFormat
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, errHashFormat
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	// Bounds keep a corrupt stored hash from asking for absurd work.
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 ||
		p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > 1<<20 {
		return Params{}, nil, nil, errHashFormat
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// VerifyPassword reports whether password matches the PHC string encoded,
// comparing in constant time. A malformed hash is an error.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyHash is verified against when a login does not exist, so that an
// unknown login costs the same time as a wrong password.
// It is made on first use, not at start-up, to keep cold starts short.
var dummyHash = sync.OnceValue(func() string { return HashPassword("not a real password 7f3c") })

// VerifyDummy spends the time of one verification and always fails.
func VerifyDummy(password string) {
	_, _ = VerifyPassword(dummyHash(), password)
}

// NeedsRehash reports whether encoded was made with parameters other than
// DefaultParams (or cannot be read).
func NeedsRehash(encoded string) bool {
	p, _, _, err := decodeHash(encoded)
	return err != nil || p != DefaultParams
}

// Password length bounds, in characters.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// commonPasswords are refused whatever the other rules say; compared in
// lower case.
var commonPasswords = map[string]bool{
	"password1": true, "password123": true, "passw0rd": true, "qwerty123": true, "qwerty12": true, "qwertyuiop1": true,
	"1qaz2wsx": true, "1q2w3e4r": true, "1q2w3e4r5t": true, "q1w2e3r4": true, "q1w2e3r4t5": true, "zaq12wsx": true,
	"abc12345": true, "abcd1234": true, "a1b2c3d4": true, "123456789a": true, "12345678a": true, "1234567a": true,
	"iloveyou1": true, "welcome1": true, "letmein1": true, "admin123": true, "admin1234": true, "administrator1": true,
	"school123": true, "shkola123": true, "parol123": true, "privet123": true, "student1": true, "teacher1": true,
	"qwerty1234": true, "asdfgh123": true, "monkey123": true, "dragon123": true, "football1": true, "sunshine1": true,
	"пароль123": true, "йцукен123": true, "demo12345": true,
}

// CheckPassword applies the password rules for an account with login and
// returns the reason a password is refused, ok when it is acceptable.
func CheckPassword(password, login string) (ejournal.Text, bool) {
	n := utf8.RuneCountInString(password)
	var letter, digit bool
	for _, r := range password {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	switch {
	case !utf8.ValidString(password) || strings.ContainsFunc(password, unicode.IsControl):
		return ejournal.T("Пароль содержит недопустимые символы.", "The password contains invalid characters."), false
	case n < MinPasswordLen:
		return ejournal.T(fmt.Sprintf("Пароль должен быть не короче %d символов.", MinPasswordLen), fmt.Sprintf("The password must be at least %d characters long.", MinPasswordLen)), false
	case n > MaxPasswordLen:
		return ejournal.T(fmt.Sprintf("Пароль должен быть не длиннее %d символов.", MaxPasswordLen), fmt.Sprintf("The password must be at most %d characters long.", MaxPasswordLen)), false
	case !letter || !digit:
		return ejournal.T("Пароль должен содержать и буквы, и цифры.", "The password must contain both letters and digits."), false
	case login != "" && strings.EqualFold(password, login):
		return ejournal.T("Пароль не должен совпадать с логином.", "The password must not be the same as the login."), false
	case commonPasswords[strings.ToLower(password)]:
		return ejournal.T("Этот пароль слишком распространён. Придумайте другой.", "This password is too common. Choose another one."), false
	}
	return ejournal.Text{}, true
}

// otpAlphabet leaves out letters and digits that are easy to confuse
// (0/o, 1/l/i).
const otpAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// OneTimePasswordLen is the length of a one-time password.
const OneTimePasswordLen = 10

// OneTimePassword returns a random password that is easy to read out and
// type, and that passes CheckPassword.
func OneTimePassword() string {
	// Bytes at or above limit are dropped so that every character is
	// equally likely.
	const limit = 256 / len(otpAlphabet) * len(otpAlphabet)
	for {
		out := make([]byte, 0, OneTimePasswordLen)
		var buf [32]byte
		for len(out) < OneTimePasswordLen {
			_, _ = rand.Read(buf[:])
			for _, c := range buf {
				if int(c) < limit && len(out) < OneTimePasswordLen {
					out = append(out, otpAlphabet[int(c)%len(otpAlphabet)])
				}
			}
		}
		if _, ok := CheckPassword(string(out), ""); ok {
			return string(out)
		}
	}
}
