package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"ejournal/internal/ejournal"
)

// Format is a file format the importer reads.
type Format int

// Formats.
const (
	CSV Format = iota
	XLSX
)

// Table is a decoded file: its header row and the non-empty rows below it,
// with their line numbers. Cells are trimmed.
type Table struct {
	Header Row
	Rows   []Row
	// serialDates: numbers in date columns are Excel serial dates (XLSX),
	// counted from 1904 when date1904 is set.
	serialDates, date1904 bool
}

// Row is one line of a file.
type Row struct {
	Line  int
	Cells []string
}

var (
	tooLargeText = ejournal.Text{
		RU: "Файл больше 4 МБ. Разделите его на части.",
		EN: "The file is larger than 4 MB. Split it into parts.",
	}
	tooManyRowsText = ejournal.Text{
		RU: "В файле больше 5000 строк. Разделите его на части.",
		EN: "The file has more than 5000 rows. Split it into parts.",
	}
	emptyText    = ejournal.T("Файл пуст: нет строки заголовков.", "The file is empty: there is no header row.")
	noRowsText   = ejournal.T("В файле нет ни одной строки с данными под заголовками.", "The file has no data rows below the headers.")
	badXLSXText  = ejournal.T("Не удалось прочитать файл XLSX. Сохраните его в Excel как «Книга Excel (*.xlsx)» или как CSV.", "Could not read the XLSX file. Save it from Excel as an Excel Workbook (*.xlsx) or as CSV.")
	badQuoteText = ejournal.T("Ошибка в кавычках: проверьте, что каждая открытая кавычка закрыта.", "Quotes do not match: check that every opening quote is closed.")
)

// Decode reads a file in format f.
func Decode(data []byte, f Format) (*Table, error) {
	if f == XLSX {
		return DecodeXLSX(data)
	}
	return DecodeCSV(data)
}

// DecodeCSV reads a CSV file. The encoding (UTF-8 with or without a byte
// order mark, UTF-16 with one, otherwise Windows-1251) and the separator
// (comma, semicolon or tab, whichever the first line has most of) are
// detected.
func DecodeCSV(data []byte) (*Table, error) {
	if len(data) > MaxFileBytes {
		return nil, fail(0, "", tooLargeText)
	}
	text := toUTF8(data)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = separator(text)
	r.FieldsPerRecord = -1
	t := &Table{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, fail(perr.StartLine, "", badQuoteText)
		} else if err != nil {
			return nil, fail(0, "", badQuoteText)
		}
		line, _ := r.FieldPos(0)
		if err := t.add(line, rec); err != nil {
			return nil, err
		}
	}
	return t.done()
}

// toUTF8 decodes data to text by its byte order mark or, without one, as
// UTF-8 if valid and Windows-1251 otherwise.
func toUTF8(data []byte) string {
	if b, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF")); ok {
		data = b
	} else if bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")) {
		if b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data); err == nil {
			return string(b)
		}
	}
	if utf8.Valid(data) {
		return string(data)
	}
	b, _ := charmap.Windows1251.NewDecoder().Bytes(data) // every byte has a meaning in Windows-1251
	return string(b)
}

// separator picks the separator the first non-blank line uses most,
// outside quotes.
func separator(text string) rune {
	var first string
	for first == "" && text != "" {
		first, text, _ = strings.Cut(text, "\n")
		first = strings.TrimSpace(first)
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range first {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// xlsxLimits keep a small compressed file from unpacking into a huge one,
// and keep worksheets in memory rather than in temporary files.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 64 << 20}

// DecodeXLSX reads the first sheet of an XLSX workbook. Cells are read
// without their number format, so dates arrive as Excel serial numbers and
// are converted where a date is expected.
func DecodeXLSX(data []byte) (t *Table, err error) {
	if len(data) > MaxFileBytes {
		return nil, fail(0, "", tooLargeText)
	}
	defer func() {
		// A damaged workbook must not take the server down; excelize is not
		// hardened against every malformed input.
		if v := recover(); v != nil {
			t, err = nil, fail(0, "", badXLSXText)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxLimits)
	if err != nil {
		return nil, fail(0, "", badXLSXText)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fail(0, "", emptyText)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fail(0, "", badXLSXText)
	}
	defer rows.Close()
	t = &Table{serialDates: true}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fail(line, "", badXLSXText)
		}
		for i, c := range cells {
			cells[i] = plainNumber(c)
		}
		if err := t.add(line, cells); err != nil {
			return nil, err
		}
	}
	if rows.Error() != nil {
		return nil, fail(0, "", badXLSXText)
	}
	return t.done()
}

// plainNumber writes a number stored in exponent form ("7.9123456789E10",
// as some programs store phone numbers) in full; other cells are kept.
func plainNumber(c string) string {
	if !strings.ContainsAny(c, "eE") {
		return c
	}
	f, err := strconv.ParseFloat(c, 64)
	if err != nil || f > 1e15 || f < -1e15 {
		return c
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// add appends a row of cells read at line, skipping empty rows; the first
// non-empty row is the header.
func (t *Table) add(line int, cells []string) error {
	empty := true
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
		if cells[i] != "" {
			empty = false
		}
	}
	switch {
	case empty:
		return nil
	case t.Header.Line == 0:
		t.Header = Row{Line: line, Cells: cells}
	case len(t.Rows) == MaxRows:
		return fail(line, "", tooManyRowsText)
	default:
		t.Rows = append(t.Rows, Row{Line: line, Cells: cells})
	}
	return nil
}

func (t *Table) done() (*Table, error) {
	if t.Header.Line == 0 {
		return nil, fail(0, "", emptyText)
	}
	if len(t.Rows) == 0 {
		return nil, fail(t.Header.Line, "", noRowsText)
	}
	return t, nil
}
