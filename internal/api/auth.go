package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"

	"ejournal/internal/access"
	"ejournal/internal/auth"
	"ejournal/internal/ejournal"
)

// Sign-in with a login and password. Access tokens are short-lived JWTs
// (auth.AccessTTL); refresh tokens rotate on every use, and presenting a
// spent one revokes its whole session (family). Failed sign-ins are counted
// per login and per client address; past the limits the API answers 429.

// Throttling limits of password sign-in.
const (
	throttleWindow   = 15 * time.Minute
	maxLoginFailures = 5
	maxAddrFailures  = 20
	// maxSpent bounds the spent refresh secrets a session remembers.
	maxSpent = 20
	// maxUserAgent bounds the stored user agent, in bytes.
	maxUserAgent = 200
)

// The headers of requests the web stack's CloudFront distribution forwards
// (infra/web.yaml): the shared secret that proves where a request came
// from, and the viewer's IP address (see Server.clientAddr).
const (
	originVerifyHeader  = "X-Origin-Verify"
	viewerAddressHeader = "X-Viewer-Address"
)

var (
	errBadCredentials = ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.T("Неверный логин или пароль.", "Wrong login or password."))
	errBadRefresh     = ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.T("Сеанс завершён или недействителен. Войдите снова.", "The session has ended or is invalid. Please sign in again."))
	errNoAccount      = ejournal.NotFound(ejournal.T("Учётная запись", "Account"))
)

func (s *Server) authRoutes() []Route {
	return []Route{
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/auth/login", Public: true, handle: s.login},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/auth/refresh", Public: true, handle: s.refresh},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/auth/logout", handle: s.logout},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/auth/logout-all", handle: s.logoutAll},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/auth/password", handle: s.changePassword},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/auth/sessions", handle: s.listSessions},
		{Function: FuncIdentity, Method: http.MethodDelete, Pattern: "/v1/auth/sessions/{id}", handle: s.revokeSession},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/me", handle: s.me},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/people/{id}/account", handle: s.createAccount},
		{Function: FuncIdentity, Method: http.MethodPost, Pattern: "/v1/people/{id}/account/reset", handle: s.resetAccount},
	}
}

// mustChangeRoutes are the routes a session opened with a one-time
// password may use.
var mustChangeRoutes = []string{"POST /v1/auth/password", "POST /v1/auth/logout", "GET /v1/me"}

// tokenResponse is the answer of every sign-in.
type tokenResponse struct {
	AccessToken        string `json:"access_token"`
	TokenType          string `json:"token_type"`
	ExpiresIn          int    `json:"expires_in"`
	RefreshToken       string `json:"refresh_token"`
	MustChangePassword bool   `json:"must_change_password"`
}

func (s *Server) tokens() (*auth.Tokens, error) {
	if s.Tokens == nil {
		return nil, ejournal.Internal(errors.New("no signing key configured (Server.Tokens)"))
	}
	return s.Tokens, nil
}

func (s *Server) now() time.Time {
	if s.Tokens != nil {
		return s.Tokens.Now()
	}
	return time.Now()
}

// writeTokens issues an access token for sess and answers with it and the
// refresh token rt.
func (s *Server) writeTokens(w http.ResponseWriter, sess *ejournal.Session, rt auth.RefreshToken) error {
	t, err := s.tokens()
	if err != nil {
		return err
	}
	access, exp := t.Issue(sess.SchoolID, sess.PersonID, sess.ID, sess.MustChange)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: access, TokenType: "Bearer", ExpiresIn: int(math.Round(exp.Sub(s.now()).Seconds())),
		RefreshToken: rt.String(), MustChangePassword: sess.MustChange,
	})
	return nil
}

// openSession starts a new session (refresh token family) for a person
// and answers with its tokens.
func (s *Server) openSession(w http.ResponseWriter, r *http.Request, school, person string, mustChange bool) error {
	if _, err := s.tokens(); err != nil {
		return err
	}
	now := s.now()
	sess := &ejournal.Session{
		ID: ejournal.NewID(), SchoolID: school, PersonID: person, MustChange: mustChange,
		UserAgent: truncate(r.UserAgent(), maxUserAgent), CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(auth.RefreshTTL),
	}
	rt := auth.NewRefreshToken(school, person, sess.ID)
	sess.SecretHash = rt.Hash()
	if err := s.Identity.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	return s.writeTokens(w, sess, rt)
}

// startSession signs a person in after another kind of sign-in (OpenID
// Connect) has proved who they are.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, school, person string) error {
	return s.openSession(w, r, school, person, false)
}

// rotate gives sess a new refresh token, remembering the old one as spent.
func (s *Server) rotate(ctx context.Context, sess *ejournal.Session) (auth.RefreshToken, error) {
	now := s.now()
	rt := auth.NewRefreshToken(sess.SchoolID, sess.PersonID, sess.ID)
	sess.Spent = append(sess.Spent, sess.SecretHash)
	if len(sess.Spent) > maxSpent {
		sess.Spent = sess.Spent[len(sess.Spent)-maxSpent:]
	}
	sess.SecretHash, sess.LastUsedAt, sess.ExpiresAt = rt.Hash(), now, now.Add(auth.RefreshTTL)
	return rt, s.Identity.UpdateSession(ctx, sess)
}

// signInClosed reports whether a person may not sign in (or stay signed
// in): a student who left, a dismissed employee, a disabled account.
func signInClosed(ctx context.Context, accounts interface {
	Account(ctx context.Context, login string) (*ejournal.Account, error)
}, p *ejournal.Person) (bool, error) {
	if p.Left || p.Employment.Dismissed() {
		return true, nil
	}
	if p.Login == "" {
		return false, nil
	}
	a, err := accounts.Account(ctx, p.Login)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, err
	}
	return a.Disabled || a.PersonID != p.ID, nil
}

// clientAddr is the address sign-in attempts are counted by: the
// connection's source address, which in Lambda the API proxy takes from
// API Gateway's requestContext source IP. X-Forwarded-For is not used,
// because a client can write anything there.
//
// Behind the web stack's CloudFront distribution that source is an edge
// server that many users share. So when OriginSecret is set and the
// request's X-Origin-Verify equals it — CloudFront adds the secret to every
// request it forwards to the API, replacing any such header a client sent —
// the address counted is the IP address in X-Viewer-Address, which the
// distribution's function sets from the viewer's connection, again
// replacing anything the client sent. Without the secret, or without a
// valid IP address there, the source address counts.
func (s *Server) clientAddr(r *http.Request) string {
	if s.OriginSecret != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get(originVerifyHeader)), []byte(s.OriginSecret)) == 1 {
		if ip := net.ParseIP(r.Header.Get(viewerAddressHeader)); ip != nil {
			return ip.String()
		}
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// logID names a login in logs without writing it there.
func logID(login string) string {
	sum := sha256.Sum256([]byte(login))
	return hex.EncodeToString(sum[:6])
}

type loginInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// counter is one throttling counter of a sign-in attempt.
type counter struct {
	kind, value string
	max         int
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in loginInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	login, valid := ejournal.NormalizeLogin(in.Login)
	counters := []counter{{"ip", s.clientAddr(r), maxAddrFailures}}
	if valid {
		counters = append(counters, counter{"login", login, maxLoginFailures})
	}
	for _, c := range counters {
		t, err := s.Identity.Throttle(ctx, c.kind, c.value, throttleWindow)
		if err != nil {
			return err
		}
		if t.Count >= c.max {
			return s.throttled(w, r, c, t, login)
		}
	}
	person, err := s.checkPassword(ctx, login, valid, in.Password)
	if err != nil {
		if ejournal.ErrorCode(err) == ejournal.EUNAUTHORIZED {
			for _, c := range counters {
				if _, cerr := s.Identity.CountFailure(ctx, c.kind, c.value, throttleWindow); cerr != nil {
					return cerr
				}
			}
			s.logAuth(r, slog.LevelInfo, "sign-in failed", "login_id", logID(login), "client", s.clientAddr(r))
		}
		return err
	}
	if err := s.Identity.ResetThrottle(ctx, "login", login); err != nil {
		return err
	}
	setLogPerson(r, person.PersonID)
	return s.openSession(w, r, person.SchoolID, person.PersonID, person.MustChange)
}

// checkPassword returns the account of login if password is right and the
// person may sign in; otherwise errBadCredentials, after the same work.
// A hash made with old parameters is renewed.
func (s *Server) checkPassword(ctx context.Context, login string, valid bool, password string) (*ejournal.Account, error) {
	var a *ejournal.Account
	var err error
	if valid {
		a, err = s.Identity.Account(ctx, login)
	}
	if !valid || ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		auth.VerifyDummy(password)
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	ok, err := auth.VerifyPassword(a.PasswordHash, password)
	if err != nil {
		return nil, ejournal.Internal(fmt.Errorf("account %s: %w", a.PersonID, err))
	}
	if !ok {
		return nil, errBadCredentials
	}
	p, err := s.Directory.Person(ctx, a.SchoolID, a.PersonID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	if closed, err := signInClosed(ctx, s.Identity, p); err != nil {
		return nil, err
	} else if closed {
		return nil, errBadCredentials
	}
	if auth.NeedsRehash(a.PasswordHash) {
		a.PasswordHash = auth.HashPassword(password)
		if err := s.Identity.UpdateAccount(ctx, a); err != nil && ejournal.ErrorCode(err) != ejournal.ECONFLICT {
			return nil, err
		}
	}
	return a, nil
}

// throttled answers 429 with Retry-After and logs the refusal.
func (s *Server) throttled(w http.ResponseWriter, r *http.Request, c counter, t ejournal.Throttle, login string) error {
	wait := max(int(math.Ceil(t.Start.Add(throttleWindow).Sub(s.now()).Seconds())), 1)
	s.logAuth(r, slog.LevelWarn, "sign-in throttled", "by", c.kind, "failures", t.Count, "login_id", logID(login), "client", s.clientAddr(r), "retry_after", wait)
	w.Header().Set("Retry-After", fmt.Sprint(wait))
	return ejournal.Errorf(ejournal.ERATELIMITED, ejournal.Text{
		RU: fmt.Sprintf("Слишком много неудачных попыток входа. Повторите через %d мин.", (wait+59)/60),
		EN: fmt.Sprintf("Too many failed sign-in attempts. Try again in %d min.", (wait+59)/60),
	})
}

// logAuth writes a security event to the log. It never carries passwords,
// tokens or logins in the clear.
func (s *Server) logAuth(r *http.Request, level slog.Level, msg string, args ...any) {
	s.Logger.Log(r.Context(), level, msg, append([]any{"request_id", info(r).id}, args...)...)
}

type refreshInput struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) error {
	var in refreshInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	rt, ok := auth.ParseRefreshToken(in.RefreshToken)
	if !ok {
		return errBadRefresh
	}
	sess, err := s.Identity.Session(ctx, rt.School, rt.Person, rt.Session)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return errBadRefresh
	} else if err != nil {
		return err
	}
	hash := rt.Hash()
	if !auth.SameHash(hash, sess.SecretHash) {
		if slices.ContainsFunc(sess.Spent, func(h string) bool { return auth.SameHash(h, hash) }) {
			return s.revokeReused(r, sess)
		}
		return errBadRefresh
	}
	p, err := s.Directory.Person(ctx, sess.SchoolID, sess.PersonID)
	closed := ejournal.ErrorCode(err) == ejournal.ENOTFOUND
	if err != nil && !closed {
		return err
	}
	if !closed {
		if closed, err = signInClosed(ctx, s.Identity, p); err != nil {
			return err
		}
	}
	if closed {
		return s.endSession(ctx, sess, errBadRefresh)
	}
	next, err := s.rotate(ctx, sess)
	switch ejournal.ErrorCode(err) {
	case "":
	case ejournal.ECONFLICT:
		// Another request rotated the same token first: the token was used twice.
		return s.revokeReused(r, sess)
	case ejournal.ENOTFOUND:
		return errBadRefresh // revoked meanwhile
	default:
		return err
	}
	setLogPerson(r, sess.PersonID)
	return s.writeTokens(w, sess, next)
}

// revokeReused ends a session whose spent refresh token was presented
// again: someone holds a copy of it.
func (s *Server) revokeReused(r *http.Request, sess *ejournal.Session) error {
	s.logAuth(r, slog.LevelWarn, "refresh token reused: session revoked", "person_id", sess.PersonID, "school_id", sess.SchoolID, "session_id", sess.ID, "client", s.clientAddr(r))
	return s.endSession(r.Context(), sess, errBadRefresh)
}

// endSession revokes sess and returns then.
func (s *Server) endSession(ctx context.Context, sess *ejournal.Session, then error) error {
	if err := s.Identity.DeleteSession(ctx, sess.SchoolID, sess.PersonID, sess.ID); err != nil {
		return err
	}
	s.forget(sess.SchoolID, sess.PersonID, sess.ID)
	return then
}

// forget drops cached principals of a person's session (all sessions when
// session is "") in this process, so a revocation applies at once here
// and within the cache's lifetime elsewhere.
func (s *Server) forget(school, person, session string) {
	if f, ok := s.Auth.(interface {
		forget(school, person, session string)
	}); ok {
		f.forget(school, person, session)
	}
}

type revokedResponse struct {
	Revoked int `json:"revoked"`
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	n := 0
	if p.SessionID != "" {
		if err := s.Identity.DeleteSession(r.Context(), p.SchoolID, p.PersonID, p.SessionID); err != nil {
			return err
		}
		s.forget(p.SchoolID, p.PersonID, p.SessionID)
		n = 1
	}
	writeJSON(w, http.StatusOK, revokedResponse{Revoked: n})
	return nil
}

func (s *Server) logoutAll(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	all, err := s.Identity.Sessions(r.Context(), p.SchoolID, p.PersonID)
	if err != nil {
		return err
	}
	if err := s.Identity.DeleteSessions(r.Context(), p.SchoolID, p.PersonID, ""); err != nil {
		return err
	}
	s.forget(p.SchoolID, p.PersonID, "")
	writeJSON(w, http.StatusOK, revokedResponse{Revoked: len(all)})
	return nil
}

// sessionView is a session as its owner sees it.
type sessionView struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	UserAgent  string    `json:"user_agent,omitempty"`
	Current    bool      `json:"current"`
}

func viewSession(p *ejournal.Principal, s *ejournal.Session) sessionView {
	return sessionView{ID: s.ID, CreatedAt: s.CreatedAt, LastUsedAt: s.LastUsedAt, ExpiresAt: s.ExpiresAt, UserAgent: s.UserAgent, Current: s.ID == p.SessionID}
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	all, err := s.Identity.Sessions(r.Context(), p.SchoolID, p.PersonID)
	if err != nil {
		return err
	}
	out := make([]sessionView, len(all))
	for i, sess := range all {
		out[i] = viewSession(p, sess)
	}
	writeList(w, out)
	return nil
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	sess, err := s.Identity.Session(r.Context(), p.SchoolID, p.PersonID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.endSession(r.Context(), sess, nil); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewSession(p, sess))
	return nil
}

type passwordInput struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// changePassword sets the caller's own password. Every other session of
// theirs is revoked, and the current one continues with new tokens.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	ctx := r.Context()
	var in passwordInput
	if err := decode(r, &in); err != nil {
		return err
	}
	person, err := s.Directory.Person(ctx, p.SchoolID, p.PersonID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return errNoAccount
	} else if err != nil {
		return err
	}
	if person.Login == "" {
		return errNoAccount
	}
	c := counter{"login", person.Login, maxLoginFailures}
	if t, err := s.Identity.Throttle(ctx, c.kind, c.value, throttleWindow); err != nil {
		return err
	} else if t.Count >= c.max {
		return s.throttled(w, r, c, t, person.Login)
	}
	a, err := s.Identity.Account(ctx, person.Login)
	if err != nil {
		return err
	}
	if ok, err := auth.VerifyPassword(a.PasswordHash, in.OldPassword); err != nil {
		return ejournal.Internal(err)
	} else if !ok {
		if _, err := s.Identity.CountFailure(ctx, c.kind, c.value, throttleWindow); err != nil {
			return err
		}
		s.logAuth(r, slog.LevelInfo, "password change: wrong current password", "login_id", logID(person.Login), "client", s.clientAddr(r))
		return ejournal.Problems{"old_password": ejournal.T("Неверный текущий пароль.", "The current password is wrong.")}.Err()
	}
	if msg, ok := auth.CheckPassword(in.NewPassword, a.Login); !ok {
		return ejournal.Problems{"new_password": msg}.Err()
	}
	if in.NewPassword == in.OldPassword {
		return ejournal.Problems{"new_password": ejournal.T("Новый пароль должен отличаться от текущего.", "The new password must differ from the current one.")}.Err()
	}
	a.PasswordHash, a.MustChange, a.PasswordChangedAt = auth.HashPassword(in.NewPassword), false, s.now()
	if err := s.Identity.UpdateAccount(ctx, a); err != nil {
		return err
	}
	if err := s.Identity.DeleteSessions(ctx, p.SchoolID, p.PersonID, p.SessionID); err != nil {
		return err
	}
	s.forget(p.SchoolID, p.PersonID, "")
	sess, err := s.Identity.Session(ctx, p.SchoolID, p.PersonID, p.SessionID)
	if err == nil {
		sess.MustChange = false
		var rt auth.RefreshToken
		if rt, err = s.rotate(ctx, sess); err == nil {
			return s.writeTokens(w, sess, rt)
		}
	}
	switch ejournal.ErrorCode(err) {
	case ejournal.ENOTFOUND, ejournal.ECONFLICT:
		// No current session to continue (a developer's principal, or
		// one revoked or renewed meanwhile): open a new one.
		return s.openSession(w, r, p.SchoolID, p.PersonID, false)
	}
	return err
}

// meResponse is who the caller is and what they may do.
type meResponse struct {
	ID          string              `json:"id"`
	SchoolID    string              `json:"school_id"`
	FullName    string              `json:"full_name"`
	Kind        ejournal.PersonKind `json:"kind,omitempty"`
	Login       string              `json:"login,omitempty"`
	Roles       []ejournal.Role     `json:"roles"`
	Permissions access.Permissions  `json:"permissions"`
	// ClassID is a student's class.
	ClassID        string         `json:"class_id,omitempty"`
	Assignments    []meAssignment `json:"assignments"`
	Children       []meChild      `json:"children"`
	ClassTeacherOf []meClass      `json:"class_teacher_of"`
}

type meAssignment struct {
	ID        string `json:"id"`
	ClassID   string `json:"class_id"`
	SubjectID string `json:"subject_id"`
	GroupID   string `json:"group_id,omitempty"`
}

type meChild struct {
	ID       string `json:"id"`
	FullName string `json:"full_name"`
	ClassID  string `json:"class_id,omitempty"`
}

type meClass struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	out := meResponse{
		ID: p.PersonID, SchoolID: p.SchoolID, FullName: p.FullName, Roles: p.Roles, Permissions: p.Grants,
		ClassID: p.ClassID, Assignments: []meAssignment{}, Children: []meChild{}, ClassTeacherOf: []meClass{},
	}
	if out.Roles == nil {
		out.Roles = []ejournal.Role{}
	}
	rel, err := s.Identity.Relations(r.Context(), p.SchoolID, p.PersonID)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		// A principal without a person record (the developer administrator).
	case err != nil:
		return err
	default:
		out.FullName, out.Kind, out.Login, out.ClassID = rel.Person.FullName(), rel.Person.Kind, rel.Person.Login, rel.Person.InClass()
		for _, a := range rel.Assignments {
			out.Assignments = append(out.Assignments, meAssignment{ID: a.ID, ClassID: a.ClassID, SubjectID: a.SubjectID, GroupID: a.GroupID})
		}
		for _, c := range rel.Children {
			out.Children = append(out.Children, meChild{ID: c.ID, FullName: c.FullName(), ClassID: c.InClass()})
		}
		for _, c := range rel.ClassTeacherOf {
			out.ClassTeacherOf = append(out.ClassTeacherOf, meClass{ID: c.ID, Name: c.Name()})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// managedPerson reads the person of an account or external sign-in route
// after checking that the caller may manage that person's accounts; another
// school's person is not found. classOf gives the class the check is scoped
// by.
func (s *Server) managedPerson(r *http.Request, classOf func(*ejournal.Person) string) (*ejournal.Person, error) {
	p := ejournal.PrincipalFrom(r.Context())
	if !access.CanAny(p, access.AccountsManage) {
		return nil, access.Forbidden()
	}
	person, err := s.Directory.Person(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if err := access.Require(p, access.AccountsManage, access.Person(p.SchoolID, person.ID, classOf(person))); err != nil {
		return nil, err
	}
	if err := s.requireCovers(r.Context(), p, person); err != nil {
		return nil, err
	}
	return person, nil
}

// accountPerson reads the person of an account route (see managedPerson),
// scoped by the class the person is in now.
func (s *Server) accountPerson(r *http.Request) (*ejournal.Person, error) {
	return s.managedPerson(r, (*ejournal.Person).InClass)
}

// requireCovers refuses to let p manage the account or external sign-in
// of a person whose roles give permissions p lacks: whoever sets a
// person's password or links their external account can sign in as them.
func (s *Server) requireCovers(ctx context.Context, p *ejournal.Principal, person *ejournal.Person) error {
	o, err := s.overrides(ctx, p.SchoolID)
	if err != nil {
		return err
	}
	if !access.Covers(p, access.Effective(principalOf(&ejournal.Relations{Person: person}).Roles, o)) {
		return ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T(
			"Недостаточно прав: у этого человека есть права, которых нет у вас. Его учётной записью управляет администратор.",
			"You do not have permission: this person has rights you do not have. The administrator manages their account."))
	}
	return nil
}

type accountInput struct {
	Login string `json:"login"`
}

// oneTimePassword is the answer to staff who create or reset an account:
// the password to hand to its owner, who must change it at first sign-in.
type oneTimePassword struct {
	Login           string `json:"login"`
	OneTimePassword string `json:"one_time_password"`
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) error {
	person, err := s.accountPerson(r)
	if err != nil {
		return err
	}
	var in accountInput
	if err := decode(r, &in); err != nil {
		return err
	}
	login, ok := ejournal.NormalizeLogin(in.Login)
	if !ok {
		return ejournal.Problems{"login": ejournal.LoginText}.Err()
	}
	otp := auth.OneTimePassword()
	a := &ejournal.Account{Login: login, SchoolID: person.SchoolID, PersonID: person.ID, PasswordHash: auth.HashPassword(otp), MustChange: true}
	if err := s.Identity.CreateAccount(r.Context(), a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, oneTimePassword{Login: a.Login, OneTimePassword: otp})
	return nil
}

// resetAccount gives an account a new one-time password and ends every
// session of its owner.
func (s *Server) resetAccount(w http.ResponseWriter, r *http.Request) error {
	person, err := s.accountPerson(r)
	if err != nil {
		return err
	}
	if person.Login == "" {
		return errNoAccount
	}
	ctx := r.Context()
	a, err := s.Identity.Account(ctx, person.Login)
	if err != nil {
		return err
	}
	otp := auth.OneTimePassword()
	a.PasswordHash, a.MustChange, a.PasswordChangedAt = auth.HashPassword(otp), true, s.now()
	if err := s.Identity.UpdateAccount(ctx, a); err != nil {
		return err
	}
	if err := s.Identity.DeleteSessions(ctx, person.SchoolID, person.ID, ""); err != nil {
		return err
	}
	s.forget(person.SchoolID, person.ID, "")
	if err := s.Identity.ResetThrottle(ctx, "login", a.Login); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, oneTimePassword{Login: a.Login, OneTimePassword: otp})
	return nil
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
