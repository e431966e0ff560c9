package ejournal

import "context"

// JournalData is what the class journal of one class, subject and term
// shows: the lessons of the term, their marks and attendance, the
// confirmed term marks, the class's students and the marking rules.
type JournalData struct {
	Settings   *GradingSettings
	Students   []*Person
	Lessons    []*Lesson
	Marks      []*Mark
	Attendance []*AttendanceRecord
	TermMarks  []*TermMark
}

// SubjectMark is a mark with the subject it was given in, as a student's
// own views (diary, summary) list marks across subjects.
type SubjectMark struct {
	SubjectID string
	*Mark
}

// DiaryData is what a student's diary shows for a range of dates: the
// lessons of the student's class, the student's marks and attendance, and
// the school's subjects to name them.
type DiaryData struct {
	Lessons    []*Lesson
	Marks      []*SubjectMark
	Attendance []*AttendanceRecord
	Subjects   []*Subject
}

// SummaryData is what a student's summary shows for a term: the marks of
// the term, the term and year marks of the school year, the academic debts
// they caused (open or closed), the subjects and the rules.
type SummaryData struct {
	Settings  *GradingSettings
	Subjects  []*Subject
	Marks     []*SubjectMark
	TermMarks []*TermMark
	Debts     []Debt
}

// OverviewData is the class teacher's overview of a class for a term: for
// each subject the class is taught (by its assignments) the subject's
// journal without lessons.
type OverviewData struct {
	Settings *GradingSettings
	Students []*Person
	Subjects []*Subject
	// Journals maps a subject id to its marks, attendance and term marks.
	Journals map[string]*JournalData
}

// ViewService reads the journal's views. Each method issues a small fixed
// number of requests that does not grow with the number of students or
// lessons (ClassOverview: a fixed number per subject of the class).
type ViewService interface {
	// ClassJournal returns the journal of class × subject for term of the
	// school year yearID.
	ClassJournal(ctx context.Context, schoolID, classID, subjectID, yearID string, term Term) (*JournalData, error)
	// StudentDiary returns the diary of a student of class classID for the
	// dates from..to inclusive.
	StudentDiary(ctx context.Context, schoolID, studentID, classID string, from, to Date) (*DiaryData, error)
	// StudentSummary returns a student's summary for term of year.
	StudentSummary(ctx context.Context, schoolID, studentID, yearID string, term Term) (*SummaryData, error)
	// ClassOverview returns the overview of a class for term of year.
	ClassOverview(ctx context.Context, schoolID, classID, yearID string, term Term) (*OverviewData, error)
}
