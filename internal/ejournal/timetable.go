package ejournal

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The timetable (§13.3): its entries' own rules, the clash rules between
// entries, ISO weeks and the week view built from entries, substitutions
// and the calendar.

// MaxRoomLength is the longest room name, in characters.
const MaxRoomLength = 20

// MaxReasonLength is the longest reason of a substitution, in characters.
const MaxReasonLength = 200

var (
	weekdayText = T("День недели — от 1 (понедельник) до 6 (суббота).", "The weekday must be from 1 (Monday) to 6 (Saturday).")
	periodText  = T("Номер урока — от 1 до 12.", "The period number must be from 1 to 12.")
	inYearText  = T("Дата должна лежать внутри учебного года.", "The date must lie inside the school year.")
)

// Validate checks the entry's own fields and that its validity lies inside
// year, the school year it belongs to (nil when unknown: no year check).
func (e *TimetableEntry) Validate(year *SchoolYear) error {
	p := Problems{}
	checkOptionalID(p, "id", e.ID)
	checkRequiredIDs(p, map[string]string{"class_id": e.ClassID, "subject_id": e.SubjectID, "teacher_id": e.TeacherID})
	checkOptionalID(p, "group_id", e.GroupID)
	if e.Weekday < 1 || e.Weekday > 6 {
		p.Add("weekday", weekdayText)
	}
	if e.Period < 1 || e.Period > 12 {
		p.Add("period", periodText)
	}
	checkText(p, "room", e.Room, MaxRoomLength, false)
	switch {
	case !e.From.Valid():
		p.Add("from", dateText)
	case year != nil && (e.From < year.Start || e.From > year.End):
		p.Add("from", inYearText)
	}
	switch {
	case e.Until == "":
	case !e.Until.Valid():
		p.Add("until", dateText)
	case e.Until < e.From:
		p.Add("until", T("Дата окончания не может быть раньше даты начала.", "The end date cannot be before the start date."))
	case year != nil && e.Until > year.End:
		p.Add("until", inYearText)
	}
	if year != nil && e.YearID != "" && e.YearID != year.ID {
		p.Add("year_id", T("Запись относится к другому учебному году.", "The entry belongs to another school year."))
	}
	return p.Err()
}

// ActiveOn reports whether the entry gives a lesson on d: d is the entry's
// weekday and lies within its validity.
func (e *TimetableEntry) ActiveOn(d Date) bool {
	return d.Valid() && ttWeekday(d) == e.Weekday && e.From <= d && (e.Until == "" || d <= e.Until)
}

// overlaps reports whether the validity of e and o share a day.
func (e *TimetableEntry) overlaps(o *TimetableEntry) bool {
	return (e.Until == "" || o.From <= e.Until) && (o.Until == "" || e.From <= o.Until)
}

// EndBefore ends e the day before d, when a changed entry takes over from
// d. d must lie after e's first day and not after its last.
func (e *TimetableEntry) EndBefore(d Date) error {
	if !d.Valid() || d <= e.From || (e.Until != "" && d > e.Until) {
		return Problems{"from": T("Дата изменения должна быть позже начала записи и не позже её окончания.", "The date of the change must be after the entry starts and not after it ends.")}.Err()
	}
	e.Until = ttAddDays(d, -1)
	return nil
}

// ttWeekday is d's day of the week, 1 (Monday) to 7 (Sunday).
func ttWeekday(d Date) int {
	wd := int(d.Time().Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// ttAddDays returns the date n days after d (before, for negative n).
func ttAddDays(d Date, n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Clash kinds: what an entry shares with another at the same time.
const (
	ClashClass   = "class"
	ClashTeacher = "teacher"
	ClashRoom    = "room"
)

// FindClash returns the first entry of others that takes the class (or the
// same group), the teacher or the room of e in e's weekday and period on
// some day of e's validity, with what they share. Two different groups of
// one class may have lessons in the same period; others may hold e itself
// (same id), which is skipped.
func FindClash(e *TimetableEntry, others []*TimetableEntry) (*TimetableEntry, string) {
	for _, o := range others {
		if o.ID == e.ID || o.Weekday != e.Weekday || o.Period != e.Period || !e.overlaps(o) {
			continue
		}
		switch {
		case o.ClassID == e.ClassID && (o.GroupID == "" || e.GroupID == "" || o.GroupID == e.GroupID):
			return o, ClashClass
		case o.TeacherID == e.TeacherID:
			return o, ClashTeacher
		case e.Room != "" && sameRoom(o.Room, e.Room):
			return o, ClashRoom
		}
	}
	return nil, ""
}

func sameRoom(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// EntryNamer describes an entry to people, e.g. "5Б, Математика" (class,
// group and subject names). A nil namer describes it by its ids.
type EntryNamer func(e *TimetableEntry) string

// Clashes returns nil when e can stand beside others, or an ECONFLICT
// error whose message names the lesson it clashes with (through name):
// its class, subject, weekday, period and entry id.
func Clashes(e *TimetableEntry, others []*TimetableEntry, name EntryNamer) error {
	o, kind := FindClash(e, others)
	if o == nil {
		return nil
	}
	return ClashError(kind, o, name)
}

// ClashError is the conflict of an entry with other, which shares kind.
func ClashError(kind string, other *TimetableEntry, name EntryNamer) error {
	what := fmt.Sprintf("class %s, subject %s", other.ClassID, other.SubjectID)
	if name != nil {
		what = name(other)
	}
	ru := fmt.Sprintf("%s, %s, %d-й урок (запись %s)", what, weekdayNames[other.Weekday].RU, other.Period, other.ID)
	en := fmt.Sprintf("%s, %s, period %d (entry %s)", what, weekdayNames[other.Weekday].EN, other.Period, other.ID)
	var msg Text
	field := "period"
	switch kind {
	case ClashTeacher:
		field = "teacher_id"
		msg = T("Учитель в это время уже ведёт урок: "+ru+".", "The teacher already has a lesson at that time: "+en+".")
	case ClashRoom:
		field = "room"
		msg = T("Кабинет в это время занят: "+ru+".", "The room is taken at that time: "+en+".")
	default:
		msg = T("У класса в это время уже есть урок: "+ru+".", "The class already has a lesson at that time: "+en+".")
	}
	return &Error{Code: ECONFLICT, Message: msg, Fields: map[string]Text{field: msg}}
}

var weekdayNames = map[int]Text{
	1: T("понедельник", "Monday"), 2: T("вторник", "Tuesday"), 3: T("среда", "Wednesday"),
	4: T("четверг", "Thursday"), 5: T("пятница", "Friday"), 6: T("суббота", "Saturday"), 7: T("воскресенье", "Sunday"),
}

// Validate checks a substitution's own fields and that its date lies
// inside year (nil: no year check). A substitution either names the
// substitute teacher or cancels the lesson.
func (s *Substitution) Validate(year *SchoolYear) error {
	p := Problems{}
	checkOptionalID(p, "id", s.ID)
	checkRequiredIDs(p, map[string]string{"entry_id": s.EntryID})
	switch {
	case s.Cancelled && s.TeacherID != "":
		p.Add("teacher_id", T("У отменённого урока нет замещающего учителя.", "A cancelled lesson has no substitute teacher."))
	case !s.Cancelled && !ValidID(s.TeacherID):
		p.Add("teacher_id", T("Укажите замещающего учителя или отмените урок.", "Name the substitute teacher or cancel the lesson."))
	}
	switch {
	case !s.Date.Valid():
		p.Add("date", dateText)
	case year != nil && (s.Date < year.Start || s.Date > year.End):
		p.Add("date", inYearText)
	}
	checkText(p, "room", s.Room, MaxRoomLength, false)
	checkText(p, "reason", s.Reason, MaxReasonLength, false)
	return p.Err()
}

// SubstituteBusy returns the entry (with its substitution on date, if any)
// that keeps teacher busy in period on date: an active entry of theirs not
// given to someone else or cancelled, or a lesson they already substitute
// in. skip is the substitution being saved.
func SubstituteBusy(teacher string, date Date, period int, entries []*TimetableEntry, subs []*Substitution, skip string) *TimetableEntry {
	byID := make(map[string]*TimetableEntry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	away := map[string]bool{}
	for _, s := range subs {
		if s.ID == skip || s.Date != date {
			continue
		}
		e := byID[s.EntryID]
		if e == nil || e.Period != period {
			continue
		}
		if s.TeacherID == teacher {
			return e
		}
		away[e.ID] = true
	}
	for _, e := range entries {
		if e.TeacherID == teacher && e.Period == period && e.ActiveOn(date) && !away[e.ID] {
			return e
		}
	}
	return nil
}

var isoWeekPattern = regexp.MustCompile(`^([0-9]{4})-W([0-9]{2})$`)

// ParseISOWeek reads an ISO 8601 week "2026-W48" and returns its Monday and
// Sunday. It accepts nothing else: four digits of year (1000 to 9999), an
// upper-case W, two digits of week, week 53 only in years that have it,
// and a week that ends by 9999-12-31.
func ParseISOWeek(s string) (monday, sunday Date, ok bool) {
	m := isoWeekPattern.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	if year < 1000 || week < 1 || week > 53 {
		return "", "", false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
	start := jan4.AddDate(0, 0, 1-ttWeekday(DateOf(jan4))+7*(week-1))
	if y, w := start.ISOWeek(); y != year || w != week {
		return "", "", false
	}
	sunday = DateOf(start.AddDate(0, 0, 6))
	if !sunday.Valid() {
		return "", "", false // the last week of 9999
	}
	return DateOf(start), sunday, true
}

// ISOWeek names the ISO week of d, e.g. "2026-W48".
func ISOWeek(d Date) string {
	y, w := d.Time().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WeekView is the timetable of one class or teacher for one ISO week: each
// day with its lessons, bells, substitutions and holidays, and the events
// of the week visible to the reader.
type WeekView struct {
	Week string `json:"week"`
	From Date   `json:"from"`
	To   Date   `json:"to"`
	// ClassID or TeacherID is whose timetable it is.
	ClassID   string    `json:"class_id,omitempty"`
	TeacherID string    `json:"teacher_id,omitempty"`
	Days      []WeekDay `json:"days"`
	Events    []*Event  `json:"events"`
}

// WeekDay is one day of a week view. On a day without lessons (a weekend,
// a holiday) Slots is empty.
type WeekDay struct {
	Date      Date `json:"date"`
	Weekday   int  `json:"weekday"`
	SchoolDay bool `json:"school_day"`
	// Holiday names the holiday the day falls in.
	Holiday string     `json:"holiday,omitempty"`
	Slots   []WeekSlot `json:"slots"`
}

// WeekSlot is one lesson of the timetable on one day.
type WeekSlot struct {
	Period int `json:"period"`
	// Start and End are the bell times of the period that day, when known.
	Start       string `json:"start,omitempty"`
	End         string `json:"end,omitempty"`
	EntryID     string `json:"entry_id"`
	ClassID     string `json:"class_id"`
	ClassName   string `json:"class_name,omitempty"`
	GroupID     string `json:"group_id,omitempty"`
	GroupName   string `json:"group_name,omitempty"`
	SubjectID   string `json:"subject_id"`
	SubjectName string `json:"subject_name,omitempty"`
	TeacherID   string `json:"teacher_id"`
	TeacherName string `json:"teacher_name,omitempty"`
	Room        string `json:"room,omitempty"`
	// Substitution is set when another teacher takes the lesson that day,
	// or it is cancelled.
	Substitution *SlotSubstitution `json:"substitution,omitempty"`
}

// SlotSubstitution is a substitution as a week view shows it.
type SlotSubstitution struct {
	ID          string `json:"id"`
	TeacherID   string `json:"teacher_id,omitempty"`
	TeacherName string `json:"teacher_name,omitempty"`
	Room        string `json:"room,omitempty"`
	Cancelled   bool   `json:"cancelled,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// WeekNames are the names a week view shows, by id.
type WeekNames struct {
	Classes, Groups, Subjects, People map[string]string
}

// WeekFilter chooses whose week is built: the lessons of ClassID, or those
// TeacherID gives (their own not given away, and those they substitute in;
// their own lessons taken by a substitute are shown with the substitution).
type WeekFilter struct {
	ClassID   string
	TeacherID string
}

// BuildWeek builds the week from monday to the following Sunday out of a
// year's entries and the substitutions of that week, using the calendar cal
// for school days, holidays and bells (nil: Monday to Friday, no bells).
func BuildWeek(entries []*TimetableEntry, subs []*Substitution, cal *Calendar, monday Date, f WeekFilter, names WeekNames) *WeekView {
	v := &WeekView{Week: ISOWeek(monday), From: monday, To: ttAddDays(monday, 6), ClassID: f.ClassID, TeacherID: f.TeacherID, Days: make([]WeekDay, 0, 7), Events: []*Event{}}
	subOf := map[string]*Substitution{}
	for _, s := range subs {
		subOf[string(s.Date)+"#"+s.EntryID] = s
	}
	for i := range 7 {
		d := ttAddDays(monday, i)
		day := WeekDay{Date: d, Weekday: i + 1, SchoolDay: schoolDay(cal, d), Holiday: holidayOn(cal, d), Slots: []WeekSlot{}}
		if day.SchoolDay {
			for _, e := range entries {
				if !e.ActiveOn(d) {
					continue
				}
				s := subOf[string(d)+"#"+e.ID]
				if !f.shows(e, s) {
					continue
				}
				day.Slots = append(day.Slots, slotOf(e, s, cal, d, names))
			}
			sort.SliceStable(day.Slots, func(a, b int) bool {
				x, y := day.Slots[a], day.Slots[b]
				if x.Period != y.Period {
					return x.Period < y.Period
				}
				return x.GroupName+x.GroupID < y.GroupName+y.GroupID
			})
		}
		v.Days = append(v.Days, day)
	}
	return v
}

func (f WeekFilter) shows(e *TimetableEntry, s *Substitution) bool {
	if f.ClassID != "" {
		return e.ClassID == f.ClassID
	}
	return e.TeacherID == f.TeacherID || (s != nil && s.TeacherID == f.TeacherID)
}

func slotOf(e *TimetableEntry, s *Substitution, cal *Calendar, d Date, n WeekNames) WeekSlot {
	slot := WeekSlot{
		Period: e.Period, EntryID: e.ID,
		ClassID: e.ClassID, ClassName: n.Classes[e.ClassID],
		GroupID: e.GroupID, GroupName: n.Groups[e.GroupID],
		SubjectID: e.SubjectID, SubjectName: n.Subjects[e.SubjectID],
		TeacherID: e.TeacherID, TeacherName: n.People[e.TeacherID],
		Room: e.Room,
	}
	slot.Start, slot.End = bellTimes(cal, d, e.Period)
	if s != nil {
		slot.Substitution = &SlotSubstitution{ID: s.ID, TeacherID: s.TeacherID, TeacherName: n.People[s.TeacherID], Room: s.Room, Cancelled: s.Cancelled, Reason: s.Reason}
	}
	return slot
}

// schoolDay reports whether d is taught; without a calendar, Monday to Friday.
func schoolDay(cal *Calendar, d Date) bool {
	if cal == nil {
		return ttWeekday(d) <= 5
	}
	return cal.IsSchoolDay(d)
}

// holidayOn names the holiday d falls in, if any.
func holidayOn(cal *Calendar, d Date) string {
	if cal == nil {
		return ""
	}
	for _, h := range cal.Holidays {
		if h.Start <= d && d <= h.End {
			return h.Name
		}
	}
	return ""
}

// bellTimes are the start and end of period on d by the calendar's bells.
func bellTimes(cal *Calendar, d Date, period int) (start, end string) {
	if cal == nil {
		return "", ""
	}
	bells := cal.BellsFor(d)
	if bells == nil {
		return "", ""
	}
	b, _ := bells.Period(period)
	return b.Start, b.End
}
