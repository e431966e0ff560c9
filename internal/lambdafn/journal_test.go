package lambdafn_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"ejournal/internal/auth"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/lambdatest"
)

// The records of the journal world: school with a school year around
// today (the functions read the real clock), class 5А, mathematics, a
// teacher of it with an account, and a student.
const (
	jTimeZone = "Asia/Yekaterinburg"
	jYear     = "y-now"
	jClass    = "c-5a"
	jSubject  = "math"
	jTeacher  = "teacher-1"
	jLogin    = "a.uchiteleva"
	jPassword = "Оценки-2026-тест"
	jStudent  = "student-1"
)

// journalWorld is a new table with the records above and the token
// (signed in through the identity function) of the teacher.
type journalWorld struct {
	db    *dynamo.DB
	table string
	env   []string
	today ejournal.Date
	term  string // the term of today
	auth  http.Header
}

func newJournalWorld(t *testing.T) *journalWorld {
	t.Helper()
	c := dynamotest.Client(t)
	table := dynamotest.NewStreamTable(t, c)
	w := &journalWorld{db: dynamo.New(c, table), table: table}
	env, key := functionEnv(t, table)
	w.env = env
	w.seed(t)
	w.auth = w.signIn(t, key)
	return w
}

func (w *journalWorld) seed(t *testing.T) {
	t.Helper()
	loc, err := time.LoadLocation(jTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	w.today = ejournal.DateOf(now)
	// The school year from 1 September to 31 August holding today, in two
	// halves that leave no day outside a term.
	first := now.Year()
	if now.Month() < time.September {
		first--
	}
	w.term = "h1"
	if now.Month() < time.September {
		w.term = "h2"
	}
	date := func(y int, m time.Month, d int) ejournal.Date {
		return ejournal.DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	must(w.db.CreateSchool(ctx, &ejournal.School{ID: school, Name: "Школа", TimeZone: jTimeZone}))
	must(w.db.CreateYear(ctx, &ejournal.SchoolYear{ID: jYear, SchoolID: school, Name: "Текущий", Start: date(first, time.September, 1), End: date(first+1, time.August, 31),
		TermKind: ejournal.Halves, Terms: []ejournal.Term{
			{ID: "h1", Name: "I", Start: date(first, time.September, 1), End: date(first, time.December, 31)},
			{ID: "h2", Name: "II", Start: date(first+1, time.January, 1), End: date(first+1, time.August, 31)},
		}}))
	must(w.db.CreateClass(ctx, &ejournal.Class{ID: jClass, SchoolID: school, YearID: jYear, Grade: 5, Letter: "А"}))
	must(w.db.CreateSubject(ctx, &ejournal.Subject{ID: jSubject, SchoolID: school, Name: "Математика", ShortName: "Матем"}))
	must(w.db.CreatePerson(ctx, &ejournal.Person{ID: jStudent, SchoolID: school, Kind: ejournal.Student, LastName: "Петрова", FirstName: "Анна", ClassID: jClass}))
	teacher := &ejournal.Person{ID: jTeacher, SchoolID: school, Kind: ejournal.Staff, LastName: "Учителева", FirstName: "Анна"}
	must(w.db.CreatePerson(ctx, teacher))
	_, err = w.db.SetPersonRoles(ctx, school, jTeacher, []ejournal.Role{ejournal.Teacher}, teacher.Version)
	must(err)
	must(w.db.CreateAssignment(ctx, &ejournal.Assignment{SchoolID: school, YearID: jYear, TeacherID: jTeacher, ClassID: jClass, SubjectID: jSubject}))
	must(w.db.CreateAccount(ctx, &ejournal.Account{Login: jLogin, SchoolID: school, PersonID: jTeacher, PasswordHash: auth.HashPassword(jPassword)}))
}

// signIn signs the teacher in through the identity function and returns
// the header that presents the access token, checked against key.
func (w *journalWorld) signIn(t *testing.T, key ed25519.PrivateKey) http.Header {
	t.Helper()
	body, err := json.Marshal(map[string]string{"login": jLogin, "password": jPassword})
	if err != nil {
		t.Fatal(err)
	}
	r := exchange{method: http.MethodPost, target: loginPath, body: string(body), status: http.StatusOK}.run(t, start(t, "./functions/identity", w.env))
	var tk tokens
	if err := json.Unmarshal(r.Body, &tk); err != nil {
		t.Fatal(err)
	}
	if c, err := auth.NewTokens(key, auth.DefaultIssuer).Verify(tk.AccessToken); err != nil || c.Subject != jTeacher {
		t.Fatalf("access token: claims %+v, %v; want the teacher's", c, err)
	}
	return tk.bearer()
}

// lesson creates today's first lesson of the class through the store.
func (w *journalWorld) lesson(t *testing.T) *ejournal.Lesson {
	t.Helper()
	l := &ejournal.Lesson{SchoolID: school, Date: w.today, ClassID: jClass, SubjectID: jSubject, TeacherID: jTeacher, Period: 1}
	if err := w.db.CreateLesson(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	return l
}

// decode runs x against fn and decodes its answer into v.
func decode(t *testing.T, fn *lambdatest.Emulator, x exchange, v any) {
	t.Helper()
	if err := json.Unmarshal(x.run(t, fn).Body, v); err != nil {
		t.Fatal(err)
	}
}

// wantInvalid checks that x is answered 400 naming field.
func wantInvalid(t *testing.T, fn *lambdatest.Emulator, x exchange, field string) {
	t.Helper()
	x.status = http.StatusBadRequest
	var e struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	decode(t, fn, x, &e)
	if e.Error.Code != "invalid" || e.Error.Fields[field] == "" {
		t.Errorf("%s %s: error %+v, want invalid naming %s", x.method, x.target, e.Error, field)
	}
}

// journalCells is the part of the class journal the tests read: each
// student's cells by lesson id.
type journalCells struct {
	Students []struct {
		ID    string `json:"id"`
		Cells map[string]struct {
			Marks []struct {
				ID    string `json:"id"`
				Value int    `json:"value"`
			} `json:"marks"`
			Attendance string `json:"attendance"`
		} `json:"cells"`
	} `json:"students"`
}

// journal reads the class journal of today's term through fn.
func (w *journalWorld) journal(t *testing.T, fn *lambdatest.Emulator) journalCells {
	t.Helper()
	var j journalCells
	decode(t, fn, exchange{method: http.MethodGet, target: w.journalPath(), header: w.auth, status: http.StatusOK}, &j)
	return j
}

func (w *journalWorld) journalPath() string {
	return "/v1/classes/" + jClass + "/journal?subject_id=" + jSubject + "&term_id=" + w.term
}

func TestGradingFunction(t *testing.T) {
	w := newJournalWorld(t)
	fn := start(t, "./functions/grading", w.env)

	var l ejournal.Lesson
	decode(t, fn, exchange{method: http.MethodPost, target: "/v1/lessons", header: w.auth, status: http.StatusCreated,
		body: `{"date":"` + string(w.today) + `","class_id":"` + jClass + `","subject_id":"` + jSubject + `","period":2,"topic":"Дроби"}`}, &l)
	if l.ID == "" || l.TeacherID != jTeacher || l.YearID != jYear || l.Date != w.today {
		t.Fatalf("lesson %+v, want today's lesson of the teacher", l)
	}
	marksPath := "/v1/lessons/" + l.ID + "/marks"
	var created struct {
		Marks []struct {
			ID    string `json:"id"`
			Value int    `json:"value"`
		} `json:"marks"`
	}
	decode(t, fn, exchange{method: http.MethodPost, target: marksPath, header: w.auth, status: http.StatusCreated,
		body: `{"marks":[{"student_id":"` + jStudent + `","value":5}]}`}, &created)
	if len(created.Marks) != 1 || created.Marks[0].Value != 5 || !strings.HasPrefix(created.Marks[0].ID, l.ID+"_") {
		t.Fatalf("created %+v, want one 5 on the lesson", created)
	}
	wantInvalid(t, fn, exchange{method: http.MethodPost, target: marksPath, header: w.auth,
		body: `{"marks":[{"student_id":"` + jStudent + `","value":7}]}`}, "marks[0].value")
	runAll(t, fn, []exchange{
		{name: "journal without a token", method: "GET", target: w.journalPath(),
			status: 401, want: `{"error":{"code":"unauthorized","message":"Войдите в систему."}}`},
		{name: "marks without a token", method: "POST", target: marksPath, body: `{"marks":[{"student_id":"` + jStudent + `","value":4}]}`,
			status: 401, want: `{"error":{"code":"unauthorized","message":"Войдите в систему."}}`},
	})

	// The journal holds the 5 and nothing of the rejected 7.
	j := w.journal(t, fn)
	if len(j.Students) != 1 || j.Students[0].ID != jStudent {
		t.Fatalf("journal students %+v", j.Students)
	}
	if ms := j.Students[0].Cells[l.ID].Marks; len(ms) != 1 || ms[0].ID != created.Marks[0].ID || ms[0].Value != 5 {
		t.Errorf("journal cell of the lesson: marks %+v, want the 5", ms)
	}
}

func TestAttendanceFunction(t *testing.T) {
	w := newJournalWorld(t)
	l := w.lesson(t)
	fn := start(t, "./functions/attendance", w.env)
	path := "/v1/lessons/" + l.ID + "/attendance"
	absent := `{"records":[{"student_id":"` + jStudent + `","code":"н"}]}`

	type result struct {
		Records []ejournal.AttendanceRecord `json:"records"`
		Changed int                         `json:"changed"`
	}
	for i, changed := range []int{1, 0} { // the same request again changes nothing
		var r result
		decode(t, fn, exchange{method: http.MethodPut, target: path, header: w.auth, body: absent, status: http.StatusOK}, &r)
		if r.Changed != changed || len(r.Records) != 1 || r.Records[0].StudentID != jStudent || r.Records[0].Code != ejournal.AttendanceCode("н") {
			t.Errorf("request %d: %+v, want the student absent and changed %d", i+1, r, changed)
		}
	}
	wantInvalid(t, fn, exchange{method: http.MethodPut, target: path, header: w.auth,
		body: `{"records":[{"student_id":"` + jStudent + `","code":"x"}]}`}, "records[0].code")
	exchange{method: http.MethodPut, target: path, body: absent,
		status: 401, want: `{"error":{"code":"unauthorized","message":"Войдите в систему."}}`}.run(t, fn)

	// The grading function's journal shows what the attendance function wrote.
	j := w.journal(t, start(t, "./functions/grading", w.env))
	if len(j.Students) != 1 || j.Students[0].Cells[l.ID].Attendance != "н" {
		t.Errorf("journal %+v, want the student absent at the lesson", j)
	}
}
