package dynamo_test

import (
	"encoding/json"
	"testing"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func TestChangesLeaveAuditEntries(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "admin-1", SchoolID: "a"})
	must(t, db.CreateSchool(ctx, &ejournal.School{ID: "a", Name: "Школа", TimeZone: "Asia/Yekaterinburg"}))
	s := &ejournal.Subject{SchoolID: "a", ID: "math", Name: "Математика", ShortName: "Матем"}
	must(t, db.CreateSubject(ctx, s))
	stale := *s
	s.Name = "Алгебра"
	must(t, db.UpdateSubject(dynamo.WithReason(ctx, "опечатка"), s))
	stale.Name = "Геометрия"
	wantError(t, db.UpdateSubject(ctx, &stale), ejournal.ECONFLICT)

	trail, err := db.AuditTrail(ctx, "a", "subject", "math")
	must(t, err)
	if len(trail) != 2 {
		t.Fatalf("audit trail has %d entries, want 2 (create, update; the refused write leaves none)", len(trail))
	}
	name := func(raw json.RawMessage) string {
		if raw == nil {
			return ""
		}
		var v struct{ Name string }
		must(t, json.Unmarshal(raw, &v))
		return v.Name
	}
	for i, want := range []struct{ action, old, new, reason string }{
		{"create", "", "Математика", ""},
		{"update", "Математика", "Алгебра", "опечатка"},
	} {
		e := trail[i]
		if e.Action != want.action || name(e.Old) != want.old || name(e.New) != want.new || e.Reason != want.reason || e.ActorID != "admin-1" || e.At.IsZero() {
			t.Errorf("entry %d = %s by %s: old %q new %q reason %q; want %+v by admin-1", i, e.Action, e.ActorID, name(e.Old), name(e.New), e.Reason, want)
		}
	}

	log, err := db.AuditLog(ctx, "a", ejournal.DateOf(trail[1].At.UTC()), 0)
	must(t, err)
	if len(log) < 3 || log[0].At.Before(log[len(log)-1].At) {
		t.Fatalf("school audit log of the day: %d entries, want ≥ 3 newest first", len(log))
	}
	other, err := db.AuditLog(ctx, "b", ejournal.DateOf(trail[1].At.UTC()), 0)
	must(t, err)
	if len(other) != 0 {
		t.Fatalf("school b's audit log shows %d of school a's entries", len(other))
	}

	must(t, db.RecordRead(ctx, "a", "person", "p1"))
	reads, err := db.AuditTrail(ctx, "a", "person", "p1")
	must(t, err)
	if len(reads) != 1 || reads[0].Action != "read" || reads[0].ActorID != "admin-1" {
		t.Fatalf("read of a personal card: %+v, want one read entry by admin-1", reads)
	}
}
