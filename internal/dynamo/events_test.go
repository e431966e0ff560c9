package dynamo_test

import (
	"slices"
	"testing"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func newEvent(sid string, title string, date, end ejournal.Date) *ejournal.Event {
	return &ejournal.Event{SchoolID: sid, Title: title, Date: date, EndDate: end, Audience: ejournal.AudienceSchool}
}

func eventTitles(es []*ejournal.Event) []string {
	return ids(es, func(e *ejournal.Event) string { return e.Title })
}

func TestEventLifecycle(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "head", SchoolID: "s1"})
	s := mustSchool(t, db, "s1")

	e := newEvent("s1", "Экскурсия", "2025-10-10", "")
	e.Audience, e.ClassIDs = ejournal.AudienceClasses, []string{s.Class.ID}
	must(t, db.CreateEvent(ctx, e))
	if e.ID == "" || e.Version != 1 || e.CreatedAt.IsZero() {
		t.Fatalf("created event = %+v", e)
	}
	got, err := db.Event(ctx, "s1", e.ID)
	must(t, err)
	if got.Title != "Экскурсия" || got.ClassIDs[0] != s.Class.ID {
		t.Fatalf("stored event = %+v", got)
	}

	// Moving the event to another date moves it in the range reads.
	got.Date = "2025-10-17"
	must(t, db.UpdateEvent(ctx, got))
	list, err := db.Events(ctx, "s1", "2025-10-10", "2025-10-10")
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("events on the old date = %v", eventTitles(list))
	}
	list, err = db.Events(ctx, "s1", "2025-10-13", "2025-10-19")
	must(t, err)
	if len(list) != 1 || list[0].Date != "2025-10-17" {
		t.Fatalf("events of the new week = %+v", list)
	}

	checkStaleVersion(t,
		func() (*ejournal.Event, error) { return db.Event(ctx, "s1", e.ID) },
		func(v *ejournal.Event) error { return db.UpdateEvent(ctx, v) },
		func(v *ejournal.Event) *int64 { return &v.Version },
		func(v *ejournal.Event, m string) string {
			if m != "" {
				v.Place = m
			}
			return v.Place
		})

	wantError(t, db.DeleteEvent(ctx, "s1", e.ID, 1), ejournal.ECONFLICT)
	must(t, db.DeleteEvent(ctx, "s1", e.ID, 3))
	_, err = db.Event(ctx, "s1", e.ID)
	wantError(t, err, ejournal.ENOTFOUND)
	wantError(t, db.DeleteEvent(ctx, "s1", e.ID, 3), ejournal.ENOTFOUND)

	if got, want := auditActions(t, db, "event", e.ID), []string{"create:", "update:", "update:", "delete:"}; !slices.Equal(got, want) {
		t.Fatalf("event audit = %v, want %v", got, want)
	}
}

func TestEventChecks(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	other := mustSchool(t, db, "s2")

	// A class of another school is not found, and nothing is written.
	e := newEvent("s1", "Собрание", "2025-10-10", "")
	e.Audience, e.ClassIDs = ejournal.AudienceClasses, []string{s.Class.ID, other.Class.ID}
	wantError(t, db.CreateEvent(ctx, e), ejournal.EINVALID, "class_ids[1]")
	list, err := db.Events(ctx, "s1", "2025-10-01", "2025-10-31")
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("a refused event was written: %v", eventTitles(list))
	}

	wantError(t, db.CreateEvent(ctx, newEvent("s1", "", "2025-10-10", "")), ejournal.EINVALID, "title")
	wantError(t, db.CreateEvent(ctx, newEvent("s1", "Поход", "2025-10-10", "2025-11-20")), ejournal.EINVALID, "end_date")
	_, err = db.Event(ctx, "s1", "a#b")
	wantError(t, err, ejournal.ENOTFOUND)

	// Another school's event is not found by id.
	mine := newEvent("s1", "Линейка", "2025-09-01", "")
	must(t, db.CreateEvent(ctx, mine))
	_, err = db.Event(ctx, "s2", mine.ID)
	wantError(t, err, ejournal.ENOTFOUND)
	theirs, err := db.Events(ctx, "s2", "2025-09-01", "2025-09-30")
	must(t, err)
	if len(theirs) != 0 {
		t.Fatalf("school s2 sees %v", eventTitles(theirs))
	}
}

func TestEventsRange(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	mustSchool(t, db, "s1")
	for _, e := range []*ejournal.Event{
		newEvent("s1", "long before, over", "2025-09-01", "2025-09-30"),
		newEvent("s1", "started a month ago, still on", "2025-09-15", "2025-10-15"),
		newEvent("s1", "ends on the first day", "2025-10-01", "2025-10-13"),
		newEvent("s1", "inside", "2025-10-15", ""),
		newEvent("s1", "last day", "2025-10-19", "2025-10-25"),
		newEvent("s1", "after", "2025-10-20", ""),
	} {
		must(t, db.CreateEvent(ctx, e))
	}
	list, err := db.Events(ctx, "s1", "2025-10-13", "2025-10-19")
	must(t, err)
	want := []string{"started a month ago, still on", "ends on the first day", "inside", "last day"}
	if got := eventTitles(list); !slices.Equal(got, want) {
		t.Fatalf("events of the week = %v, want %v", got, want)
	}
	none, err := db.Events(ctx, "s1", "2025-10-20", "2025-10-13")
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("reversed range = %v", eventTitles(none))
	}
}
