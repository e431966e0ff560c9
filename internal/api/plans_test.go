package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
	"ejournal/internal/importer"
)

// The people of the plan tests, all of school A's tree (see seed).
const (
	pTeacher    = "p-teacher"     // school-a-teacher: teaches the subject in class
	pArtTeacher = "p-art-teacher" // school-a-teacher2: teaches art in class
	pHead       = "p-head"        // a head teacher: plans.write school-wide
	pAdminB     = "p-admin-b"     // school B's administrator
)

var planTokens = apitest.Tokens{
	pTeacher: {PersonID: "school-a-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: "school-a-class", SubjectID: "school-a-subject"}}},
	pArtTeacher: {PersonID: "school-a-teacher2", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: "school-a-class", SubjectID: "art"}}},
	pHead:   {PersonID: "p-head", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HeadTeacher}},
	pAdminB: {PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

const (
	plansPath = "/v1/years/school-a-year/plans"
	planPath  = plansPath + "/school-a-class.school-a-subject"
)

func newPlanWorld(tb testing.TB) *world {
	tb.Helper()
	w := &world{Env: apitest.New(tb, planTokens)}
	w.Server.Plans = w.DB
	w.a = w.seed(tb, schoolA, "Школа № 1")
	w.b = w.seed(tb, schoolB, "Школа № 2")
	if err := w.DB.CreateSubject(context.Background(), &ejournal.Subject{ID: "art", SchoolID: schoolA, Name: "ИЗО", ShortName: "ИЗО"}); err != nil {
		tb.Fatal(err)
	}
	return w
}

// topics builds plan topics "Тема 1", "Тема 2", … of the given hours.
func topics(hours ...int) []map[string]any {
	var out []map[string]any
	for i, h := range hours {
		out = append(out, map[string]any{"section": "Натуральные числа", "title": "Тема " + string(rune('1'+i)), "hours": h})
	}
	return out
}

func (w *world) createPlan(t *testing.T, token string, hours ...int) ejournal.Plan {
	t.Helper()
	var p ejournal.Plan
	w.as(token).Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "topics": topics(hours...)}).
		Want(t, http.StatusCreated).Decode(t, &p)
	return p
}

func (w *world) listPlans(t *testing.T, token string) []ejournal.Plan {
	t.Helper()
	var l struct{ Items []ejournal.Plan }
	w.as(token).Get(t, plansPath+"?class_id="+w.a["class"]).Want(t, http.StatusOK).Decode(t, &l)
	return l.Items
}

func TestPlanLifecycle(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	teacher := w.as(pTeacher)

	res := teacher.Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "topics": topics(2, 1)}).Want(t, http.StatusCreated)
	var p ejournal.Plan
	res.Decode(t, &p)
	if p.ID != "school-a-class.school-a-subject" || p.Version != 1 || len(p.Topics) != 2 || p.Topics[0].ID == "" || res.Header.Get("Location") != planPath {
		t.Fatalf("created %+v (Location %q)", p, res.Header.Get("Location"))
	}
	wantError(t, teacher.Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "topics": topics(1)}), http.StatusConflict, "")
	wantError(t, teacher.Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "group_id": w.a["group2"], "topics": topics(1)}), http.StatusBadRequest, "group_id")
	wantError(t, teacher.Post(t, "/v1/years/school-a-year2/plans", map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "topics": topics(1)}), http.StatusBadRequest, "class_id")
	wantError(t, teacher.Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "group_id": w.a["group"], "topics": topics(21)}), http.StatusBadRequest, "topics[0].hours")

	var got ejournal.Plan
	teacher.Get(t, planPath).Want(t, http.StatusOK).Decode(t, &got)
	if got.Version != 1 || got.Topics[1].Title != "Тема 2" {
		t.Fatalf("read back %+v", got)
	}
	if l := w.listPlans(t, pTeacher); len(l) != 1 || l[0].ID != p.ID {
		t.Fatalf("list %+v", l)
	}

	kept := p.Topics[0]
	kept.Title = "Тема 1, исправленная"
	teacher.Do(t, http.MethodPut, planPath, map[string]any{"version": 1, "topics": []any{kept, map[string]any{"title": "Новая тема", "hours": 3, "planned_date": "2025-09-10"}}}).
		Want(t, http.StatusOK).Decode(t, &got)
	if got.Version != 2 || len(got.Topics) != 2 || got.Topics[0].ID != kept.ID || got.Topics[1].ID == "" || got.Topics[1].PlannedDate != "2025-09-10" {
		t.Fatalf("replaced %+v", got)
	}
	wantError(t, teacher.Do(t, http.MethodPut, planPath, map[string]any{"version": 1, "topics": topics(1)}), http.StatusConflict, "")
	wantError(t, teacher.Do(t, http.MethodPut, planPath, map[string]any{"version": 2, "topics": []any{map[string]any{"title": "Т", "hours": 1, "planned_date": "2027-01-01"}}}), http.StatusBadRequest, "topics[0].planned_date")
	wantError(t, teacher.Do(t, http.MethodDelete, planPath+"?version=1", nil), http.StatusConflict, "")
	teacher.Do(t, http.MethodDelete, planPath+"?version=2", nil).Want(t, http.StatusOK)
	wantError(t, teacher.Get(t, planPath), http.StatusNotFound, "")
	if l := w.listPlans(t, pTeacher); len(l) != 0 {
		t.Fatalf("list after delete %+v", l)
	}
}

func TestPlanAccess(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	w.createPlan(t, pHead, 1)
	art := w.as(pArtTeacher)

	// A teacher of another subject in the class may neither write nor read the plan.
	wantError(t, art.Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": w.a["subject"], "group_id": w.a["group"], "topics": topics(1)}), http.StatusForbidden, "")
	wantError(t, art.Do(t, http.MethodPut, planPath, map[string]any{"version": 1, "topics": topics(1)}), http.StatusForbidden, "")
	wantError(t, art.Do(t, http.MethodDelete, planPath+"?version=1", nil), http.StatusForbidden, "")
	wantError(t, art.With("Content-Type", "text/csv").Post(t, "/v1/years/school-a-year/plan-import?class_id=school-a-class&subject_id=school-a-subject", "Тема\nА\n"), http.StatusForbidden, "")
	wantError(t, art.Post(t, planPath+"/copy", map[string]any{"class_id": w.a["class2"]}), http.StatusForbidden, "")
	wantError(t, art.Get(t, planPath), http.StatusForbidden, "")
	wantError(t, art.Get(t, planPath+"/progress"), http.StatusForbidden, "")
	if l := w.listPlans(t, pArtTeacher); len(l) != 0 {
		t.Fatalf("the art teacher lists %+v", l)
	}
	// Their own subject is theirs to plan.
	art.Post(t, plansPath, map[string]any{"class_id": w.a["class"], "subject_id": "art", "topics": topics(1)}).Want(t, http.StatusCreated)
	// The teacher of the subject may not plan it in a class they do not teach.
	wantError(t, w.as(pTeacher).Post(t, plansPath, map[string]any{"class_id": w.a["class2"], "subject_id": w.a["subject"], "topics": topics(1)}), http.StatusForbidden, "")
	// Another school sees nothing.
	wantError(t, w.as(pAdminB).Get(t, planPath), http.StatusNotFound, "")
	wantError(t, w.as(pAdminB).Get(t, plansPath), http.StatusNotFound, "")
}

const planCSVHeader = "\xEF\xBB\xBF№;Раздел;Тема;Часы;Дата\n"

func (w *world) importPlan(t *testing.T, token, contentType, query string, file any) *apitest.Response {
	t.Helper()
	return w.as(token).With("Content-Type", contentType).Post(t, "/v1/years/school-a-year/plan-import?class_id=school-a-class&subject_id=school-a-subject"+query, file)
}

func TestPlanImport(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	good := planCSVHeader + ";Натуральные числа;;;\n1;;Ряд натуральных чисел;1;01.09.2025\n2;;Сложение;2;2025-09-03\n"
	bad := good + "3;;Вычитание;двадцать;\n4;;;1;05.09.2025\n"

	var rep struct {
		Valid   bool
		Rows    int
		Summary struct{ Topics, Hours int }
		Topics  []ejournal.PlanTopic
		Errors  []struct {
			Line   int
			Column string
		}
		Plan *ejournal.Plan
	}
	w.importPlan(t, pTeacher, "text/csv", "&dry_run=true", good).Want(t, http.StatusOK).Decode(t, &rep)
	if !rep.Valid || rep.Rows != 3 || rep.Summary.Topics != 2 || rep.Summary.Hours != 3 || rep.Topics[1].Title != "Сложение" || rep.Topics[1].Section != "Натуральные числа" || rep.Plan != nil {
		t.Fatalf("dry run %+v", rep)
	}
	w.importPlan(t, pTeacher, "text/csv", "&dry_run=true", bad).Want(t, http.StatusOK).Decode(t, &rep)
	if rep.Valid || len(rep.Errors) != 2 || rep.Errors[0].Line != 5 || rep.Errors[0].Column != "Часы" || rep.Errors[1].Line != 6 || rep.Errors[1].Column != "Тема" {
		t.Fatalf("dry run of a bad file %+v", rep)
	}

	// A file with a bad row writes nothing and names the row: CSV and XLSX.
	e := wantError(t, w.importPlan(t, pTeacher, "text/csv", "", bad), http.StatusBadRequest, "5:Часы")
	if e.Fields["6:Тема"] == "" {
		t.Fatalf("rejection %+v does not name row 6", e)
	}
	badXLSX := xlsxFile(t,
		[]any{"№", "Раздел", "Тема", "Часы", "Дата"},
		[]any{1, "Числа", "Сложение", 1, nil},
		[]any{2, "Числа", "Вычитание", 1, "2024-01-01"},
	)
	wantError(t, w.importPlan(t, pTeacher, mediaXLSX, "", badXLSX), http.StatusBadRequest, "3:Дата")
	if l := w.listPlans(t, pTeacher); len(l) != 0 {
		t.Fatalf("a rejected file wrote %+v", l)
	}

	// A valid file, uploaded as a form, creates the plan.
	res := w.importPlan(t, pTeacher, "", "", nil)
	wantError(t, res, http.StatusBadRequest, "")
	body, ct := multipartFile(t, "ктп.csv", good)
	res = w.importPlan(t, pTeacher, ct, "", body).Want(t, http.StatusCreated)
	res.Decode(t, &rep)
	if !rep.Valid || rep.Plan == nil || rep.Plan.Version != 1 || len(rep.Plan.Topics) != 2 || res.Header.Get("Location") != planPath {
		t.Fatalf("import %+v", rep)
	}
	first := rep.Plan.Topics

	// Importing an edited file replaces the topics; unchanged topics keep their ids.
	w.importPlan(t, pTeacher, "text/csv", "", good+"3;;Вычитание;1;\n").Want(t, http.StatusOK).Decode(t, &rep)
	if rep.Plan.Version != 2 || len(rep.Plan.Topics) != 3 || rep.Plan.Topics[0].ID != first[0].ID || rep.Plan.Topics[1].ID != first[1].ID {
		t.Fatalf("re-import %+v, first topics %+v", rep.Plan, first)
	}
	wantError(t, w.importPlan(t, pTeacher, "application/pdf", "", "%PDF"), http.StatusBadRequest, "")
}

// xlsxFile is a workbook whose first sheet holds rows.
func xlsxFile(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartFile is a multipart/form-data body with one file part "file".
func multipartFile(t *testing.T, name, content string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// progress reads the plan's progress as of date.
func (w *world) progress(t *testing.T, date string) ejournal.PlanProgress {
	t.Helper()
	var pg ejournal.PlanProgress
	w.as(pTeacher).Get(t, planPath+"/progress?date="+date).Want(t, http.StatusOK).Decode(t, &pg)
	return pg
}

func TestPlanTopicsAndProgress(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	p := w.createPlan(t, pTeacher, 2, 1, 1)

	// Each new lesson without a topic gets the next topic of the plan.
	var ls []ejournal.Lesson
	for i, date := range []string{"2025-09-01", "2025-09-02", "2025-09-03"} {
		ls = append(ls, w.lesson(t, pTeacher, map[string]any{"date": date, "period": i + 1}))
	}
	typed := w.lesson(t, pTeacher, map[string]any{"date": "2025-09-04", "topic": "Экскурсия"})
	var got []string
	for _, l := range append(ls, typed) {
		got = append(got, l.PlanTopicID+"/"+l.Topic)
	}
	want := []string{p.Topics[0].ID + "/Тема 1", p.Topics[0].ID + "/Тема 1", p.Topics[1].ID + "/Тема 2", "/Экскурсия"}
	if !slices.Equal(got, want) {
		t.Fatalf("lesson topics %v, want %v", got, want)
	}

	pg := w.progress(t, "2025-09-10")
	if pg.HeldLessons != 4 || pg.UnplannedLessons != 1 || pg.TaughtHours != 3 || pg.DueHours != 4 || pg.Lag != 1 || pg.NextTopic == nil || pg.NextTopic.ID != p.Topics[2].ID || pg.ByDates {
		t.Fatalf("progress after four lessons %+v", pg)
	}
	// A lesson added: the plan is covered.
	w.lesson(t, pTeacher, map[string]any{"date": "2025-09-05"})
	pg = w.progress(t, "2025-09-10")
	if pg.HeldLessons != 5 || pg.TaughtHours != 4 || pg.DueHours != 4 || pg.Lag != 0 || pg.NextTopic != nil {
		t.Fatalf("progress after a fifth lesson %+v", pg)
	}
	// A lesson moved past today is no longer held.
	var moved ejournal.Lesson
	w.as(pTeacher).Patch(t, "/v1/lessons/"+ls[2].ID, map[string]any{"version": 1, "date": "2025-09-20"}).Want(t, http.StatusOK).Decode(t, &moved)
	pg = w.progress(t, "2025-09-10")
	if pg.HeldLessons != 4 || pg.TaughtHours != 3 || pg.Topics[1].Held != 0 || pg.Topics[1].Scheduled != 1 || pg.Lag != 1 {
		t.Fatalf("progress after moving a lesson %+v", pg)
	}
	// A lesson deleted no longer counts.
	w.as(pTeacher).Do(t, http.MethodDelete, "/v1/lessons/"+ls[0].ID+"?version=1", nil).Want(t, http.StatusOK)
	pg = w.progress(t, "2025-09-10")
	if pg.HeldLessons != 3 || pg.TaughtHours != 2 || pg.Topics[0].Held != 1 || pg.DueHours != 3 || pg.Lag != 1 {
		t.Fatalf("progress after deleting a lesson %+v", pg)
	}
	// With planned dates the plan runs by the calendar: ahead of it here.
	var cur ejournal.Plan
	w.as(pTeacher).Get(t, planPath).Want(t, http.StatusOK).Decode(t, &cur)
	for i, d := range []ejournal.Date{"2025-09-01", "2025-09-15", "2025-09-22"} {
		cur.Topics[i].PlannedDate = d
	}
	w.as(pTeacher).Do(t, http.MethodPut, planPath, map[string]any{"version": cur.Version, "topics": cur.Topics}).Want(t, http.StatusOK)
	pg = w.progress(t, "2025-09-10")
	if !pg.ByDates || pg.DueHours != 2 || pg.TaughtHours != 2 || pg.Lag != 0 {
		t.Fatalf("progress by dates %+v", pg)
	}
	wantError(t, w.as(pTeacher).Get(t, planPath+"/progress?date=10.09.2025"), http.StatusBadRequest, "date")
}

func TestPlanCopyAndExport(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	p := w.createPlan(t, pHead, 2, 1)
	var cur ejournal.Plan
	p.Topics[0].PlannedDate = "2025-09-02"
	w.as(pHead).Do(t, http.MethodPut, planPath, map[string]any{"version": 1, "topics": p.Topics}).Want(t, http.StatusOK).Decode(t, &cur)

	// Copy to the parallel class.
	var c ejournal.Plan
	res := w.as(pHead).Post(t, planPath+"/copy", map[string]any{"class_id": w.a["class2"]}).Want(t, http.StatusCreated)
	res.Decode(t, &c)
	if c.ID != "school-a-class2.school-a-subject" || c.ClassID != w.a["class2"] || c.Version != 1 || len(c.Topics) != 2 || c.Topics[0].ID == cur.Topics[0].ID ||
		c.Topics[0].Title != "Тема 1" || c.Topics[0].Hours != 2 || c.Topics[0].PlannedDate != "2025-09-02" || res.Header.Get("Location") != plansPath+"/"+c.ID {
		t.Fatalf("copy %+v", c)
	}
	wantError(t, w.as(pHead).Post(t, planPath+"/copy", map[string]any{"class_id": w.a["class2"]}), http.StatusConflict, "")
	wantError(t, w.as(pHead).Post(t, planPath+"/copy", map[string]any{"class_id": w.a["class2"], "year_id": w.a["year2"]}), http.StatusBadRequest, "class_id")
	wantError(t, w.as(pHead).Post(t, planPath+"/copy", map[string]any{"class_id": w.b["class"]}), http.StatusBadRequest, "class_id")

	// Export to XLSX, and the importer reads the same topics back.
	res = w.as(pTeacher).Get(t, planPath+"/export").Want(t, http.StatusOK)
	if res.Header.Get("Content-Type") != mediaXLSX {
		t.Fatalf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.Contains(cd, `filename="KTP 5A Matematika 2025-2026.xlsx"`) ||
		!strings.Contains(cd, "filename*=UTF-8''%D0%9A%D0%A2%D0%9F%205%D0%90%20%D0%9C%D0%B0%D1%82%D0%B5%D0%BC%D0%B0%D1%82%D0%B8%D0%BA%D0%B0%202025-2026.xlsx") {
		t.Fatalf("Content-Disposition %q", cd) // «КТП 5А Математика 2025-2026.xlsx»
	}
	tab, err := importer.DecodeXLSX(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	back, err := importer.PlanTopics(tab, importer.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		back[i].ID = cur.Topics[i].ID
	}
	if !slices.Equal(back, cur.Topics) {
		t.Fatalf("exported and read back %+v, want %+v", back, cur.Topics)
	}
	// Re-importing the export changes no topic id.
	var rep struct{ Plan ejournal.Plan }
	w.importPlan(t, pTeacher, mediaXLSX, "", res.Body).Want(t, http.StatusOK).Decode(t, &rep)
	if !slices.Equal(rep.Plan.Topics, cur.Topics) {
		t.Fatalf("re-imported export %+v, want %+v", rep.Plan.Topics, cur.Topics)
	}
}
