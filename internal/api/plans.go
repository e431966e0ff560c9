package api

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
	"ejournal/internal/export"
	"ejournal/internal/importer"
)

// planRoutes serve calendar-thematic plans (КТП). The import is not under
// /plans/: a fixed segment beside /plans/{plan_id} would clash with it in
// the router.
func (s *Server) planRoutes() []Route {
	const plan = "/v1/years/{id}/plans/{plan_id}"
	return []Route{
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/years/{id}/plans", handle: s.listPlans},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/years/{id}/plans", handle: s.createPlan},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: plan, handle: s.getPlan},
		{Function: FuncScheduling, Method: http.MethodPut, Pattern: plan, handle: s.putPlan},
		{Function: FuncScheduling, Method: http.MethodDelete, Pattern: plan, handle: s.deletePlan},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: plan + "/progress", handle: s.planProgress},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: plan + "/export", handle: s.exportPlan},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: plan + "/copy", handle: s.copyPlan},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/years/{id}/plan-import", MaxBodyBytes: importer.MaxFileBytes + multipartSlack, handle: s.importPlan},
	}
}

// multipartSlack is room for the multipart envelope around a file.
const multipartSlack = 64 << 10

// planTarget is the access target of a plan: its class, subject and group.
func planTarget(p *ejournal.Plan) access.Target {
	return access.Target{SchoolID: p.SchoolID, ClassID: p.ClassID, SubjectID: p.SubjectID, GroupID: p.GroupID}
}

// planYear reads the school year {id} of the caller's school.
func (s *Server) planYear(r *http.Request) (*ejournal.SchoolYear, error) {
	p := ejournal.PrincipalFrom(r.Context())
	return s.Directory.Year(r.Context(), p.SchoolID, r.PathValue("id"))
}

// loadPlan reads the plan {plan_id} of year {id} and checks the caller may
// use c on it.
func (s *Server) loadPlan(r *http.Request, c access.Capability) (*ejournal.Plan, error) {
	p := ejournal.PrincipalFrom(r.Context())
	pl, err := s.Plans.Plan(r.Context(), p.SchoolID, r.PathValue("id"), r.PathValue("plan_id"))
	if err != nil {
		return nil, err
	}
	if err := access.Require(p, c, planTarget(pl)); err != nil {
		return nil, err
	}
	return pl, nil
}

func (s *Server) listPlans(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	class, err := queryID(r, "class_id")
	if err != nil {
		return err
	}
	if class != "" && !access.Can(p, access.JournalRead, access.ClassTarget(p.SchoolID, class, "")) || !access.CanAny(p, access.JournalRead) {
		return access.Forbidden()
	}
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	all, err := s.Plans.Plans(r.Context(), p.SchoolID, year.ID, class)
	if err != nil {
		return err
	}
	var out []*ejournal.Plan
	for _, pl := range all {
		if access.Can(p, access.JournalRead, planTarget(pl)) {
			out = append(out, pl)
		}
	}
	writeList(w, out)
	return nil
}

// planInput is the body of POST /v1/years/{id}/plans.
type planInput struct {
	ClassID   string               `json:"class_id"`
	SubjectID string               `json:"subject_id"`
	GroupID   string               `json:"group_id"`
	Topics    []ejournal.PlanTopic `json:"topics"`
}

func (s *Server) createPlan(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	var in planInput
	if err := decode(r, &in); err != nil {
		return err
	}
	// The year of the path is looked up as every {id} is: another school's
	// or a missing one is not found (savePlan names year_id, for a copy's
	// year given in the body).
	if _, err := s.Directory.Year(r.Context(), p.SchoolID, r.PathValue("id")); err != nil {
		return err
	}
	pl := &ejournal.Plan{SchoolID: p.SchoolID, YearID: r.PathValue("id"), ClassID: in.ClassID, SubjectID: in.SubjectID, GroupID: in.GroupID, Topics: in.Topics}
	return s.savePlan(w, r, pl, http.StatusCreated)
}

// savePlan checks the caller may write pl, stores it and answers with it
// (and its address when created).
func (s *Server) savePlan(w http.ResponseWriter, r *http.Request, pl *ejournal.Plan, status int) error {
	if err := access.Require(ejournal.PrincipalFrom(r.Context()), access.PlansWrite, planTarget(pl)); err != nil {
		return err
	}
	if _, err := s.Directory.Year(r.Context(), pl.SchoolID, pl.YearID); ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return ejournal.Problems{"year_id": ejournal.T("Учебный год не найден.", "School year not found.")}.Err()
	} else if err != nil {
		return err
	}
	if err := s.Plans.SavePlan(r.Context(), pl); err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/v1/years/"+pl.YearID+"/plans/"+pl.ID)
	}
	writeJSON(w, status, pl)
	return nil
}

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r, access.JournalRead)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pl)
	return nil
}

// planPut is the body of PUT …/plans/{plan_id}: the whole list of topics.
// Class, subject and group make the plan's id and do not change.
type planPut struct {
	Topics  []ejournal.PlanTopic `json:"topics"`
	Version int64                `json:"version"`
}

func (s *Server) putPlan(w http.ResponseWriter, r *http.Request) error {
	body, version, err := readPatch(r)
	if err != nil {
		return err
	}
	pl, err := s.loadPlan(r, access.PlansWrite)
	if err != nil {
		return err
	}
	var in planPut
	if err := decodeJSON(body, &in); err != nil {
		return err
	}
	pl.Topics, pl.Version = in.Topics, version
	return s.savePlan(w, r, pl, http.StatusOK)
}

func (s *Server) deletePlan(w http.ResponseWriter, r *http.Request) error {
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version < 1 {
		return ejournal.Problems{"version": ejournal.T("Укажите версию удаляемого плана.", "Give the version of the plan you delete.")}.Err()
	}
	pl, err := s.loadPlan(r, access.PlansWrite)
	if err != nil {
		return err
	}
	if err := s.Plans.DeletePlan(r.Context(), pl.SchoolID, pl.YearID, pl.ID, version); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pl)
	return nil
}

// planProgress compares the plan with the journal's lessons of its class,
// subject and group, read now: lessons added, moved or deleted count at once.
func (s *Server) planProgress(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r, access.JournalRead)
	if err != nil {
		return err
	}
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	day, err := s.lessonDay(r)
	if err != nil {
		return err
	}
	ls, err := s.Lessons.JournalLessons(r.Context(), pl.SchoolID, pl.ClassID, pl.SubjectID, year.Start, year.End)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ejournal.Progress(pl, ejournal.PlanLessons(pl, ls), day))
	return nil
}

func (s *Server) exportPlan(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r, access.JournalRead)
	if err != nil {
		return err
	}
	ctx := r.Context()
	class, err := s.Directory.Class(ctx, pl.SchoolID, pl.ClassID)
	if err != nil {
		return err
	}
	subject, err := s.Directory.Subject(ctx, pl.SchoolID, pl.SubjectID)
	if err != nil {
		return err
	}
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("КТП %s %s", class.Name(), subject.Name)
	if pl.GroupID != "" {
		if g, err := s.Directory.Group(ctx, pl.SchoolID, pl.GroupID); err == nil {
			name += " (" + g.Name + ")"
		}
	}
	data, err := importer.WritePlanXLSX(pl, name)
	if err != nil {
		return ejournal.Internal(err)
	}
	w.Header().Set("Content-Type", mediaXLSX)
	w.Header().Set("Content-Disposition", export.ContentDisposition(export.FileName(name, strings.ReplaceAll(year.Name, "/", "-"), ".xlsx")))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

// planCopy is the body of POST …/plans/{plan_id}/copy.
type planCopy struct {
	ClassID string `json:"class_id"`
	// YearID defaults to the plan's year.
	YearID  string `json:"year_id"`
	GroupID string `json:"group_id"`
}

func (s *Server) copyPlan(w http.ResponseWriter, r *http.Request) error {
	var in planCopy
	if err := decode(r, &in); err != nil {
		return err
	}
	src, err := s.loadPlan(r, access.JournalRead)
	if err != nil {
		return err
	}
	if in.YearID == "" {
		in.YearID = src.YearID
	}
	pl := ejournal.CopyPlan(src, in.ClassID, in.YearID)
	pl.GroupID = in.GroupID
	return s.savePlan(w, r, pl, http.StatusCreated)
}

// planImportReport is the answer to a plan import: whether the file is
// valid, its data rows, every problem, the topics read and, once written,
// the plan.
type planImportReport struct {
	Valid   bool            `json:"valid"`
	Rows    int             `json:"rows"`
	Errors  []importProblem `json:"errors"`
	Summary planSummary     `json:"summary"`
	Topics  []planRow       `json:"topics"`
	Plan    *ejournal.Plan  `json:"plan,omitempty"`
}

type planSummary struct {
	Topics int `json:"topics"`
	Hours  int `json:"hours"`
}

// planRow is a topic as the file gives it, before it has an id.
type planRow struct {
	Section     string        `json:"section,omitempty"`
	Title       string        `json:"title"`
	Hours       int           `json:"hours"`
	PlannedDate ejournal.Date `json:"planned_date,omitempty"`
}

// planImportRejected is the 400 answer to an import of an invalid file.
type planImportRejected struct {
	Error  errorDetail      `json:"error"`
	Report planImportReport `json:"report"`
}

// importPlan reads a plan from a spreadsheet and, unless ?dry_run=true or
// the file has any problem, writes it: a new plan, or the topics of the
// existing plan of the class, subject and group replaced (topics of the
// same section and title keep their ids, so lessons keep theirs).
func (s *Server) importPlan(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	ctx := r.Context()
	pl := &ejournal.Plan{SchoolID: p.SchoolID, YearID: r.PathValue("id")}
	var err error
	if pl.ClassID, err = requiredQueryID(r, "class_id"); err != nil {
		return err
	}
	if pl.SubjectID, err = requiredQueryID(r, "subject_id"); err != nil {
		return err
	}
	if pl.GroupID, err = queryID(r, "group_id"); err != nil {
		return err
	}
	if err := access.Require(p, access.PlansWrite, planTarget(pl)); err != nil {
		return err
	}
	dry, err := queryBool(r, "dry_run")
	if err != nil {
		return err
	}
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	data, format, err := importFileOf(r)
	if err != nil {
		return err
	}
	var rows int
	t, err := importer.Decode(data, format)
	if err == nil {
		rows = len(t.Rows)
		pl.Topics, err = importer.PlanTopics(t, importer.PlanOptions{Year: year})
	}
	old, oldErr := s.Plans.PlanFor(ctx, pl.SchoolID, pl.YearID, pl.ClassID, pl.SubjectID, pl.GroupID)
	switch {
	case ejournal.ErrorCode(oldErr) == ejournal.ENOTFOUND:
		old = nil
	case oldErr != nil:
		return oldErr
	}
	if err == nil {
		keepTopicIDs(pl, old)
		if verr := pl.Validate(year); verr != nil {
			err = planProblems(verr)
		}
	}
	var rep *importer.Report
	if err != nil && !errors.As(err, &rep) {
		return err
	}
	lang := info(r).lang
	out := planImportReport{Valid: rep == nil, Rows: rows, Errors: []importProblem{}, Topics: []planRow{}}
	if rep != nil {
		for _, pr := range rep.Problems {
			out.Errors = append(out.Errors, importProblem{Line: pr.Line, Column: pr.Column, Message: pr.Message.In(lang)})
		}
	} else {
		for _, tp := range pl.Topics {
			out.Topics = append(out.Topics, planRow{Section: tp.Section, Title: tp.Title, Hours: tp.Hours, PlannedDate: tp.PlannedDate})
		}
		out.Summary = planSummary{Topics: len(pl.Topics), Hours: pl.TotalHours()}
	}
	switch {
	case dry:
		writeJSON(w, http.StatusOK, out)
		return nil
	case rep != nil:
		w.Header().Set("Content-Language", lang)
		writeJSON(w, http.StatusBadRequest, planImportRejected{Error: rejection(importReport{Errors: out.Errors}, lang), Report: out})
		return nil
	}
	status := http.StatusCreated
	if old != nil {
		pl.Version, status = old.Version, http.StatusOK
	}
	if err := s.Plans.SavePlan(ctx, pl); err != nil {
		return err
	}
	out.Plan = pl
	if status == http.StatusCreated {
		w.Header().Set("Location", "/v1/years/"+pl.YearID+"/plans/"+pl.ID)
	}
	writeJSON(w, status, out)
	return nil
}

// keepTopicIDs gives the imported topics of pl the ids of old's topics
// with the same section and title, in order, so that re-importing an
// edited file keeps the lessons' links to the topics that stayed.
func keepTopicIDs(pl, old *ejournal.Plan) {
	if old == nil {
		return
	}
	ids := map[[2]string][]string{}
	for _, t := range old.Topics {
		k := [2]string{t.Section, t.Title}
		ids[k] = append(ids[k], t.ID)
	}
	for i := range pl.Topics {
		k := [2]string{pl.Topics[i].Section, pl.Topics[i].Title}
		if rest := ids[k]; len(rest) > 0 {
			pl.Topics[i].ID, ids[k] = rest[0], rest[1:]
		}
	}
}

// planProblems turns a plan's validation error into a report on the file
// as a whole (the rows were each valid; the plan as a whole is not).
func planProblems(err error) error {
	var e *ejournal.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	rep := &importer.Report{}
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		rep.Problems = append(rep.Problems, importer.Problem{Message: e.Fields[f]})
	}
	return rep
}

// importFileOf reads the uploaded file: the whole body (text/csv or XLSX),
// or the part named "file" of a multipart/form-data body, its format told
// by the part's Content-Type or else its file name.
func importFileOf(r *http.Request) ([]byte, importer.Format, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		format, err := fileFormat(r)
		if err != nil {
			return nil, 0, err
		}
		data, err := readBody(r)
		return data, format, err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, 0, noFileError()
	}
	for {
		part, err := mr.NextPart()
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return nil, 0, errTooLarge
		case err != nil:
			return nil, 0, noFileError()
		case part.FormName() != "file":
			continue
		}
		format, ok := partFormat(part.Header.Get("Content-Type"), part.FileName())
		if !ok {
			return nil, 0, ejournal.Problems{"file": ejournal.T("Загрузите файл CSV или XLSX.", "Upload a CSV or XLSX file.")}.Err()
		}
		data, err := io.ReadAll(part)
		if errors.As(err, &tooLarge) {
			return nil, 0, errTooLarge
		} else if err != nil {
			return nil, 0, noFileError()
		}
		return data, format, nil
	}
}

func noFileError() error {
	return ejournal.Problems{"file": ejournal.T("В запросе нет файла (поле формы «file»).", "The request holds no file (form field \"file\").")}.Err()
}

// partFormat tells an uploaded file's format by its media type or name.
func partFormat(contentType, name string) (importer.Format, bool) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == mediaCSV || strings.EqualFold(path.Ext(name), ".csv"):
		return importer.CSV, true
	case mt == mediaXLSX || strings.EqualFold(path.Ext(name), ".xlsx"):
		return importer.XLSX, true
	}
	return 0, false
}
