package ejournal

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// ExternalIdentity links an account at an external OpenID Connect provider
// (Gosuslugi/ESIA) to a person. Staff create links; signing in with an
// unlinked account never creates a person.
type ExternalIdentity struct {
	// Issuer is the provider's issuer URL, as in its ID tokens.
	Issuer string `json:"issuer"`
	// Subject is the account's "sub" claim at the provider.
	Subject   string    `json:"subject"`
	SchoolID  string    `json:"school_id"`
	PersonID  string    `json:"person_id"`
	CreatedBy string    `json:"created_by"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the link's issuer and subject.
func (x *ExternalIdentity) Validate() error {
	p := Problems{}
	if !ValidIssuer(x.Issuer) {
		p.Add("issuer", T("Адрес провайдера — URL вида https://…, без параметров.", "The provider must be a URL like https://…, without a query."))
	}
	if !ValidSubject(x.Subject) {
		p.Add("subject", T("Идентификатор учётной записи — от 1 до 255 печатных символов ASCII без пробелов.", "The account identifier must be 1 to 255 printable ASCII characters without spaces."))
	}
	if !ValidID(x.SchoolID) || !ValidID(x.PersonID) {
		p.Add("person_id", idText)
	}
	return p.Err()
}

// ValidIssuer reports whether s is an issuer URL: http(s), a host, no
// query, fragment or user information.
func ValidIssuer(s string) bool {
	if len(s) > 300 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		u.User == nil && u.RawQuery == "" && u.Fragment == "" && !strings.ContainsAny(s, " \t\r\n")
}

// ValidSubject reports whether s is a subject identifier as OpenID Connect
// allows it: 1 to 255 ASCII characters (printable, without spaces here).
func ValidSubject(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// SignInState is what a sign-in through an external provider remembers
// between sending the browser to the provider and its return: the state
// parameter that names it, the PKCE verifier, the nonce the ID token must
// carry and where to go after signing in. It is used once.
type SignInState struct {
	State    string `json:"state"`
	Verifier string `json:"verifier"`
	Nonce    string `json:"nonce"`
	// Redirect is a relative path of the web app to open after signing in.
	Redirect  string    `json:"redirect"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SignInStateTTL is how long a sign-in through an external provider may take.
const SignInStateTTL = 10 * time.Minute

// oidcIdentity is the part of IdentityService for external identities.
type oidcIdentity interface {
	// LinkExternal links x.Subject at x.Issuer to a person, with an audit
	// entry on the person. It fills CreatedAt and Version. ECONFLICT when
	// the account is linked already (to anyone); EINVALID for bad input or
	// a person not in the school.
	LinkExternal(ctx context.Context, x *ExternalIdentity) error
	// ExternalIdentity finds the link of an external account; ENOTFOUND
	// when there is none.
	ExternalIdentity(ctx context.Context, issuer, subject string) (*ExternalIdentity, error)
	// ExternalIdentities lists the links of a person.
	ExternalIdentities(ctx context.Context, schoolID, personID string) ([]*ExternalIdentity, error)
	// UnlinkExternal removes a person's link, with an audit entry, and
	// returns it; ENOTFOUND when the person has no such link.
	UnlinkExternal(ctx context.Context, schoolID, personID, issuer, subject string) (*ExternalIdentity, error)
	// SaveSignInState stores a new sign-in state until s.ExpiresAt.
	SaveSignInState(ctx context.Context, s *SignInState) error
	// TakeSignInState returns a sign-in state and deletes it, so it can be
	// taken once; ENOTFOUND when it is unknown, taken or expired.
	TakeSignInState(ctx context.Context, state string) (*SignInState, error)
}
