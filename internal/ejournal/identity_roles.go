package ejournal

import "context"

// roleIdentity keeps a school's role permissions and the roles people hold.
// Permissions map capability names to scope names (see package access).
type roleIdentity interface {
	// RolePermissions returns the school's overrides of role permissions:
	// only the roles the school has changed are in the map.
	RolePermissions(ctx context.Context, schoolID string) (map[Role]map[string][]string, error)
	// SetRolePermissions replaces a role's permissions in the school. It
	// returns EINVALID for an unknown role, capability or scope and when the
	// administrator role would lose roles.manage, and ECONFLICT when no one
	// in the school would be left to manage roles.
	SetRolePermissions(ctx context.Context, schoolID string, role Role, perms map[string][]string) error
	// ResetRolePermissions returns a role to its default permissions; it
	// fails like SetRolePermissions.
	ResetRolePermissions(ctx context.Context, schoolID string, role Role) error
	// SetPersonRoles replaces the roles of a person of the school whose
	// record is at version. It returns ENOTFOUND for an unknown person,
	// EINVALID for an unknown role, and ECONFLICT for a stale version or
	// when no one in the school would be left to manage roles.
	SetPersonRoles(ctx context.Context, schoolID, personID string, roles []Role, version int64) (*Person, error)
}
