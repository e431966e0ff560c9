package export

import (
	"fmt"
	"io"
)

// Format is a kind of export file.
type Format string

// Formats of exports.
const (
	FormatXLSX Format = "xlsx"
	FormatPDF  Format = "pdf"
	FormatCSV  Format = "csv"
)

// ParseFormat reads a format name ("xlsx", "pdf", "csv").
func ParseFormat(s string) (Format, bool) {
	switch f := Format(s); f {
	case FormatXLSX, FormatPDF, FormatCSV:
		return f, true
	}
	return "", false
}

// Ext is the file name extension with its dot: ".xlsx".
func (f Format) Ext() string { return "." + string(f) }

// ContentType is the media type of the files.
func (f Format) ContentType() string {
	switch f {
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatPDF:
		return "application/pdf"
	case FormatCSV:
		return "text/csv; charset=utf-8"
	}
	return "application/octet-stream"
}

// Write writes the tables in format f: XLSX and PDF take them all, CSV one
// table as CSV and several as CSVAll.
func (f Format) Write(w io.Writer, tables ...*Table) error {
	switch f {
	case FormatXLSX:
		return XLSX(w, tables...)
	case FormatPDF:
		return PDF(w, tables...)
	case FormatCSV:
		if len(tables) == 1 {
			return CSV(w, tables[0])
		}
		return CSVAll(w, tables...)
	}
	return fmt.Errorf("export: unknown format %q", f)
}
