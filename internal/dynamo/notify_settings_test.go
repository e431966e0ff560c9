package dynamo_test

import (
	"slices"
	"testing"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func TestNotifySettings(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	mustSchool(t, db, "s1")
	ctx := t.Context()
	s, err := db.NotifySettings(ctx, "s1")
	must(t, err)
	if s.Version != 0 || s.QuietStart != "21:00" || s.SchoolID != "s1" {
		t.Fatalf("settings before any save %+v, want the defaults at version 0", s)
	}
	s.QuietStart, s.MonthlySMSBudget = "22:00", 500
	must(t, db.SaveNotifySettings(ctx, s))
	if s.Version != 1 {
		t.Fatalf("version %d after the first save, want 1", s.Version)
	}
	got, err := db.NotifySettings(ctx, "s1")
	must(t, err)
	if got.QuietStart != "22:00" || got.MonthlySMSBudget != 500 || got.Version != 1 {
		t.Fatalf("read back %+v", got)
	}
	stale := *got
	got.DefaultMode = ejournal.NotifyDigest
	must(t, db.SaveNotifySettings(ctx, got))
	wantError(t, db.SaveNotifySettings(ctx, &stale), ejournal.ECONFLICT)
	first := ejournal.DefaultNotifySettings("s1")
	wantError(t, db.SaveNotifySettings(ctx, first), ejournal.ECONFLICT)

	bad := *got
	bad.QuietEnd, bad.MonthlySMSBudget = "25:00", -1
	wantError(t, db.SaveNotifySettings(ctx, &bad), ejournal.EINVALID, "quiet_end", "monthly_sms_budget")
	wantError(t, db.SaveNotifySettings(ctx, ejournal.DefaultNotifySettings("nowhere")), ejournal.EINVALID, "school_id")

	if actions, _, newValue := trail(t, db, "s1", "notify_settings", "s1"); !slices.Equal(actions, []string{"create", "update"}) || newValue["default_mode"] != "digest" {
		t.Fatalf("audit trail %v (last %v)", actions, newValue)
	}
}

func TestNotifyPreferences(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	f := mustFamily(t, db, "s1")
	ctx := t.Context()
	pref := func(parent, child *ejournal.Person, mode ejournal.NotifyMode) *ejournal.NotifyPreference {
		return &ejournal.NotifyPreference{SchoolID: "s1", ParentID: parent.ID, ChildID: child.ID, Mode: mode, SMS: true, InApp: true}
	}
	mine := pref(f.Mother, f.Student, ejournal.NotifyDigest)
	mine.DigestTime = "20:00"
	must(t, db.SaveNotifyPreference(ctx, mine))
	must(t, db.SaveNotifyPreference(ctx, pref(f.Mother, f.Child2, ejournal.NotifyOff)))
	must(t, db.SaveNotifyPreference(ctx, pref(f.Father, f.Child3, ejournal.NotifyImmediate)))
	wantError(t, db.SaveNotifyPreference(ctx, pref(f.Mother, f.Child3, ejournal.NotifyOff)), ejournal.EINVALID, "child_id")
	bad := pref(f.Mother, f.Student, "loud")
	bad.DigestTime = "8"
	wantError(t, db.SaveNotifyPreference(ctx, bad), ejournal.EINVALID, "mode", "digest_time")
	wantError(t, db.SaveNotifyPreference(ctx, pref(f.Mother, f.Student, ejournal.NotifyOff)), ejournal.ECONFLICT)

	mine.Mode = ejournal.NotifyImmediate
	must(t, db.SaveNotifyPreference(ctx, mine))
	if mine.Version != 2 {
		t.Fatalf("version %d after an update, want 2", mine.Version)
	}
	ps, err := db.NotifyPreferences(ctx, "s1", f.Mother.ID)
	must(t, err)
	if len(ps) != 2 {
		t.Fatalf("mother's preferences %+v, want 2", ps)
	}
	for _, p := range ps {
		if p.ChildID == f.Student.ID && (p.Mode != ejournal.NotifyImmediate || p.DigestTime != "20:00") {
			t.Fatalf("updated preference %+v", p)
		}
	}
	both, err := db.NotifyPreferencesFor(ctx, "s1", []string{f.Mother.ID, f.Father.ID, f.Aunt.ID, f.Mother.ID})
	must(t, err)
	if len(both) != 3 {
		t.Fatalf("preferences of three parents %+v, want 3", both)
	}
	if actions, _, _ := trail(t, db, "s1", "notify_preference", f.Mother.ID); !slices.Equal(actions, []string{"create", "create", "update"}) {
		t.Fatalf("mother's preference trail %v", actions)
	}
}
