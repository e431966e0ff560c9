package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The people and records of the marks world: two 5th-grade classes of
// school A, each with its own mathematics teacher and lesson on
// 2025-10-01; the first class has two students, the second one.
const (
	mClass1, mClass2, mSubject, mYear = "m-5a", "m-5b", "m-math", "m-y"
	mStudent1, mStudent2, mStranger   = "m-s1", "m-s2", "m-s3"
	mTeacher1, mTeacher2, mHead       = "m-t1", "m-t2", "m-head"
)

var markTokens = apitest.Tokens{
	"teacher":  {PersonID: mTeacher1, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: mClass1, SubjectID: mSubject}}},
	"teacher2": {PersonID: mTeacher2, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: mClass2, SubjectID: mSubject}}},
	"head":     {PersonID: mHead, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HeadTeacher}},
	"parent":   {PersonID: "m-p1", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{mStudent1: mClass1}},
	"adminB":   {PersonID: "b-admin", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

type markWorld struct {
	*apitest.Env
	clock            *apitest.Clock
	lesson1, lesson2 string
}

// newMarkWorld seeds the marks world; the store's clock reads 2025-10-01
// 11:00 in Yekaterinburg and ticks a millisecond a reading, so audit
// entries keep their order.
func newMarkWorld(t testing.TB) *markWorld {
	t.Helper()
	env := apitest.New(t, markTokens)
	w := &markWorld{Env: env, clock: apitest.NewClock(time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC))}
	env.DB.Now = func() time.Time { w.clock.Advance(time.Millisecond); return w.clock.Now() }
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	db := env.DB
	must(db.CreateSchool(ctx, &ejournal.School{ID: schoolA, Name: "Школа", TimeZone: "Asia/Yekaterinburg"}))
	must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: mYear, SchoolID: schoolA, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: "2025-09-01", End: "2025-12-31"}, {ID: "h2", Name: "II", Start: "2026-01-09", End: "2026-05-31"}}}))
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: mSubject, SchoolID: schoolA, Name: "Математика", ShortName: "Матем"}))
	for _, id := range []string{mTeacher1, mTeacher2, mHead} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: id, SchoolID: schoolA, Kind: ejournal.Staff, LastName: "Учителева", FirstName: "Анна"}))
	}
	for _, c := range []struct{ id, letter string }{{mClass1, "А"}, {mClass2, "Б"}} {
		must(db.CreateClass(ctx, &ejournal.Class{ID: c.id, SchoolID: schoolA, YearID: mYear, Grade: 5, Letter: c.letter}))
	}
	for _, s := range []struct{ id, last, class string }{{mStudent1, "Антонова", mClass1}, {mStudent2, "Борисова", mClass1}, {mStranger, "Чужая", mClass2}} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: s.id, SchoolID: schoolA, Kind: ejournal.Student, LastName: s.last, FirstName: "Анна", ClassID: s.class}))
	}
	for i, l := range []*ejournal.Lesson{
		{SchoolID: schoolA, Date: "2025-10-01", ClassID: mClass1, SubjectID: mSubject, TeacherID: mTeacher1, Period: 1},
		{SchoolID: schoolA, Date: "2025-10-01", ClassID: mClass2, SubjectID: mSubject, TeacherID: mTeacher2, Period: 1},
	} {
		must(db.CreateLesson(ctx, l))
		*[]*string{&w.lesson1, &w.lesson2}[i] = l.ID
	}
	return w
}

type markJSON struct {
	ID        string `json:"id"`
	StudentID string `json:"student_id"`
	Value     int    `json:"value"`
	WorkType  string `json:"work_type"`
	Version   int64  `json:"version"`
}

// post gives marks on lesson as token and returns the response.
func (w *markWorld) post(t *testing.T, token, lesson string, marks ...map[string]any) *apitest.Response {
	t.Helper()
	return w.Client.As(token).Post(t, "/v1/lessons/"+lesson+"/marks", map[string]any{"marks": marks})
}

// give posts marks as the teacher on lesson 1 and returns them.
func (w *markWorld) give(t *testing.T, marks ...map[string]any) []markJSON {
	t.Helper()
	var out struct{ Marks []markJSON }
	w.post(t, "teacher", w.lesson1, marks...).Want(t, http.StatusCreated).Decode(t, &out)
	return out.Marks
}

func mark(student string, value int, workType string) map[string]any {
	m := map[string]any{"student_id": student, "value": value}
	if workType != "" {
		m["work_type"] = workType
	}
	return m
}

// with returns a copy of body with key set to value.
func with(body map[string]any, key string, value any) map[string]any {
	out := maps.Clone(body)
	out[key] = value
	return out
}

// audit returns the actions (with reasons) of a record's audit trail.
func (w *markWorld) audit(t *testing.T, kind, id string) string {
	t.Helper()
	trail, err := w.DB.AuditTrail(context.Background(), schoolA, kind, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range trail {
		s := e.Action + " by " + e.ActorID
		if e.Reason != "" {
			s += " (" + e.Reason + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// markCount is how many marks lesson 1's class has in the first half.
func (w *markWorld) markCount(t *testing.T) int {
	t.Helper()
	rows, err := w.DB.TermSheet(context.Background(), schoolA, mClass1, mSubject, "h1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		n += r.Suggestion.Average.Count
	}
	return n
}

func TestMarksPost(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	got := w.give(t, mark(mStudent1, 5, ""), mark(mStudent2, 3, "test"))
	if len(got) != 2 || !strings.HasPrefix(got[0].ID, w.lesson1+"_") || got[0].Version != 1 || got[0].WorkType != "classwork" || got[1].WorkType != "test" {
		t.Fatalf("created marks = %+v", got)
	}
	if a := w.audit(t, "mark", got[0].ID); a != "create by "+mTeacher1 {
		t.Fatalf("audit = %s", a)
	}
	// Someone else's lesson, another school, an unknown lesson.
	w.post(t, "teacher", w.lesson2, mark(mStranger, 5, "")).Want(t, http.StatusForbidden)
	w.post(t, "head", w.lesson1, mark(mStudent1, 5, "")).Want(t, http.StatusForbidden)
	w.post(t, "adminB", w.lesson1, mark(mStudent1, 5, "")).Want(t, http.StatusNotFound)
	w.post(t, "teacher", "no-such-lesson", mark(mStudent1, 5, "")).Want(t, http.StatusNotFound)

	for _, tc := range []struct {
		name  string
		marks []map[string]any
		field string
	}{
		{"mark 7", []map[string]any{mark(mStudent1, 5, ""), mark(mStudent2, 7, "")}, "marks[1].value"},
		{"mark 1 not allowed", []map[string]any{mark(mStudent1, 1, "")}, "marks[0].value"},
		{"student of another class", []map[string]any{mark(mStudent1, 4, ""), mark(mStranger, 4, "")}, "marks[1].student_id"},
		{"unknown work type", []map[string]any{mark(mStudent1, 4, "dance")}, "marks[0].work_type"},
		{"no marks", nil, "marks"},
		{"not a number", []map[string]any{{"student_id": mStudent1, "value": "five"}}, "marks.value"},
		{"unknown field", []map[string]any{{"student_id": mStudent1, "value": 5, "weight": 10}}, "weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := w.post(t, "teacher", w.lesson1, tc.marks...).Want(t, http.StatusBadRequest).Error(t)
			if _, ok := e.Fields[tc.field]; !ok || len(e.Fields) != 1 {
				t.Fatalf("fields = %v, want %s", e.Fields, tc.field)
			}
		})
	}
	many := make([]map[string]any, 51)
	for i := range many {
		many[i] = mark(mStudent1, 4, "")
	}
	w.post(t, "teacher", w.lesson1, many...).Want(t, http.StatusBadRequest)
	if n := w.markCount(t); n != 2 {
		t.Fatalf("%d marks stored, want the first 2 only", n)
	}
}

func TestMarkConcurrentEdits(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	m := w.give(t, mark(mStudent1, 3, ""))[0]
	c := w.Client.As("teacher")
	var wg sync.WaitGroup
	res := make([]*apitest.Response, 2)
	for i, value := range []int{4, 5} {
		wg.Go(func() { res[i] = c.Patch(t, "/v1/marks/"+m.ID, map[string]any{"value": value, "version": 1}) })
	}
	wg.Wait()
	won := -1
	for i, r := range res {
		switch r.Status {
		case http.StatusOK:
			won = i
		case http.StatusConflict:
		default:
			t.Fatalf("PATCH %d: status %d: %s", i, r.Status, r.Body)
		}
	}
	if won < 0 || res[1-won].Status != http.StatusConflict {
		t.Fatalf("statuses %d and %d, want one 200 and one 409", res[0].Status, res[1].Status)
	}
	var final markJSON
	res[won].Decode(t, &final)
	if want := []int{4, 5}[won]; final.Value != want || final.Version != 2 {
		t.Fatalf("final mark = %+v, want value %d at version 2", final, want)
	}
	if a := w.audit(t, "mark", m.ID); a != "create by "+mTeacher1+"; update by "+mTeacher1 {
		t.Fatalf("audit = %s", a)
	}
	c.Patch(t, "/v1/marks/"+m.ID, map[string]any{"value": 2}).Want(t, http.StatusBadRequest)
	c.Patch(t, "/v1/marks/"+m.ID, map[string]any{"value": 6, "version": 2}).Want(t, http.StatusBadRequest)
	c.Patch(t, "/v1/marks/"+w.lesson1+"_nosuchmark", map[string]any{"value": 4, "version": 1}).Want(t, http.StatusNotFound)
	c.Patch(t, "/v1/marks/garbage", map[string]any{"value": 4, "version": 1}).Want(t, http.StatusNotFound)
	w.Client.As("teacher2").Patch(t, "/v1/marks/"+m.ID, map[string]any{"value": 4, "version": 2}).Want(t, http.StatusForbidden)
}

func TestMarkEditWindow(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	m := w.give(t, mark(mStudent1, 3, ""))[0]
	teacher, head := w.Client.As("teacher"), w.Client.As("head")
	patch := func(reason string) map[string]any {
		b := map[string]any{"value": 4, "version": 1}
		if reason != "" {
			b["reason"] = reason
		}
		return b
	}
	// Inside the window the head teacher may not edit; past it (7 days after
	// 2025-10-01, the end of 2025-10-08 in Yekaterinburg) only with a reason.
	head.Patch(t, "/v1/marks/"+m.ID, patch("проверка")).Want(t, http.StatusForbidden)
	w.clock.Advance(8 * 24 * time.Hour)
	e := teacher.Patch(t, "/v1/marks/"+m.ID, patch("")).Want(t, http.StatusBadRequest).Error(t)
	if _, ok := e.Fields["reason"]; !ok {
		t.Fatalf("fields = %v, want reason", e.Fields)
	}
	teacher.Patch(t, "/v1/marks/"+m.ID, patch("ошибка при вводе")).Want(t, http.StatusForbidden)
	teacher.Do(t, http.MethodDelete, "/v1/marks/"+m.ID+"?version=1", nil).Want(t, http.StatusBadRequest)
	var got markJSON
	head.Patch(t, "/v1/marks/"+m.ID, patch("ошибка при вводе")).Want(t, http.StatusOK).Decode(t, &got)
	if got.Value != 4 || got.Version != 2 {
		t.Fatalf("late edit = %+v", got)
	}
	head.Do(t, http.MethodDelete, "/v1/marks/"+m.ID+"?version=1&reason=x", nil).Want(t, http.StatusConflict)
	head.Do(t, http.MethodDelete, "/v1/marks/"+m.ID+"?version=2&reason="+"%D0%B4%D1%83%D0%B1%D0%BB%D1%8C", nil).Want(t, http.StatusOK)
	want := fmt.Sprintf("create by %s; update by %s (ошибка при вводе); delete by %s (дубль)", mTeacher1, mHead, mHead)
	if a := w.audit(t, "mark", m.ID); a != want {
		t.Fatalf("audit = %s\nwant    %s", a, want)
	}
}

func TestTermMarkSuggestion(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	// Student 1: (5×1 + 4×1 + 5×2 + 4×2) / 6 = 27/6 = 4.5 exactly: 5 under
	// the standard rule, 4 when only x.6 rounds up. Student 2:
	// (4×3 + 5×3 + 4×1) / 7 = 31/7 = 4.428… shown cut as 4.42: 4.
	w.give(t,
		mark(mStudent1, 5, "classwork"), mark(mStudent1, 4, "oral"), mark(mStudent1, 5, "independent"), mark(mStudent1, 4, "check"),
		mark(mStudent2, 4, "test"), mark(mStudent2, 5, "dictation"), mark(mStudent2, 4, ""),
	)
	type row struct {
		StudentID string `json:"student_id"`
		Suggested struct {
			Mark    string
			Average struct {
				Count        int
				Sum, Weights float64
				Value        float64
			}
			Explanation string
		}
		Confirmed any
	}
	sheet := func() []row {
		var out struct{ Items []row }
		w.Client.As("teacher").With("Accept-Language", "en").Get(t, "/v1/classes/"+mClass1+"/term-marks?subject_id="+mSubject+"&term_id=h1").Want(t, http.StatusOK).Decode(t, &out)
		if len(out.Items) != 2 || out.Items[0].StudentID != mStudent1 || out.Items[1].StudentID != mStudent2 {
			t.Fatalf("sheet = %+v", out.Items)
		}
		return out.Items
	}
	rows := sheet()
	s1, s2 := rows[0].Suggested, rows[1].Suggested
	if s1.Mark != "5" || s1.Average.Count != 4 || s1.Average.Sum != 27 || s1.Average.Weights != 6 || s1.Average.Value != 4.5 || rows[0].Confirmed != nil {
		t.Fatalf("student 1 = %+v", rows[0])
	}
	if s2.Mark != "4" || s2.Average.Count != 3 || s2.Average.Sum != 31 || s2.Average.Weights != 7 || s2.Average.Value != 4.42 {
		t.Fatalf("student 2 = %+v", rows[1])
	}
	if want := "Weighted average 4.5 of 4 marks; a fraction of 0.5 or more rounds up: 5."; s1.Explanation != want {
		t.Fatalf("explanation = %q, want %q", s1.Explanation, want)
	}

	settings, err := w.DB.GradingSettings(context.Background(), schoolA, mYear)
	if err != nil {
		t.Fatal(err)
	}
	settings.RoundUpFrom = 60
	if err := w.DB.SaveGradingSettings(context.Background(), schoolA, mYear, settings, 0); err != nil {
		t.Fatal(err)
	}
	if rows := sheet(); rows[0].Suggested.Mark != "4" || rows[1].Suggested.Mark != "4" {
		t.Fatalf("with x.6 rounding: %+v", rows)
	}
	w.Client.As("teacher2").Get(t, "/v1/classes/"+mClass1+"/term-marks?subject_id="+mSubject+"&term_id=h1").Want(t, http.StatusForbidden)
	w.Client.As("teacher").Get(t, "/v1/classes/"+mClass1+"/term-marks?subject_id="+mSubject+"&term_id=q9").Want(t, http.StatusBadRequest)
}

func TestTermMarksAndDebts(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	w.give(t, mark(mStudent1, 2, ""), mark(mStudent1, 3, ""), mark(mStudent1, 2, "test"))
	teacher := w.Client.As("teacher")
	put := func(c apitest.Client, term, value string, version int64) *apitest.Response {
		b := map[string]any{"student_id": mStudent1, "subject_id": mSubject, "term_id": term, "value": value}
		if version > 0 {
			b["version"] = version
		}
		return c.Do(t, http.MethodPut, "/v1/term-marks", b)
	}
	var tm struct {
		Value, Suggested string
		ConfirmedBy      string `json:"confirmed_by"`
		Version          int64
	}
	put(teacher, "h1", "3", 0).Want(t, http.StatusCreated).Decode(t, &tm)
	// (2 + 3 + 2×3) / 5 = 2.2: the system suggests 2, the teacher set 3.
	if tm.Value != "3" || tm.Suggested != "2" || tm.ConfirmedBy != mTeacher1 || tm.Version != 1 {
		t.Fatalf("term mark = %+v", tm)
	}
	put(teacher, "h1", "2", 0).Want(t, http.StatusConflict)
	put(teacher, "h1", "2", 1).Want(t, http.StatusOK)
	put(teacher, "h1", "2", 1).Want(t, http.StatusConflict)
	put(teacher, "year", "н/а", 0).Want(t, http.StatusCreated)
	put(teacher, "h1", "7", 2).Want(t, http.StatusBadRequest)
	put(teacher, "q9", "5", 0).Want(t, http.StatusBadRequest)
	put(w.Client.As("teacher2"), "h2", "5", 0).Want(t, http.StatusForbidden)

	type debt struct {
		Period, Value string
		RetakeValue   int    `json:"retake_value"`
		RetakeDate    string `json:"retake_date"`
		Version       int64
	}
	debts := func() []debt {
		var out struct{ Items []debt }
		w.Client.As("parent").Get(t, "/v1/students/"+mStudent1+"/debts").Want(t, http.StatusOK).Decode(t, &out)
		return out.Items
	}
	if d := debts(); len(d) != 2 || d[0].Period != "h1" || d[0].Value != "2" || d[1].Period != "year" || d[1].Value != "н/а" || d[0].RetakeValue != 0 {
		t.Fatalf("debts = %+v", d)
	}
	w.Client.As("parent").Get(t, "/v1/students/"+mStudent2+"/debts").Want(t, http.StatusForbidden)
	w.Client.As("adminB").Get(t, "/v1/students/"+mStudent1+"/debts").Want(t, http.StatusNotFound)

	closeBody := map[string]any{"subject_id": mSubject, "term_id": "h1", "retake_value": 4, "retake_date": "2026-01-20"}
	w.Client.As("parent").Post(t, "/v1/students/"+mStudent1+"/debts/close", closeBody).Want(t, http.StatusForbidden)
	teacher.Post(t, "/v1/students/"+mStudent1+"/debts/close", with(closeBody, "retake_value", 2)).Want(t, http.StatusBadRequest)
	teacher.Post(t, "/v1/students/"+mStudent1+"/debts/close", with(closeBody, "term_id", "h2")).Want(t, http.StatusNotFound)
	teacher.Post(t, "/v1/students/"+mStudent1+"/debts/close", closeBody).Want(t, http.StatusOK)
	teacher.Post(t, "/v1/students/"+mStudent1+"/debts/close", closeBody).Want(t, http.StatusConflict)
	if d := debts(); len(d) != 2 || d[0].RetakeValue != 4 || d[0].RetakeDate != "2026-01-20" || d[0].Version != 3 || d[1].RetakeValue != 0 {
		t.Fatalf("debts after closing = %+v", d)
	}
	by := " by " + mTeacher1
	if a, want := w.audit(t, "term_mark", mStudent1), "create"+by+"; update"+by+"; create"+by+"; update"+by; a != want {
		t.Fatalf("term mark audit = %s, want %s", a, want)
	}
}

// FuzzMarksRequest sends arbitrary bodies to POST /v1/lessons/{id}/marks as
// the lesson's teacher: never a 5xx, always a documented answer (the
// error envelope for every 4xx). Run it for real with
//
//	go run ./cmd/ejournal with-dynamodb -- go test -run '^$' -fuzz FuzzMarksRequest -fuzztime 30s ./internal/api
func FuzzMarksRequest(f *testing.F) {
	w := newMarkWorld(f)
	for _, s := range append(fuzzSeeds,
		`{"marks":[{"student_id":"`+mStudent1+`","value":5}]}`,
		`{"marks":[{"student_id":"`+mStudent1+`","value":5,"work_type":"test","comment":"хорошо"}]}`,
		`{"marks":[{"student_id":"`+mStranger+`","value":5}]}`,
		`{"marks":[{"student_id":"`+mStudent1+`","value":7}]}`, `{"marks":[{"student_id":"`+mStudent1+`","value":-1}]}`,
		`{"marks":[{"student_id":"`+mStudent1+`","value":5.5}]}`, `{"marks":[{"student_id":"`+mStudent1+`","value":1e400}]}`,
		`{"marks":[{"student_id":"a#b","value":5}]}`, `{"marks":[{"student_id":"`+mStudent1+`","value":5,"work_type":"../x"}]}`,
		`{"marks":[{"student_id":"`+mStudent1+`","value":5,"comment":"\u0000"}]}`, `{"marks":[null]}`, `{"marks":{}}`, `{"marks":null}`,
		`{"marks":[`+strings.Repeat(`{"student_id":"`+mStudent1+`","value":4},`, 50)+`{}]}`,
	) {
		f.Add([]byte(s))
	}
	c := w.Client.As("teacher")
	c.LaxRequests = true
	f.Fuzz(func(t *testing.T, body []byte) {
		res := c.Post(t, "/v1/lessons/"+w.lesson1+"/marks", body)
		if res.Status >= http.StatusInternalServerError {
			t.Fatalf("status %d for body %q: %s", res.Status, body, res.Body)
		}
	})
}

// TestMarksPostRetry: a request repeated with the same Idempotency-Key (a
// retry after a lost answer, or an offline queue sending again) gives
// nothing twice and answers with the marks of the first; the same key with
// other marks is a conflict.
func TestMarksPostRetry(t *testing.T) {
	w := newMarkWorld(t)
	c := w.Client.As("teacher").With("Idempotency-Key", "queue-7f3a")
	body := map[string]any{"marks": []map[string]any{mark(mStudent1, 5, ""), mark(mStudent2, 4, "oral")}}
	var first, again struct{ Marks []markJSON }
	c.Post(t, "/v1/lessons/"+w.lesson1+"/marks", body).Want(t, http.StatusCreated).Decode(t, &first)
	c.Post(t, "/v1/lessons/"+w.lesson1+"/marks", body).Want(t, http.StatusCreated).Decode(t, &again)
	if len(first.Marks) != 2 || fmt.Sprint(first.Marks) != fmt.Sprint(again.Marks) {
		t.Fatalf("retry answered %+v, want the first answer %+v", again.Marks, first.Marks)
	}
	if n := w.markCount(t); n != 2 {
		t.Errorf("the class has %d marks after a request and its retry, want 2", n)
	}
	for _, m := range first.Marks {
		if got := w.audit(t, "mark", m.ID); strings.Count(got, "create") != 1 {
			t.Errorf("audit of %s: %q, want one creation", m.ID, got)
		}
	}
	other := map[string]any{"marks": []map[string]any{mark(mStudent1, 3, ""), mark(mStudent2, 4, "oral")}}
	c.Post(t, "/v1/lessons/"+w.lesson1+"/marks", other).Want(t, http.StatusConflict)
	// Another key gives new marks.
	var fresh struct{ Marks []markJSON }
	w.Client.As("teacher").With("Idempotency-Key", "queue-8b1c").Post(t, "/v1/lessons/"+w.lesson1+"/marks", body).Want(t, http.StatusCreated).Decode(t, &fresh)
	if fresh.Marks[0].ID == first.Marks[0].ID {
		t.Errorf("another key gave the same mark id %s", fresh.Marks[0].ID)
	}
}

// lessonJSON is the part of a lesson the journal's tests read.
type lessonJSON struct {
	Topic       string `json:"topic"`
	PlanTopicID string `json:"plan_topic_id"`
	WorkType    string `json:"work_type"`
	Version     int64  `json:"version"`
}

// decodeLesson reads a lesson from res afresh (absent fields are empty).
func decodeLesson(t *testing.T, res *apitest.Response) lessonJSON {
	t.Helper()
	var l lessonJSON
	res.Decode(t, &l)
	return l
}

func TestLessonWorkType(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	teacher := w.Client.As("teacher")
	path := "/v1/lessons/" + w.lesson1
	journal := func() (lessonType string, marks map[string]float64) {
		t.Helper()
		var j struct {
			Lessons []struct {
				ID       string `json:"id"`
				WorkType string `json:"work_type"`
			} `json:"lessons"`
			Students []struct {
				Cells map[string]struct {
					Marks []struct {
						ID       string  `json:"id"`
						WorkType string  `json:"work_type"`
						Weight   float64 `json:"weight"`
						Version  int64   `json:"version"`
					} `json:"marks"`
				} `json:"cells"`
			} `json:"students"`
		}
		teacher.Get(t, "/v1/classes/"+mClass1+"/journal?subject_id="+mSubject+"&term_id=h1").Want(t, http.StatusOK).Decode(t, &j)
		marks = map[string]float64{}
		for _, s := range j.Students {
			for _, m := range s.Cells[w.lesson1].Marks {
				marks[m.WorkType] += m.Weight
			}
		}
		return j.Lessons[0].WorkType, marks
	}
	if lt, _ := journal(); lt != "classwork" {
		t.Fatalf("a lesson without a type shows %q, want the default classwork", lt)
	}

	// An unknown type, or a caller who does not teach the lesson: refused, nothing written.
	wantError(t, teacher.Patch(t, path, map[string]any{"version": 1, "work_type": "dance", "topic": "Дроби"}), http.StatusBadRequest, "work_type")
	wantError(t, w.Client.As("teacher2").Patch(t, path, map[string]any{"version": 1, "work_type": "test"}), http.StatusForbidden, "")
	var l lessonJSON
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": 1, "work_type": "test"}).Want(t, http.StatusOK))
	if l.WorkType != "test" || l.Version != 2 || l.Topic != "" {
		t.Fatalf("lesson with a type = %+v", l)
	}
	// Marks without a type take the lesson's, with its weight; a mark's own type wins.
	given := w.give(t, mark(mStudent1, 5, ""), mark(mStudent2, 4, "oral"))
	if given[0].WorkType != "test" || given[1].WorkType != "oral" {
		t.Fatalf("marks given = %+v", given)
	}
	if lt, marks := journal(); lt != "test" || marks["test"] != 3 || marks["oral"] != 1 {
		t.Fatalf("journal: lesson type %q, weights by type %v", lt, marks)
	}
	// "" goes back to the default; the marks keep their types.
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": 2, "work_type": ""}).Want(t, http.StatusOK))
	if lt, marks := journal(); l.WorkType != "" || lt != "classwork" || marks["test"] != 3 {
		t.Fatalf("after the reset: lesson %+v, journal type %q, weights %v", l, lt, marks)
	}
	wantError(t, teacher.Patch(t, path, map[string]any{"version": 2, "work_type": "oral"}), http.StatusConflict, "")
	by := " by " + mTeacher1
	if a := w.audit(t, "lesson", w.lesson1); a != "create by system; update"+by+"; update"+by {
		t.Fatalf("lesson audit = %s", a)
	}
}

func TestLessonPlanTopic(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	teacher := w.Client.As("teacher")
	plan := &ejournal.Plan{SchoolID: schoolA, YearID: mYear, ClassID: mClass1, SubjectID: mSubject, Topics: []ejournal.PlanTopic{
		{Title: "Натуральные числа", Hours: 2}, {Title: "Дроби", Hours: 3},
	}}
	if err := w.DB.SavePlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	path := "/v1/lessons/" + w.lesson1
	var l lessonJSON
	teacher.Get(t, path).Want(t, http.StatusOK).Decode(t, &l)

	wantError(t, teacher.Patch(t, path, map[string]any{"version": l.Version, "plan_topic_id": "nope"}), http.StatusBadRequest, "plan_topic_id")
	// The other class's lesson is not this plan's.
	wantError(t, w.Client.As("teacher2").Patch(t, "/v1/lessons/"+w.lesson2, map[string]any{"version": 1, "plan_topic_id": plan.Topics[1].ID}), http.StatusBadRequest, "plan_topic_id")
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": l.Version, "plan_topic_id": plan.Topics[1].ID, "topic": "что угодно", "homework": "№ 3"}).Want(t, http.StatusOK))
	if l.PlanTopicID != plan.Topics[1].ID || l.Topic != "Дроби" {
		t.Fatalf("linked lesson = %+v: the plan's title is the topic", l)
	}
	// Another field alone keeps the link; a topic typed by hand drops it.
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": l.Version, "homework": "№ 4"}).Want(t, http.StatusOK))
	if l.PlanTopicID != plan.Topics[1].ID {
		t.Fatalf("homework changed the link: %+v", l)
	}
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": l.Version, "topic": "Повторение"}).Want(t, http.StatusOK))
	if l.PlanTopicID != "" || l.Topic != "Повторение" {
		t.Fatalf("a typed topic = %+v, want unlinked", l)
	}
	// Linked again, then unlinked explicitly: the topic stays.
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": l.Version, "plan_topic_id": plan.Topics[0].ID}).Want(t, http.StatusOK))
	l = decodeLesson(t, teacher.Patch(t, path, map[string]any{"version": l.Version, "plan_topic_id": ""}).Want(t, http.StatusOK))
	if l.PlanTopicID != "" || l.Topic != "Натуральные числа" {
		t.Fatalf("unlinked lesson = %+v", l)
	}
}

func TestMarkWorkTypePatch(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	m := w.give(t, mark(mStudent1, 4, ""))[0]
	teacher := w.Client.As("teacher")
	path := "/v1/marks/" + m.ID
	wantError(t, teacher.Patch(t, path, map[string]any{"work_type": "dance", "version": 1}), http.StatusBadRequest, "work_type")
	wantError(t, teacher.Patch(t, path, map[string]any{"work_type": "не вид", "version": 1}), http.StatusBadRequest, "work_type")
	wantError(t, teacher.Patch(t, path, map[string]any{"value": 0, "version": 1}), http.StatusBadRequest, "value")
	wantError(t, w.Client.As("teacher2").Patch(t, path, map[string]any{"work_type": "test", "version": 1}), http.StatusForbidden, "")
	var got struct {
		markJSON
		Weight float64 `json:"weight"`
	}
	teacher.Patch(t, path, map[string]any{"work_type": "test", "version": 1}).Want(t, http.StatusOK).Decode(t, &got)
	if got.Value != 4 || got.WorkType != "test" || got.Weight != 3 || got.Version != 2 {
		t.Fatalf("retyped mark = %+v", got)
	}
	wantError(t, teacher.Patch(t, path, map[string]any{"work_type": "oral", "version": 1}), http.StatusConflict, "")
	// Past the edit window: a reason and the head teacher.
	w.clock.Advance(8 * 24 * time.Hour)
	wantError(t, teacher.Patch(t, path, map[string]any{"work_type": "oral", "version": 2}), http.StatusBadRequest, "reason")
	w.Client.As("head").Patch(t, path, map[string]any{"work_type": "oral", "version": 2, "reason": "это был устный ответ"}).Want(t, http.StatusOK).Decode(t, &got)
	if got.WorkType != "oral" || got.Weight != 1 || got.Value != 4 {
		t.Fatalf("late retyped mark = %+v", got)
	}
	if a, want := w.audit(t, "mark", m.ID), fmt.Sprintf("create by %s; update by %s; update by %s (это был устный ответ)", mTeacher1, mTeacher1, mHead); a != want {
		t.Fatalf("audit = %s, want %s", a, want)
	}
}

func TestTermMarkDelete(t *testing.T) {
	t.Parallel()
	w := newMarkWorld(t)
	teacher := w.Client.As("teacher")
	var tm struct {
		Value   string
		Version int64
	}
	teacher.Do(t, http.MethodPut, "/v1/term-marks", map[string]any{"student_id": mStudent1, "subject_id": mSubject, "term_id": "h1", "value": "4"}).Want(t, http.StatusCreated).Decode(t, &tm)
	path := "/v1/term-marks/" + mStudent1 + "/" + mSubject + "/h1"
	wantError(t, teacher.Do(t, http.MethodDelete, path, nil), http.StatusBadRequest, "version")
	wantError(t, teacher.Do(t, http.MethodDelete, path+"?version=x", nil), http.StatusBadRequest, "version")
	wantError(t, teacher.Do(t, http.MethodDelete, path+"?version=2", nil), http.StatusConflict, "")
	wantError(t, teacher.Do(t, http.MethodDelete, "/v1/term-marks/"+mStudent1+"/"+mSubject+"/q9?version=1", nil), http.StatusBadRequest, "term_id")
	wantError(t, teacher.Do(t, http.MethodDelete, "/v1/term-marks/"+mStudent1+"/"+mSubject+"/year?version=1", nil), http.StatusNotFound, "")
	wantError(t, w.Client.As("teacher2").Do(t, http.MethodDelete, path+"?version=1", nil), http.StatusForbidden, "")
	wantError(t, w.Client.As("parent").Do(t, http.MethodDelete, path+"?version=1", nil), http.StatusForbidden, "")
	wantError(t, w.Client.As("adminB").Do(t, http.MethodDelete, path+"?version=1", nil), http.StatusNotFound, "")
	wantError(t, teacher.Do(t, http.MethodDelete, "/v1/term-marks/m-nobody/"+mSubject+"/h1?version=1", nil), http.StatusNotFound, "")

	teacher.Do(t, http.MethodDelete, path+"?version=1", nil).Want(t, http.StatusOK).Decode(t, &tm)
	if tm.Value != "4" || tm.Version != 1 {
		t.Fatalf("removed term mark = %+v", tm)
	}
	var sheet struct {
		Items []struct {
			StudentID string          `json:"student_id"`
			Confirmed json.RawMessage `json:"confirmed"`
		}
	}
	teacher.Get(t, "/v1/classes/"+mClass1+"/term-marks?subject_id="+mSubject+"&term_id=h1").Want(t, http.StatusOK).Decode(t, &sheet)
	for _, r := range sheet.Items {
		if r.StudentID == mStudent1 && string(r.Confirmed) != "null" {
			t.Fatalf("the term sheet still has the mark: %s", r.Confirmed)
		}
	}
	wantError(t, teacher.Do(t, http.MethodDelete, path+"?version=1", nil), http.StatusNotFound, "")
	if a := w.audit(t, "term_mark", mStudent1); a != "create by "+mTeacher1+"; delete by "+mTeacher1 {
		t.Fatalf("term mark audit = %s", a)
	}
}
