package dynamo_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// countingAPI is the real client with counts of the read requests; the
// views call it from several goroutines at once.
type countingAPI struct {
	dynamo.API
	queries, gets atomic.Int64
}

func (c *countingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.queries.Add(1)
	return c.API.Query(ctx, in, opts...)
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.API.GetItem(ctx, in, opts...)
}

func (c *countingAPI) reset() { c.queries.Store(0); c.gets.Store(0) }

// journalClass is a seeded class: n students and lessons of one subject,
// with marks and attendance, written through the store.
type journalClass struct {
	School   string
	Year     *ejournal.SchoolYear
	Term     ejournal.Term
	Class    *ejournal.Class
	Subject  *ejournal.Subject
	Teacher  *ejournal.Person
	Students []*ejournal.Person
	Lessons  []*ejournal.Lesson
	// Marks and Absent count what was written.
	Marks, Absent int
}

// seedJournal writes a school whose class has students students and lessons
// lessons (one a school day from 1 September), each student getting a mark
// on two or three lessons of every five and an н on every seventh.
func seedJournal(tb testing.TB, db *dynamo.DB, sid string, students, lessons int) *journalClass {
	tb.Helper()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	teacher := &ejournal.Person{SchoolID: sid, Kind: ejournal.Staff, LastName: "Учителева", FirstName: "Анна"}
	ctx := ejournal.WithPrincipal(context.Background(), &ejournal.Principal{PersonID: "seeder", SchoolID: sid})
	must(db.CreateSchool(ctx, &ejournal.School{ID: sid, Name: "Школа " + sid, TimeZone: "Asia/Yekaterinburg"}))
	j := &journalClass{School: sid, Year: &ejournal.SchoolYear{SchoolID: sid, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "h1", Name: "I полугодие", Start: "2025-09-01", End: "2025-12-28"}, {ID: "h2", Name: "II полугодие", Start: "2026-01-12", End: "2026-05-26"}}}}
	must(db.CreateYear(ctx, j.Year))
	j.Term = j.Year.Terms[0]
	must(db.CreatePerson(ctx, teacher))
	j.Teacher = teacher
	j.Class = &ejournal.Class{SchoolID: sid, YearID: j.Year.ID, Grade: 7, Letter: "Б", ClassTeacherID: teacher.ID}
	must(db.CreateClass(ctx, j.Class))
	j.Subject = &ejournal.Subject{SchoolID: sid, Name: "Алгебра", ShortName: "Алг"}
	must(db.CreateSubject(ctx, j.Subject))
	must(db.CreateAssignment(ctx, &ejournal.Assignment{SchoolID: sid, YearID: j.Year.ID, TeacherID: teacher.ID, ClassID: j.Class.ID, SubjectID: j.Subject.ID}))
	for i := range students {
		p := &ejournal.Person{SchoolID: sid, Kind: ejournal.Student, LastName: fmt.Sprintf("Ученик%02d", i), FirstName: "Иван", ClassID: j.Class.ID}
		must(db.CreatePerson(ctx, p))
		j.Students = append(j.Students, p)
	}
	day := j.Year.Start.Time()
	for n := range lessons {
		for day.Weekday() == 0 || day.Weekday() == 6 {
			day = day.AddDate(0, 0, 1)
		}
		l := &ejournal.Lesson{SchoolID: sid, Date: ejournal.DateOf(day), ClassID: j.Class.ID, SubjectID: j.Subject.ID, TeacherID: teacher.ID, Period: 2,
			Topic: fmt.Sprintf("Тема %d", n+1), Homework: "№ " + fmt.Sprint(n+10)}
		must(db.CreateLesson(ctx, l))
		j.Lessons = append(j.Lessons, l)
		day = day.AddDate(0, 0, 1)
		var marks []*ejournal.Mark
		var att []ejournal.AttendanceRecord
		for i, p := range j.Students {
			code := ejournal.Present
			if (i+n)%7 == 0 {
				code = ejournal.Absent
				j.Absent++
			} else if k := (i + n) % 5; k < 2 || (k == 2 && i%2 == 0) {
				work := []string{"classwork", "oral", "test"}[(i+n)%3]
				marks = append(marks, &ejournal.Mark{StudentID: p.ID, Value: 2 + (i*3+n)%4, WorkType: work})
			}
			att = append(att, ejournal.AttendanceRecord{StudentID: p.ID, Code: code})
		}
		if len(marks) > 0 {
			must(db.CreateMarks(ctx, l, marks))
			j.Marks += len(marks)
		}
		_, _, err := db.SetLessonAttendance(ctx, l, att)
		must(err)
	}
	return j
}

// openCounting returns a store on a new table whose client counts reads.
func openCounting(tb testing.TB) (*dynamo.DB, *countingAPI) {
	tb.Helper()
	c := dynamotest.Client(tb)
	counter := &countingAPI{API: c}
	return dynamo.New(counter, dynamotest.NewTable(tb, c)), counter
}

// TestViewRequestCounts checks that the journal and diary views issue the
// same fixed number of requests for a class of 2 and of 30 students.
func TestViewRequestCounts(t *testing.T) {
	t.Parallel()
	for _, students := range []int{2, 30} {
		t.Run(fmt.Sprint(students), func(t *testing.T) {
			t.Parallel()
			db, counter := openCounting(t)
			j := seedJournal(t, db, "count", students, 12)
			ctx := t.Context()
			tests := []struct {
				name          string
				run           func() (int, error)
				queries, gets int64
			}{
				{"journal", func() (int, error) {
					v, err := db.ClassJournal(ctx, j.School, j.Class.ID, j.Subject.ID, j.Year.ID, j.Term)
					if err != nil {
						return 0, err
					}
					return len(v.Lessons) + len(v.Marks) + len(v.Attendance) + len(v.Students), nil
				}, 5, 1},
				{"diary", func() (int, error) {
					v, err := db.StudentDiary(ctx, j.School, j.Students[0].ID, j.Class.ID, j.Term.Start, j.Term.End)
					if err != nil {
						return 0, err
					}
					return len(v.Lessons) + len(v.Marks) + len(v.Attendance), nil
				}, 4, 0},
				{"summary", func() (int, error) {
					v, err := db.StudentSummary(ctx, j.School, j.Students[0].ID, j.Year.ID, j.Term)
					if err != nil {
						return 0, err
					}
					return len(v.Marks), nil
				}, 3, 1},
				{"overview", func() (int, error) {
					v, err := db.ClassOverview(ctx, j.School, j.Class.ID, j.Year.ID, j.Term)
					if err != nil {
						return 0, err
					}
					return len(v.Journals[j.Subject.ID].Marks), nil
				}, 3 + 3, 1}, // roster, subjects, assignments; 3 for the one subject
			}
			for _, tt := range tests {
				counter.reset()
				n, err := tt.run()
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				if n == 0 {
					t.Errorf("%s read nothing", tt.name)
				}
				if q, g := counter.queries.Load(), counter.gets.Load(); q != tt.queries || g != tt.gets {
					t.Errorf("%s: %d Queries and %d GetItems, want %d and %d", tt.name, q, g, tt.queries, tt.gets)
				}
			}
		})
	}
}

// TestClassJournalContents checks that the journal holds every lesson,
// mark and attendance record of the term and nothing of the other term.
func TestClassJournalContents(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	j := seedJournal(t, db, "contents", 3, 6)
	ctx := t.Context()
	v, err := db.ClassJournal(ctx, j.School, j.Class.ID, j.Subject.ID, j.Year.ID, j.Term)
	must(t, err)
	if len(v.Lessons) != 6 || len(v.Marks) != j.Marks || len(v.Attendance) != 18 || len(v.Students) != 3 || v.Settings == nil {
		t.Fatalf("journal: %d lessons, %d marks, %d attendance, %d students; want 6, %d, 18, 3", len(v.Lessons), len(v.Marks), len(v.Attendance), len(v.Students), j.Marks)
	}
	other, err := db.ClassJournal(ctx, j.School, j.Class.ID, j.Subject.ID, j.Year.ID, j.Year.Terms[1])
	must(t, err)
	if len(other.Lessons)+len(other.Marks)+len(other.Attendance) != 0 {
		t.Fatalf("the second term shows %d lessons, %d marks, %d attendance", len(other.Lessons), len(other.Marks), len(other.Attendance))
	}
	d, err := db.StudentDiary(ctx, j.School, j.Students[1].ID, j.Class.ID, j.Lessons[0].Date, j.Lessons[2].Date)
	must(t, err)
	if len(d.Lessons) != 3 || len(d.Attendance) != 3 {
		t.Fatalf("diary of 3 days: %d lessons, %d attendance", len(d.Lessons), len(d.Attendance))
	}
	for _, m := range d.Marks {
		if m.SubjectID != j.Subject.ID || m.StudentID != j.Students[1].ID {
			t.Errorf("diary mark %+v: subject %q", m.Mark, m.SubjectID)
		}
	}
}
