package auth_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ejournal/internal/auth"
)

// cheap are low-cost parameters for tests that hash many times.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h := auth.HashPassword("correct horse 1")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("hash %q is not a PHC string of the default parameters", h)
	}
	if h == auth.HashPassword("correct horse 1") {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		name, hash, password string
		ok, fails            bool
	}{
		{"right", h, "correct horse 1", true, false},
		{"wrong", h, "correct horse 2", false, false},
		{"empty", h, "", false, false},
		{"case", h, "Correct horse 1", false, false},
		{"other params", cheap.Hash("x1y2z3w4"), "x1y2z3w4", true, false},
		{"malformed", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x", false, true},
		{"absurd memory", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x", false, true},
		{"not base64", "$argon2id$v=19$m=64,t=1,p=1$!!$!!", "x", false, true},
		{"empty hash", "", "x", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := auth.VerifyPassword(tc.hash, tc.password)
			if ok != tc.ok || (err != nil) != tc.fails {
				t.Fatalf("VerifyPassword = %v, %v; want %v, error %v", ok, err, tc.ok, tc.fails)
			}
		})
	}
	if auth.NeedsRehash(h) {
		t.Error("a hash of the default parameters needs a rehash")
	}
	if !auth.NeedsRehash(cheap.Hash("x1y2z3w4")) || !auth.NeedsRehash("garbage") {
		t.Error("a hash of other parameters (or garbage) does not need a rehash")
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		password, login string
		ok              bool
		want            string // part of the English reason
	}{
		{"kotik2024", "ivanova", true, ""},
		{"Длинный пароль 7", "ivanova", true, ""},
		{"abc123", "ivanova", false, "at least 8"},
		{"abcdefghij", "ivanova", false, "letters and digits"},
		{"1234567890", "ivanova", false, "letters and digits"},
		{"ivanova77", "ivanova77", false, "same as the login"},
		{"IVANOVA77", "ivanova77", false, "same as the login"},
		{"Password1", "ivanova", false, "too common"},
		{"demo12345", "ivanova", false, "too common"},
		{strings.Repeat("a1", 65), "ivanova", false, "at most 128"},
		{"tab\there12", "ivanova", false, "invalid characters"},
		{"bad\xffutf8x1", "ivanova", false, "invalid characters"},
	} {
		msg, ok := auth.CheckPassword(tc.password, tc.login)
		if ok != tc.ok || !strings.Contains(msg.EN, tc.want) || (!ok && msg.RU == "") {
			t.Errorf("CheckPassword(%q, %q) = %q/%q, %v; want %v with %q", tc.password, tc.login, msg.RU, msg.EN, ok, tc.ok, tc.want)
		}
	}
}

func TestOneTimePassword(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		p := auth.OneTimePassword()
		if len(p) != auth.OneTimePasswordLen || strings.ContainsAny(p, "01ilo") {
			t.Fatalf("one-time password %q: want %d characters without look-alikes", p, auth.OneTimePasswordLen)
		}
		if _, ok := auth.CheckPassword(p, ""); !ok {
			t.Fatalf("one-time password %q breaks the password rules", p)
		}
		if seen[p] {
			t.Fatalf("one-time password %q repeated", p)
		}
		seen[p] = true
	}
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTokens(t *testing.T) (*auth.Tokens, *clock) {
	t.Helper()
	key, _, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	tk := auth.NewTokens(key, "")
	tk.Now = c.now
	return tk, c
}

// resign replaces a token's claims (or header) and signs it with key.
func resign(t *testing.T, token string, key ed25519.PrivateKey, header, claims map[string]any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	enc := base64.RawURLEncoding
	seg := func(i int, over map[string]any) string {
		if over == nil {
			return parts[i]
		}
		var m map[string]any
		b, _ := enc.DecodeString(parts[i])
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range over {
			m[k] = v
		}
		b, _ = json.Marshal(m)
		return enc.EncodeToString(b)
	}
	signing := seg(0, header) + "." + seg(1, claims)
	return signing + "." + enc.EncodeToString(ed25519.Sign(key, []byte(signing)))
}

func TestAccessToken(t *testing.T) {
	t.Parallel()
	tk, c := newTokens(t)
	token, exp := tk.Issue("school-a", "p1", "s1", false)
	if exp.Sub(c.t) != auth.AccessTTL {
		t.Fatalf("expires after %v, want %v", exp.Sub(c.t), auth.AccessTTL)
	}
	claims, err := tk.Verify(token)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Subject != "p1" || claims.School != "school-a" || claims.Session != "s1" || claims.Issuer != auth.DefaultIssuer || claims.MustChange {
		t.Fatalf("claims = %+v", claims)
	}
	mc, _ := tk.Issue("school-a", "p1", "s1", true)
	if claims, err := tk.Verify(mc); err != nil || !claims.MustChange {
		t.Fatalf("must-change token: %+v, %v", claims, err)
	}

	otherKey, _, _ := auth.GenerateKey()
	other := auth.NewTokens(otherKey, "")
	other.Now = c.now
	foreign, _ := other.Issue("school-a", "p1", "s1", false)
	otherIssuer := auth.NewTokens(otherKey, "someone-else")
	otherIssuer.Now = c.now
	parts := strings.Split(token, ".")
	for name, bad := range map[string]string{
		"other key":           foreign,
		"tampered claims":     parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"ejournal","sub":"p2","sch":"school-a","sid":"s1","iat":1,"exp":9999999999}`)) + "." + parts[2],
		"tampered signature":  parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"no signature":        parts[0] + "." + parts[1] + ".",
		"two parts":           parts[0] + "." + parts[1],
		"alg none":            resign(t, token, otherKey, map[string]any{"alg": "none"}, nil),
		"alg HS256":           resign(t, token, otherKey, map[string]any{"alg": "HS256"}, nil),
		"kid of other key":    resign(t, token, otherKey, map[string]any{"kid": auth.KeyID(otherKey.Public().(ed25519.PublicKey))}, nil),
		"other issuer":        func() string { s, _ := otherIssuer.Issue("school-a", "p1", "s1", false); return s }(),
		"claims not JSON":     resign(t, strings.Replace(token, parts[1], "eA", 1), otherKey, nil, nil),
		"empty":               "",
		"garbage":             "a.b.c",
		"long":                strings.Repeat("a", 5000),
		"unknown header item": resign(t, token, otherKey, map[string]any{"jku": "https://evil.example"}, nil),
	} {
		if _, err := tk.Verify(bad); err == nil {
			t.Errorf("%s: a bad token verified", name)
		}
	}

	c.t = exp.Add(-time.Second)
	if _, err := tk.Verify(token); err != nil {
		t.Errorf("a token a second before expiry: %v", err)
	}
	c.t = exp
	if _, err := tk.Verify(token); err == nil {
		t.Error("an expired token verified")
	}
	c.t = exp.Add(-auth.AccessTTL - 2*time.Minute)
	if _, err := tk.Verify(token); err == nil {
		t.Error("a token issued in the future verified")
	}
}

func TestRefreshToken(t *testing.T) {
	t.Parallel()
	rt := auth.NewRefreshToken("school-a", "p1", "s1")
	got, ok := auth.ParseRefreshToken(rt.String())
	if !ok || got.School != "school-a" || got.Person != "p1" || got.Session != "s1" || got.Hash() != rt.Hash() {
		t.Fatalf("round trip: %+v, %v", got, ok)
	}
	if len(rt.Hash()) != 64 || strings.Contains(rt.Hash(), rt.String()) {
		t.Fatalf("hash %q is not a hex SHA-256", rt.Hash())
	}
	if auth.NewRefreshToken("school-a", "p1", "s1").Hash() == rt.Hash() {
		t.Fatal("two refresh tokens share a secret")
	}
	enc := base64.RawURLEncoding.EncodeToString
	for _, bad := range []string{"", "rt1.", "rt1.!!", "rt2." + rt.String()[4:], "rt1." + enc([]byte("a.b.c")),
		"rt1." + enc([]byte("a#b.p.s."+enc(make([]byte, 32)))), "rt1." + enc([]byte("a.p.s."+enc(make([]byte, 8)))), rt.String() + "x"} {
		if _, ok := auth.ParseRefreshToken(bad); ok {
			t.Errorf("ParseRefreshToken(%q) accepted it", bad)
		}
	}
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "signing-key.pem")
	k1, err := auth.LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, st.Mode())
	}
	k2, err := auth.LoadOrCreateKeyFile(path)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("the key changed on the second load: %v", err)
	}
	if _, err := auth.ParseKey([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")); err == nil {
		t.Error("a public key parsed as the signing key")
	}
}

// BenchmarkHash measures one password hash with the default parameters,
// which a sign-in costs.
func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		auth.HashPassword("correct horse 1")
	}
}
