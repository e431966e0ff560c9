package api_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
	"ejournal/internal/importer"
)

const mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

var importTokens = apitest.Tokens{
	"clerk":   {PersonID: "p-clerk", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Clerk}},
	"hr":      {PersonID: "p-hr", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HR}},
	"teacher": {PersonID: "p-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}},
	"admin":   {PersonID: "p-admin", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}},
}

// newImportWorld is the API with the records store on schools A and B
// (see world.seed): in A, classes 5А and 5Б of the school year a.year.
func newImportWorld(t *testing.T) *world {
	t.Helper()
	w := &world{Env: apitest.New(t, importTokens)}
	w.a = w.seed(t, schoolA, "Школа № 1")
	w.b = w.seed(t, schoolB, "Школа № 2")
	return w
}

// importReport is the body of a 200 or 201 answer, and the report of a 400.
type importReport struct {
	Valid  bool `json:"valid"`
	Rows   int  `json:"rows"`
	Errors []struct {
		Line    int    `json:"line"`
		Column  string `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
	Summary map[string]int `json:"summary"`
}

// send posts a file to an import route as token.
func (w *world) send(t *testing.T, token, target, contentType string, file []byte) *apitest.Response {
	t.Helper()
	return w.as(token).With("Content-Type", contentType).Post(t, w.expand(target), file)
}

// counts are the records of school A as the store lists them: students,
// parents, staff and family links.
type counts struct{ students, parents, staff, links int }

func (w *world) count(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	for kind, n := range map[ejournal.PersonKind]*int{ejournal.Student: &c.students, ejournal.Parent: &c.parents, ejournal.Staff: &c.staff} {
		people, err := w.DB.People(ctx, schoolA, ejournal.PersonFilter{Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		*n = len(people)
		if kind != ejournal.Student {
			continue
		}
		for _, s := range people {
			links, err := w.DB.Parents(ctx, schoolA, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			c.links += len(links)
		}
	}
	return c
}

const studentsFile = "Фамилия;Имя;Отчество;Дата рождения;Класс;Фамилия родителя;Имя родителя;Отчество родителя;Телефон родителя;Согласие на SMS;Кем приходится;Фамилия родителя 2;Имя родителя 2;Телефон родителя 2;Кем приходится 2\n" +
	"Иванов;Пётр;Сергеевич;08.03.2014;5А;Иванова;Мария;Ивановна;+79123456789;да;мать;Иванов;Сергей;+79123456780;отец\n" +
	"Иванова;Анна;Сергеевна;01.09.2015;5Б;Иванова;Мария;Ивановна;8 912 345-67-89;да;мать;Иванов;Сергей;+79123456780;отец\n" +
	"Петров;Олег;;2014-05-20;5 а;Петрова;Елена;;;нет;опекун;;;;\n"

func TestImportStudents(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	before := w.count(t)
	target := "/v1/import/students?year_id=$a.year"
	wantSummary := map[string]int{"students": 3, "parents": 3, "links": 5}

	var dry importReport
	w.send(t, "clerk", target+"&dry_run=true", "text/csv", []byte(studentsFile)).Want(t, http.StatusOK).Decode(t, &dry)
	if !dry.Valid || dry.Rows != 3 || len(dry.Errors) != 0 || !reflect.DeepEqual(dry.Summary, wantSummary) {
		t.Errorf("dry run: %+v", dry)
	}
	if got := w.count(t); got != before {
		t.Fatalf("a dry run wrote records: %+v, before %+v", got, before)
	}

	for range 2 { // the second import of the same file writes nothing new
		var rep importReport
		w.send(t, "clerk", target, "text/csv; charset=utf-8", []byte(studentsFile)).Want(t, http.StatusCreated).Decode(t, &rep)
		if !rep.Valid || rep.Rows != 3 || !reflect.DeepEqual(rep.Summary, wantSummary) {
			t.Errorf("import: %+v", rep)
		}
		want := counts{before.students + 3, before.parents + 3, before.staff, before.links + 5}
		if got := w.count(t); got != want {
			t.Fatalf("records %+v, want %+v", got, want)
		}
	}

	ctx := context.Background()
	inClass, err := w.DB.People(ctx, schoolA, ejournal.PersonFilter{ClassID: w.a["class"]})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range inClass {
		names = append(names, p.FullName())
		// The student and each link to a parent were created once, by the
		// clerk, however many times the file was imported.
		links, err := w.DB.Parents(ctx, schoolA, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		trail, err := w.DB.AuditTrail(ctx, schoolA, "person", p.ID)
		if err != nil || len(trail) != 1+len(links) {
			t.Errorf("audit trail of %s: %d entries, %v; want %d", p.FullName(), len(trail), err, 1+len(links))
		}
		for _, a := range trail {
			if a.Action != "create" || a.ActorID != "p-clerk" || a.Reason != "import" {
				t.Errorf("audit entry of %s: %+v", p.FullName(), a)
			}
		}
	}
	if want := []string{"Иванов Пётр Сергеевич", "Петров Олег"}; !reflect.DeepEqual(names, want) {
		t.Errorf("students of 5А %v, want %v", names, want)
	}
	parents, err := w.DB.Parents(ctx, schoolA, inClass[0].ID)
	if err != nil || len(parents) != 2 {
		t.Fatalf("parents of %s: %+v, %v", inClass[0].FullName(), parents, err)
	}
	for _, l := range parents {
		children, err := w.DB.Children(ctx, schoolA, l.ParentID)
		if err != nil || len(children) != 2 {
			t.Errorf("the siblings' parent %s has children %+v, %v", l.ParentID, children, err)
		}
	}
}

func TestImportStudentsXLSX(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	before := w.count(t)
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{
		{"last_name", "first_name", "birth_date", "class", "parent_last_name", "parent_first_name", "parent_phone", "relation"},
		{"Иванов", "Пётр", time.Date(2014, 3, 8, 0, 0, 0, 0, time.UTC), "5А", "Иванова", "Мария", 79123456789, "mother"},
	} {
		if err := f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	var rep importReport
	w.send(t, "clerk", "/v1/import/students?year_id=$a.year", mediaXLSX, buf.Bytes()).Want(t, http.StatusCreated).Decode(t, &rep)
	if want := (counts{before.students + 1, before.parents + 1, before.staff, before.links + 1}); w.count(t) != want {
		t.Errorf("records %+v, want %+v", w.count(t), want)
	}
}

// TestImportStudentsInvalid: a file with one bad row writes nothing, and
// the report names the row, its column and what is wrong.
func TestImportStudentsInvalid(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	before := w.count(t)
	file := strings.Replace(studentsFile, "+79123456780;отец\nПетров", "+7912;отец\nПетров", 1)
	target := "/v1/import/students?year_id=$a.year"

	res := w.send(t, "clerk", target, "text/csv", []byte(file)).Want(t, http.StatusBadRequest)
	var body struct {
		Error  apitest.ErrorBody `json:"error"`
		Report importReport      `json:"report"`
	}
	res.Decode(t, &body)
	rep := body.Report
	if rep.Valid || rep.Rows != 3 || len(rep.Errors) != 1 || !reflect.DeepEqual(rep.Summary, map[string]int{"students": 0, "parents": 0, "links": 0}) {
		t.Fatalf("report %+v", rep)
	}
	e := rep.Errors[0]
	if e.Line != 3 || e.Column != "Телефон родителя 2" || !strings.Contains(e.Message, "Телефон в международном формате") {
		t.Errorf("problem %+v", e)
	}
	if body.Error.Code != ejournal.EINVALID || !strings.Contains(body.Error.Message, "ничего не записано") || body.Error.Fields["3:Телефон родителя 2"] != e.Message {
		t.Errorf("error envelope %+v", body.Error)
	}
	if got := w.count(t); got != before {
		t.Fatalf("an invalid file wrote records: %+v, before %+v", got, before)
	}

	var dry importReport
	w.send(t, "clerk", target+"&dry_run=1", "text/csv", []byte(file)).Want(t, http.StatusOK).Decode(t, &dry)
	dry.Errors[0].Message = e.Message
	if !reflect.DeepEqual(dry, rep) {
		t.Errorf("dry run %+v, want the report %+v", dry, rep)
	}

	var en importReport
	w.as("clerk").With("Content-Type", "text/csv").With("Accept-Language", "en").
		Post(t, w.expand(target+"&dry_run=true"), strings.Replace(file, "5Б", "11Я", 1)).Want(t, http.StatusOK).Decode(t, &en)
	want := []string{`3 Класс: There is no class "11Я" in this school year. Create it first.`, "3 Телефон родителя 2: A phone number in international form, e.g. +79123456789."}
	var got []string
	for _, e := range en.Errors {
		got = append(got, fmt.Sprintf("%d %s: %s", e.Line, e.Column, e.Message))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("English report %q, want %q", got, want)
	}
	if got := w.count(t); got != before {
		t.Fatalf("records %+v, before %+v", got, before)
	}
}

func TestImportStaff(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	before := w.count(t)
	file := "Фамилия,Имя,Отчество,Должность,Дата приёма,Приказ,Телефон,Дата рождения\n" +
		"Смирнова,Ольга,Петровна,Учитель математики,01.09.2015,№ 45-к,+7 (912) 000-11-22,12.05.1980\n" +
		"Кузнецов,Андрей,,Учитель физкультуры,2020-08-31,,,\n"
	for range 2 {
		var rep importReport
		w.send(t, "hr", "/v1/import/staff", "text/csv", []byte(file)).Want(t, http.StatusCreated).Decode(t, &rep)
		if !rep.Valid || rep.Rows != 2 || !reflect.DeepEqual(rep.Summary, map[string]int{"staff": 2}) {
			t.Errorf("report %+v", rep)
		}
		if want := (counts{before.students, before.parents, before.staff + 2, before.links}); w.count(t) != want {
			t.Fatalf("records %+v, want %+v", w.count(t), want)
		}
	}
	staff, err := w.DB.People(context.Background(), schoolA, ejournal.PersonFilter{Kind: ejournal.Staff})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range staff {
		if p.LastName == "Смирнова" && (p.Employment == nil || p.Employment.HiredOn != "2015-09-01" || p.Employment.Position != "Учитель математики") {
			t.Errorf("employment %+v", p.Employment)
		}
	}

	res := w.send(t, "hr", "/v1/import/staff?dry_run=false", "text/csv", []byte("Фамилия;Имя;Должность\nОрлов;Лев;Учитель\n")).Want(t, http.StatusBadRequest)
	if f := res.Error(t).Fields; f["1:Дата приёма"] == "" {
		t.Errorf("fields %v do not name the missing column", f)
	}
}

func TestImportAccess(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	const staffFile = "Фамилия;Имя;Должность;Дата приёма\nОрлов;Лев;Учитель;01.09.2020\n"
	tests := []struct {
		token, target, file string
		status              int
	}{
		{"teacher", "/v1/import/students?year_id=$a.year", studentsFile, http.StatusForbidden},
		{"teacher", "/v1/import/staff", staffFile, http.StatusForbidden},
		{"teacher", "/v1/import/students?dry_run=true&year_id=$a.year", studentsFile, http.StatusForbidden},
		{"hr", "/v1/import/students?dry_run=true&year_id=$a.year", studentsFile, http.StatusForbidden},
		{"clerk", "/v1/import/staff?dry_run=true", staffFile, http.StatusForbidden},
		{"", "/v1/import/staff?dry_run=true", staffFile, http.StatusUnauthorized},
		{"clerk", "/v1/import/students?dry_run=true&year_id=$a.year", studentsFile, http.StatusOK},
		{"hr", "/v1/import/staff?dry_run=true", staffFile, http.StatusOK},
		{"admin", "/v1/import/staff?dry_run=true", staffFile, http.StatusOK},
	}
	before := w.count(t)
	for _, tt := range tests {
		c := w.Client.With("Content-Type", "text/csv")
		if tt.token != "" {
			c = c.As(tt.token)
		}
		c.Post(t, w.expand(tt.target), tt.file).Want(t, tt.status)
	}
	if got := w.count(t); got != before {
		t.Errorf("records %+v, before %+v", got, before)
	}
}

func TestImportBadRequests(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	tests := []struct {
		name, target, contentType string
		file                      []byte
		status                    int
		field                     string
	}{
		{"JSON is not a file", "/v1/import/staff", "application/json", []byte(`{}`), http.StatusBadRequest, ""},
		{"no Content-Type", "/v1/import/staff", "", []byte("x"), http.StatusBadRequest, ""},
		{"bad dry_run", "/v1/import/staff?dry_run=maybe", "text/csv", []byte("x"), http.StatusBadRequest, "dry_run"},
		{"a year of another school", "/v1/import/students?year_id=$b.year", "text/csv", []byte(studentsFile), http.StatusBadRequest, "year_id"},
		{"a bad year id", "/v1/import/students?year_id=a%23b", "text/csv", []byte(studentsFile), http.StatusBadRequest, "year_id"},
		{"over the file limit", "/v1/import/staff", "text/csv", []byte(strings.Repeat("x", importer.MaxFileBytes+1)), http.StatusRequestEntityTooLarge, ""},
	}
	for _, tt := range tests {
		c := w.as("admin")
		if tt.contentType != "" {
			c = c.With("Content-Type", tt.contentType)
		}
		e := c.Post(t, w.expand(tt.target), tt.file).Want(t, tt.status).Error(t)
		if tt.field != "" && e.Fields[tt.field] == "" {
			t.Errorf("%s: fields %v, want %s", tt.name, e.Fields, tt.field)
		}
	}
	// A file over the server's usual 1 MiB limit but within the import's is
	// read: here, a report of its 5001 rows being too many.
	big := "Фамилия;Имя;Должность;Дата приёма\n" + strings.Repeat("Орлов;Лев;"+strings.Repeat("Учитель ", 12)+";01.09.2020\n", importer.MaxRows+1)
	if len(big) <= 1<<20 || len(big) > importer.MaxFileBytes {
		t.Fatalf("the big file has %d bytes", len(big))
	}
	var rep importReport
	w.send(t, "admin", "/v1/import/staff?dry_run=true", "text/csv", []byte(big)).Want(t, http.StatusOK).Decode(t, &rep)
	if rep.Valid || len(rep.Errors) != 1 || rep.Errors[0].Line != importer.MaxRows+2 {
		t.Errorf("report %+v", rep)
	}
}

// TestImportCurrentYear: without year_id, classes are those of the school
// year that contains today.
func TestImportCurrentYear(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Yekaterinburg")
	today := ejournal.DateOf(time.Now().In(loc))
	var yearID string
	for _, key := range []string{"year", "year2"} {
		y, err := w.DB.Year(ctx, schoolA, w.a[key])
		if err != nil {
			t.Fatal(err)
		}
		if y.Start <= today && today <= y.End {
			yearID = y.ID
		}
	}
	file := "Фамилия;Имя;Дата рождения;Класс\nИванов;Пётр;08.03.2014;9Я\n"
	if yearID == "" {
		res := w.send(t, "clerk", "/v1/import/students?dry_run=true", "text/csv", []byte(file)).Want(t, http.StatusBadRequest)
		if res.Error(t).Fields["year_id"] == "" {
			t.Errorf("no year contains today, yet the error does not ask for year_id: %s", res.Body)
		}
		start := today.Time().AddDate(0, -1, 0)
		y := &ejournal.SchoolYear{SchoolID: schoolA, Name: "текущий", Start: ejournal.DateOf(start), End: ejournal.DateOf(start.AddDate(0, 11, 0)), TermKind: ejournal.Halves,
			Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: ejournal.DateOf(start), End: ejournal.DateOf(start.AddDate(0, 5, 0))}, {ID: "h2", Name: "II", Start: ejournal.DateOf(start.AddDate(0, 6, 0)), End: ejournal.DateOf(start.AddDate(0, 11, 0))}}}
		if err := w.DB.CreateYear(ctx, y); err != nil {
			t.Fatal(err)
		}
		yearID = y.ID
	}
	var rep importReport
	w.send(t, "clerk", "/v1/import/students?dry_run=true", "text/csv", []byte(file)).Want(t, http.StatusOK).Decode(t, &rep)
	if rep.Valid || len(rep.Errors) != 1 || rep.Errors[0].Column != "Класс" {
		t.Fatalf("9Я is not yet a class, yet the report is %+v", rep)
	}
	if err := w.DB.CreateClass(ctx, &ejournal.Class{ID: "a-9ya", SchoolID: schoolA, YearID: yearID, Grade: 9, Letter: "Я"}); err != nil {
		t.Fatal(err)
	}
	w.send(t, "clerk", "/v1/import/students?dry_run=true", "text/csv", []byte(file)).Want(t, http.StatusOK).Decode(t, &rep)
	if !rep.Valid {
		t.Errorf("report %+v", rep)
	}
}
