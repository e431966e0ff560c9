package api_test

import (
	"context"
	"net/http"
	"testing"

	"ejournal/internal/ejournal"
)

// newGenerateWorld is the lesson world with a timetable: school A's class
// has the subject on Mondays, period 1, in room 12, with its teacher.
func newGenerateWorld(t *testing.T) (*world, *ejournal.TimetableEntry) {
	t.Helper()
	w := newLessonWorld(t)
	w.Server.Timetable, w.Server.Generator = w.DB, w.DB
	e := &ejournal.TimetableEntry{SchoolID: schoolA, YearID: w.a["year"], ClassID: w.a["class"], SubjectID: w.a["subject"], TeacherID: w.a["teacher"],
		Room: "12", Weekday: 1, Period: 1, From: "2025-09-01"}
	if err := w.DB.SaveTimetableEntry(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return w, e
}

func TestGenerateLessonsAPI(t *testing.T) {
	t.Parallel()
	w, e := newGenerateWorld(t)
	admin := w.as(lAdmin)
	target := "/v1/years/" + w.a["year"] + "/lessons/generate"

	res := admin.Post(t, target, map[string]any{"from": "2025-10-06", "to": "2025-10-19"}).Want(t, http.StatusOK).Object(t)
	wantFields(t, res, map[string]any{"year_id": w.a["year"], "from": "2025-10-06", "to": "2025-10-19", "created": 2, "updated": 0, "deleted": 0, "unchanged": 0})
	res = admin.Post(t, target, map[string]any{"from": "2025-10-06", "to": "2025-10-19"}).Want(t, http.StatusOK).Object(t)
	wantFields(t, res, map[string]any{"created": 0, "updated": 0, "deleted": 0, "unchanged": 2})

	// The teacher opens "today" and finds the lesson ready.
	var day struct{ Items []ejournal.Lesson }
	w.as(lTeacher).Get(t, "/v1/teachers/"+w.a["teacher"]+"/lessons?date=2025-10-13").Want(t, http.StatusOK).Decode(t, &day)
	if len(day.Items) != 1 || day.Items[0].ID != ejournal.GeneratedLessonID(e.ID, "2025-10-13") || day.Items[0].Room != "12" ||
		day.Items[0].TimetableEntryID != e.ID || day.Items[0].Source != ejournal.TimetableLesson {
		t.Fatalf("the teacher's lessons of the day: %+v", day.Items)
	}

	// A whole term of one class: the Mondays of 1 September – 31 December
	// but the two already made.
	res = admin.Post(t, target, map[string]any{"term": "h1", "class_id": w.a["class"]}).Want(t, http.StatusOK).Object(t)
	wantFields(t, res, map[string]any{"class_id": w.a["class"], "from": "2025-09-01", "to": "2025-12-31", "created": 16, "unchanged": 2})
}

func TestGenerateLessonsAPIRefuses(t *testing.T) {
	t.Parallel()
	w, _ := newGenerateWorld(t)
	target := "/v1/years/" + w.a["year"] + "/lessons/generate"
	for _, tc := range []struct {
		name   string
		token  string
		target string
		body   map[string]any
		status int
		field  string
	}{
		{"before the year", lAdmin, target, map[string]any{"from": "2025-08-25", "to": "2025-09-05"}, http.StatusBadRequest, "from"},
		{"after the year", lAdmin, target, map[string]any{"from": "2026-08-01", "to": "2026-09-01"}, http.StatusBadRequest, "to"},
		{"reversed", lAdmin, target, map[string]any{"from": "2025-10-10", "to": "2025-10-01"}, http.StatusBadRequest, "to"},
		{"no dates", lAdmin, target, map[string]any{"class_id": "$a.class"}, http.StatusBadRequest, "from"},
		{"an unknown term", lAdmin, target, map[string]any{"term": "q9"}, http.StatusBadRequest, "term"},
		{"a term and dates", lAdmin, target, map[string]any{"term": "h1", "from": "2025-10-01", "to": "2025-10-10"}, http.StatusBadRequest, "term"},
		{"another school's class", lAdmin, target, map[string]any{"term": "h1", "class_id": "$b.class"}, http.StatusBadRequest, "class_id"},
		{"another school's year", lAdmin, "/v1/years/" + w.b["year"] + "/lessons/generate", map[string]any{"term": "h1"}, http.StatusNotFound, ""},
		{"a teacher", lTeacher, target, map[string]any{"term": "h1"}, http.StatusForbidden, ""},
		{"a student", lStudent, target, map[string]any{"term": "h1"}, http.StatusForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, w.as(tc.token).Post(t, tc.target, w.body(tc.body, nil)), tc.status, tc.field)
		})
	}
	ls, err := w.DB.ClassLessons(context.Background(), schoolA, w.a["class"], "2025-09-01", "2026-08-31")
	if err != nil || len(ls) != 0 {
		t.Fatalf("lessons written: %d, %v", len(ls), err)
	}
}
