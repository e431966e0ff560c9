package importer_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
	"ejournal/internal/importer"
)

var planYear = &ejournal.SchoolYear{ID: "y2025", Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31"}

var planOpts = importer.PlanOptions{Year: planYear}

func planCSV(tb testing.TB, data string) ([]ejournal.PlanTopic, error) {
	tb.Helper()
	tab, err := importer.DecodeCSV([]byte(data))
	if err != nil {
		return nil, err
	}
	return importer.PlanTopics(tab, planOpts)
}

func TestPlanTopicsCSV(t *testing.T) {
	t.Parallel()
	want := []ejournal.PlanTopic{
		{Section: "Натуральные числа", Title: "Ряд натуральных чисел", Hours: 1, PlannedDate: "2025-09-01"},
		{Section: "Натуральные числа", Title: "Сложение, вычитание", Hours: 2, PlannedDate: "2025-09-03"},
		{Section: "Дроби", Title: "Обыкновенные дроби", Hours: 3},
	}
	for _, tc := range []struct{ name, data string }{
		{"semicolons, BOM, section heading rows", "\xEF\xBB\xBF№;Раздел;Тема;Часы;Дата\n;Натуральные числа;;;\n1;;Ряд натуральных чисел;1;01.09.2025\n2;;\"Сложение, вычитание\";2;2025-09-03\n;Дроби;;;\n3;;Обыкновенные дроби;3;\n"},
		{"commas, variant headers in any case", "№ п/п,РАЗДЕЛ,Тема урока,Количество часов,Плановая дата,Дата по факту\n1,Натуральные числа,Ряд натуральных чисел,,1.9.2025,\n2,Натуральные числа,\"Сложение, вычитание\",2.0,03.09.2025,05.09.2025\n3,Дроби,Обыкновенные дроби,3,,\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := planCSV(t, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("topics\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestPlanTopicsProblems(t *testing.T) {
	t.Parallel()
	const head = "Раздел;Тема;Часы;Дата\n"
	for _, tc := range []struct {
		name string
		data string
		want []problem
	}{
		{"no topic column", "Раздел;Часы\nЧисла;1\n", []problem{{1, "Тема", "required"}}},
		{"unknown column", "Тема;Оценка\nЧисла;5\n", []problem{{1, "Оценка", "Unknown column"}}},
		{"bad rows named", head + "Числа;Сложение;1;01.09.2025\nЧисла;;1;02.09.2025\nЧисла;Вычитание;0;\nЧисла;Умножение;два;\nЧисла;Деление;1;31.02.2026\n",
			[]problem{{3, "Тема", "Fill in"}, {4, "Часы", "1 to 20"}, {5, "Часы", "whole number"}, {6, "Дата", "DD.MM.YYYY"}}},
		{"a long title", head + "Числа;" + strings.Repeat("я", 501) + ";1;\n", []problem{{2, "Тема", "500"}}},
		{"dates outside the year and out of order", head + "Ч;А;1;01.10.2025\nЧ;Б;1;01.09.2025\nЧ;В;1;01.09.2026\n",
			[]problem{{3, "Дата", "line 2"}, {4, "Дата", "inside the school year"}}},
		{"only section headings", head + "Числа;;;\n", []problem{{1, "", "no data rows"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topics, err := planCSV(t, tc.data)
			if topics != nil {
				t.Fatalf("topics %+v from a file with problems", topics)
			}
			wantReport(t, err, tc.want...)
		})
	}
	var b strings.Builder
	b.WriteString(head)
	for i := range ejournal.MaxPlanTopics + 1 {
		fmt.Fprintf(&b, "Ч;Тема %d;1;\n", i)
	}
	_, err := planCSV(t, b.String())
	wantReport(t, err, problem{ejournal.MaxPlanTopics + 2, "", "more than 400 topics"})
}

func TestPlanTopicsXLSXBadRow(t *testing.T) {
	t.Parallel()
	data := xlsx(t,
		[]any{"Календарно-тематическое планирование"},
		nil,
		[]any{"№", "Раздел", "Тема", "Часы", "Дата"},
		[]any{1, "Числа", "Сложение", 1, time.Date(2025, 9, 2, 0, 0, 0, 0, time.UTC)},
		[]any{2, "Числа", "Вычитание", 25, nil},
	)
	tab, err := importer.DecodeXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	// The title row above the headers is taken as the header: the file says
	// which columns are missing, on its row 1.
	_, err = importer.PlanTopics(tab, planOpts)
	wantReport(t, err, problem{1, "Календарно-тематическое планирование", "Unknown column"}, problem{1, "Тема", "required"})

	data = xlsx(t,
		[]any{"№", "Раздел", "Тема", "Часы", "Дата"},
		[]any{1, "Числа", "Сложение", 1, time.Date(2025, 9, 2, 0, 0, 0, 0, time.UTC)},
		nil,
		[]any{2, "Числа", "Вычитание", 25, nil},
	)
	if tab, err = importer.DecodeXLSX(data); err != nil {
		t.Fatal(err)
	}
	topics, err := importer.PlanTopics(tab, planOpts)
	if topics != nil {
		t.Fatalf("topics %+v from a file with a bad row", topics)
	}
	wantReport(t, err, problem{4, "Часы", "1 to 20"})
}

func TestPlanXLSXRoundTrip(t *testing.T) {
	t.Parallel()
	p := &ejournal.Plan{Topics: []ejournal.PlanTopic{
		{ID: "a", Section: "Натуральные числа", Title: "Ряд натуральных чисел; «кавычки», \"двойные\"", Hours: 1, PlannedDate: "2025-09-01"},
		{ID: "b", Section: "Натуральные числа", Title: "Сложение", Hours: 12, PlannedDate: "2026-05-31"},
		{ID: "c", Section: "Дроби", Title: "Дроби", Hours: 3},
	}}
	data, err := importer.WritePlanXLSX(p, "КТП: 5А / Математика [2025/2026] — очень длинное название")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := importer.DecodeXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := importer.PlanTopics(tab, planOpts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Topics {
		p.Topics[i].ID = ""
	}
	if !reflect.DeepEqual(got, p.Topics) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, p.Topics)
	}
}

// checkPlan: a decoded table becomes valid topics or a report, never both.
// It returns the topics of a valid table.
func checkPlan(t *testing.T, tab *importer.Table, err error) []ejournal.PlanTopic {
	t.Helper()
	checkDecodedTable(t, tab, err)
	if err != nil {
		return nil
	}
	topics, err := importer.PlanTopics(tab, planOpts)
	var rep *importer.Report
	switch {
	case err != nil && (!errors.As(err, &rep) || len(rep.Problems) == 0 || topics != nil):
		t.Fatalf("error %v with topics %+v", err, topics)
	case err == nil && (len(topics) == 0 || len(topics) > ejournal.MaxPlanTopics):
		t.Fatalf("%d topics", len(topics))
	case err != nil:
		return nil
	}
	p := &ejournal.Plan{YearID: planYear.ID, ClassID: "c", SubjectID: "s", Topics: slices.Clone(topics)}
	if err := p.Validate(planYear); err != nil && !strings.Contains(err.Error(), "(topics)") {
		t.Fatalf("imported plan does not validate: %v", err)
	}
	return topics
}

// checkDecodedTable: a decoder returns a table or a report alone.
func checkDecodedTable(t *testing.T, tab *importer.Table, err error) {
	t.Helper()
	var rep *importer.Report
	if err != nil && (!errors.As(err, &rep) || len(rep.Problems) == 0 || tab != nil) {
		t.Fatalf("error %v (%T) with table %v, want a report alone", err, err, tab)
	}
}

// FuzzPlanCSV: any CSV becomes plan topics that validate, or a report.
func FuzzPlanCSV(f *testing.F) {
	for _, s := range []string{
		"\xEF\xBB\xBF№;Раздел;Тема;Часы;Дата\n;Числа;;;\n1;;Сложение;1;01.09.2025\n2;;\"Вычитание; и ещё\";2;2025-09-03\n",
		"Тема,Часы\nА,1\nБ,1.0\nВ,2,5\n",
		"Раздел;Тема;Часы;Дата\nЧ;А;0;\nЧ;;1;31.02.2026\nЧ;Б;x;01.09.2030\n",
		"topic\thours\tplanned date\nA\t20\t2026-08-31\n",
		"Тема\n\"unclosed\n",
		"Тема;Раздел\nА\uFFFEБ;  В \u2028 Г \nД;\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := importer.DecodeCSV(data)
		if topics := checkPlan(t, tab, err); topics != nil {
			checkRoundTrip(t, topics)
		}
	})
}

// checkRoundTrip: topics exported to XLSX read back the same.
func checkRoundTrip(t *testing.T, topics []ejournal.PlanTopic) {
	t.Helper()
	data, err := importer.WritePlanXLSX(&ejournal.Plan{Topics: topics}, "КТП")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := importer.DecodeXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	back, err := importer.PlanTopics(tab, planOpts)
	if err != nil || !reflect.DeepEqual(back, topics) {
		t.Fatalf("exported %+v, read back %+v (%v)", topics, back, err)
	}
}

// FuzzPlanXLSX: any workbook becomes plan topics that validate, or a
// report, never a panic.
func FuzzPlanXLSX(f *testing.F) {
	valid, err := importer.WritePlanXLSX(&ejournal.Plan{Topics: []ejournal.PlanTopic{
		{Section: "Числа", Title: "Сложение", Hours: 2, PlannedDate: "2025-09-01"},
		{Section: "Числа", Title: "Вычитание", Hours: 1},
	}}, "КТП")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(xlsx(f, []any{"Тема", "Часы"}, []any{"А", 25}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := importer.DecodeXLSX(data)
		if topics := checkPlan(t, tab, err); topics != nil {
			checkRoundTrip(t, topics)
		}
	})
}
