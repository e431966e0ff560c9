package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// viewWorld is the test world with a second student in the class, four
// lessons with marks and attendance, and the people who read them.
type viewWorld struct {
	*world
	lessons []*ejournal.Lesson
	// child and other are the two students of the class; the parent's
	// child is child.
	child, other string
}

func newViewWorld(t *testing.T) *viewWorld {
	t.Helper()
	toks := apitest.Tokens{}
	w := &viewWorld{world: &world{Env: apitest.New(t, toks)}}
	w.a = w.seed(t, schoolA, "Школа № 1")
	w.b = w.seed(t, schoolB, "Школа № 2")
	a := w.a
	toks["admin"] = &ejournal.Principal{PersonID: "p-admin", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}}
	toks["teacher"] = &ejournal.Principal{PersonID: a["teacher"], SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: a["class"], SubjectID: a["subject"]}}}
	toks["teacher2"] = &ejournal.Principal{PersonID: a["teacher2"], SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: a["class"], SubjectID: "other-subject"}}}
	toks["adminB"] = &ejournal.Principal{PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}}

	ctx := ejournal.WithPrincipal(context.Background(), toks["teacher"])
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []*string{&w.child, &w.other} {
		p := &ejournal.Person{SchoolID: schoolA, Kind: ejournal.Student, LastName: "Петров", FirstName: "Пётр", ClassID: a["class"]}
		must(w.DB.CreatePerson(ctx, p))
		*id = p.ID
	}
	toks["parent"] = &ejournal.Principal{PersonID: "p-parent", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{w.child: a["class"]}}
	toks["student"] = &ejournal.Principal{PersonID: w.child, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: a["class"]}
	for i, date := range []ejournal.Date{"2025-09-01", "2025-09-02", "2025-09-03", "2025-09-04"} {
		l := &ejournal.Lesson{SchoolID: schoolA, Date: date, ClassID: a["class"], SubjectID: a["subject"], TeacherID: a["teacher"], Period: i + 1, Topic: "Дроби", Homework: "№ 12"}
		must(w.DB.CreateLesson(ctx, l))
		w.lessons = append(w.lessons, l)
	}
	// The student: 5 (weight 1), 4 (test, 3), 3 (oral, 1), 5 (independent, 2):
	// 30 / 7 = 4.2857… → average 4.28, suggested 4. The other student:
	// 5, 4 (weight 1), 5, 4 (weight 2): 27 / 6 = 4.5 exactly → 5.
	marks := [][]*ejournal.Mark{
		{{StudentID: w.child, Value: 5, WorkType: "classwork"}, {StudentID: w.other, Value: 5, WorkType: "classwork"}},
		{{StudentID: w.child, Value: 4, WorkType: "test"}, {StudentID: w.other, Value: 4, WorkType: "classwork"}},
		{{StudentID: w.child, Value: 3, WorkType: "oral"}, {StudentID: w.other, Value: 5, WorkType: "independent"}},
		{{StudentID: w.child, Value: 5, WorkType: "independent"}, {StudentID: w.other, Value: 4, WorkType: "independent"}},
	}
	for i, l := range w.lessons {
		must(w.DB.CreateMarks(ctx, l, marks[i]))
		_, _, err := w.DB.SetLessonAttendance(ctx, l, []ejournal.AttendanceRecord{{StudentID: w.child}, {StudentID: w.other, Code: []ejournal.AttendanceCode{"", ejournal.Absent, "", ejournal.Ill}[i]}})
		must(err)
	}
	return w
}

type diaryBody struct {
	Days []struct {
		Date    ejournal.Date `json:"date"`
		Lessons []struct {
			LessonID   string `json:"lesson_id"`
			Subject    string `json:"subject"`
			Topic      string `json:"topic"`
			Attendance string `json:"attendance"`
			Marks      []struct {
				Value int `json:"value"`
			} `json:"marks"`
		} `json:"lessons"`
	} `json:"days"`
	Attendance ejournal.AttendanceTotals `json:"attendance"`
}

func TestDiaryViews(t *testing.T) {
	t.Parallel()
	w := newViewWorld(t)
	diary := func(token, student, query string) *apitest.Response {
		return w.as(token).Get(t, "/v1/students/"+student+"/diary"+query)
	}
	var d diaryBody
	diary("parent", w.child, "?from=2025-09-01&to=2025-09-07").Want(t, http.StatusOK).Decode(t, &d)
	if len(d.Days) != 4 || d.Days[1].Lessons[0].Marks[0].Value != 4 || d.Days[0].Lessons[0].Subject != "Математика" || d.Days[0].Lessons[0].Topic != "Дроби" {
		t.Fatalf("the parent's diary: %+v", d)
	}
	diary("admin", w.other, "?from=2025-09-01&to=2025-09-07").Want(t, http.StatusOK).Decode(t, &d)
	if d.Days[1].Lessons[0].Attendance != "н" || d.Days[3].Lessons[0].Attendance != "б" || d.Attendance.Missed != 2 || d.Attendance.Lessons != 4 {
		t.Fatalf("the other student's diary: %+v", d)
	}
	tests := []struct {
		name, token, student, query string
		status                      int
		field                       string
	}{
		{"the parent, another child", "parent", w.other, "?from=2025-09-01&to=2025-09-07", http.StatusForbidden, ""},
		{"the student, a classmate", "student", w.other, "?from=2025-09-01&to=2025-09-07", http.StatusForbidden, ""},
		{"the student, self", "student", w.child, "?from=2025-09-01&to=2025-09-07", http.StatusOK, ""},
		{"a teacher of the class", "teacher2", w.child, "?from=2025-09-01&to=2025-09-07", http.StatusOK, ""},
		{"another school", "adminB", w.child, "?from=2025-09-01&to=2025-09-07", http.StatusNotFound, ""},
		{"no from", "parent", w.child, "?to=2025-09-07", http.StatusBadRequest, "from"},
		{"to before from", "parent", w.child, "?from=2025-09-07&to=2025-09-01", http.StatusBadRequest, "to"},
		{"63 days", "parent", w.child, "?from=2025-09-01&to=2025-11-02", http.StatusBadRequest, "to"},
		{"62 days", "parent", w.child, "?from=2025-09-01&to=2025-11-01", http.StatusOK, ""},
		{"summary, parent", "parent", w.child, "", http.StatusOK, ""},
	}
	for _, tt := range tests {
		path := "/v1/students/" + tt.student + "/diary" + tt.query
		if tt.query == "" {
			path = "/v1/students/" + tt.student + "/summary?term_id=h1"
		}
		res := w.as(tt.token).Get(t, path)
		if res.Status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, res.Status, tt.status, res.Body)
			continue
		}
		if tt.field != "" {
			var e struct {
				Error struct{ Fields map[string]string } `json:"error"`
			}
			res.Decode(t, &e)
			if _, ok := e.Error.Fields[tt.field]; !ok || len(e.Error.Fields) != 1 {
				t.Errorf("%s: fields %v, want %s", tt.name, e.Error.Fields, tt.field)
			}
		}
	}
}

type gradeBody struct {
	Marks     int      `json:"marks_count"`
	Average   *float64 `json:"average"`
	Suggested string   `json:"suggested"`
}

func TestJournalView(t *testing.T) {
	t.Parallel()
	w := newViewWorld(t)
	var j struct {
		Lessons  []struct{ ID, Topic string }
		Students []struct {
			ID    string `json:"id"`
			Cells map[string]struct {
				Marks []struct {
					ID     string  `json:"id"`
					Value  int     `json:"value"`
					Weight float64 `json:"weight"`
				} `json:"marks"`
				Attendance string `json:"attendance"`
			} `json:"cells"`
			gradeBody
		}
	}
	path := w.expand("/v1/classes/$a.class/journal?subject_id=$a.subject&term_id=h1")
	w.as("teacher").Get(t, path).Want(t, http.StatusOK).Decode(t, &j)
	if len(j.Lessons) != 4 || len(j.Students) != 2 {
		t.Fatalf("journal: %+v", j)
	}
	want := map[string]struct {
		average   float64
		suggested string
	}{w.child: {4.28, "4"}, w.other: {4.5, "5"}}
	for _, s := range j.Students {
		if s.Average == nil || *s.Average != want[s.ID].average || s.Suggested != want[s.ID].suggested || s.Marks != 4 {
			t.Errorf("student %s: %d marks, average %v, suggested %s; want %+v", s.ID, s.Marks, s.Average, s.Suggested, want[s.ID])
		}
	}
	second := j.Students[0]
	if second.ID != w.other {
		second = j.Students[1]
	}
	if c := second.Cells[w.lessons[1].ID]; c.Attendance != "н" || len(c.Marks) != 1 || c.Marks[0].Value != 4 || !strings.HasPrefix(c.Marks[0].ID, w.lessons[1].ID+"_") {
		t.Errorf("cell of lesson 2: %+v", c)
	}

	for _, tt := range []struct {
		name, token, path string
		status            int
	}{
		{"the class teacher", "teacher", path, http.StatusOK},
		{"a teacher of another subject", "teacher2", path, http.StatusForbidden},
		{"a parent", "parent", path, http.StatusForbidden},
		{"no subject", "admin", w.expand("/v1/classes/$a.class/journal?term_id=h1"), http.StatusBadRequest},
		{"unknown term", "admin", w.expand("/v1/classes/$a.class/journal?subject_id=$a.subject&term_id=q9"), http.StatusBadRequest},
		{"another school", "adminB", path, http.StatusNotFound},
		{"overview, administration", "admin", w.expand("/v1/classes/$a.class/overview?term_id=h1"), http.StatusOK},
		{"overview, a teacher of another subject", "teacher2", w.expand("/v1/classes/$a.class/overview?term_id=h1"), http.StatusForbidden},
	} {
		if res := w.as(tt.token).Get(t, tt.path); res.Status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, res.Status, tt.status, res.Body)
		}
	}

	var o struct {
		Students []struct {
			ID         string               `json:"id"`
			Subjects   map[string]gradeBody `json:"subjects"`
			Attendance struct{ Missed int } `json:"attendance"`
		}
	}
	w.as("admin").Get(t, w.expand("/v1/classes/$a.class/overview?term_id=h1")).Want(t, http.StatusOK).Decode(t, &o)
	for _, s := range o.Students {
		g := s.Subjects[w.a["subject"]]
		if g.Suggested != want[s.ID].suggested || (s.ID == w.other) != (s.Attendance.Missed == 2) {
			t.Errorf("overview of %s: %+v", s.ID, s)
		}
	}
	var sum struct {
		Subjects []struct {
			ID    string `json:"id"`
			Marks []any  `json:"marks"`
			gradeBody
		}
	}
	w.as("parent").Get(t, w.expand("/v1/students/"+w.child+"/summary?term_id=h1")).Want(t, http.StatusOK).Decode(t, &sum)
	if len(sum.Subjects) != 1 || len(sum.Subjects[0].Marks) != 4 || sum.Subjects[0].Suggested != "4" {
		t.Errorf("summary: %+v", sum)
	}
}
