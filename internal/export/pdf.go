package export

import (
	_ "embed" // the fonts
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// The DejaVu fonts (fonts/README.md, licence in fonts/LICENSE): the PDF
// core fonts have no Cyrillic.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// PDF page geometry, in millimetres and points. Every line of a table is
// lineH high; a cell wraps to at most maxCellLines lines (a header to
// maxHeaderLines), the last one cut with "…", so no row overlaps the next
// and none is taller than a page.
const (
	fontFamily     = "DejaVu"
	pageMargin     = 10.0
	footerReserve  = 8.0 // under the content: the page number
	cellMargin     = 1.0
	bodyPt         = 8.0
	minBodyPt      = 5.0
	lineH          = 4.0
	titlePt        = 12.0
	titleLineH     = 6.0
	notePt         = 8.0
	noteLineH      = 4.0
	pageNumberPt   = 7.0
	gapAfterNotes  = 2.0
	gapAfterTable  = 6.0
	maxCellLines   = 3
	maxHeaderLines = 5
	maxColumnMM    = 80.0
	minColumnMM    = 8.0
	textFloorMM    = 30.0
	ellipsis       = "…"
	portraitWidth  = 210.0
	portraitHeight = 297.0
)

// PDF writes the tables one after another into an A4 document, landscape
// when a table is too wide for a portrait page. Each table has its title
// and notes, a header row repeated at the top of every page it spans and
// its footer notes; every page is numbered "стр. N из M".
func PDF(w io.Writer, tables ...*Table) error { return PDFDocument{}.Write(w, tables...) }

// PDFDocument holds the settings of a PDF export.
type PDFDocument struct {
	// Created is the creation time written in the metadata; zero: now.
	Created time.Time
	// Uncompressed leaves the page contents as plain text (for tests).
	Uncompressed bool
}

// Write writes the tables as PDF does, with d's settings.
func (d PDFDocument) Write(w io.Writer, tables ...*Table) error {
	p := newPDFWriter(d, tables)
	for i, t := range tables {
		p.table(t, i == 0)
	}
	if len(tables) == 0 {
		p.newPage()
	}
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// pdfWriter lays tables out on the pages of one document.
type pdfWriter struct {
	pdf           *fpdf.Fpdf
	orientation   string  // "P" or "L"
	size          float64 // the body text size of the table being written
	width, bottom float64 // usable width; lowest y content may reach
}

// newPage starts a page in the document's orientation.
func (p *pdfWriter) newPage() {
	p.pdf.AddPageFormat(p.orientation, fpdf.SizeType{Wd: portraitWidth, Ht: portraitHeight})
}

func newPDFWriter(d PDFDocument, tables []*Table) *pdfWriter {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	pdf.SetCompression(!d.Uncompressed)
	if !d.Created.IsZero() {
		pdf.SetCreationDate(d.Created)
		pdf.SetModificationDate(d.Created)
	}
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(cellMargin)
	pdf.SetCreator("ejournal", true)
	lang := ""
	if len(tables) > 0 {
		pdf.SetTitle(pdfText(tables[0].Title), true)
		lang = tables[0].Lang
	}
	p := &pdfWriter{pdf: pdf}
	orientation, width, height := "P", portraitWidth, portraitHeight
	usable := portraitWidth - 2*pageMargin
	for _, t := range tables {
		p.size = bodyPt
		if natural, _ := p.columnWidths(t); sum(natural) > usable {
			orientation, width, height = "L", portraitHeight, portraitWidth
		}
	}
	p.orientation = orientation
	p.width, p.bottom = width-2*pageMargin, height-pageMargin-footerReserve
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetFont(fontFamily, "", pageNumberPt)
		pdf.SetXY(pageMargin, height-pageMargin-lineH)
		pdf.CellFormat(width-2*pageMargin, lineH, pageText(lang, pdf.PageNo(), "{nb}"), "", 0, "C", false, 0, "")
	})
	return p
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// pdfText replaces what the fonts cannot show: characters beyond the
// Basic Multilingual Plane (fpdf measures only those) and tabs.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return '?'
		case r == '\t':
			return ' '
		}
		return r
	}, s)
}

// setFont sets the body font, bold or regular, at size pt.
func (p *pdfWriter) setFont(bold bool, pt float64) {
	style := ""
	if bold {
		style = "B"
	}
	p.pdf.SetFont(fontFamily, style, pt)
}

// columnWidths returns each column's width in mm at the current body
// size: natural is the full header or the widest cell, floor the widest
// number or word of the header (neither is broken) and, for a column of
// text (names, reasons), textFloorMM; both with the cell margins and
// within [minColumnMM, maxColumnMM].
func (p *pdfWriter) columnWidths(t *Table) (natural, floor []float64) {
	natural, floor = make([]float64, len(t.Columns)), make([]float64, len(t.Columns))
	pad := 2*cellMargin + 0.5
	for j, c := range t.Columns {
		p.setFont(true, p.size)
		w, unbroken := 0.0, 0.0
		for _, line := range strings.Split(pdfText(c.Title), "\n") {
			w = max(w, p.pdf.GetStringWidth(line))
		}
		for _, word := range strings.Fields(pdfText(c.Title)) {
			unbroken = max(unbroken, p.pdf.GetStringWidth(word))
		}
		text := false
		for i := range t.Rows {
			cell := t.row(i)[j]
			p.setFont(cell.Bold, p.size)
			for _, line := range strings.Split(pdfText(cell.Russian()), "\n") {
				w = max(w, p.pdf.GetStringWidth(line))
			}
			if cell.IsNumber() {
				unbroken = max(unbroken, p.pdf.GetStringWidth(cell.Russian()))
			} else if cell.Text != "" && cell.Text != Absent {
				text = true
			}
		}
		natural[j] = min(max(w+pad, minColumnMM), maxColumnMM)
		floor[j] = min(natural[j], unbroken+pad)
		if text {
			floor[j] = max(floor[j], min(natural[j], textFloorMM))
		}
	}
	return natural, floor
}

// fitWidths narrows the widest columns, all to one width but none below
// its floor, until the columns fit in width ("water filling"). When even
// the floors do not fit they are let go: words and numbers may then break,
// but no column leaves the page.
func fitWidths(natural, floor []float64, width float64) []float64 {
	if sum(natural) <= width {
		return slices.Clone(natural)
	}
	if sum(floor) > width {
		floor = make([]float64, len(natural))
	}
	at := func(limit float64) []float64 {
		out := make([]float64, len(natural))
		for j := range natural {
			out[j] = max(floor[j], min(natural[j], limit))
		}
		return out
	}
	lo, hi := 0.0, slices.Max(natural)
	for range 60 {
		mid := (lo + hi) / 2
		if sum(at(mid)) > width {
			hi = mid
		} else {
			lo = mid
		}
	}
	return at(lo)
}

// layout sets the body size for t and returns its column widths: the
// normal size when the floors (numbers, header words) fit across the
// page, else a size small enough for them, but at least minBodyPt.
func (p *pdfWriter) layout(t *Table) []float64 {
	p.size = bodyPt
	natural, floor := p.columnWidths(t)
	if total := sum(floor); total > p.width {
		// Only the text of the floors shrinks with the size, not the pads.
		pads := float64(len(floor)) * (2*cellMargin + 0.5)
		p.size = max(minBodyPt, bodyPt*(p.width-pads)/(total-pads)*0.99)
		natural, floor = p.columnWidths(t)
	}
	return fitWidths(natural, floor, p.width)
}

// table lays out one table, starting on a new page when it is the first
// or when its title, header and first row do not fit under the previous one.
func (p *pdfWriter) table(t *Table, first bool) {
	pdf := p.pdf
	widths := p.layout(t)
	header := make([]Cell, len(t.Columns))
	for j, c := range t.Columns {
		header[j] = Text(c.Title).Strong()
	}
	headerLines := p.lines(header, widths, maxHeaderLines)
	headerH := float64(height(headerLines)) * lineH
	var firstRow [][]string
	if len(t.Rows) > 0 {
		firstRow = p.lines(t.row(0), widths, maxCellLines)
	}
	start := p.titleHeight(t) + headerH + float64(max(height(firstRow), 1))*lineH
	if first || pdf.GetY()+gapAfterTable+start > p.bottom {
		p.newPage()
	} else {
		pdf.SetY(pdf.GetY() + gapAfterTable)
	}
	p.paragraph(t.Title, true, titlePt, titleLineH)
	for _, n := range t.Notes {
		p.paragraph(n, false, notePt, noteLineH)
	}
	pdf.SetY(pdf.GetY() + gapAfterNotes)
	p.row(header, headerLines, widths, true)
	for i := range t.Rows {
		cells := t.row(i)
		lines := p.lines(cells, widths, maxCellLines)
		if pdf.GetY()+float64(height(lines))*lineH > p.bottom {
			p.newPage()
			p.row(header, headerLines, widths, true)
		}
		p.row(cells, lines, widths, false)
	}
	if len(t.Rows) == 0 {
		total := sum(widths)
		if total == 0 {
			total = p.width
		}
		empty := []Cell{Text(t.emptyNote())}
		p.row(empty, p.lines(empty, []float64{total}, maxCellLines), []float64{total}, false)
	}
	if len(t.Footer) > 0 {
		pdf.SetY(pdf.GetY() + gapAfterNotes)
	}
	for _, n := range t.Footer {
		p.paragraph(n, false, notePt, noteLineH)
	}
}

// titleHeight is the height of a table's title and notes.
func (p *pdfWriter) titleHeight(t *Table) float64 {
	p.setFont(true, titlePt)
	h := float64(len(p.pdf.SplitText(pdfText(t.Title), p.width))) * titleLineH
	p.setFont(false, notePt)
	for _, n := range t.Notes {
		h += float64(len(p.pdf.SplitText(pdfText(n), p.width))) * noteLineH
	}
	return h + gapAfterNotes
}

// paragraph writes text across the page, wrapped, moving to a new page
// when a line does not fit.
func (p *pdfWriter) paragraph(text string, bold bool, pt, lh float64) {
	p.setFont(bold, pt)
	for _, line := range p.pdf.SplitText(pdfText(text), p.width) {
		if p.pdf.GetY()+lh > p.bottom {
			p.newPage()
		}
		p.pdf.SetX(pageMargin)
		p.pdf.CellFormat(p.width, lh, line, "", 1, "L", false, 0, "")
	}
}

// lines wraps each cell's text to its column, at most limit lines, the
// last one cut with an ellipsis when the text is longer.
func (p *pdfWriter) lines(cells []Cell, widths []float64, limit int) [][]string {
	out := make([][]string, len(cells))
	for j, c := range cells {
		p.setFont(c.Bold, p.size)
		text := pdfText(c.Russian())
		ls := p.pdf.SplitText(text, widths[j])
		if len(ls) > limit {
			ls = ls[:limit]
			ls[limit-1] = p.cut(ls[limit-1]+" ", widths[j]-2*cellMargin)
		}
		out[j] = ls
	}
	return out
}

// cut shortens s until s and an ellipsis fit in width.
func (p *pdfWriter) cut(s string, width float64) string {
	r := []rune(strings.TrimRight(s, " "))
	for len(r) > 0 && p.pdf.GetStringWidth(string(r)+ellipsis) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + ellipsis
}

// height is the number of lines of a row: its tallest cell, at least one.
func height(lines [][]string) int {
	n := 1
	for _, ls := range lines {
		n = max(n, len(ls))
	}
	return n
}

// row draws a row of bordered cells whose text is already wrapped; numbers
// are aligned right, headers centred.
func (p *pdfWriter) row(cells []Cell, lines [][]string, widths []float64, header bool) {
	pdf := p.pdf
	y, x := pdf.GetY(), pageMargin
	h := float64(height(lines)) * lineH
	for j, c := range cells {
		style := "D"
		if header {
			pdf.SetFillColor(232, 232, 232)
			style = "FD"
		}
		pdf.Rect(x, y, widths[j], h, style)
		align := "L"
		switch {
		case header:
			align = "C"
		case c.IsNumber():
			align = "R"
		}
		p.setFont(c.Bold, p.size)
		for k, line := range lines[j] {
			pdf.SetXY(x, y+float64(k)*lineH)
			pdf.CellFormat(widths[j], lineH, line, "", 0, align, false, 0, "")
		}
		x += widths[j]
	}
	pdf.SetXY(pageMargin, y+h)
}
