package ejournal

import "context"

// Role names a role a person holds in a school (see docs/ARCHITECTURE.md).
type Role string

// Administrator is the system administrator of a school. Step 2 adds the other roles.
const Administrator Role = "admin"

// Principal is who is making a request: a person of one school with roles.
type Principal struct {
	PersonID string
	SchoolID string
	Roles    []Role
	// Operator marks a deployment operator, who may create and list schools
	// across a municipal deployment.
	Operator bool
}

// Has reports whether the principal holds role r.
func (p *Principal) Has(r Role) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

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
