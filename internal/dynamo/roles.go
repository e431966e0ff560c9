package dynamo

import (
	"context"
	"slices"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

var whatRole = ejournal.T("Роль", "Role")

// roleRecord is a school's override of one role's permissions.
type roleRecord struct {
	SchoolID    string              `json:"school_id"`
	Role        ejournal.Role       `json:"role"`
	Permissions map[string][]string `json:"permissions"`
	Version     int64               `json:"version"`
	UpdatedAt   time.Time           `json:"updated_at"`
}

func roleEntity(sid string, role ejournal.Role) entity {
	return entity{key: roleKey(sid, role), kind: "role", what: whatRole, audit: auditRef{sid, "role", string(role)}}
}

// roleRecords reads the school's role overrides.
func (db *DB) roleRecords(ctx context.Context, schoolID string) (map[ejournal.Role]*roleRecord, error) {
	recs, err := list[roleRecord](ctx, db, query{pk: schoolPK(schoolID), skPrefix: rolePrefix})
	if err != nil {
		return nil, err
	}
	out := make(map[ejournal.Role]*roleRecord, len(recs))
	for _, r := range recs {
		if r.Permissions == nil {
			r.Permissions = map[string][]string{}
		}
		out[r.Role] = r
	}
	return out, nil
}

func overridesOf(recs map[ejournal.Role]*roleRecord) map[ejournal.Role]access.Permissions {
	out := make(map[ejournal.Role]access.Permissions, len(recs))
	for r, rec := range recs {
		out[r] = rec.Permissions
	}
	return out
}

// RolePermissions implements ejournal.IdentityService.
func (db *DB) RolePermissions(ctx context.Context, schoolID string) (map[ejournal.Role]map[string][]string, error) {
	recs, err := db.roleRecords(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	out := make(map[ejournal.Role]map[string][]string, len(recs))
	for r, rec := range recs {
		out[r] = rec.Permissions
	}
	return out, nil
}

// SetRolePermissions implements ejournal.IdentityService. The stored set is
// normalised: capabilities without scopes are left out, scopes are listed
// once, narrowest first.
func (db *DB) SetRolePermissions(ctx context.Context, schoolID string, role ejournal.Role, perms map[string][]string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	if err := access.Permissions(perms).Validate(); err != nil {
		return err
	}
	p := access.Effective([]ejournal.Role{role}, map[ejournal.Role]access.Permissions{role: perms})
	if role == ejournal.Administrator && !slices.Contains(p[access.RolesManage], access.School) {
		return ejournal.Problems{access.RolesManage: ejournal.T(
			"Роль администратора не может потерять право управлять ролями во всей школе.",
			"The administrator role cannot lose the right to manage roles in the whole school.")}.Err()
	}
	recs, err := db.roleRecords(ctx, schoolID)
	if err != nil {
		return err
	}
	before := overridesOf(recs)
	after := overridesOf(recs)
	after[role] = p
	if err := db.keepRoleManager(ctx, schoolID, role, before, after); err != nil {
		return err
	}
	rec := &roleRecord{SchoolID: schoolID, Role: role, Permissions: p, UpdatedAt: db.Now()}
	if old := recs[role]; old != nil {
		rec.Version = old.Version
		return db.update(ctx, roleEntity(schoolID, role), rec, &rec.Version)
	}
	return db.insert(ctx, roleEntity(schoolID, role), rec, &rec.Version, schoolRef(schoolID))
}

// ResetRolePermissions implements ejournal.IdentityService. A role the
// school never changed is left as it is.
func (db *DB) ResetRolePermissions(ctx context.Context, schoolID string, role ejournal.Role) error {
	if err := checkRole(role); err != nil {
		return err
	}
	recs, err := db.roleRecords(ctx, schoolID)
	if err != nil {
		return err
	}
	old := recs[role]
	if old == nil {
		return nil
	}
	before := overridesOf(recs)
	after := overridesOf(recs)
	delete(after, role)
	if err := db.keepRoleManager(ctx, schoolID, role, before, after); err != nil {
		return err
	}
	return db.remove(ctx, roleEntity(schoolID, role), old, old.Version)
}

// SetPersonRoles implements ejournal.IdentityService. Roles are stored once
// each, in the order of ejournal.Roles.
func (db *DB) SetPersonRoles(ctx context.Context, schoolID, personID string, roles []ejournal.Role, version int64) (*ejournal.Person, error) {
	var set []ejournal.Role
	for _, r := range roles {
		if !r.Valid() {
			return nil, ejournal.Problems{"roles": unknownRole}.Err()
		}
	}
	for _, r := range ejournal.Roles {
		if slices.Contains(roles, r) {
			set = append(set, r)
		}
	}
	if version < 1 {
		return nil, ejournal.Problems{"version": ejournal.T("Укажите версию записи, которую вы изменяете.", "Give the version of the record you are changing.")}.Err()
	}
	p, err := db.Person(ctx, schoolID, personID)
	if err != nil {
		return nil, err
	}
	if p.Version != version {
		return nil, ejournal.StaleVersion()
	}
	if slices.Equal(p.Roles, set) {
		return p, nil
	}
	recs, err := db.roleRecords(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	o := overridesOf(recs)
	if canSignIn(p) && managesRoles(p.Roles, o) && !managesRoles(set, o) {
		found, err := db.findRoleManager(ctx, schoolID, func(q *ejournal.Person) bool {
			return q.ID != p.ID && managesRoles(q.Roles, o)
		})
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, lockedOut()
		}
	}
	p.Roles = set
	p.UpdatedAt = db.Now()
	if err := db.update(ctx, personEntity(p), p, &p.Version); err != nil {
		return nil, err
	}
	return p, nil
}

var unknownRole = ejournal.T(
	"Неизвестная роль: admin, assistant_admin, director, head_teacher, teacher, class_teacher, hr, clerk, student или parent.",
	"Unknown role: admin, assistant_admin, director, head_teacher, teacher, class_teacher, hr, clerk, student or parent.")

func checkRole(r ejournal.Role) error {
	if !r.Valid() {
		return ejournal.Problems{"role": unknownRole}.Err()
	}
	return nil
}

// managesRoles reports whether roles give the right to manage roles in the
// whole school under the school's overrides.
func managesRoles(roles []ejournal.Role, o map[ejournal.Role]access.Permissions) bool {
	return slices.Contains(access.Effective(roles, o)[access.RolesManage], access.School)
}

// canSignIn reports whether a person can still act in the school: a
// dismissed employee or a student who left cannot.
func canSignIn(p *ejournal.Person) bool { return !p.Employment.Dismissed() && !p.Left }

// keepRoleManager refuses a change of role's permissions from before to
// after when it takes the right to manage roles from the last people of
// the school who had it.
func (db *DB) keepRoleManager(ctx context.Context, schoolID string, role ejournal.Role, before, after map[ejournal.Role]access.Permissions) error {
	r := []ejournal.Role{role}
	if !managesRoles(r, before) || managesRoles(r, after) {
		return nil // nobody loses the right
	}
	had := false
	found, err := db.findRoleManager(ctx, schoolID, func(q *ejournal.Person) bool {
		had = had || managesRoles(q.Roles, before)
		return managesRoles(q.Roles, after)
	})
	if err != nil || found || !had {
		return err // when nobody had the right, the change locks no one out
	}
	return lockedOut()
}

func lockedOut() error {
	return ejournal.Conflict(ejournal.T(
		"После этого изменения в школе не останется никого, кто может управлять ролями и правами. Сначала дайте это право другому человеку.",
		"After this change nobody in the school could manage roles and rights. Give that right to someone else first."))
}

// findRoleManager reports whether manages is true of a person of the school
// who can sign in.
func (db *DB) findRoleManager(ctx context.Context, schoolID string, manages func(*ejournal.Person) bool) (bool, error) {
	for _, kind := range []ejournal.PersonKind{ejournal.Staff, ejournal.Parent, ejournal.Student} {
		q := query{index: indexGSI2, pk: kindCollection(schoolID, kind), skPrefix: personPrefix}
		err := db.queryAll(ctx, q, func(m item) error {
			p := new(ejournal.Person)
			if err := unmarshal(m, p); err != nil {
				return ejournal.Internal(err)
			}
			if canSignIn(p) && manages(p) {
				return errStop
			}
			return nil
		})
		if err == errStop {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}
