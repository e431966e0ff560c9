package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"ejournal/internal/ejournal"
	"ejournal/internal/oidc"
)

// Sign-in through an external OpenID Connect provider (Gosuslugi/ESIA):
//
//  1. The web app sends the browser to GET /v1/auth/oidc/start, which
//     stores a one-time sign-in state (PKCE verifier, nonce, where to go
//     after) and redirects to the provider.
//  2. The provider sends the browser back to OIDC_REDIRECT_URL, the web
//     app's page, with code and state; the page passes them to
//     GET /v1/auth/oidc/callback.
//  3. The callback takes the state (once), redeems the code, verifies the
//     ID token and signs in the person the external account is linked to.
//     An unlinked account never creates a person: staff link accounts.

// signInRedirectHeader tells the web app where to go after a sign-in
// through the provider: the relative path given at the start.
const signInRedirectHeader = "X-Sign-In-Redirect"

// providerID names the one configured provider in URLs and lists.
const providerID = "oidc"

func (s *Server) oidcRoutes() []Route {
	const links = "/v1/people/{id}/external-identities"
	return []Route{
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/auth/providers", Public: true, handle: s.listProviders},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/auth/oidc/start", Public: true, handle: s.oidcStart},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/auth/oidc/callback", Public: true, handle: s.oidcCallback},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: links, handle: s.listExternal},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: links, handle: s.linkExternal},
		{Function: FuncIdentity, Method: http.MethodDelete, Pattern: links + "/{subject}", handle: s.unlinkExternal},
	}
}

// provider returns the configured provider, or ENOTFOUND when there is none.
func (s *Server) provider() (*oidc.Client, error) {
	if s.OIDC == nil {
		return nil, ejournal.Errorf(ejournal.ENOTFOUND, ejournal.T("Вход через внешнего провайдера не настроен.", "Sign-in through an external provider is not configured."))
	}
	return s.OIDC, nil
}

type providerInfo struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	StartURL string `json:"start_url"`
}

func (s *Server) listProviders(w http.ResponseWriter, r *http.Request) error {
	var items []providerInfo
	if s.OIDC != nil {
		items = append(items, providerInfo{ID: providerID, Name: s.OIDC.DisplayName(), StartURL: "/v1/auth/oidc/start"})
	}
	writeList(w, items)
	return nil
}

// signInRedirect checks where to go after signing in: a path of this site
// ("/…", not "//host" or "/\host"), without control characters; "/" when
// none is given.
func signInRedirect(s string) (string, error) {
	if s == "" {
		return "/", nil
	}
	u, err := url.Parse(s)
	bad := err != nil || len(s) > 512 || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") ||
		strings.ContainsAny(s, "\\") || u.Scheme != "" || u.Host != "" || u.User != nil
	for _, c := range s {
		bad = bad || c < ' ' || c == 0x7f
	}
	if bad {
		return "", ejournal.Problems{"redirect": ejournal.T("Адрес возврата — путь на этом сайте, начинающийся с «/».", "The return address must be a path on this site starting with \"/\".")}.Err()
	}
	return s, nil
}

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	c, err := s.provider()
	if err != nil {
		return err
	}
	redirect, err := signInRedirect(r.URL.Query().Get("redirect"))
	if err != nil {
		return err
	}
	st := &ejournal.SignInState{
		State:     oidc.NewNonce(),
		Nonce:     oidc.NewNonce(),
		Verifier:  oidc.NewVerifier(),
		Redirect:  redirect,
		ExpiresAt: time.Now().Add(ejournal.SignInStateTTL),
	}
	// Discovery first: a provider that is down leaves no state behind.
	target, err := c.AuthURL(r.Context(), st.State, st.Nonce, st.Verifier)
	if err != nil {
		return err
	}
	if err := s.Identity.SaveSignInState(r.Context(), st); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusFound)
	return nil
}

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	c, err := s.provider()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	st, err := s.Identity.TakeSignInState(r.Context(), q.Get("state"))
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return ejournal.Problems{"state": ejournal.T("Вход устарел или уже завершён. Начните вход заново.", "This sign-in has expired or is already complete. Please start again.")}.Err()
	} else if err != nil {
		return err
	}
	if q.Get("error") != "" {
		return ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.Text{
			RU: fmt.Sprintf("Вход через «%s» отменён или не выполнен.", c.DisplayName()),
			EN: fmt.Sprintf("Signing in through %s was cancelled or failed.", c.DisplayName()),
		})
	}
	if q.Get("code") == "" {
		return ejournal.Problems{"code": ejournal.T("Обязательное поле.", "This field is required.")}.Err()
	}
	subject, err := c.Exchange(r.Context(), q.Get("code"), st.Verifier, st.Nonce)
	if l := loggerFrom(r); l != nil && ejournal.ErrorCode(err) == ejournal.EUNAUTHORIZED {
		// The cause names no token or personal data.
		l.Warn("external sign-in refused", "request_id", info(r).id, "error", err.Error())
	}
	if err != nil {
		return err
	}
	x, err := s.Identity.ExternalIdentity(r.Context(), c.Issuer(), subject)
	var person *ejournal.Person
	if err == nil {
		person, err = s.Directory.Person(r.Context(), x.SchoolID, x.PersonID)
	}
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.Text{
			RU: fmt.Sprintf("Эта учётная запись «%s» не привязана к электронному журналу. Обратитесь в школу, чтобы её привязали.", c.DisplayName()),
			EN: fmt.Sprintf("This %s account is not linked to the e-journal. Ask the school to link it.", c.DisplayName()),
		})
	} else if err != nil {
		return err
	}
	setLogPerson(r, person.ID)
	if err := s.signInAllowed(r, person); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(signInRedirectHeader, st.Redirect)
	return s.startSession(w, r, person.SchoolID, person.ID)
}

// signInAllowed refuses, as password login does (signInClosed), a person
// who has left the school or was dismissed, and one whose account is
// disabled.
func (s *Server) signInAllowed(r *http.Request, person *ejournal.Person) error {
	closed, err := signInClosed(r.Context(), s.Identity, person)
	if err != nil {
		return err
	}
	if closed {
		return ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Вход закрыт: учётная запись отключена, человек выбыл из школы или уволен.", "Sign-in is closed: the account is disabled, or the person has left the school or was dismissed."))
	}
	return nil
}

// externalPerson reads the person of a link route (see managedPerson),
// scoped by the person's recorded class.
func (s *Server) externalPerson(r *http.Request) (*ejournal.Person, error) {
	return s.managedPerson(r, func(p *ejournal.Person) string { return p.ClassID })
}

func (s *Server) listExternal(w http.ResponseWriter, r *http.Request) error {
	person, err := s.externalPerson(r)
	if err != nil {
		return err
	}
	items, err := s.Identity.ExternalIdentities(r.Context(), person.SchoolID, person.ID)
	if err != nil {
		return err
	}
	writeList(w, items)
	return nil
}

type externalInput struct {
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

func (s *Server) linkExternal(w http.ResponseWriter, r *http.Request) error {
	person, err := s.externalPerson(r)
	if err != nil {
		return err
	}
	var in externalInput
	if err := decode(r, &in); err != nil {
		return err
	}
	// Only the configured provider's accounts can sign in, so only they
	// are linked.
	switch {
	case s.OIDC == nil:
		return ejournal.Problems{"issuer": ejournal.T("Вход через внешнего провайдера не настроен.", "Sign-in through an external provider is not configured.")}.Err()
	case in.Issuer == "":
		in.Issuer = s.OIDC.Issuer()
	case in.Issuer != s.OIDC.Issuer():
		return ejournal.Problems{"issuer": ejournal.Text{RU: "Можно привязать только учётную запись провайдера " + s.OIDC.Issuer() + ".", EN: "Only accounts of " + s.OIDC.Issuer() + " can be linked."}}.Err()
	}
	x := &ejournal.ExternalIdentity{Issuer: in.Issuer, Subject: in.Subject, SchoolID: person.SchoolID, PersonID: person.ID}
	if err := s.Identity.LinkExternal(r.Context(), x); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/people/"+person.ID+"/external-identities/"+url.PathEscape(x.Subject)+"?issuer="+url.QueryEscape(x.Issuer))
	writeJSON(w, http.StatusCreated, x)
	return nil
}

func (s *Server) unlinkExternal(w http.ResponseWriter, r *http.Request) error {
	person, err := s.externalPerson(r)
	if err != nil {
		return err
	}
	issuer := r.URL.Query().Get("issuer")
	if issuer == "" && s.OIDC != nil {
		issuer = s.OIDC.Issuer()
	}
	if issuer == "" {
		return ejournal.Problems{"issuer": ejournal.T("Укажите провайдера (issuer).", "Give the provider (issuer).")}.Err()
	}
	x, err := s.Identity.UnlinkExternal(r.Context(), person.SchoolID, person.ID, issuer, r.PathValue("subject"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, x)
	return nil
}
