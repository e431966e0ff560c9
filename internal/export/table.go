// Package export turns report models into files people open: XLSX
// workbooks, PDF documents with Cyrillic text and CSV for Russian Excel.
//
// Every report first becomes one or more neutral Tables (the builders in
// reports.go: SummarySheetTable, ClassTeacherTables, MovementTable, …);
// XLSX, PDF and CSV then write tables without knowing which report they
// came from. The package is pure: it reads no store and knows no HTTP
// beyond the Content-Disposition value of a download.
package export

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"ejournal/internal/ejournal"
)

// Table is one rectangular report: a title, lines of notes under it (the
// period, the definition used), column headers, rows of cells and lines
// of footer notes (rounding, abbreviations). Rows shorter than Columns are
// padded with empty cells.
type Table struct {
	Title string
	// Name is the base of the file name ("Сводная ведомость 5А 2
	// четверть"); "" takes the Title. See FileName.
	Name string
	// Sheet is the short name of the table's XLSX sheet; "" takes the
	// Title. Either is cut to what Excel allows (see SheetName).
	Sheet   string
	Notes   []string
	Columns []Column
	Rows    [][]Cell
	Footer  []string
	// Empty is the note written in place of rows when there are none;
	// "" writes "Нет данных." (or its English form by Lang).
	Empty string
	// Lang is the language of texts the writers add themselves (page
	// numbers, the empty note): "en" for English, anything else Russian.
	Lang string
}

// FileName returns the name of a file of t with the extension ext
// (".xlsx"): its Name, or else its Title, made safe by FileName.
func (t *Table) FileName(ext string) string { return FileName(cmp.Or(t.Name, t.Title), ext) }

// Column is a column header with its width in an XLSX sheet, in
// characters (0: fitted to the contents). PDF fits widths to the page.
type Column struct {
	Title string
	Width int
}

// CellKind says what a cell holds.
type CellKind int

// Kinds of cells.
const (
	// TextCell holds text (also the empty cell).
	TextCell CellKind = iota
	// IntCell holds a whole number.
	IntCell
	// DecimalCell holds a number with two decimals.
	DecimalCell
)

// Cell is one value of a row: text, a whole number or a number with two
// decimals, kept exactly as ejournal.Hundredths. A cell may be bold (totals).
type Cell struct {
	Kind CellKind
	Text string
	// Value is the number in hundredths: 12 is 1200, 83.33 is 8333.
	Value ejournal.Hundredths
	Bold  bool
}

// Text returns a text cell.
func Text(s string) Cell { return Cell{Kind: TextCell, Text: s} }

// Int returns a whole-number cell.
func Int(n int) Cell { return Cell{Kind: IntCell, Value: ejournal.Hundredths(n) * 100} }

// Decimal returns a cell with a number of two decimals.
func Decimal(h ejournal.Hundredths) Cell { return Cell{Kind: DecimalCell, Value: h} }

// Absent is the text of a figure that is not computed (no base).
const Absent = "—"

// DecimalOf returns a decimal cell for h, or the Absent text when h is nil.
func DecimalOf(h *ejournal.Hundredths) Cell {
	if h == nil {
		return Text(Absent)
	}
	return Decimal(*h)
}

// Strong returns the cell in bold.
func (c Cell) Strong() Cell {
	c.Bold = true
	return c
}

// strong returns the cells in bold (a total row).
func strong(cells []Cell) []Cell {
	for j := range cells {
		cells[j] = cells[j].Strong()
	}
	return cells
}

// IsNumber reports whether the cell holds a number.
func (c Cell) IsNumber() bool { return c.Kind == IntCell || c.Kind == DecimalCell }

// Float returns the number of a numeric cell as a float64: exact for
// whole numbers, and the nearest double to the two-decimal value.
func (c Cell) Float() float64 {
	if c.Kind == IntCell {
		return float64(c.Value / 100)
	}
	f, _ := strconv.ParseFloat(fixed(c.Value, "."), 64)
	return f
}

// String returns the cell as shown: numbers with a decimal point (whole
// numbers without one, decimals always with two digits).
func (c Cell) String() string { return c.format(".") }

// Russian returns the cell as shown in Russian: decimals with a comma.
func (c Cell) Russian() string { return c.format(",") }

func (c Cell) format(point string) string {
	switch c.Kind {
	case IntCell:
		return strconv.FormatInt(int64(c.Value/100), 10)
	case DecimalCell:
		return fixed(c.Value, point)
	}
	return c.Text
}

// fixed writes h with exactly two decimals after point.
func fixed(h ejournal.Hundredths, point string) string {
	sign := ""
	if h < 0 {
		sign, h = "-", -h
	}
	return fmt.Sprintf("%s%d%s%02d", sign, h/100, point, h%100)
}

// row returns row i padded to the number of columns.
func (t *Table) row(i int) []Cell {
	r := t.Rows[i]
	if len(r) >= len(t.Columns) {
		return r[:len(t.Columns)]
	}
	out := make([]Cell, len(t.Columns))
	copy(out, r)
	return out
}

// emptyNote is the note written for a table without rows.
func (t *Table) emptyNote() string {
	if t.Empty != "" {
		return t.Empty
	}
	return tr(t.Lang, "Нет данных.", "No data.")
}

// pageText returns "стр. N из M" in the table's language, with total
// standing for the number of pages.
func pageText(lang string, page int, total string) string {
	if lang == "en" {
		return fmt.Sprintf("page %d of %s", page, total)
	}
	return fmt.Sprintf("стр. %d из %s", page, total)
}

// tr picks the Russian or, for lang "en", the English text.
func tr(lang, ru, en string) string { return ejournal.T(ru, en).In(lang) }

// widths returns each column's width in characters: the given one, or the
// longest line of its header and cells, within [min, max].
func (t *Table) widths(minW, maxW int) []int {
	out := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		if c.Width > 0 {
			out[j] = c.Width
			continue
		}
		w := longestWord(c.Title)
		for i := range t.Rows {
			w = max(w, runeLen(t.row(i)[j].Russian()))
		}
		out[j] = min(max(w, minW), maxW)
	}
	return out
}

// longestWord is the length of the longest word of s: a header may wrap
// between words.
func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, runeLen(w))
	}
	return n
}

func runeLen(s string) int { return len([]rune(s)) }
