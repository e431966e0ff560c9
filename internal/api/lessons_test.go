package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The people of the lesson tests, all of school A's tree (see seed).
const (
	lTeacher  = "l-teacher"  // school-a-teacher: teaches the subject in class
	lTeacher2 = "l-teacher2" // school-a-teacher2: no assignments
	lStudent  = "l-student"  // a student of class
	lParent   = "l-parent"   // a parent of a child in class2
	lAdmin    = "l-admin"    // school A's administrator
	lAdminB   = "l-admin-b"  // school B's administrator
)

var lessonTokens = apitest.Tokens{
	lTeacher: {PersonID: "school-a-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: "school-a-class", SubjectID: "school-a-subject"}}},
	lTeacher2: {PersonID: "school-a-teacher2", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}},
	lStudent:  {PersonID: "school-a-student", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: "school-a-class"},
	lParent:   {PersonID: "p-parent", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"c-1": "school-a-class2"}},
	lAdmin:    {PersonID: "p-admin-a", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}},
	lAdminB:   {PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

func newLessonWorld(tb testing.TB) *world {
	tb.Helper()
	w := &world{Env: apitest.New(tb, lessonTokens)}
	w.a = w.seed(tb, schoolA, "Школа № 1")
	w.b = w.seed(tb, schoolB, "Школа № 2")
	return w
}

// lesson posts a lesson as token and returns it.
func (w *world) lesson(t *testing.T, token string, over map[string]any) ejournal.Lesson {
	t.Helper()
	var l ejournal.Lesson
	w.as(token).Post(t, "/v1/lessons", w.lessonBody(over)).Want(t, http.StatusCreated).Decode(t, &l)
	return l
}

func (w *world) lessonBody(over map[string]any) map[string]any {
	return w.body(map[string]any{"date": "2025-09-02", "class_id": "$a.class", "subject_id": "$a.subject", "period": 1}, over)
}

func lessonTrail(t *testing.T, w *world, id string) []string {
	t.Helper()
	trail, err := w.DB.AuditTrail(context.Background(), schoolA, "lesson", id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action+" by "+e.ActorID)
	}
	return actions
}

func TestLessonLifecycle(t *testing.T) {
	t.Parallel()
	w := newLessonWorld(t)
	teacher := w.as(lTeacher)

	res := teacher.Post(t, "/v1/lessons", w.lessonBody(map[string]any{"topic": "Дроби", "homework": "№ 12", "homework_links": []string{"https://example.org/a"}, "control_work": true})).Want(t, http.StatusCreated)
	var l ejournal.Lesson
	res.Decode(t, &l)
	if l.TeacherID != w.a["teacher"] || l.YearID != w.a["year"] || l.Version != 1 || l.Source != ejournal.ManualLesson || !l.ControlWork || res.Header.Get("Location") != "/v1/lessons/"+l.ID {
		t.Fatalf("created %+v (Location %q)", l, res.Header.Get("Location"))
	}
	var got ejournal.Lesson
	teacher.Get(t, "/v1/lessons/"+l.ID).Want(t, http.StatusOK).Decode(t, &got)
	if got.Topic != "Дроби" || got.Homework != "№ 12" || len(got.HomeworkLinks) != 1 {
		t.Fatalf("read back %+v", got)
	}

	teacher.Patch(t, "/v1/lessons/"+l.ID, map[string]any{"version": 1, "topic": "Сложение дробей", "period": 2}).Want(t, http.StatusOK).Decode(t, &got)
	if got.Topic != "Сложение дробей" || got.Period != 2 || got.Homework != "№ 12" || got.Version != 2 {
		t.Fatalf("patched %+v: topic and period change, homework stays", got)
	}
	wantError(t, teacher.Patch(t, "/v1/lessons/"+l.ID, map[string]any{"version": 1, "topic": "Потерянное"}), http.StatusConflict, "")
	wantError(t, teacher.Patch(t, "/v1/lessons/"+l.ID, map[string]any{"version": 2, "class_id": w.a["class2"]}), http.StatusBadRequest, "class_id")
	wantError(t, teacher.Patch(t, "/v1/lessons/"+l.ID, map[string]any{"topic": "Без версии"}), http.StatusBadRequest, "version")
	wantError(t, teacher.Do(t, http.MethodDelete, "/v1/lessons/"+l.ID+"?version=1", nil), http.StatusConflict, "")
	wantError(t, teacher.Do(t, http.MethodDelete, "/v1/lessons/"+l.ID, nil), http.StatusBadRequest, "version")
	teacher.Do(t, http.MethodDelete, "/v1/lessons/"+l.ID+"?version=2", nil).Want(t, http.StatusOK)
	wantError(t, teacher.Get(t, "/v1/lessons/"+l.ID), http.StatusNotFound, "")

	by := " by " + w.a["teacher"]
	if got, want := lessonTrail(t, w, l.ID), []string{"create" + by, "update" + by, "delete" + by}; !slices.Equal(got, want) {
		t.Fatalf("lesson audit trail %v, want %v", got, want)
	}
}

func TestLessonAccess(t *testing.T) {
	t.Parallel()
	w := newLessonWorld(t)
	ctx := context.Background()
	if err := w.DB.CreateSubject(ctx, &ejournal.Subject{ID: "art", SchoolID: schoolA, Name: "ИЗО", ShortName: "ИЗО"}); err != nil {
		t.Fatal(err)
	}
	own := w.lesson(t, lTeacher, nil)

	for _, tc := range []struct {
		name  string
		token string
		over  map[string]any
	}{
		{"a class the teacher does not teach", lTeacher, map[string]any{"class_id": "$a.class2"}},
		{"a subject the teacher does not teach", lTeacher, map[string]any{"subject_id": "art"}},
		{"a lesson for another teacher", lTeacher, map[string]any{"teacher_id": "$a.teacher2", "period": 3}},
		{"a teacher without assignments naming themself", lTeacher2, map[string]any{"teacher_id": "$a.teacher2", "period": 4}},
		{"a student", lStudent, map[string]any{"period": 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, w.as(tc.token).Post(t, "/v1/lessons", w.lessonBody(tc.over)), http.StatusForbidden, "")
		})
	}
	wantError(t, w.as(lTeacher2).Patch(t, "/v1/lessons/"+own.ID, map[string]any{"version": 1, "topic": "Чужой"}), http.StatusForbidden, "")
	wantError(t, w.as(lTeacher2).Do(t, http.MethodDelete, "/v1/lessons/"+own.ID+"?version=1", nil), http.StatusForbidden, "")
	wantError(t, w.as(lParent).Get(t, "/v1/lessons/"+own.ID), http.StatusForbidden, "")
	wantError(t, w.as(lAdminB).Get(t, "/v1/lessons/"+own.ID), http.StatusNotFound, "")
	w.as(lStudent).Get(t, "/v1/lessons/"+own.ID).Want(t, http.StatusOK)
	wantError(t, w.as(lStudent).Patch(t, "/v1/lessons/"+own.ID, map[string]any{"version": 1, "topic": "Ученик"}), http.StatusForbidden, "")

	// The administration sets a substitute, who may then edit the lesson.
	sub := w.lesson(t, lAdmin, map[string]any{"teacher_id": "$a.teacher2", "period": 6})
	w.as(lTeacher2).Patch(t, "/v1/lessons/"+sub.ID, map[string]any{"version": 1, "topic": "Замена"}).Want(t, http.StatusOK)
	wantError(t, w.as(lAdmin).Post(t, "/v1/lessons", w.lessonBody(map[string]any{"teacher_id": "$a.student", "period": 7})), http.StatusBadRequest, "teacher_id")
	wantError(t, w.as(lAdmin).Post(t, "/v1/lessons", w.lessonBody(map[string]any{"teacher_id": "$a.teacher", "class_id": "$b.class", "period": 7})), http.StatusBadRequest, "class_id")
}

func TestLessonRules(t *testing.T) {
	t.Parallel()
	w := newLessonWorld(t)
	teacher := w.as(lTeacher)
	if err := w.DB.CreateGroup(context.Background(), &ejournal.Group{ID: "g2", SchoolID: schoolA, ClassID: w.a["class"], Name: "2 группа"}); err != nil {
		t.Fatal(err)
	}
	whole := w.lesson(t, lTeacher, map[string]any{"period": 1})
	g1 := w.lesson(t, lTeacher, map[string]any{"period": 2, "group_id": "$a.group"})
	w.lesson(t, lTeacher, map[string]any{"period": 2, "group_id": "g2"}) // the other group in the same period

	for _, tc := range []struct {
		name   string
		over   map[string]any
		status int
		field  string
	}{
		{"before the school year", map[string]any{"date": "2025-08-31", "period": 5}, 400, "date"},
		{"in another school year", map[string]any{"date": "2026-09-01", "period": 5}, 400, "date"},
		{"not a date", map[string]any{"date": "2025-02-30", "period": 5}, 400, "date"},
		{"period 0", map[string]any{"period": 0}, 400, "period"},
		{"a bad link", map[string]any{"period": 5, "homework_links": []string{"javascript:alert(1)"}}, 400, "homework_links[0]"},
		{"a group of another class", map[string]any{"period": 5, "group_id": "$a.group2"}, 400, "group_id"},
		{"the whole class in a taken period", map[string]any{"period": 1}, 409, "period"},
		{"the whole class over group lessons", map[string]any{"period": 2}, 409, "period"},
		{"the same group twice", map[string]any{"period": 2, "group_id": "$a.group"}, 409, "period"},
		{"a group in a whole-class period", map[string]any{"period": 1, "group_id": "g2"}, 409, "period"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := wantError(t, teacher.Post(t, "/v1/lessons", w.lessonBody(tc.over)), tc.status, tc.field)
			if tc.status == 409 && !strings.Contains(e.Message, whole.ID) && !strings.Contains(e.Message, g1.ID) {
				t.Errorf("the clash does not name the existing lesson: %+v", e)
			}
		})
	}
	// Moves keep the rules.
	wantError(t, teacher.Patch(t, "/v1/lessons/"+g1.ID, map[string]any{"version": 1, "period": 1}), 409, "period")
	wantError(t, teacher.Patch(t, "/v1/lessons/"+g1.ID, map[string]any{"version": 1, "date": "2026-09-01"}), 400, "date")
	teacher.Patch(t, "/v1/lessons/"+g1.ID, map[string]any{"version": 1, "date": "2025-09-03", "period": 1}).Want(t, http.StatusOK)
}

func lessonIDs(t *testing.T, res *apitest.Response) []string {
	t.Helper()
	var l struct{ Items []ejournal.Lesson }
	res.Want(t, http.StatusOK).Decode(t, &l)
	ids := []string{}
	for _, x := range l.Items {
		ids = append(ids, x.ID)
	}
	return ids
}

func TestLessonDays(t *testing.T) {
	t.Parallel()
	w := newLessonWorld(t)
	p3 := w.lesson(t, lTeacher, map[string]any{"period": 3})
	p1 := w.lesson(t, lTeacher, map[string]any{"period": 1})
	next := w.lesson(t, lTeacher, map[string]any{"period": 1, "date": "2025-09-03"})
	other := w.lesson(t, lAdmin, map[string]any{"period": 2, "class_id": "$a.class2", "teacher_id": "$a.teacher"})
	w.lesson(t, lAdmin, map[string]any{"period": 2, "teacher_id": "$a.teacher2"})
	sub := w.lesson(t, lAdmin, map[string]any{"period": 4, "teacher_id": "$a.teacher2"})

	class := "/v1/classes/" + w.a["class"] + "/lessons?date=2025-09-02"
	for _, token := range []string{lTeacher, lStudent, lAdmin} {
		if got := lessonIDs(t, w.as(token).Get(t, class)); len(got) != 4 || got[0] != p1.ID || got[2] != p3.ID || got[3] != sub.ID {
			t.Errorf("%s: class day %v, want 4 lessons by period starting %s", token, got, p1.ID)
		}
	}
	if got := lessonIDs(t, w.as(lStudent).Get(t, "/v1/classes/"+w.a["class"]+"/lessons?date=2025-09-03")); !slices.Equal(got, []string{next.ID}) {
		t.Errorf("next day %v", got)
	}
	wantError(t, w.as(lParent).Get(t, class), http.StatusForbidden, "")
	wantError(t, w.as(lTeacher2).Get(t, "/v1/classes/"+w.a["class2"]+"/lessons?date=2025-09-02"), http.StatusForbidden, "")
	wantError(t, w.as(lAdminB).Get(t, class), http.StatusNotFound, "")
	wantError(t, w.as(lAdmin).Get(t, "/v1/classes/"+w.a["class"]+"/lessons?date=2.9.2025"), http.StatusBadRequest, "date")

	mine := "/v1/teachers/" + w.a["teacher"] + "/lessons?date=2025-09-02"
	want := []string{p1.ID, other.ID, p3.ID}
	if got := lessonIDs(t, w.as(lTeacher).Get(t, mine)); !slices.Equal(got, want) {
		t.Errorf("teacher's own day %v, want %v", got, want)
	}
	if got := lessonIDs(t, w.as(lAdmin).Get(t, mine)); !slices.Equal(got, want) {
		t.Errorf("teacher's day for the administrator %v, want %v", got, want)
	}
	wantError(t, w.as(lTeacher2).Get(t, mine), http.StatusForbidden, "")
	w.as(lTeacher).Get(t, "/v1/teachers/"+w.a["teacher"]+"/lessons").Want(t, http.StatusOK) // today
}

// currentYear is the year of tree t that contains today in the school's
// time zone, or "".
func currentYear(t *testing.T, w *world) string {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Yekaterinburg")
	today := ejournal.DateOf(time.Now().In(loc))
	for _, key := range []string{"year", "year2"} {
		y, err := w.DB.Year(context.Background(), schoolA, w.a[key])
		if err != nil {
			t.Fatal(err)
		}
		if y.Start <= today && today <= y.End {
			return y.ID
		}
	}
	return ""
}

func TestGradingSettingsAndWorkTypes(t *testing.T) {
	t.Parallel()
	w := newLessonWorld(t)
	year := "?year_id=" + w.a["year"]

	var types struct {
		YearID string `json:"year_id"`
		Items  []ejournal.WorkType
	}
	w.as(lStudent).Get(t, "/v1/work-types"+year).Want(t, http.StatusOK).Decode(t, &types)
	def := ejournal.DefaultGradingSettings(schoolA, w.a["year"])
	if types.YearID != w.a["year"] || len(types.Items) != len(def.WorkTypes) || !types.Items[0].Default || types.Items[0].ID != "classwork" {
		t.Fatalf("default work types %+v", types)
	}
	var g ejournal.GradingSettings
	w.as(lTeacher).Get(t, "/v1/grading-settings"+year).Want(t, http.StatusOK).Decode(t, &g)
	if g.Version != 0 || g.EditWindowDays != 7 || g.Averaging != ejournal.Weighted {
		t.Fatalf("default settings %+v", g)
	}
	wantError(t, w.as(lAdmin).Get(t, "/v1/grading-settings?year_id=nope"), http.StatusNotFound, "")
	wantError(t, w.as(lAdminB).Get(t, "/v1/grading-settings"+year), http.StatusNotFound, "")
	if cur := currentYear(t, w); cur == "" {
		wantError(t, w.as(lTeacher).Get(t, "/v1/work-types"), http.StatusBadRequest, "year_id")
	} else {
		w.as(lTeacher).Get(t, "/v1/work-types").Want(t, http.StatusOK).Decode(t, &types)
		if types.YearID != cur {
			t.Errorf("work types without year_id are of %s, want the current year %s", types.YearID, cur)
		}
	}

	body := map[string]any{
		"version": 0, "averaging": "weighted", "round_up_from": 0.6, "edit_window_days": 3, "min_marks_for_term": 3, "allow_one": false,
		"work_types": []map[string]any{{"id": "classwork", "name": "Работа на уроке", "weight": 1, "default": true}, {"id": "test", "name": "Контрольная", "weight": 2.5}},
	}
	wantError(t, w.as(lTeacher).Do(t, http.MethodPut, "/v1/grading-settings"+year, body), http.StatusForbidden, "")
	w.as(lAdmin).Do(t, http.MethodPut, "/v1/grading-settings"+year, body).Want(t, http.StatusOK).Decode(t, &g)
	if g.Version != 1 || g.RoundUpFrom != 60 || len(g.WorkTypes) != 2 || g.WorkTypes[1].Weight != 250 {
		t.Fatalf("saved settings %+v", g)
	}
	wantError(t, w.as(lAdmin).Do(t, http.MethodPut, "/v1/grading-settings"+year, body), http.StatusConflict, "")
	for _, tc := range []struct {
		field string
		over  map[string]any
	}{
		{"work_types[1].weight", map[string]any{"work_types": []map[string]any{{"id": "classwork", "name": "Работа", "weight": 1, "default": true}, {"id": "test", "name": "К/р", "weight": 2.55}}}},
		{"work_types", map[string]any{"work_types": []map[string]any{{"id": "classwork", "name": "Работа", "weight": 1}}}},
		{"round_up_from", map[string]any{"round_up_from": 0.4}},
		{"version", map[string]any{"version": nil}},
		{"year_id", map[string]any{"year_id": w.a["year2"]}},
	} {
		b := w.body(body, tc.over)
		if _, ok := tc.over["version"]; !ok {
			b["version"] = 1
		}
		wantError(t, w.as(lAdmin).Do(t, http.MethodPut, "/v1/grading-settings"+year, b), http.StatusBadRequest, tc.field)
	}
	wantError(t, w.as(lAdmin).Do(t, http.MethodPut, "/v1/grading-settings", body), http.StatusBadRequest, "year_id")

	w.as(lTeacher).Get(t, "/v1/work-types"+year).Want(t, http.StatusOK).Decode(t, &types)
	if len(types.Items) != 2 || types.Items[1].Weight != 250 {
		t.Fatalf("work types after the change %+v", types)
	}
	// The other year keeps its defaults.
	w.as(lTeacher).Get(t, "/v1/grading-settings?year_id="+w.a["year2"]).Want(t, http.StatusOK).Decode(t, &g)
	if g.Version != 0 || len(g.WorkTypes) != len(def.WorkTypes) {
		t.Fatalf("the other year's settings %+v, want the defaults", g)
	}
	trail, err := w.DB.AuditTrail(context.Background(), schoolA, "grading", w.a["year"])
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 1 || trail[0].Action != "create" || trail[0].ActorID != "p-admin-a" {
		t.Fatalf("settings audit trail %+v", trail)
	}
}
