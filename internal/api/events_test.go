package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/access"
	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The people of the calendar and event tests, in school A's tree (see seed).
const (
	evStudent      = "ev-student"       // a student of class
	evParent       = "ev-parent"        // a parent of a child in class2
	evTeacher      = "ev-teacher"       // a teacher of class, without timetable.write
	evClassTeacher = "ev-class-teacher" // class's class teacher, given timetable.write on the class
	evHead         = "ev-head"          // a head teacher: timetable.write in the school
	evAdminB       = "ev-admin-b"       // school B's administrator
)

// newEventWorld is the API with the calendar and event services, and its
// own principals (the middleware fills their grants).
func newEventWorld(tb testing.TB) *world {
	tb.Helper()
	classTeacher := access.Effective([]ejournal.Role{ejournal.ClassTeacher}, nil)
	classTeacher[access.TimetableWrite] = []access.Scope{access.Class}
	w := &world{Env: apitest.New(tb, apitest.Tokens{
		evStudent: {PersonID: "school-a-student", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: "school-a-class"},
		evParent:  {PersonID: "p-parent", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"c-1": "school-a-class2"}},
		evTeacher: {PersonID: "school-a-teacher2", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
			Teaches: []ejournal.Teaching{{ClassID: "school-a-class", SubjectID: "school-a-subject"}}},
		evClassTeacher: {PersonID: "school-a-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ClassTeacher},
			ClassTeacherOf: []string{"school-a-class"}, Grants: classTeacher},
		evHead:   {PersonID: "p-head", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HeadTeacher}},
		evAdminB: {PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
	})}
	w.Server.Calendar, w.Server.Events = w.DB, w.DB
	w.a = w.seed(tb, schoolA, "Школа № 1")
	w.b = w.seed(tb, schoolB, "Школа № 2")
	return w
}

// event posts an event as token and returns it.
func (w *world) event(t *testing.T, token string, over map[string]any) ejournal.Event {
	t.Helper()
	var e ejournal.Event
	w.as(token).Post(t, "/v1/events", w.eventBody(over)).Want(t, http.StatusCreated).Decode(t, &e)
	return e
}

func (w *world) eventBody(over map[string]any) map[string]any {
	return w.body(map[string]any{"title": "Линейка", "date": "2025-10-06", "start": "08:00", "end": "08:20", "audience": "school"}, over)
}

// eventsSeen lists the titles of the events of 6–12 October 2025 token sees.
func (w *world) eventsSeen(t *testing.T, token string) []string {
	t.Helper()
	var out struct{ Items []ejournal.Event }
	w.as(token).Get(t, "/v1/events?from=2025-10-06&to=2025-10-12").Want(t, http.StatusOK).Decode(t, &out)
	var titles []string
	for _, e := range out.Items {
		titles = append(titles, e.Title)
	}
	return titles
}

func TestEventVisibility(t *testing.T) {
	t.Parallel()
	w := newEventWorld(t)
	school := w.event(t, evHead, map[string]any{"title": "Линейка"})
	w.event(t, evHead, map[string]any{"title": "Педсовет", "audience": "staff", "date": "2025-10-07"})
	own := w.event(t, evHead, map[string]any{"title": "Экскурсия 5А", "audience": "classes", "class_ids": []string{"school-a-class"}, "date": "2025-10-08"})
	other := w.event(t, evHead, map[string]any{"title": "Собрание 5Б", "audience": "classes", "class_ids": []string{"school-a-class2"}, "date": "2025-10-09"})
	// A three-day trip that started the week before.
	w.event(t, evHead, map[string]any{"title": "Поход 5Б", "audience": "classes", "class_ids": []string{"school-a-class2"}, "date": "2025-10-04", "end_date": "2025-10-06", "start": nil, "end": nil})
	w.event(t, evHead, map[string]any{"title": "Позже", "date": "2025-10-13"})

	for _, tc := range []struct {
		token string
		want  []string
	}{
		{evStudent, []string{"Линейка", "Экскурсия 5А"}},
		{evParent, []string{"Поход 5Б", "Линейка", "Собрание 5Б"}},
		{evTeacher, []string{"Поход 5Б", "Линейка", "Педсовет", "Экскурсия 5А", "Собрание 5Б"}},
		{evHead, []string{"Поход 5Б", "Линейка", "Педсовет", "Экскурсия 5А", "Собрание 5Б"}},
		{evAdminB, nil},
	} {
		if got := w.eventsSeen(t, tc.token); !slices.Equal(got, tc.want) {
			t.Errorf("%s sees %v, want %v", tc.token, got, tc.want)
		}
	}

	w.as(evStudent).Get(t, "/v1/events/"+school.ID).Want(t, http.StatusOK)
	w.as(evStudent).Get(t, "/v1/events/"+own.ID).Want(t, http.StatusOK)
	wantError(t, w.as(evStudent).Get(t, "/v1/events/"+other.ID), http.StatusNotFound, "")
	w.as(evParent).Get(t, "/v1/events/"+other.ID).Want(t, http.StatusOK)
	wantError(t, w.as(evParent).Get(t, "/v1/events/"+own.ID), http.StatusNotFound, "")
	wantError(t, w.as(evAdminB).Get(t, "/v1/events/"+school.ID), http.StatusNotFound, "")
}

func TestEventLifecycle(t *testing.T) {
	t.Parallel()
	w := newEventWorld(t)
	head := w.as(evHead)
	res := head.Post(t, "/v1/events", w.eventBody(map[string]any{"place": "Актовый зал", "description": "Форма парадная.\nНе опаздывать."})).Want(t, http.StatusCreated)
	var e ejournal.Event
	res.Decode(t, &e)
	if e.Version != 1 || e.CreatedBy != "p-head" || e.SchoolID != schoolA || res.Header.Get("Location") != "/v1/events/"+e.ID {
		t.Fatalf("created %+v (Location %q)", e, res.Header.Get("Location"))
	}
	upd := w.eventBody(map[string]any{"version": 1, "title": "Торжественная линейка", "date": "2025-10-07"})
	var got ejournal.Event
	head.Do(t, http.MethodPut, "/v1/events/"+e.ID, upd).Want(t, http.StatusOK).Decode(t, &got)
	if got.Title != "Торжественная линейка" || got.Date != "2025-10-07" || got.Version != 2 || got.Place != "" || got.CreatedBy != "p-head" {
		t.Fatalf("replaced %+v", got)
	}
	wantError(t, head.Do(t, http.MethodPut, "/v1/events/"+e.ID, upd), http.StatusConflict, "")
	wantError(t, head.Do(t, http.MethodPut, "/v1/events/"+e.ID, w.eventBody(nil)), http.StatusBadRequest, "version")
	wantError(t, head.Do(t, http.MethodPut, "/v1/events/nope", upd), http.StatusNotFound, "")
	wantError(t, head.Do(t, http.MethodDelete, "/v1/events/"+e.ID+"?version=1", nil), http.StatusConflict, "")
	wantError(t, head.Do(t, http.MethodDelete, "/v1/events/"+e.ID, nil), http.StatusBadRequest, "version")
	head.Do(t, http.MethodDelete, "/v1/events/"+e.ID+"?version=2", nil).Want(t, http.StatusOK)
	wantError(t, head.Get(t, "/v1/events/"+e.ID), http.StatusNotFound, "")

	trail, err := w.DB.AuditTrail(context.Background(), schoolA, "event", e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action+" by "+a.ActorID)
	}
	if want := []string{"create by p-head", "update by p-head", "delete by p-head"}; !slices.Equal(actions, want) {
		t.Fatalf("event audit trail %v, want %v", actions, want)
	}
}

func TestEventWriteAccess(t *testing.T) {
	t.Parallel()
	w := newEventWorld(t)
	own := map[string]any{"audience": "classes", "class_ids": []string{"school-a-class"}}
	for _, tc := range []struct {
		name  string
		token string
		over  map[string]any
	}{
		{"a teacher without timetable.write, own class", evTeacher, own},
		{"a teacher without timetable.write, school event", evTeacher, nil},
		{"a student", evStudent, own},
		{"a parent", evParent, nil},
		{"a class teacher, school event", evClassTeacher, nil},
		{"a class teacher, staff event", evClassTeacher, map[string]any{"audience": "staff"}},
		{"a class teacher, another class too", evClassTeacher, map[string]any{"audience": "classes", "class_ids": []string{"school-a-class", "school-a-class2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, w.as(tc.token).Post(t, "/v1/events", w.eventBody(tc.over)), http.StatusForbidden, "")
		})
	}
	if seen := w.eventsSeen(t, evHead); len(seen) != 0 {
		t.Fatalf("refused posts wrote %v", seen)
	}

	// The class teacher manages their own class's events, not others'.
	mine := w.event(t, evClassTeacher, own)
	theirs := w.event(t, evHead, map[string]any{"audience": "classes", "class_ids": []string{"school-a-class2"}})
	w.as(evClassTeacher).Do(t, http.MethodPut, "/v1/events/"+mine.ID, w.eventBody(map[string]any{"version": 1, "title": "Классный час", "audience": "classes", "class_ids": []string{"school-a-class"}})).Want(t, http.StatusOK)
	wantError(t, w.as(evClassTeacher).Do(t, http.MethodPut, "/v1/events/"+mine.ID, w.eventBody(map[string]any{"version": 2})), http.StatusForbidden, "")
	wantError(t, w.as(evClassTeacher).Do(t, http.MethodPut, "/v1/events/"+theirs.ID, w.eventBody(map[string]any{"version": 1, "audience": "classes", "class_ids": []string{"school-a-class"}})), http.StatusForbidden, "")
	wantError(t, w.as(evClassTeacher).Do(t, http.MethodDelete, "/v1/events/"+theirs.ID+"?version=1", nil), http.StatusForbidden, "")
	wantError(t, w.as(evTeacher).Do(t, http.MethodDelete, "/v1/events/"+mine.ID+"?version=2", nil), http.StatusForbidden, "")
	w.as(evClassTeacher).Do(t, http.MethodDelete, "/v1/events/"+mine.ID+"?version=2", nil).Want(t, http.StatusOK)
}

func TestEventErrors(t *testing.T) {
	t.Parallel()
	w := newEventWorld(t)
	head := w.as(evHead)
	for _, tc := range []struct {
		name  string
		over  map[string]any
		field string
	}{
		{"no title", map[string]any{"title": nil}, "title"},
		{"bad date", map[string]any{"date": "06.10.2025"}, "date"},
		{"too long", map[string]any{"end_date": "2025-11-30"}, "end_date"},
		{"end before start", map[string]any{"end": "07:00"}, "end"},
		{"bad time", map[string]any{"start": "8:00"}, "start"},
		{"unknown audience", map[string]any{"audience": "parents"}, "audience"},
		{"class event without classes", map[string]any{"audience": "classes"}, "class_ids"},
		{"class of another school", map[string]any{"audience": "classes", "class_ids": []string{"school-a-class", "school-b-class"}}, "class_ids[1]"},
		{"unknown field", map[string]any{"colour": "red"}, "colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, head.Post(t, "/v1/events", w.eventBody(tc.over)), http.StatusBadRequest, tc.field)
		})
	}
	for _, q := range []struct{ query, field string }{
		{"", "from"},
		{"from=2025-10-01", "to"},
		{"from=2025-10-01&to=2025-09-30", "to"},
		{"from=2025-09-01&to=2025-12-03", "to"},
	} {
		wantError(t, head.Get(t, "/v1/events?"+q.query), http.StatusBadRequest, q.field)
	}
	head.Get(t, "/v1/events?from=2025-09-01&to=2025-12-02").Want(t, http.StatusOK)

	ru := wantError(t, head.Post(t, "/v1/events", w.eventBody(map[string]any{"title": ""})), http.StatusBadRequest, "title")
	en := wantError(t, head.With("Accept-Language", "en").Post(t, "/v1/events", w.eventBody(map[string]any{"title": ""})), http.StatusBadRequest, "title")
	if ru.Fields["title"] != "Обязательное поле." || en.Fields["title"] != "This field is required." {
		t.Errorf("title messages: ru %q, en %q", ru.Fields["title"], en.Fields["title"])
	}
	en = wantError(t, w.as(evTeacher).With("Accept-Language", "en").Post(t, "/v1/events", w.eventBody(nil)), http.StatusForbidden, "")
	if !strings.Contains(en.Message, "permission") {
		t.Errorf("403 message in English: %q", en.Message)
	}
}
