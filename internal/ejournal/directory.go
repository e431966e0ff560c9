package ejournal

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// School is one educational organisation. Every other record belongs to
// exactly one school, and a user of one school never sees another's records.
type School struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ShortName string `json:"short_name,omitempty"`
	// TimeZone is an IANA name such as "Asia/Yekaterinburg"; dates and
	// quiet hours are reckoned in it.
	TimeZone  string    `json:"time_zone"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the school's own fields.
func (s *School) Validate() error {
	p := Problems{}
	if s.ID != "" && !ValidID(s.ID) {
		p.Add("id", T("Идентификатор может содержать только латинские буквы, цифры, «-» и «_».", "The identifier may only contain Latin letters, digits, '-' and '_'."))
	}
	checkName(p, "name", s.Name, 200)
	if len([]rune(s.ShortName)) > 60 {
		p.Add("short_name", T("Краткое название не длиннее 60 символов.", "The short name must be at most 60 characters."))
	}
	if s.TimeZone == "" {
		p.Add("time_zone", T("Укажите часовой пояс школы, например Asia/Yekaterinburg.", "Give the school's time zone, e.g. Asia/Yekaterinburg."))
	} else if _, err := time.LoadLocation(s.TimeZone); err != nil {
		p.Add("time_zone", T("Неизвестный часовой пояс.", "Unknown time zone."))
	}
	return p.Err()
}

// TermKind says how a school year is divided into grading periods.
type TermKind string

// Term kinds.
const (
	Quarters   TermKind = "quarters"   // четверти
	Trimesters TermKind = "trimesters" // триместры
	Halves     TermKind = "halves"     // полугодия
)

func (k TermKind) count() int {
	switch k {
	case Quarters:
		return 4
	case Trimesters:
		return 3
	case Halves:
		return 2
	}
	return 0
}

// SchoolYear is a school's academic year (normally 1 September to 31 August)
// with its terms. Terms are kept inside the year so that they change together.
type SchoolYear struct {
	ID        string    `json:"id"`
	SchoolID  string    `json:"school_id"`
	Name      string    `json:"name"`
	Start     Date      `json:"start"`
	End       Date      `json:"end"`
	TermKind  TermKind  `json:"term_kind"`
	Terms     []Term    `json:"terms"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Term is one grading period of a school year.
type Term struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Start Date   `json:"start"`
	End   Date   `json:"end"`
}

// Validate checks the year's dates and that its terms are in order, do not
// overlap and lie inside the year.
func (y *SchoolYear) Validate() error {
	p := Problems{}
	checkName(p, "name", y.Name, 40)
	startOK, endOK := y.Start.Valid(), y.End.Valid()
	if !startOK {
		p.Add("start", dateText)
	}
	if !endOK {
		p.Add("end", dateText)
	}
	if startOK && endOK {
		if y.End <= y.Start {
			p.Add("end", T("Конец учебного года должен быть позже начала.", "The end of the school year must come after its start."))
		} else if y.End > DateOf(y.Start.Time().AddDate(1, 0, -1)) {
			p.Add("end", T("Учебный год не может быть длиннее календарного.", "A school year cannot be longer than a calendar year."))
		}
	}
	n := y.TermKind.count()
	if n == 0 {
		p.Add("term_kind", T("Выберите деление года: quarters (четверти), trimesters (триместры) или halves (полугодия).", "Choose how the year is divided: quarters, trimesters or halves."))
	} else if len(y.Terms) != n {
		p.Add("terms", Text{
			RU: fmt.Sprintf("Нужно ровно %d периода(ов) для выбранного деления года, указано %d.", n, len(y.Terms)),
			EN: fmt.Sprintf("Exactly %d terms are needed for this division of the year, got %d.", n, len(y.Terms)),
		})
	}
	seen := map[string]bool{}
	for i, t := range y.Terms {
		f := fmt.Sprintf("terms[%d]", i)
		if !ValidID(t.ID) {
			p.Add(f+".id", idText)
		} else if seen[t.ID] {
			p.Add(f+".id", T("Идентификаторы периодов не должны повторяться.", "Term identifiers must be unique."))
		}
		seen[t.ID] = true
		checkName(p, f+".name", t.Name, 40)
		if !t.Start.Valid() || !t.End.Valid() {
			p.Add(f, dateText)
			continue
		}
		if t.End < t.Start {
			p.Add(f+".end", T("Конец периода раньше его начала.", "The term ends before it starts."))
			continue
		}
		if startOK && endOK && (t.Start < y.Start || t.End > y.End) {
			p.Add(f, T("Период должен лежать внутри учебного года.", "The term must lie inside the school year."))
		}
		if i > 0 {
			prev := y.Terms[i-1]
			if prev.End.Valid() && t.Start <= prev.End {
				p.Add(f+".start", T("Периоды должны идти по порядку и не пересекаться.", "Terms must be in order and must not overlap."))
			}
		}
	}
	return p.Err()
}

// TermOn returns the term containing d, if any.
func (y *SchoolYear) TermOn(d Date) (Term, bool) {
	for _, t := range y.Terms {
		if d >= t.Start && d <= t.End {
			return t, true
		}
	}
	return Term{}, false
}

// Class is a cohort such as "5А" in one school year.
type Class struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	YearID   string `json:"year_id"`
	Grade    int    `json:"grade"`
	Letter   string `json:"letter"`
	// ClassTeacherID is the staff member who is классный руководитель.
	ClassTeacherID string    `json:"class_teacher_id,omitempty"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Name is the class's usual name, e.g. "5А".
func (c *Class) Name() string { return fmt.Sprintf("%d%s", c.Grade, c.Letter) }

// Validate checks the grade (1–11) and the letter.
func (c *Class) Validate() error {
	p := Problems{}
	if !ValidID(c.YearID) {
		p.Add("year_id", T("Укажите учебный год.", "Give the school year."))
	}
	if c.Grade < 1 || c.Grade > 11 {
		p.Add("grade", T("Параллель — число от 1 до 11.", "The grade is a number from 1 to 11."))
	}
	if n := utf8.RuneCountInString(c.Letter); n < 1 || n > 2 || !allLetters(c.Letter) {
		p.Add("letter", T("Литера класса — одна или две буквы, например «А».", "The class letter is one or two letters, e.g. 'A'."))
	} else if strings.ToUpper(c.Letter) != c.Letter {
		p.Add("letter", T("Литера класса пишется заглавной буквой.", "The class letter must be a capital letter."))
	}
	if c.ClassTeacherID != "" && !ValidID(c.ClassTeacherID) {
		p.Add("class_teacher_id", idText)
	}
	return p.Err()
}

// Group is part of a class that studies some subjects apart (подгруппа).
type Group struct {
	ID        string    `json:"id"`
	SchoolID  string    `json:"school_id"`
	ClassID   string    `json:"class_id"`
	Name      string    `json:"name"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the group's own fields.
func (g *Group) Validate() error {
	p := Problems{}
	if !ValidID(g.ClassID) {
		p.Add("class_id", T("Укажите класс.", "Give the class."))
	}
	checkName(p, "name", g.Name, 60)
	return p.Err()
}

// Subject is a taught subject such as Mathematics.
type Subject struct {
	ID       string `json:"id"`
	SchoolID string `json:"school_id"`
	Name     string `json:"name"`
	// ShortName is the abbreviation used in narrow columns and SMS, e.g. "Матем".
	ShortName string `json:"short_name"`
	// Grades lists the grades that study the subject; empty means all.
	Grades    []int     `json:"grades,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the subject's own fields.
func (s *Subject) Validate() error {
	p := Problems{}
	checkName(p, "name", s.Name, 100)
	checkName(p, "short_name", s.ShortName, 12)
	seen := map[int]bool{}
	for _, g := range s.Grades {
		if g < 1 || g > 11 {
			p.Add("grades", T("Параллели — числа от 1 до 11.", "Grades are numbers from 1 to 11."))
			break
		}
		if seen[g] {
			p.Add("grades", T("Параллели не должны повторяться.", "Grades must not repeat."))
			break
		}
		seen[g] = true
	}
	return p.Err()
}

// Assignment says that a teacher teaches a subject to a class, or to one
// group of it, in a school year (педагогическая нагрузка).
type Assignment struct {
	ID        string `json:"id"`
	SchoolID  string `json:"school_id"`
	YearID    string `json:"year_id"`
	TeacherID string `json:"teacher_id"`
	ClassID   string `json:"class_id"`
	// GroupID narrows the assignment to one group of the class.
	GroupID   string `json:"group_id,omitempty"`
	SubjectID string `json:"subject_id"`
	// HoursPerWeek is the planned weekly load, 0 if not given.
	HoursPerWeek int       `json:"hours_per_week,omitempty"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks the assignment's own fields.
func (a *Assignment) Validate() error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"year_id": a.YearID, "teacher_id": a.TeacherID, "class_id": a.ClassID, "subject_id": a.SubjectID})
	if a.GroupID != "" && !ValidID(a.GroupID) {
		p.Add("group_id", idText)
	}
	if a.HoursPerWeek < 0 || a.HoursPerWeek > 40 {
		p.Add("hours_per_week", T("Часов в неделю — от 0 до 40.", "Hours per week must be from 0 to 40."))
	}
	return p.Err()
}

// PersonKind tells staff, students and parents apart.
type PersonKind string

// Person kinds.
const (
	Staff   PersonKind = "staff"
	Student PersonKind = "student"
	Parent  PersonKind = "parent"
)

// Person is a member of a school's community. Step 1 keeps only what the
// directory needs to name teachers and count students.
type Person struct {
	ID         string     `json:"id"`
	SchoolID   string     `json:"school_id"`
	Kind       PersonKind `json:"kind"`
	LastName   string     `json:"last_name"`
	FirstName  string     `json:"first_name"`
	MiddleName string     `json:"middle_name,omitempty"`
	// ClassID is a student's current class.
	ClassID string `json:"class_id,omitempty"`
	// Roles are the roles the person holds in the school.
	Roles []Role `json:"roles,omitempty"`
	// Employment is a staff member's HR record.
	Employment *Employment `json:"employment,omitempty"`
	// Personal is personal data, shown only to roles allowed to see it.
	Personal *Personal `json:"personal,omitempty"`
	// Left is set when a student has left the school (by a leave movement).
	Left bool `json:"left,omitempty"`
	// Login is the person's account login, set when staff create the
	// account (IdentityService.CreateAccount) and never changed by an edit
	// of the person.
	Login     string    `json:"login,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// FullName is "Last First Middle".
func (p *Person) FullName() string {
	return strings.TrimSpace(strings.Join([]string{p.LastName, p.FirstName, p.MiddleName}, " "))
}

// Validate checks the person's own fields.
func (p *Person) Validate() error {
	pr := Problems{}
	switch p.Kind {
	case Staff, Student, Parent:
	default:
		pr.Add("kind", T("Вид записи: staff, student или parent.", "Kind must be staff, student or parent."))
	}
	checkName(pr, "last_name", p.LastName, 100)
	checkName(pr, "first_name", p.FirstName, 100)
	if utf8.RuneCountInString(p.MiddleName) > 100 {
		pr.Add("middle_name", T("Не длиннее 100 символов.", "At most 100 characters."))
	}
	if p.ClassID != "" && (p.Kind != Student || !ValidID(p.ClassID)) {
		pr.Add("class_id", T("Класс указывается только для ученика.", "Only a student has a class."))
	}
	for _, r := range p.Roles {
		if !r.Valid() {
			pr.Add("roles", T("Неизвестная роль.", "Unknown role."))
		}
	}
	if p.Employment != nil {
		if p.Kind != Staff {
			pr.Add("employment", T("Сведения о работе есть только у сотрудника.", "Only staff have employment records."))
		}
		checkName(pr, "employment.position", p.Employment.Position, 100)
		if !p.Employment.HiredOn.Valid() {
			pr.Add("employment.hired_on", dateText)
		}
		if d := p.Employment.DismissedOn; d != "" && (!d.Valid() || d < p.Employment.HiredOn) {
			pr.Add("employment.dismissed_on", T("Дата увольнения — не раньше даты приёма.", "The dismissal date cannot precede the hiring date."))
		}
	}
	p.Personal.Validate(pr)
	return pr.Err()
}

// ClassFilter narrows a list of classes.
type ClassFilter struct {
	YearID string
}

// GroupFilter narrows a list of groups.
type GroupFilter struct {
	ClassID string
}

// AssignmentFilter narrows a list of assignments. At most one of TeacherID
// and ClassID is used to pick the index; the other is applied after.
type AssignmentFilter struct {
	YearID    string
	TeacherID string
	ClassID   string
}

// DirectoryService keeps a school's structure. Every school-scoped method
// takes the school id first and can never reach another school's records.
//
// Create methods fill ID (when empty), Version (1), CreatedAt and UpdatedAt;
// they return ECONFLICT when the record exists and EINVALID for bad input or
// a reference to a record that does not exist. Get methods return ENOTFOUND.
// Update methods expect the caller's last seen Version in the record and
// return ECONFLICT when it is stale, ENOTFOUND when the record is gone; on
// success the record's Version is incremented.
type DirectoryService interface {
	CreateSchool(ctx context.Context, s *School) error
	School(ctx context.Context, id string) (*School, error)
	// Schools lists every school of the deployment (an administrative list).
	Schools(ctx context.Context) ([]*School, error)
	UpdateSchool(ctx context.Context, s *School) error

	CreateYear(ctx context.Context, y *SchoolYear) error
	Year(ctx context.Context, schoolID, id string) (*SchoolYear, error)
	Years(ctx context.Context, schoolID string) ([]*SchoolYear, error)
	UpdateYear(ctx context.Context, y *SchoolYear) error

	CreateClass(ctx context.Context, c *Class) error
	Class(ctx context.Context, schoolID, id string) (*Class, error)
	Classes(ctx context.Context, schoolID string, f ClassFilter) ([]*Class, error)
	UpdateClass(ctx context.Context, c *Class) error

	CreateGroup(ctx context.Context, g *Group) error
	Group(ctx context.Context, schoolID, id string) (*Group, error)
	Groups(ctx context.Context, schoolID string, f GroupFilter) ([]*Group, error)
	UpdateGroup(ctx context.Context, g *Group) error

	CreateSubject(ctx context.Context, s *Subject) error
	Subject(ctx context.Context, schoolID, id string) (*Subject, error)
	Subjects(ctx context.Context, schoolID string) ([]*Subject, error)
	UpdateSubject(ctx context.Context, s *Subject) error

	CreateAssignment(ctx context.Context, a *Assignment) error
	Assignment(ctx context.Context, schoolID, id string) (*Assignment, error)
	Assignments(ctx context.Context, schoolID string, f AssignmentFilter) ([]*Assignment, error)
	UpdateAssignment(ctx context.Context, a *Assignment) error

	CreatePerson(ctx context.Context, p *Person) error
	Person(ctx context.Context, schoolID, id string) (*Person, error)
	// ClassStudents lists the students currently in a class.
	ClassStudents(ctx context.Context, schoolID, classID string) ([]*Person, error)
}

var (
	dateText     = T("Дата в формате ГГГГ-ММ-ДД.", "A date in YYYY-MM-DD form.")
	idText       = T("Неверный идентификатор.", "Invalid identifier.")
	requiredText = T("Обязательное поле.", "This field is required.")
)

func checkName(p Problems, field, v string, max int) {
	switch {
	case strings.TrimSpace(v) == "":
		p.Add(field, requiredText)
	case utf8.RuneCountInString(v) > max:
		p.Add(field, Text{RU: fmt.Sprintf("Не длиннее %d символов.", max), EN: fmt.Sprintf("At most %d characters.", max)})
	case strings.ContainsFunc(v, unicode.IsControl):
		p.Add(field, T("Недопустимые символы.", "Invalid characters."))
	}
}

func allLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a new identifier that sorts by creation time: 48 bits of
// milliseconds and 80 random bits, in lower-case Crockford base32.
func NewID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return idEncoding.EncodeToString(b[:])
}
