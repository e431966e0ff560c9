package ejournal_test

import (
	"encoding/base32"
	"encoding/binary"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

// validator is any record with a Validate method.
type validator interface{ Validate() error }

// checkValidate runs v.Validate and wants EINVALID naming exactly fields
// (each with a Russian and an English message), or nil when fields is empty.
func checkValidate(t *testing.T, v validator, fields ...string) {
	t.Helper()
	err := v.Validate()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	e, ok := err.(*ejournal.Error)
	if !ok || e.Code != ejournal.EINVALID {
		t.Fatalf("Validate() = %v, want an EINVALID *ejournal.Error", err)
	}
	got := slices.Sorted(maps.Keys(e.Fields))
	if want := slices.Sorted(slices.Values(fields)); !slices.Equal(got, want) {
		t.Fatalf("Validate() fields = %v, want %v (%v)", got, want, err)
	}
	for f, msg := range e.Fields {
		if msg.RU == "" || msg.EN == "" {
			t.Errorf("field %s: message %+v lacks a language", f, msg)
		}
	}
}

func TestSchoolValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.School)
		fields []string
	}{
		{"valid", func(*ejournal.School) {}, nil},
		{"no id yet", func(s *ejournal.School) { s.ID = "" }, nil},
		{"id with separator", func(s *ejournal.School) { s.ID = "a#b" }, []string{"id"}},
		{"empty name", func(s *ejournal.School) { s.Name = "  " }, []string{"name"}},
		{"long name", func(s *ejournal.School) { s.Name = strings.Repeat("я", 201) }, []string{"name"}},
		{"longest name", func(s *ejournal.School) { s.Name = strings.Repeat("я", 200) }, nil},
		{"control character", func(s *ejournal.School) { s.Name = "Школа\x00 1" }, []string{"name"}},
		{"long short name", func(s *ejournal.School) { s.ShortName = strings.Repeat("я", 61) }, []string{"short_name"}},
		{"no time zone", func(s *ejournal.School) { s.TimeZone = "" }, []string{"time_zone"}},
		{"unknown time zone", func(s *ejournal.School) { s.TimeZone = "Europe/Atlantis" }, []string{"time_zone"}},
		{"everything wrong", func(s *ejournal.School) { *s = ejournal.School{ID: "x y"} }, []string{"id", "name", "time_zone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &ejournal.School{ID: "school-1", Name: "МАОУ СОШ № 1", ShortName: "СОШ 1", TimeZone: "Asia/Yekaterinburg"}
			tt.edit(s)
			checkValidate(t, s, tt.fields...)
		})
	}
}

// year returns a valid 2025/26 school year divided into kind's terms.
func year(kind ejournal.TermKind) *ejournal.SchoolYear {
	terms := map[ejournal.TermKind][]ejournal.Term{
		ejournal.Quarters: {
			{ID: "q1", Name: "1 четверть", Start: "2025-09-01", End: "2025-10-24"},
			{ID: "q2", Name: "2 четверть", Start: "2025-11-05", End: "2025-12-28"},
			{ID: "q3", Name: "3 четверть", Start: "2026-01-12", End: "2026-03-20"},
			{ID: "q4", Name: "4 четверть", Start: "2026-03-30", End: "2026-05-26"},
		},
		ejournal.Trimesters: {
			{ID: "t1", Name: "1 триместр", Start: "2025-09-01", End: "2025-11-30"},
			{ID: "t2", Name: "2 триместр", Start: "2025-12-01", End: "2026-02-28"},
			{ID: "t3", Name: "3 триместр", Start: "2026-03-01", End: "2026-05-31"},
		},
		ejournal.Halves: {
			{ID: "h1", Name: "1 полугодие", Start: "2025-09-01", End: "2025-12-28"},
			{ID: "h2", Name: "2 полугодие", Start: "2026-01-12", End: "2026-05-26"},
		},
	}
	return &ejournal.SchoolYear{ID: "y2025", SchoolID: "school-1", Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: kind, Terms: terms[kind]}
}

func TestSchoolYearValidate(t *testing.T) {
	q := ejournal.Quarters
	// calendar sets the year's dates and drops its terms and their kind.
	calendar := func(start, end ejournal.Date) func(*ejournal.SchoolYear) {
		return func(y *ejournal.SchoolYear) { y.Start, y.End, y.TermKind, y.Terms = start, end, "", nil }
	}
	tests := []struct {
		name   string
		kind   ejournal.TermKind
		edit   func(*ejournal.SchoolYear)
		fields []string
	}{
		{"quarters", q, func(*ejournal.SchoolYear) {}, nil},
		{"trimesters", ejournal.Trimesters, func(*ejournal.SchoolYear) {}, nil},
		{"halves", ejournal.Halves, func(*ejournal.SchoolYear) {}, nil},
		{"three quarters", q, func(y *ejournal.SchoolYear) { y.Terms = y.Terms[:3] }, []string{"terms"}},
		{"quarters as halves", q, func(y *ejournal.SchoolYear) { y.TermKind = ejournal.Halves }, []string{"terms"}},
		{"halves as trimesters", ejournal.Halves, func(y *ejournal.SchoolYear) { y.TermKind = ejournal.Trimesters }, []string{"terms"}},
		{"unknown kind", q, func(y *ejournal.SchoolYear) { y.TermKind = "semesters" }, []string{"term_kind"}},
		{"no name", q, func(y *ejournal.SchoolYear) { y.Name = "" }, []string{"name"}},
		{"bad start", q, func(y *ejournal.SchoolYear) { y.Start = "2025-13-01" }, []string{"start"}},
		{"bad end", q, func(y *ejournal.SchoolYear) { y.End = "2026-02-30" }, []string{"end"}},
		{"end before start", q, func(y *ejournal.SchoolYear) { y.Start, y.End = "2026-08-31", "2025-09-01" }, []string{"end", "terms[0]", "terms[1]", "terms[2]", "terms[3]"}},
		{"end on start", q, calendar("2025-09-01", "2025-09-01"), []string{"end", "term_kind"}},
		{"whole calendar year", q, func(y *ejournal.SchoolYear) { y.End = "2026-08-31" }, nil},
		{"whole leap year", q, calendar("2024-01-01", "2024-12-31"), []string{"term_kind"}},
		{"a day longer than a year", q, func(y *ejournal.SchoolYear) { y.End = "2026-09-01" }, []string{"end"}},
		{"two days longer than a year", q, func(y *ejournal.SchoolYear) { y.End = "2026-09-02" }, []string{"end"}},
		{"a day longer than a leap year", q, calendar("2024-01-01", "2025-01-01"), []string{"end", "term_kind"}},
		{"terms out of order", q, func(y *ejournal.SchoolYear) { y.Terms[1], y.Terms[2] = y.Terms[2], y.Terms[1] }, []string{"terms[2].start"}},
		{"overlapping terms", q, func(y *ejournal.SchoolYear) { y.Terms[1].Start = "2025-10-24" }, []string{"terms[1].start"}},
		{"adjacent terms", q, func(y *ejournal.SchoolYear) { y.Terms[1].Start = "2025-10-25" }, nil},
		{"term before the year", q, func(y *ejournal.SchoolYear) { y.Terms[0].Start = "2025-08-31" }, []string{"terms[0]"}},
		{"term after the year", q, func(y *ejournal.SchoolYear) { y.Terms[3].End = "2026-09-01" }, []string{"terms[3]"}},
		{"term ends before it starts", q, func(y *ejournal.SchoolYear) { y.Terms[2].End = "2026-01-11" }, []string{"terms[2].end"}},
		{"term with bad date", q, func(y *ejournal.SchoolYear) { y.Terms[0].End = "2025-10-32" }, []string{"terms[0]"}},
		{"term without id", q, func(y *ejournal.SchoolYear) { y.Terms[0].ID = "" }, []string{"terms[0].id"}},
		{"term id with separator", q, func(y *ejournal.SchoolYear) { y.Terms[0].ID = "q#1" }, []string{"terms[0].id"}},
		{"repeated term id", q, func(y *ejournal.SchoolYear) { y.Terms[3].ID = "q1" }, []string{"terms[3].id"}},
		{"term without name", q, func(y *ejournal.SchoolYear) { y.Terms[1].Name = " " }, []string{"terms[1].name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := year(tt.kind)
			tt.edit(y)
			checkValidate(t, y, tt.fields...)
		})
	}
}

func TestSchoolYearTermOn(t *testing.T) {
	y := year(ejournal.Quarters)
	tests := []struct {
		date ejournal.Date
		term string // "" for none
	}{
		{"2025-09-01", "q1"},
		{"2025-10-24", "q1"},
		{"2025-10-25", ""}, // autumn holidays
		{"2025-11-05", "q2"},
		{"2026-02-15", "q3"},
		{"2026-05-26", "q4"},
		{"2026-06-15", ""}, // summer
		{"2024-10-01", ""}, // another year
	}
	for _, tt := range tests {
		term, ok := y.TermOn(tt.date)
		if ok != (tt.term != "") || term.ID != tt.term {
			t.Errorf("TermOn(%s) = %q, %v; want %q", tt.date, term.ID, ok, tt.term)
		}
	}
}

func TestClassValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Class)
		fields []string
	}{
		{"valid", func(*ejournal.Class) {}, nil},
		{"grade 1", func(c *ejournal.Class) { c.Grade = 1 }, nil},
		{"grade 11", func(c *ejournal.Class) { c.Grade = 11 }, nil},
		{"grade 0", func(c *ejournal.Class) { c.Grade = 0 }, []string{"grade"}},
		{"grade 12", func(c *ejournal.Class) { c.Grade = 12 }, []string{"grade"}},
		{"negative grade", func(c *ejournal.Class) { c.Grade = -5 }, []string{"grade"}},
		{"two letters", func(c *ejournal.Class) { c.Letter = "АБ" }, nil},
		{"latin letter", func(c *ejournal.Class) { c.Letter = "A" }, nil},
		{"no letter", func(c *ejournal.Class) { c.Letter = "" }, []string{"letter"}},
		{"three letters", func(c *ejournal.Class) { c.Letter = "АБВ" }, []string{"letter"}},
		{"lower case", func(c *ejournal.Class) { c.Letter = "а" }, []string{"letter"}},
		{"mixed case", func(c *ejournal.Class) { c.Letter = "Аб" }, []string{"letter"}},
		{"digit", func(c *ejournal.Class) { c.Letter = "1" }, []string{"letter"}},
		{"letter and space", func(c *ejournal.Class) { c.Letter = "А " }, []string{"letter"}},
		{"no year", func(c *ejournal.Class) { c.YearID = "" }, []string{"year_id"}},
		{"year id with separator", func(c *ejournal.Class) { c.YearID = "y#1" }, []string{"year_id"}},
		{"bad class teacher", func(c *ejournal.Class) { c.ClassTeacherID = "p 1" }, []string{"class_teacher_id"}},
		{"no class teacher", func(c *ejournal.Class) { c.ClassTeacherID = "" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &ejournal.Class{SchoolID: "school-1", YearID: "y2025", Grade: 5, Letter: "А", ClassTeacherID: "p1"}
			tt.edit(c)
			checkValidate(t, c, tt.fields...)
		})
	}
	if c := (&ejournal.Class{Grade: 10, Letter: "Б"}); c.Name() != "10Б" {
		t.Errorf("Name() = %q, want 10Б", c.Name())
	}
}

func TestGroupValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Group)
		fields []string
	}{
		{"valid", func(*ejournal.Group) {}, nil},
		{"no class", func(g *ejournal.Group) { g.ClassID = "" }, []string{"class_id"}},
		{"class id with separator", func(g *ejournal.Group) { g.ClassID = "c#1" }, []string{"class_id"}},
		{"no name", func(g *ejournal.Group) { g.Name = "" }, []string{"name"}},
		{"long name", func(g *ejournal.Group) { g.Name = strings.Repeat("г", 61) }, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &ejournal.Group{SchoolID: "school-1", ClassID: "c5a", Name: "Английский, 1 группа"}
			tt.edit(g)
			checkValidate(t, g, tt.fields...)
		})
	}
}

func TestSubjectValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Subject)
		fields []string
	}{
		{"valid", func(*ejournal.Subject) {}, nil},
		{"all grades", func(s *ejournal.Subject) { s.Grades = nil }, nil},
		{"no name", func(s *ejournal.Subject) { s.Name = "" }, []string{"name"}},
		{"long name", func(s *ejournal.Subject) { s.Name = strings.Repeat("м", 101) }, []string{"name"}},
		{"no short name", func(s *ejournal.Subject) { s.ShortName = "" }, []string{"short_name"}},
		{"long short name", func(s *ejournal.Subject) { s.ShortName = strings.Repeat("м", 13) }, []string{"short_name"}},
		{"grade 0", func(s *ejournal.Subject) { s.Grades = []int{0, 5} }, []string{"grades"}},
		{"grade 12", func(s *ejournal.Subject) { s.Grades = []int{5, 12} }, []string{"grades"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &ejournal.Subject{SchoolID: "school-1", Name: "Математика", ShortName: "Матем", Grades: []int{1, 2, 3, 4, 5, 6}}
			tt.edit(s)
			checkValidate(t, s, tt.fields...)
		})
	}
}

func TestAssignmentValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Assignment)
		fields []string
	}{
		{"valid", func(*ejournal.Assignment) {}, nil},
		{"whole class", func(a *ejournal.Assignment) { a.GroupID = "" }, nil},
		{"no year", func(a *ejournal.Assignment) { a.YearID = "" }, []string{"year_id"}},
		{"no teacher", func(a *ejournal.Assignment) { a.TeacherID = "" }, []string{"teacher_id"}},
		{"no class", func(a *ejournal.Assignment) { a.ClassID = "" }, []string{"class_id"}},
		{"no subject", func(a *ejournal.Assignment) { a.SubjectID = "" }, []string{"subject_id"}},
		{"nothing", func(a *ejournal.Assignment) { *a = ejournal.Assignment{} }, []string{"year_id", "teacher_id", "class_id", "subject_id"}},
		{"bad group", func(a *ejournal.Assignment) { a.GroupID = "g#1" }, []string{"group_id"}},
		{"negative hours", func(a *ejournal.Assignment) { a.HoursPerWeek = -1 }, []string{"hours_per_week"}},
		{"40 hours", func(a *ejournal.Assignment) { a.HoursPerWeek = 40 }, nil},
		{"41 hours", func(a *ejournal.Assignment) { a.HoursPerWeek = 41 }, []string{"hours_per_week"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &ejournal.Assignment{SchoolID: "school-1", YearID: "y2025", TeacherID: "p1", ClassID: "c5a", GroupID: "g1", SubjectID: "math", HoursPerWeek: 5}
			tt.edit(a)
			checkValidate(t, a, tt.fields...)
		})
	}
}

func TestPersonValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Person)
		fields []string
	}{
		{"student", func(*ejournal.Person) {}, nil},
		{"student without class", func(p *ejournal.Person) { p.ClassID = "" }, nil},
		{"staff", func(p *ejournal.Person) { p.Kind, p.ClassID = ejournal.Staff, "" }, nil},
		{"parent", func(p *ejournal.Person) { p.Kind, p.ClassID = ejournal.Parent, "" }, nil},
		{"staff with class", func(p *ejournal.Person) { p.Kind = ejournal.Staff }, []string{"class_id"}},
		{"parent with class", func(p *ejournal.Person) { p.Kind = ejournal.Parent }, []string{"class_id"}},
		{"bad class id", func(p *ejournal.Person) { p.ClassID = "c#5a" }, []string{"class_id"}},
		{"no kind", func(p *ejournal.Person) { p.Kind = "" }, []string{"kind", "class_id"}},
		{"unknown kind", func(p *ejournal.Person) { p.Kind, p.ClassID = "teacher", "" }, []string{"kind"}},
		{"no last name", func(p *ejournal.Person) { p.LastName = "" }, []string{"last_name"}},
		{"no first name", func(p *ejournal.Person) { p.FirstName = " " }, []string{"first_name"}},
		{"no middle name", func(p *ejournal.Person) { p.MiddleName = "" }, nil},
		{"long middle name", func(p *ejournal.Person) { p.MiddleName = strings.Repeat("о", 101) }, []string{"middle_name"}},
		{"long last name", func(p *ejournal.Person) { p.LastName = strings.Repeat("ф", 101) }, []string{"last_name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &ejournal.Person{SchoolID: "school-1", Kind: ejournal.Student, LastName: "Иванова", FirstName: "Мария", MiddleName: "Петровна", ClassID: "c5a"}
			tt.edit(p)
			checkValidate(t, p, tt.fields...)
		})
	}
	if p := (&ejournal.Person{LastName: "Петров", FirstName: "Пётр"}); p.FullName() != "Петров Пётр" {
		t.Errorf("FullName() = %q", p.FullName())
	}
}

// idTime decodes the millisecond timestamp at the start of a NewID.
func idTime(t *testing.T, id string) int64 {
	t.Helper()
	b, err := base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding).DecodeString(id)
	if err != nil || len(b) != 16 {
		t.Fatalf("id %q does not decode to 16 bytes: %v", id, err)
	}
	return int64(binary.BigEndian.Uint64(b[:8]) >> 16)
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		id := ejournal.NewID()
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
		if len(id) != 26 || !ejournal.ValidID(id) {
			t.Fatalf("NewID() = %q, want 26 valid identifier characters", id)
		}
	}

	before := time.Now().UnixMilli()
	first := ejournal.NewID()
	after := time.Now().UnixMilli()
	if ms := idTime(t, first); ms < before || ms > after {
		t.Fatalf("NewID carries time %d, want within [%d, %d]", ms, before, after)
	}
	// Wait (by the clock, not by sleeping) for a later millisecond: ids of
	// later milliseconds sort after, whatever their random part.
	for time.Now().UnixMilli() <= after {
	}
	for range 100 {
		if second := ejournal.NewID(); second <= first {
			t.Fatalf("NewID %q of a later millisecond sorts before %q", second, first)
		}
	}
}
