package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/api"
	"ejournal/internal/apitest"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// The attendance world: class aClass1 (class teacher aCT) with its maths
// teacher aT1, class aClass2 with aT2; lesson aL1 of aClass1 and aL2 of
// aClass2. Students are a-st01.. in aClass1 and a-other in aClass2.
const (
	aClass1, aClass2, aMath = "a-c1", "a-c2", "a-math"
	aT1, aT2, aCT           = "a-t1", "a-t2", "a-ct"
	aL1, aL2                = "a-l1", "a-l2"
	aOther                  = "a-other"
)

var attendanceTokens = apitest.Tokens{
	"t1":      {PersonID: aT1, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: aClass1, SubjectID: aMath}}},
	"t2":      {PersonID: aT2, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: aClass2, SubjectID: aMath}}},
	"ct":      {PersonID: aCT, SchoolID: schoolA, FullName: "Наумова Ольга Петровна", Roles: []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}, ClassTeacherOf: []string{aClass1}},
	"parent":  {PersonID: "a-parent", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"a-st01": aClass1}},
	"student": {PersonID: "a-st02", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: aClass1},
	"adminB":  {PersonID: "b-admin", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

// attStudent is the id of the i-th student (from 1) of aClass1.
func attStudent(i int) string { return fmt.Sprintf("a-st%02d", i) }

// seedAttendance writes school A with students students in aClass1 and the
// two lessons (aL1 on 2025-09-02, aL2 on 2025-09-03), and school B.
func seedAttendance(tb testing.TB, db *dynamo.DB, students int) {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	for _, sid := range []string{schoolA, schoolB} {
		must(db.CreateSchool(ctx, &ejournal.School{ID: sid, Name: "Школа " + sid, TimeZone: "Asia/Yekaterinburg"}))
	}
	must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: "a-y", SchoolID: schoolA, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: "2025-09-01", End: "2025-12-31"}, {ID: "h2", Name: "II", Start: "2026-01-09", End: "2026-05-31"}}}))
	for _, id := range []string{aT1, aT2, aCT} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: id, SchoolID: schoolA, Kind: ejournal.Staff, LastName: "Учителева", FirstName: "Анна"}))
	}
	must(db.CreateClass(ctx, &ejournal.Class{ID: aClass1, SchoolID: schoolA, YearID: "a-y", Grade: 5, Letter: "А", ClassTeacherID: aCT}))
	must(db.CreateClass(ctx, &ejournal.Class{ID: aClass2, SchoolID: schoolA, YearID: "a-y", Grade: 5, Letter: "Б"}))
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: aMath, SchoolID: schoolA, Name: "Математика", ShortName: "Матем"}))
	for i := 1; i <= students; i++ {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: attStudent(i), SchoolID: schoolA, Kind: ejournal.Student, LastName: fmt.Sprintf("Ученик%02d", i), FirstName: "Иван", ClassID: aClass1}))
	}
	must(db.CreatePerson(ctx, &ejournal.Person{ID: aOther, SchoolID: schoolA, Kind: ejournal.Student, LastName: "Другой", FirstName: "Пётр", ClassID: aClass2}))
	must(db.CreateLesson(ctx, &ejournal.Lesson{ID: aL1, SchoolID: schoolA, Date: "2025-09-02", ClassID: aClass1, SubjectID: aMath, TeacherID: aT1, Period: 1}))
	must(db.CreateLesson(ctx, &ejournal.Lesson{ID: aL2, SchoolID: schoolA, Date: "2025-09-03", ClassID: aClass2, SubjectID: aMath, TeacherID: aT2, Period: 1}))
}

func newAttendance(tb testing.TB) *apitest.Env {
	tb.Helper()
	env := apitest.New(tb, attendanceTokens)
	seedAttendance(tb, env.DB, 3)
	return env
}

// attBody is a PUT body: students a-st01.. with codes in order.
func attBody(codes ...string) map[string]any {
	records := make([]map[string]any, len(codes))
	for i, c := range codes {
		records[i] = map[string]any{"student_id": attStudent(i + 1), "code": c}
	}
	return map[string]any{"records": records}
}

type attResult struct {
	Records []ejournal.AttendanceRecord `json:"records"`
	Changed int                         `json:"changed"`
}

func putAttendance(t *testing.T, c apitest.Client, lesson string, body any, status int) attResult {
	t.Helper()
	var out attResult
	res := c.Do(t, http.MethodPut, "/v1/lessons/"+lesson+"/attendance", body).Want(t, status)
	if status == http.StatusOK {
		res.Decode(t, &out)
	}
	return out
}

// lessonCodes reads a lesson's codes by student through the API.
func lessonCodes(t *testing.T, c apitest.Client, lesson string) map[string]ejournal.AttendanceCode {
	t.Helper()
	var out struct{ Items []ejournal.AttendanceRecord }
	c.Get(t, "/v1/lessons/"+lesson+"/attendance").Want(t, http.StatusOK).Decode(t, &out)
	codes := map[string]ejournal.AttendanceCode{}
	for _, r := range out.Items {
		codes[r.StudentID] = r.Code
	}
	return codes
}

func auditActions(t *testing.T, db *dynamo.DB, lesson, student string) []*ejournal.AuditEntry {
	t.Helper()
	entries, err := db.AuditTrail(t.Context(), schoolA, "attendance", lesson+"_"+student)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestSetLessonAttendanceThroughAPI(t *testing.T) {
	t.Parallel()
	env := newAttendance(t)
	t1 := env.Client.As("t1")

	first := putAttendance(t, t1, aL1, attBody("", " Н ", "п"), http.StatusOK)
	if first.Changed != 3 || len(first.Records) != 3 || first.Records[1].Code != ejournal.Absent || first.Records[2].Code != ejournal.Late {
		t.Fatalf("first PUT = %+v", first)
	}
	again := putAttendance(t, t1, aL1, attBody("", "н", "о"), http.StatusOK)
	if again.Changed != 0 || len(again.Records) != 3 {
		t.Fatalf("the same PUT again = %+v, want nothing changed", again)
	}
	changed := putAttendance(t, t1, aL1, attBody("б", "н", ""), http.StatusOK)
	if changed.Changed != 2 {
		t.Fatalf("two codes changed: %+v", changed)
	}
	for student, want := range map[string][]string{attStudent(1): {"create", "update"}, attStudent(2): {"create"}, attStudent(3): {"create", "update"}} {
		entries := auditActions(t, env.DB, aL1, student)
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
			if e.ActorID != aT1 {
				t.Errorf("%s: audit actor %q", student, e.ActorID)
			}
		}
		if fmt.Sprint(actions) != fmt.Sprint(want) {
			t.Errorf("%s: audit %v, want %v", student, actions, want)
		}
	}
	if got := lessonCodes(t, t1, aL1); len(got) != 3 || got[attStudent(1)] != ejournal.Ill || got[attStudent(3)] != ejournal.Present {
		t.Fatalf("stored %v", got)
	}

	// Who may: another teacher's lesson is forbidden, another school's unknown.
	putAttendance(t, t1, aL2, map[string]any{"records": []map[string]any{{"student_id": aOther, "code": "н"}}}, http.StatusForbidden)
	env.Client.As("t2").Get(t, "/v1/lessons/"+aL1+"/attendance").Want(t, http.StatusForbidden)
	env.Client.As("student").Get(t, "/v1/lessons/"+aL1+"/attendance").Want(t, http.StatusForbidden)
	putAttendance(t, env.Client.As("adminB"), aL1, attBody("н"), http.StatusNotFound)
	putAttendance(t, t1, "a-nope", attBody("н"), http.StatusNotFound)
	if got := lessonCodes(t, env.Client.As("t2"), aL2); len(got) != 0 {
		t.Fatalf("lesson 2 got %v", got)
	}
}

func TestSetLessonAttendanceRefusesBadRequests(t *testing.T) {
	t.Parallel()
	env := newAttendance(t)
	t1 := env.Client.As("t1")
	otherClass := attBody("н", "")
	otherClass["records"] = append(otherClass["records"].([]map[string]any), map[string]any{"student_id": aOther, "code": "б"})
	duplicate := attBody("н", "")
	duplicate["records"].([]map[string]any)[1]["student_id"] = attStudent(1)
	for _, tc := range []struct {
		name   string
		body   any
		fields []string
	}{
		{"unknown code", attBody("н", "x", "H"), []string{"records[1].code", "records[2].code"}},
		{"student of another class", otherClass, []string{"records[2].student_id"}},
		{"student not in the school", map[string]any{"records": []map[string]any{{"student_id": "nobody", "code": ""}}}, []string{"records[0].student_id"}},
		{"duplicate student", duplicate, []string{"records[1].student_id"}},
		{"no records", map[string]any{}, []string{"records"}},
		{"wrong type", `{"records":[{"student_id":"a-st01","code":1}]}`, []string{"records.code"}},
		{"unknown field", `{"records":[],"lesson":"x"}`, []string{"lesson"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := t1.Do(t, http.MethodPut, "/v1/lessons/"+aL1+"/attendance", tc.body).Want(t, http.StatusBadRequest)
			e := res.Error(t)
			for _, f := range tc.fields {
				if e.Fields[f] == "" {
					t.Errorf("error %+v does not name %s", e, f)
				}
			}
			if len(e.Fields) != len(tc.fields) {
				t.Errorf("error fields %v, want %v", e.Fields, tc.fields)
			}
		})
	}
	if got := lessonCodes(t, t1, aL1); len(got) != 0 {
		t.Fatalf("a refused request wrote %v", got)
	}
	if entries := auditActions(t, env.DB, aL1, attStudent(1)); len(entries) != 0 {
		t.Fatalf("a refused request audited %d entries", len(entries))
	}
}

func TestJustifyAttendanceThroughAPI(t *testing.T) {
	t.Parallel()
	env := newAttendance(t)
	putAttendance(t, env.Client.As("t1"), aL1, attBody("н", "б", "о"), http.StatusOK)
	justify := func(token, student string, body any, status int) *apitest.Response {
		t.Helper()
		return env.Client.As(token).Post(t, "/v1/lessons/"+aL1+"/attendance/"+student+"/justify", body).Want(t, status)
	}
	note := map[string]any{"reason": "Записка от мамы"}
	justify("t1", attStudent(1), note, http.StatusForbidden)
	justify("parent", attStudent(1), note, http.StatusForbidden)
	justify("adminB", attStudent(1), note, http.StatusNotFound)
	justify("ct", aOther, note, http.StatusNotFound)
	for _, tc := range []struct {
		name    string
		student string
		body    any
		fields  []string
	}{
		{"late is not an absence", attStudent(3), note, []string{"code"}},
		{"no reason", attStudent(1), map[string]any{"reason": " "}, []string{"reason"}},
		{"to н", attStudent(1), map[string]any{"reason": "ОРВИ", "code": "н"}, []string{"code"}},
		{"an unknown code", attStudent(1), map[string]any{"reason": "ОРВИ", "code": "b"}, []string{"code"}},
		{"a negative version", attStudent(1), map[string]any{"reason": "ОРВИ", "version": -1}, []string{"version"}},
		{"a document on two lines", attStudent(1), map[string]any{"reason": "ОРВИ", "document": "справка\nот врача"}, []string{"document"}},
		{"an unknown field", attStudent(1), map[string]any{"reason": "ОРВИ", "by": aCT}, []string{"by"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := justify("ct", tc.student, tc.body, http.StatusBadRequest).Error(t)
			if len(e.Fields) != len(tc.fields) || e.Fields[tc.fields[0]] == "" {
				t.Errorf("error %+v, want the fields %v", e, tc.fields)
			}
		})
	}

	// The body of old, a reason alone, excuses (у).
	var rec ejournal.AttendanceRecord
	justify("ct", attStudent(1), note, http.StatusOK).Decode(t, &rec)
	if rec.Code != ejournal.Excused || rec.Reason != "Записка от мамы" || rec.JustifiedBy != aCT || rec.JustifiedByName != "Наумова Ольга Петровна" ||
		rec.JustifiedAt.IsZero() || rec.Version != 2 {
		t.Fatalf("justified %+v", rec)
	}
	// Sent again: the same record, nothing written.
	justify("ct", attStudent(1), note, http.StatusOK).Decode(t, &rec)
	if rec.Version != 2 {
		t.Fatalf("the same justification again made version %d", rec.Version)
	}
	// The certificate comes: у becomes б, on the version the screen saw.
	ill := map[string]any{"reason": "ОРВИ", "code": " Б ", "document": " справка № 12 ", "version": 1}
	justify("ct", attStudent(1), ill, http.StatusConflict)
	ill["version"] = 2
	justify("ct", attStudent(1), ill, http.StatusOK).Decode(t, &rec)
	if rec.Code != ejournal.Ill || rec.Reason != "ОРВИ" || rec.Document != "справка № 12" || rec.Version != 3 {
		t.Fatalf("justified as ill %+v", rec)
	}
	entries := auditActions(t, env.DB, aL1, attStudent(1))
	if last := entries[len(entries)-1]; len(entries) != 3 || last.ActorID != aCT || last.Reason != "ОРВИ" || last.Action != "update" {
		t.Fatalf("audit %d entries, last %+v", len(entries), last)
	}
	// The teacher's б gets its reason; an administrator may justify too.
	justify("ct", attStudent(2), map[string]any{"reason": "Грипп", "code": "б"}, http.StatusOK).Decode(t, &rec)
	if rec.Code != ejournal.Ill || rec.Reason != "Грипп" || rec.Version != 2 {
		t.Fatalf("the teacher's б justified %+v", rec)
	}
	if got := lessonCodes(t, env.Client.As("t1"), aL1); got[attStudent(1)] != ejournal.Ill || got[attStudent(2)] != ejournal.Ill || got[attStudent(3)] != ejournal.Late {
		t.Fatalf("stored %v", got)
	}
}

// absencesAnswer is the answer of GET /v1/classes/{id}/absences.
type absencesAnswer struct {
	From, To ejournal.Date
	Items    []struct {
		LessonID        string `json:"lesson_id"`
		Date            ejournal.Date
		Period          int
		SubjectID       string `json:"subject_id"`
		SubjectName     string `json:"subject_name"`
		StudentID       string `json:"student_id"`
		StudentName     string `json:"student_name"`
		Code            ejournal.AttendanceCode
		Reason          string
		Document        string
		JustifiedBy     string `json:"justified_by"`
		JustifiedByName string `json:"justified_by_name"`
		Version         int64
	}
}

func TestClassAbsencesThroughAPI(t *testing.T) {
	t.Parallel()
	c := dynamotest.Client(t)
	counter := &requestCounter{API: c}
	db := dynamo.New(counter, dynamotest.NewTable(t, c))
	seedAttendance(t, db, 3)
	s := &api.Server{Directory: db, Lessons: db, Attendance: db, Auth: attendanceTokens, Logger: slog.New(slog.DiscardHandler)}
	client := apitest.Client{Handler: s.Handler(api.FuncAttendance), Doc: apitest.API(t)}
	ctx := ejournal.WithPrincipal(context.Background(), &ejournal.Principal{PersonID: aT1, SchoolID: schoolA})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: "a-rus", SchoolID: schoolA, Name: "Русский язык", ShortName: "Рус"}))
	// A student who has left aClass1 for aClass2 keeps an absence of aClass1.
	must(db.CreatePerson(ctx, &ejournal.Person{ID: "a-left", SchoolID: schoolA, Kind: ejournal.Student, LastName: "Ушедший", FirstName: "Олег", ClassID: aClass2}))
	lessons := map[string]*ejournal.Lesson{}
	for _, l := range []*ejournal.Lesson{
		{ID: "a-l1r", SchoolID: schoolA, Date: "2025-09-02", ClassID: aClass1, SubjectID: "a-rus", TeacherID: aCT, Period: 3},
		{ID: "a-l1m", SchoolID: schoolA, Date: "2025-09-10", ClassID: aClass1, SubjectID: aMath, TeacherID: aT1, Period: 1},
		{ID: "a-l1o", SchoolID: schoolA, Date: "2025-10-01", ClassID: aClass1, SubjectID: aMath, TeacherID: aT1, Period: 1},
	} {
		must(db.CreateLesson(ctx, l))
		lessons[l.ID] = l
	}
	t1 := client.As("t1")
	putAttendance(t, t1, aL1, attBody("", "н", "о"), http.StatusOK)
	putAttendance(t, client.As("ct"), "a-l1r", attBody("б", "", "н"), http.StatusOK)
	putAttendance(t, t1, "a-l1m", attBody("н", "у", ""), http.StatusOK)
	putAttendance(t, t1, "a-l1o", attBody("н", "н", "н"), http.StatusOK)
	putAttendance(t, client.As("t2"), aL2, map[string]any{"records": []map[string]any{{"student_id": aOther, "code": "н"}}}, http.StatusOK)
	_, _, err := db.SetLessonAttendance(ctx, lessons["a-l1m"], []ejournal.AttendanceRecord{{StudentID: "a-left", Code: ejournal.Absent}})
	must(err)
	client.As("ct").Post(t, "/v1/lessons/a-l1m/attendance/"+attStudent(1)+"/justify", map[string]any{"reason": "ОРВИ", "code": "б", "document": "справка"}).Want(t, http.StatusOK)

	counter.n.Store(0)
	var got absencesAnswer
	client.As("ct").Get(t, "/v1/classes/a-c1/absences?from=2025-09-01&to=2025-09-30").Want(t, http.StatusOK).Decode(t, &got)
	// The class, then the absences, the roster and the subjects, then the student who left.
	if n := counter.n.Load(); n != 5 {
		t.Errorf("the absences took %d requests, want 5", n)
	}
	var rows []string
	for _, a := range got.Items {
		rows = append(rows, fmt.Sprintf("%s %d %s %s %s %s %s|%s|%s", a.Date, a.Period, a.SubjectName, a.StudentID, a.StudentName, a.Code, a.Reason, a.Document, a.JustifiedByName))
	}
	want := []string{
		"2025-09-02 1 Математика a-st02 Ученик02 Иван н ||",
		"2025-09-02 3 Русский язык a-st01 Ученик01 Иван б ||",
		"2025-09-02 3 Русский язык a-st03 Ученик03 Иван н ||",
		"2025-09-10 1 Математика a-st01 Ученик01 Иван б ОРВИ|справка|Наумова Ольга Петровна",
		"2025-09-10 1 Математика a-st02 Ученик02 Иван у ||",
		"2025-09-10 1 Математика a-left Ушедший Олег н ||",
	}
	if got.From != "2025-09-01" || got.To != "2025-09-30" || fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("absences %s..%s:\n%s\nwant\n%s", got.From, got.To, strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if a := got.Items[3]; a.LessonID != "a-l1m" || a.SubjectID != aMath || a.JustifiedBy != aCT || a.Version != 2 {
		t.Errorf("the justified absence: %+v", a)
	}

	var none absencesAnswer
	client.As("ct").Get(t, "/v1/classes/a-c1/absences?from=2025-11-01&to=2025-11-30").Want(t, http.StatusOK).Decode(t, &none)
	if none.Items == nil || len(none.Items) != 0 {
		t.Errorf("a period without absences: %+v, want an empty list", none)
	}
	for _, tc := range []struct {
		token, target string
		status        int
	}{
		{"t1", "/v1/classes/a-c1/absences?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"parent", "/v1/classes/a-c1/absences?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"student", "/v1/classes/a-c1/absences?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"ct", "/v1/classes/a-c2/absences?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"adminB", "/v1/classes/a-c1/absences?from=2025-09-01&to=2025-09-30", http.StatusNotFound},
		{"ct", "/v1/classes/a-nope/absences?from=2025-09-01&to=2025-09-30", http.StatusNotFound},
		{"ct", "/v1/classes/a-c1/absences?from=2025-09-30&to=2025-09-01", http.StatusBadRequest},
		{"ct", "/v1/classes/a-c1/absences?from=2025-09-01", http.StatusBadRequest},
	} {
		client.As(tc.token).Get(t, tc.target).Want(t, tc.status)
	}
}

// attendanceTotalsAnswer is the answer of the totals routes.
type attendanceTotalsAnswer struct {
	Totals   ejournal.AttendanceTotals
	Students []struct {
		StudentID string `json:"student_id"`
		Totals    ejournal.AttendanceTotals
	}
}

func TestAttendanceTotalsThroughAPI(t *testing.T) {
	t.Parallel()
	env := newAttendance(t)
	db := env.DB
	ctx := ejournal.WithPrincipal(context.Background(), &ejournal.Principal{PersonID: aT1, SchoolID: schoolA})
	// Three more lessons of aClass1: 3 and 4 September, and 1 October.
	for i, date := range []ejournal.Date{"2025-09-03", "2025-09-04", "2025-10-01"} {
		if err := db.CreateLesson(ctx, &ejournal.Lesson{ID: fmt.Sprintf("a-l1%d", i), SchoolID: schoolA, Date: date, ClassID: aClass1, SubjectID: aMath, TeacherID: aT1, Period: 2}); err != nil {
			t.Fatal(err)
		}
	}
	t1 := env.Client.As("t1")
	for lesson, codes := range map[string][]string{
		aL1:     {"", "н", "о"},
		"a-l10": {"б", "н", ""},
		"a-l11": {"б", "у", ""},
		"a-l12": {"н", "", ""},
	} {
		putAttendance(t, t1, lesson, attBody(codes...), http.StatusOK)
	}
	putAttendance(t, env.Client.As("t2"), aL2, map[string]any{"records": []map[string]any{{"student_id": aOther, "code": "н"}}}, http.StatusOK)
	for _, tc := range []struct {
		token, target string
		want          ejournal.AttendanceTotals
	}{
		// a-st01 in September: present, ill, ill → 1 of 3 lessons.
		{"parent", "/v1/students/a-st01/attendance?from=2025-09-01&to=2025-09-30", ejournal.AttendanceTotals{Lessons: 3, Present: 1, Missed: 2, Ill: 2, Percent: 3333}},
		{"ct", "/v1/students/a-st01/attendance?from=2025-09-01&to=2025-12-31", ejournal.AttendanceTotals{Lessons: 4, Present: 1, Missed: 3, Ill: 2, Unexcused: 1, Percent: 2500}},
		{"student", "/v1/students/a-st02/attendance?from=2025-09-02&to=2025-09-03", ejournal.AttendanceTotals{Lessons: 2, Missed: 2, Unexcused: 2}},
		{"t1", "/v1/students/a-st03/attendance?from=2025-09-01&to=2025-10-01", ejournal.AttendanceTotals{Lessons: 4, Present: 3, Late: 1, Percent: 10000}},
		{"t1", "/v1/students/a-st03/attendance?from=2026-01-01&to=2026-01-31", ejournal.AttendanceTotals{}},
	} {
		var got attendanceTotalsAnswer
		env.Client.As(tc.token).Get(t, tc.target).Want(t, http.StatusOK).Decode(t, &got)
		if got.Totals != tc.want {
			t.Errorf("%s as %s = %+v, want %+v", tc.target, tc.token, got.Totals, tc.want)
		}
	}
	var class attendanceTotalsAnswer
	env.Client.As("ct").Get(t, "/v1/classes/a-c1/attendance?from=2025-09-01&to=2025-09-30").Want(t, http.StatusOK).Decode(t, &class)
	// Nine student-lessons: present 1+0+2 ... by code: "" ×3, н ×2, о, б ×2, у.
	want := ejournal.AttendanceTotals{Lessons: 9, Present: 3, Late: 1, Missed: 5, Ill: 2, Excused: 1, Unexcused: 2, Percent: 4444}
	if class.Totals != want || len(class.Students) != 3 || class.Students[1].StudentID != attStudent(2) || class.Students[1].Totals.Missed != 3 {
		t.Errorf("class totals = %+v, want %+v and three students", class, want)
	}

	for _, tc := range []struct {
		token, target string
		status        int
	}{
		{"parent", "/v1/students/a-st02/attendance?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"t2", "/v1/classes/a-c1/attendance?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"parent", "/v1/classes/a-c1/attendance?from=2025-09-01&to=2025-09-30", http.StatusForbidden},
		{"adminB", "/v1/classes/a-c1/attendance?from=2025-09-01&to=2025-09-30", http.StatusNotFound},
		{"adminB", "/v1/students/a-st01/attendance?from=2025-09-01&to=2025-09-30", http.StatusNotFound},
		{"ct", "/v1/classes/a-c1/attendance?from=2025-09-30&to=2025-09-01", http.StatusBadRequest},
		{"ct", "/v1/students/a-st01/attendance?from=2025-09-01", http.StatusBadRequest},
	} {
		env.Client.As(tc.token).Get(t, tc.target).Want(t, tc.status)
	}
}

// FuzzAttendanceRequest sends arbitrary bytes as the body of a lesson's
// attendance. The server must never fail (5xx) and every answer must match
// the OpenAPI document, errors included. Run it for real with
//
//	go run ./cmd/ejournal with-dynamodb -- go test -run '^$' -fuzz FuzzAttendanceRequest -fuzztime 30s ./internal/api
func FuzzAttendanceRequest(f *testing.F) {
	env := newAttendance(f)
	for _, s := range append(fuzzSeeds,
		`{"records":[]}`, `{"records":null}`, `{"records":{}}`, `{"records":[null]}`, `{"records":[{}]}`,
		`{"records":[{"student_id":"a-st01","code":"н"}]}`, `{"records":[{"student_id":"a-st01","code":"Н"},{"student_id":"a-st02","code":" п "}]}`,
		`{"records":[{"student_id":"a-st01","code":"н"},{"student_id":"a-st01","code":"б"}]}`,
		`{"records":[{"student_id":"a-other","code":"н"}]}`, `{"records":[{"student_id":"a#st01","code":"н"}]}`,
		`{"records":[{"student_id":"a-st01","code":"\u0000"}]}`, `{"records":[{"student_id":"a-st01","code":"нн"}]}`,
		`{"records":[{"student_id":"a-st01","code":"н","extra":1}]}`, `{"records":[{"student_id":1,"code":"н"}]}`,
	) {
		f.Add([]byte(s))
	}
	c := env.Client.As("t1")
	c.LaxRequests = true
	f.Fuzz(func(t *testing.T, body []byte) {
		res := c.Do(t, http.MethodPut, "/v1/lessons/"+aL1+"/attendance", body)
		if res.Status >= http.StatusInternalServerError {
			t.Fatalf("status %d for body %q: %s", res.Status, body, res.Body)
		}
	})
}

// requestCounter is the real client with a count of every request.
type requestCounter struct {
	dynamo.API
	n atomic.Int64
}

func (c *requestCounter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.API.GetItem(ctx, in, opts...)
}

func (c *requestCounter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.API.Query(ctx, in, opts...)
}

func (c *requestCounter) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.n.Add(1)
	return c.API.PutItem(ctx, in, opts...)
}

func (c *requestCounter) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.n.Add(1)
	return c.API.TransactWriteItems(ctx, in, opts...)
}

func (c *requestCounter) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.n.Add(1)
	return c.API.BatchWriteItem(ctx, in, opts...)
}

// BenchmarkAttendance reports the DynamoDB requests of PUT
// /v1/lessons/{id}/attendance for a 30-student lesson, every request of the
// handler counted (the lesson, the class roster, the lesson's records and
// the write): "set" changes every student's code (the first run creates
// the records, later runs flip each code), "repeat" sends the stored state
// again.
func BenchmarkAttendance(b *testing.B) {
	c := dynamotest.Client(b)
	counter := &requestCounter{API: c}
	db := dynamo.New(counter, dynamotest.NewTable(b, c))
	seedAttendance(b, db, 30)
	s := &api.Server{Directory: db, Lessons: db, Attendance: db, Auth: attendanceTokens, Logger: slog.New(slog.DiscardHandler)}
	client := apitest.Client{Handler: s.Handler(api.FuncAttendance), Doc: apitest.API(b)}.As("t1")
	flip := map[string]string{"": "н", "н": "", "б": "о", "о": "б"}
	var codes, flipped []string
	for i := range 30 {
		code := []string{"", "", "", "н", "б", "о"}[i%6]
		codes, flipped = append(codes, code), append(flipped, flip[code])
	}
	bodies := []map[string]any{attBody(codes...), attBody(flipped...)}
	put := func(b *testing.B, body map[string]any, changed int) int64 {
		b.Helper()
		counter.n.Store(0)
		var out attResult
		client.Do(b, http.MethodPut, "/v1/lessons/"+aL1+"/attendance", body).Want(b, http.StatusOK).Decode(b, &out)
		if out.Changed != changed {
			b.Fatalf("changed %d, want %d", out.Changed, changed)
		}
		return counter.n.Load()
	}
	var last map[string]any
	for _, name := range []string{"set", "repeat"} {
		b.Run(name, func(b *testing.B) {
			var requests int64
			for i := 0; b.Loop(); i++ {
				if name == "set" {
					last = bodies[i%2]
					requests += put(b, last, 30)
				} else {
					requests += put(b, last, 0)
				}
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}
