package demo

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// TestTimetable checks the demo timetables: every assignment for its
// weekly hours, no clash of a class, teacher or room (ejournal.Clashes),
// days no longer than the grade's, and ids that make valid lesson ids.
func TestTimetable(t *testing.T) {
	t.Parallel()
	ps, err := plans()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Run(p.school.ID, func(t *testing.T) {
			entries, err := Timetable(p.school.ID)
			if err != nil {
				t.Fatal(err)
			}
			year := year(p.school.ID)
			grade := map[string]int{}
			for _, c := range p.classes {
				grade[c.ID] = c.Grade
			}
			hours := map[string]int{}
			perDay := map[string]int{}
			ids := map[string]bool{}
			for i, e := range entries {
				if err := e.Validate(year); err != nil {
					t.Fatalf("entry %s: %v", e.ID, err)
				}
				if err := ejournal.Clashes(e, entries[:i], nil); err != nil {
					t.Fatalf("entry %s: %v", e.ID, err)
				}
				if id := ejournal.GeneratedLessonID(e.ID, year.Start); ids[e.ID] || id != "t-"+e.ID+"-20260901" {
					t.Fatalf("entry %s: repeated, or its lessons' ids are hashed (%s)", e.ID, id)
				}
				ids[e.ID] = true
				hours[fmt.Sprint(e.ClassID, e.GroupID, e.SubjectID, e.TeacherID)]++
				day := fmt.Sprint(e.ClassID, e.GroupID, e.Weekday)
				perDay[day]++
				if limit := map[bool]int{true: primaryPeriods, false: basicPeriods}[grade[e.ClassID] <= 4] + extraPeriods; e.Period > limit || perDay[day] > limit || e.Weekday > 5 {
					t.Fatalf("entry %s: day %d, period %d, %d lessons that day", e.ID, e.Weekday, e.Period, perDay[day])
				}
				if e.Room == "" {
					t.Fatalf("entry %s has no room", e.ID)
				}
			}
			total := 0
			for _, a := range p.assignments {
				total += a.HoursPerWeek
				if got := hours[fmt.Sprint(a.ClassID, a.GroupID, a.SubjectID, a.TeacherID)]; got != a.HoursPerWeek {
					t.Errorf("assignment %s: %d lessons a week, want %d", a.ID, got, a.HoursPerWeek)
				}
			}
			if len(entries) != total {
				t.Errorf("%d entries for %d hours a week", len(entries), total)
			}
			t.Logf("%s: %d entries", p.school.ID, len(entries))
		})
	}
	if es, err := Timetable("nope"); es != nil || err != nil {
		t.Errorf("Timetable of another school = %v, %v", es, err)
	}
}

// writeDirectory writes the directory of both demo schools as Seed does,
// with the students when students is set; parents and accounts are left
// out.
func writeDirectory(t *testing.T, db *dynamo.DB, students bool) {
	t.Helper()
	ctx := context.Background()
	ps, err := plans()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		jobs := [][]job{
			{create(db.CreateSchool, p.school, p.school.ID)},
			{create(db.CreateYear, p.year, p.year.ID), importPeople(db, p.school.ID, p.staff, nil)},
			creates(db.CreateSubject, p.subjects, func(v *ejournal.Subject) string { return v.ID }),
			creates(db.CreateClass, p.classes, func(v *ejournal.Class) string { return v.ID }),
			creates(db.CreateGroup, p.groups, func(v *ejournal.Group) string { return v.ID }),
			creates(db.CreateAssignment, p.assignments, func(v *ejournal.Assignment) string { return v.ID }),
		}
		if students {
			jobs[4] = append(jobs[4], importPeople(db, p.school.ID, p.students, nil))
		}
		for _, js := range jobs {
			if err := runAll(ctx, js); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestTermOf(t *testing.T) {
	t.Parallel()
	for today, want := range map[ejournal.Date]string{
		"2026-08-20": "q1", "2026-09-01": "q1", "2026-10-26": "q1", "2026-10-30": "q2", "2026-11-28": "q2",
		"2027-01-01": "q3", "2027-05-26": "q4", "2027-06-15": "q1",
	} {
		if got := TermOf(today).ID; got != want {
			t.Errorf("TermOf(%s) = %s, want %s", today, got, want)
		}
	}
}

// TestSeedTimetable writes the directory of both demo schools (without
// students and parents), then the timetables, on 30 November 2026: the
// lessons of the second term are made, and a teacher finds theirs.
func TestSeedTimetable(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := context.Background()
	writeDirectory(t, db, false)
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // a Monday
	start := time.Now()
	entries, lessons, err := SeedTimetable(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d entries and %d lessons of the second term written in %s", entries, lessons, time.Since(start).Round(time.Millisecond))

	q2 := TermOf("2026-11-30")
	cal := ejournal.DefaultCalendar(SchoolID, YearID)
	want := 0
	for _, sid := range []string{SchoolID, SmallSchoolID} {
		all, err := Timetable(sid)
		if err != nil {
			t.Fatal(err)
		}
		want += len(ejournal.ExpectedLessons(all, cal, nil, q2.Start, q2.End, ""))
		stored, err := db.TimetableEntries(ctx, sid, YearID)
		if err != nil || len(stored) != len(all) {
			t.Fatalf("%s: %d entries stored, want %d (%v)", sid, len(stored), len(all), err)
		}
	}
	if entries != 562 || lessons != want || q2.ID != "q2" {
		t.Fatalf("seeded %d entries and %d lessons of %s, want 562 and %d of q2", entries, lessons, q2.ID, want)
	}

	all, _ := Timetable(SchoolID)
	teacher := TeacherID(9)
	var periods []int
	for _, e := range all {
		if e.TeacherID == teacher && e.Weekday == 1 {
			periods = append(periods, e.Period)
		}
	}
	slices.Sort(periods)
	day, err := db.TeacherLessons(ctx, SchoolID, teacher, "2026-11-30", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, l := range day {
		got = append(got, l.Period)
	}
	if len(periods) == 0 || !slices.Equal(got, periods) {
		t.Fatalf("%s's lessons on Monday 30 November: periods %v, want %v", teacher, got, periods)
	}

	if entries, lessons, err := SeedTimetable(ctx, db, now); entries != 0 || lessons != 0 || err != nil {
		t.Fatalf("seeding again: %d entries, %d lessons, %v; want none", entries, lessons, err)
	}
}
