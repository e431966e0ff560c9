package export

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// writePDF writes tables as an uncompressed PDF and reads it back.
func writePDF(t *testing.T, tables ...*Table) ([]pdfPage, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := (PDFDocument{Uncompressed: true}).Write(&buf, tables...); err != nil {
		t.Fatal(err)
	}
	return readPDF(t, buf.Bytes()), buf.Bytes()
}

// studentTable is a table of n one-line rows under a one-line title and note.
func studentTable(n int) *Table {
	tb := &Table{Title: "Список учеников", Notes: []string{"Одна строка заметки."}, Columns: columns("№", "Ученик", "Средний балл")}
	for i := range n {
		tb.Rows = append(tb.Rows, []Cell{Int(i + 1), Text(fmt.Sprintf("Ученик %03d Щукина-Ёлкина", i+1)), Decimal(ejournal.Hundredths(300 + i))})
	}
	return tb
}

func TestPDFPageCount(t *testing.T) {
	// A4 portrait: rows are lineH high between the top margin and the
	// space kept for the page number. The first page holds the title,
	// the note, the gap and the header; each next page the header.
	bottom := portraitHeight - pageMargin - footerReserve
	first := int((bottom - (pageMargin + titleLineH + noteLineH + gapAfterNotes + lineH)) / lineH)
	next := int((bottom - (pageMargin + lineH)) / lineH)
	if first != 63 || next != 66 {
		t.Fatalf("rows per page: first %d, next %d; the layout changed: check the numbers below", first, next)
	}
	for _, n := range []int{0, 1, first, first + 1, first + next, first + next + 1, 250} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			want := 1
			if n > first {
				want += (n - first + next - 1) / next
			}
			pages, _ := writePDF(t, studentTable(n))
			if len(pages) != want {
				t.Fatalf("%d rows: %d pages, want %d", n, len(pages), want)
			}
			row := 0
			for k, p := range pages {
				if p.width != 595.28 || p.height != 841.89 {
					t.Errorf("page %d is %vx%v, want A4 portrait", k+1, p.width, p.height)
				}
				text := p.text()
				if !strings.Contains(text, "№\nУченик\nСредний балл\n") {
					t.Errorf("page %d has no header row:\n%s", k+1, text)
				}
				if last := p.runs[len(p.runs)-1].text; last != fmt.Sprintf("стр. %d из %d", k+1, want) {
					t.Errorf("page %d number = %q", k+1, last)
				}
				perPage := next
				if k == 0 {
					perPage = first
				}
				got := strings.Count(text, "Щукина-Ёлкина")
				if wantRows := min(perPage, n-row); got != wantRows {
					t.Errorf("page %d has %d rows, want %d", k+1, got, wantRows)
				}
				for i := range got {
					if !strings.Contains(text, fmt.Sprintf("Ученик %03d Щукина-Ёлкина", row+i+1)) {
						t.Errorf("page %d lacks row %d", k+1, row+i+1)
					}
				}
				row += got
			}
			if n == 0 && !strings.Contains(pages[0].text(), "Нет данных.") {
				t.Errorf("empty table without a note:\n%s", pages[0].text())
			}
		})
	}
}

func TestPDFCyrillic(t *testing.T) {
	s := ejournal.BuildSummarySheet(fixtureInput(), "c5a")
	tb := SummarySheetTable(s, fixtureOptions)
	pages, raw := writePDF(t, tb)
	if len(pages) != 1 {
		t.Fatalf("pages = %d, want 1", len(pages))
	}
	text := pages[0].text()
	for _, want := range []string{"Сводная ведомость 5А — 2 четверть", "Математика", "Русский язык", "Физическая культура",
		"Антонов Антон", "Ёлкина Зоя (прибыл(а) 20.11.2026)", "н/а", "осв.", "Успеваемость, %", "80,00", "хорошист", "стр. 1 из 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the page text:\n%s", want, text)
		}
	}
	// The class's quality, 60 %, and Борисова's average, (5+4)/2.
	for _, want := range []string{"60,00", "4,50"} {
		if !slices.ContainsFunc(pages[0].runs, func(r textRun) bool { return r.text == want }) {
			t.Errorf("no run %q", want)
		}
	}
	// The font is embedded, not referred to by name only.
	if !bytes.Contains(raw, []byte("/FontFile2")) {
		t.Error("the font is not embedded")
	}
	if bytes.Contains(raw, []byte("/Helvetica")) {
		t.Error("a core font is used")
	}
}

// runBox is a text run's box in points, from the widths of the fonts.
type runBox struct{ x0, x1, y0, y1 float64 }

func boxes(t *testing.T, p pdfPage) []runBox {
	t.Helper()
	m := newPDFWriter(PDFDocument{}, nil)
	out := make([]runBox, len(p.runs))
	for i, r := range p.runs {
		m.setFont(r.bold, r.size)
		w := m.pdf.GetStringWidth(r.text) * 72 / 25.4
		out[i] = runBox{r.x, r.x + w, r.y - 0.25*r.size, r.y + 0.75*r.size}
	}
	return out
}

func TestPDFLongText(t *testing.T) {
	long := strings.Repeat("Константинопольская-Выдропужская ", 12)
	word := strings.Repeat("Щ", 300)
	tb := &Table{Title: "Длинные имена " + strings.Repeat("очень ", 60), Columns: columns("№", "Ученик", "Класс", "Причина"),
		Rows: [][]Cell{{Int(1), Text(long), Text("5А"), Text(word)}, {Int(2), Text("Иванов Иван"), Text("5Б"), Text("—")}}}
	pages, _ := writePDF(t, tb)
	if len(pages) != 1 {
		t.Fatalf("pages = %d", len(pages))
	}
	p := pages[0]
	bs := boxes(t, p)
	for i, a := range bs {
		if a.x0 < pageMargin*72/25.4-0.01 || a.x1 > p.width-pageMargin*72/25.4+0.01 {
			t.Errorf("run %q (%.1f–%.1f) leaves the page's margins", p.runs[i].text, a.x0, a.x1)
		}
		for j := i + 1; j < len(bs); j++ {
			b := bs[j]
			if a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 {
				t.Errorf("runs %q and %q overlap", p.runs[i].text, p.runs[j].text)
			}
		}
	}
	// Both long cells take maxCellLines lines, the last cut with "…";
	// the next row starts under them.
	var nameLines, wordLines []textRun
	var next textRun
	for _, r := range p.runs {
		switch {
		case len(r.text) > 20 && strings.Contains(long, strings.TrimSuffix(r.text, ellipsis)):
			nameLines = append(nameLines, r)
		case strings.HasPrefix(r.text, "Щ"):
			wordLines = append(wordLines, r)
		case r.text == "Иванов Иван":
			next = r
		}
	}
	for _, lines := range [][]textRun{nameLines, wordLines} {
		if len(lines) != maxCellLines || !strings.HasSuffix(lines[len(lines)-1].text, ellipsis) {
			t.Fatalf("long cell lines = %+v", lines)
		}
		for k := 1; k < len(lines); k++ {
			if d := lines[k-1].y - lines[k].y; math.Abs(d-lineH*72/25.4) > 0.02 {
				t.Errorf("line %d is %.2f pt under the one before, want %.2f", k, d, lineH*72/25.4)
			}
		}
		if d := lines[len(lines)-1].y - next.y; math.Abs(d-lineH*72/25.4) > 0.02 {
			t.Errorf("the next row is %.2f pt under the cell's last line, want one line", d)
		}
	}
	if !strings.Contains(p.text(), "Длинные имена очень") {
		t.Error("title missing")
	}
}

func TestPDFLandscape(t *testing.T) {
	tb := &Table{Title: "Широкая таблица"}
	var row []Cell
	for j := range 24 {
		tb.Columns = append(tb.Columns, Column{Title: fmt.Sprintf("Показатель %d", j+1)})
		row = append(row, Decimal(ejournal.Hundredths(10000+j)))
	}
	tb.Rows = [][]Cell{row}
	pages, _ := writePDF(t, tb)
	if len(pages) != 1 || pages[0].width != 841.89 || pages[0].height != 595.28 {
		t.Fatalf("pages = %d, first %vx%v, want one A4 landscape", len(pages), pages[0].width, pages[0].height)
	}
	bs := boxes(t, pages[0])
	for i, b := range bs {
		if b.x1 > pages[0].width-pageMargin*72/25.4+0.01 {
			t.Errorf("run %q ends at %.1f, past the margin", pages[0].runs[i].text, b.x1)
		}
	}
	if !strings.Contains(pages[0].text(), "100,23") {
		t.Errorf("no last value:\n%s", pages[0].text())
	}
}

func TestPDFSeveralTables(t *testing.T) {
	tables := ClassTeacherTables(ejournal.BuildClassTeacherReport(fixtureInput(), "c5a"), fixtureOptions)
	pages, _ := writePDF(t, tables...)
	var all strings.Builder
	for _, p := range pages {
		all.WriteString(p.text())
	}
	for _, tb := range tables {
		if !strings.Contains(all.String(), tb.Title) {
			t.Errorf("no title %q", tb.Title)
		}
	}
	if !strings.Contains(all.String(), "Таких учеников нет.") && len(tables[3].Rows) == 0 {
		t.Error("an empty list has no note")
	}
	// Five small tables share pages: the by-subject one is wide, so the
	// document is landscape; it needs two pages at most.
	if len(pages) > 2 || pages[0].width != 841.89 {
		t.Errorf("pages = %d, width %v", len(pages), pages[0].width)
	}
}

func TestFitWidths(t *testing.T) {
	tests := []struct {
		natural, floor []float64
		width          float64
		want           []float64
	}{
		{[]float64{10, 20, 30}, []float64{0, 0, 0}, 100, []float64{10, 20, 30}},
		{[]float64{10, 20, 100, 100}, []float64{0, 0, 0, 0}, 150, []float64{10, 20, 60, 60}},
		{[]float64{10, 100, 20, 90}, []float64{3, 3, 3, 3}, 150, []float64{10, 60, 20, 60}},
		{[]float64{40, 40, 40}, []float64{5, 5, 5}, 90, []float64{30, 30, 30}},
		// A column of numbers keeps its floor; the others share the rest.
		{[]float64{40, 40, 40}, []float64{36, 5, 5}, 90, []float64{36, 27, 27}},
		// The floors do not fit: they are let go.
		{[]float64{40, 40}, []float64{30, 30}, 50, []float64{25, 25}},
		{nil, nil, 10, []float64{}},
	}
	for _, tt := range tests {
		got := fitWidths(tt.natural, tt.floor, tt.width)
		if len(got) != len(tt.want) {
			t.Fatalf("fitWidths(%v) = %v", tt.natural, got)
		}
		for j := range got {
			if math.Abs(got[j]-tt.want[j]) > 1e-6 {
				t.Errorf("fitWidths(%v, %v) = %v, want %v", tt.natural, tt.width, got, tt.want)
				break
			}
		}
	}
}

func TestPDFCompressed(t *testing.T) {
	var plain, packed bytes.Buffer
	tb := studentTable(200)
	if err := (PDFDocument{Uncompressed: true}).Write(&plain, tb); err != nil {
		t.Fatal(err)
	}
	if err := PDF(&packed, tb); err != nil {
		t.Fatal(err)
	}
	if packed.Len() >= plain.Len() || !bytes.HasPrefix(packed.Bytes(), []byte("%PDF-1.")) {
		t.Errorf("compressed %d bytes, uncompressed %d", packed.Len(), plain.Len())
	}
	if err := PDF(&bytes.Buffer{}); err != nil {
		t.Errorf("no tables: %v", err)
	}
}

// TestPDFOddCharacters: characters the fonts cannot measure (beyond the
// Basic Multilingual Plane) and tabs neither break nor vanish silently.
func TestPDFOddCharacters(t *testing.T) {
	tb := &Table{Title: "Имена", Columns: columns("Ученик"), Rows: [][]Cell{{Text("Иванов 😀\tИван")}}}
	pages, _ := writePDF(t, tb)
	if !strings.Contains(pages[0].text(), "Иванов ? Иван") {
		t.Errorf("text = %q", pages[0].text())
	}
}

// BenchmarkExport writes a table of 1,000 students (a whole school's
// attendance report) in each format, reporting the file size.
func BenchmarkExport(b *testing.B) {
	tb := studentTable(1000)
	for _, f := range []Format{FormatXLSX, FormatPDF, FormatCSV} {
		b.Run(string(f), func(b *testing.B) {
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := f.Write(&buf, tb); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// TestNoColumns: a table without columns still gives valid files.
func TestNoColumns(t *testing.T) {
	tb := &Table{Title: "Пусто"}
	pages, _ := writePDF(t, tb)
	if len(pages) != 1 || !strings.Contains(pages[0].text(), "Нет данных.") {
		t.Errorf("PDF: %d pages %q", len(pages), pages[0].text())
	}
	for _, f := range []Format{FormatXLSX, FormatCSV} {
		if err := f.Write(&bytes.Buffer{}, tb); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
