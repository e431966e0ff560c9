package ejournal

// The services of Step 2. Each is declared in full by the file that owns it
// (identity.go, records.go); adapters implement them.

// IdentityService keeps accounts, sign-in sessions, throttling counters,
// external identities and the school's role permissions.
type IdentityService interface {
	identityService
	roleIdentity
	oidcIdentity
}

// RecordsService keeps the records of people: staff (HR), students and
// parents (clerk), family links, student movement and the audit trail.
type RecordsService interface {
	recordsService
}
