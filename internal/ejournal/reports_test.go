package ejournal_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// repH returns a pointer to a figure, for the expected values.
func repH(v ejournal.Hundredths) *ejournal.Hundredths { return &v }

// repJSON shows a value in failure messages.
func repJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// repSchool is the fixed data set of the performance tests, as of the end
// of the second quarter (2025-12-28). Hand-computed figures are in the
// tests. Classes 5А and 5Б make the parallel of grade 5; 6А has no marks.
//
//	5А       math  rus   pe
//	Антонов    5    5    5
//	Борисова   5    4    осв.
//	Волков     3    4    5
//	Григорьев  н/а  3    4
//	Дмитриева  4    5    5
//	Егоров     2    2         left 2025-11-15: not counted
//	Ёлкина     4    4    —    arrived 2025-11-20: counted; no pe mark
//	5Б       math  rus
//	Жуков      2    3
//	Зайцева    5    5
//	Иванов     4    3
//	6А       math
//	Ким, Лебедев: no marks
func repSchool() ejournal.PerformanceInput {
	tm := func(student, subject string, v ejournal.TermValue) *ejournal.TermMark {
		return &ejournal.TermMark{StudentID: student, SubjectID: subject, Period: "q2", Value: v}
	}
	return ejournal.PerformanceInput{
		Scope: ejournal.Scope{
			Classes: []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}, {ID: "c5b", Grade: 5, Letter: "Б"}, {ID: "c6a", Grade: 6, Letter: "А"}},
			Subjects: []*ejournal.Subject{
				{ID: "math", Name: "Математика"}, {ID: "rus", Name: "Русский язык"}, {ID: "pe", Name: "Физическая культура"},
			},
			Roster: []ejournal.RosterEntry{
				{StudentID: "a7", LastName: "Ёлкина", FirstName: "Зоя", ClassID: "c5a", Arrived: "2025-11-20"},
				{StudentID: "a1", LastName: "Антонов", FirstName: "Антон", ClassID: "c5a"},
				{StudentID: "a2", LastName: "Борисова", FirstName: "Вера", ClassID: "c5a"},
				{StudentID: "a3", LastName: "Волков", FirstName: "Глеб", ClassID: "c5a"},
				{StudentID: "a4", LastName: "Григорьев", FirstName: "Денис", ClassID: "c5a"},
				{StudentID: "a5", LastName: "Дмитриева", FirstName: "Ева", ClassID: "c5a"},
				{StudentID: "a6", LastName: "Егоров", FirstName: "Жан", ClassID: "c5a", Left: "2025-11-15"},
				{StudentID: "b1", LastName: "Жуков", FirstName: "Иван", ClassID: "c5b"},
				{StudentID: "b2", LastName: "Зайцева", FirstName: "Катя", ClassID: "c5b"},
				{StudentID: "b3", LastName: "Иванов", FirstName: "Лев", ClassID: "c5b"},
				{StudentID: "c1", LastName: "Ким", FirstName: "Мира", ClassID: "c6a"},
				{StudentID: "c2", LastName: "Лебедев", FirstName: "Ник", ClassID: "c6a"},
			},
			Assignments: []*ejournal.Assignment{
				{TeacherID: "t1", ClassID: "c5a", SubjectID: "math"},
				{TeacherID: "t2", ClassID: "c5a", SubjectID: "rus"},
				{TeacherID: "t3", ClassID: "c5a", SubjectID: "pe"},
				{TeacherID: "t1", ClassID: "c5b", SubjectID: "math"},
				{TeacherID: "t4", ClassID: "c5b", SubjectID: "rus"},
				{TeacherID: "t1", ClassID: "c6a", SubjectID: "math"},
			},
		},
		Period: "q2",
		End:    "2025-12-28",
		TermMarks: []*ejournal.TermMark{
			tm("a1", "math", "5"), tm("a1", "rus", "5"), tm("a1", "pe", "5"),
			tm("a2", "math", "5"), tm("a2", "rus", "4"), tm("a2", "pe", ejournal.Exempt),
			tm("a3", "math", "3"), tm("a3", "rus", "4"), tm("a3", "pe", "5"),
			tm("a4", "math", ejournal.NotAssessed), tm("a4", "rus", "3"), tm("a4", "pe", "4"),
			tm("a5", "math", "4"), tm("a5", "rus", "5"), tm("a5", "pe", "5"),
			tm("a6", "math", "2"), tm("a6", "rus", "2"),
			tm("a7", "math", "4"), tm("a7", "rus", "4"),
			tm("b1", "math", "2"), tm("b1", "rus", "3"),
			tm("b2", "math", "5"), tm("b2", "rus", "5"),
			tm("b3", "math", "4"), tm("b3", "rus", "3"),
			// another period: ignored
			{StudentID: "a1", SubjectID: "math", Period: "q1", Value: "2"},
		},
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		part, whole int
		want        ejournal.Hundredths
		ok          bool
	}{
		{1, 32, 313, true},    // 3.125 rounds up
		{1, 20000, 1, true},   // 0.005 rounds up
		{1, 80000, 0, true},   // 0.00125 rounds down
		{1, 160, 63, true},    // 0.625
		{2, 3, 6667, true},    // 66.666…
		{1, 3, 3333, true},    // 33.333…
		{1, 6, 1667, true},    // 16.666…
		{5, 5, 10000, true},   // 100
		{0, 7, 0, true},       // a real 0
		{0, 0, 0, false},      // no base: absent
		{3, 0, 0, false},      // no base: absent
		{13, 16, 8125, true},  // exact
		{7, 9, 7778, true},    // 77.777…
		{15, 16, 9375, true},  // exact
		{4, 7, 5714, true},    // 57.142…
		{11, 17, 6471, true},  // 64.705…
		{1, 7, 1429, true},    // 14.285…
		{3, 7, 4286, true},    // 42.857…
		{5, 11, 4545, true},   // 45.454…
		{1, 11, 909, true},    // 9.0909…
		{3, 11, 2727, true},   // 27.27…
		{2, 11, 1818, true},   // 18.18…
		{99, 100, 9900, true}, // exact
	}
	for _, tt := range tests {
		got, ok := ejournal.Percent(tt.part, tt.whole)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Percent(%d, %d) = %v, %v; want %v, %v", tt.part, tt.whole, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDefinition(t *testing.T) {
	tests := []struct {
		d     ejournal.Definition
		valid bool
		def   ejournal.Definition
		word  string
	}{
		{"", true, ejournal.ByStudents, "По ученикам"},
		{ejournal.ByStudents, true, ejournal.ByStudents, "По ученикам"},
		{ejournal.ByMarks, true, ejournal.ByMarks, "По отметкам"},
		{"pupils", false, ejournal.ByStudents, "По ученикам"},
	}
	for _, tt := range tests {
		t.Run(string(tt.d), func(t *testing.T) {
			if tt.d.Valid() != tt.valid || tt.d.OrDefault() != tt.def {
				t.Errorf("Valid() = %v, OrDefault() = %q; want %v, %q", tt.d.Valid(), tt.d.OrDefault(), tt.valid, tt.def)
			}
			text := tt.d.Explain()
			if !strings.HasPrefix(text.RU, tt.word) || text.EN == "" || !strings.Contains(text.RU, "осв.") || !strings.Contains(text.RU, "н/а") {
				t.Errorf("Explain() = %+v", text)
			}
		})
	}
}

func TestCategoryOf(t *testing.T) {
	tests := []struct {
		name   string
		values []ejournal.TermValue
		want   ejournal.Category
	}{
		{"all fives", []ejournal.TermValue{"5", "5"}, ejournal.Excellent},
		{"fives and an exempt subject", []ejournal.TermValue{"5", ejournal.Exempt}, ejournal.Excellent},
		{"one four", []ejournal.TermValue{"5", "4"}, ejournal.Good},
		{"one three", []ejournal.TermValue{"5", "4", "3"}, ejournal.Satisfactory},
		{"a two", []ejournal.TermValue{"5", "2"}, ejournal.Failing},
		{"н/а", []ejournal.TermValue{"5", ejournal.NotAssessed}, ejournal.Failing},
		{"missing marks ignored", []ejournal.TermValue{"4", ""}, ejournal.Good},
		{"only exempt", []ejournal.TermValue{ejournal.Exempt}, ""},
		{"nothing", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ejournal.CategoryOf(tt.values); got != tt.want {
				t.Errorf("CategoryOf(%q) = %q, want %q", tt.values, got, tt.want)
			}
		})
	}
}

func TestRosterEntryOnRoll(t *testing.T) {
	tests := []struct {
		name string
		e    ejournal.RosterEntry
		day  ejournal.Date
		want bool
	}{
		{"there all along", ejournal.RosterEntry{}, "2025-12-28", true},
		{"arrived before", ejournal.RosterEntry{Arrived: "2025-11-20"}, "2025-12-28", true},
		{"arrived that day", ejournal.RosterEntry{Arrived: "2025-12-28"}, "2025-12-28", true},
		{"arrived after", ejournal.RosterEntry{Arrived: "2025-12-29"}, "2025-12-28", false},
		{"left before", ejournal.RosterEntry{Left: "2025-11-15"}, "2025-12-28", false},
		{"left that day", ejournal.RosterEntry{Left: "2025-12-28"}, "2025-12-28", false},
		{"left after", ejournal.RosterEntry{Left: "2025-12-29"}, "2025-12-28", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.OnRoll(tt.day); got != tt.want {
				t.Errorf("OnRoll(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
}

func TestRosterAt(t *testing.T) {
	st := func(id, last, class string, left bool) *ejournal.Person {
		return &ejournal.Person{ID: id, Kind: ejournal.Student, LastName: last, FirstName: "А", ClassID: class, Left: left}
	}
	students := []*ejournal.Person{
		st("p1", "Ёжиков", "c5a", false),  // no movements: there from the start
		st("p2", "Абрамов", "c5a", false), // enrolled in the period
		st("p3", "Евсеев", "c5a", false),  // enrolled before the period
		st("p4", "Жаров", "c5a", true),    // left in the period
		st("p5", "Зуев", "c5a", true),     // left before the period
		st("p6", "Борисов", "c5b", false), // moved 5А → 5Б in the period
		st("p7", "Волков", "c5b", false),  // moved 5А → 5Б after the period
		st("p8", "Иванов", "c5a", false),  // enrolled after the period
		st("p9", "Громов", "c5b", true),   // left after the period
		st("p10", "Дьяков", "c5b", true),  // came and left in the period
		{ID: "t1", Kind: ejournal.Staff, LastName: "Учитель"},
	}
	mv := func(student string, kind ejournal.MovementKind, from, to string, d ejournal.Date) *ejournal.Movement {
		return &ejournal.Movement{ID: student + string(d), StudentID: student, Kind: kind, FromClassID: from, ToClassID: to, Date: d}
	}
	movements := []*ejournal.Movement{
		mv("p2", ejournal.Enrol, "", "c5a", "2025-11-20"),
		mv("p3", ejournal.Enrol, "", "c5a", "2025-09-01"),
		mv("p4", ejournal.Enrol, "", "c5a", "2025-09-01"),
		mv("p4", ejournal.Leave, "c5a", "", "2025-11-15"),
		mv("p5", ejournal.Enrol, "", "c5a", "2025-09-01"),
		mv("p5", ejournal.Leave, "c5a", "", "2025-10-01"),
		mv("p6", ejournal.Enrol, "", "c5a", "2025-09-01"),
		mv("p6", ejournal.Transfer, "c5a", "c5b", "2025-11-10"),
		mv("p7", ejournal.Transfer, "c5a", "c5b", "2026-01-15"),
		mv("p7", ejournal.Enrol, "", "c5a", "2025-09-01"),
		mv("p8", ejournal.Enrol, "", "c5a", "2026-01-12"),
		mv("p9", ejournal.Leave, "c5b", "", "2026-01-20"),
		mv("p9", ejournal.Enrol, "", "c5b", "2025-09-01"),
		mv("p10", ejournal.Enrol, "", "c5a", "2025-09-01"),
		mv("p10", ejournal.Transfer, "c5a", "c5b", "2025-11-05"),
		mv("p10", ejournal.Leave, "c5b", "", "2025-12-01"),
	}
	got := ejournal.RosterAt("2025-11-03", "2025-12-28", students, movements)
	want := []ejournal.RosterEntry{
		{StudentID: "p2", LastName: "Абрамов", FirstName: "А", ClassID: "c5a", Arrived: "2025-11-20"},
		{StudentID: "p6", LastName: "Борисов", FirstName: "А", ClassID: "c5b", Arrived: "2025-11-10"},
		{StudentID: "p7", LastName: "Волков", FirstName: "А", ClassID: "c5a"},
		{StudentID: "p9", LastName: "Громов", FirstName: "А", ClassID: "c5b"},
		{StudentID: "p10", LastName: "Дьяков", FirstName: "А", ClassID: "c5b", Arrived: "2025-11-05", Left: "2025-12-01"},
		{StudentID: "p3", LastName: "Евсеев", FirstName: "А", ClassID: "c5a"},
		{StudentID: "p1", LastName: "Ёжиков", FirstName: "А", ClassID: "c5a"},
		{StudentID: "p4", LastName: "Жаров", FirstName: "А", ClassID: "c5a", Left: "2025-11-15"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RosterAt =\n%s\nwant\n%s", repJSON(got), repJSON(want))
	}
}

func TestBuildPerformance(t *testing.T) {
	p := ejournal.BuildPerformance(repSchool())
	if p.Definition != ejournal.ByStudents || p.Period != "q2" || p.End != "2025-12-28" || p.DefinitionText != ejournal.ByStudents.Explain() || p.Rounding.RU == "" {
		t.Errorf("header %q %q %q %+v", p.Definition, p.Period, p.End, p.Rounding)
	}
	math5a := ejournal.Figures{Roll: 6, Students: 6, Marks: 6, N: 6, N5: 2, N4: 2, N3: 1, NA: 1,
		Excellent: 2, Good: 2, Satisfactory: 1, Failing: 1,
		// 5/6, 4/6, (200+128+36+7)/6 = 371/6, (10+8+3)/5
		Success: repH(8333), Quality: repH(6667), SOU: repH(6183), Average: repH(420)}
	rus5a := ejournal.Figures{Roll: 6, Students: 6, Marks: 6, N: 6, N5: 2, N4: 3, N3: 1,
		Excellent: 2, Good: 3, Satisfactory: 1,
		// 6/6, 5/6, (200+192+36)/6 = 428/6, 25/6
		Success: repH(10000), Quality: repH(8333), SOU: repH(7133), Average: repH(417)}
	// The exempt Борисова and Ёлкина without a mark are out of N: N = 6 − 1 − 1.
	pe5a := ejournal.Figures{Roll: 6, Students: 4, Marks: 4, N: 4, N5: 3, N4: 1, Exempt: 1, NoMark: 1,
		Excellent: 3, Good: 1,
		// (300+64)/4, 19/4
		Success: repH(10000), Quality: repH(10000), SOU: repH(9100), Average: repH(475)}
	// Across subjects: Антонов excellent; Борисова (pe exempt ignored),
	// Дмитриева, Ёлкина good; Волков satisfactory; Григорьев (н/а) failing.
	total5a := ejournal.Figures{Roll: 6, Students: 6, Marks: 16, N: 6, N5: 7, N4: 6, N3: 2, NA: 1, Exempt: 1, NoMark: 1, Incomplete: 1,
		Excellent: 1, Good: 3, Satisfactory: 1, Failing: 1,
		// 5/6, 4/6, (700+384+72+7)/16 = 1163/16 = 72.6875, 65/15
		Success: repH(8333), Quality: repH(6667), SOU: repH(7269), Average: repH(433)}
	math5b := ejournal.Figures{Roll: 3, Students: 3, Marks: 3, N: 3, N5: 1, N4: 1, N2: 1,
		Excellent: 1, Good: 1, Failing: 1,
		// 2/3, 2/3, (100+64+16)/3, 11/3
		Success: repH(6667), Quality: repH(6667), SOU: repH(6000), Average: repH(367)}
	rus5b := ejournal.Figures{Roll: 3, Students: 3, Marks: 3, N: 3, N5: 1, N3: 2,
		Excellent: 1, Satisfactory: 2,
		// 3/3, 1/3, (100+72)/3, 11/3
		Success: repH(10000), Quality: repH(3333), SOU: repH(5733), Average: repH(367)}
	total5b := ejournal.Figures{Roll: 3, Students: 3, Marks: 6, N: 3, N5: 2, N4: 1, N3: 2, N2: 1,
		Excellent: 1, Satisfactory: 1, Failing: 1,
		// 2/3, 1/3, (200+64+72+16)/6 = 352/6, 22/6
		Success: repH(6667), Quality: repH(3333), SOU: repH(5867), Average: repH(367)}
	// No marks: N = 0, and every percentage is absent.
	math6a := ejournal.Figures{Roll: 2, NoMark: 2}
	// Grade 5 over all 9 students: 7/9 and 5/9, not the mean of the two
	// classes' percentages (75.00 and 50.00).
	total5 := ejournal.Figures{Roll: 9, Students: 9, Marks: 22, N: 9, N5: 9, N4: 7, N3: 4, N2: 1, NA: 1, Exempt: 1, NoMark: 1, Incomplete: 1,
		Excellent: 2, Good: 3, Satisfactory: 2, Failing: 2,
		// (900+448+144+16+7)/22 = 1515/22 = 68.86…, 87/21 = 4.142…
		Success: repH(7778), Quality: repH(5556), SOU: repH(6886), Average: repH(414)}
	math5 := ejournal.Figures{Roll: 9, Students: 9, Marks: 9, N: 9, N5: 3, N4: 3, N3: 1, N2: 1, NA: 1,
		Excellent: 3, Good: 3, Satisfactory: 1, Failing: 2,
		// 7/9, 6/9, (300+192+36+16+7)/9 = 551/9, 32/8
		Success: repH(7778), Quality: repH(6667), SOU: repH(6122), Average: repH(400)}
	rus5 := ejournal.Figures{Roll: 9, Students: 9, Marks: 9, N: 9, N5: 3, N4: 3, N3: 3,
		Excellent: 3, Good: 3, Satisfactory: 3,
		// 9/9, 6/9, (300+192+108)/9 = 600/9, 36/9
		Success: repH(10000), Quality: repH(6667), SOU: repH(6667), Average: repH(400)}
	mathSchool := math5
	mathSchool.Roll, mathSchool.NoMark = 11, 2
	school := total5
	school.Roll, school.NoMark = 11, 3

	t.Run("classes", func(t *testing.T) {
		want := []ejournal.ClassFigures{
			{ClassID: "c5a", ClassName: "5А", Grade: 5, Figures: total5a, Subjects: []ejournal.SubjectFigures{
				{SubjectID: "math", SubjectName: "Математика", Figures: math5a},
				{SubjectID: "rus", SubjectName: "Русский язык", Figures: rus5a},
				{SubjectID: "pe", SubjectName: "Физическая культура", Figures: pe5a},
			}},
			{ClassID: "c5b", ClassName: "5Б", Grade: 5, Figures: total5b, Subjects: []ejournal.SubjectFigures{
				{SubjectID: "math", SubjectName: "Математика", Figures: math5b},
				{SubjectID: "rus", SubjectName: "Русский язык", Figures: rus5b},
			}},
			{ClassID: "c6a", ClassName: "6А", Grade: 6, Figures: math6a, Subjects: []ejournal.SubjectFigures{
				{SubjectID: "math", SubjectName: "Математика", Figures: math6a},
			}},
		}
		if !reflect.DeepEqual(p.Classes, want) {
			t.Errorf("classes =\n%s\nwant\n%s", repJSON(p.Classes), repJSON(want))
		}
	})
	t.Run("parallels", func(t *testing.T) {
		want := []ejournal.ParallelFigures{
			{Grade: 5, ClassIDs: []string{"c5a", "c5b"}, Figures: total5, Subjects: []ejournal.SubjectFigures{
				{SubjectID: "math", SubjectName: "Математика", Figures: math5},
				{SubjectID: "rus", SubjectName: "Русский язык", Figures: rus5},
				{SubjectID: "pe", SubjectName: "Физическая культура", Figures: pe5a},
			}},
			{Grade: 6, ClassIDs: []string{"c6a"}, Figures: math6a, Subjects: []ejournal.SubjectFigures{
				{SubjectID: "math", SubjectName: "Математика", Figures: math6a},
			}},
		}
		if !reflect.DeepEqual(p.Parallels, want) {
			t.Errorf("parallels =\n%s\nwant\n%s", repJSON(p.Parallels), repJSON(want))
		}
	})
	t.Run("parallel is not the mean of its classes", func(t *testing.T) {
		meanSuccess := (*total5a.Success + *total5b.Success) / 2
		meanQuality := (*total5a.Quality + *total5b.Quality) / 2
		if meanSuccess != 7500 || meanQuality != 5000 || *p.Parallels[0].Figures.Success == meanSuccess || *p.Parallels[0].Figures.Quality == meanQuality {
			t.Errorf("parallel %v/%v, mean of classes %v/%v", p.Parallels[0].Figures.Success, p.Parallels[0].Figures.Quality, meanSuccess, meanQuality)
		}
	})
	t.Run("subjects across classes", func(t *testing.T) {
		want := []ejournal.SubjectFigures{
			{SubjectID: "math", SubjectName: "Математика", Figures: mathSchool},
			{SubjectID: "rus", SubjectName: "Русский язык", Figures: rus5},
			{SubjectID: "pe", SubjectName: "Физическая культура", Figures: pe5a},
		}
		if !reflect.DeepEqual(p.Subjects, want) {
			t.Errorf("subjects =\n%s\nwant\n%s", repJSON(p.Subjects), repJSON(want))
		}
	})
	t.Run("teachers", func(t *testing.T) {
		want := []ejournal.TeacherFigures{
			{TeacherID: "t1", Figures: mathSchool, Lines: []ejournal.TeachingFigures{
				{ClassID: "c5a", SubjectID: "math", Figures: math5a},
				{ClassID: "c5b", SubjectID: "math", Figures: math5b},
				{ClassID: "c6a", SubjectID: "math", Figures: math6a},
			}},
			{TeacherID: "t2", Figures: rus5a, Lines: []ejournal.TeachingFigures{{ClassID: "c5a", SubjectID: "rus", Figures: rus5a}}},
			{TeacherID: "t3", Figures: pe5a, Lines: []ejournal.TeachingFigures{{ClassID: "c5a", SubjectID: "pe", Figures: pe5a}}},
			{TeacherID: "t4", Figures: rus5b, Lines: []ejournal.TeachingFigures{{ClassID: "c5b", SubjectID: "rus", Figures: rus5b}}},
		}
		if !reflect.DeepEqual(p.Teachers, want) {
			t.Errorf("teachers =\n%s\nwant\n%s", repJSON(p.Teachers), repJSON(want))
		}
	})
	t.Run("school", func(t *testing.T) {
		if !reflect.DeepEqual(p.School, school) {
			t.Errorf("school =\n%s\nwant\n%s", repJSON(p.School), repJSON(school))
		}
	})
	t.Run("no base: figures absent from JSON", func(t *testing.T) {
		got := repJSON(p.Classes[2].Figures)
		if want := `{"roll":2,"students":0,"marks":0,"n":0,"n5":0,"n4":0,"n3":0,"n2":0,"na":0,"exempt":0,"no_mark":2,"incomplete":0,"excellent":0,"good":0,"satisfactory":0,"failing":0}`; got != want {
			t.Errorf("6А figures = %s, want %s", got, want)
		}
		if got := repJSON(p.Classes[0].Subjects[0].Figures); !strings.Contains(got, `"success":83.33,"quality":66.67,"sou":61.83,"average":4.2`) {
			t.Errorf("5А math = %s", got)
		}
	})
}

func TestBuildPerformanceByMarks(t *testing.T) {
	in := repSchool()
	in.Definition = ejournal.ByMarks
	p := ejournal.BuildPerformance(in)
	if p.Definition != ejournal.ByMarks || p.DefinitionText != ejournal.ByMarks.Explain() {
		t.Errorf("definition %q %+v", p.Definition, p.DefinitionText)
	}
	tests := []struct {
		name             string
		got              ejournal.Figures
		n                int
		success, quality ejournal.Hundredths
	}{
		// Across subjects the two definitions differ: 15/16 and 13/16
		// of marks against 5/6 and 4/6 of students.
		{"5А across subjects", p.Classes[0].Figures, 16, 9375, 8125},
		// 20 and 16 of 22 marks against 7 and 5 of 9 students.
		{"school", p.School, 22, 9091, 7273},
		// One subject: the same as by students.
		{"5А math", p.Classes[0].Subjects[0].Figures, 6, 8333, 6667},
		{"5А pe", p.Classes[0].Subjects[2].Figures, 4, 10000, 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.N != tt.n || *tt.got.Success != tt.success || *tt.got.Quality != tt.quality {
				t.Errorf("N %d, success %v, quality %v; want %d, %v, %v", tt.got.N, tt.got.Success, tt.got.Quality, tt.n, tt.success, tt.quality)
			}
		})
	}
	// СОУ and the average are over marks under both definitions.
	if *p.Classes[0].Figures.SOU != 7269 || *p.Classes[0].Figures.Average != 433 {
		t.Errorf("5А СОУ %v, average %v", p.Classes[0].Figures.SOU, p.Classes[0].Figures.Average)
	}
}

func TestBuildPerformanceGroups(t *testing.T) {
	// English is taught to 5А in two groups by two teachers: a student
	// studies it in the group listed, or, in no listed group, in the group
	// of the teacher who confirmed the student's term mark.
	in := ejournal.PerformanceInput{
		Scope: ejournal.Scope{
			Classes: []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}},
			Roster: []ejournal.RosterEntry{
				{StudentID: "s1", LastName: "А", ClassID: "c5a"},
				{StudentID: "s2", LastName: "Б", ClassID: "c5a"},
				{StudentID: "s3", LastName: "В", ClassID: "c5a"},
				{StudentID: "s4", LastName: "Г", ClassID: "c5a"},
			},
			Assignments: []*ejournal.Assignment{
				{TeacherID: "t1", ClassID: "c5a", SubjectID: "eng", GroupID: "g1"},
				{TeacherID: "t2", ClassID: "c5a", SubjectID: "eng", GroupID: "g2"},
			},
			Groups: map[string][]string{"g1": {"s1", "s2"}},
		},
		Period: "q2", End: "2025-12-28",
		TermMarks: []*ejournal.TermMark{
			{StudentID: "s1", SubjectID: "eng", Period: "q2", Value: "5"},
			{StudentID: "s3", SubjectID: "eng", Period: "q2", Value: "3", ConfirmedBy: "t2"},
			{StudentID: "s4", SubjectID: "art", Period: "q2", Value: "4"}, // no assignment: counted, no teacher
		},
	}
	p := ejournal.BuildPerformance(in)
	if len(p.Teachers) != 2 || len(p.Subjects) != 2 || p.Subjects[0].SubjectID != "art" || p.Subjects[1].SubjectID != "eng" {
		t.Fatalf("teachers %s, subjects %s", repJSON(p.Teachers), repJSON(p.Subjects))
	}
	tests := []struct {
		name                       string
		got                        ejournal.Figures
		roll, students, noMark, n5 int
	}{
		// s1 (5), s2 (g1, no mark), s3 (g2: t2 confirmed the 3); s4 neither.
		{"t1 (g1)", p.Teachers[0].Figures, 2, 1, 1, 1},
		{"t2 (g2)", p.Teachers[1].Figures, 1, 1, 0, 0},
		{"art", p.Subjects[0].Figures, 1, 1, 0, 0},
		{"eng", p.Subjects[1].Figures, 3, 2, 1, 1},
		{"class", p.Classes[0].Figures, 4, 3, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Roll != tt.roll || tt.got.Students != tt.students || tt.got.NoMark != tt.noMark || tt.got.N5 != tt.n5 {
				t.Errorf("figures %s; want roll %d, students %d, no mark %d, n5 %d", repJSON(tt.got), tt.roll, tt.students, tt.noMark, tt.n5)
			}
		})
	}
}

func TestBuildSummarySheet(t *testing.T) {
	sh := ejournal.BuildSummarySheet(repSchool(), "c5a")
	if sh.ClassName != "5А" || sh.Period != "q2" || sh.Definition != ejournal.ByStudents {
		t.Errorf("header %q %q %q", sh.ClassName, sh.Period, sh.Definition)
	}
	var subjects []string
	for _, s := range sh.Subjects {
		subjects = append(subjects, s.SubjectID)
	}
	if !slices.Equal(subjects, []string{"math", "rus", "pe"}) {
		t.Errorf("subjects %v", subjects)
	}
	// In name order (Ёлкина as Елкина, after Дмитриева); Егоров, who left
	// on 2025-11-15, is not on the sheet.
	want := []ejournal.SheetRow{
		{StudentID: "a1", Name: "Антонов Антон", Marks: []ejournal.TermValue{"5", "5", "5"}, Average: repH(500), Category: ejournal.Excellent},
		{StudentID: "a2", Name: "Борисова Вера", Marks: []ejournal.TermValue{"5", "4", ejournal.Exempt}, Average: repH(450), Category: ejournal.Good},
		{StudentID: "a3", Name: "Волков Глеб", Marks: []ejournal.TermValue{"3", "4", "5"}, Average: repH(400), Category: ejournal.Satisfactory},
		{StudentID: "a4", Name: "Григорьев Денис", Marks: []ejournal.TermValue{ejournal.NotAssessed, "3", "4"}, Average: repH(350), Category: ejournal.Failing},
		{StudentID: "a5", Name: "Дмитриева Ева", Marks: []ejournal.TermValue{"4", "5", "5"}, Average: repH(467), Category: ejournal.Good},
		{StudentID: "a7", Name: "Ёлкина Зоя", Arrived: "2025-11-20", Marks: []ejournal.TermValue{"4", "4", ""}, Average: repH(400), Category: ejournal.Good},
	}
	if !reflect.DeepEqual(sh.Rows, want) {
		t.Errorf("rows =\n%s\nwant\n%s", repJSON(sh.Rows), repJSON(want))
	}
	p := ejournal.BuildPerformance(repSchool())
	if !reflect.DeepEqual(sh.Figures, p.Classes[0].Figures) || !reflect.DeepEqual(sh.Subjects, p.Classes[0].Subjects) {
		t.Errorf("sheet figures %s differ from the class's %s", repJSON(sh.Figures), repJSON(p.Classes[0].Figures))
	}
	empty := ejournal.BuildSummarySheet(repSchool(), "c6a")
	if len(empty.Rows) != 2 || empty.Figures.N != 0 || empty.Figures.Success != nil || !slices.Equal(empty.Rows[0].Marks, []ejournal.TermValue{""}) || empty.Rows[0].Category != "" || empty.Rows[0].Average != nil {
		t.Errorf("6А sheet %s", repJSON(empty))
	}
}

func TestBuildClassTeacherReport(t *testing.T) {
	tests := []struct {
		class                      string
		oneThree, oneFour, failing []ejournal.StudentSubject
	}{
		{"c5a",
			// Григорьев has a 3 too, but also н/а; Ёлкина has two 4s.
			[]ejournal.StudentSubject{{StudentID: "a3", Name: "Волков Глеб", SubjectID: "math", Value: "3"}},
			// Борисова's exempt pe is ignored.
			[]ejournal.StudentSubject{
				{StudentID: "a2", Name: "Борисова Вера", SubjectID: "rus", Value: "4"},
				{StudentID: "a5", Name: "Дмитриева Ева", SubjectID: "math", Value: "4"},
			},
			[]ejournal.StudentSubject{{StudentID: "a4", Name: "Григорьев Денис", SubjectID: "math", Value: ejournal.NotAssessed}},
		},
		{"c5b",
			[]ejournal.StudentSubject{{StudentID: "b3", Name: "Иванов Лев", SubjectID: "rus", Value: "3"}},
			[]ejournal.StudentSubject{},
			[]ejournal.StudentSubject{{StudentID: "b1", Name: "Жуков Иван", SubjectID: "math", Value: "2"}},
		},
		{"c6a", []ejournal.StudentSubject{}, []ejournal.StudentSubject{}, []ejournal.StudentSubject{}},
	}
	p := ejournal.BuildPerformance(repSchool())
	for i, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			r := ejournal.BuildClassTeacherReport(repSchool(), tt.class)
			if !reflect.DeepEqual(r.OneThree, tt.oneThree) || !reflect.DeepEqual(r.OneFour, tt.oneFour) || !reflect.DeepEqual(r.Failing, tt.failing) {
				t.Errorf("one 3 %s, one 4 %s, failing %s", repJSON(r.OneThree), repJSON(r.OneFour), repJSON(r.Failing))
			}
			if !reflect.DeepEqual(r.Figures, p.Classes[i].Figures) || r.Definition != ejournal.ByStudents {
				t.Errorf("figures %s, want %s", repJSON(r.Figures), repJSON(p.Classes[i].Figures))
			}
		})
	}
}

func TestBuildAttendanceReport(t *testing.T) {
	lesson := func(id, class, group string, d ejournal.Date, period int) *ejournal.Lesson {
		return &ejournal.Lesson{ID: id, ClassID: class, GroupID: group, Date: d, Period: period}
	}
	rec := func(lesson, student string, d ejournal.Date, c ejournal.AttendanceCode) *ejournal.AttendanceRecord {
		return &ejournal.AttendanceRecord{LessonID: lesson, StudentID: student, Date: d, Code: c}
	}
	in := ejournal.AttendanceInput{
		Scope: ejournal.Scope{
			Classes: []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}, {ID: "c5b", Grade: 5, Letter: "Б"}, {ID: "c6a", Grade: 6, Letter: "А"}},
			Roster: []ejournal.RosterEntry{
				{StudentID: "a1", LastName: "Антонов", FirstName: "Антон", ClassID: "c5a"},
				{StudentID: "a3", LastName: "Волков", FirstName: "Глеб", ClassID: "c5a"},
				{StudentID: "a6", LastName: "Егоров", FirstName: "Жан", ClassID: "c5a", Left: "2025-11-15"},
				{StudentID: "a7", LastName: "Ёлкина", FirstName: "Зоя", ClassID: "c5a", Arrived: "2025-11-20"},
				{StudentID: "b1", LastName: "Жуков", FirstName: "Иван", ClassID: "c5b"},
				{StudentID: "c1", LastName: "Ким", FirstName: "Мира", ClassID: "c6a"},
			},
			Groups: map[string][]string{"g1": {"a1"}},
		},
		From: "2025-11-17", To: "2025-11-21",
		Lessons: []*ejournal.Lesson{
			lesson("L0", "c5a", "", "2025-11-14", 1), // before the period
			lesson("L1", "c5a", "", "2025-11-17", 1),
			lesson("L2", "c5a", "", "2025-11-17", 2), // attendance not taken
			lesson("L3", "c5a", "", "2025-11-18", 1),
			lesson("L4", "c5a", "", "2025-11-19", 1),
			lesson("L5", "c5a", "", "2025-11-20", 1),
			lesson("L6", "c5a", "", "2025-11-20", 2),
			lesson("L7", "c5a", "g1", "2025-11-21", 1), // g1 is listed: a1 only
			lesson("L8", "c5a", "g2", "2025-11-21", 2), // g2 is not: those with a record
			lesson("L9", "c5a", "", "2025-11-24", 1),   // after the period
			lesson("M1", "c5b", "", "2025-11-18", 1),
		},
		Records: []*ejournal.AttendanceRecord{
			rec("L0", "a1", "2025-11-14", ejournal.Absent),
			rec("L1", "a1", "2025-11-17", ejournal.Present),
			rec("L3", "a1", "2025-11-18", ejournal.Present),
			rec("L4", "a1", "2025-11-19", ejournal.Present),
			rec("L5", "a1", "2025-11-20", ejournal.Present),
			rec("L6", "a1", "2025-11-20", ejournal.Present),
			rec("L7", "a1", "2025-11-21", ejournal.Present),
			rec("L1", "a3", "2025-11-17", ejournal.Absent),
			rec("L3", "a3", "2025-11-18", ejournal.Ill),
			rec("L4", "a3", "2025-11-19", ejournal.Excused),
			rec("L5", "a3", "2025-11-20", ejournal.Late),
			rec("L6", "a3", "2025-11-20", ejournal.Present),
			rec("L7", "a3", "2025-11-21", ejournal.Absent), // not in g1's list: ignored
			rec("L8", "a3", "2025-11-21", ejournal.Absent),
			rec("L1", "a6", "2025-11-17", ejournal.Absent), // left: not on the report
			rec("L3", "a7", "2025-11-18", ejournal.Absent), // before arriving: ignored
			rec("L5", "a7", "2025-11-20", ejournal.Ill),
			rec("L6", "a7", "2025-11-20", ejournal.Present),
			rec("M1", "b1", "2025-11-18", ejournal.Ill),
		},
	}
	r := ejournal.BuildAttendanceReport(in)
	want := &ejournal.AttendanceReport{From: "2025-11-17", To: "2025-11-21", Classes: []ejournal.ClassAttendance{
		{ClassID: "c5a", ClassName: "5А", Lessons: 8,
			// 16 lessons held, 5 missed: (16 − 5) / 16
			Figures: ejournal.AttendanceFigures{Held: 16, Missed: 5, Ill: 2, Excused: 1, Unexcused: 2, Late: 1, Unrecorded: 2, Percent: repH(6875)},
			Students: []ejournal.StudentAttendance{
				// L1–L7; L2 without a record counts as attended
				{StudentID: "a1", Name: "Антонов Антон", Figures: ejournal.AttendanceFigures{Held: 7, Unrecorded: 1, Percent: repH(10000)}},
				// L1–L6 and L8; missed н, б, у, н; late is not a miss: 3/7
				{StudentID: "a3", Name: "Волков Глеб", Figures: ejournal.AttendanceFigures{Held: 7, Missed: 4, Ill: 1, Excused: 1, Unexcused: 2, Late: 1, Unrecorded: 1, Percent: repH(4286)}},
				// from 2025-11-20: L5, L6
				{StudentID: "a7", Name: "Ёлкина Зоя", Arrived: "2025-11-20", Figures: ejournal.AttendanceFigures{Held: 2, Missed: 1, Ill: 1, Percent: repH(5000)}},
			}},
		{ClassID: "c5b", ClassName: "5Б", Lessons: 1,
			Figures: ejournal.AttendanceFigures{Held: 1, Missed: 1, Ill: 1, Percent: repH(0)},
			Students: []ejournal.StudentAttendance{
				{StudentID: "b1", Name: "Жуков Иван", Figures: ejournal.AttendanceFigures{Held: 1, Missed: 1, Ill: 1, Percent: repH(0)}},
			}},
		// No lessons: no percentage.
		{ClassID: "c6a", ClassName: "6А", Students: []ejournal.StudentAttendance{{StudentID: "c1", Name: "Ким Мира"}}},
	},
		// (17 − 6) / 17
		School: ejournal.AttendanceFigures{Held: 17, Missed: 6, Ill: 3, Excused: 1, Unexcused: 2, Late: 1, Unrecorded: 2, Percent: repH(6471)},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("report =\n%s\nwant\n%s", repJSON(r), repJSON(want))
	}
}
