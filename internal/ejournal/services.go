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

// MessageService keeps messages (§14.5) and in-app inboxes; messages.go
// declares it in full.
type MessageService interface {
	messageService
}

// OutboxService keeps the SMS outbox and the notification pipeline's
// state; outbox.go declares it in full.
type OutboxService interface {
	outboxService
}

// ReportService gathers what the reports of Step 6 need; reports_service.go
// declares it in full.
type ReportService interface {
	reportService
}
