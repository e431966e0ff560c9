package access_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// fakeStore serves role overrides per school and counts the loads.
type fakeStore struct {
	mu        sync.Mutex
	overrides map[string]map[ejournal.Role]map[string][]string
	loads     map[string]int
	fail      error
}

func (f *fakeStore) load(_ context.Context, school string) (map[ejournal.Role]map[string][]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loads[school]++
	if f.fail != nil {
		return nil, f.fail
	}
	return f.overrides[school], nil
}

func (f *fakeStore) set(school string, role ejournal.Role, p map[string][]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.overrides[school] == nil {
		f.overrides[school] = map[ejournal.Role]map[string][]string{}
	}
	f.overrides[school][role] = p
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestOverridesCache(t *testing.T) {
	t.Parallel()
	store := &fakeStore{overrides: map[string]map[ejournal.Role]map[string][]string{}, loads: map[string]int{}}
	clk := &clock{t: time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)}
	// A ttl above the limit is cut to MaxOverridesAge.
	c := access.NewOverridesCache(store.load, time.Hour, clk.now)
	ctx := context.Background()
	teacher := []ejournal.Role{ejournal.Teacher}
	canManage := func(school string) bool {
		t.Helper()
		g, err := c.Grants(ctx, school, teacher)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Contains(g[access.RolesManage], access.School)
	}
	wantLoads := func(school string, n int) {
		t.Helper()
		if store.loads[school] != n {
			t.Fatalf("school %s loaded %d times, want %d", school, store.loads[school], n)
		}
	}

	if canManage("s1") {
		t.Fatal("a teacher manages roles by default")
	}
	store.set("s1", ejournal.Teacher, map[string][]string{access.RolesManage: {access.School}})
	clk.advance(access.MaxOverridesAge - time.Second)
	if canManage("s1") {
		t.Fatal("the cache reloaded before its ttl")
	}
	wantLoads("s1", 1)
	clk.advance(time.Second)
	if !canManage("s1") {
		t.Fatal("a change is not applied after MaxOverridesAge")
	}
	wantLoads("s1", 2)
	if canManage("s2") {
		t.Fatal("school s2 sees school s1's overrides")
	}
	wantLoads("s2", 1)

	store.set("s1", ejournal.Teacher, map[string][]string{})
	c.Forget("s1")
	if canManage("s1") {
		t.Fatal("Forget did not drop the school's overrides")
	}
	wantLoads("s1", 3)
	wantLoads("s2", 1)

	clk.advance(-time.Hour)
	canManage("s1")
	wantLoads("s1", 4)

	store.fail = errors.New("table unavailable")
	clk.advance(access.MaxOverridesAge)
	if _, err := c.Grants(ctx, "s1", teacher); err == nil {
		t.Fatal("a failed load gave grants")
	}
	store.fail = nil
	canManage("s1")
	wantLoads("s1", 6)
}

func TestOverridesCacheTTL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ttl, after time.Duration
		reload     bool
	}{
		{ttl: 0, after: access.MaxOverridesAge - time.Nanosecond, reload: false},
		{ttl: 0, after: access.MaxOverridesAge, reload: true},
		{ttl: -time.Second, after: access.MaxOverridesAge, reload: true},
		{ttl: 5 * time.Second, after: 4 * time.Second, reload: false},
		{ttl: 5 * time.Second, after: 5 * time.Second, reload: true},
		{ttl: 10 * time.Minute, after: access.MaxOverridesAge, reload: true},
	}
	for _, tt := range tests {
		store := &fakeStore{overrides: map[string]map[ejournal.Role]map[string][]string{}, loads: map[string]int{}}
		clk := &clock{t: time.Unix(0, 0)}
		c := access.NewOverridesCache(store.load, tt.ttl, clk.now)
		for range 2 {
			if _, err := c.Overrides(context.Background(), "s1"); err != nil {
				t.Fatal(err)
			}
			clk.advance(tt.after)
		}
		if got := store.loads["s1"] == 2; got != tt.reload {
			t.Errorf("ttl %v, read again after %v: reloaded %v, want %v", tt.ttl, tt.after, got, tt.reload)
		}
	}
}

func TestOverridesCacheConcurrent(t *testing.T) {
	t.Parallel()
	store := &fakeStore{overrides: map[string]map[ejournal.Role]map[string][]string{}, loads: map[string]int{}}
	store.set("s1", ejournal.Clerk, map[string][]string{access.AuditRead: {access.School}})
	c := access.NewOverridesCache(store.load, 0, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				g, err := c.Grants(context.Background(), "s1", []ejournal.Role{ejournal.Clerk})
				if err != nil || !slices.Equal(g[access.AuditRead], []string{access.School}) {
					t.Errorf("goroutine %d: grants %v, %v", i, g, err)
					return
				}
				if i%4 == 0 {
					c.Forget("s1")
				}
			}
		})
	}
	wg.Wait()
}

func TestOverridesConversion(t *testing.T) {
	t.Parallel()
	got := access.Overrides(map[ejournal.Role]map[string][]string{ejournal.HR: {access.StaffRead: {access.School}}})
	if len(got) != 1 || !slices.Equal(got[ejournal.HR][access.StaffRead], []access.Scope{access.School}) {
		t.Fatalf("Overrides = %v", got)
	}
	if got := access.Overrides(nil); got == nil || len(got) != 0 {
		t.Fatalf("Overrides(nil) = %#v, want an empty map", got)
	}
}
