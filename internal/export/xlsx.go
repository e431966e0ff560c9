package export

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// XLSX sheet layout: the title in row 1, the notes under it, an empty row,
// the header row (frozen, repeated on printed pages), the rows, an empty
// row and the footer notes.
const (
	xlsxMinWidth = 4
	xlsxMaxWidth = 60
	// xlsxLineHeight is the height, in points, of one line of 11 pt text.
	xlsxLineHeight = 15
)

// XLSX writes the tables as a workbook with one sheet per table, named by
// SheetName. Numbers are stored as numbers (decimals shown with two
// digits), the header row is bold and frozen, and columns are as wide as
// their contents.
func XLSX(w io.Writer, tables ...*Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for i, t := range tables {
		name := uniqueSheetName(SheetName(cmp.Or(t.Sheet, t.Title)), names)
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err == nil {
			err = writeSheet(f, st, name, t)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
	}
	if len(tables) > 0 {
		if err := f.SetDocProps(&excelize.DocProperties{Title: tables[0].Title, Creator: "ejournal", Language: lang(tables[0].Lang)}); err != nil {
			return fmt.Errorf("xlsx properties: %w", err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func lang(l string) string {
	if l == "en" {
		return "en-US"
	}
	return "ru-RU"
}

// SheetName makes s a valid sheet title: the characters Excel forbids
// ([ ] : * ? / \) become spaces, runs of spaces one, no apostrophe at
// either end, at most 31 characters; "" becomes "Лист".
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || r < 0x20 {
			return ' '
		}
		return r
	}, s)
	s = strings.Trim(strings.Join(strings.Fields(s), " "), "' ")
	if r := []rune(s); len(r) > 31 {
		s = strings.Trim(string(r[:31]), "' ")
	}
	if s == "" {
		return "Лист"
	}
	return s
}

// uniqueSheetName returns name, or name with " (2)", " (3)" … (cut to fit
// 31 characters) when a sheet of that name (in any case) exists.
func uniqueSheetName(name string, taken map[string]bool) string {
	out := name
	for n := 2; taken[strings.ToLower(out)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(name)
		out = strings.TrimRight(string(r[:min(len(r), 31-len(suffix))]), " ") + suffix
	}
	taken[strings.ToLower(out)] = true
	return out
}

// xlsxStyles are the style ids of a workbook: cells by kind and weight.
type xlsxStyles struct {
	title, note, header int
	cells               map[[2]int]int // kind, bold
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "top", Color: "999999", Style: 1},
		{Type: "right", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	st := &xlsxStyles{cells: map[[2]int]int{}}
	specs := []struct {
		id *int
		s  *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.note, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
			Alignment: &excelize.Alignment{WrapText: true, Horizontal: "center", Vertical: "center"}}},
	}
	for _, sp := range specs {
		id, err := f.NewStyle(sp.s)
		if err != nil {
			return nil, fmt.Errorf("xlsx style: %w", err)
		}
		*sp.id = id
	}
	for _, kind := range []CellKind{TextCell, IntCell, DecimalCell} {
		for bold := range 2 {
			s := &excelize.Style{Border: border, Font: &excelize.Font{Bold: bold == 1},
				Alignment: &excelize.Alignment{Vertical: "top", WrapText: kind == TextCell}}
			switch kind {
			case IntCell:
				s.NumFmt = 1 // 0
			case DecimalCell:
				s.NumFmt = 2 // 0.00
			}
			id, err := f.NewStyle(s)
			if err != nil {
				return nil, fmt.Errorf("xlsx style: %w", err)
			}
			st.cells[[2]int{int(kind), bold}] = id
		}
	}
	return st, nil
}

func (st *xlsxStyles) cell(c Cell) int {
	bold := 0
	if c.Bold {
		bold = 1
	}
	return st.cells[[2]int{int(c.Kind), bold}]
}

// writeSheet lays t out on sheet.
func writeSheet(f *excelize.File, st *xlsxStyles, sheet string, t *Table) error {
	ncol := max(len(t.Columns), 1)
	widths := t.widths(xlsxMinWidth, xlsxMaxWidth)
	total := 0
	for j, wd := range widths {
		total += wd + 2
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(sheet, col, col, float64(wd+2)); err != nil {
			return err
		}
	}
	row := 1
	// line writes a text across the table's width, wrapped, in style id.
	line := func(text string, id int) error {
		a, b := cellName(1, row), cellName(ncol, row)
		if err := f.SetCellStr(sheet, a, text); err != nil {
			return err
		}
		if ncol > 1 {
			if err := f.MergeCell(sheet, a, b); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, a, b, id); err != nil {
			return err
		}
		if lines := wrappedLines(text, total); lines > 1 {
			if err := f.SetRowHeight(sheet, row, float64(lines*xlsxLineHeight)); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := line(t.Title, st.title); err != nil {
		return err
	}
	for _, n := range t.Notes {
		if err := line(n, st.note); err != nil {
			return err
		}
	}
	row++
	header := row
	for j, c := range t.Columns {
		if err := f.SetCellStr(sheet, cellName(j+1, row), c.Title); err != nil {
			return err
		}
	}
	if len(t.Columns) > 0 {
		if err := f.SetCellStyle(sheet, cellName(1, row), cellName(len(t.Columns), row), st.header); err != nil {
			return err
		}
	}
	titles := make([]Cell, len(t.Columns))
	for j, c := range t.Columns {
		titles[j] = Text(c.Title)
	}
	if err := fitRow(f, sheet, row, titles, widths); err != nil {
		return err
	}
	row++
	for i := range t.Rows {
		if err := fitRow(f, sheet, row, t.row(i), widths); err != nil {
			return err
		}
		for j, c := range t.row(i) {
			ref := cellName(j+1, row)
			var err error
			switch c.Kind {
			case IntCell:
				err = f.SetCellInt(sheet, ref, int64(c.Value/100))
			case DecimalCell:
				err = f.SetCellFloat(sheet, ref, c.Float(), 2, 64)
			default:
				err = f.SetCellStr(sheet, ref, c.Text)
			}
			if err == nil {
				err = f.SetCellStyle(sheet, ref, ref, st.cell(c))
			}
			if err != nil {
				return err
			}
		}
		row++
	}
	if len(t.Rows) == 0 {
		if err := line(t.emptyNote(), st.note); err != nil {
			return err
		}
	}
	if len(t.Footer) > 0 {
		row++
	}
	for _, n := range t.Footer {
		if err := line(n, st.note); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: cellName(1, header+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), header, header)})
}

// fitRow makes a row high enough for the wrapped text of its cells: Excel
// does not fit row heights itself when it opens a file.
func fitRow(f *excelize.File, sheet string, row int, cells []Cell, widths []int) error {
	lines := 1
	for j, c := range cells {
		if c.Kind == TextCell {
			lines = max(lines, wrappedLines(c.Text, widths[j]))
		}
	}
	if lines == 1 {
		return nil
	}
	return f.SetRowHeight(sheet, row, float64(lines*xlsxLineHeight))
}

// cellName returns the A1 reference of column col and row (both from 1).
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// wrappedLines estimates how many lines text takes in a width of chars.
func wrappedLines(text string, chars int) int {
	if chars <= 0 {
		return 1
	}
	n := 0
	for _, part := range strings.Split(text, "\n") {
		n += max(1, (runeLen(part)+chars-1)/chars)
	}
	return n
}
