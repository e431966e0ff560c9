package api

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
	"ejournal/internal/importer"
)

// Media types of the files an import takes as its request body.
const (
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// importRoutes take a spreadsheet as the whole request body. Their body
// limit is the importer's file limit rather than the server's 1 MiB.
func (s *Server) importRoutes() []Route {
	students := importKind{capability: access.StudentsWrite, classes: true, build: importer.Students,
		summary: func(b *importer.Batch) map[string]int {
			return map[string]int{"students": b.Students, "parents": b.Parents, "links": len(b.Links)}
		}}
	staff := importKind{capability: access.StaffWrite, build: importer.Staff,
		summary: func(b *importer.Batch) map[string]int { return map[string]int{"staff": b.Staff} }}
	return []Route{
		{Function: FuncRecords, Method: http.MethodPost, Pattern: "/v1/import/students", MaxBodyBytes: importer.MaxFileBytes, handle: s.importFile(students)},
		{Function: FuncRecords, Method: http.MethodPost, Pattern: "/v1/import/staff", MaxBodyBytes: importer.MaxFileBytes, handle: s.importFile(staff)},
	}
}

// importKind is what tells the two imports apart.
type importKind struct {
	capability access.Capability
	// classes: rows name classes of the school year the import is for.
	classes bool
	build   func(*importer.Table, importer.Options) (*importer.Batch, error)
	summary func(*importer.Batch) map[string]int
}

// importReport is the answer to an import: whether the file is valid, how
// many data rows it has, every problem found, and how many records it
// holds.
type importReport struct {
	Valid   bool            `json:"valid"`
	Rows    int             `json:"rows"`
	Errors  []importProblem `json:"errors"`
	Summary map[string]int  `json:"summary"`
}

type importProblem struct {
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// importRejected is the 400 answer to an import of an invalid file: the
// error envelope, its fields keyed "<line>:<column>", and the report.
type importRejected struct {
	Error  errorDetail  `json:"error"`
	Report importReport `json:"report"`
}

// importFile checks a file and, unless ?dry_run=true or the file has any
// problem, writes all its records.
func (s *Server) importFile(kind importKind) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := ejournal.PrincipalFrom(r.Context())
		if err := access.Require(p, kind.capability, access.SchoolTarget(p.SchoolID)); err != nil {
			return err
		}
		dry, err := queryBool(r, "dry_run")
		if err != nil {
			return err
		}
		format, err := fileFormat(r)
		if err != nil {
			return err
		}
		opts := importer.Options{SchoolID: p.SchoolID}
		if kind.classes {
			if opts.Classes, err = s.importClasses(r, p.SchoolID); err != nil {
				return err
			}
		}
		data, err := readBody(r)
		if err != nil {
			return err
		}
		batch := &importer.Batch{}
		t, err := importer.Decode(data, format)
		if err == nil {
			batch, err = kind.build(t, opts)
		}
		var rep *importer.Report
		if err != nil && !errors.As(err, &rep) {
			return err
		}
		lang := info(r).lang
		out := importReport{Valid: rep == nil, Rows: batch.Rows, Errors: []importProblem{}, Summary: kind.summary(batch)}
		if rep != nil {
			for _, pr := range rep.Problems {
				out.Errors = append(out.Errors, importProblem{Line: pr.Line, Column: pr.Column, Message: pr.Message.In(lang)})
			}
		}
		switch {
		case dry:
			writeJSON(w, http.StatusOK, out)
		case rep != nil:
			w.Header().Set("Content-Language", lang)
			writeJSON(w, http.StatusBadRequest, importRejected{Error: rejection(out, lang), Report: out})
		default:
			if err := s.Records.ImportPeople(r.Context(), p.SchoolID, batch.People, batch.Links); err != nil {
				return err
			}
			writeJSON(w, http.StatusCreated, out)
		}
		return nil
	}
}

// rejection is the error envelope of an invalid file, its fields keyed
// "<line>:<column>" ("<line>:" for a whole row).
func rejection(out importReport, lang string) errorDetail {
	msg := ejournal.Text{
		RU: fmt.Sprintf("В файле есть ошибки (%d), ничего не записано. Исправьте их и загрузите файл снова.", len(out.Errors)),
		EN: fmt.Sprintf("The file has problems (%d); nothing was written. Fix them and upload the file again.", len(out.Errors)),
	}
	d := errorDetail{Code: ejournal.EINVALID, Message: msg.In(lang), Fields: map[string]string{}}
	for _, e := range out.Errors {
		k := fmt.Sprintf("%d:%s", e.Line, e.Column)
		if prev, ok := d.Fields[k]; ok {
			d.Fields[k] = prev + " " + e.Message
		} else {
			d.Fields[k] = e.Message
		}
	}
	return d
}

// fileFormat tells the file's format by the request's Content-Type.
func fileFormat(r *http.Request) (importer.Format, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case mediaCSV:
		return importer.CSV, nil
	case mediaXLSX:
		return importer.XLSX, nil
	}
	return 0, ejournal.Errorf(ejournal.EINVALID, ejournal.T(
		"Отправьте файл CSV (Content-Type: text/csv) или XLSX (Content-Type: "+mediaXLSX+").",
		"Send a CSV file (Content-Type: text/csv) or an XLSX file (Content-Type: "+mediaXLSX+")."))
}

// queryBool reads an optional true/false query parameter.
func queryBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, ejournal.Problems{name: ejournal.T("Значение true или false.", "The value must be true or false.")}.Err()
	}
	return b, nil
}

// importClasses lists the classes of the school year ?year_id= names or,
// without it, of the year that contains today in the school's time zone.
func (s *Server) importClasses(r *http.Request, schoolID string) ([]*ejournal.Class, error) {
	ctx := r.Context()
	yearID, err := queryID(r, "year_id")
	if err != nil {
		return nil, err
	}
	if yearID == "" {
		yearID, err = s.currentYear(ctx, schoolID)
	} else if _, err = s.Directory.Year(ctx, schoolID, yearID); ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		err = ejournal.Problems{"year_id": ejournal.T("Учебный год не найден.", "School year not found.")}.Err()
	}
	if err != nil {
		return nil, err
	}
	return s.Directory.Classes(ctx, schoolID, ejournal.ClassFilter{YearID: yearID})
}

// currentYear finds the school year that contains today, the latest
// starting if years overlap.
func (s *Server) currentYear(ctx context.Context, schoolID string) (string, error) {
	today, err := s.schoolToday(ctx, schoolID)
	if err != nil {
		return "", err
	}
	years, err := s.Directory.Years(ctx, schoolID)
	if err != nil {
		return "", err
	}
	var cur *ejournal.SchoolYear
	for _, y := range years {
		if y.Start <= today && today <= y.End && (cur == nil || y.Start > cur.Start) {
			cur = y
		}
	}
	if cur == nil {
		return "", ejournal.Problems{"year_id": ejournal.T("Сегодняшняя дата не попадает ни в один учебный год: укажите year_id.", "Today is in no school year: give year_id.")}.Err()
	}
	return cur.ID, nil
}
