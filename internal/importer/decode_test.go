package importer_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"ejournal/internal/ejournal"
	"ejournal/internal/importer"
)

// row is a decoded row in short form: its line and its cells.
type row struct {
	line  int
	cells []string
}

func rowsOf(t *importer.Table) []row {
	out := []row{{t.Header.Line, t.Header.Cells}}
	for _, r := range t.Rows {
		out = append(out, row{r.Line, r.Cells})
	}
	return out
}

func cp1251(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func utf16LE(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// problem is an expected problem: its line, its column and a piece of its
// English message.
type problem struct {
	line   int
	column string
	text   string
}

// wantReport fails unless err is a report of exactly want, in order, each
// message present in both languages.
func wantReport(tb testing.TB, err error, want ...problem) {
	tb.Helper()
	var rep *importer.Report
	if !errors.As(err, &rep) {
		tb.Fatalf("error %v (%T), want a *importer.Report", err, err)
	}
	var got []problem
	for _, p := range rep.Problems {
		if p.Message.RU == "" || p.Message.EN == "" {
			tb.Errorf("problem at line %d, column %q lacks a message in a language: %+v", p.Line, p.Column, p.Message)
		}
		got = append(got, problem{p.Line, p.Column, p.Message.EN})
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = got[i].line == want[i].line && got[i].column == want[i].column && strings.Contains(got[i].text, want[i].text)
	}
	if !ok {
		tb.Fatalf("problems:\n%v\nwant:\n%v", got, want)
	}
}

func TestDecodeCSV(t *testing.T) {
	t.Parallel()
	const header = "Фамилия;Имя;Класс"
	tests := []struct {
		name string
		data []byte
		want []row
	}{
		{"semicolon", []byte(header + "\nИванов;Пётр;5А\n"), []row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Иванов", "Пётр", "5А"}}}},
		{"comma, CRLF", []byte("Фамилия,Имя,Класс\r\nИванов,Пётр,5А\r\n"), []row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Иванов", "Пётр", "5А"}}}},
		{"tab", []byte("Фамилия\tИмя\tКласс\nИванов\tПётр\t5А"), []row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Иванов", "Пётр", "5А"}}}},
		{"byte order mark", []byte("\xEF\xBB\xBF" + header + "\nИванов;Пётр;5А\n"), []row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Иванов", "Пётр", "5А"}}}},
		{"Windows-1251", cp1251(t, header+"\r\nЁлкина;Софья;5А\r\n"), []row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Ёлкина", "Софья", "5А"}}}},
		{"UTF-16", utf16LE(t, "Фамилия\tИмя\r\nЁлкина\tСофья\r\n"), []row{{1, []string{"Фамилия", "Имя"}}, {2, []string{"Ёлкина", "Софья"}}}},
		{"quoted separators and a line break", []byte(header + "\n\"Римский-Корсаков; мл.\";\"Ан\nна\";5А\nОрлов;Лев;5Б\n"),
			[]row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Римский-Корсаков; мл.", "Ан\nна", "5А"}}, {4, []string{"Орлов", "Лев", "5Б"}}}},
		{"the header's separator wins over the data's", []byte("Фамилия;Адрес\nИванов;ул. Ленина, 5\n"), []row{{1, []string{"Фамилия", "Адрес"}}, {2, []string{"Иванов", "ул. Ленина, 5"}}}},
		{"blank lines and empty rows skipped, cells trimmed", []byte("\n;;\n" + header + "\n\n  Иванов ; Пётр ;5А\n;;\n"), []row{{3, []string{"Фамилия", "Имя", "Класс"}}, {5, []string{"Иванов", "Пётр", "5А"}}}},
		{"short and long rows", []byte(header + "\nИванов\nПетров;Иван;5А;лишнее\n"), []row{{1, []string{"Фамилия", "Имя", "Класс"}}, {2, []string{"Иванов"}}, {3, []string{"Петров", "Иван", "5А", "лишнее"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, err := importer.DecodeCSV(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := rowsOf(tab); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecodeCSVProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want problem
	}{
		{"empty", nil, problem{0, "", "empty"}},
		{"only separators", []byte(";;\n\n"), problem{0, "", "empty"}},
		{"header only", []byte("\nФамилия;Имя\n"), problem{2, "", "no data rows"}},
		{"unclosed quote", []byte("Фамилия;Имя\nИванов;Пётр\n\"Петров;Иван\n"), problem{3, "", "Quotes"}},
		{"stray quote", []byte("Фамилия;Имя\nИва\"нов;Пётр\n"), problem{2, "", "Quotes"}},
		{"too many rows", []byte("Фамилия\n" + strings.Repeat("Иванов\n", importer.MaxRows+1)), problem{importer.MaxRows + 2, "", "more than 5000 rows"}},
		{"too large", []byte(strings.Repeat("x", importer.MaxFileBytes+1)), problem{0, "", "larger than 4 MB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, err := importer.DecodeCSV(tt.data)
			if tab != nil {
				t.Errorf("got a table with a report")
			}
			wantReport(t, err, tt.want)
		})
	}
}

// xlsx builds a workbook whose first sheet holds rows from A1 down (a nil
// row leaves a gap), with an empty second sheet before it in the file.
func xlsx(tb testing.TB, rows ...[]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Ученики"); err != nil {
		tb.Fatal(err)
	}
	if _, err := f.NewSheet("Другой лист"); err != nil {
		tb.Fatal(err)
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Ученики", cell, &r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.SetCellValue("Другой лист", "A1", "не читается"); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeXLSX(t *testing.T) {
	t.Parallel()
	born := time.Date(2014, 3, 8, 0, 0, 0, 0, time.UTC)
	data := xlsx(t,
		[]any{"Фамилия", "Имя", "Дата рождения", "Телефон родителя"},
		[]any{" Иванов ", "Пётр", born, 79123456789},
		nil,
		[]any{"Петрова", "Анна", "08.03.2014", "+7 912 345-67-89"},
	)
	tab, err := importer.DecodeXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(tab)
	want := []row{
		{1, []string{"Фамилия", "Имя", "Дата рождения", "Телефон родителя"}},
		// A date cell arrives as its serial number; the importer converts
		// it where a date is expected (see TestStudents).
		{2, []string{"Иванов", "Пётр", "41706", "79123456789"}},
		{4, []string{"Петрова", "Анна", "08.03.2014", "+7 912 345-67-89"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

func TestDecodeXLSXProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want problem
	}{
		{"not a workbook", []byte("Фамилия;Имя\nИванов;Пётр\n"), problem{0, "", "Could not read the XLSX file"}},
		{"a damaged workbook", xlsx(t, []any{"Фамилия"}, []any{"Иванов"})[:300], problem{0, "", "Could not read the XLSX file"}},
		{"empty sheet", xlsx(t), problem{0, "", "empty"}},
		{"header only", xlsx(t, nil, []any{"Фамилия"}), problem{2, "", "no data rows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := importer.DecodeXLSX(tt.data)
			wantReport(t, err, tt.want)
		})
	}
}

// FuzzDecodeCSV: any input decodes to a table or to a report, never a
// panic, and a table has a header and at least one row within the limits.
func FuzzDecodeCSV(f *testing.F) {
	for _, s := range []string{
		"Фамилия;Имя;Класс\nИванов;Пётр;5А\n",
		"last_name,first_name\n\"a,b\",c\n",
		"\xEF\xBB\xBFФамилия\tИмя\n",
		"\"unclosed\n",
		"\xFF\xFE\x00\x00",
		"a;b\r\n\r\n;;\r\nc;d",
		"Фамилия;Имя;Дата рождения;Класс;Фамилия родителя;Имя родителя;Телефон родителя;Согласие на SMS;Кем приходится\nИванов;Пётр;08.03.2014;5А;Иванова;Мария;+79123456789;да;мать\nИванова;Анна;2015-09-01;5б;Иванова;Мария;89123456789;да;мать\n",
		"Фамилия,Имя,Должность,Дата приёма,Телефон\nСмирнова,Ольга,Учитель,01.09.2015,+7 912 000-11-22\n",
	} {
		f.Add([]byte(s))
	}
	f.Add(cp1251(f, "Фамилия;Имя\nЁлкина;Софья\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := importer.DecodeCSV(data)
		checkDecoded(t, tab, err)
	})
}

// FuzzDecodeXLSX: any input decodes to a table or to a report, never a
// panic.
func FuzzDecodeXLSX(f *testing.F) {
	valid := xlsx(f, []any{"Фамилия", "Имя", "Дата рождения"}, []any{"Иванов", "Пётр", time.Date(2014, 3, 8, 0, 0, 0, 0, time.UTC)})
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(xlsx(f))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("Фамилия;Имя\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := importer.DecodeXLSX(data)
		checkDecoded(t, tab, err)
	})
}

func checkDecoded(t *testing.T, tab *importer.Table, err error) {
	t.Helper()
	if err != nil {
		var rep *importer.Report
		if !errors.As(err, &rep) || len(rep.Problems) == 0 || tab != nil {
			t.Fatalf("error %v (%T) with table %v, want a report alone", err, err, tab)
		}
		return
	}
	if tab.Header.Line < 1 || len(tab.Rows) == 0 || len(tab.Rows) > importer.MaxRows {
		t.Fatalf("table with header line %d and %d rows", tab.Header.Line, len(tab.Rows))
	}
	// The rows then become records or a report, never both.
	for _, build := range []func(*importer.Table, importer.Options) (*importer.Batch, error){importer.Students, importer.Staff} {
		b, err := build(tab, opts)
		var rep *importer.Report
		switch {
		case b == nil || b.Rows != len(tab.Rows):
			t.Fatalf("batch %+v of %d rows", b, len(tab.Rows))
		case err != nil && (!errors.As(err, &rep) || len(rep.Problems) == 0 || b.People != nil || b.Links != nil):
			t.Fatalf("error %v with batch %+v", err, b)
		case err == nil && len(b.People) != b.Students+b.Parents+b.Staff:
			t.Fatalf("batch %+v", b)
		}
		for _, p := range b.People {
			if err := p.Validate(); err != nil || !ejournal.ValidID(p.ID) {
				t.Fatalf("invalid person %+v: %v", p, err)
			}
		}
	}
}
