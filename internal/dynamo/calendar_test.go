package dynamo_test

import (
	"slices"
	"testing"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func TestCalendarLifecycle(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "head", SchoolID: "s1"})
	s := mustSchool(t, db, "s1")

	c, err := db.Calendar(ctx, "s1", s.Year.ID)
	must(t, err)
	if c.Version != 0 || c.WorkingDays != 5 || len(c.Bells) != 1 || c.YearID != s.Year.ID || c.SchoolID != "s1" {
		t.Fatalf("calendar before any save = %+v, want the default", c)
	}

	c.Holidays = []ejournal.Holiday{{Start: "2025-10-27", End: "2025-11-04", Name: "Осенние каникулы"}}
	c.ExtraWorkingDays = []ejournal.Date{"2025-11-08"}
	c.Bells = append(c.Bells, ejournal.BellSchedule{ID: "short", Name: "Сокращённый", Periods: []ejournal.Bell{{Period: 1, Start: "08:30", End: "09:00"}}})
	c.DayBells = map[ejournal.Date]string{"2025-12-26": "short"}
	stale := *c
	must(t, db.SaveCalendar(ctx, c))
	if c.Version != 1 {
		t.Fatalf("version after the first save = %d, want 1", c.Version)
	}
	// A second save of the default the caller read is stale.
	stale.WorkingDays = 6
	stale.ExtraWorkingDays = nil
	wantError(t, db.SaveCalendar(ctx, &stale), ejournal.ECONFLICT)

	got, err := db.Calendar(ctx, "s1", s.Year.ID)
	must(t, err)
	if got.Version != 1 || !got.IsSchoolDay("2025-11-08") || got.IsSchoolDay("2025-10-30") || got.BellsFor("2025-12-26").ID != "short" {
		t.Fatalf("stored calendar = %+v", got)
	}

	checkStaleVersion(t,
		func() (*ejournal.Calendar, error) { return db.Calendar(ctx, "s1", s.Year.ID) },
		func(v *ejournal.Calendar) error { return db.SaveCalendar(ctx, v) },
		func(v *ejournal.Calendar) *int64 { return &v.Version },
		func(v *ejournal.Calendar, m string) string {
			if m != "" {
				v.Holidays[0].Name = m
			}
			return v.Holidays[0].Name
		})

	if got, want := auditActions(t, db, "calendar", s.Year.ID), []string{"create:", "update:"}; !slices.Equal(got, want) {
		t.Fatalf("calendar audit = %v, want %v", got, want)
	}
	trail, err := db.AuditTrail(ctx, "s1", "calendar", s.Year.ID)
	must(t, err)
	if trail[0].ActorID != "head" {
		t.Errorf("audit actor = %q, want head", trail[0].ActorID)
	}
}

func TestSaveCalendarChecks(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")

	// A holiday outside the year: nothing is written.
	c := ejournal.DefaultCalendar("s1", s.Year.ID)
	c.Holidays = []ejournal.Holiday{{Start: "2026-08-20", End: "2026-09-05", Name: "Лето"}}
	wantError(t, db.SaveCalendar(ctx, c), ejournal.EINVALID, "holidays[0]")
	got, err := db.Calendar(ctx, "s1", s.Year.ID)
	must(t, err)
	if got.Version != 0 || len(got.Holidays) != 0 {
		t.Fatalf("a refused save wrote %+v", got)
	}

	// An unknown year, or one of another school.
	mustSchool(t, db, "s2")
	wantError(t, db.SaveCalendar(ctx, ejournal.DefaultCalendar("s2", s.Year.ID)), ejournal.ENOTFOUND)
	wantError(t, db.SaveCalendar(ctx, ejournal.DefaultCalendar("s1", "nope")), ejournal.ENOTFOUND)
	_, err = db.Calendar(ctx, "s1", "a#b")
	wantError(t, err, ejournal.ENOTFOUND)
}
