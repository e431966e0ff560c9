package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The people of the timetable tests, all of school A's tree (see seed).
const (
	ttHead    = "tt-head"    // school A's head teacher (timetable.write)
	ttTeacher = "tt-teacher" // school-a-teacher: teaches the subject in class
	ttSub     = "tt-sub"     // school-a-teacher2: no assignments, substitutes
	ttStudent = "tt-student" // school-a-student, in class
	ttParent  = "tt-parent"  // a parent of school-a-student
	ttAdminB  = "tt-admin-b" // school B's administrator
)

var timetableTokens = apitest.Tokens{
	ttHead: {PersonID: "p-head", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HeadTeacher}},
	ttTeacher: {PersonID: "school-a-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: "school-a-class", SubjectID: "school-a-subject"}}},
	ttSub:     {PersonID: "school-a-teacher2", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}},
	ttStudent: {PersonID: "school-a-student", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: "school-a-class"},
	ttParent:  {PersonID: "p-parent", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"school-a-student": "school-a-class"}},
	ttAdminB:  {PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

// ttPupil is a student on the roll of class, to be marked.
const ttPupil = "tt-pupil"

// newTimetableWorld is the test world with the scheduling services, a
// third group, of class (group2 is of class2), and ttPupil.
func newTimetableWorld(tb testing.TB) *world {
	tb.Helper()
	w := &world{Env: apitest.New(tb, timetableTokens)}
	w.Server.Timetable, w.Server.Calendar, w.Server.Events = w.DB, w.DB, w.DB
	w.a = w.seed(tb, schoolA, "Школа № 1")
	w.b = w.seed(tb, schoolB, "Школа № 2")
	ctx := context.Background()
	if err := w.DB.CreateGroup(ctx, &ejournal.Group{ID: "school-a-group3", SchoolID: schoolA, ClassID: w.a["class"], Name: "Английский язык, 2 группа"}); err != nil {
		tb.Fatal(err)
	}
	if err := w.DB.CreatePerson(ctx, &ejournal.Person{ID: ttPupil, SchoolID: schoolA, Kind: ejournal.Student, LastName: "Петров", FirstName: "Пётр", ClassID: w.a["class"]}); err != nil {
		tb.Fatal(err)
	}
	return w
}

func (w *world) entryBody(over map[string]any) map[string]any {
	return w.body(map[string]any{"class_id": "$a.class", "subject_id": "$a.subject", "teacher_id": "$a.teacher", "weekday": 1, "period": 2, "room": "12"}, over)
}

func (w *world) postEntry(t *testing.T, over map[string]any) ejournal.TimetableEntry {
	t.Helper()
	var e ejournal.TimetableEntry
	w.as(ttHead).Post(t, w.expand("/v1/years/$a.year/timetable"), w.entryBody(over)).Want(t, http.StatusCreated).Decode(t, &e)
	return e
}

// wantNamed checks a 409 whose message and field name the clashing lesson.
func wantNamed(t *testing.T, res *apitest.Response, field, want string) {
	t.Helper()
	e := wantError(t, res, http.StatusConflict, field)
	if !strings.Contains(e.Message, want) || !strings.Contains(e.Fields[field], want) {
		t.Fatalf("conflict %+v does not name %q", e, want)
	}
}

func TestTimetableEntriesAPI(t *testing.T) {
	t.Parallel()
	w := newTimetableWorld(t)
	head := w.as(ttHead)
	path := w.expand("/v1/years/$a.year/timetable")

	res := head.Post(t, path, w.entryBody(nil)).Want(t, http.StatusCreated)
	var e ejournal.TimetableEntry
	res.Decode(t, &e)
	if e.From != "2025-09-01" || e.Version != 1 || e.YearID != w.a["year"] || res.Header.Get("Location") != path+"/"+e.ID {
		t.Fatalf("created %+v at %s", e, res.Header.Get("Location"))
	}
	wantError(t, w.as(ttTeacher).Post(t, path, w.entryBody(map[string]any{"period": 5})), http.StatusForbidden, "")

	// Clashes name the lesson clashed with.
	named := "5А, Математика, понедельник, 2-й урок (запись " + e.ID + ")"
	wantNamed(t, head.Post(t, path, w.entryBody(map[string]any{"class_id": "$a.class2", "room": "14"})), "teacher_id", named)
	wantNamed(t, head.Post(t, path, w.entryBody(map[string]any{"class_id": "$a.class2", "teacher_id": "$a.teacher2"})), "room", named)
	wantNamed(t, head.Post(t, path, w.entryBody(map[string]any{"teacher_id": "$a.teacher2", "room": nil})), "period", named)
	en := wantError(t, head.With("Accept-Language", "en").Post(t, path, w.entryBody(map[string]any{"teacher_id": "$a.teacher2", "room": nil})), http.StatusConflict, "period")
	if !strings.Contains(en.Message, "5А, Математика, Monday, period 2") {
		t.Fatalf("English conflict %q", en.Message)
	}
	// Two groups of the class share a period.
	w.postEntry(t, map[string]any{"period": 3, "group_id": "$a.group", "room": "21"})
	w.postEntry(t, map[string]any{"period": 3, "group_id": "school-a-group3", "teacher_id": "$a.teacher2", "room": "22"})
	// Bad input names the field and writes nothing.
	wantError(t, head.Post(t, path, w.entryBody(map[string]any{"weekday": 7})), http.StatusBadRequest, "weekday")
	wantError(t, head.Post(t, path, w.entryBody(map[string]any{"period": 4, "from": "2026-09-01"})), http.StatusBadRequest, "from")
	wantError(t, head.Post(t, path, w.entryBody(map[string]any{"period": 4, "teacher_id": "$a.student"})), http.StatusBadRequest, "teacher_id")
	wantError(t, head.Post(t, path, w.entryBody(map[string]any{"period": 4, "class_id": "$b.class"})), http.StatusBadRequest, "class_id")
	wantError(t, head.Post(t, path, w.entryBody(map[string]any{"period": 4, "group_id": "$a.group2"})), http.StatusBadRequest, "group_id")
	wantError(t, head.Post(t, path, w.entryBody(map[string]any{"period": 4, "day": 1})), http.StatusBadRequest, "day")

	var entries struct{ Items []ejournal.TimetableEntry }
	head.Get(t, path).Want(t, http.StatusOK).Decode(t, &entries)
	if len(entries.Items) != 3 {
		t.Fatalf("%d entries, want 3", len(entries.Items))
	}
	w.as(ttTeacher).Get(t, path).Want(t, http.StatusOK)
	wantError(t, w.as(ttStudent).Get(t, path), http.StatusForbidden, "")
	wantError(t, w.as(ttAdminB).Get(t, path), http.StatusNotFound, "")

	// A replacement carries the version; a stale one is 409.
	one := path + "/" + e.ID
	var put ejournal.TimetableEntry
	head.Do(t, http.MethodPut, one, w.entryBody(map[string]any{"room": "13", "version": 1})).Want(t, http.StatusOK).Decode(t, &put)
	if put.Room != "13" || put.Version != 2 || put.ID != e.ID {
		t.Fatalf("replaced %+v", put)
	}
	wantError(t, head.Do(t, http.MethodPut, one, w.entryBody(map[string]any{"room": "15", "version": 1})), http.StatusConflict, "")
	wantError(t, head.Do(t, http.MethodPut, one, w.entryBody(nil)), http.StatusBadRequest, "version")
	wantError(t, head.Do(t, http.MethodPut, path+"/nope", w.entryBody(map[string]any{"version": 1})), http.StatusNotFound, "")

	// A change from a date ends the entry the day before.
	var ch struct{ Ended, Entry ejournal.TimetableEntry }
	head.Post(t, one+"/change", w.entryBody(map[string]any{"teacher_id": "$a.teacher2", "from": "2025-11-03", "version": 2})).Want(t, http.StatusCreated).Decode(t, &ch)
	if ch.Ended.Until != "2025-11-02" || ch.Ended.Version != 3 || ch.Entry.From != "2025-11-03" || ch.Entry.TeacherID != w.a["teacher2"] {
		t.Fatalf("change %+v", ch)
	}
	wantError(t, head.Post(t, one+"/change", w.entryBody(map[string]any{"version": 3})), http.StatusBadRequest, "from")
	// From 3 November the first teacher is free on Monday, period 2.
	w.postEntry(t, map[string]any{"class_id": "$a.class2", "room": "40", "from": "2025-11-03"})
	wantNamed(t, head.Post(t, path, w.entryBody(map[string]any{"class_id": "$a.class2", "room": "41", "from": "2025-10-27"})), "teacher_id", "(запись "+e.ID+")")

	wantError(t, head.Do(t, http.MethodDelete, one+"?version=1", nil), http.StatusConflict, "")
	wantError(t, head.Do(t, http.MethodDelete, one, nil), http.StatusBadRequest, "version")
	head.Do(t, http.MethodDelete, one+"?version=3", nil).Want(t, http.StatusOK)
	wantError(t, head.Do(t, http.MethodDelete, one+"?version=3", nil), http.StatusNotFound, "")
}

func TestTimetableConcurrentEditAPI(t *testing.T) {
	t.Parallel()
	w := newTimetableWorld(t)
	e := w.postEntry(t, nil)
	one := w.expand("/v1/years/$a.year/timetable/") + e.ID
	// Two editors read version 1; the second to write gets 409.
	w.as(ttHead).Do(t, http.MethodPut, one, w.entryBody(map[string]any{"period": 3, "version": 1})).Want(t, http.StatusOK)
	wantError(t, w.as(ttHead).Do(t, http.MethodPut, one, w.entryBody(map[string]any{"period": 4, "version": 1})), http.StatusConflict, "")
	got, err := w.DB.TimetableEntry(context.Background(), schoolA, w.a["year"], e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Period != 3 || got.Version != 2 {
		t.Fatalf("stored %+v", got)
	}
}

// ttWeek is the week view as the tests read it.
type ttWeek struct {
	Week string
	Days []struct {
		Date      ejournal.Date
		SchoolDay bool `json:"school_day"`
		Holiday   string
		Slots     []ejournal.WeekSlot
	}
	Events []ejournal.Event
}

func TestSubstitutionAPI(t *testing.T) {
	t.Parallel()
	w := newTimetableWorld(t)
	ctx := context.Background()
	head := w.as(ttHead)
	e := w.postEntry(t, nil)                                                                                         // Monday, period 2: the teacher's
	w.postEntry(t, map[string]any{"class_id": "$a.class2", "teacher_id": "$a.teacher2", "room": "14", "weekday": 2}) // Tuesday: teacher2's

	// The generated lesson of Monday 8 September, and another lesson of the class.
	const monday = ejournal.Date("2025-09-08")
	lesson := &ejournal.Lesson{ID: ejournal.GeneratedLessonID(e.ID, monday), SchoolID: schoolA, Date: monday, ClassID: w.a["class"], SubjectID: w.a["subject"],
		TeacherID: w.a["teacher"], Period: 2, Source: ejournal.TimetableLesson, TimetableEntryID: e.ID, Room: "12"}
	other := &ejournal.Lesson{SchoolID: schoolA, Date: "2025-09-09", ClassID: w.a["class"], SubjectID: w.a["subject"], TeacherID: w.a["teacher"], Period: 1}
	for _, l := range []*ejournal.Lesson{lesson, other} {
		if err := w.DB.CreateLesson(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.DB.CreateEvent(ctx, &ejournal.Event{SchoolID: schoolA, Title: "Родительское собрание", Date: "2025-09-10", Audience: ejournal.AudienceClasses, ClassIDs: []string{w.a["class"]}}); err != nil {
		t.Fatal(err)
	}
	if err := w.DB.CreateEvent(ctx, &ejournal.Event{SchoolID: schoolA, Title: "Педсовет", Date: "2025-09-11", Audience: ejournal.AudienceStaff}); err != nil {
		t.Fatal(err)
	}

	subs := w.expand("/v1/years/$a.year/substitutions")
	body := map[string]any{"entry_id": e.ID, "date": string(monday), "teacher_id": w.a["teacher2"], "reason": "болезнь"}
	wantError(t, w.as(ttTeacher).Post(t, subs, body), http.StatusForbidden, "")
	wantError(t, head.Post(t, subs, w.body(body, map[string]any{"date": "2025-09-09"})), http.StatusBadRequest, "date")
	wantError(t, head.Post(t, subs, w.body(body, map[string]any{"teacher_id": nil})), http.StatusBadRequest, "teacher_id")
	var sub ejournal.Substitution
	head.Post(t, subs, body).Want(t, http.StatusCreated).Decode(t, &sub)
	if sub.ID == "" || sub.Version != 1 || sub.CreatedBy != "p-head" {
		t.Fatalf("substitution %+v", sub)
	}
	wantError(t, head.Post(t, subs, body), http.StatusConflict, "")

	// The substitute may mark that lesson, and only that one.
	mark := map[string]any{"marks": []map[string]any{{"student_id": ttPupil, "value": 5}}}
	w.as(ttSub).Post(t, "/v1/lessons/"+lesson.ID+"/marks", mark).Want(t, http.StatusCreated)
	wantError(t, w.as(ttSub).Post(t, "/v1/lessons/"+other.ID+"/marks", mark), http.StatusForbidden, "")
	got, err := w.DB.Lesson(ctx, schoolA, lesson.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TeacherID != w.a["teacher2"] || got.RegularTeacherID != w.a["teacher"] {
		t.Fatalf("substituted lesson %+v", got)
	}

	var listed struct{ Items []ejournal.Substitution }
	head.Get(t, subs+"?from=2025-09-01&to=2025-09-30").Want(t, http.StatusOK).Decode(t, &listed)
	if len(listed.Items) != 1 || listed.Items[0].ID != sub.ID {
		t.Fatalf("listed %+v", listed.Items)
	}
	wantError(t, head.Get(t, subs+"?from=September"), http.StatusBadRequest, "from")

	// A parent sees the child's class week with the substitution, bells
	// and the class's event, not the staff's.
	week := w.expand("/v1/classes/$a.class/timetable?week=2025-W37")
	var v ttWeek
	w.as(ttParent).Get(t, week).Want(t, http.StatusOK).Decode(t, &v)
	if v.Week != "2025-W37" || len(v.Days) != 7 || v.Days[0].Date != monday || !v.Days[0].SchoolDay || v.Days[6].SchoolDay {
		t.Fatalf("week %+v", v)
	}
	mon := v.Days[0].Slots
	if len(mon) != 1 || mon[0].SubjectName != "Математика" || mon[0].TeacherName == "" || mon[0].Start != "09:25" || mon[0].Room != "12" || mon[0].ClassName != "5А" {
		t.Fatalf("Monday %+v", mon)
	}
	if s := mon[0].Substitution; s == nil || s.TeacherID != w.a["teacher2"] || s.TeacherName != "Иванова Мария" || s.Cancelled {
		t.Fatalf("Monday's substitution %+v", s)
	}
	if len(v.Events) != 1 || v.Events[0].Title != "Родительское собрание" {
		t.Fatalf("the parent's events %+v", v.Events)
	}
	var next ttWeek
	w.as(ttParent).Get(t, w.expand("/v1/classes/$a.class/timetable?week=2025-W38")).Want(t, http.StatusOK).Decode(t, &next)
	if s := next.Days[0].Slots; len(s) != 1 || s[0].Substitution != nil {
		t.Fatalf("the next Monday has no substitution: %+v", s)
	}

	// A student sees their own class only; staff see every class.
	w.as(ttStudent).Get(t, week).Want(t, http.StatusOK)
	wantError(t, w.as(ttStudent).Get(t, w.expand("/v1/classes/$a.class2/timetable?week=2025-W37")), http.StatusForbidden, "")
	wantError(t, w.as(ttParent).Get(t, w.expand("/v1/classes/$a.class2/timetable?week=2025-W37")), http.StatusForbidden, "")
	var staff ttWeek
	w.as(ttTeacher).Get(t, w.expand("/v1/classes/$a.class2/timetable?week=2025-W37")).Want(t, http.StatusOK).Decode(t, &staff)
	if len(staff.Days[1].Slots) != 1 || len(staff.Events) != 2 {
		t.Fatalf("class2's week for staff: %+v", staff)
	}
	wantError(t, w.as(ttStudent).Get(t, w.expand("/v1/classes/$a.class/timetable?week=2025-W60")), http.StatusBadRequest, "week")
	wantError(t, w.as(ttAdminB).Get(t, week), http.StatusNotFound, "")

	// The substitute's week holds the lesson they take and their own.
	var tw ttWeek
	w.as(ttSub).Get(t, w.expand("/v1/teachers/$a.teacher2/timetable?week=2025-W37")).Want(t, http.StatusOK).Decode(t, &tw)
	if s := tw.Days[0].Slots; len(s) != 1 || s[0].EntryID != e.ID || s[0].Substitution == nil {
		t.Fatalf("the substitute's Monday %+v", s)
	}
	if s := tw.Days[1].Slots; len(s) != 1 || s[0].ClassName != "5Б" {
		t.Fatalf("the substitute's Tuesday %+v", s)
	}
	w.as(ttTeacher).Get(t, w.expand("/v1/teachers/$a.teacher2/timetable?week=2025-W37")).Want(t, http.StatusOK)
	wantError(t, w.as(ttStudent).Get(t, w.expand("/v1/teachers/$a.teacher2/timetable?week=2025-W37")), http.StatusForbidden, "")
	wantError(t, w.as(ttHead).Get(t, w.expand("/v1/teachers/$a.student/timetable?week=2025-W37")), http.StatusNotFound, "")

	// Deleting the substitution gives the lesson back.
	one := subs + "/" + sub.ID
	wantError(t, head.Do(t, http.MethodDelete, one+"?version=2", nil), http.StatusConflict, "")
	head.Do(t, http.MethodDelete, one+"?version="+strconv.FormatInt(sub.Version, 10), nil).Want(t, http.StatusOK)
	got, err = w.DB.Lesson(ctx, schoolA, lesson.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TeacherID != w.a["teacher"] || got.RegularTeacherID != "" {
		t.Fatalf("restored lesson %+v", got)
	}
	wantError(t, w.as(ttSub).Post(t, "/v1/lessons/"+lesson.ID+"/marks", mark), http.StatusForbidden, "")
}

// FuzzTimetableEntryBody posts arbitrary bytes as a timetable entry and as
// a substitution. The server must never fail (5xx) and every answer must
// match the OpenAPI document. Run it with
//
//	go run ./cmd/ejournal with-dynamodb -- go test -run '^$' -fuzz FuzzTimetableEntryBody -fuzztime 30s ./internal/api
func FuzzTimetableEntryBody(f *testing.F) {
	w := newTimetableWorld(f)
	for _, s := range append([]string{
		`{"class_id":"school-a-class","subject_id":"school-a-subject","teacher_id":"school-a-teacher","weekday":1,"period":2}`,
		`{"class_id":"school-a-class","subject_id":"school-a-subject","teacher_id":"school-a-teacher","weekday":6,"period":12,"from":"2026-08-31","until":"2026-08-31","room":"` + strings.Repeat("к", 20) + `"}`,
		`{"weekday":0,"period":13,"from":"2025-02-30","until":"x"}`, `{"entry_id":"x","date":"2025-09-08","teacher_id":"school-a-teacher2"}`,
		`{"entry_id":"x","date":"2025-09-08","cancelled":true,"teacher_id":"school-a-teacher2"}`,
	}, fuzzSeeds...) {
		f.Add([]byte(s))
	}
	c := w.as(ttHead)
	c.LaxRequests = true
	entries, subs := w.expand("/v1/years/$a.year/timetable"), w.expand("/v1/years/$a.year/substitutions")
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{entries, subs} {
			if res := c.Post(t, path, body); res.Status >= http.StatusInternalServerError {
				t.Fatalf("status %d for %s body %q: %s", res.Status, path, body, res.Body)
			}
		}
	})
}
