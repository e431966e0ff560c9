package export

import (
	"bytes"
	"encoding/csv"
	"mime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/ejournal"
)

// h returns a pointer to a figure.
func h(v ejournal.Hundredths) *ejournal.Hundredths { return &v }

// fixtureInput is class 5А at the end of the second quarter:
//
//	           math  rus  pe
//	Антонов     5     5    5
//	Борисова    5     4    осв.
//	Волков      3     4    5
//	Григорьев   н/а   3    4
//	Ёлкина      4     5    —    arrived 2026-11-20
//	Егоров      2     2         left 2026-11-15: not on the sheet
func fixtureInput() ejournal.PerformanceInput {
	tm := func(student, subject string, v ejournal.TermValue) *ejournal.TermMark {
		return &ejournal.TermMark{StudentID: student, SubjectID: subject, Period: "q2", Value: v, ConfirmedBy: "t1"}
	}
	return ejournal.PerformanceInput{
		Scope: ejournal.Scope{
			Classes:  []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}},
			Subjects: []*ejournal.Subject{{ID: "math", Name: "Математика"}, {ID: "rus", Name: "Русский язык"}, {ID: "pe", Name: "Физическая культура"}},
			Roster: []ejournal.RosterEntry{
				{StudentID: "a1", LastName: "Антонов", FirstName: "Антон", ClassID: "c5a"},
				{StudentID: "a2", LastName: "Борисова", FirstName: "Вера", ClassID: "c5a"},
				{StudentID: "a3", LastName: "Волков", FirstName: "Глеб", ClassID: "c5a"},
				{StudentID: "a4", LastName: "Григорьев", FirstName: "Денис", ClassID: "c5a"},
				{StudentID: "a5", LastName: "Ёлкина", FirstName: "Зоя", ClassID: "c5a", Arrived: "2026-11-20"},
				{StudentID: "a6", LastName: "Егоров", FirstName: "Жан", ClassID: "c5a", Left: "2026-11-15"},
			},
			Assignments: []*ejournal.Assignment{
				{TeacherID: "t1", ClassID: "c5a", SubjectID: "math"},
				{TeacherID: "t2", ClassID: "c5a", SubjectID: "rus"},
				{TeacherID: "t3", ClassID: "c5a", SubjectID: "pe"},
			},
		},
		Period: "q2",
		End:    "2026-12-27",
		TermMarks: []*ejournal.TermMark{
			tm("a1", "math", "5"), tm("a1", "rus", "5"), tm("a1", "pe", "5"),
			tm("a2", "math", "5"), tm("a2", "rus", "4"), tm("a2", "pe", ejournal.Exempt),
			tm("a3", "math", "3"), tm("a3", "rus", "4"), tm("a3", "pe", "5"),
			tm("a4", "math", ejournal.NotAssessed), tm("a4", "rus", "3"), tm("a4", "pe", "4"),
			tm("a5", "math", "4"), tm("a5", "rus", "5"),
			tm("a6", "math", "2"), tm("a6", "rus", "2"),
		},
	}
}

var fixtureOptions = Options{Names: Names{Periods: map[string]string{"q2": "2 четверть"}, Teachers: map[string]string{"t1": "Петрова А. А."}}}

// openXLSX writes tables as XLSX and opens the result.
func openXLSX(t *testing.T, tables ...*Table) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := XLSX(&buf, tables...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the written workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetGrid reads a sheet written from one table: the header row (found
// by the table's first column title in column A) and a reader of cells by
// row and column from 0 under it.
type sheetGrid struct {
	t      *testing.T
	f      *excelize.File
	sheet  string
	header int
}

func gridOf(t *testing.T, f *excelize.File, sheet string, tb *Table) sheetGrid {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) >= len(tb.Columns) && r[0] == tb.Columns[0].Title && r[len(tb.Columns)-1] == tb.Columns[len(tb.Columns)-1].Title {
			return sheetGrid{t, f, sheet, i + 1}
		}
	}
	t.Fatalf("sheet %q has no header row %v", sheet, tb.Columns)
	return sheetGrid{}
}

func (g sheetGrid) ref(row, col int) string { return cellName(col+1, g.header+1+row) }

// number returns a cell that must be stored as a number.
func (g sheetGrid) number(row, col int) float64 {
	g.t.Helper()
	ref := g.ref(row, col)
	typ, err := g.f.GetCellType(g.sheet, ref)
	if err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		g.t.Fatalf("%s!%s: type %v (%v), want a number", g.sheet, ref, typ, err)
	}
	raw, err := g.f.GetCellValue(g.sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		g.t.Fatal(err)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		g.t.Fatalf("%s!%s = %q, want a number", g.sheet, ref, raw)
	}
	return v
}

// text returns a cell as text.
func (g sheetGrid) text(row, col int) string {
	g.t.Helper()
	v, err := g.f.GetCellValue(g.sheet, g.ref(row, col), excelize.Options{RawCellValue: true})
	if err != nil {
		g.t.Fatal(err)
	}
	return v
}

// matches checks every cell of the sheet against the table: numbers as
// numbers of the same value, text as the same text.
func (g sheetGrid) matches(tb *Table) {
	g.t.Helper()
	for i := range tb.Rows {
		for j, c := range tb.row(i) {
			if c.IsNumber() {
				if got := g.number(i, j); got != c.Float() {
					g.t.Errorf("%s row %d col %d = %v, want %v", g.sheet, i, j, got, c.Float())
				}
			} else if got := g.text(i, j); got != c.Text {
				g.t.Errorf("%s row %d col %d = %q, want %q", g.sheet, i, j, got, c.Text)
			}
		}
	}
}

// value is a model figure as the sheet must hold it.
func value(v *ejournal.Hundredths) float64 {
	f, _ := strconv.ParseFloat(v.String(), 64)
	return f
}

func TestSummarySheetXLSX(t *testing.T) {
	s := ejournal.BuildSummarySheet(fixtureInput(), "c5a")
	tb := SummarySheetTable(s, fixtureOptions)
	f := openXLSX(t, tb)
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Ведомость 5А" {
		t.Fatalf("sheets = %q", got)
	}
	g := gridOf(t, f, "Ведомость 5А", tb)
	g.matches(tb)

	// The numbers of the model, read back cell by cell.
	if len(s.Rows) != 5 || len(s.Subjects) != 3 {
		t.Fatalf("fixture: %d rows, %d subjects", len(s.Rows), len(s.Subjects))
	}
	for i, r := range s.Rows {
		if got := g.number(i, 0); got != float64(i+1) {
			t.Errorf("row %d: № = %v", i, got)
		}
		if got := g.text(i, 1); !strings.HasPrefix(got, r.Name) {
			t.Errorf("row %d: name %q, want %q", i, got, r.Name)
		}
		for j, v := range r.Marks {
			if n, ok := v.Number(); ok {
				if got := g.number(i, 2+j); got != float64(n) {
					t.Errorf("%s %s = %v, want %d", r.Name, s.Subjects[j].SubjectName, got, n)
				}
			} else if got := g.text(i, 2+j); got != string(v) {
				t.Errorf("%s %s = %q, want %q", r.Name, s.Subjects[j].SubjectName, got, v)
			}
		}
		if r.Average != nil {
			if got := g.number(i, 5); got != value(r.Average) {
				t.Errorf("%s average = %v, want %v", r.Name, got, value(r.Average))
			}
		}
	}
	if got := g.text(4, 1); got != "Ёлкина Зоя (прибыл(а) 20.11.2026)" {
		t.Errorf("arrived student = %q", got)
	}
	// The figures block: label → subject figures and the class's.
	lines := map[string]func(ejournal.Figures) float64{
		"Успеваемость, %": func(f ejournal.Figures) float64 { return value(f.Success) },
		"Качество, %":     func(f ejournal.Figures) float64 { return value(f.Quality) },
		"СОУ, %":          func(f ejournal.Figures) float64 { return value(f.SOU) },
		"Средний балл":    func(f ejournal.Figures) float64 { return value(f.Average) },
		"«5»":             func(f ejournal.Figures) float64 { return float64(f.N5) },
		"н/а":             func(f ejournal.Figures) float64 { return float64(f.NA) },
		"осв.":            func(f ejournal.Figures) float64 { return float64(f.Exempt) },
		"Отличников":      func(f ejournal.Figures) float64 { return float64(f.Excellent) },
	}
	found := 0
	for i := len(s.Rows); i < len(tb.Rows); i++ {
		get, ok := lines[g.text(i, 1)]
		if !ok {
			continue
		}
		found++
		for j, sub := range s.Subjects {
			if got, want := g.number(i, 2+j), get(sub.Figures); got != want {
				t.Errorf("%s of %s = %v, want %v", g.text(i, 1), sub.SubjectName, got, want)
			}
		}
		if got, want := g.number(i, 7), get(s.Figures); got != want {
			t.Errorf("%s of the class = %v, want %v", g.text(i, 1), got, want)
		}
	}
	if found != len(lines) {
		t.Errorf("found %d of %d figure lines", found, len(lines))
	}
	// Hand-computed class figures (by students, N = 5): successful are
	// Антонов, Борисова, Волков, Ёлкина; quality Антонов, Борисова, Ёлкина.
	if *s.Figures.Success != 8000 || *s.Figures.Quality != 6000 {
		t.Errorf("fixture figures: success %v quality %v", s.Figures.Success, s.Figures.Quality)
	}
}

func TestClassTeacherXLSX(t *testing.T) {
	r := ejournal.BuildClassTeacherReport(fixtureInput(), "c5a")
	tables := ClassTeacherTables(r, fixtureOptions)
	f := openXLSX(t, tables...)
	wantSheets := []string{"Показатели класса", "По предметам", "С одной «3»", "С одной «4»", "Неуспевающие"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets = %q, want %q", got, wantSheets)
	}
	for i, tb := range tables {
		gridOf(t, f, wantSheets[i], tb).matches(tb)
	}
	main := gridOf(t, f, wantSheets[0], tables[0])
	want := map[string]float64{
		"Учеников": float64(r.Figures.Roll), "Успеваемость, %": value(r.Figures.Success), "Качество, %": value(r.Figures.Quality),
		"СОУ, %": value(r.Figures.SOU), "Неуспевающих": float64(r.Figures.Failing), "Аттестовано учеников": float64(r.Figures.Students),
	}
	for i := range tables[0].Rows {
		if w, ok := want[main.text(i, 0)]; ok {
			if got := main.number(i, 1); got != w {
				t.Errorf("%s = %v, want %v", main.text(i, 0), got, w)
			}
			delete(want, main.text(i, 0))
		}
	}
	if len(want) > 0 {
		t.Errorf("missing figures %v", want)
	}
	bySubject := gridOf(t, f, wantSheets[1], tables[1])
	for i, s := range r.Subjects {
		if bySubject.text(i, 0) != s.SubjectName || bySubject.number(i, 14) != value(s.Figures.Success) || bySubject.number(i, 3) != float64(s.Figures.N5) {
			t.Errorf("subject line %d = %q %v %v, want %+v", i, bySubject.text(i, 0), bySubject.number(i, 14), bySubject.number(i, 3), s)
		}
	}
	// Волков has one 3 (math); Борисова one 4 (rus); Григорьев н/а in math.
	lists := []struct {
		sheet int
		want  []string
	}{{2, []string{"Волков Глеб", "Математика"}}, {3, []string{"Борисова Вера", "Русский язык"}}, {4, []string{"Григорьев Денис", "Математика", "н/а"}}}
	for _, l := range lists {
		g := gridOf(t, f, wantSheets[l.sheet], tables[l.sheet])
		for j, w := range l.want {
			if got := g.text(0, j+1); got != w {
				t.Errorf("%s: column %d = %q, want %q", wantSheets[l.sheet], j+1, got, w)
			}
		}
	}
}

func TestXLSXLayout(t *testing.T) {
	tb := &Table{Title: "Заголовок", Notes: []string{"Первая заметка", "Вторая"}, Columns: columns("№", "Ученик", "Балл"),
		Rows: [][]Cell{{Int(1), Text("Иванов"), Decimal(-350)}, {Int(2)}}, Footer: []string{"Подвал"}}
	f := openXLSX(t, tb)
	sheet := f.GetSheetList()[0]
	g := gridOf(t, f, sheet, tb)
	if g.header != 5 {
		t.Errorf("header row = %d, want 5 (title, two notes, a gap)", g.header)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 5 || panes.TopLeftCell != "A6" {
		t.Errorf("panes = %+v (%v), want frozen under row 5", panes, err)
	}
	for _, ref := range []string{"A5", "B5", "C5"} {
		id, _ := f.GetCellStyle(sheet, ref)
		st, err := f.GetStyle(id)
		if err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("header %s is not bold", ref)
		}
	}
	id, _ := f.GetCellStyle(sheet, "C6")
	if st, _ := f.GetStyle(id); st.NumFmt != 2 {
		t.Errorf("decimal cell number format = %d, want 2 (0.00)", st.NumFmt)
	}
	if got := g.number(0, 2); got != -3.5 {
		t.Errorf("decimal = %v", got)
	}
	if got := g.text(1, 1); got != "" {
		t.Errorf("padded cell = %q", got)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w < 8 {
		t.Errorf("column B width = %v", w)
	}
	if v, _ := f.GetCellValue(sheet, "A9"); v != "Подвал" {
		t.Errorf("footer A9 = %q", v)
	}
	if v, _ := f.GetCellValue(sheet, "A1"); v != "Заголовок" {
		t.Errorf("title = %q", v)
	}
}

func TestSheetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Сводная ведомость 5А", "Сводная ведомость 5А"},
		{"Отчёт классного руководителя 5А — 2 четверть", "Отчёт классного руководителя 5А"},
		{`a[b]:c*d?e/f\g`, "a b c d e f g"},
		{"'кавычки'", "кавычки"},
		{"  ", "Лист"},
	}
	for _, tt := range tests {
		got := SheetName(tt.in)
		if got != tt.want {
			t.Errorf("SheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := len([]rune(got)); n > 31 || strings.ContainsAny(got, `[]:*?/\`) {
			t.Errorf("SheetName(%q) = %q is not a valid sheet name", tt.in, got)
		}
	}
	taken := map[string]bool{}
	long := strings.Repeat("Ж", 31)
	got := []string{uniqueSheetName("Лист", taken), uniqueSheetName("лист", taken), uniqueSheetName(long, taken), uniqueSheetName(long, taken)}
	want := []string{"Лист", "лист (2)", long, strings.Repeat("Ж", 27) + " (2)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("unique names = %q, want %q", got, want)
	}
}

// readCSV checks the frame of a CSV file and returns its records.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	if n, crlf := bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r\n")); n != crlf || n == 0 {
		t.Fatalf("%d of %d line ends are CRLF", crlf, n)
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma, r.FieldsPerRecord = ';', -1
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}

func TestCSVRoundTrip(t *testing.T) {
	s := ejournal.BuildSummarySheet(fixtureInput(), "c5a")
	tb := SummarySheetTable(s, fixtureOptions)
	var buf bytes.Buffer
	if err := CSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	records := readCSV(t, buf.Bytes())
	if len(records) != 1+len(tb.Rows) {
		t.Fatalf("records = %d, want %d", len(records), 1+len(tb.Rows))
	}
	for j, c := range tb.Columns {
		if records[0][j] != c.Title {
			t.Errorf("header %d = %q, want %q", j, records[0][j], c.Title)
		}
	}
	for i := range tb.Rows {
		if len(records[i+1]) != len(tb.Columns) {
			t.Fatalf("record %d has %d fields", i+1, len(records[i+1]))
		}
		for j, c := range tb.row(i) {
			if records[i+1][j] != c.Russian() {
				t.Errorf("record %d field %d = %q, want %q", i+1, j, records[i+1][j], c.Russian())
			}
		}
	}
	// The class's success, 80 %, with a decimal comma.
	for _, rec := range records {
		if rec[1] == "Успеваемость, %" && rec[len(rec)-1] != "80,00" {
			t.Errorf("class success = %q, want 80,00", rec[len(rec)-1])
		}
	}
}

func TestCSVCells(t *testing.T) {
	tb := &Table{Title: "T", Columns: columns("a", "b", "c", "d"), Rows: [][]Cell{
		{Text("=1+2"), Text("-x"), Decimal(-1250), Text("текст; с \"кавычками\"\nи строкой")},
	}}
	var buf bytes.Buffer
	if err := CSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, buf.Bytes())[1]
	want := []string{"'=1+2", "'-x", "-12,50", "текст; с \"кавычками\"\nи строкой"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("fields = %q, want %q", got, want)
	}
}

func TestCSVAll(t *testing.T) {
	tables := ClassTeacherTables(ejournal.BuildClassTeacherReport(fixtureInput(), "c5a"), fixtureOptions)
	var buf bytes.Buffer
	if err := FormatCSV.Write(&buf, tables...); err != nil {
		t.Fatal(err)
	}
	records := readCSV(t, buf.Bytes())
	titles := 0
	for _, r := range records {
		for _, tb := range tables {
			if r[0] == tb.Title {
				titles++
			}
		}
	}
	if titles != len(tables) {
		t.Errorf("found %d table titles of %d", titles, len(tables))
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"Сводная ведомость", "5А", "2 четверть", ".xlsx"}, "Сводная ведомость 5А 2 четверть.xlsx"},
		{[]string{"Отчёт: 5/А?", "", ".pdf"}, "Отчёт_ 5_А_.pdf"},
		{[]string{"  a \t b\n", ".csv"}, "a b.csv"},
		{[]string{"", ".csv"}, "report.csv"},
		{[]string{"..", ".csv"}, "report.csv"},
		{[]string{"без расширения"}, "без расширения"},
		{[]string{strings.Repeat("я", 200), ".pdf"}, strings.Repeat("я", 120) + ".pdf"},
	}
	for _, tt := range tests {
		if got := FileName(tt.parts...); got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	tests := []struct{ name, ascii string }{
		{"Сводная ведомость 5А 2 четверть.xlsx", "Svodnaya vedomost 5A 2 chetvert.xlsx"},
		{"Щука Юля Ёж №5 100%.pdf", "Shchuka Yulya Ezh No5 100_.pdf"},
		{"plain report.csv", "plain report.csv"},
		{`кавычки "и" \ слэш.csv`, "kavychki _i_ _ slesh.csv"},
	}
	for _, tt := range tests {
		v := ContentDisposition(tt.name)
		disposition, params, err := mime.ParseMediaType(v)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		want := FileName(tt.name)
		if disposition != "attachment" || params["filename"] != want {
			t.Errorf("%q parses to %q %q, want attachment %q", v, disposition, params, want)
		}
		if !strings.Contains(v, `filename="`+tt.ascii+`"`) {
			t.Errorf("%q has no ASCII fallback %q", v, tt.ascii)
		}
		// A client that knows only filename gets the fallback.
		old := v[:strings.Index(v, "; filename*")]
		if _, p, err := mime.ParseMediaType(old); err != nil || p["filename"] != tt.ascii {
			t.Errorf("fallback %q parses to %q (%v)", old, p, err)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, s := range []string{"xlsx", "pdf", "csv"} {
		f, ok := ParseFormat(s)
		if !ok || f.Ext() != "."+s || f.ContentType() == "application/octet-stream" {
			t.Errorf("format %q: %q %v %q", s, f, ok, f.ContentType())
		}
	}
	if _, ok := ParseFormat("doc"); ok {
		t.Error("doc is not a format")
	}
	if err := Format("doc").Write(&bytes.Buffer{}); err == nil {
		t.Error("writing an unknown format must fail")
	}
	tb := &Table{Title: "Сводная ведомость 5А — 2 четверть", Name: "Сводная ведомость 5А 2 четверть"}
	if got := tb.FileName(FormatXLSX.Ext()); got != "Сводная ведомость 5А 2 четверть.xlsx" {
		t.Errorf("table file name = %q", got)
	}
}

func TestCells(t *testing.T) {
	tests := []struct {
		c             Cell
		str, ru       string
		float         float64
		number, plain bool
	}{
		{Int(12), "12", "12", 12, true, true},
		{Decimal(8333), "83.33", "83,33", 83.33, true, true},
		{Decimal(5), "0.05", "0,05", 0.05, true, true},
		{Decimal(-350), "-3.50", "-3,50", -3.5, true, true},
		{DecimalOf(nil), Absent, Absent, 0, false, true},
		{DecimalOf(h(10000)), "100.00", "100,00", 100, true, true},
		{Text("н/а"), "н/а", "н/а", 0, false, true},
	}
	for _, tt := range tests {
		if tt.c.String() != tt.str || tt.c.Russian() != tt.ru || tt.c.IsNumber() != tt.number || tt.number && tt.c.Float() != tt.float {
			t.Errorf("%+v: %q %q %v %v", tt.c, tt.c.String(), tt.c.Russian(), tt.c.IsNumber(), tt.c.Float())
		}
	}
	if !Int(1).Strong().Bold {
		t.Error("Strong does not make a cell bold")
	}
}
