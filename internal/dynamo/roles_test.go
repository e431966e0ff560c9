package dynamo_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"ejournal/internal/access"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// roleSchool creates school id and, for each role list given, a staff
// member holding those roles; it returns the people.
func roleSchool(t *testing.T, ctx context.Context, db *dynamo.DB, id string, roles ...[]ejournal.Role) []*ejournal.Person {
	t.Helper()
	must(t, db.CreateSchool(ctx, &ejournal.School{ID: id, Name: "Школа " + id, TimeZone: "Europe/Moscow"}))
	var out []*ejournal.Person
	for _, r := range roles {
		p := &ejournal.Person{SchoolID: id, Kind: ejournal.Staff, LastName: "Петров", FirstName: "Пётр", Roles: r}
		must(t, db.CreatePerson(ctx, p))
		out = append(out, p)
	}
	return out
}

func adminCtx(t *testing.T) context.Context {
	return ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "admin-1", SchoolID: "a"})
}

func TestRolePermissions(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := adminCtx(t)
	roleSchool(t, ctx, db, "a")
	roleSchool(t, ctx, db, "b")
	wantOverrides := func(school string, want map[ejournal.Role]map[string][]string) {
		t.Helper()
		got, err := db.RolePermissions(ctx, school)
		must(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("school %s overrides = %v, want %v", school, got, want)
		}
	}
	empty := map[ejournal.Role]map[string][]string{}
	wantOverrides("a", empty)

	must(t, db.SetRolePermissions(ctx, "a", ejournal.Teacher, map[string][]string{
		access.MarksWrite: {access.School, access.Lessons, access.School}, access.DiaryRead: {},
	}))
	first := map[string][]string{access.MarksWrite: {access.Lessons, access.School}}
	wantOverrides("a", map[ejournal.Role]map[string][]string{ejournal.Teacher: first})
	wantOverrides("b", empty)

	must(t, db.SetRolePermissions(dynamo.WithReason(ctx, "приказ № 5"), "a", ejournal.Teacher, map[string][]string{}))
	must(t, db.SetRolePermissions(ctx, "a", ejournal.Clerk, map[string][]string{access.AuditRead: {access.School}}))
	wantOverrides("a", map[ejournal.Role]map[string][]string{ejournal.Teacher: {}, ejournal.Clerk: {access.AuditRead: {access.School}}})

	must(t, db.ResetRolePermissions(ctx, "a", ejournal.Teacher))
	must(t, db.ResetRolePermissions(ctx, "a", ejournal.Teacher))
	must(t, db.ResetRolePermissions(ctx, "a", ejournal.Director))
	wantOverrides("a", map[ejournal.Role]map[string][]string{ejournal.Clerk: {access.AuditRead: {access.School}}})

	trail, err := db.AuditTrail(ctx, "a", "role", string(ejournal.Teacher))
	must(t, err)
	perms := func(raw json.RawMessage) map[string][]string {
		if raw == nil {
			return nil
		}
		var v struct{ Permissions map[string][]string }
		must(t, json.Unmarshal(raw, &v))
		return v.Permissions
	}
	want := []struct {
		action, reason string
		old, new       map[string][]string
	}{
		{"create", "", nil, first},
		{"update", "приказ № 5", first, map[string][]string{}},
		{"delete", "", map[string][]string{}, nil},
	}
	if len(trail) != len(want) {
		t.Fatalf("audit trail of the teacher role has %d entries, want %d", len(trail), len(want))
	}
	for i, w := range want {
		e := trail[i]
		if e.Action != w.action || e.Reason != w.reason || e.ActorID != "admin-1" || e.Entity != "role" || e.EntityID != "teacher" ||
			!reflect.DeepEqual(perms(e.Old), w.old) || !reflect.DeepEqual(perms(e.New), w.new) {
			t.Errorf("entry %d: %s by %s reason %q old %s new %s; want %+v", i, e.Action, e.ActorID, e.Reason, e.Old, e.New, w)
		}
	}
}

func TestRolePermissionsRefused(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := adminCtx(t)
	roleSchool(t, ctx, db, "a")
	tests := []struct {
		name   string
		school string
		role   ejournal.Role
		perms  map[string][]string
		fields []string
	}{
		{"unknown role", "a", "janitor", map[string][]string{}, []string{"role"}},
		{"unknown capability", "a", ejournal.Teacher, map[string][]string{"marks.delete": {access.School}}, []string{"marks.delete"}},
		{"unknown scope", "a", ejournal.Teacher, map[string][]string{access.MarksWrite: {"district"}}, []string{access.MarksWrite}},
		{"administrator without roles.manage", "a", ejournal.Administrator, map[string][]string{access.DirectoryRead: {access.School}}, []string{access.RolesManage}},
		{"administrator managing only themself", "a", ejournal.Administrator, map[string][]string{access.RolesManage: {access.Self}}, []string{access.RolesManage}},
		{"unknown school", "nowhere", ejournal.Teacher, map[string][]string{}, []string{"school_id"}},
	}
	for _, tt := range tests {
		err := db.SetRolePermissions(ctx, tt.school, tt.role, tt.perms)
		t.Run(tt.name, func(t *testing.T) { wantError(t, err, ejournal.EINVALID, tt.fields...) })
	}
	wantError(t, db.ResetRolePermissions(ctx, "a", "janitor"), ejournal.EINVALID, "role")
	got, err := db.RolePermissions(ctx, "a")
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("refused changes were stored: %v", got)
	}
	must(t, db.SetRolePermissions(ctx, "a", ejournal.Administrator, map[string][]string{access.RolesManage: {access.School}}))
}

func TestSetPersonRoles(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := adminCtx(t)
	p := roleSchool(t, ctx, db, "a", nil)[0]
	roleSchool(t, ctx, db, "b")

	got, err := db.SetPersonRoles(ctx, "a", p.ID, []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher, ejournal.Teacher}, 1)
	must(t, err)
	if want := []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}; !reflect.DeepEqual(got.Roles, want) || got.Version != 2 {
		t.Fatalf("roles %v version %d, want %v version 2", got.Roles, got.Version, want)
	}
	stored, err := db.Person(ctx, "a", p.ID)
	must(t, err)
	if !reflect.DeepEqual(stored.Roles, got.Roles) || stored.Version != 2 || stored.LastName != p.LastName {
		t.Fatalf("stored person %+v", stored)
	}
	same, err := db.SetPersonRoles(ctx, "a", p.ID, []ejournal.Role{ejournal.ClassTeacher, ejournal.Teacher}, 2)
	must(t, err)
	if same.Version != 2 {
		t.Fatalf("setting the same roles wrote the person: version %d", same.Version)
	}
	_, err = db.SetPersonRoles(ctx, "a", p.ID, nil, 1)
	wantError(t, err, ejournal.ECONFLICT)
	_, err = db.SetPersonRoles(ctx, "a", p.ID, nil, 0)
	wantError(t, err, ejournal.EINVALID, "version")
	_, err = db.SetPersonRoles(ctx, "a", p.ID, []ejournal.Role{ejournal.Teacher, "janitor"}, 2)
	wantError(t, err, ejournal.EINVALID, "roles")
	_, err = db.SetPersonRoles(ctx, "b", p.ID, nil, 2)
	wantError(t, err, ejournal.ENOTFOUND)
	_, err = db.SetPersonRoles(ctx, "a", "no-such-person", nil, 1)
	wantError(t, err, ejournal.ENOTFOUND)
	cleared, err := db.SetPersonRoles(ctx, "a", p.ID, []ejournal.Role{}, 2)
	must(t, err)
	if cleared.Roles != nil || cleared.Version != 3 {
		t.Fatalf("cleared roles %v version %d, want none, version 3", cleared.Roles, cleared.Version)
	}

	trail, err := db.AuditTrail(ctx, "a", "person", p.ID)
	must(t, err)
	roles := func(raw json.RawMessage) []ejournal.Role {
		var v struct{ Roles []ejournal.Role }
		must(t, json.Unmarshal(raw, &v))
		return v.Roles
	}
	if len(trail) != 3 || trail[1].Action != "update" || trail[2].Action != "update" {
		t.Fatalf("audit trail: %d entries, want create and two updates", len(trail))
	}
	if old, new := roles(trail[1].Old), roles(trail[1].New); old != nil || !reflect.DeepEqual(new, got.Roles) || trail[1].ActorID != "admin-1" {
		t.Errorf("roles change audited as %v → %v by %s, want none → %v by admin-1", old, new, trail[1].ActorID, got.Roles)
	}
	if old, new := roles(trail[2].Old), roles(trail[2].New); !reflect.DeepEqual(old, got.Roles) || new != nil {
		t.Errorf("roles removal audited as %v → %v", old, new)
	}
}

func TestRoleLockout(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := adminCtx(t)
	admin := []ejournal.Role{ejournal.Administrator}
	people := roleSchool(t, ctx, db, "a", admin, []ejournal.Role{ejournal.Clerk}, nil)
	boss, clerk, other := people[0], people[1], people[2]
	gone := &ejournal.Person{SchoolID: "a", Kind: ejournal.Staff, LastName: "Сидоров", FirstName: "Иван", Roles: admin,
		Employment: &ejournal.Employment{Position: "Учитель", HiredOn: "2020-09-01", DismissedOn: "2024-06-30"}}
	must(t, db.CreatePerson(ctx, gone))
	manage := map[string][]string{access.RolesManage: {access.School}}

	_, err := db.SetPersonRoles(ctx, "a", boss.ID, []ejournal.Role{ejournal.Teacher}, boss.Version)
	wantError(t, err, ejournal.ECONFLICT)
	must(t, db.SetRolePermissions(ctx, "a", ejournal.Clerk, manage))
	_, err = db.SetPersonRoles(ctx, "a", boss.ID, []ejournal.Role{ejournal.Teacher}, boss.Version)
	must(t, err)
	// The clerk role now carries the right; only a clerk has it.
	wantError(t, db.ResetRolePermissions(ctx, "a", ejournal.Clerk), ejournal.ECONFLICT)
	wantError(t, db.SetRolePermissions(ctx, "a", ejournal.Clerk, map[string][]string{access.RolesManage: {access.Self}}), ejournal.ECONFLICT)
	_, err = db.SetPersonRoles(ctx, "a", clerk.ID, nil, clerk.Version)
	wantError(t, err, ejournal.ECONFLICT)
	// Others may change as they like.
	must(t, db.SetRolePermissions(ctx, "a", ejournal.Teacher, map[string][]string{}))
	must(t, db.SetRolePermissions(ctx, "a", ejournal.Administrator, manage))
	other, err = db.SetPersonRoles(ctx, "a", other.ID, admin, other.Version)
	must(t, err)
	// With a second holder, the clerk may lose the right.
	must(t, db.ResetRolePermissions(ctx, "a", ejournal.Clerk))
	// A dismissed administrator cannot sign in and does not count.
	_, err = db.SetPersonRoles(ctx, "a", other.ID, nil, other.Version)
	wantError(t, err, ejournal.ECONFLICT)

	// A school where nobody manages roles is not locked out further.
	nobody := roleSchool(t, ctx, db, "b", nil)[0]
	_, err = db.SetPersonRoles(ctx, "b", nobody.ID, []ejournal.Role{ejournal.Teacher}, nobody.Version)
	must(t, err)
	must(t, db.SetRolePermissions(ctx, "b", ejournal.Clerk, map[string][]string{}))
}
