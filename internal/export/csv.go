package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// bom is the UTF-8 byte order mark: without it Russian Excel reads a CSV
// file as Windows-1251.
const bom = "\uFEFF"

// CSV writes t as Russian Excel opens it: UTF-8 with a byte order mark,
// fields separated by ';', lines ended by CRLF, numbers with a decimal
// comma. The file holds the header row and the rows; a table without rows
// gets one row with the empty note in its first column. Text that would
// start a formula (=, +, -, @) is prefixed with an apostrophe.
func CSV(w io.Writer, t *Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return writeCSV(w, t, false)
}

// CSVAll writes several tables into one CSV file, each led by a line with
// its title and followed by an empty line.
func CSVAll(w io.Writer, tables ...*Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	for _, t := range tables {
		if err := writeCSV(w, t, true); err != nil {
			return err
		}
	}
	return nil
}

func writeCSV(w io.Writer, t *Table, titled bool) error {
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	n := len(t.Columns)
	line := func(cells ...string) []string {
		out := make([]string, max(n, len(cells)))
		copy(out, cells)
		return out
	}
	var records [][]string
	if titled {
		records = append(records, line(safeText(t.Title)))
	}
	header := make([]string, n)
	for j, c := range t.Columns {
		header[j] = safeText(c.Title)
	}
	records = append(records, header)
	for i := range t.Rows {
		rec := make([]string, n)
		for j, c := range t.row(i) {
			if c.IsNumber() {
				rec[j] = c.Russian()
			} else {
				rec[j] = safeText(c.Text)
			}
		}
		records = append(records, rec)
	}
	if len(t.Rows) == 0 {
		records = append(records, line(safeText(t.emptyNote())))
	}
	if titled {
		records = append(records, line())
	}
	if err := cw.WriteAll(records); err != nil {
		return fmt.Errorf("csv %q: %w", t.Title, err)
	}
	return nil
}

// safeText keeps a spreadsheet from taking text for a formula.
func safeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
