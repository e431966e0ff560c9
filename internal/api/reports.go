package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
	"ejournal/internal/export"
)

// Reports (Step 6). Every report is built from ReportService.ReportInputs
// by the pure builders of internal/ejournal and answered as JSON (texts in
// the caller's language) or, with ?format=xlsx|pdf|csv, as a file.
//
// Synchronous or in the background: a report over one class or one
// parallel is always answered at once. A whole-school report is answered
// at once when it reads term marks only (performance, trend, movement),
// which costs one Query per class × subject whatever the marks; a
// whole-school attendance report, teachers' analysis or forecast reads
// every mark, lesson and attendance record of the period and is refused
// with 413 ("сформируйте отчёт в фоне") unless narrowed to a class, a
// parallel or a teacher's classes: POST /v1/reports/jobs builds it in the background, and its
// result (JSON or a file) is downloaded from the job when done.

// Report kinds: the names of the routes and of background jobs.
const (
	kindPerformance  = "performance"
	kindAttendance   = "attendance"
	kindTeachers     = "teachers"
	kindTrend        = "trend"
	kindForecast     = "forecast"
	kindSummarySheet = "summary-sheet"
	kindClassTeacher = "class-teacher"
	kindMovement     = "movement"
)

// heavyKinds read every mark, lesson or attendance record of the period.
var heavyKinds = []string{kindAttendance, kindTeachers, kindForecast}

// reportFormats are the file formats; "" and "json" answer JSON.
var reportFormats = []string{"xlsx", "pdf", "csv"}

func (s *Server) reportRoutes() []Route {
	get := func(pattern, kind, pathParam string) Route {
		return Route{Function: FuncReports, Method: http.MethodGet, Pattern: pattern, handle: s.reportHandler(kind, pathParam)}
	}
	return []Route{
		get("/v1/reports/performance", kindPerformance, ""),
		get("/v1/reports/attendance", kindAttendance, ""),
		get("/v1/reports/teachers", kindTeachers, ""),
		get("/v1/reports/subjects/{id}/trend", kindTrend, "subject_id"),
		get("/v1/reports/forecast", kindForecast, ""),
		get("/v1/classes/{id}/reports/summary-sheet", kindSummarySheet, "class_id"),
		get("/v1/classes/{id}/reports/class-teacher", kindClassTeacher, "class_id"),
		get("/v1/reports/movement", kindMovement, ""),
		{Function: FuncReports, Method: http.MethodPost, Pattern: "/v1/reports/jobs", handle: s.createReportJob},
		{Function: FuncReports, Method: http.MethodGet, Pattern: "/v1/reports/jobs/{id}", handle: s.reportJob},
		{Function: FuncReports, Method: http.MethodGet, Pattern: "/v1/reports/jobs/{id}/file", handle: s.reportJobFile},
	}
}

// reportQuery is a parsed report request.
type reportQuery struct {
	kind   string
	yearID string
	period string
	filter ejournal.ReportFilter
	def    ejournal.Definition
	// on is the forecast's day; from and to the movement report's period.
	on, from, to ejournal.Date
	format       string
}

// params returns q as the query parameters that give it back.
func (q *reportQuery) params() map[string]string {
	out := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	set("year_id", q.yearID)
	set("period", q.period)
	set("class_id", q.filter.ClassID)
	set("subject_id", q.filter.SubjectID)
	set("teacher_id", q.filter.TeacherID)
	if q.filter.Grade != 0 {
		out["grade"] = strconv.Itoa(q.filter.Grade)
	}
	set("definition", string(q.def))
	set("on", string(q.on))
	set("from", string(q.from))
	set("to", string(q.to))
	return out
}

var badDate = ejournal.T("Дата в формате ГГГГ-ММ-ДД.", "A date in YYYY-MM-DD form.")

// parseReport reads the parameters of a report of kind from v.
func parseReport(kind string, v url.Values) (*reportQuery, error) {
	q := &reportQuery{kind: kind, period: v.Get("period"), format: v.Get("format")}
	p := ejournal.Problems{}
	for name, dst := range map[string]*string{"year_id": &q.yearID, "class_id": &q.filter.ClassID, "subject_id": &q.filter.SubjectID, "teacher_id": &q.filter.TeacherID} {
		if *dst = v.Get(name); *dst != "" && !ejournal.ValidID(*dst) {
			p.Add(name, ejournal.T("Неверный идентификатор.", "Invalid identifier."))
		}
	}
	if q.period != "" && !ejournal.ValidID(q.period) {
		p.Add("period", ejournal.T("Идентификатор четверти (полугодия) или year.", "A term id or year."))
	}
	if g := v.Get("grade"); g != "" {
		n, err := strconv.Atoi(g)
		if err != nil || n < 1 || n > 11 {
			p.Add("grade", ejournal.T("Параллель — число от 1 до 11.", "The grade must be a number from 1 to 11."))
		}
		q.filter.Grade = n
	}
	q.def = ejournal.Definition(v.Get("definition"))
	if !q.def.Valid() {
		p.Add("definition", ejournal.T("Определение: students или marks.", "The definition must be students or marks."))
	}
	for name, dst := range map[string]*ejournal.Date{"on": &q.on, "from": &q.from, "to": &q.to} {
		if s := v.Get(name); s != "" {
			d, ok := ejournal.ParseDate(s)
			if !ok {
				p.Add(name, badDate)
			}
			*dst = d
		}
	}
	if q.format == "json" {
		q.format = ""
	}
	if q.format != "" && !slices.Contains(reportFormats, q.format) {
		p.Add("format", ejournal.T("Формат: json, xlsx, pdf или csv.", "The format must be json, xlsx, pdf or csv."))
	}
	switch kind {
	case kindSummarySheet, kindClassTeacher:
		if q.filter.ClassID == "" {
			p.Add("class_id", ejournal.T("Укажите класс.", "Give the class."))
		}
	case kindTrend:
		if q.filter.SubjectID == "" {
			p.Add("subject_id", ejournal.T("Укажите предмет.", "Give the subject."))
		}
	case kindMovement:
		if q.from == "" && v.Get("from") == "" {
			p.Add("from", badDate)
		}
		if q.to == "" && v.Get("to") == "" {
			p.Add("to", badDate)
		} else if q.from != "" && q.to < q.from {
			p.Add("to", ejournal.T("Конец периода раньше его начала.", "The period ends before it starts."))
		}
	}
	return q, p.Err()
}

// authorizeReport checks that p may read the report q asks for, narrowing
// a class teacher's forecast to their class when none is named.
func authorizeReport(p *ejournal.Principal, q *reportQuery) error {
	school := access.Can(p, access.ReportsRead, access.SchoolTarget(p.SchoolID))
	switch {
	case school:
		return nil
	case q.kind == kindMovement:
		return access.Forbidden()
	case q.kind == kindTeachers:
		// A teacher granted the right sees their own analysis.
		if access.CanAny(p, access.ReportsRead) && (q.filter.TeacherID == "" || q.filter.TeacherID == p.PersonID) {
			q.filter.TeacherID = p.PersonID
			return nil
		}
		return access.Forbidden()
	case q.filter.ClassID == "" && q.filter.Grade == 0 && len(p.ClassTeacherOf) == 1 && access.CanWholeClass(p, access.ReportsRead, p.SchoolID, p.ClassTeacherOf[0]):
		q.filter.ClassID = p.ClassTeacherOf[0]
		return nil
	case q.filter.ClassID != "" && access.CanWholeClass(p, access.ReportsRead, p.SchoolID, q.filter.ClassID):
		return nil
	}
	return access.Forbidden()
}

// tooLargeForSync is the answer to a whole-school report too heavy to
// build within the API's time limit.
var tooLargeForSync = ejournal.Errorf(ejournal.EINVALID, ejournal.T(
	"Отчёт по всей школе слишком велик для быстрого ответа: сформируйте отчёт в фоне (POST /v1/reports/jobs) или выберите класс или параллель.",
	"A whole-school report of this kind is too large for an immediate answer: build it in the background (POST /v1/reports/jobs) or choose a class or a parallel."))

// reportHandler serves the report of kind; pathParam names the filter the
// path's {id} gives.
func (s *Server) reportHandler(kind, pathParam string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := ejournal.PrincipalFrom(r.Context())
		v := r.URL.Query()
		if pathParam != "" {
			v.Set(pathParam, r.PathValue("id"))
		}
		q, err := parseReport(kind, v)
		if err != nil {
			return err
		}
		if err := s.authorizeReportTargets(r.Context(), p, q); err != nil {
			return err
		}
		if slices.Contains(heavyKinds, kind) && q.filter.ClassID == "" && q.filter.Grade == 0 && q.filter.TeacherID == "" {
			writeErrorStatus(w, r, http.StatusRequestEntityTooLarge, tooLargeForSync)
			return nil
		}
		rep, err := s.buildReport(r.Context(), p.SchoolID, q)
		if err != nil {
			return err
		}
		lang := info(r).lang
		if q.format == "" {
			body, err := localized(rep.model, lang)
			if err != nil {
				return err
			}
			w.Header().Set("Content-Language", lang)
			writeJSON(w, http.StatusOK, body)
			return nil
		}
		f, err := renderReport(q, rep, lang)
		if err != nil {
			return err
		}
		writeFile(w, f)
		return nil
	}
}

// authorizeReportTargets checks the caller's right to the report, then
// that the class and subject it names are records of the caller's school
// (another school's or a missing one is not found), before any report is
// built or queued.
func (s *Server) authorizeReportTargets(ctx context.Context, p *ejournal.Principal, q *reportQuery) error {
	if err := authorizeReport(p, q); err != nil {
		return err
	}
	if q.filter.ClassID != "" {
		if _, err := s.Directory.Class(ctx, p.SchoolID, q.filter.ClassID); err != nil {
			return err
		}
	}
	if q.filter.SubjectID != "" {
		if _, err := s.Directory.Subject(ctx, p.SchoolID, q.filter.SubjectID); err != nil {
			return err
		}
	}
	return nil
}

// reportFile is a rendered report file.
type reportFile struct {
	name, contentType string
	data              []byte
}

// localized turns model into JSON values with every Text (an object of
// exactly RU and EN) replaced by its lang form.
func localized(model any, lang string) (any, error) {
	b, err := json.Marshal(model)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, ejournal.Internal(err)
	}
	return pickLang(v, lang), nil
}

func pickLang(v any, lang string) any {
	switch t := v.(type) {
	case map[string]any:
		if ru, ok := t["RU"].(string); ok && len(t) == 2 {
			if en, ok := t["EN"].(string); ok {
				return ejournal.T(ru, en).In(lang)
			}
		}
		for k, x := range t {
			t[k] = pickLang(x, lang)
		}
	case []any:
		for i, x := range t {
			t[i] = pickLang(x, lang)
		}
	}
	return v
}

// reportYear resolves the request's school year: the one named, else the
// class's, else the one that holds today; and returns the school's today.
func (s *Server) reportYear(ctx context.Context, sid string, q *reportQuery) (*ejournal.SchoolYear, ejournal.Date, error) {
	today, err := s.schoolToday(ctx, sid)
	if err != nil {
		return nil, "", err
	}
	switch {
	case q.yearID == "" && q.filter.ClassID != "":
		// A class belongs to one year.
		c, err := s.Directory.Class(ctx, sid, q.filter.ClassID)
		if err != nil {
			return nil, "", err
		}
		q.yearID = c.YearID
	case q.yearID == "":
		if q.yearID, err = s.currentYear(ctx, sid); err != nil {
			return nil, "", err
		}
	}
	y, err := s.Directory.Year(ctx, sid, q.yearID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, "", ejournal.Problems{"year_id": ejournal.T("Нет такого учебного года.", "No such school year.")}.Err()
	}
	return y, today, err
}

// termOn returns the term of y that holds d, else the last one that ended
// before it, else the first.
func termOn(y *ejournal.SchoolYear, d ejournal.Date) ejournal.Term {
	t := y.Terms[0]
	for _, x := range y.Terms {
		if x.Start <= d {
			t = x
		}
	}
	return t
}

// builtReport is a report's model with the names its file shows.
type builtReport struct {
	model any
	names export.Names
}

// buildReport reads what q needs and builds its model and, for a file, the
// names of what it refers to (the teachers' with one more Query).
func (s *Server) buildReport(ctx context.Context, sid string, q *reportQuery) (*builtReport, error) {
	var d *ejournal.ReportData
	model, err := s.buildModel(ctx, sid, q, &d)
	if err != nil {
		return nil, err
	}
	rep := &builtReport{model: model}
	if q.format != "" && d != nil {
		var staff []*ejournal.Person
		if q.kind == kindPerformance || q.kind == kindTeachers {
			if staff, err = s.Records.People(ctx, sid, ejournal.PersonFilter{Kind: ejournal.Staff}); err != nil {
				return nil, err
			}
		}
		rep.names = namesOf(d, staff)
	}
	return rep, nil
}

// buildModel reads what q needs, leaving the data read in *last, and
// builds the report's model.
func (s *Server) buildModel(ctx context.Context, sid string, q *reportQuery, last **ejournal.ReportData) (any, error) {
	if q.kind == kindMovement {
		return s.movementReport(ctx, sid, q, last)
	}
	y, today, err := s.reportYear(ctx, sid, q)
	if err != nil {
		return nil, err
	}
	if q.period == "" {
		q.period = ejournal.YearPeriod
		if len(y.Terms) > 0 {
			q.period = termOn(y, today).ID
		}
	}
	in := func(parts ejournal.ReportParts) (*ejournal.ReportData, error) {
		d, err := s.Reports.ReportInputs(ctx, sid, y.ID, q.period, q.filter, parts)
		*last = d
		if e, ok := err.(*ejournal.Error); ok && e.Fields["period"] != (ejournal.Text{}) {
			return nil, ejournal.Problems{"period": e.Fields["period"]}.Err()
		}
		return d, err
	}
	held := func(d *ejournal.ReportData) ([]*ejournal.Lesson, ejournal.Date) {
		to := min(d.To, today)
		var out []*ejournal.Lesson
		for _, l := range d.Lessons {
			if l.Date <= to {
				out = append(out, l)
			}
		}
		return out, to
	}
	switch q.kind {
	case kindPerformance, kindSummarySheet, kindClassTeacher:
		d, err := in(ejournal.ReportParts{TermMarks: true})
		if err != nil {
			return nil, err
		}
		pin := ejournal.PerformanceInput{Scope: d.Scope, Period: d.Period, End: d.To, Definition: q.def, TermMarks: d.TermMarks}
		switch q.kind {
		case kindSummarySheet:
			return ejournal.BuildSummarySheet(pin, q.filter.ClassID), nil
		case kindClassTeacher:
			return ejournal.BuildClassTeacherReport(pin, q.filter.ClassID), nil
		}
		return ejournal.BuildPerformance(pin), nil
	case kindAttendance:
		d, err := in(ejournal.ReportParts{Lessons: true, Attendance: true})
		if err != nil {
			return nil, err
		}
		lessons, _ := held(d)
		return ejournal.BuildAttendanceReport(ejournal.AttendanceInput{Scope: d.Scope, From: d.From, To: d.To, Lessons: lessons, Records: d.Attendance}), nil
	case kindTeachers:
		d, err := in(ejournal.ReportParts{Lessons: true, Marks: true, Attendance: true, Plans: true})
		if err != nil {
			return nil, err
		}
		lessons, to := held(d)
		marks := make([]*ejournal.Mark, len(d.Marks))
		for i, m := range d.Marks {
			marks[i] = m.Mark
		}
		return ejournal.BuildTeacherReport(ejournal.AnalysisInput{Scope: d.Scope, From: d.From, To: to, Location: d.Location(),
			Lessons: lessons, Marks: marks, Attendance: d.Attendance, PlanLag: planLag(d, lessons, to)}), nil
	case kindTrend:
		return s.trendReport(ctx, in, y, q)
	case kindForecast:
		return s.forecastReport(ctx, in, y, today, q)
	}
	return nil, ejournal.Internal(fmt.Errorf("unknown report kind %q", q.kind))
}

// planLag sums each teacher's КТП lag over the plans of d: a plan's
// teacher is the one assigned its class, subject (and group). Only the
// lessons of the period are known, so the lag is of the period's lessons.
func planLag(d *ejournal.ReportData, lessons []*ejournal.Lesson, today ejournal.Date) map[string]int {
	out := map[string]int{}
	for _, p := range d.Plans {
		i := slices.IndexFunc(d.Assignments, func(a *ejournal.Assignment) bool {
			return a.ClassID == p.ClassID && a.SubjectID == p.SubjectID && a.GroupID == p.GroupID
		})
		if i < 0 {
			continue
		}
		out[d.Assignments[i].TeacherID] += ejournal.Progress(p, ejournal.PlanLessons(p, lessons), today).Lag
	}
	return out
}

// trendReport lines up the subject's figures term by term and for the
// year, from one read of the year's term marks.
func (s *Server) trendReport(_ context.Context, in func(ejournal.ReportParts) (*ejournal.ReportData, error), y *ejournal.SchoolYear, q *reportQuery) (any, error) {
	q.period = ejournal.YearPeriod
	d, err := in(ejournal.ReportParts{TermMarks: true})
	if err != nil {
		return nil, err
	}
	periods := append(slices.Clone(y.Terms), ejournal.Term{ID: ejournal.YearPeriod, Start: y.Start, End: y.End})
	var reports []*ejournal.Performance
	for _, t := range periods {
		scope := d.Scope
		scope.Roster = inClasses(ejournal.RosterAt(t.Start, t.End, d.Students, d.Movements), d.Classes)
		reports = append(reports, ejournal.BuildPerformance(ejournal.PerformanceInput{Scope: scope, Period: t.ID, End: t.End, Definition: q.def, TermMarks: d.TermMarks}))
	}
	return ejournal.BuildSubjectTrend(q.filter.SubjectID, reports), nil
}

// inClasses keeps the roll's entries of classes.
func inClasses(roster []ejournal.RosterEntry, classes []*ejournal.Class) []ejournal.RosterEntry {
	return slices.DeleteFunc(roster, func(e ejournal.RosterEntry) bool {
		return !slices.ContainsFunc(classes, func(c *ejournal.Class) bool { return c.ID == e.ClassID })
	})
}

// forecastReport forecasts the term of q.period (the term holding the day
// when the period is the year) on ?on= (today by default, kept within the
// term). Debts of earlier periods of the year count as open debts.
func (s *Server) forecastReport(_ context.Context, in func(ejournal.ReportParts) (*ejournal.ReportData, error), y *ejournal.SchoolYear, today ejournal.Date, q *reportQuery) (any, error) {
	on := q.on
	if on == "" {
		on = today
	}
	if len(y.Terms) == 0 {
		return nil, ejournal.Problems{"period": ejournal.T("В учебном году нет четвертей.", "The school year has no terms.")}.Err()
	}
	var term ejournal.Term
	if i := slices.IndexFunc(y.Terms, func(t ejournal.Term) bool { return t.ID == q.period }); i >= 0 {
		term = y.Terms[i]
	} else if q.period == ejournal.YearPeriod {
		term = termOn(y, on)
	} else {
		return nil, ejournal.Problems{"period": ejournal.T("Четверть (триместр, полугодие) учебного года.", "A term of the school year.")}.Err()
	}
	on = max(min(on, term.End), term.Start)
	q.period, q.on = term.ID, on
	d, err := in(ejournal.ReportParts{TermMarks: true, Marks: true, Lessons: true, Attendance: true})
	if err != nil {
		return nil, err
	}
	scope := d.Scope
	scope.Roster = inClasses(ejournal.RosterAt(term.Start, on, d.Students, d.Movements), d.Classes)
	debts := slices.DeleteFunc(slices.Clone(d.Debts), func(x ejournal.Debt) bool { return x.Period == term.ID })
	return ejournal.BuildForecast(ejournal.ForecastInput{Scope: scope, Term: term, On: on, Grading: d.Grading, Definition: q.def,
		Lessons: d.Lessons, Marks: d.Marks, Attendance: d.Attendance, TermMarks: d.TermMarks, Debts: debts, Year: y}), nil
}

// movementReport is the movement of students over ?from..?to: the class
// lists then are found by undoing the movements since from (every student
// as now, one Query; the movements since from, one Query).
func (s *Server) movementReport(ctx context.Context, sid string, q *reportQuery, last **ejournal.ReportData) (any, error) {
	all, err := s.Records.Movements(ctx, sid, q.from, lastDate)
	if err != nil {
		return nil, err
	}
	students, err := s.Records.People(ctx, sid, ejournal.PersonFilter{Kind: ejournal.Student})
	if err != nil {
		return nil, err
	}
	classes, err := s.Directory.Classes(ctx, sid, ejournal.ClassFilter{})
	if err != nil {
		return nil, err
	}
	*last = &ejournal.ReportData{Scope: ejournal.Scope{Classes: classes}, Students: students}
	return ejournal.BuildMovementReport(q.from, q.to, classes, students, all), nil
}

// writeFile answers with a file download.
func writeFile(w http.ResponseWriter, f *reportFile) {
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Content-Disposition", export.ContentDisposition(f.name))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.data)
}

// Background jobs.

// reportJobInput is the body of POST /v1/reports/jobs.
type reportJobInput struct {
	Kind   string            `json:"kind"`
	Params map[string]string `json:"params"`
	Format string            `json:"format"`
}

// reportJobView is a job as the API shows it.
type reportJobView struct {
	ID          string                  `json:"id"`
	Kind        string                  `json:"kind"`
	Params      map[string]string       `json:"params"`
	Format      string                  `json:"format"`
	State       ejournal.ReportJobState `json:"state"`
	Error       string                  `json:"error,omitempty"`
	FileName    string                  `json:"file_name,omitempty"`
	ContentType string                  `json:"content_type,omitempty"`
	Size        int                     `json:"size,omitempty"`
	CreatedAt   time.Time               `json:"created_at"`
	UpdatedAt   time.Time               `json:"updated_at"`
	// FileURL downloads the result once the job is done.
	FileURL string `json:"file_url,omitempty"`
}

func showJob(j *ejournal.ReportJob, lang string) reportJobView {
	v := reportJobView{ID: j.ID, Kind: j.Kind, Params: j.Params, Format: j.Format, State: j.State, FileName: j.FileName, ContentType: j.ContentType,
		Size: j.Size, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
	if v.Params == nil {
		v.Params = map[string]string{}
	}
	if j.Error != nil {
		v.Error = j.Error.In(lang)
	}
	if j.State == ejournal.JobDone {
		v.FileURL = "/v1/reports/jobs/" + j.ID + "/file"
	}
	return v
}

var reportKinds = []string{kindPerformance, kindAttendance, kindTeachers, kindTrend, kindForecast, kindSummarySheet, kindClassTeacher, kindMovement}

func (s *Server) createReportJob(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	var in reportJobInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if !slices.Contains(reportKinds, in.Kind) {
		return ejournal.Problems{"kind": ejournal.T("Вид отчёта: "+strings.Join(reportKinds, ", ")+".", "The report kind must be one of "+strings.Join(reportKinds, ", ")+".")}.Err()
	}
	v := url.Values{}
	for k, x := range in.Params {
		v.Set(k, x)
	}
	v.Set("format", in.Format)
	q, err := parseReport(in.Kind, v)
	if err != nil {
		return err
	}
	if err := s.authorizeReportTargets(r.Context(), p, q); err != nil {
		return err
	}
	format := q.format
	if format == "" {
		format = "json"
	}
	j := &ejournal.ReportJob{SchoolID: p.SchoolID, RequestedBy: p.PersonID, Kind: q.kind, Params: q.params(), Format: format, Lang: info(r).lang}
	if err := s.Reports.CreateReportJob(r.Context(), j); err != nil {
		return err
	}
	if s.LocalMode {
		// In AWS the table stream starts the job (the reports function).
		go func() {
			if err := s.RunReportJob(context.Background(), j.SchoolID, j.ID); err != nil && s.Logger != nil {
				s.Logger.Error("report job", "job", j.ID, "error", err.Error())
			}
		}()
	}
	w.Header().Set("Location", "/v1/reports/jobs/"+j.ID)
	writeJSON(w, http.StatusAccepted, showJob(j, info(r).lang))
	return nil
}

// ownJob reads the job {id}; only who asked for it sees it.
func (s *Server) ownJob(r *http.Request) (*ejournal.ReportJob, error) {
	p := ejournal.PrincipalFrom(r.Context())
	j, err := s.Reports.ReportJob(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if j.RequestedBy != p.PersonID {
		return nil, ejournal.NotFound(ejournal.T("Задание на отчёт", "Report job"))
	}
	return j, nil
}

func (s *Server) reportJob(w http.ResponseWriter, r *http.Request) error {
	j, err := s.ownJob(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, showJob(j, info(r).lang))
	return nil
}

func (s *Server) reportJobFile(w http.ResponseWriter, r *http.Request) error {
	j, err := s.ownJob(r)
	if err != nil {
		return err
	}
	if j.State != ejournal.JobDone {
		return ejournal.Errorf(ejournal.ECONFLICT, ejournal.T("Отчёт ещё не готов.", "The report is not ready yet."))
	}
	data, err := s.Reports.ReportFile(r.Context(), j)
	if err != nil {
		return err
	}
	writeFile(w, &reportFile{name: j.FileName, contentType: j.ContentType, data: data})
	return nil
}

// staleJob is how long a running job may go without finishing before
// another delivery of its stream record starts it again.
const staleJob = 15 * time.Minute

// RunReportJob builds the report of a queued job and stores its file. The
// reports function calls it for the INSERT of each report_job item on the
// table stream (see ReportJobKey); the local server calls it in a
// goroutine. A job already taken by another run (not stale) or finished is
// left alone, so a redelivered stream record does no harm. A report that
// cannot be built fails the job with the reason; an error of the store is
// returned, so the stream delivers the record again.
func (s *Server) RunReportJob(ctx context.Context, schoolID, jobID string) error {
	j, err := s.Reports.ReportJob(ctx, schoolID, jobID)
	if err != nil {
		if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
			return nil
		}
		return err
	}
	if j.State == ejournal.JobDone || j.State == ejournal.JobFailed || j.State == ejournal.JobRunning && s.now().Sub(j.UpdatedAt) < staleJob {
		return nil
	}
	j.State = ejournal.JobRunning
	if err := s.Reports.UpdateReportJob(ctx, j); err != nil {
		if ejournal.ErrorCode(err) == ejournal.ECONFLICT {
			return nil // another run took it
		}
		return err
	}
	f, err := s.runJob(ctx, j)
	if err != nil {
		e, ok := err.(*ejournal.Error)
		if !ok || e.Code == ejournal.EINTERNAL {
			// Queued again, so the stream's next delivery runs it.
			j.State = ejournal.JobQueued
			_ = s.Reports.UpdateReportJob(ctx, j)
			return err
		}
		msg := e.Message
		for _, m := range e.Fields {
			msg = ejournal.T(msg.RU+" "+m.RU, msg.EN+" "+m.EN)
		}
		j.State, j.Error = ejournal.JobFailed, &msg
		return s.Reports.UpdateReportJob(ctx, j)
	}
	if j.Chunks, err = s.Reports.SaveReportFile(ctx, schoolID, jobID, f.data); err != nil {
		return err
	}
	j.State, j.FileName, j.ContentType, j.Size = ejournal.JobDone, f.name, f.contentType, len(f.data)
	return s.Reports.UpdateReportJob(ctx, j)
}

// runJob builds a job's report and renders it.
func (s *Server) runJob(ctx context.Context, j *ejournal.ReportJob) (*reportFile, error) {
	v := url.Values{}
	for k, x := range j.Params {
		v.Set(k, x)
	}
	if j.Format != "json" {
		v.Set("format", j.Format)
	}
	q, err := parseReport(j.Kind, v)
	if err != nil {
		return nil, err
	}
	rep, err := s.buildReport(ctx, j.SchoolID, q)
	if err != nil {
		return nil, err
	}
	if q.format != "" {
		return renderReport(q, rep, j.Lang)
	}
	body, err := localized(rep.model, j.Lang)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	return &reportFile{name: reportFileName(q, j.Lang, ".json"), contentType: "application/json", data: b}, nil
}

// ReportJobKey returns the school and job ids of a report job item's
// primary key (PK "S#<sid>#REPORTJOB#<id>", SK "JOB"); ok is false for any
// other item. The reports function uses it on stream records.
func ReportJobKey(pk, sk string) (schoolID, jobID string, ok bool) {
	rest, found := strings.CutPrefix(pk, "S#")
	if !found || sk != "JOB" {
		return "", "", false
	}
	schoolID, jobID, ok = strings.Cut(rest, "#REPORTJOB#")
	return schoolID, jobID, ok && ejournal.ValidID(schoolID) && ejournal.ValidID(jobID)
}

// Files.

// reportTitles name each kind of report in file names.
var reportTitles = map[string]ejournal.Text{
	kindPerformance:  ejournal.T("Успеваемость", "Performance"),
	kindAttendance:   ejournal.T("Посещаемость", "Attendance"),
	kindTeachers:     ejournal.T("Анализ работы учителей", "Teachers' work"),
	kindTrend:        ejournal.T("Динамика по предмету", "Subject trend"),
	kindForecast:     ejournal.T("Прогноз", "Forecast"),
	kindSummarySheet: ejournal.T("Сводная ведомость", "Summary sheet"),
	kindClassTeacher: ejournal.T("Отчёт классного руководителя", "Class teacher's report"),
	kindMovement:     ejournal.T("Движение учащихся", "Student movement"),
}

// reportFileName names a report's file: its title, the period and the
// class or parallel it covers.
func reportFileName(q *reportQuery, lang, ext string) string {
	parts := []string{reportTitles[q.kind].In(lang)}
	switch {
	case q.kind == kindMovement:
		parts = append(parts, string(q.from), string(q.to))
	default:
		parts = append(parts, q.period)
	}
	if q.filter.ClassID != "" {
		parts = append(parts, q.filter.ClassID)
	} else if q.filter.Grade != 0 {
		parts = append(parts, strconv.Itoa(q.filter.Grade))
	}
	return export.FileName(append(parts, ext)...)
}

// renderReport writes model (of q.kind) as a file of q.format.
func renderReport(q *reportQuery, rep *builtReport, lang string) (*reportFile, error) {
	tables, err := reportTables(rep.model, export.Options{Lang: lang, Names: rep.names})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	f := &reportFile{name: reportFileName(q, lang, "."+q.format)}
	if len(tables) > 0 {
		f.name = tables[0].FileName("." + q.format)
	}
	switch q.format {
	case "xlsx":
		f.contentType, err = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.XLSX(&buf, tables...)
	case "pdf":
		f.contentType, err = "application/pdf", export.PDF(&buf, tables...)
	default:
		f.contentType, err = "text/csv; charset=utf-8", export.CSVAll(&buf, tables...)
	}
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	f.data = buf.Bytes()
	return f, nil
}

// reportTables turns a report model into export tables.
func reportTables(model any, o export.Options) ([]*export.Table, error) {
	switch m := model.(type) {
	case *ejournal.Performance:
		return []*export.Table{export.PerformanceTable(m, o)}, nil
	case *ejournal.AttendanceReport:
		return []*export.Table{export.AttendanceTable(m, o)}, nil
	case *ejournal.TeacherReport:
		return []*export.Table{export.TeacherAnalysisTable(m, o), export.LessonChecksTable(m, o)}, nil
	case *ejournal.SubjectTrend:
		return []*export.Table{export.SubjectTrendTable(m, o)}, nil
	case *ejournal.Forecast:
		return []*export.Table{export.ForecastTable(m, o), export.ProjectionTable(m, o)}, nil
	case *ejournal.SummarySheet:
		return []*export.Table{export.SummarySheetTable(m, o)}, nil
	case *ejournal.ClassTeacherReport:
		return export.ClassTeacherTables(m, o), nil
	case *ejournal.MovementReport:
		return []*export.Table{export.MovementTable(m, o)}, nil
	}
	return nil, ejournal.Internal(fmt.Errorf("no tables for %T", model))
}

// namesOf gives the names a file shows for the ids of d.
func namesOf(d *ejournal.ReportData, staff []*ejournal.Person) export.Names {
	n := export.Names{Classes: map[string]string{}, Subjects: map[string]string{}, Teachers: map[string]string{}, Students: map[string]string{}, Periods: map[string]string{}}
	for _, c := range d.Classes {
		n.Classes[c.ID] = c.Name()
	}
	for _, x := range d.Subjects {
		n.Subjects[x.ID] = x.Name
	}
	for i := range d.Roster {
		n.Students[d.Roster[i].StudentID] = d.Roster[i].FullName()
	}
	for _, p := range d.Students {
		if n.Students[p.ID] == "" {
			n.Students[p.ID] = p.FullName()
		}
	}
	for _, p := range staff {
		n.Teachers[p.ID] = p.FullName()
	}
	if d.Year != nil {
		for _, t := range d.Year.Terms {
			n.Periods[t.ID] = t.Name
		}
	}
	return n
}
