package ejournal_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

// validateWith adapts a Validate method that takes an argument to checkValidate.
type validateWith func() error

func (f validateWith) Validate() error { return f() }

func schoolYear() *ejournal.SchoolYear {
	return &ejournal.SchoolYear{
		ID: "y2025", Name: "2025/2026", Start: "2025-09-01", End: "2026-05-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{
			{ID: "h1", Name: "1 полугодие", Start: "2025-09-01", End: "2025-12-28"},
			{ID: "h2", Name: "2 полугодие", Start: "2026-01-12", End: "2026-05-31"},
		},
	}
}

func TestHundredths(t *testing.T) {
	tests := []struct {
		in   string
		want ejournal.Hundredths
		out  string
		ok   bool
	}{
		{"4", 400, "4", true},
		{"1.5", 150, "1.5", true},
		{"1.50", 150, "1.5", true},
		{"4.17", 417, "4.17", true},
		{"0.05", 5, "0.05", true},
		{"-0.25", -25, "-0.25", true},
		{"10", 1000, "10", true},
		{"1.505", 0, "", false},
		{"1e2", 0, "", false},
		{".5", 0, "", false},
		{"5.", 0, "", false},
		{"\"5\"", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		got, ok := ejournal.ParseHundredths(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseHundredths(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.String() != tt.out {
			t.Errorf("%d.String() = %q, want %q", got, got.String(), tt.out)
		}
		var h ejournal.Hundredths
		if err := json.Unmarshal([]byte(tt.in), &h); (err == nil) != tt.ok || h != tt.want {
			t.Errorf("json.Unmarshal(%q) = %d, %v", tt.in, h, err)
		}
	}
	b, err := json.Marshal(ejournal.WorkType{ID: "lab", Name: "Лабораторная", Weight: 150})
	if err != nil || string(b) != `{"id":"lab","name":"Лабораторная","weight":1.5}` {
		t.Errorf("json.Marshal(WorkType) = %s, %v", b, err)
	}
	if got := ejournal.Hundredths(417).Russian(); got != "4,17" {
		t.Errorf("Russian() = %q, want 4,17", got)
	}
}

func TestLessonValidate(t *testing.T) {
	valid := func() *ejournal.Lesson {
		return &ejournal.Lesson{
			YearID: "y2025", Date: "2025-10-06", ClassID: "c5a", SubjectID: "math", TeacherID: "t1", Period: 2,
			Topic: "Дроби", Homework: "№ 12, 14\nстр. 30", HomeworkLinks: []string{"https://resh.edu.ru/subject/12"},
			Source: ejournal.ManualLesson,
		}
	}
	tests := []struct {
		name   string
		edit   func(l *ejournal.Lesson)
		year   *ejournal.SchoolYear
		fields []string
	}{
		{"valid", func(*ejournal.Lesson) {}, schoolYear(), nil},
		{"group and plan from timetable", func(l *ejournal.Lesson) {
			l.GroupID, l.PlanTopicID, l.Source, l.Topic, l.Homework, l.HomeworkLinks = "g1", "p7", ejournal.TimetableLesson, "", "", nil
		}, schoolYear(), nil},
		{"first day of year", func(l *ejournal.Lesson) { l.Date = "2025-09-01" }, schoolYear(), nil},
		{"last day of year", func(l *ejournal.Lesson) { l.Date = "2026-05-31" }, schoolYear(), nil},
		{"before the year", func(l *ejournal.Lesson) { l.Date = "2025-08-31" }, schoolYear(), []string{"date"}},
		{"after the year", func(l *ejournal.Lesson) { l.Date = "2026-06-01" }, schoolYear(), []string{"date"}},
		{"not a date", func(l *ejournal.Lesson) { l.Date = "2025-02-30" }, schoolYear(), []string{"date"}},
		{"another year", func(l *ejournal.Lesson) { l.YearID = "y2024" }, schoolYear(), []string{"date"}},
		{"no year", func(*ejournal.Lesson) {}, nil, []string{"date"}},
		{"period 0", func(l *ejournal.Lesson) { l.Period = 0 }, schoolYear(), []string{"period"}},
		{"period 13", func(l *ejournal.Lesson) { l.Period = 13 }, schoolYear(), []string{"period"}},
		{"period 12", func(l *ejournal.Lesson) { l.Period = 12 }, schoolYear(), nil},
		{"missing ids", func(l *ejournal.Lesson) { l.ClassID, l.SubjectID, l.TeacherID, l.GroupID = "", "", "x#y", "a b" },
			schoolYear(), []string{"class_id", "subject_id", "teacher_id", "group_id"}},
		{"long topic", func(l *ejournal.Lesson) { l.Topic = strings.Repeat("т", 501) }, schoolYear(), []string{"topic"}},
		{"topic with a line break", func(l *ejournal.Lesson) { l.Topic = "a\nb" }, schoolYear(), []string{"topic"}},
		{"long homework", func(l *ejournal.Lesson) { l.Homework = strings.Repeat("д", 2001) }, schoolYear(), []string{"homework"}},
		{"control character in homework", func(l *ejournal.Lesson) { l.Homework = "a\x00" }, schoolYear(), []string{"homework"}},
		{"bad links", func(l *ejournal.Lesson) {
			l.HomeworkLinks = []string{"http://ok.ru/a", "javascript:alert(1)", "ftp://x.ru/f", "https://", "https://a.ru/b c", "https://user:pw@a.ru/"}
		}, schoolYear(), []string{"homework_links", "homework_links[1]", "homework_links[2]", "homework_links[3]", "homework_links[4]", "homework_links[5]"}},
		{"long link", func(l *ejournal.Lesson) { l.HomeworkLinks = []string{"https://a.ru/" + strings.Repeat("x", 490)} }, schoolYear(), []string{"homework_links[0]"}},
		{"unknown source", func(l *ejournal.Lesson) { l.Source = "" }, schoolYear(), []string{"source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := valid()
			tt.edit(l)
			checkValidate(t, validateWith(func() error { return l.Validate(tt.year) }), tt.fields...)
		})
	}
}

func TestGradingSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(s *ejournal.GradingSettings)
		fields []string
	}{
		{"defaults", func(*ejournal.GradingSettings) {}, nil},
		{"plain, x.6 rule, tenths", func(s *ejournal.GradingSettings) {
			s.Averaging, s.RoundUpFrom, s.WorkTypes[0].Weight, s.EditWindowDays, s.AllowOne = ejournal.Plain, 60, 150, 0, true
		}, nil},
		{"no year", func(s *ejournal.GradingSettings) { s.YearID = "" }, []string{"year_id"}},
		{"no work types", func(s *ejournal.GradingSettings) { s.WorkTypes = nil }, []string{"work_types"}},
		{"two defaults", func(s *ejournal.GradingSettings) { s.WorkTypes[1].Default = true }, []string{"work_types"}},
		{"no default", func(s *ejournal.GradingSettings) { s.WorkTypes[0].Default = false }, []string{"work_types"}},
		{"duplicate id", func(s *ejournal.GradingSettings) { s.WorkTypes[2].ID = s.WorkTypes[1].ID }, []string{"work_types[2].id"}},
		{"bad id and name", func(s *ejournal.GradingSettings) { s.WorkTypes[1].ID, s.WorkTypes[1].Name = "a#b", " " },
			[]string{"work_types[1].id", "work_types[1].name"}},
		{"weights", func(s *ejournal.GradingSettings) {
			s.WorkTypes[1].Weight, s.WorkTypes[2].Weight, s.WorkTypes[3].Weight, s.WorkTypes[4].Weight = 0, 1010, 125, 10
		}, []string{"work_types[1].weight", "work_types[2].weight", "work_types[3].weight"}},
		{"averaging", func(s *ejournal.GradingSettings) { s.Averaging = "median" }, []string{"averaging"}},
		{"round up below the half", func(s *ejournal.GradingSettings) { s.RoundUpFrom = 49 }, []string{"round_up_from"}},
		{"round up at 1", func(s *ejournal.GradingSettings) { s.RoundUpFrom = 100 }, []string{"round_up_from"}},
		{"edit window", func(s *ejournal.GradingSettings) { s.EditWindowDays = -1 }, []string{"edit_window_days"}},
		{"min marks", func(s *ejournal.GradingSettings) { s.MinMarksForTerm = 0 }, []string{"min_marks_for_term"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ejournal.DefaultGradingSettings("s1", "y2025")
			tt.edit(s)
			checkValidate(t, s, tt.fields...)
		})
	}
}

func TestDefaultGradingSettings(t *testing.T) {
	s := ejournal.DefaultGradingSettings("s1", "y2025")
	want := map[string]ejournal.Hundredths{"oral": 100, "homework": 100, "independent": 200, "check": 200, "test": 300, "dictation": 300, "lab": 200, "practical": 200, "project": 200}
	for id, w := range want {
		if got, ok := s.WorkType(id); !ok || got.Weight != w {
			t.Errorf("WorkType(%q) = %+v, %v; want weight %s", id, got, ok, w)
		}
	}
	if s.AllowOne || s.Averaging != ejournal.Weighted || s.RoundUpFrom != ejournal.StandardRoundUp || s.EditWindowDays != 7 || s.MinMarksForTerm != 3 {
		t.Errorf("defaults = %+v", s)
	}
}

func TestLessonWorkType(t *testing.T) {
	s := ejournal.DefaultGradingSettings("s1", "y2025")
	for _, tt := range []struct {
		lesson, want string
		valid        bool
	}{
		{"", "classwork", true},         // the school's default
		{"test", "test", true},          // the lesson's own
		{"retired", "classwork", false}, // not (or no longer) the school's: the default, and refused when set
	} {
		l := &ejournal.Lesson{WorkType: tt.lesson}
		if got := s.LessonWorkType(l); got.ID != tt.want {
			t.Errorf("LessonWorkType(%q) = %q, want %q", tt.lesson, got.ID, tt.want)
		}
		err := s.CheckLessonWorkType(l)
		if e, ok := err.(*ejournal.Error); tt.valid && err != nil || !tt.valid && (!ok || e.Code != ejournal.EINVALID || e.Fields["work_type"].RU == "") {
			t.Errorf("CheckLessonWorkType(%q) = %v, valid %v", tt.lesson, err, tt.valid)
		}
	}
	bad := &ejournal.Lesson{WorkType: "не id"}
	if err := bad.Validate(nil); err == nil || err.(*ejournal.Error).Fields["work_type"].EN == "" {
		t.Errorf("Validate of work type %q = %v, want a problem naming work_type", bad.WorkType, err)
	}
}

func TestCaptureOn(t *testing.T) {
	s := ejournal.DefaultGradingSettings("s1", "y2025")
	for _, tt := range []struct {
		lesson, mark, wantType string
		weight                 ejournal.Hundredths
	}{
		{"", "", "classwork", 100},        // neither: the school's default
		{"test", "", "test", 300},         // the lesson's type
		{"test", "oral", "oral", 100},     // the mark's own type wins
		{"retired", "", "classwork", 100}, // a type the school retired: the default
		{"", "homework", "homework", 100}, // the mark's own type on a default lesson
		{"dictation", "lab", "lab", 200},  // and on a typed one
	} {
		m := &ejournal.Mark{WorkType: tt.mark}
		if err := s.CaptureOn(&ejournal.Lesson{WorkType: tt.lesson}, m); err != nil || m.WorkType != tt.wantType || m.Weight != tt.weight {
			t.Errorf("CaptureOn(lesson %q, mark %q) = %v; %s weight %s, want %s weight %s", tt.lesson, tt.mark, err, m.WorkType, m.Weight, tt.wantType, tt.weight)
		}
	}
	if err := s.CaptureOn(&ejournal.Lesson{WorkType: "test"}, &ejournal.Mark{WorkType: "exam"}); ejournal.ErrorCode(err) != ejournal.EINVALID {
		t.Errorf("CaptureOn with an unknown mark type = %v, want EINVALID", err)
	}
}

func TestRetype(t *testing.T) {
	s := ejournal.DefaultGradingSettings("s1", "y2025")
	for _, tt := range []struct {
		name     string
		from     string
		weight   ejournal.Hundredths
		to       string
		wantType string
		want     ejournal.Hundredths
		invalid  bool
	}{
		{"another type takes its current weight", "classwork", 100, "test", "test", 300, false},
		{"a lighter one too", "test", 300, "oral", "oral", 100, false},
		{"the same type keeps the captured weight", "test", 250, "test", "test", 250, false},
		{"an unknown type changes nothing", "test", 300, "exam", "test", 300, true},
	} {
		m := &ejournal.Mark{WorkType: tt.from, Weight: tt.weight}
		err := s.Retype(m, tt.to)
		if tt.invalid != (err != nil) || tt.invalid && err.(*ejournal.Error).Fields["work_type"].EN == "" {
			t.Errorf("%s: Retype = %v", tt.name, err)
		}
		if m.WorkType != tt.wantType || m.Weight != tt.want {
			t.Errorf("%s: mark %s weight %s, want %s weight %s", tt.name, m.WorkType, m.Weight, tt.wantType, tt.want)
		}
	}
}

func TestCapture(t *testing.T) {
	s := ejournal.DefaultGradingSettings("s1", "y2025")
	tests := []struct {
		workType string
		wantType string
		weight   ejournal.Hundredths
	}{
		{"", "classwork", 100},
		{"test", "test", 300},
		{"lab", "lab", 200},
		{"exam", "", 0},
	}
	for _, tt := range tests {
		m := &ejournal.Mark{WorkType: tt.workType}
		err := s.Capture(m)
		if tt.wantType == "" {
			if e, ok := err.(*ejournal.Error); !ok || e.Code != ejournal.EINVALID || e.Fields["work_type"].EN == "" {
				t.Errorf("Capture(%q) = %v, want EINVALID naming work_type", tt.workType, err)
			}
			continue
		}
		if err != nil || m.WorkType != tt.wantType || m.Weight != tt.weight {
			t.Errorf("Capture(%q) = %v; mark %s weight %s, want %s weight %s", tt.workType, err, m.WorkType, m.Weight, tt.wantType, tt.weight)
		}
	}
	// The weight is captured: changing the settings later leaves the mark as it was.
	m := &ejournal.Mark{WorkType: "test"}
	if err := s.Capture(m); err != nil {
		t.Fatal(err)
	}
	s.WorkTypes[5].Weight = 500
	if m.Weight != 300 {
		t.Errorf("captured weight = %s after a settings change, want 3", m.Weight)
	}
}

func TestMarkValidate(t *testing.T) {
	valid := func() *ejournal.Mark {
		return &ejournal.Mark{LessonID: "l1", StudentID: "st1", Value: 5, WorkType: "test", Weight: 300, TeacherID: "t1", Date: "2025-10-06", Comment: "молодец"}
	}
	strict := ejournal.DefaultGradingSettings("s1", "y2025")
	withOne := ejournal.DefaultGradingSettings("s1", "y2025")
	withOne.AllowOne = true
	tests := []struct {
		name     string
		edit     func(m *ejournal.Mark)
		settings *ejournal.GradingSettings
		fields   []string
	}{
		{"valid", func(*ejournal.Mark) {}, strict, nil},
		{"2", func(m *ejournal.Mark) { m.Value = 2 }, strict, nil},
		{"1 not allowed", func(m *ejournal.Mark) { m.Value = 1 }, strict, []string{"value"}},
		{"1 allowed", func(m *ejournal.Mark) { m.Value = 1 }, withOne, nil},
		{"0", func(m *ejournal.Mark) { m.Value = 0 }, withOne, []string{"value"}},
		{"6", func(m *ejournal.Mark) { m.Value = 6 }, withOne, []string{"value"}},
		{"7", func(m *ejournal.Mark) { m.Value = 7 }, strict, []string{"value"}},
		{"retired work type keeps its weight", func(m *ejournal.Mark) { m.WorkType, m.Weight = "olympiad", 450 }, strict, nil},
		{"no weight", func(m *ejournal.Mark) { m.Weight = 0 }, strict, []string{"weight"}},
		{"missing ids", func(m *ejournal.Mark) { m.LessonID, m.StudentID, m.WorkType, m.TeacherID = "", "", "", "" },
			strict, []string{"lesson_id", "student_id", "work_type", "teacher_id"}},
		{"bad date", func(m *ejournal.Mark) { m.Date = "" }, strict, []string{"date"}},
		{"long comment", func(m *ejournal.Mark) { m.Comment = strings.Repeat("к", 501) }, strict, []string{"comment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(m)
			checkValidate(t, validateWith(func() error { return m.Validate(tt.settings) }), tt.fields...)
		})
	}
}

func TestCheckEdit(t *testing.T) {
	ekb, err := time.LoadLocation("Asia/Yekaterinburg") // UTC+5
	if err != nil {
		t.Fatal(err)
	}
	s := ejournal.DefaultGradingSettings("s1", "y2025") // 7 days
	lesson := ejournal.Date("2025-10-01")
	lastMoment := time.Date(2025, 10, 8, 18, 59, 59, 0, time.UTC) // 23:59:59 on 8 October in Yekaterinburg
	firstLate := lastMoment.Add(time.Second)                      // 00:00 on 9 October there, still 8 October in UTC
	tests := []struct {
		name    string
		at      time.Time
		reason  string
		mayLate bool
		code    string
		field   string
	}{
		{"lesson day", time.Date(2025, 10, 1, 4, 0, 0, 0, time.UTC), "", false, "", ""},
		{"before the lesson", time.Date(2025, 9, 30, 4, 0, 0, 0, time.UTC), "", false, "", ""},
		{"last second of the window", lastMoment, "", false, "", ""},
		{"past midnight in Yekaterinburg, no reason", firstLate, "", false, ejournal.EINVALID, "reason"},
		{"past midnight, blank reason, permitted", firstLate, "  ", true, ejournal.EINVALID, "reason"},
		{"past midnight, reason, not permitted", firstLate, "ошибка ввода", false, ejournal.EFORBIDDEN, ""},
		{"past midnight, reason, permitted", firstLate, "ошибка ввода", true, "", ""},
		{"long reason", firstLate, strings.Repeat("п", 501), true, ejournal.EINVALID, "reason"},
		{"a month later", time.Date(2025, 11, 1, 4, 0, 0, 0, time.UTC), "", true, ejournal.EINVALID, "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CheckEdit(ejournal.Edit{LessonDate: lesson, At: tt.at, Reason: tt.reason, MayEditLate: tt.mayLate}, ekb)
			if got := ejournal.ErrorCode(err); got != tt.code {
				t.Fatalf("CheckEdit = %v, want code %q", err, tt.code)
			}
			if tt.field != "" {
				if e := err.(*ejournal.Error); e.Fields[tt.field].RU == "" || e.Fields[tt.field].EN == "" {
					t.Errorf("CheckEdit = %v, want field %q named in both languages", err, tt.field)
				}
			}
		})
	}
	// The same instant is inside the window in UTC (still 8 October there).
	if !ejournal.InEditWindow(lesson, 7, firstLate, time.UTC) {
		t.Error("InEditWindow in UTC = false, want true")
	}
	zero := *s
	zero.EditWindowDays = 0
	if err := zero.CheckEdit(ejournal.Edit{LessonDate: lesson, At: time.Date(2025, 10, 1, 18, 59, 0, 0, time.UTC)}, ekb); err != nil {
		t.Errorf("window 0, lesson day = %v, want nil", err)
	}
	if err := zero.CheckEdit(ejournal.Edit{LessonDate: lesson, At: time.Date(2025, 10, 1, 19, 0, 0, 0, time.UTC)}, ekb); ejournal.ErrorCode(err) != ejournal.EINVALID {
		t.Errorf("window 0, next day = %v, want EINVALID", err)
	}
}

// marks builds marks from value/weight pairs, weights in hundredths.
func marks(vw ...int) []*ejournal.Mark {
	var ms []*ejournal.Mark
	for i := 0; i < len(vw); i += 2 {
		ms = append(ms, &ejournal.Mark{Value: vw[i], Weight: ejournal.Hundredths(vw[i+1])})
	}
	return ms
}

func TestAverages(t *testing.T) {
	tests := []struct {
		name           string
		marks          []*ejournal.Mark
		weighted       ejournal.Average
		plain          ejournal.Hundredths
		weightedString string
	}{
		// (5·3 + 4·1 + 3·2) / 6 = 25/6 = 4.1666…, cut to 4.16; plainly (5+4+3)/3 = 4.
		{"5(w3) 4(w1) 3(w2)", marks(5, 300, 4, 100, 3, 200), ejournal.Average{Count: 3, Sum: 2500, Weights: 600, Value: 416}, 400, "4.16"},
		// (5·1.5 + 2·0.5) / 2 = 8.5/2 = 4.25; plainly 3.5.
		{"tenths", marks(5, 150, 2, 50), ejournal.Average{Count: 2, Sum: 850, Weights: 200, Value: 425}, 350, "4.25"},
		// (5 + 4 + 4) / 3 = 4.333…
		{"thirds", marks(5, 100, 4, 100, 4, 100), ejournal.Average{Count: 3, Sum: 1300, Weights: 300, Value: 433}, 433, "4.33"},
		{"none", nil, ejournal.Average{}, 0, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ejournal.WeightedAverage(tt.marks); got != tt.weighted {
				t.Errorf("WeightedAverage = %+v, want %+v", got, tt.weighted)
			}
			if got := ejournal.WeightedAverage(tt.marks).Value.String(); got != tt.weightedString {
				t.Errorf("WeightedAverage.Value = %s, want %s", got, tt.weightedString)
			}
			if got := ejournal.PlainAverage(tt.marks); got.Value != tt.plain || got.Count != len(tt.marks) {
				t.Errorf("PlainAverage = %+v, want value %s", got, tt.plain)
			}
		})
	}
}

func TestSuggestTermMark(t *testing.T) {
	standard := ejournal.DefaultGradingSettings("s1", "y2025")
	sixth := ejournal.DefaultGradingSettings("s1", "y2025")
	sixth.RoundUpFrom = 60
	plain := ejournal.DefaultGradingSettings("s1", "y2025")
	plain.Averaging = ejournal.Plain
	tests := []struct {
		name     string
		marks    []*ejournal.Mark
		settings *ejournal.GradingSettings
		want     ejournal.TermValue
		average  string
	}{
		{"5(w3) 4(w1) 3(w2) = 4.1667", marks(5, 300, 4, 100, 3, 200), standard, "4", "4.16"},
		{"4.5 standard", marks(5, 500, 4, 400, 4, 100), standard, "5", "4.5"},
		{"4.49 standard", marks(5, 490, 4, 500, 4, 10), standard, "4", "4.49"},
		// 90.4 / 20.1 = 4.4975…: shown cut as 4.49, never as 4.50 beside a 4.
		{"4.4975 standard", marks(5, 1000, 4, 1000, 4, 10), standard, "4", "4.49"},
		{"4.59 with x.6", marks(5, 590, 4, 400, 4, 10), sixth, "4", "4.59"},
		{"4.6 with x.6", marks(5, 600, 4, 300, 4, 100), sixth, "5", "4.6"},
		{"4.5 with x.6", marks(5, 500, 4, 400, 4, 100), sixth, "4", "4.5"},
		{"2.5 standard", marks(3, 100, 2, 100, 3, 100, 2, 100), standard, "3", "2.5"},
		{"2.5 with x.6", marks(3, 100, 2, 100, 3, 100, 2, 100), sixth, "2", "2.5"},
		{"2.6 with x.6", marks(3, 300, 2, 100, 2, 100), sixth, "3", "2.6"},
		{"all fives", marks(5, 100, 5, 300, 5, 200), standard, "5", "5"},
		{"plain ignores weights", marks(5, 300, 4, 100, 3, 200), plain, "4", "4"},
		{"plain 4.5", marks(5, 300, 4, 100, 5, 200, 4, 100), plain, "5", "4.5"},
		{"ones round up to 2", marks(1, 100, 1, 100, 1, 100), standard, "2", "1"},
		{"too few", marks(5, 100, 5, 100), standard, ejournal.NotAssessed, "5"},
		{"none", nil, standard, ejournal.NotAssessed, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sg := ejournal.SuggestTermMark(tt.marks, tt.settings)
			if sg.Mark != tt.want || sg.Average.Value.String() != tt.average {
				t.Errorf("SuggestTermMark = %s (average %s), want %s (average %s)", sg.Mark, sg.Average.Value, tt.want, tt.average)
			}
			if sg.Average.Count != len(tt.marks) || sg.Averaging != tt.settings.Averaging || sg.RoundUpFrom != tt.settings.RoundUpFrom || sg.MinMarks != 3 {
				t.Errorf("SuggestTermMark explains %+v", sg)
			}
		})
	}
}

func TestSuggestionExplain(t *testing.T) {
	s := ejournal.DefaultGradingSettings("s1", "y2025")
	sg := ejournal.SuggestTermMark(marks(5, 300, 4, 100, 3, 200), s)
	want := ejournal.T("Средневзвешенная 4,16 по 3 отметкам; дробная часть от 0,5 округляется вверх — 4.",
		"Weighted average 4.16 of 3 marks; a fraction of 0.5 or more rounds up: 4.")
	if got := sg.Explain(); got != want {
		t.Errorf("Explain() = %+v, want %+v", got, want)
	}
	if got := ejournal.SuggestTermMark(marks(5, 100), s).Explain(); !strings.Contains(got.RU, "н/а") || !strings.Contains(got.EN, "at least 3") {
		t.Errorf("Explain() of н/а = %+v", got)
	}
	b, err := json.Marshal(sg)
	if err != nil || string(b) != `{"mark":"4","average":{"count":3,"sum":25,"weights":6,"value":4.16},"averaging":"weighted","round_up_from":0.5,"min_marks":3}` {
		t.Errorf("json.Marshal(Suggestion) = %s, %v", b, err)
	}
}

func TestTermValue(t *testing.T) {
	tests := []struct {
		v      ejournal.TermValue
		valid  bool
		number int
		debt   bool
	}{
		{"5", true, 5, false},
		{"4", true, 4, false},
		{"3", true, 3, false},
		{"2", true, 2, true},
		{ejournal.NotAssessed, true, 0, true},
		{ejournal.Exempt, true, 0, false},
		{"1", false, 0, false},
		{"6", false, 0, false},
		{"", false, 0, false},
		{"н/a", false, 0, false}, // Latin a
	}
	for _, tt := range tests {
		n, _ := tt.v.Number()
		if tt.v.Valid() != tt.valid || n != tt.number || tt.v.Debt() != tt.debt {
			t.Errorf("%q: Valid %v, Number %d, Debt %v", tt.v, tt.v.Valid(), n, tt.v.Debt())
		}
	}
	if ejournal.TermValueOf(4) != "4" {
		t.Error(`TermValueOf(4) != "4"`)
	}
}

func TestTermMarkValidate(t *testing.T) {
	valid := func() *ejournal.TermMark {
		return &ejournal.TermMark{YearID: "y2025", StudentID: "st1", SubjectID: "math", Period: "h1", Value: "4", Suggested: "4",
			ConfirmedBy: "t1", ConfirmedAt: time.Date(2025, 12, 25, 10, 0, 0, 0, time.UTC)}
	}
	tests := []struct {
		name   string
		edit   func(m *ejournal.TermMark)
		fields []string
	}{
		{"valid", func(*ejournal.TermMark) {}, nil},
		{"year mark", func(m *ejournal.TermMark) { m.Period = ejournal.YearPeriod }, nil},
		{"exempt", func(m *ejournal.TermMark) { m.Value, m.Suggested = ejournal.Exempt, "" }, nil},
		{"not assessed, overriding a suggestion", func(m *ejournal.TermMark) { m.Value, m.Suggested = ejournal.NotAssessed, "3" }, nil},
		{"unknown term", func(m *ejournal.TermMark) { m.Period = "q3" }, []string{"period"}},
		{"another year", func(m *ejournal.TermMark) { m.YearID = "y2024" }, []string{"period"}},
		{"value 1", func(m *ejournal.TermMark) { m.Value = "1" }, []string{"value"}},
		{"value as a word", func(m *ejournal.TermMark) { m.Value = "отлично" }, []string{"value"}},
		{"bad suggestion", func(m *ejournal.TermMark) { m.Suggested = "7" }, []string{"suggested"}},
		{"the system alone", func(m *ejournal.TermMark) { m.ConfirmedBy = "" }, []string{"confirmed_by"}},
		{"never confirmed", func(m *ejournal.TermMark) { m.ConfirmedAt = time.Time{} }, []string{"confirmed_by"}},
		{"missing ids", func(m *ejournal.TermMark) { m.StudentID, m.SubjectID = "", "" }, []string{"student_id", "subject_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(m)
			checkValidate(t, validateWith(func() error { return m.Validate(schoolYear()) }), tt.fields...)
		})
	}
}

func TestDebtsFrom(t *testing.T) {
	term := func(student, subject, period string, v ejournal.TermValue) *ejournal.TermMark {
		return &ejournal.TermMark{SchoolID: "s1", YearID: "y2025", StudentID: student, SubjectID: subject, Period: period, Value: v}
	}
	got := ejournal.DebtsFrom([]*ejournal.TermMark{
		term("st1", "math", "h1", "2"),
		term("st1", "rus", "h1", "3"),
		term("st1", "pe", "h1", ejournal.Exempt),
		term("st2", "math", "h1", ejournal.NotAssessed),
		term("st2", "math", ejournal.YearPeriod, "2"),
		term("st2", "rus", "h1", "5"),
	})
	want := []ejournal.Debt{
		{SchoolID: "s1", YearID: "y2025", StudentID: "st1", SubjectID: "math", Period: "h1", Value: "2"},
		{SchoolID: "s1", YearID: "y2025", StudentID: "st2", SubjectID: "math", Period: "h1", Value: ejournal.NotAssessed},
		{SchoolID: "s1", YearID: "y2025", StudentID: "st2", SubjectID: "math", Period: ejournal.YearPeriod, Value: "2"},
	}
	if len(got) != len(want) {
		t.Fatalf("DebtsFrom = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] || got[i].Closed() {
			t.Errorf("debt %d = %+v, want open %+v", i, got[i], want[i])
		}
	}
	if got := ejournal.DebtsFrom(nil); len(got) != 0 {
		t.Errorf("DebtsFrom(nil) = %v", got)
	}
}

func TestDebtValidate(t *testing.T) {
	open := func() *ejournal.Debt {
		return &ejournal.Debt{YearID: "y2025", StudentID: "st1", SubjectID: "math", Period: "h1", Value: "2"}
	}
	closeWith := func(v int, d ejournal.Date, by string) func(*ejournal.Debt) {
		return func(x *ejournal.Debt) { x.RetakeValue, x.RetakeDate, x.ClosedBy = v, d, by }
	}
	tests := []struct {
		name   string
		edit   func(d *ejournal.Debt)
		closed bool
		fields []string
	}{
		{"open", func(*ejournal.Debt) {}, false, nil},
		{"open from н/а", func(d *ejournal.Debt) { d.Value = ejournal.NotAssessed }, false, nil},
		{"closed with 3", closeWith(3, "2026-01-20", "t1"), true, nil},
		{"closed with 5", closeWith(5, "2026-09-10", "t1"), true, nil},
		{"retake 2", closeWith(2, "2026-01-20", "t1"), true, []string{"retake_value"}},
		{"retake 6", closeWith(6, "2026-01-20", "t1"), true, []string{"retake_value"}},
		{"no date", closeWith(4, "", "t1"), true, []string{"retake_date"}},
		{"no closer", closeWith(4, "2026-01-20", ""), true, []string{"closed_by"}},
		{"date without mark", closeWith(0, "2026-01-20", "t1"), false, []string{"retake_value"}},
		{"not a debt", func(d *ejournal.Debt) { d.Value = "3" }, false, []string{"value"}},
		{"exempt is not a debt", func(d *ejournal.Debt) { d.Value = ejournal.Exempt }, false, []string{"value"}},
		{"missing ids", func(d *ejournal.Debt) { d.StudentID, d.SubjectID, d.Period = "", "", "" }, false, []string{"student_id", "subject_id", "period"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := open()
			tt.edit(d)
			if d.Closed() != tt.closed {
				t.Errorf("Closed() = %v, want %v", d.Closed(), tt.closed)
			}
			checkValidate(t, d, tt.fields...)
		})
	}
}
