package ejournal

import (
	"context"
	"slices"
)

// Role names a role a person holds in a school. A person may hold several.
type Role string

// The roles of the regulation (§5, §7–§12).
const (
	Administrator  Role = "admin"           // администратор системы
	AssistantAdmin Role = "assistant_admin" // помощник администратора
	Director       Role = "director"        // директор
	HeadTeacher    Role = "head_teacher"    // завуч
	Teacher        Role = "teacher"         // учитель
	ClassTeacher   Role = "class_teacher"   // классный руководитель
	HR             Role = "hr"              // специалист по кадрам
	Clerk          Role = "clerk"           // делопроизводитель
	StudentRole    Role = "student"         // ученик
	ParentRole     Role = "parent"          // родитель
)

// Roles lists every role in a stable order.
var Roles = []Role{Administrator, AssistantAdmin, Director, HeadTeacher, Teacher, ClassTeacher, HR, Clerk, StudentRole, ParentRole}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Teaching is one class (or group) and subject a teacher teaches.
type Teaching struct {
	ClassID   string
	GroupID   string
	SubjectID string
}

// Principal is who is making a request: a person of one school with roles,
// the permissions those roles give in that school, and the relations that
// scopes are checked against.
type Principal struct {
	PersonID string
	SchoolID string
	FullName string
	Roles    []Role
	// Operator marks a deployment operator, who may create and list schools
	// across a municipal deployment.
	Operator bool
	// Grants are the effective permissions: capability → scopes.
	Grants map[string][]string
	// ClassID is a student's own class.
	ClassID string
	// Children are a parent's children, with their classes.
	Children map[string]string
	// ClassTeacherOf lists the classes whose class teacher the person is.
	ClassTeacherOf []string
	// Teaches lists a teacher's assignments in the current school year.
	Teaches []Teaching
	// SessionID is the sign-in session (refresh token family) of the request.
	SessionID string
}

// Has reports whether the principal holds role r.
func (p *Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of ctx, or nil for an anonymous request.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
