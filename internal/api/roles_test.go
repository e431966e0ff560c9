package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// cachedGrants authenticates like tokens and fills a principal's grants
// from the school's role overrides through cache, as the token
// authenticator does.
type cachedGrants struct {
	tokens apitest.Tokens
	cache  *access.OverridesCache
}

func (a cachedGrants) Authenticate(r *http.Request) (*ejournal.Principal, error) {
	p, err := a.tokens.Authenticate(r)
	if p == nil || err != nil {
		return p, err
	}
	cp := *p
	cp.Grants, err = a.cache.Grants(r.Context(), p.SchoolID, p.Roles)
	return &cp, err
}

// rolesWorld is a test world whose principals get their grants from the
// stored role overrides, cached on clock.
func rolesWorld(t *testing.T) (*world, *apitest.Clock) {
	t.Helper()
	w := newWorld(t)
	clock := apitest.NewClock(time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC))
	w.Server.Auth = cachedGrants{tokens: tokens, cache: access.NewOverridesCache(w.DB.RolePermissions, 0, clock.Now)}
	return w, clock
}

type roleBody struct {
	Role        ejournal.Role `json:"role"`
	Name        struct{ RU, EN string }
	Permissions map[string][]string `json:"permissions"`
	Defaults    map[string][]string `json:"defaults"`
	Customized  bool                `json:"customized"`
}

type personRolesBody struct {
	PersonID    string              `json:"person_id"`
	Roles       []ejournal.Role     `json:"roles"`
	Permissions map[string][]string `json:"permissions"`
	Version     int64               `json:"version"`
}

func put(t *testing.T, c apitest.Client, target string, body any) *apitest.Response {
	t.Helper()
	return c.Do(t, http.MethodPut, target, body)
}

func TestRolesCatalogue(t *testing.T) {
	t.Parallel()
	w, _ := rolesWorld(t)
	var cat struct {
		Items        []roleBody
		Capabilities []struct {
			ID   string
			Name struct{ RU, EN string }
		}
		Scopes []struct {
			ID   string
			Name struct{ RU, EN string }
		}
	}
	w.as(adminA).Get(t, "/v1/roles").Want(t, http.StatusOK).Decode(t, &cat)
	defaults := access.Defaults()
	if len(cat.Items) != len(ejournal.Roles) {
		t.Fatalf("%d roles listed, want %d", len(cat.Items), len(ejournal.Roles))
	}
	for i, r := range cat.Items {
		if r.Role != ejournal.Roles[i] || r.Customized || r.Name.RU == "" || r.Name.EN == "" ||
			asJSON(t, r.Permissions) != asJSON(t, defaults[r.Role]) || asJSON(t, r.Defaults) != asJSON(t, defaults[r.Role]) {
			t.Errorf("role %d: %+v, want %s with its defaults and names", i, r, ejournal.Roles[i])
		}
	}
	var caps, scopes []string
	for _, c := range cat.Capabilities {
		caps = append(caps, c.ID)
		if c.Name.RU == "" || c.Name.EN == "" || c.Name.RU == c.Name.EN {
			t.Errorf("capability %s has names %+v, want Russian and English", c.ID, c.Name)
		}
	}
	for _, s := range cat.Scopes {
		scopes = append(scopes, s.ID)
		if s.Name.RU == "" || s.Name.EN == "" {
			t.Errorf("scope %s has names %+v", s.ID, s.Name)
		}
	}
	if !slices.Equal(caps, access.Capabilities) || !slices.Equal(scopes, access.Scopes) {
		t.Errorf("catalogue lists %v and %v, want every capability and scope", caps, scopes)
	}

	wantError(t, w.Client.Get(t, "/v1/roles"), http.StatusUnauthorized, "")
	for _, target := range []string{"/v1/roles", "/v1/roles/teacher", "/v1/people/" + w.a["teacher"] + "/roles"} {
		wantError(t, w.as(teacherA).Get(t, target), http.StatusForbidden, "")
	}
	wantError(t, w.as(adminA).Get(t, "/v1/roles/janitor"), http.StatusNotFound, "")
}

// TestRoleChangeApplies changes a role's permissions as the administrator
// and checks that a teacher gains and then loses the capability, within
// the cache's minute.
func TestRoleChangeApplies(t *testing.T) {
	t.Parallel()
	w, clock := rolesWorld(t)
	admin, teacher := w.as(adminA), w.as(teacherA)
	teacherCan := func(c access.Capability) bool {
		t.Helper()
		o, err := w.DB.RolePermissions(t.Context(), schoolA)
		if err != nil {
			t.Fatal(err)
		}
		p := *tokens[teacherA]
		p.Grants = access.Effective(p.Roles, access.Overrides(o))
		return access.Can(&p, c, access.SchoolTarget(schoolA))
	}

	wantError(t, teacher.Get(t, "/v1/roles"), http.StatusForbidden, "")
	wantError(t, put(t, teacher, "/v1/roles/teacher", map[string]any{"permissions": map[string]any{access.RolesManage: []string{"school"}}}), http.StatusForbidden, "")
	if teacherCan(access.RolesManage) {
		t.Fatal("a refused change was applied")
	}

	var got roleBody
	put(t, admin, "/v1/roles/teacher", map[string]any{"permissions": map[string]any{
		access.RolesManage: []string{"school"}, access.MarksWrite: []string{"school", "lessons", "lessons"}, access.DiaryRead: []string{},
	}}).Want(t, http.StatusOK).Decode(t, &got)
	want := map[string][]string{access.RolesManage: {"school"}, access.MarksWrite: {"lessons", "school"}}
	if !got.Customized || asJSON(t, got.Permissions) != asJSON(t, want) || asJSON(t, got.Defaults) != asJSON(t, access.Defaults()[ejournal.Teacher]) {
		t.Fatalf("PUT answered %+v, want customized %v", got, want)
	}
	if !teacherCan(access.RolesManage) || teacherCan(access.DirectoryRead) {
		t.Fatal("a principal built from the overrides does not have the new permissions")
	}
	wantError(t, teacher.Get(t, "/v1/roles"), http.StatusForbidden, "") // cached for up to a minute
	clock.Advance(access.MaxOverridesAge)
	teacher.Get(t, "/v1/roles").Want(t, http.StatusOK)
	var other roleBody
	w.as(adminB).Get(t, "/v1/roles/teacher").Want(t, http.StatusOK).Decode(t, &other)
	if other.Customized {
		t.Fatal("school B sees school A's change")
	}

	var reset roleBody
	admin.Do(t, http.MethodDelete, "/v1/roles/teacher/permissions", nil).Want(t, http.StatusOK).Decode(t, &reset)
	if reset.Customized || asJSON(t, reset.Permissions) != asJSON(t, access.Defaults()[ejournal.Teacher]) {
		t.Fatalf("DELETE answered %+v, want the defaults", reset)
	}
	admin.Do(t, http.MethodDelete, "/v1/roles/teacher/permissions", nil).Want(t, http.StatusOK)
	if teacherCan(access.RolesManage) || !teacherCan(access.DirectoryRead) {
		t.Fatal("the teacher role is not back to its defaults")
	}
	clock.Advance(access.MaxOverridesAge)
	wantError(t, teacher.Get(t, "/v1/roles"), http.StatusForbidden, "")

	trail, err := w.DB.AuditTrail(t.Context(), schoolA, "role", "teacher")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action+" by "+e.ActorID)
	}
	if want := []string{"create by p-admin-a", "delete by p-admin-a"}; !slices.Equal(actions, want) {
		t.Fatalf("audit trail of the role: %v, want %v", actions, want)
	}
}

func TestRolePermissionsRefused(t *testing.T) {
	t.Parallel()
	w, _ := rolesWorld(t)
	admin := w.as(adminA)
	tests := []struct {
		path   string
		body   any
		status int
		field  string
		// names is a text the message of field must quote.
		names string
	}{
		{"/v1/roles/teacher", map[string]any{"permissions": map[string]any{"marks.delete": []string{"school"}}}, 400, "marks.delete", "marks.delete"},
		{"/v1/roles/teacher", map[string]any{"permissions": map[string]any{access.MarksWrite: []string{"district"}}}, 400, access.MarksWrite, "district"},
		{"/v1/roles/teacher", map[string]any{"permissions": nil}, 400, "permissions", ""},
		{"/v1/roles/teacher", map[string]any{}, 400, "permissions", ""},
		{"/v1/roles/teacher", map[string]any{"permissions": map[string]any{}, "role": "admin"}, 400, "role", ""},
		{"/v1/roles/teacher", map[string]any{"permissions": map[string]any{access.MarksWrite: "school"}}, 400, "permissions", ""},
		{"/v1/roles/teacher", "{", 400, "", ""},
		{"/v1/roles/admin", map[string]any{"permissions": map[string]any{access.DirectoryRead: []string{"school"}}}, 400, access.RolesManage, ""},
		{"/v1/roles/admin", map[string]any{"permissions": map[string]any{access.RolesManage: []string{"self"}}}, 400, access.RolesManage, ""},
		{"/v1/roles/janitor", map[string]any{"permissions": map[string]any{}}, 404, "", ""},
	}
	for _, tt := range tests {
		e := wantError(t, put(t, admin, tt.path, tt.body), tt.status, tt.field)
		if tt.names != "" && !strings.Contains(e.Fields[tt.field], tt.names) {
			t.Errorf("PUT %s %v: message %q does not name %q", tt.path, tt.body, e.Fields[tt.field], tt.names)
		}
	}
	wantError(t, admin.Do(t, http.MethodDelete, "/v1/roles/janitor/permissions", nil), http.StatusNotFound, "")
	var cat struct{ Items []roleBody }
	admin.Get(t, "/v1/roles").Want(t, http.StatusOK).Decode(t, &cat)
	for _, r := range cat.Items {
		if r.Customized {
			t.Errorf("a refused change customised role %s", r.Role)
		}
	}
}

func TestPersonRoles(t *testing.T) {
	t.Parallel()
	w, _ := rolesWorld(t)
	admin := w.as(adminA)
	target := "/v1/people/" + w.a["teacher"] + "/roles"

	var got personRolesBody
	admin.Get(t, target).Want(t, http.StatusOK).Decode(t, &got)
	if got.PersonID != w.a["teacher"] || len(got.Roles) != 0 || len(got.Permissions) != 0 || got.Version != 1 {
		t.Fatalf("GET answered %+v, want no roles at version 1", got)
	}
	put(t, admin, target, map[string]any{"roles": []string{"class_teacher", "teacher"}, "version": 1}).Want(t, http.StatusOK).Decode(t, &got)
	if !slices.Equal(got.Roles, []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}) || got.Version != 2 ||
		!slices.Equal(got.Permissions[access.PeopleRead], []string{"lessons", "class"}) {
		t.Fatalf("PUT answered %+v, want teacher and class teacher at version 2", got)
	}
	var again personRolesBody
	admin.Get(t, target).Want(t, http.StatusOK).Decode(t, &again)
	if asJSON(t, again) != asJSON(t, got) {
		t.Fatalf("GET after PUT: %+v, want %+v", again, got)
	}

	other := "/v1/people/" + w.b["teacher"] + "/roles"
	for _, tt := range []struct {
		c      apitest.Client
		path   string
		body   any
		status int
		field  string
	}{
		{admin, target, map[string]any{"roles": []string{}, "version": 1}, 409, ""},
		{admin, target, map[string]any{"roles": []string{"janitor"}, "version": 2}, 400, "roles"},
		{admin, target, map[string]any{"version": 2}, 400, "roles"},
		{admin, target, map[string]any{"roles": []string{}}, 400, "version"},
		{admin, target, map[string]any{"roles": "teacher", "version": 2}, 400, "roles"},
		{admin, other, map[string]any{"roles": []string{"teacher"}, "version": 1}, 404, ""},
		{admin, "/v1/people/nobody/roles", map[string]any{"roles": []string{"teacher"}, "version": 1}, 404, ""},
		{w.as(teacherA), target, map[string]any{"roles": []string{"admin"}, "version": 2}, 403, ""},
		{w.Client, target, map[string]any{"roles": []string{"admin"}, "version": 2}, 401, ""},
	} {
		wantError(t, put(t, tt.c, tt.path, tt.body), tt.status, tt.field)
	}
	wantError(t, admin.Get(t, other), http.StatusNotFound, "")
	wantError(t, w.as(adminB).Get(t, target), http.StatusNotFound, "")

	trail, err := w.DB.AuditTrail(t.Context(), schoolA, "person", w.a["teacher"])
	if err != nil {
		t.Fatal(err)
	}
	last := trail[len(trail)-1]
	if len(trail) != 2 || last.Action != "update" || last.ActorID != "p-admin-a" || !strings.Contains(string(last.New), `"roles":["teacher","class_teacher"]`) || strings.Contains(string(last.Old), `"roles"`) {
		t.Fatalf("audit trail of the person: %d entries, last %s by %s: %s → %s", len(trail), last.Action, last.ActorID, last.Old, last.New)
	}
}

// TestRolesLockout checks that the school always keeps someone who can
// manage roles.
func TestRolesLockout(t *testing.T) {
	t.Parallel()
	w, _ := rolesWorld(t)
	admin := w.as(adminA).With("Accept-Language", "en")
	boss, clerk := "/v1/people/"+w.a["teacher"]+"/roles", "/v1/people/"+w.a["teacher2"]+"/roles"
	put(t, admin, boss, map[string]any{"roles": []string{"admin"}, "version": 1}).Want(t, http.StatusOK)
	put(t, admin, clerk, map[string]any{"roles": []string{"clerk"}, "version": 1}).Want(t, http.StatusOK)

	e := wantError(t, put(t, admin, boss, map[string]any{"roles": []string{"teacher"}, "version": 2}), http.StatusConflict, "")
	if !strings.Contains(e.Message, "manage roles") {
		t.Errorf("lock-out message %q does not say why", e.Message)
	}
	wantError(t, put(t, admin, "/v1/roles/admin", map[string]any{"permissions": map[string]any{}}), http.StatusBadRequest, access.RolesManage)

	put(t, admin, "/v1/roles/clerk", map[string]any{"permissions": map[string]any{access.RolesManage: []string{"school"}}}).Want(t, http.StatusOK)
	put(t, admin, boss, map[string]any{"roles": []string{"teacher"}, "version": 2}).Want(t, http.StatusOK)
	wantError(t, admin.Do(t, http.MethodDelete, "/v1/roles/clerk/permissions", nil), http.StatusConflict, "")
	wantError(t, put(t, admin, "/v1/roles/clerk", map[string]any{"permissions": map[string]any{}}), http.StatusConflict, "")
	wantError(t, put(t, admin, clerk, map[string]any{"roles": []string{}, "version": 2}), http.StatusConflict, "")

	var role roleBody
	admin.Get(t, "/v1/roles/clerk").Want(t, http.StatusOK).Decode(t, &role)
	if !role.Customized || !slices.Equal(role.Permissions[access.RolesManage], []string{"school"}) {
		t.Fatalf("a refused change altered the clerk role: %+v", role)
	}
}
