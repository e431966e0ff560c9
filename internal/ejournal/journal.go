package ejournal

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Hundredths is a decimal number kept as an integer count of hundredths, so
// that weights, sums and averages add and compare exactly. In JSON it is a
// plain number with at most two decimals: 1.5, 4.17. (DynamoDB keeps the
// integer count.)
type Hundredths int64

// ParseHundredths reads a decimal such as "4", "1.5" or "-0.25"; more than
// two decimals, exponents and spaces are refused.
func ParseHundredths(s string) (Hundredths, bool) {
	m := hundredthsPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	whole, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil || whole > 1e15 {
		return 0, false
	}
	frac, _ := strconv.Atoi((m[3] + "00")[:2])
	h := Hundredths(whole*100 + int64(frac))
	if m[1] == "-" {
		h = -h
	}
	return h, true
}

var hundredthsPattern = regexp.MustCompile(`^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$`)

// String writes h without trailing zeros: "1.5", "4.17", "3".
func (h Hundredths) String() string {
	sign := ""
	if h < 0 {
		sign, h = "-", -h
	}
	s := fmt.Sprintf("%s%d.%02d", sign, h/100, h%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// Russian writes h with a decimal comma, as Russian text does: "4,17".
func (h Hundredths) Russian() string { return strings.Replace(h.String(), ".", ",", 1) }

// MarshalJSON writes h as a JSON number.
func (h Hundredths) MarshalJSON() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalJSON reads a JSON number with at most two decimals.
func (h *Hundredths) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	v, ok := ParseHundredths(string(b))
	if !ok {
		return fmt.Errorf("ejournal: %.20q is not a number with at most two decimals", b)
	}
	*h = v
	return nil
}

// LessonSource tells how a lesson came to be.
type LessonSource string

// Lesson sources.
const (
	ManualLesson    LessonSource = "manual"    // entered by a teacher
	TimetableLesson LessonSource = "timetable" // generated from the timetable (Step 4)
)

// Homework limits: links are references to materials, not an upload store.
const (
	MaxHomeworkText  = 2000
	MaxHomeworkLinks = 5
	MaxLinkLength    = 500
)

// Lesson is one timetable slot on one date (урок): a class, or one group of
// it, a subject, a teacher and a period number, with what was taught and set.
// ClassID is always given, so a class's lessons are found by class even when
// a lesson is taught to a group.
type Lesson struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	YearID   string `json:"year_id"`
	Date     Date   `json:"date"`
	ClassID  string `json:"class_id"`
	// GroupID narrows the lesson to one group of the class.
	GroupID   string `json:"group_id,omitempty"`
	SubjectID string `json:"subject_id"`
	TeacherID string `json:"teacher_id"`
	// Period is the lesson's number in the day, 1 to 12.
	Period int    `json:"period"`
	Topic  string `json:"topic,omitempty"`
	// Homework is what was set on this lesson; HomeworkLinks are http(s)
	// addresses of materials.
	Homework      string   `json:"homework,omitempty"`
	HomeworkLinks []string `json:"homework_links,omitempty"`
	// ControlWork marks a lesson with a test (контрольная работа).
	ControlWork bool `json:"control_work,omitempty"`
	// WorkType is the work type (вид работы) of the lesson's marks: a mark
	// given on the lesson without a type of its own gets it. Empty means
	// the school's default type (see GradingSettings.LessonWorkType).
	WorkType string `json:"work_type,omitempty"`
	// PlanTopicID is the topic of the calendar-thematic plan (КТП) the lesson
	// follows, once plans exist (Step 4).
	PlanTopicID string       `json:"plan_topic_id,omitempty"`
	Source      LessonSource `json:"source"`
	// TimetableEntryID is the timetable entry a generated lesson comes from.
	TimetableEntryID string `json:"timetable_entry_id,omitempty"`
	// RegularTeacherID is the timetable's teacher while a substitute
	// (TeacherID) takes the lesson.
	RegularTeacherID string    `json:"regular_teacher_id,omitempty"`
	Room             string    `json:"room,omitempty"`
	Version          int64     `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Validate checks the lesson's own fields and that its date lies inside
// year, the school year the lesson belongs to.
func (l *Lesson) Validate(year *SchoolYear) error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"year_id": l.YearID, "class_id": l.ClassID, "subject_id": l.SubjectID, "teacher_id": l.TeacherID})
	checkOptionalID(p, "group_id", l.GroupID)
	checkOptionalID(p, "plan_topic_id", l.PlanTopicID)
	checkOptionalID(p, "work_type", l.WorkType)
	switch {
	case !l.Date.Valid():
		p.Add("date", dateText)
	case year == nil || l.YearID != year.ID || l.Date < year.Start || l.Date > year.End:
		p.Add("date", T("Дата урока должна лежать внутри учебного года.", "The lesson date must lie inside the school year."))
	}
	if l.Period < 1 || l.Period > 12 {
		p.Add("period", T("Номер урока — от 1 до 12.", "The period number must be from 1 to 12."))
	}
	checkText(p, "topic", l.Topic, 500, false)
	checkText(p, "homework", l.Homework, MaxHomeworkText, true)
	if len(l.HomeworkLinks) > MaxHomeworkLinks {
		p.Add("homework_links", Text{RU: fmt.Sprintf("Не больше %d ссылок.", MaxHomeworkLinks), EN: fmt.Sprintf("At most %d links.", MaxHomeworkLinks)})
	}
	for i, link := range l.HomeworkLinks {
		if !validLink(link) {
			p.Add(fmt.Sprintf("homework_links[%d]", i), T("Ссылка — адрес вида https://… не длиннее 500 символов.", "A link must be an address like https://… of at most 500 characters."))
		}
	}
	if l.Source != ManualLesson && l.Source != TimetableLesson {
		p.Add("source", T("Источник урока: manual или timetable.", "The lesson source must be manual or timetable."))
	}
	return p.Err()
}

func validLink(s string) bool {
	if len(s) > MaxLinkLength || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// WorkType is a kind of work a mark is given for (вид работы), with the
// weight its marks carry in the weighted average.
type WorkType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Weight is from 0.1 to 10 in steps of 0.1.
	Weight Hundredths `json:"weight"`
	// Default marks the type used when a mark is given without one; a
	// school has exactly one.
	Default bool `json:"default,omitempty"`
}

// Averaging says how marks are averaged for the suggested term mark.
type Averaging string

// Averaging methods.
const (
	Weighted Averaging = "weighted" // Σ(mark × weight) / Σ(weight)
	Plain    Averaging = "plain"    // Σ(mark) / count
)

// Limits of GradingSettings.
const (
	MinWeight       Hundredths = 10   // 0.1
	MaxWeight       Hundredths = 1000 // 10
	StandardRoundUp Hundredths = 50   // 0.5: x.5 rounds up

	maxWorkTypes  = 30
	maxEditWindow = 365
	maxMinMarks   = 50
)

// GradingSettings are a school's marking rules for one school year. They are
// versioned per year: a new year gets its own copy, so changing weights never
// touches another year, and each mark keeps the weight it was given with.
type GradingSettings struct {
	SchoolID  string     `json:"school_id"`
	YearID    string     `json:"year_id"`
	WorkTypes []WorkType `json:"work_types"`
	// AllowOne enables the mark 1, which most schools do not use.
	AllowOne  bool      `json:"allow_one"`
	Averaging Averaging `json:"averaging"`
	// RoundUpFrom is the fractional part from which an average rounds up to
	// the next mark: 0.5 is the standard rule (4.5 → 5, 4.49 → 4); 0.6 is
	// the "x.6 rounds up" rule (4.59 → 4, 4.6 → 5). From 0.5 to 0.99:
	// rounding up below the half would overstate every average.
	RoundUpFrom Hundredths `json:"round_up_from"`
	// EditWindowDays is how many days after the lesson date its marks and
	// attendance may still be changed freely; later edits need a reason and
	// the late-edit permission. 0 allows free edits on the lesson day only.
	EditWindowDays int `json:"edit_window_days"`
	// MinMarksForTerm is the fewest marks for which a term mark is
	// suggested; with fewer the suggestion is н/а.
	MinMarksForTerm int       `json:"min_marks_for_term"`
	Version         int64     `json:"version"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// DefaultGradingSettings returns the settings a Russian school usually
// starts from: the common work types and weights, marks 2–5, weighted
// average with the standard rounding, a week to edit, three marks for a
// term mark.
func DefaultGradingSettings(schoolID, yearID string) *GradingSettings {
	return &GradingSettings{
		SchoolID: schoolID,
		YearID:   yearID,
		WorkTypes: []WorkType{
			{ID: "classwork", Name: "Работа на уроке", Weight: 100, Default: true},
			{ID: "oral", Name: "Устный ответ", Weight: 100},
			{ID: "homework", Name: "Домашняя работа", Weight: 100},
			{ID: "independent", Name: "Самостоятельная работа", Weight: 200},
			{ID: "check", Name: "Проверочная работа", Weight: 200},
			{ID: "test", Name: "Контрольная работа", Weight: 300},
			{ID: "dictation", Name: "Диктант", Weight: 300},
			{ID: "essay", Name: "Сочинение", Weight: 300},
			{ID: "lab", Name: "Лабораторная работа", Weight: 200},
			{ID: "practical", Name: "Практическая работа", Weight: 200},
			{ID: "project", Name: "Проект", Weight: 200},
		},
		Averaging:       Weighted,
		RoundUpFrom:     StandardRoundUp,
		EditWindowDays:  7,
		MinMarksForTerm: 3,
	}
}

// Validate checks the settings: unique work types with weights from 0.1 to
// 10 in tenths, exactly one default type, and the limits of each rule.
func (s *GradingSettings) Validate() error {
	p := Problems{}
	if !ValidID(s.YearID) {
		p.Add("year_id", T("Укажите учебный год.", "Give the school year."))
	}
	if len(s.WorkTypes) == 0 || len(s.WorkTypes) > maxWorkTypes {
		p.Add("work_types", Text{RU: fmt.Sprintf("Нужно от 1 до %d видов работ.", maxWorkTypes), EN: fmt.Sprintf("From 1 to %d work types are needed.", maxWorkTypes)})
	}
	seen, defaults := map[string]bool{}, 0
	for i, w := range s.WorkTypes {
		f := fmt.Sprintf("work_types[%d]", i)
		if !ValidID(w.ID) {
			p.Add(f+".id", idText)
		} else if seen[w.ID] {
			p.Add(f+".id", T("Идентификаторы видов работ не должны повторяться.", "Work type identifiers must be unique."))
		}
		seen[w.ID] = true
		checkName(p, f+".name", w.Name, 60)
		if w.Weight < MinWeight || w.Weight > MaxWeight || w.Weight%10 != 0 {
			p.Add(f+".weight", T("Вес — от 0,1 до 10 с шагом 0,1.", "The weight must be from 0.1 to 10 in steps of 0.1."))
		}
		if w.Default {
			defaults++
		}
	}
	if len(s.WorkTypes) > 0 && defaults != 1 {
		p.Add("work_types", T("Отметьте ровно один вид работы по умолчанию.", "Mark exactly one work type as the default."))
	}
	if s.Averaging != Weighted && s.Averaging != Plain {
		p.Add("averaging", T("Способ усреднения: weighted (средневзвешенный) или plain (среднее арифметическое).", "Averaging must be weighted or plain."))
	}
	if s.RoundUpFrom < StandardRoundUp || s.RoundUpFrom > 99 {
		p.Add("round_up_from", T("Порог округления вверх — от 0,5 до 0,99.", "The round-up threshold must be from 0.5 to 0.99."))
	}
	if s.EditWindowDays < 0 || s.EditWindowDays > maxEditWindow {
		p.Add("edit_window_days", Text{RU: fmt.Sprintf("Срок исправления — от 0 до %d дней.", maxEditWindow), EN: fmt.Sprintf("The edit window must be from 0 to %d days.", maxEditWindow)})
	}
	if s.MinMarksForTerm < 1 || s.MinMarksForTerm > maxMinMarks {
		p.Add("min_marks_for_term", Text{RU: fmt.Sprintf("Минимум отметок для аттестации — от 1 до %d.", maxMinMarks), EN: fmt.Sprintf("The minimum number of marks for a term mark must be from 1 to %d.", maxMinMarks)})
	}
	return p.Err()
}

// WorkType returns the work type with the given id.
func (s *GradingSettings) WorkType(id string) (WorkType, bool) {
	for _, w := range s.WorkTypes {
		if w.ID == id {
			return w, true
		}
	}
	return WorkType{}, false
}

// DefaultWorkType returns the type used when a mark is given without one.
func (s *GradingSettings) DefaultWorkType() (WorkType, bool) {
	for _, w := range s.WorkTypes {
		if w.Default {
			return w, true
		}
	}
	return WorkType{}, false
}

// Capture prepares a new mark: it fills an empty WorkType with the default
// type and sets Weight to the type's current weight. It is called once, when
// the mark is created; edits keep the captured weight. EINVALID names
// "work_type" when the type is unknown.
func (s *GradingSettings) Capture(m *Mark) error {
	w, ok := s.DefaultWorkType()
	if m.WorkType != "" {
		w, ok = s.WorkType(m.WorkType)
	}
	if !ok {
		return Problems{"work_type": unknownWorkType}.Err()
	}
	m.WorkType, m.Weight = w.ID, w.Weight
	return nil
}

// LessonWorkType returns the work type of the marks given on lesson l
// without a type of their own: the lesson's type, or the school's default
// when the lesson has none or the school has since retired its type.
func (s *GradingSettings) LessonWorkType(l *Lesson) WorkType {
	if w, ok := s.WorkType(l.WorkType); ok && l.WorkType != "" {
		return w
	}
	w, _ := s.DefaultWorkType()
	return w
}

// CheckLessonWorkType refuses a lesson whose work type is not one of the
// school's (EINVALID naming "work_type"); an empty type is the default.
func (s *GradingSettings) CheckLessonWorkType(l *Lesson) error {
	if _, ok := s.WorkType(l.WorkType); l.WorkType != "" && !ok {
		return Problems{"work_type": unknownWorkType}.Err()
	}
	return nil
}

var unknownWorkType = T("Неизвестный вид работы: выберите один из видов работ школы.", "Unknown work type: choose one of the school's work types.")

// CaptureOn prepares a new mark given on lesson l, as Capture does, but a
// mark without a work type gets the lesson's (see LessonWorkType).
func (s *GradingSettings) CaptureOn(l *Lesson, m *Mark) error {
	if m.WorkType == "" {
		m.WorkType = s.LessonWorkType(l).ID
	}
	return s.Capture(m)
}

// Retype changes the work type of mark m to typeID and its weight to the
// type's current weight. The same type again changes nothing, so the weight
// captured when the mark was given stays. EINVALID names "work_type" when
// the school has no such type.
func (s *GradingSettings) Retype(m *Mark, typeID string) error {
	if typeID == m.WorkType {
		return nil
	}
	w, ok := s.WorkType(typeID)
	if !ok {
		return Problems{"work_type": unknownWorkType}.Err()
	}
	m.WorkType, m.Weight = w.ID, w.Weight
	return nil
}

// Mark is one mark (отметка) of a student on a lesson; a lesson may carry
// several marks per student.
type Mark struct {
	ID        string `json:"id"`
	SchoolID  string `json:"school_id"`
	LessonID  string `json:"lesson_id"`
	StudentID string `json:"student_id"`
	// Value is 2 to 5, or 1 where the school allows it.
	Value    int    `json:"value"`
	WorkType string `json:"work_type"`
	// Weight is the work type's weight when the mark was given (see
	// GradingSettings.Capture). A later change of the school's weights does
	// not rewrite past marks, so averages already shown stay what they were.
	Weight  Hundredths `json:"weight"`
	Comment string     `json:"comment,omitempty"`
	// TeacherID is who gave the mark.
	TeacherID string `json:"teacher_id"`
	// Date is the lesson's date.
	Date      Date      `json:"date"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the mark against the school's settings. The work type is
// not looked up again: a mark keeps its type and weight even if the school
// has since retired the type.
func (m *Mark) Validate(s *GradingSettings) error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"lesson_id": m.LessonID, "student_id": m.StudentID, "work_type": m.WorkType, "teacher_id": m.TeacherID})
	switch {
	case m.Value == 1 && !s.AllowOne:
		p.Add("value", T("Отметка 1 в школе не используется: допустимы 2–5.", "The school does not use the mark 1: marks are 2 to 5."))
	case m.Value < 1 || m.Value > 5:
		p.Add("value", T("Отметка — целое число от 2 до 5.", "A mark is a whole number from 2 to 5."))
	}
	if m.Weight < MinWeight || m.Weight > MaxWeight {
		p.Add("weight", T("Вес — от 0,1 до 10.", "The weight must be from 0.1 to 10."))
	}
	if !m.Date.Valid() {
		p.Add("date", dateText)
	}
	checkText(p, "comment", m.Comment, 500, false)
	return p.Err()
}

// Edit describes a change (or removal) of a mark or an attendance record.
type Edit struct {
	// LessonDate is the date of the record's lesson.
	LessonDate Date
	// At is when the edit is made.
	At time.Time
	// Reason is why the record is changed; needed past the edit window.
	Reason string
	// MayEditLate says the editor holds the late-edit permission (the head
	// teacher's, or one the head teacher granted).
	MayEditLate bool
}

// InEditWindow reports whether at is still inside the window of days after
// the lesson date d, reckoned in loc, the school's time zone: the window
// closes at the end of day d + days there, not after days × 24 hours.
func InEditWindow(d Date, days int, at time.Time, loc *time.Location) bool {
	return DateOf(at.In(loc)) <= DateOf(d.Time().AddDate(0, 0, days))
}

// CheckEdit decides whether e may be made under the school's edit window;
// loc is the school's time zone. Inside the window every edit may be made.
// Past it, an edit without a reason is EINVALID naming "reason", and one
// with a reason but without the late-edit permission is EFORBIDDEN.
func (s *GradingSettings) CheckEdit(e Edit, loc *time.Location) error {
	if InEditWindow(e.LessonDate, s.EditWindowDays, e.At, loc) {
		return nil
	}
	p := Problems{}
	checkText(p, "reason", e.Reason, 500, false)
	if strings.TrimSpace(e.Reason) == "" {
		p.Add("reason", Text{
			RU: fmt.Sprintf("Прошло больше %d дн. после урока: укажите причину исправления; его может внести только пользователь с правом поздних исправлений.", s.EditWindowDays),
			EN: fmt.Sprintf("More than %d days have passed since the lesson: give a reason for the change; only a user with the late-edit permission may make it.", s.EditWindowDays),
		})
	}
	if err := p.Err(); err != nil {
		return err
	}
	if !e.MayEditLate {
		return Errorf(EFORBIDDEN, T("Срок свободного исправления истёк: нужно разрешение завуча.", "The edit window has closed: the head teacher's permission is needed."))
	}
	return nil
}

// Average is an average of marks with what it was computed from:
// Value = Sum / Weights. For the plain average every weight is 1.
type Average struct {
	Count int `json:"count"`
	// Sum is Σ(mark × weight).
	Sum Hundredths `json:"sum"`
	// Weights is Σ(weight).
	Weights Hundredths `json:"weights"`
	// Value is Sum / Weights cut (not rounded) to two decimals, so that the
	// shown value never contradicts the rounding rule: 4.499… shows as
	// 4.49, not as 4.50 beside a suggested 4. It is 0 when Count is 0.
	Value Hundredths `json:"value"`
}

// WeightedAverage is Σ(mark × weight) / Σ(weight) over marks, with the
// weights captured on the marks.
func WeightedAverage(marks []*Mark) Average {
	return average(marks, func(m *Mark) Hundredths { return m.Weight })
}

// PlainAverage is Σ(mark) / count over marks.
func PlainAverage(marks []*Mark) Average {
	return average(marks, func(*Mark) Hundredths { return 100 })
}

func average(marks []*Mark, weight func(*Mark) Hundredths) Average {
	var a Average
	for _, m := range marks {
		w := weight(m)
		a.Count++
		a.Sum += Hundredths(m.Value) * w
		a.Weights += w
	}
	if a.Weights > 0 {
		a.Value = a.Sum * 100 / a.Weights
	}
	return a
}

// round applies the rounding rule exactly, on Sum and Weights rather than on
// the cut Value: the fraction Sum/Weights − whole rounds up when it is at
// least roundUpFrom.
func (a Average) round(roundUpFrom Hundredths) int {
	if a.Weights <= 0 {
		return 0
	}
	whole, rest := a.Sum/a.Weights, a.Sum%a.Weights
	if rest*100 >= roundUpFrom*a.Weights {
		whole++
	}
	return int(whole)
}

// Suggestion is the term (or year) mark the system suggests from a
// student's marks, with how it was reached. The teacher confirms or
// overrides it; the system never sets a term mark by itself.
type Suggestion struct {
	// Mark is 2 to 5, or н/а when there are fewer than MinMarks marks.
	Mark        TermValue  `json:"mark"`
	Average     Average    `json:"average"`
	Averaging   Averaging  `json:"averaging"`
	RoundUpFrom Hundredths `json:"round_up_from"`
	MinMarks    int        `json:"min_marks"`
}

// SuggestTermMark averages marks as the settings say and rounds the average
// by the school's rule, to a mark from 2 to 5 (the mark 1 is never suggested
// for a term). With fewer than MinMarksForTerm marks it suggests н/а.
func SuggestTermMark(marks []*Mark, s *GradingSettings) Suggestion {
	avg := WeightedAverage(marks)
	if s.Averaging == Plain {
		avg = PlainAverage(marks)
	}
	sg := Suggestion{Mark: NotAssessed, Average: avg, Averaging: s.Averaging, RoundUpFrom: s.RoundUpFrom, MinMarks: s.MinMarksForTerm}
	if avg.Count >= s.MinMarksForTerm && avg.Count > 0 {
		sg.Mark = TermValueOf(min(max(avg.round(s.RoundUpFrom), 2), 5))
	}
	return sg
}

// Explain says in words how the suggestion was reached.
func (sg Suggestion) Explain() Text {
	if sg.Mark == NotAssessed {
		return Text{
			RU: fmt.Sprintf("Отметок: %d, нужно не меньше %d — н/а.", sg.Average.Count, sg.MinMarks),
			EN: fmt.Sprintf("%d marks, at least %d needed: not assessed.", sg.Average.Count, sg.MinMarks),
		}
	}
	kindRU, kindEN := "Средневзвешенная", "Weighted average"
	if sg.Averaging == Plain {
		kindRU, kindEN = "Средняя", "Average"
	}
	return Text{
		RU: fmt.Sprintf("%s %s по %d отметкам; дробная часть от %s округляется вверх — %s.", kindRU, sg.Average.Value.Russian(), sg.Average.Count, sg.RoundUpFrom.Russian(), sg.Mark),
		EN: fmt.Sprintf("%s %s of %d marks; a fraction of %s or more rounds up: %s.", kindEN, sg.Average.Value, sg.Average.Count, sg.RoundUpFrom, sg.Mark),
	}
}

// TermValue is a term or year mark as the journal writes it: "5", "4", "3",
// "2", "н/а" or "осв.". It is a string in JSON too.
type TermValue string

// Term mark values other than the numbers.
const (
	NotAssessed TermValue = "н/а"  // не аттестован: too few marks or too many absences
	Exempt      TermValue = "осв." // освобождён: the student does not take the subject
)

// TermValueOf returns the term mark for a number from 2 to 5.
func TermValueOf(n int) TermValue { return TermValue(strconv.Itoa(n)) }

// Number returns the mark as a number, false for н/а and осв.
func (v TermValue) Number() (int, bool) {
	switch v {
	case "2", "3", "4", "5":
		return int(v[0] - '0'), true
	}
	return 0, false
}

// Valid reports whether v is one of the term mark values.
func (v TermValue) Valid() bool {
	_, ok := v.Number()
	return ok || v == NotAssessed || v == Exempt
}

// Debt reports whether v leaves an academic debt: a 2 or н/а.
func (v TermValue) Debt() bool { return v == "2" || v == NotAssessed }

// YearPeriod is the Period of a year mark.
const YearPeriod = "year"

// TermMark is a student's confirmed mark in a subject for a term (or, with
// Period "year", for the school year). There is at most one per student,
// subject and period. A teacher always confirms it: the suggestion is kept
// beside it, never put in its place.
type TermMark struct {
	SchoolID  string `json:"school_id"`
	YearID    string `json:"year_id"`
	StudentID string `json:"student_id"`
	SubjectID string `json:"subject_id"`
	// Period is a term id of the school year or YearPeriod.
	Period string    `json:"period"`
	Value  TermValue `json:"value"`
	// Suggested is what the system suggested when the mark was confirmed.
	Suggested TermValue `json:"suggested,omitempty"`
	// ConfirmedBy is the teacher who set the mark.
	ConfirmedBy string    `json:"confirmed_by"`
	ConfirmedAt time.Time `json:"confirmed_at"`
	Version     int64     `json:"version"`
}

// Validate checks the mark's value, its period against year and that a
// teacher confirmed it.
func (m *TermMark) Validate(year *SchoolYear) error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"student_id": m.StudentID, "subject_id": m.SubjectID})
	if year == nil || m.YearID != year.ID || m.Period != YearPeriod && !year.hasTerm(m.Period) {
		p.Add("period", T("Период — четверть (триместр, полугодие) этого учебного года или year.", "The period must be a term of this school year or year."))
	}
	if !m.Value.Valid() {
		p.Add("value", T("Итоговая отметка: 5, 4, 3, 2, н/а или осв.", "A term mark is 5, 4, 3, 2, н/а or осв."))
	}
	if m.Suggested != "" && !m.Suggested.Valid() {
		p.Add("suggested", T("Неверная предложенная отметка.", "Invalid suggested mark."))
	}
	if !ValidID(m.ConfirmedBy) || m.ConfirmedAt.IsZero() {
		p.Add("confirmed_by", T("Итоговую отметку подтверждает учитель.", "A teacher must confirm the term mark."))
	}
	return p.Err()
}

func (y *SchoolYear) hasTerm(id string) bool {
	for _, t := range y.Terms {
		if t.ID == id {
			return true
		}
	}
	return false
}

// Debt is an academic debt (академическая задолженность): a term or year
// mark of 2 or н/а that the student must make up. It is closed by a retake
// mark of 3 to 5 on a date.
type Debt struct {
	SchoolID  string `json:"school_id"`
	YearID    string `json:"year_id"`
	StudentID string `json:"student_id"`
	SubjectID string `json:"subject_id"`
	Period    string `json:"period"`
	// Value is the term mark that caused the debt.
	Value TermValue `json:"value"`
	// RetakeValue and RetakeDate are set when the debt is closed.
	RetakeValue int    `json:"retake_value,omitempty"`
	RetakeDate  Date   `json:"retake_date,omitempty"`
	ClosedBy    string `json:"closed_by,omitempty"`
	Version     int64  `json:"version"`
}

// DebtsFrom returns an open debt for each term or year mark of 2 or н/а, in
// the order of marks.
func DebtsFrom(marks []*TermMark) []Debt {
	var debts []Debt
	for _, m := range marks {
		if m.Value.Debt() {
			debts = append(debts, Debt{SchoolID: m.SchoolID, YearID: m.YearID, StudentID: m.StudentID, SubjectID: m.SubjectID, Period: m.Period, Value: m.Value})
		}
	}
	return debts
}

// Closed reports whether the debt was made up.
func (d *Debt) Closed() bool { return d.RetakeValue != 0 }

// Validate checks the debt and, when it is closed, the retake: a mark of 3
// to 5, a date and who set it.
func (d *Debt) Validate() error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"student_id": d.StudentID, "subject_id": d.SubjectID, "period": d.Period})
	if !d.Value.Debt() {
		p.Add("value", T("Задолженность возникает только из отметки 2 или н/а.", "A debt comes only from a mark of 2 or н/а."))
	}
	if !d.Closed() && d.RetakeDate == "" && d.ClosedBy == "" {
		return p.Err()
	}
	if d.RetakeValue < 3 || d.RetakeValue > 5 {
		p.Add("retake_value", T("Задолженность закрывается отметкой 3, 4 или 5.", "A debt is closed with a mark of 3, 4 or 5."))
	}
	if !d.RetakeDate.Valid() {
		p.Add("retake_date", dateText)
	}
	if !ValidID(d.ClosedBy) {
		p.Add("closed_by", requiredText)
	}
	return p.Err()
}

// checkRequiredIDs adds a problem for each field, of ids (field → value),
// that is not a valid identifier.
func checkRequiredIDs(p Problems, ids map[string]string) {
	for field, id := range ids {
		if !ValidID(id) {
			p.Add(field, requiredText)
		}
	}
}

func checkOptionalID(p Problems, field, id string) {
	if id != "" && !ValidID(id) {
		p.Add(field, idText)
	}
}

// checkText checks optional free text: at most max characters and no
// control characters (but line breaks and tabs where multiline).
func checkText(p Problems, field, v string, max int, multiline bool) {
	switch {
	case utf8.RuneCountInString(v) > max:
		p.Add(field, Text{RU: fmt.Sprintf("Не длиннее %d символов.", max), EN: fmt.Sprintf("At most %d characters.", max)})
	case strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}):
		p.Add(field, T("Недопустимые символы.", "Invalid characters."))
	}
}
