package ejournal

import "context"

// MaxMarksPerRequest bounds one CreateMarks call: each mark and its audit
// entry are written in one transaction, which holds at most 100 items.
const MaxMarksPerRequest = 50

// MarkChange is an edit (or, with Value, Comment and WorkType ignored, the
// removal) of a mark.
type MarkChange struct {
	// Value is the new mark, 0 to keep it; Comment, when not nil, the new
	// comment.
	Value   int
	Comment *string
	// WorkType is the new work type, "" to keep it; the mark's weight
	// becomes the type's current weight (GradingSettings.Retype).
	WorkType string
	// Version is the version of the mark the editor read.
	Version int64
	// Reason is why the mark is changed; needed past the edit window.
	Reason string
	// MayEdit says the editor holds marks.write on the mark's lesson;
	// MayEditLate the late-edit permission. Inside the edit window MayEdit
	// is needed, past it a reason and MayEditLate.
	MayEdit, MayEditLate bool
}

// TermSheetRow is one student of a class's term (or year) marks in a
// subject: the mark the system suggests and the one a teacher confirmed.
type TermSheetRow struct {
	Student    *Person
	Suggestion Suggestion
	// Confirmed is nil until a teacher sets the mark.
	Confirmed *TermMark
}

// MarksService keeps marks, term and year marks and academic debts. Every
// write is audited with the old and the new value in the same transaction.
//
// Errors: EINVALID names the offending fields (marks[i].value for the i-th
// mark of a request); ENOTFOUND for a missing record; ECONFLICT for a stale
// version; EFORBIDDEN for an edit the MarkChange's permissions do not allow.
type MarksService interface {
	// MarkLesson returns the lesson of a mark, found by the mark's public
	// id "<lesson id>_<mark id>".
	MarkLesson(ctx context.Context, schoolID, markID string) (*Lesson, error)
	// CreateMarks gives marks on lesson l, all or none: at most
	// MaxMarksPerRequest, each of a student of the lesson's class, with
	// the work type's current weight captured. It fills the marks' ids,
	// versions, dates and times.
	CreateMarks(ctx context.Context, l *Lesson, marks []*Mark) error
	// UpdateMark changes a mark of lesson l; DeleteMark removes it (it
	// returns the removed mark).
	UpdateMark(ctx context.Context, l *Lesson, markID string, ch MarkChange) (*Mark, error)
	DeleteMark(ctx context.Context, l *Lesson, markID string, ch MarkChange) (*Mark, error)

	// TermSheet returns, for each student of a class by name, the
	// suggested and the confirmed mark in a subject for period (a term id
	// of the class's school year or YearPeriod).
	TermSheet(ctx context.Context, schoolID, classID, subjectID, period string) ([]TermSheetRow, error)
	// SetTermMark confirms student's term mark m (m.Version is the version
	// read, 0 to create it): the current suggestion is stored beside it
	// and the caller is recorded as the confirming teacher.
	SetTermMark(ctx context.Context, student *Person, m *TermMark) error
	// DeleteTermMark removes student's confirmed mark in a subject for
	// period (as SetTermMark names it) if version is current, and returns
	// it as it was. A mark whose academic debt was closed by a retake keeps
	// the retake and is not removed (ECONFLICT).
	DeleteTermMark(ctx context.Context, student *Person, subjectID, period string, version int64) (*TermMark, error)
	// Debts lists a student's academic debts, open and closed, of every year.
	Debts(ctx context.Context, schoolID, studentID string) ([]Debt, error)
	// CloseDebt records the retake of debt d (d.RetakeValue, d.RetakeDate;
	// d.Version, when set, must be current) and returns the closed debt.
	CloseDebt(ctx context.Context, d *Debt) (*Debt, error)
}
