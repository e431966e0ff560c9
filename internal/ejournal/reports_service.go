package ejournal

import (
	"context"
	"time"
)

// ReportFilter narrows the records a report reads: one class, or one
// parallel (grade), and within them one subject or the class × subject
// pairs one teacher is assigned. Zero fields do not narrow.
type ReportFilter struct {
	ClassID   string `json:"class_id,omitempty"`
	Grade     int    `json:"grade,omitempty"`
	SubjectID string `json:"subject_id,omitempty"`
	TeacherID string `json:"teacher_id,omitempty"`
}

// ReportParts says which journal records ReportInputs reads besides the
// roll, the directory and the settings, which it always reads.
type ReportParts struct {
	// TermMarks are the year's term and year marks (all periods) and the
	// debts they caused.
	TermMarks bool
	// Marks, Lessons and Attendance are those dated within the period;
	// Lessons include the ones still to come.
	Marks      bool
	Lessons    bool
	Attendance bool
	// Plans are the year's calendar-thematic plans (КТП).
	Plans bool
}

// ReportData is what the report builders take, read for one period.
type ReportData struct {
	// Scope holds the classes of the year (narrowed by the filter), the
	// subjects, the roll over the period (RosterAt) and the assignments.
	Scope
	School *School
	Year   *SchoolYear
	// Period is a term id or YearPeriod; From and To are its dates.
	Period   string
	From, To Date
	// Students are the students the roll was taken from, as they are now
	// (who left included), and Movements every movement dated from From on
	// (later ones included): the movement report needs both.
	Students  []*Person
	Movements []*Movement
	Grading   *GradingSettings
	// TermMarks of every period of the year and the Debts they caused.
	TermMarks  []*TermMark
	Debts      []Debt
	Marks      []*SubjectMark
	Lessons    []*Lesson
	Attendance []*AttendanceRecord
	Plans      []*Plan
}

// Location is the school's time zone (UTC when unknown).
func (d *ReportData) Location() *time.Location {
	if d.School != nil {
		if loc, err := time.LoadLocation(d.School.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// ReportJobState is where a background report job is.
type ReportJobState string

// Report job states.
const (
	JobQueued  ReportJobState = "queued"
	JobRunning ReportJobState = "running"
	JobDone    ReportJobState = "done"
	JobFailed  ReportJobState = "failed"
)

// ReportJob is a report built in the background, its file kept in the
// table for a week.
type ReportJob struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	// RequestedBy is the person who asked for it; only they download it.
	RequestedBy string `json:"requested_by"`
	// Kind names the report (performance, attendance, teachers, forecast,
	// movement, summary-sheet, class-teacher, trend); Params its filters
	// as the query string of the synchronous route would give them;
	// Format the file's (xlsx, pdf, csv); Lang the language of its text.
	Kind   string            `json:"kind"`
	Params map[string]string `json:"params,omitempty"`
	Format string            `json:"format"`
	Lang   string            `json:"lang"`
	State  ReportJobState    `json:"state"`
	// Error says why a failed job failed.
	Error       *Text     `json:"error,omitempty"`
	FileName    string    `json:"file_name,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int       `json:"size,omitempty"`
	Chunks      int       `json:"chunks,omitempty"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ReportJobTTL is how long a job and its file are kept.
const ReportJobTTL = 7 * 24 * time.Hour

// reportService reads what the reports need and keeps report jobs.
type reportService interface {
	// ReportInputs reads, for a school year's period (a term id or
	// YearPeriod), the roll as it stood at the period's end and the parts
	// asked for, narrowed by f. It reads with Queries and GetItems only,
	// a fixed number per class × subject at most.
	ReportInputs(ctx context.Context, schoolID, yearID, period string, f ReportFilter, parts ReportParts) (*ReportData, error)
	// CreateReportJob stores a new job (queued) with a new id.
	CreateReportJob(ctx context.Context, j *ReportJob) error
	// ReportJob reads a job.
	ReportJob(ctx context.Context, schoolID, id string) (*ReportJob, error)
	// UpdateReportJob replaces a job at its version.
	UpdateReportJob(ctx context.Context, j *ReportJob) error
	// SaveReportFile stores a job's file in chunks and returns how many.
	SaveReportFile(ctx context.Context, schoolID, id string, data []byte) (int, error)
	// ReportFile reads a job's file back from its chunks.
	ReportFile(ctx context.Context, j *ReportJob) ([]byte, error)
}
