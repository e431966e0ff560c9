package access

import (
	"context"
	"sync"
	"time"

	"ejournal/internal/ejournal"
)

// MaxOverridesAge is the longest a school's role overrides are cached: a
// change to a role's permissions applies to every request within it.
const MaxOverridesAge = time.Minute

// OverridesLoader reads a school's role overrides, role → capability →
// scopes; ejournal.IdentityService's RolePermissions is one.
type OverridesLoader func(ctx context.Context, schoolID string) (map[ejournal.Role]map[string][]string, error)

// Overrides converts a school's stored role overrides to Permissions.
func Overrides(m map[ejournal.Role]map[string][]string) map[ejournal.Role]Permissions {
	out := make(map[ejournal.Role]Permissions, len(m))
	for r, p := range m {
		out[r] = Permissions(p)
	}
	return out
}

// OverridesCache keeps each school's role overrides for at most
// MaxOverridesAge, so that an authenticator does not read them on every
// request. It is safe for concurrent use.
type OverridesCache struct {
	load OverridesLoader
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]overridesEntry
}

type overridesEntry struct {
	overrides map[ejournal.Role]Permissions
	loaded    time.Time
}

// NewOverridesCache returns a cache that loads through load and keeps a
// school's overrides for ttl (MaxOverridesAge when ttl is 0 or longer).
// now is the clock (time.Now when nil).
func NewOverridesCache(load OverridesLoader, ttl time.Duration, now func() time.Time) *OverridesCache {
	if ttl <= 0 || ttl > MaxOverridesAge {
		ttl = MaxOverridesAge
	}
	if now == nil {
		now = time.Now
	}
	return &OverridesCache{load: load, ttl: ttl, now: now, entries: map[string]overridesEntry{}}
}

// Overrides returns the school's role overrides, loading them when they are
// not cached or older than the cache's ttl. A failed load is not cached.
// Callers must not change the result.
func (c *OverridesCache) Overrides(ctx context.Context, schoolID string) (map[ejournal.Role]Permissions, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[schoolID]
	c.mu.Unlock()
	if ok && now.Sub(e.loaded) < c.ttl && !now.Before(e.loaded) {
		return e.overrides, nil
	}
	m, err := c.load(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	e = overridesEntry{overrides: Overrides(m), loaded: now}
	c.mu.Lock()
	c.entries[schoolID] = e
	c.mu.Unlock()
	return e.overrides, nil
}

// Grants returns the effective permissions of roles in the school.
func (c *OverridesCache) Grants(ctx context.Context, schoolID string, roles []ejournal.Role) (Permissions, error) {
	o, err := c.Overrides(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	return Effective(roles, o), nil
}

// Forget drops the school's cached overrides, so that this process applies
// a change it made at once.
func (c *OverridesCache) Forget(schoolID string) {
	c.mu.Lock()
	delete(c.entries, schoolID)
	c.mu.Unlock()
}
