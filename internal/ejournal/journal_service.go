package ejournal

import "context"

// LessonService keeps lessons and the school's grading settings per school
// year.
type LessonService interface {
	// Lesson returns one lesson of a school.
	Lesson(ctx context.Context, schoolID, id string) (*Lesson, error)
	// CreateLesson stores a new lesson after checking its class, subject,
	// teacher and group, that its date lies in its class's school year and
	// that the class has no other lesson in that period (ECONFLICT).
	CreateLesson(ctx context.Context, l *Lesson) error
	// UpdateLesson saves a changed lesson if l.Version is current, with the
	// checks of CreateLesson. A lesson with marks or attendance keeps its date.
	UpdateLesson(ctx context.Context, l *Lesson) error
	// DeleteLesson removes a lesson at version; one with marks or
	// attendance is refused (ECONFLICT).
	DeleteLesson(ctx context.Context, schoolID, id string, version int64) error
	// ClassLessons returns a class's lessons (of every group) dated from..to,
	// by date and period.
	ClassLessons(ctx context.Context, schoolID, classID string, from, to Date) ([]*Lesson, error)
	// TeacherLessons returns a teacher's lessons dated from..to, by date and period.
	TeacherLessons(ctx context.Context, schoolID, teacherID string, from, to Date) ([]*Lesson, error)
	// JournalLessons returns the lessons of one subject in a class dated
	// from..to, by date and period.
	JournalLessons(ctx context.Context, schoolID, classID, subjectID string, from, to Date) ([]*Lesson, error)
	// GradingSettings returns a school's settings for a year: the stored
	// ones, or DefaultGradingSettings (version 0) when none were saved.
	GradingSettings(ctx context.Context, schoolID, yearID string) (*GradingSettings, error)
	// SaveGradingSettings stores a year's settings; version is the one
	// read (0 for the defaults) and becomes the new one on success.
	SaveGradingSettings(ctx context.Context, schoolID, yearID string, s *GradingSettings, version int64) error
}
