package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/auth"
	"ejournal/internal/ejournal"
)

// principalCacheTTL is how long TokenAuth trusts a loaded principal: a
// revoked session, a dismissal or a change of roles or relations applies
// to every request within it.
const principalCacheTTL = time.Minute

// maxCached bounds the principals a process keeps.
const maxCached = 10_000

// principalStore is what TokenAuth reads on a cache miss.
type principalStore interface {
	Session(ctx context.Context, schoolID, personID, id string) (*ejournal.Session, error)
	Relations(ctx context.Context, schoolID, personID string) (*ejournal.Relations, error)
	Account(ctx context.Context, login string) (*ejournal.Account, error)
}

// TokenAuth authenticates requests by their bearer access token. The
// principal of a session (the person's roles, relations and the school's
// role permissions) is loaded once and cached for at most a minute, so that
// a request costs no reads while changes still apply within a minute.
type TokenAuth struct {
	tokens    *auth.Tokens
	store     principalStore
	overrides *access.OverridesCache
	// Now is the cache's clock; tests may replace it.
	Now func() time.Time
	// TTL is how long a principal is cached; principalCacheTTL when 0.
	TTL time.Duration
	// Fallback, when set, authenticates requests without an Authorization
	// header (the developer administrator of a local server).
	Fallback Authenticator

	mu    sync.Mutex
	cache map[sessionRef]cached
}

type sessionRef struct{ school, person, session string }

type cached struct {
	p  *ejournal.Principal
	at time.Time
}

// NewTokenAuth returns an authenticator of the access tokens of tokens,
// loading principals from store. When store also keeps the schools' role
// permissions (RolePermissions), they override the default permissions.
func NewTokenAuth(tokens *auth.Tokens, store principalStore) *TokenAuth {
	a := &TokenAuth{tokens: tokens, store: store, Now: time.Now, cache: map[sessionRef]cached{}}
	load := func(context.Context, string) (map[ejournal.Role]map[string][]string, error) { return nil, nil }
	if rp, ok := store.(interface {
		RolePermissions(ctx context.Context, schoolID string) (map[ejournal.Role]map[string][]string, error)
	}); ok {
		load = rp.RolePermissions
	}
	a.overrides = access.NewOverridesCache(load, principalCacheTTL, func() time.Time { return a.Now() })
	return a
}

var (
	errBadToken   = ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.T("Сеанс истёк или недействителен. Войдите снова.", "The session has expired or is invalid. Please sign in again."))
	errMustChange = ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Вы вошли с временным паролем. Смените пароль (POST /v1/auth/password), чтобы продолжить.", "You signed in with a one-time password. Change your password (POST /v1/auth/password) to continue."))
)

// Authenticate implements Authenticator.
func (a *TokenAuth) Authenticate(r *http.Request) (*ejournal.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if a.Fallback != nil {
			return a.Fallback.Authenticate(r)
		}
		return nil, nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, errBadToken
	}
	c, err := a.tokens.Verify(strings.TrimSpace(token))
	if err != nil {
		return nil, errBadToken
	}
	p, err := a.principal(r.Context(), sessionRef{c.School, c.Subject, c.Session})
	if err != nil {
		return nil, err
	}
	if c.MustChange && !slices.Contains(mustChangeRoutes, r.Pattern) {
		return nil, errMustChange
	}
	return p, nil
}

// principal returns a copy of the cached principal of a session, loading
// it on a miss, with its current grants.
func (a *TokenAuth) principal(ctx context.Context, ref sessionRef) (*ejournal.Principal, error) {
	now := a.Now()
	ttl := a.TTL
	if ttl <= 0 || ttl > principalCacheTTL {
		ttl = principalCacheTTL
	}
	a.mu.Lock()
	e, ok := a.cache[ref]
	a.mu.Unlock()
	if !ok || now.Sub(e.at) >= ttl || now.Before(e.at) {
		p, err := a.load(ctx, ref)
		if err != nil {
			return nil, err
		}
		e = cached{p: p, at: now}
		a.mu.Lock()
		if len(a.cache) >= maxCached {
			clear(a.cache)
		}
		a.cache[ref] = e
		a.mu.Unlock()
	}
	cp := *e.p
	// Grants come from the school's role permissions, cached on their own
	// for at most a minute, so that a change of them applies within one.
	var err error
	if cp.Grants, err = a.overrides.Grants(ctx, ref.school, cp.Roles); err != nil {
		return nil, err
	}
	return &cp, nil
}

// load reads a session's principal: the session must exist and its person
// may still sign in.
func (a *TokenAuth) load(ctx context.Context, ref sessionRef) (*ejournal.Principal, error) {
	if _, err := a.store.Session(ctx, ref.school, ref.person, ref.session); ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, errBadToken
	} else if err != nil {
		return nil, err
	}
	rel, err := a.store.Relations(ctx, ref.school, ref.person)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, errBadToken
	} else if err != nil {
		return nil, err
	}
	if closed, err := signInClosed(ctx, a.store, rel.Person); err != nil {
		return nil, err
	} else if closed {
		return nil, errBadToken
	}
	p := principalOf(rel)
	p.SessionID = ref.session
	return p, nil
}

// principalOf builds a person's principal from their relations. A person
// without roles has the role of their kind: a student's or a parent's.
func principalOf(rel *ejournal.Relations) *ejournal.Principal {
	person := rel.Person
	p := &ejournal.Principal{PersonID: person.ID, SchoolID: person.SchoolID, FullName: person.FullName(), Roles: slices.Clone(person.Roles), ClassID: person.InClass()}
	if len(p.Roles) == 0 {
		switch person.Kind {
		case ejournal.Student:
			p.Roles = []ejournal.Role{ejournal.StudentRole}
		case ejournal.Parent:
			p.Roles = []ejournal.Role{ejournal.ParentRole}
		}
	}
	if len(rel.Children) > 0 {
		p.Children = map[string]string{}
		for _, c := range rel.Children {
			p.Children[c.ID] = c.InClass()
		}
	}
	for _, c := range rel.ClassTeacherOf {
		p.ClassTeacherOf = append(p.ClassTeacherOf, c.ID)
	}
	for _, as := range rel.Assignments {
		p.Teaches = append(p.Teaches, ejournal.Teaching{ClassID: as.ClassID, GroupID: as.GroupID, SubjectID: as.SubjectID})
	}
	return p
}

// forget drops the cached principals of a person's session, or of all
// their sessions when session is "".
func (a *TokenAuth) forget(school, person, session string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for ref := range a.cache {
		if ref.school == school && ref.person == person && (session == "" || ref.session == session) {
			delete(a.cache, ref)
		}
	}
}

// ForgetSchool drops the cached role permissions of a school, so that a
// change this process made applies to its next request.
func (a *TokenAuth) ForgetSchool(school string) { a.overrides.Forget(school) }
