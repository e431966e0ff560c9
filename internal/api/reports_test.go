package api_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/apitest"
	"ejournal/internal/auth"
	"ejournal/internal/ejournal"
)

// The reports world: school A, year 2025/2026 in halves (h1 2025-09-01 …
// 2025-12-31, h2 2026-01-09 … 2026-05-31), classes 5А (class teacher
// "ct") and 5Б, mathematics taught by t1 in both, Russian by t2 in 5А.
//
//	5А: s1 Антонов, s2 Борисов, s3 Васильев (leaves 2025-11-15),
//	    s6 Егоров; s4 Григорьев enrols 2025-10-01
//	5Б: s5 Дмитриев, transferred to 5А on 2026-01-20
//
// Everything after the directory is posted through the API as the school
// would: lessons and marks by the teachers, attendance by the teachers,
// term marks by the teachers, movements by the administrator.
const (
	rYear, rClassA, rClassB, rMath, rRus = "r-y", "r-5a", "r-5b", "r-math", "r-rus"
	rS1, rS2, rS3, rS4, rS5, rS6         = "r-s1", "r-s2", "r-s3", "r-s4", "r-s5", "r-s6"
	rT1, rT2, rCT                        = "r-t1", "r-t2", "r-ct"
)

var reportTokens = apitest.Tokens{
	"admin":   {PersonID: "r-admin", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}},
	"head":    {PersonID: "r-head", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HeadTeacher}},
	"t1":      {PersonID: rT1, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: rClassA, SubjectID: rMath}, {ClassID: rClassB, SubjectID: rMath}}},
	"t2":      {PersonID: rT2, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: rClassA, SubjectID: rRus}}},
	"ct":      {PersonID: rCT, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}, ClassTeacherOf: []string{rClassA}},
	"parent":  {PersonID: "r-p1", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{rS1: rClassA}},
	"student": {PersonID: rS1, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: rClassA},
}

type reportWorld struct {
	*apitest.Env
}

// newReportWorld writes the directory to the store and posts the rest.
func newReportWorld(t *testing.T) *reportWorld {
	t.Helper()
	env := apitest.New(t, reportTokens)
	env.Server.Reports = env.DB
	clock := apitest.NewClock(time.Date(2026, 3, 3, 6, 0, 0, 0, time.UTC))
	env.DB.Now = func() time.Time { clock.Advance(time.Millisecond); return clock.Now() }
	// The server's "today" (held lessons, the forecast's day) is the clock's too.
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	env.Server.Tokens = auth.NewTokens(key, "")
	env.Server.Tokens.Now = clock.Now
	w := &reportWorld{Env: env}
	ctx := context.Background()
	db := env.DB
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateSchool(ctx, &ejournal.School{ID: schoolA, Name: "Школа", TimeZone: "Asia/Yekaterinburg"}))
	must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: rYear, SchoolID: schoolA, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "h1", Name: "I полугодие", Start: "2025-09-01", End: "2025-12-31"}, {ID: "h2", Name: "II полугодие", Start: "2026-01-09", End: "2026-05-31"}}}))
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: rMath, SchoolID: schoolA, Name: "Математика", ShortName: "Матем"}))
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: rRus, SchoolID: schoolA, Name: "Русский язык", ShortName: "Рус"}))
	for _, id := range []string{rT1, rT2, rCT} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: id, SchoolID: schoolA, Kind: ejournal.Staff, LastName: "Учителева", FirstName: "Анна"}))
	}
	must(db.CreateClass(ctx, &ejournal.Class{ID: rClassA, SchoolID: schoolA, YearID: rYear, Grade: 5, Letter: "А", ClassTeacherID: rCT}))
	must(db.CreateClass(ctx, &ejournal.Class{ID: rClassB, SchoolID: schoolA, YearID: rYear, Grade: 5, Letter: "Б"}))
	for i, a := range []ejournal.Assignment{{ClassID: rClassA, SubjectID: rMath, TeacherID: rT1}, {ClassID: rClassB, SubjectID: rMath, TeacherID: rT1}, {ClassID: rClassA, SubjectID: rRus, TeacherID: rT2}} {
		a.ID, a.SchoolID, a.YearID = "r-a"+string(rune('1'+i)), schoolA, rYear
		must(db.CreateAssignment(ctx, &a))
	}
	for _, s := range []struct{ id, last, class string }{
		{rS1, "Антонов", rClassA}, {rS2, "Борисов", rClassA}, {rS3, "Васильев", rClassA}, {rS6, "Егоров", rClassA},
		{rS4, "Григорьев", ""}, {rS5, "Дмитриев", rClassB},
	} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: s.id, SchoolID: schoolA, Kind: ejournal.Student, LastName: s.last, FirstName: "Иван", ClassID: s.class}))
	}
	return w
}

func (w *reportWorld) as(token string) apitest.Client { return w.Client.As(token) }

// move posts a movement as the administrator.
func (w *reportWorld) move(t *testing.T, kind, student, to string, date, order, orderDate string) {
	t.Helper()
	body := map[string]any{"kind": kind, "student_id": student, "date": date, "order_no": order, "order_date": orderDate}
	if to != "" {
		body["to_class_id"] = to
	}
	w.as("admin").Post(t, "/v1/movements", body).Want(t, http.StatusCreated)
}

// lesson creates a lesson as the teacher token and returns its id.
func (w *reportWorld) lesson(t *testing.T, token, class, subject, date string) string {
	t.Helper()
	var l struct{ ID string }
	w.as(token).Post(t, "/v1/lessons", map[string]any{"date": date, "class_id": class, "subject_id": subject, "period": 1, "topic": "Тема", "homework": "№ 1"}).Want(t, http.StatusCreated).Decode(t, &l)
	return l.ID
}

// marks posts marks (student → values, with work types) on a lesson.
func (w *reportWorld) marks(t *testing.T, token, lesson string, marks ...map[string]any) {
	t.Helper()
	w.as(token).Post(t, "/v1/lessons/"+lesson+"/marks", map[string]any{"marks": marks}).Want(t, http.StatusCreated)
}

// attendance sets a lesson's codes as the teacher token.
func (w *reportWorld) attendance(t *testing.T, token, lesson string, codes map[string]string) {
	t.Helper()
	var records []map[string]any
	for s, c := range codes {
		records = append(records, map[string]any{"student_id": s, "code": c})
	}
	w.as(token).Do(t, http.MethodPut, "/v1/lessons/"+lesson+"/attendance", map[string]any{"records": records}).Want(t, http.StatusOK)
}

// termMark confirms a term mark as the teacher token.
func (w *reportWorld) termMark(t *testing.T, token, student, subject, term, value string) {
	t.Helper()
	w.as(token).Do(t, http.MethodPut, "/v1/term-marks", map[string]any{"student_id": student, "subject_id": subject, "term_id": term, "value": value}).Want(t, http.StatusCreated)
}

// buildSchool posts the first half-year (marks, term marks, movements) and
// the second half-year up to 2026-03-02 (marks and attendance in
// mathematics, two lessons still to come).
func (w *reportWorld) buildSchool(t *testing.T) {
	t.Helper()
	// First half-year. s4 arrives before the marks are given; s3 gets a 2
	// and then leaves, so the 2 must not count.
	w.move(t, "enrol", rS4, rClassA, "2025-10-01", "12-у", "2025-09-30")
	m1 := w.lesson(t, "t1", rClassA, rMath, "2025-10-06")
	w.marks(t, "t1", m1, mark(rS1, 5, ""), mark(rS2, 4, ""), mark(rS4, 5, ""), mark(rS3, 2, ""))
	r1 := w.lesson(t, "t2", rClassA, rRus, "2025-10-07")
	w.marks(t, "t2", r1, mark(rS1, 5, ""), mark(rS2, 3, ""), mark(rS4, 4, ""))
	for _, tm := range []struct{ token, student, subject, value string }{
		{"t1", rS1, rMath, "5"}, {"t1", rS2, rMath, "4"}, {"t1", rS4, rMath, "5"}, {"t1", rS6, rMath, "н/а"}, {"t1", rS3, rMath, "2"}, {"t1", rS5, rMath, "4"},
		{"t2", rS1, rRus, "5"}, {"t2", rS2, rRus, "3"}, {"t2", rS4, rRus, "4"}, {"t2", rS6, rRus, "осв."},
	} {
		w.termMark(t, tm.token, tm.student, tm.subject, "h1", tm.value)
	}
	w.move(t, "leave", rS3, "", "2025-11-15", "40-о", "2025-11-14")
	// After the first half-year: s5 moves from 5Б to 5А.
	w.move(t, "transfer", rS5, rClassA, "2026-01-20", "3-п", "2026-01-19")

	// Second half-year, mathematics in 5А: four lessons held, two to come.
	var held []string
	for _, d := range []string{"2026-02-02", "2026-02-09", "2026-02-16", "2026-02-24"} {
		l := w.lesson(t, "t1", rClassA, rMath, d)
		held = append(held, l)
		w.attendance(t, "t1", l, map[string]string{rS1: "", rS2: "", rS4: "", rS5: "", rS6: "н"})
	}
	w.lesson(t, "t1", rClassA, rMath, "2026-03-10")
	w.lesson(t, "t1", rClassA, rMath, "2026-03-17")
	w.marks(t, "t1", held[0], mark(rS1, 5, ""), mark(rS2, 2, "test"), mark(rS5, 3, ""))
	w.marks(t, "t1", held[1], mark(rS1, 5, ""), mark(rS2, 2, "test"), mark(rS5, 3, ""), mark(rS4, 4, ""))
	w.marks(t, "t1", held[2], mark(rS1, 4, ""), mark(rS2, 3, ""), mark(rS5, 3, ""))
}

// TestReportsThroughAPI checks the summary sheet, the movement report and
// the forecast of a school built through the API against figures worked
// out by hand (in the comments).
func TestReportsThroughAPI(t *testing.T) {
	w := newReportWorld(t)
	w.buildSchool(t)
	head := w.as("head")

	// Summary sheet of 5А for h1, as the roll stood on 2025-12-31: s1, s2,
	// s4 (arrived 2025-10-01) and s6; s3 left on 2025-11-15, s5 was in 5Б.
	//
	//	            математика  русский  average  category
	//	Антонов        5          5       5.00     excellent
	//	Борисов        4          3       3.50     satisfactory
	//	Григорьев      5          4       4.50     good
	//	Егоров         н/а        осв.    —        failing
	//
	// By students: N = 4 (everyone has a counted mark); success = 3/4 =
	// 75.00 %, quality = 2/4 = 50.00 %. Marks: 5 ×3, 4 ×2, 3 ×1, н/а ×1
	// (осв. left out) = 7; СОУ = (100·3 + 64·2 + 36·1 + 7·1) / 7 = 471/7 =
	// 67.285… → 67.29; average of 5…2 = (15 + 8 + 3) / 6 = 4.333… → 4.33.
	var sheet struct {
		ClassName      string `json:"class_name"`
		DefinitionText string `json:"definition_text"`
		Subjects       []struct {
			SubjectID string `json:"subject_id"`
		}
		Rows []struct {
			StudentID string               `json:"student_id"`
			Name      string               `json:"name"`
			Arrived   string               `json:"arrived"`
			Marks     []string             `json:"marks"`
			Average   *ejournal.Hundredths `json:"average"`
			Category  string               `json:"category"`
		}
		Figures ejournal.Figures
	}
	head.Get(t, "/v1/classes/"+rClassA+"/reports/summary-sheet?period=h1&year_id="+rYear).Want(t, http.StatusOK).Decode(t, &sheet)
	if len(sheet.Subjects) != 2 || sheet.Subjects[0].SubjectID != rMath || sheet.Subjects[1].SubjectID != rRus {
		t.Fatalf("subjects %+v", sheet.Subjects)
	}
	type row struct{ id, math, rus, avg, cat, arrived string }
	want := []row{{rS1, "5", "5", "5", "excellent", ""}, {rS2, "4", "3", "3.5", "satisfactory", ""}, {rS4, "5", "4", "4.5", "good", "2025-10-01"}, {rS6, "н/а", "осв.", "-", "failing", ""}}
	if len(sheet.Rows) != len(want) {
		t.Fatalf("rows %+v", sheet.Rows)
	}
	for i, r := range sheet.Rows {
		got := row{r.StudentID, r.Marks[0], r.Marks[1], hs(r.Average), r.Category, r.Arrived}
		if got != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got, want[i])
		}
	}
	f := sheet.Figures
	if f.Roll != 4 || f.N != 4 || f.N5 != 3 || f.N4 != 2 || f.N3 != 1 || f.N2 != 0 || f.NA != 1 || f.Exempt != 1 || f.Marks != 7 ||
		f.Excellent != 1 || f.Good != 1 || f.Satisfactory != 1 || f.Failing != 1 {
		t.Errorf("figures %+v", f)
	}
	if got := hs(f.Success) + " " + hs(f.Quality) + " " + hs(f.SOU) + " " + hs(f.Average); got != "75 50 67.29 4.33" {
		t.Errorf("success, quality, СОУ, average = %s", got)
	}
	if sheet.DefinitionText == "" || sheet.ClassName != "5А" {
		t.Errorf("class %q, definition %q", sheet.ClassName, sheet.DefinitionText)
	}

	// The same sheet as a workbook: the figures read back are the same.
	res := head.Get(t, "/v1/classes/"+rClassA+"/reports/summary-sheet?period=h1&format=xlsx&year_id="+rYear).Want(t, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
		t.Errorf("Content-Disposition %q", cd)
	}
	book, err := excelize.OpenReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]bool{}
	for _, sh := range book.GetSheetList() {
		rows, _ := book.GetRows(sh)
		for _, r := range rows {
			for _, c := range r {
				cells[strings.ReplaceAll(c, ",", ".")] = true
			}
		}
	}
	for _, v := range []string{"67.29", "4.33", "Егоров Иван", "н/а", "осв."} {
		if !cells[v] {
			t.Errorf("workbook lacks %q", v)
		}
	}

	// Movement from 2025-09-01 to 2025-12-31. At the start 5А had s1, s2,
	// s3, s6 = 4 (s4 not enrolled yet), 5Б had s5 = 1. In the period s4
	// arrived in 5А (order 12-у) and s3 left it (order 40-о); s5's transfer
	// on 2026-01-20 is after the period. At the end: 5А s1, s2, s4, s6 = 4;
	// 5Б s5 = 1. Totals: 5 at the start, 1 arrived, 1 left, 5 at the end.
	var mv ejournal.MovementReport
	head.Get(t, "/v1/reports/movement?from=2025-09-01&to=2025-12-31").Want(t, http.StatusOK).Decode(t, &mv)
	if len(mv.Classes) != 2 {
		t.Fatalf("movement classes %+v", mv.Classes)
	}
	a, b := mv.Classes[0], mv.Classes[1]
	if a.ClassID != rClassA || a.AtStart != 4 || a.Arrived != 1 || a.Left != 1 || a.AtEnd != 4 || a.TransferredIn != 0 {
		t.Errorf("5А %+v", a)
	}
	if b.ClassID != rClassB || b.AtStart != 1 || b.AtEnd != 1 || b.TransferredOut != 0 {
		t.Errorf("5Б %+v", b)
	}
	if mv.Total.AtStart != 5 || mv.Total.Arrived != 1 || mv.Total.Left != 1 || mv.Total.AtEnd != 5 || len(mv.Orders) != 2 ||
		mv.Orders[0].OrderNo != "12-у" || mv.Orders[1].OrderNo != "40-о" {
		t.Errorf("total %+v orders %+v", mv.Total, mv.Orders)
	}

	// Forecast of h2 on 2026-03-02, 5А mathematics. Default grading:
	// weighted, classwork weight 1, test weight 3 (the heaviest), x.5
	// rounds up, 3 marks needed; two lessons remain (03-10, 03-17).
	//   s1: 5, 5, 4 → 14/3 = 4.66 → projected 5, no flags.
	//   s2: 2 (×3), 2 (×3), 3 → (6 + 6 + 3) / 7 = 2.14 → projected 2;
	//       with one 5 at weight 3: (15 + 15) / 10 = 3.00 → a 3, so
	//       projected_fail (warning), needed 1, not certain.
	//   s4: one 4 → few_marks: 2 more needed, 2 lessons left, 2 < 2·2 →
	//       warning; projected 4.
	//   s5 (arrived 2026-01-20): 3, 3, 3 → 3.00 → projected 3, no flags.
	//   s6: no marks, 3 needed > 2 left → few_marks critical, projected
	//       н/а; absent (н) on all 4 lessons held → attendance 0.00 % <
	//       75 % (low_attendance) and a run of 4 going on (absence_run,
	//       critical); the н/а of h1 is an open debt (open_debt).
	// Class projection (by students): 5, 2, 4, 3, н/а → N = 5, excellent
	// 1, good 1, satisfactory 1, failing 2; success 3/5 = 60.00 %,
	// quality 2/5 = 40.00 %.
	var fc struct {
		On       string `json:"on"`
		Students []struct {
			StudentID string `json:"student_id"`
			Subjects  []struct {
				SubjectID string `json:"subject_id"`
				Projected string `json:"projected"`
				Remaining int    `json:"remaining"`
				Flags     []struct {
					Kind     string               `json:"kind"`
					Severity string               `json:"severity"`
					Reason   string               `json:"reason"`
					Numbers  ejournal.RiskNumbers `json:"numbers"`
				}
			}
			Flags []struct {
				Kind     string `json:"kind"`
				Severity string `json:"severity"`
				Reason   string `json:"reason"`
			}
		}
		Classes []struct {
			ClassID string           `json:"class_id"`
			Figures ejournal.Figures `json:"figures"`
		}
	}
	ct := w.as("ct")
	ct.Get(t, "/v1/reports/forecast?period=h2&on=2026-03-02&subject_id="+rMath+"&year_id="+rYear).Want(t, http.StatusOK).Decode(t, &fc)
	got := map[string]string{}
	for _, s := range fc.Students {
		line := ""
		for _, sub := range s.Subjects {
			line += sub.SubjectID + "=" + sub.Projected + " left " + itoa(sub.Remaining) + ":"
			for _, fl := range sub.Flags {
				line += " " + fl.Kind + "/" + fl.Severity
				if fl.Kind == "projected_fail" && fl.Numbers.Needed != 1 {
					t.Errorf("%s needs %d fives", s.StudentID, fl.Numbers.Needed)
				}
				if fl.Reason == "" {
					t.Errorf("%s %s without a reason", s.StudentID, fl.Kind)
				}
			}
		}
		line += " |"
		for _, fl := range s.Flags {
			line += " " + fl.Kind + "/" + fl.Severity
		}
		got[s.StudentID] = line
	}
	wantFC := map[string]string{
		rS1: "r-math=5 left 2: |",
		rS2: "r-math=2 left 2: projected_fail/warning |",
		rS4: "r-math=4 left 2: few_marks/warning |",
		rS5: "r-math=3 left 2: |",
		rS6: "r-math=н/а left 2: few_marks/critical low_attendance/warning | absence_run/critical open_debt/warning",
	}
	if len(got) != len(wantFC) {
		t.Errorf("forecast students %v", got)
	}
	for id, line := range wantFC {
		if got[id] != line {
			t.Errorf("forecast %s = %q, want %q", id, got[id], line)
		}
	}
	if len(fc.Classes) != 1 {
		t.Fatalf("projection %+v", fc.Classes)
	}
	p := fc.Classes[0].Figures
	if p.N != 5 || p.Excellent != 1 || p.Good != 1 || p.Satisfactory != 1 || p.Failing != 2 || hs(p.Success) != "60" || hs(p.Quality) != "40" {
		t.Errorf("projection %+v", p)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// hs writes a figure as JSON does ("67.29", "75"), "-" when absent.
func hs(h *ejournal.Hundredths) string {
	if h == nil {
		return "-"
	}
	return h.String()
}

// TestReportRights: a class teacher sees their class only, parents,
// students and plain teachers no reports, the head teacher the school.
func TestReportRights(t *testing.T) {
	w := newReportWorld(t)
	q := "?period=h1&year_id=" + rYear
	for _, c := range []struct {
		token, target string
		status        int
	}{
		{"ct", "/v1/classes/" + rClassA + "/reports/summary-sheet" + q, http.StatusOK},
		{"ct", "/v1/classes/" + rClassB + "/reports/summary-sheet" + q, http.StatusForbidden},
		{"ct", "/v1/classes/" + rClassB + "/reports/class-teacher" + q, http.StatusForbidden},
		{"ct", "/v1/reports/performance" + q + "&class_id=" + rClassB, http.StatusForbidden},
		{"ct", "/v1/reports/movement?from=2025-09-01&to=2025-12-31", http.StatusForbidden},
		{"ct", "/v1/reports/attendance" + q, http.StatusOK}, // narrowed to 5А
		{"parent", "/v1/reports/performance" + q, http.StatusForbidden},
		{"parent", "/v1/classes/" + rClassA + "/reports/summary-sheet" + q, http.StatusForbidden},
		{"student", "/v1/reports/forecast" + q, http.StatusForbidden},
		{"student", "/v1/classes/" + rClassA + "/reports/class-teacher" + q, http.StatusForbidden},
		{"t1", "/v1/reports/teachers" + q, http.StatusForbidden},
		{"t1", "/v1/classes/" + rClassA + "/reports/summary-sheet" + q, http.StatusForbidden},
		{"head", "/v1/reports/performance" + q, http.StatusOK},
		{"head", "/v1/reports/subjects/" + rMath + "/trend?year_id=" + rYear, http.StatusOK},
		{"head", "/v1/reports/teachers" + q + "&class_id=" + rClassA, http.StatusOK},
		{"head", "/v1/reports/attendance" + q, http.StatusRequestEntityTooLarge},
		{"head", "/v1/reports/performance" + q + "&grade=12", http.StatusBadRequest},
		{"head", "/v1/reports/performance?period=q9&year_id=" + rYear, http.StatusBadRequest},
	} {
		w.as(c.token).Get(t, c.target).Want(t, c.status)
	}
	// The class teacher's forecast without a class is their class's.
	var perf struct {
		Classes []struct {
			ClassID string `json:"class_id"`
		}
	}
	w.as("ct").Get(t, "/v1/reports/performance"+q).Want(t, http.StatusOK).Decode(t, &perf)
	if len(perf.Classes) != 1 || perf.Classes[0].ClassID != rClassA {
		t.Errorf("class teacher's performance: %+v", perf.Classes)
	}
	// English texts for an English caller.
	en := w.as("head").With("Accept-Language", "en").Get(t, "/v1/reports/performance"+q).Want(t, http.StatusOK).Object(t)
	if s, _ := en["definition_text"].(string); len(s) < 10 || s[:3] != "By " {
		t.Errorf("English definition %q", en["definition_text"])
	}
}

// TestReportJobs: a whole-school attendance report refused synchronously
// is built as a job; only its requester reads it.
func TestReportJobs(t *testing.T) {
	w := newReportWorld(t)
	w.buildSchool(t)
	var job struct {
		ID      string `json:"id"`
		State   string `json:"state"`
		FileURL string `json:"file_url"`
	}
	head := w.as("head")
	head.Post(t, "/v1/reports/jobs", map[string]any{"kind": "attendance", "params": map[string]string{"period": "h2", "year_id": rYear}, "format": "json"}).Want(t, http.StatusAccepted).Decode(t, &job)
	if job.State != "queued" {
		t.Fatalf("job %+v", job)
	}
	if err := w.Server.RunReportJob(context.Background(), schoolA, job.ID); err != nil {
		t.Fatal(err)
	}
	// A second delivery of the stream record does nothing.
	if err := w.Server.RunReportJob(context.Background(), schoolA, job.ID); err != nil {
		t.Fatal(err)
	}
	head.Get(t, "/v1/reports/jobs/"+job.ID).Want(t, http.StatusOK).Decode(t, &job)
	if job.State != "done" || job.FileURL == "" {
		t.Fatalf("job %+v", job)
	}
	var rep ejournal.AttendanceReport
	head.Get(t, job.FileURL).Want(t, http.StatusOK).Decode(t, &rep)
	// h2 up to now: 5А mathematics, 4 lessons held × 5 students = 20; s6
	// missed 4 without reason: (20 − 4) / 20 = 80.00 %. 5Б has no lessons
	// and no one on its roll.
	if rep.School.Held != 20 || rep.School.Missed != 4 || rep.School.Unexcused != 4 || hs(rep.School.Percent) != "80" {
		t.Errorf("attendance %+v", rep.School)
	}
	w.as("admin").Get(t, "/v1/reports/jobs/"+job.ID).Want(t, http.StatusNotFound)

	// A CSV file of the movement, built in the background.
	head.Post(t, "/v1/reports/jobs", map[string]any{"kind": "movement", "params": map[string]string{"from": "2025-09-01", "to": "2025-12-31"}, "format": "csv"}).Want(t, http.StatusAccepted).Decode(t, &job)
	head.Get(t, "/v1/reports/jobs/"+job.ID+"/file").Want(t, http.StatusConflict)
	if err := w.Server.RunReportJob(context.Background(), schoolA, job.ID); err != nil {
		t.Fatal(err)
	}
	file := head.Get(t, "/v1/reports/jobs/"+job.ID+"/file").Want(t, http.StatusOK)
	if ct := file.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(string(file.Body), "5А") || !strings.Contains(string(file.Body), "Итого;5;1;1;0;0;5") {
		t.Errorf("CSV %s:\n%s", ct, file.Body)
	}
	w.as("parent").Post(t, "/v1/reports/jobs", map[string]any{"kind": "performance", "params": map[string]string{}, "format": "csv"}).Want(t, http.StatusForbidden)
	head.Post(t, "/v1/reports/jobs", map[string]any{"kind": "nonsense", "params": map[string]string{}, "format": "csv"}).Want(t, http.StatusBadRequest)
}
