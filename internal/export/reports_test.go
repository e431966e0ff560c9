package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/ejournal"
)

// fixtureMovement: 5А has Антонов and Борисова from before the period;
// Волков is enrolled into 5А, Борисова moves to 5Б, Антонов leaves.
func fixtureMovement() *ejournal.MovementReport {
	st := func(id, class string, left bool) *ejournal.Person {
		return &ejournal.Person{ID: id, Kind: ejournal.Student, LastName: id, ClassID: class, Left: left}
	}
	students := []*ejournal.Person{st("a1", "c5a", true), st("a2", "c5b", false), st("a3", "c5a", false), st("b1", "c5b", false)}
	moves := []*ejournal.Movement{
		{ID: "m1", StudentID: "a3", Kind: ejournal.Enrol, ToClassID: "c5a", Date: "2026-09-10", OrderNo: "12-у", OrderDate: "2026-09-09"},
		{ID: "m2", StudentID: "a2", Kind: ejournal.Transfer, FromClassID: "c5a", ToClassID: "c5b", Date: "2026-10-01", OrderNo: "15-у", OrderDate: "2026-09-30"},
		{ID: "m3", StudentID: "a1", Kind: ejournal.Leave, FromClassID: "c5a", Date: "2026-10-20", OrderNo: "15-у", OrderDate: "2026-09-30"},
	}
	classes := []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}, {ID: "c5b", Grade: 5, Letter: "Б"}}
	return ejournal.BuildMovementReport("2026-09-01", "2026-10-31", classes, students, moves)
}

func fixtureAttendance() *ejournal.AttendanceReport {
	pct := h(9000)
	f := ejournal.AttendanceFigures{Held: 20, Missed: 2, Ill: 1, Unexcused: 1, Late: 3, Unrecorded: 4, Percent: pct}
	return &ejournal.AttendanceReport{From: "2026-11-01", To: "2026-11-30", School: f, Classes: []ejournal.ClassAttendance{
		{ClassID: "c5a", ClassName: "5А", Lessons: 20, Figures: f, Students: []ejournal.StudentAttendance{{StudentID: "a1", Name: "Антонов Антон", Figures: f}}},
	}}
}

func fixtureForecast() *ejournal.Forecast {
	return &ejournal.Forecast{Term: "q2", On: "2026-12-01", Definition: ejournal.ByStudents,
		Settings: ejournal.ForecastSettings{MinMarks: 3, MinAttendance: 7500, AbsenceRun: 3},
		Students: []ejournal.StudentForecast{{StudentID: "a4", Name: "Григорьев Денис", ClassID: "c5a",
			Subjects: []ejournal.SubjectForecast{{StudentID: "a4", SubjectID: "math", Average: ejournal.Average{Count: 2, Value: 250}, Remaining: 5, Projected: "2",
				Flags: []ejournal.RiskFlag{{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning, SubjectID: "math",
					Reason: ejournal.T("Средний балл 2,5 по 2 отметкам — прогноз «2».", "Average 2.5 of 2 marks: a 2 is projected.")}}}},
			Flags: []ejournal.RiskFlag{{Kind: ejournal.RiskAbsenceRun, Severity: ejournal.SeverityCritical,
				Reason: ejournal.T("Пропущено подряд без уважительной причины уроков: 4.", "4 lessons in a row missed without reason.")}}}},
		Classes: []ejournal.ClassProjection{{ClassID: "c5a", ClassName: "5А", Figures: ejournal.Figures{Roll: 5, N: 5, Success: h(8000)},
			Subjects: []ejournal.SubjectFigures{{SubjectID: "math", SubjectName: "Математика", Figures: ejournal.Figures{Roll: 5, N: 5, Success: h(8000)}}}}},
	}
}

func fixtureTeachers() *ejournal.TeacherReport {
	lag := 3
	return &ejournal.TeacherReport{From: "2026-11-01", To: "2026-11-30",
		School: ejournal.MarkDistribution{Marks: 10, N5: 4, N4: 4, N3: 2, Share5: h(4000), Share4: h(4000), Share3: h(2000), Share2: h(0), Share1: h(0), Average: h(420)},
		Teachers: []ejournal.TeacherAnalysis{{TeacherID: "t1", Lessons: 6, WithoutTopic: 1, WithoutHomework: 2, LateHomework: 1, AttendanceNotTaken: 1,
			Checks:       []ejournal.LessonCheck{{LessonID: "l1", Date: "2026-11-03", ClassID: "c5a", SubjectID: "math", NoTopic: true, NoAttendance: true}},
			Total:        ejournal.TeachingLoad{Lessons: 6, StudentLessons: 30, Marks: 6, Rate: h(20)},
			Distribution: ejournal.MarkDistribution{Marks: 6, N5: 3, N4: 3, Share5: h(5000), Share4: h(5000), Share3: h(0), Share2: h(0), Share1: h(0), Average: h(450)},
			Difference:   ejournal.ShareDifference{Share5: h(1000), Share4: h(1000), Share3: h(-2000), Share2: h(0), Share1: h(0)},
			PlanLag:      &lag}},
	}
}

func fixtureTrend() *ejournal.SubjectTrend {
	q1 := fixtureInput()
	q1.Period = "q1"
	for _, m := range q1.TermMarks {
		m.Period = "q1"
		if m.StudentID == "a3" && m.SubjectID == "math" {
			m.Value = "2"
		}
	}
	return ejournal.BuildSubjectTrend("math", []*ejournal.Performance{ejournal.BuildPerformance(q1), ejournal.BuildPerformance(fixtureInput())})
}

// reportTables builds every report's tables in lang.
func reportTables(lang string) map[string][]*Table {
	o := fixtureOptions
	o.Lang = lang
	o.Names.Subjects = map[string]string{"math": "Математика"}
	o.Names.Students = map[string]string{"a1": "Антонов А.", "a2": "Борисова В.", "a3": "Волков Г."}
	o.Names.Periods["q1"] = "1 четверть"
	in := fixtureInput()
	r := fixtureTeachers()
	return map[string][]*Table{
		"summary":     {SummarySheetTable(ejournal.BuildSummarySheet(in, "c5a"), o)},
		"teacher":     ClassTeacherTables(ejournal.BuildClassTeacherReport(in, "c5a"), o),
		"movement":    {MovementTable(fixtureMovement(), o)},
		"attendance":  {AttendanceTable(fixtureAttendance(), o)},
		"performance": {PerformanceTable(ejournal.BuildPerformance(in), o)},
		"forecast":    {ForecastTable(fixtureForecast(), o), ProjectionTable(fixtureForecast(), o)},
		"analysis":    {TeacherAnalysisTable(r, o), LessonChecksTable(r, o)},
		"trend":       {SubjectTrendTable(fixtureTrend(), o)},
	}
}

// rowWith returns the first row whose cells, as shown in Russian, start
// with prefix.
func rowWith(t *testing.T, tb *Table, prefix ...string) []string {
	t.Helper()
	for i := range tb.Rows {
		row := tb.row(i)
		var shown []string
		for _, c := range row {
			shown = append(shown, c.Russian())
		}
		if len(shown) >= len(prefix) && strings.Join(shown[:len(prefix)], "|") == strings.Join(prefix, "|") {
			return shown
		}
	}
	t.Fatalf("%q: no row %q", tb.Title, prefix)
	return nil
}

func TestBuilders(t *testing.T) {
	tables := reportTables("ru")
	tests := []struct {
		report string
		table  int
		title  string
		row    []string
		want   []string // the cells after the prefix
	}{
		{"summary", 0, "Сводная ведомость 5А — 2 четверть", []string{"1", "Антонов Антон"}, []string{"5", "5", "5", "5,00", "отличник", ""}},
		{"summary", 0, "", []string{"", "Средний балл"}, []string{"4,25", "4,20", "4,67", "", "", "4,33"}},
		{"teacher", 0, "Отчёт классного руководителя 5А — 2 четверть", []string{"Отличников"}, []string{"1"}},
		{"teacher", 4, "Неуспевающие (2 и н/а) — 5А, 2 четверть", []string{"1", "Григорьев Денис"}, []string{"Математика", "н/а"}},
		{"movement", 0, "Движение учащихся с 01.09.2026 по 31.10.2026", []string{"5А"}, []string{"2", "1", "1", "0", "1", "1"}},
		{"movement", 0, "", []string{"5Б"}, []string{"1", "0", "0", "1", "0", "2"}},
		{"movement", 0, "", []string{"Итого"}, []string{"3", "1", "1", "1", "1", "3"}},
		{"attendance", 0, "Посещаемость с 01.11.2026 по 30.11.2026", []string{"5А", "Антонов Антон"}, []string{"20", "2", "1", "0", "1", "3", "4", "90,00"}},
		{"attendance", 0, "", []string{"", "Итого по школе"}, []string{"20", "2"}},
		{"performance", 0, "Успеваемость — 2 четверть", []string{"Школа", "Вся школа"}, []string{"5", "5", "6", "4", "2", "0", "1", "1", "1"}},
		{"performance", 0, "", []string{"Учитель", "Петрова А. А."}, []string{"5"}},
		{"performance", 0, "", []string{"", "Петрова А. А. · 5А · Математика"}, []string{"5", "5"}},
		{"forecast", 0, "Прогноз проблемных ситуаций — 2 четверть, на 01.12.2026", []string{"5А", "Григорьев Денис", "Математика"},
			[]string{"2,50", "2", "2", "прогноз «2»", "внимание", "Средний балл 2,5 по 2 отметкам — прогноз «2»."}},
		{"forecast", 0, "", []string{"5А", "Григорьев Денис", ""}, []string{"", "", "", "пропуски подряд", "критично"}},
		{"forecast", 1, "Прогноз показателей классов — 2 четверть, на 01.12.2026", []string{"5А", "Все предметы"}, []string{"5", "5"}},
		{"analysis", 0, "Анализ работы учителей с 01.11.2026 по 30.11.2026", []string{"Петрова А. А."},
			[]string{"6", "1", "2", "1", "1", "6", "0,20", "50,00", "10,00", "50,00", "10,00", "0,00", "-20,00", "0,00", "0,00", "0,00", "0,00", "4,50", "3"}},
		{"analysis", 0, "", []string{"Школа"}, []string{"", "", "", "", "", "10", "", "40,00", "", "40,00", "", "20,00", "", "0,00", "", "0,00", "", "4,20", ""}},
		{"analysis", 1, "Уроки с незаполненным журналом с 01.11.2026 по 30.11.2026", []string{"Петрова А. А.", "03.11.2026"},
			[]string{"c5a", "Математика", "нет темы, посещаемость не отмечена"}},
		{"trend", 0, "Динамика по предмету «Математика»", []string{"Класс", "5А", "2 четверть"}, []string{"5", "5", "80,00", "20,00", "60,00", "0,00"}},
	}
	for _, tt := range tests {
		tb := tables[tt.report][tt.table]
		if tt.title != "" && tb.Title != tt.title {
			t.Errorf("%s %d: title %q, want %q", tt.report, tt.table, tb.Title, tt.title)
		}
		got := rowWith(t, tb, tt.row...)[len(tt.row):]
		if len(got) < len(tt.want) || strings.Join(got[:len(tt.want)], "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s %q: %q, want %q", tt.report, tt.row, got, tt.want)
		}
	}
	// Orders of the movement report name the students.
	footer := strings.Join(tables["movement"][0].Footer, "\n")
	for _, want := range []string{"№ 12-у от 09.09.2026: Волков Г.", "№ 15-у от 30.09.2026: Борисова В., Антонов А."} {
		if !strings.Contains(footer, want) {
			t.Errorf("movement footer %q lacks %q", footer, want)
		}
	}
	// The trend's change of success in 5А: Волков's 2 in q1 became a 3.
	row := rowWith(t, tables["trend"][0], "Класс", "5А", "2 четверть")
	if row[6] != "20,00" {
		t.Errorf("success change = %q, want 20,00 (from 60 %% to 80 %%)", row[6])
	}
}

// TestEveryReportEveryFormat writes every report in every format, in
// Russian and English, and reads each file back.
func TestEveryReportEveryFormat(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		for report, tables := range reportTables(lang) {
			for _, format := range []Format{FormatXLSX, FormatPDF, FormatCSV} {
				var buf bytes.Buffer
				if err := format.Write(&buf, tables...); err != nil {
					t.Fatalf("%s %s %s: %v", lang, report, format, err)
				}
				switch format {
				case FormatXLSX:
					f, err := excelize.OpenReader(&buf)
					if err != nil {
						t.Fatalf("%s %s: %v", lang, report, err)
					}
					if n := len(f.GetSheetList()); n != len(tables) {
						t.Errorf("%s %s: %d sheets for %d tables", lang, report, n, len(tables))
					}
					f.Close()
				case FormatCSV:
					if records := readCSV(t, buf.Bytes()); len(records) < 2 {
						t.Errorf("%s %s: %d records", lang, report, len(records))
					}
				}
			}
			pages, _ := writePDF(t, tables...)
			var text strings.Builder
			for _, p := range pages {
				text.WriteString(strings.ReplaceAll(p.text(), "\n", " "))
			}
			for _, tb := range tables {
				if !strings.Contains(text.String(), tb.Title) || !strings.Contains(text.String(), tb.Columns[len(tb.Columns)-1].Title) {
					t.Errorf("%s %s: the PDF lacks %q or its last column", lang, report, tb.Title)
				}
			}
		}
	}
	en := reportTables("en")
	if got := en["summary"][0].Title; got != "Summary sheet 5А — 2 четверть" {
		t.Errorf("English title = %q", got)
	}
	if got := en["movement"][0].Columns[1].Title; got != "At start" {
		t.Errorf("English column = %q", got)
	}
}

// TestEmptyReports: reports without rows still give files with the
// headers and a note.
func TestEmptyReports(t *testing.T) {
	o := Options{}
	tables := []*Table{
		AttendanceTable(&ejournal.AttendanceReport{From: "2026-11-01", To: "2026-11-30"}, o),
		ForecastTable(&ejournal.Forecast{Term: "q2", On: "2026-12-01"}, o),
		LessonChecksTable(&ejournal.TeacherReport{From: "2026-11-01", To: "2026-11-30"}, o),
		SummarySheetTable(&ejournal.SummarySheet{ClassID: "c9z", Period: "q2", End: "2026-12-27"}, o),
	}
	notes := []string{"Нет данных.", "Рисков не найдено.", "Все уроки заполнены.", ""}
	for i, tb := range tables {
		if i < 3 && len(tb.Rows) != 0 {
			t.Fatalf("%q has rows", tb.Title)
		}
		var x, c bytes.Buffer
		if err := XLSX(&x, tb); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&x)
		if err != nil {
			t.Fatal(err)
		}
		g := gridOf(t, f, f.GetSheetList()[0], tb)
		if notes[i] != "" && g.text(0, 0) != notes[i] {
			t.Errorf("%q: XLSX note = %q, want %q", tb.Title, g.text(0, 0), notes[i])
		}
		f.Close()
		if err := CSV(&c, tb); err != nil {
			t.Fatal(err)
		}
		records := readCSV(t, c.Bytes())
		if records[0][0] != tb.Columns[0].Title || notes[i] != "" && (len(records) != 2 || records[1][0] != notes[i]) {
			t.Errorf("%q: CSV = %q", tb.Title, records)
		}
		pages, _ := writePDF(t, tb)
		text := strings.ReplaceAll(pages[0].text(), "\n", " ")
		if len(pages) != 1 || !strings.Contains(text, tb.Columns[0].Title) || !strings.Contains(text, notes[i]) {
			t.Errorf("%q: PDF %d pages:\n%s", tb.Title, len(pages), text)
		}
	}
}

func TestRiskLabels(t *testing.T) {
	kinds := []ejournal.RiskKind{ejournal.RiskProjectedFail, ejournal.RiskCertainFail, ejournal.RiskFewMarks,
		ejournal.RiskLowAttendance, ejournal.RiskAbsenceRun, ejournal.RiskOpenDebt}
	severities := []ejournal.RiskSeverity{ejournal.SeverityInfo, ejournal.SeverityWarning, ejournal.SeverityCritical}
	for _, lang := range []string{"ru", "en"} {
		o := Options{Lang: lang}
		seen := map[string]bool{}
		for _, k := range kinds {
			seen[o.risk(k)] = true
		}
		for _, s := range severities {
			seen[o.severity(s)] = true
		}
		if len(seen) != len(kinds)+len(severities) || seen[""] {
			t.Errorf("%s: labels are not distinct: %v", lang, seen)
		}
		if o.risk("new_kind") != "new_kind" || o.severity("new") != "new" {
			t.Errorf("%s: an unknown kind is not shown as it is", lang)
		}
	}
}
