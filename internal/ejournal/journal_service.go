package ejournal

import "context"

// LessonService keeps lessons and the school's grading settings per school
// year.
type LessonService interface {
	// Lesson returns one lesson of a school.
	Lesson(ctx context.Context, schoolID, id string) (*Lesson, error)
	// CreateLesson stores a new lesson after checking its class, subject,
	// teacher and group, that its date lies in its class's school year, that
	// its work type, if any, is one of the school's (EINVALID naming
	// work_type) and that the class has no other lesson in that period
	// (ECONFLICT).
	CreateLesson(ctx context.Context, l *Lesson) error
	// UpdateLesson saves a changed lesson if l.Version is current, with the
	// checks of CreateLesson (a work type only when it changes). A lesson
	// with marks or attendance keeps its date. A PlanTopicID that is new, or
	// kept with a changed topic, must be a topic of the plan of the lesson's
	// class, subject and group (EINVALID naming plan_topic_id): its title
	// becomes the lesson's topic (LinkPlanTopic).
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
