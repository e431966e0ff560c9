package dynamo

import (
	"context"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// The read views of the journal. Each reads whole collections with a fixed
// number of Queries (see the layout in keys.go) and runs them concurrently:
//
//	view            requests
//	class journal   GSI1 journal collection L#, M#, A# (term dates) and T# (term) = 4 Queries;
//	                the roster (GSI1 class collection) = 1 Query; grading settings = 1 GetItem
//	student diary   GSI2 class-day L# (dates) = 1 Query; GSI2 student collection M#, A# (dates)
//	                = 2 Queries; subjects (school partition) = 1 Query
//	student summary GSI2 student collection M# (term dates) = 1 Query; term-marks partition
//	                (the year: term marks, year marks, debts) = 1 Query; subjects = 1 Query;
//	                grading settings = 1 GetItem
//	class overview  assignments (GSI1 class collection) = 1 Query, then per subject of the class
//	                the journal collection's M#, A#, T# = 3 Queries each; roster and subjects
//	                = 2 Queries; grading settings = 1 GetItem
//
// None grows with the number of students or lessons: queryAll follows each
// Query past its 1 MB pages, and only the overview grows, with the subjects
// a class is taught (about 15).

var _ ejournal.ViewService = (*DB)(nil)

// concurrently runs fns at once and returns the first error of them.
func concurrently(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, f := range fns {
		wg.Go(func() { errs[i] = f() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// into returns a step of concurrently that lists q into *out.
func into[T any](ctx context.Context, db *DB, q query, out *[]*T) func() error {
	return func() (err error) {
		*out, err = list[T](ctx, db, q)
		return err
	}
}

// studentMarks lists a student's marks in the student collection (GSI2)
// with their subjects, which the sort key M#<date>#<subj>#<mid> carries.
func (db *DB) studentMarks(ctx context.Context, sid, student string, from, to ejournal.Date, out *[]*ejournal.SubjectMark) func() error {
	return func() error {
		return db.queryAll(ctx, dateRange(indexGSI2, studentCollection(sid, student), markPrefix, from, to), func(m item) error {
			mark := new(ejournal.Mark)
			if err := unmarshal(m, mark); err != nil {
				return ejournal.Internal(err)
			}
			sm := &ejournal.SubjectMark{Mark: mark}
			if sk, ok := m[attrGSI2SK].(*types.AttributeValueMemberS); ok {
				if parts := strings.Split(sk.Value, "#"); len(parts) == 4 {
					sm.SubjectID = parts[2]
				}
			}
			*out = append(*out, sm)
			return nil
		})
	}
}

// journalParts are the steps that read one class × subject journal for a
// term into j: its marks, attendance and term marks, and with lessons its
// lessons too.
func (db *DB) journalParts(ctx context.Context, sid, cid, subject, yid string, term ejournal.Term, lessons bool, j *ejournal.JournalData) []func() error {
	pk := journalCollection(sid, cid, subject)
	steps := []func() error{
		into(ctx, db, dateRange(indexGSI1, pk, markPrefix, term.Start, term.End), &j.Marks),
		into(ctx, db, dateRange(indexGSI1, pk, attendancePrefix, term.Start, term.End), &j.Attendance),
		into(ctx, db, query{index: indexGSI1, pk: pk, skPrefix: termMarkPrefix + yid + "#" + term.ID + "#"}, &j.TermMarks),
	}
	if lessons {
		steps = append(steps, into(ctx, db, dateRange(indexGSI1, pk, lessonPrefix, term.Start, term.End), &j.Lessons))
	}
	return steps
}

// roster and settings are the steps every class view shares.
func (db *DB) classBasics(ctx context.Context, sid, cid, yid string, students *[]*ejournal.Person, settings **ejournal.GradingSettings) []func() error {
	return []func() error{
		func() (err error) { *students, err = db.ClassStudents(ctx, sid, cid); return err },
		func() (err error) { *settings, err = db.GradingSettings(ctx, sid, yid); return err },
	}
}

func (db *DB) subjectsStep(ctx context.Context, sid string, out *[]*ejournal.Subject) func() error {
	return func() (err error) { *out, err = db.Subjects(ctx, sid); return err }
}

// ClassJournal implements ejournal.ViewService: 5 Queries and 1 GetItem.
func (db *DB) ClassJournal(ctx context.Context, sid, cid, subject, yid string, term ejournal.Term) (*ejournal.JournalData, error) {
	j := &ejournal.JournalData{}
	steps := append(db.journalParts(ctx, sid, cid, subject, yid, term, true, j), db.classBasics(ctx, sid, cid, yid, &j.Students, &j.Settings)...)
	if err := concurrently(steps...); err != nil {
		return nil, err
	}
	return j, nil
}

// StudentDiary implements ejournal.ViewService: 4 Queries.
func (db *DB) StudentDiary(ctx context.Context, sid, student, cid string, from, to ejournal.Date) (*ejournal.DiaryData, error) {
	d := &ejournal.DiaryData{}
	err := concurrently(
		into(ctx, db, dateRange(indexGSI2, classDayCollection(sid, cid), lessonPrefix, from, to), &d.Lessons),
		db.studentMarks(ctx, sid, student, from, to, &d.Marks),
		into(ctx, db, dateRange(indexGSI2, studentCollection(sid, student), attendancePrefix, from, to), &d.Attendance),
		db.subjectsStep(ctx, sid, &d.Subjects),
	)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// StudentSummary implements ejournal.ViewService: 3 Queries and 1 GetItem.
func (db *DB) StudentSummary(ctx context.Context, sid, student, yid string, term ejournal.Term) (*ejournal.SummaryData, error) {
	s := &ejournal.SummaryData{}
	err := concurrently(
		db.studentMarks(ctx, sid, student, term.Start, term.End, &s.Marks),
		func() error {
			items, err := list[termMarkItem](ctx, db, query{pk: termMarksPartition(sid, student), skPrefix: yid + "#"})
			for _, it := range items {
				s.TermMarks = append(s.TermMarks, &it.TermMark)
				s.Debts = append(s.Debts, debtOf(it)...)
			}
			return err
		},
		db.subjectsStep(ctx, sid, &s.Subjects),
		func() (err error) { s.Settings, err = db.GradingSettings(ctx, sid, yid); return err },
	)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ClassOverview implements ejournal.ViewService: 3 Queries and 1 GetItem,
// then 3 Queries for each subject the class is assigned in the year.
func (db *DB) ClassOverview(ctx context.Context, sid, cid, yid string, term ejournal.Term) (*ejournal.OverviewData, error) {
	o := &ejournal.OverviewData{Journals: map[string]*ejournal.JournalData{}}
	var assignments []*ejournal.Assignment
	var subjects []*ejournal.Subject
	steps := append(db.classBasics(ctx, sid, cid, yid, &o.Students, &o.Settings),
		db.subjectsStep(ctx, sid, &subjects),
		func() (err error) {
			assignments, err = db.Assignments(ctx, sid, ejournal.AssignmentFilter{YearID: yid, ClassID: cid})
			return err
		})
	if err := concurrently(steps...); err != nil {
		return nil, err
	}
	steps = nil
	for _, a := range assignments {
		if _, ok := o.Journals[a.SubjectID]; ok {
			continue
		}
		j := &ejournal.JournalData{Settings: o.Settings, Students: o.Students}
		o.Journals[a.SubjectID] = j
		steps = append(steps, db.journalParts(ctx, sid, cid, a.SubjectID, yid, term, false, j)...)
	}
	if err := concurrently(steps...); err != nil {
		return nil, err
	}
	for _, s := range subjects { // already by name
		if _, ok := o.Journals[s.ID]; ok {
			o.Subjects = append(o.Subjects, s)
		}
	}
	return o, nil
}
