package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"ejournal/internal/ejournal"
)

// Token lifetimes.
const (
	AccessTTL  = 15 * time.Minute
	RefreshTTL = 30 * 24 * time.Hour
)

// DefaultIssuer is the iss claim of the tokens this system signs.
const DefaultIssuer = "ejournal"

// Claims are the claims of an access token.
type Claims struct {
	Issuer string `json:"iss"`
	// Subject is the person id.
	Subject string `json:"sub"`
	// School is the school id.
	School string `json:"sch"`
	// Session is the session (refresh token family) id.
	Session  string `json:"sid"`
	IssuedAt int64  `json:"iat"`
	Expires  int64  `json:"exp"`
	// MustChange marks a token of a one-time password: it is good only
	// for changing the password.
	MustChange bool `json:"mcp,omitempty"`
}

// Tokens signs and verifies access tokens with one Ed25519 key.
type Tokens struct {
	key    ed25519.PrivateKey
	pub    ed25519.PublicKey
	kid    string
	issuer string
	// Now is the clock; tests may replace it.
	Now func() time.Time
}

// NewTokens returns the signer of key for issuer (DefaultIssuer when "").
func NewTokens(key ed25519.PrivateKey, issuer string) *Tokens {
	if issuer == "" {
		issuer = DefaultIssuer
	}
	pub := key.Public().(ed25519.PublicKey)
	return &Tokens{key: key, pub: pub, kid: KeyID(pub), issuer: issuer, Now: time.Now}
}

// KeyID names a public key in the kid header: the first 12 bytes of its
// SHA-256, base64url.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

type header struct {
	Alg string `json:"alg"`
	Typ string `json:"typ,omitempty"`
	Kid string `json:"kid"`
}

var b64url = base64.RawURLEncoding

// Issue signs an access token for a person's session; it returns the token
// and when it expires.
func (t *Tokens) Issue(school, person, session string, mustChange bool) (string, time.Time) {
	now := t.Now()
	exp := now.Add(AccessTTL)
	h, _ := json.Marshal(header{Alg: "EdDSA", Typ: "JWT", Kid: t.kid})
	c, _ := json.Marshal(Claims{Issuer: t.issuer, Subject: person, School: school, Session: session, IssuedAt: now.Unix(), Expires: exp.Unix(), MustChange: mustChange})
	signing := b64url.EncodeToString(h) + "." + b64url.EncodeToString(c)
	sig := ed25519.Sign(t.key, []byte(signing))
	return signing + "." + b64url.EncodeToString(sig), exp
}

// ErrInvalidToken is returned for any token that does not verify; the
// reason is wrapped for logs.
var ErrInvalidToken = errors.New("invalid access token")

func invalid(reason string) error { return fmt.Errorf("%w: %s", ErrInvalidToken, reason) }

// maxTokenLen bounds what Verify will look at.
const maxTokenLen = 2048

// Verify checks an access token strictly: EdDSA with this key's kid, a
// valid signature, this issuer, not expired and not issued in the future,
// and well-formed ids.
func (t *Tokens) Verify(token string) (*Claims, error) {
	if len(token) > maxTokenLen {
		return nil, invalid("too long")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, invalid("not a compact JWS")
	}
	var h header
	if err := decodeSegment(parts[0], &h); err != nil {
		return nil, invalid("header: " + err.Error())
	}
	if h.Alg != "EdDSA" {
		return nil, invalid("alg " + h.Alg)
	}
	if h.Kid != t.kid {
		return nil, invalid("unknown kid")
	}
	sig, err := b64url.DecodeString(parts[2])
	if err != nil || !ed25519.Verify(t.pub, []byte(parts[0]+"."+parts[1]), sig) {
		return nil, invalid("bad signature")
	}
	var c Claims
	if err := decodeSegment(parts[1], &c); err != nil {
		return nil, invalid("claims: " + err.Error())
	}
	now := t.Now().Unix()
	switch {
	case c.Issuer != t.issuer:
		return nil, invalid("issuer")
	case c.Expires <= now:
		return nil, invalid("expired")
	case c.IssuedAt > now+60 || c.Expires-c.IssuedAt > int64(AccessTTL/time.Second):
		return nil, invalid("times")
	case !ejournal.ValidID(c.Subject) || !ejournal.ValidID(c.School) || !ejournal.ValidID(c.Session):
		return nil, invalid("ids")
	}
	return &c, nil
}

// decodeSegment decodes one base64url JSON segment strictly.
func decodeSegment(s string, v any) error {
	b, err := b64url.DecodeString(s)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
