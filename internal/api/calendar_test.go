package api_test

import (
	"context"
	"net/http"
	"testing"

	"ejournal/internal/ejournal"
)

func TestCalendarAPI(t *testing.T) {
	t.Parallel()
	w := newEventWorld(t)
	path := "/v1/years/" + w.a["year"] + "/calendar"

	// Everyone who reads the timetable reads the calendar; at first the default.
	for _, token := range []string{evStudent, evParent, evTeacher, evHead} {
		var c ejournal.Calendar
		w.as(token).Get(t, path).Want(t, http.StatusOK).Decode(t, &c)
		if c.Version != 0 || c.WorkingDays != 5 || c.YearID != w.a["year"] || len(c.Bells) != 1 {
			t.Fatalf("%s reads %+v, want the default calendar", token, c)
		}
	}
	wantError(t, w.as(evHead).Get(t, "/v1/years/nope/calendar"), http.StatusNotFound, "")
	wantError(t, w.as(evAdminB).Get(t, path), http.StatusNotFound, "")

	c := w.as(evHead).Get(t, path).Want(t, http.StatusOK).Object(t)
	c["holidays"] = []map[string]any{{"start": "2025-10-27", "end": "2025-11-04", "name": "Осенние каникулы"}}
	c["extra_working_days"] = []string{"2025-11-08"}
	c["bells"] = append(c["bells"].([]any), map[string]any{"id": "short", "name": "Сокращённый день",
		"periods": []map[string]any{{"period": 1, "start": "08:30", "end": "09:00"}, {"period": 2, "start": "09:10", "end": "09:40"}}})
	c["day_bells"] = map[string]string{"2025-12-26": "short"}

	// A teacher without timetable.write may not change it.
	wantError(t, w.as(evTeacher).Do(t, http.MethodPut, path, c), http.StatusForbidden, "")
	wantError(t, w.as(evClassTeacher).Do(t, http.MethodPut, path, c), http.StatusForbidden, "")

	var saved ejournal.Calendar
	w.as(evHead).Do(t, http.MethodPut, path, c).Want(t, http.StatusOK).Decode(t, &saved)
	if saved.Version != 1 || !saved.IsSchoolDay("2025-11-08") || saved.IsSchoolDay("2025-10-28") || saved.BellsFor("2025-12-26").ID != "short" {
		t.Fatalf("saved %+v", saved)
	}
	// The same version again is stale.
	wantError(t, w.as(evHead).Do(t, http.MethodPut, path, c), http.StatusConflict, "")

	var read ejournal.Calendar
	w.as(evStudent).Get(t, path).Want(t, http.StatusOK).Decode(t, &read)
	if read.Version != 1 || len(read.Holidays) != 1 || read.DayBells["2025-12-26"] != "short" {
		t.Fatalf("read back %+v", read)
	}
	trail, err := w.DB.AuditTrail(context.Background(), schoolA, "calendar", w.a["year"])
	if err != nil || len(trail) != 1 || trail[0].ActorID != "p-head" {
		t.Fatalf("calendar audit trail %v, %v", trail, err)
	}
}

func TestCalendarErrors(t *testing.T) {
	t.Parallel()
	w := newEventWorld(t)
	path := "/v1/years/" + w.a["year"] + "/calendar"
	head := w.as(evHead)
	base := func(edit func(c map[string]any)) map[string]any {
		c := head.Get(t, path).Want(t, http.StatusOK).Object(t)
		edit(c)
		return c
	}
	for _, tc := range []struct {
		name  string
		edit  func(c map[string]any)
		field string
	}{
		{"no version", func(c map[string]any) { delete(c, "version") }, "version"},
		{"seven-day week", func(c map[string]any) { c["working_days"] = 7 }, "working_days"},
		{"another year", func(c map[string]any) { c["year_id"] = w.a["year2"] }, "year_id"},
		{"holiday outside the year", func(c map[string]any) {
			c["holidays"] = []map[string]any{{"start": "2026-08-25", "end": "2026-09-02", "name": "Лето"}}
		}, "holidays[0]"},
		{"holiday ends before it starts", func(c map[string]any) {
			c["holidays"] = []map[string]any{{"start": "2025-11-04", "end": "2025-10-27", "name": "Осенние"}}
		}, "holidays[0].end"},
		{"overlapping lessons", func(c map[string]any) {
			c["bells"] = []map[string]any{{"id": "usual", "name": "Обычное", "periods": []map[string]any{{"period": 1, "start": "08:30", "end": "09:15"}, {"period": 2, "start": "09:00", "end": "09:45"}}}}
		}, "bells[0].periods[1].start"},
		{"bad time", func(c map[string]any) {
			c["bells"] = []map[string]any{{"id": "usual", "name": "Обычное", "periods": []map[string]any{{"period": 1, "start": "8.30", "end": "09:15"}}}}
		}, "bells[0].periods[0].start"},
		{"unknown day schedule", func(c map[string]any) { c["day_bells"] = map[string]string{"2025-12-26": "short"} }, "day_bells.2025-12-26"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, head.Do(t, http.MethodPut, path, base(tc.edit)), http.StatusBadRequest, tc.field)
		})
	}
	wantError(t, head.Do(t, http.MethodPut, "/v1/years/nope/calendar", base(func(c map[string]any) { delete(c, "year_id") })), http.StatusNotFound, "")

	en := wantError(t, head.With("Accept-Language", "en").Do(t, http.MethodPut, path, base(func(c map[string]any) { c["working_days"] = 4 })), http.StatusBadRequest, "working_days")
	ru := wantError(t, head.Do(t, http.MethodPut, path, base(func(c map[string]any) { c["working_days"] = 4 })), http.StatusBadRequest, "working_days")
	if en.Fields["working_days"] != "The working week is 5 or 6 days." || ru.Fields["working_days"] != "Рабочая неделя — 5 или 6 дней." {
		t.Errorf("working_days messages: en %q, ru %q", en.Fields["working_days"], ru.Fields["working_days"])
	}
}
