package ejournal

import (
	"context"
	"time"
)

// Scheduling (Step 4): the academic calendar with bells, the timetable with
// its substitutions, school and class events, and calendar-thematic plans
// (КТП). The types are declared here; their logic lives beside them in
// calendar.go, timetable.go, events.go and plan.go.

// Calendar is a school year's working calendar: the working week, holidays
// and days off, and the bell schedules. One per school year.
type Calendar struct {
	SchoolID string `json:"school_id"`
	YearID   string `json:"year_id"`
	// WorkingDays is 5 (Monday–Friday) or 6 (Monday–Saturday).
	WorkingDays int `json:"working_days"`
	// Holidays are the school's holidays (каникулы) and public days off.
	Holidays []Holiday `json:"holidays"`
	// ExtraWorkingDays are days outside the working week that are taught
	// (a Saturday worked in place of a holiday Monday).
	ExtraWorkingDays []Date `json:"extra_working_days,omitempty"`
	// Bells are the bell schedules; the first is the default.
	Bells []BellSchedule `json:"bells"`
	// DayBells names the bell schedule of particular dates (shortened days).
	DayBells  map[Date]string `json:"day_bells,omitempty"`
	Version   int64           `json:"version"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Holiday is a span of days without lessons, from Start to End inclusive.
type Holiday struct {
	Start Date   `json:"start"`
	End   Date   `json:"end"`
	Name  string `json:"name"`
}

// BellSchedule maps lesson numbers to their times, e.g. the usual schedule
// and a shortened one.
type BellSchedule struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Periods []Bell `json:"periods"`
}

// Bell is one lesson's start and end, "HH:MM" in the school's time zone.
type Bell struct {
	Period int    `json:"period"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

// TimetableEntry is one line of the timetable: a class (or one of its
// groups) has subject with teacher in room on weekday at period, from From
// until Until inclusive (Until empty: to the end of the year). A change of
// the timetable during the year ends the old entry the day before the new
// one starts.
type TimetableEntry struct {
	ID        string `json:"id"`
	SchoolID  string `json:"school_id"`
	YearID    string `json:"year_id"`
	ClassID   string `json:"class_id"`
	GroupID   string `json:"group_id,omitempty"`
	SubjectID string `json:"subject_id"`
	TeacherID string `json:"teacher_id"`
	Room      string `json:"room,omitempty"`
	// Weekday is 1 (Monday) to 6 (Saturday).
	Weekday   int       `json:"weekday"`
	Period    int       `json:"period"`
	From      Date      `json:"from"`
	Until     Date      `json:"until,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Substitution gives one lesson of the timetable (entry EntryID on Date) to
// another teacher, or cancels it.
type Substitution struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	YearID   string `json:"year_id"`
	EntryID  string `json:"entry_id"`
	Date     Date   `json:"date"`
	// TeacherID is the substitute; empty when the lesson is cancelled.
	TeacherID string `json:"teacher_id,omitempty"`
	Room      string `json:"room,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Version   int64  `json:"version"`
	// CreatedBy is who recorded it.
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// EventAudience says who an event concerns.
type EventAudience string

// Event audiences.
const (
	AudienceSchool  EventAudience = "school"  // everyone in the school
	AudienceClasses EventAudience = "classes" // students, parents and teachers of ClassIDs
	AudienceStaff   EventAudience = "staff"   // staff only
)

// Event is a school or class event (§13.3, §14.2).
type Event struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	Title    string `json:"title"`
	Date     Date   `json:"date"`
	// EndDate is the last day of an event of several days.
	EndDate Date `json:"end_date,omitempty"`
	// Start and End are "HH:MM" in the school's time zone, both optional.
	Start       string        `json:"start,omitempty"`
	End         string        `json:"end,omitempty"`
	Place       string        `json:"place,omitempty"`
	Description string        `json:"description,omitempty"`
	Audience    EventAudience `json:"audience"`
	ClassIDs    []string      `json:"class_ids,omitempty"`
	Version     int64         `json:"version"`
	CreatedBy   string        `json:"created_by,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// Plan is a calendar-thematic plan (КТП, §14.1): the ordered topics of a
// subject in a class (or group) for a school year.
type Plan struct {
	ID        string      `json:"id"`
	SchoolID  string      `json:"school_id"`
	YearID    string      `json:"year_id"`
	ClassID   string      `json:"class_id"`
	GroupID   string      `json:"group_id,omitempty"`
	SubjectID string      `json:"subject_id"`
	Topics    []PlanTopic `json:"topics"`
	Version   int64       `json:"version"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// PlanTopic is one topic of a plan.
type PlanTopic struct {
	// ID is stable across edits of the plan; lessons refer to it.
	ID      string `json:"id"`
	Section string `json:"section,omitempty"`
	Title   string `json:"title"`
	// Hours is how many lessons the topic takes (1 or more).
	Hours       int  `json:"hours"`
	PlannedDate Date `json:"planned_date,omitempty"`
}

// CalendarService keeps the calendar of each school year (calendar.go's owner).
type CalendarService interface {
	// Calendar returns a year's calendar, or the default one (version 0:
	// five-day week, no holidays, the usual bells) when none was saved.
	Calendar(ctx context.Context, schoolID, yearID string) (*Calendar, error)
	// SaveCalendar stores c if c.Version is the one read (0 for the default).
	SaveCalendar(ctx context.Context, c *Calendar) error
}

// EventService keeps school and class events.
type EventService interface {
	Event(ctx context.Context, schoolID, id string) (*Event, error)
	CreateEvent(ctx context.Context, e *Event) error
	UpdateEvent(ctx context.Context, e *Event) error
	DeleteEvent(ctx context.Context, schoolID, id string, version int64) error
	// Events returns the events that touch the dates from..to, by date.
	Events(ctx context.Context, schoolID string, from, to Date) ([]*Event, error)
}

// TimetableService keeps timetable entries and substitutions.
type TimetableService interface {
	TimetableEntry(ctx context.Context, schoolID, yearID, id string) (*TimetableEntry, error)
	// TimetableEntries returns every entry of a school year.
	TimetableEntries(ctx context.Context, schoolID, yearID string) ([]*TimetableEntry, error)
	// SaveTimetableEntry creates (Version 0) or updates an entry after
	// checking it against the year's other entries; a clash is ECONFLICT
	// naming the entry it clashes with.
	SaveTimetableEntry(ctx context.Context, e *TimetableEntry) error
	// DeleteTimetableEntry deletes an entry at version and returns it.
	DeleteTimetableEntry(ctx context.Context, schoolID, yearID, id string, version int64) (*TimetableEntry, error)
	// ChangeTimetableEntry changes the timetable from a date: it ends
	// entry id (at version) the day before next.From and creates next from
	// that day, in one transaction, and returns the ended entry. next is
	// checked for clashes like a new entry.
	ChangeTimetableEntry(ctx context.Context, schoolID, yearID, id string, version int64, next *TimetableEntry) (*TimetableEntry, error)
	// Substitutions returns a year's substitutions dated from..to.
	Substitutions(ctx context.Context, schoolID, yearID string, from, to Date) ([]*Substitution, error)
	// SaveSubstitution records a substitution and gives an existing
	// lesson of that entry and date to the substitute, in one transaction.
	SaveSubstitution(ctx context.Context, s *Substitution) error
	// DeleteSubstitution deletes a substitution at version, gives its
	// lesson back to the timetable's teacher, and returns it.
	DeleteSubstitution(ctx context.Context, schoolID, yearID, id string, version int64) (*Substitution, error)
}

// GenerateResult counts what a lesson generation did.
type GenerateResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Deleted   int `json:"deleted"`
	Unchanged int `json:"unchanged"`
	// Kept are generated lessons no longer in the timetable that stay
	// because they have marks, attendance or were edited by hand.
	Kept int `json:"kept"`
	// Skipped are timetable lessons not created because a lesson made or
	// moved by hand already takes their period, or because the lesson was
	// deleted by hand.
	Skipped int `json:"skipped"`
}

// LessonGenerator makes the journal's lessons from the timetable.
type LessonGenerator interface {
	// GenerateLessons brings the lessons of a year dated from..to (of one
	// class when classID is not empty) in line with the timetable, the
	// calendar and the substitutions. Running it twice changes nothing.
	GenerateLessons(ctx context.Context, schoolID, yearID, classID string, from, to Date) (*GenerateResult, error)
}

// PlanService keeps calendar-thematic plans.
type PlanService interface {
	Plan(ctx context.Context, schoolID, yearID, id string) (*Plan, error)
	// Plans returns a year's plans of a class (all classes when classID is empty).
	Plans(ctx context.Context, schoolID, yearID, classID string) ([]*Plan, error)
	// PlanFor returns the plan of class × subject (× group), or ENOTFOUND.
	PlanFor(ctx context.Context, schoolID, yearID, classID, subjectID, groupID string) (*Plan, error)
	// SavePlan creates (Version 0) or replaces a plan at its version.
	SavePlan(ctx context.Context, p *Plan) error
	DeletePlan(ctx context.Context, schoolID, yearID, id string, version int64) error
}
