// Package importer reads the spreadsheets schools start from — students with
// their parents, and staff — as CSV (UTF-8, with or without a byte order
// mark, or Windows-1251 as Russian Excel saves it; comma, semicolon or tab
// separated) or XLSX (the first sheet). It checks every row against the
// domain's rules and reports every problem with its line and column; only a
// file without problems becomes people and family links ready to write.
//
// The package is pure: the caller passes the school's classes in and writes
// the result. Identifiers are derived from the school and the row's content,
// so importing the same file twice yields the same records.
package importer

import (
	"fmt"

	"ejournal/internal/ejournal"
)

// Limits of one import.
const (
	// MaxFileBytes bounds the file. Base64-encoded by API Gateway it still
	// fits Lambda's 6 MB request payload.
	MaxFileBytes = 4 << 20
	// MaxRows bounds the number of data rows.
	MaxRows = 5000
	// MaxProblems bounds the report; the problems beyond are counted in a
	// last, summarising problem.
	MaxProblems = 1000
)

// Problem is one thing wrong with a file.
type Problem struct {
	// Line is the file's line (CSV) or row (XLSX), from 1; 0 means the file
	// as a whole.
	Line int
	// Column is the column's header as the file writes it (or its usual
	// name when the column is missing); "" when the problem is not about
	// one column.
	Column  string
	Message ejournal.Text
}

// Report lists the problems that stop a file from being imported. Every
// error this package returns is a *Report.
type Report struct {
	Problems []Problem
	more     int
}

func (r *Report) Error() string {
	if len(r.Problems) == 0 {
		return "import: no problems"
	}
	p := r.Problems[0]
	return fmt.Sprintf("import: %d problem(s), first at line %d, column %q: %s", len(r.Problems)+r.more, p.Line, p.Column, p.Message.EN)
}

// add records a problem, keeping at most MaxProblems.
func (r *Report) add(line int, column string, msg ejournal.Text) {
	if len(r.Problems) >= MaxProblems {
		r.more++
		return
	}
	r.Problems = append(r.Problems, Problem{Line: line, Column: column, Message: msg})
}

// err returns r as an error, or nil when it holds no problems.
func (r *Report) err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	if r.more > 0 {
		r.Problems = append(r.Problems, Problem{Message: ejournal.Text{
			RU: fmt.Sprintf("И ещё ошибок: %d. Исправьте перечисленные и проверьте файл снова.", r.more),
			EN: fmt.Sprintf("And %d more problems. Fix those listed and check the file again.", r.more),
		}})
		r.more = 0
	}
	return r
}

// fail returns a report of one problem.
func fail(line int, column string, msg ejournal.Text) error {
	r := &Report{}
	r.add(line, column, msg)
	return r.err()
}

// Options are what an import needs to know about the school.
type Options struct {
	SchoolID string
	// Classes are the classes students may be placed in (those of the
	// school year the import is for), matched by name such as "5А".
	Classes []*ejournal.Class
}

// Batch is a valid file turned into records.
type Batch struct {
	// Rows is the number of data rows read.
	Rows int
	// People are the students and their parents, or the staff, in file order.
	People []*ejournal.Person
	Links  []ejournal.Link
	// Counts of People by kind.
	Students, Parents, Staff int
}

func (b *Batch) add(p *ejournal.Person) {
	b.People = append(b.People, p)
	switch p.Kind {
	case ejournal.Student:
		b.Students++
	case ejournal.Parent:
		b.Parents++
	case ejournal.Staff:
		b.Staff++
	}
}
