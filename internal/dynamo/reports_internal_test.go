package dynamo

// A hook for the reports benchmark (package dynamo_test): a generated school
// written with raw batch writes of items made by the store's own entities,
// so that the items are exactly those the API would have written.

import (
	"context"
	"fmt"
	"sync"

	"ejournal/internal/ejournal"
)

// ReportSchool describes a generated school.
type ReportSchool struct {
	SchoolID, YearID string
	// Students in classes of ClassSize; each class studies Subjects
	// subjects with Lessons lessons each in the first term, and each
	// student has one mark per lesson and a term mark per subject.
	Students, ClassSize, Subjects, Lessons int
}

// ReportSchoolTerm is the term of a generated school's year.
var ReportSchoolTerm = ejournal.Term{ID: "t1", Name: "1 четверть", Start: "2025-09-01", End: "2025-10-26"}

// SeedReportSchool writes the school of spec and returns how many items
// it wrote. Items are written by 8 writers at once.
func (db *DB) SeedReportSchool(ctx context.Context, spec ReportSchool) (int, error) {
	items := make(chan item, 1024)
	errs := make(chan error, 9)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			batch := make([]item, 0, batchSize)
			flush := func() {
				if len(batch) > 0 {
					if err := db.batchPut(ctx, batch); err != nil {
						errs <- err
					}
					batch = batch[:0]
				}
			}
			for m := range items {
				if batch = append(batch, m); len(batch) == batchSize {
					flush()
				}
			}
			flush()
		})
	}
	count := 0
	put := func(e entity, v any) error {
		m, err := e.toItem(v, 1, newRID())
		if err != nil {
			return err
		}
		count++
		items <- m
		return nil
	}
	err := db.generateSchool(spec, put)
	close(items)
	wg.Wait()
	close(errs)
	if err != nil {
		return count, err
	}
	for err := range errs {
		return count, err
	}
	return count, nil
}

// generateSchool makes the records of spec and hands each to put.
func (db *DB) generateSchool(spec ReportSchool, put func(entity, any) error) error {
	sid, yid := spec.SchoolID, spec.YearID
	now := db.Now()
	year := &ejournal.SchoolYear{ID: yid, SchoolID: sid, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{ReportSchoolTerm, {ID: "t2", Name: "2 четверть", Start: "2025-11-05", End: "2025-12-28"}}}
	if err := put(schoolEntity(sid), &ejournal.School{ID: sid, Name: "Школа " + sid, TimeZone: "Europe/Moscow", Version: 1}); err != nil {
		return err
	}
	if err := put(yearEntity(sid, yid), year); err != nil {
		return err
	}
	for j := range spec.Subjects {
		s := &ejournal.Subject{ID: fmt.Sprintf("subj%02d", j), SchoolID: sid, Name: fmt.Sprintf("Предмет %02d", j), Version: 1}
		if err := put(subjectEntity(sid, s.ID), s); err != nil {
			return err
		}
	}
	classes := (spec.Students + spec.ClassSize - 1) / spec.ClassSize
	letters := []string{"А", "Б", "В", "Г", "Д", "Е", "Ж", "З"}
	student := 0
	for i := range classes {
		c := &ejournal.Class{ID: fmt.Sprintf("c%03d", i), SchoolID: sid, YearID: yid, Grade: 1 + i%11, Letter: letters[(i/11)%len(letters)], Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := put(classEntity(c), c); err != nil {
			return err
		}
		var roll []string
		for k := 0; k < spec.ClassSize && student < spec.Students; k++ {
			p := &ejournal.Person{ID: fmt.Sprintf("st%05d", student), SchoolID: sid, Kind: ejournal.Student, LastName: fmt.Sprintf("Фамилия%05d", student), FirstName: "Имя", ClassID: c.ID, Version: 1}
			student++
			roll = append(roll, p.ID)
			if err := put(personEntity(p), p); err != nil {
				return err
			}
		}
		for j := range spec.Subjects {
			subject := fmt.Sprintf("subj%02d", j)
			teacher := fmt.Sprintf("t%02d-%d", j, i%4)
			a := &ejournal.Assignment{ID: fmt.Sprintf("a%03d-%02d", i, j), SchoolID: sid, YearID: yid, TeacherID: teacher, ClassID: c.ID, SubjectID: subject, Version: 1}
			if err := put(assignmentEntity(a), a); err != nil {
				return err
			}
			for n := range spec.Lessons {
				l := &ejournal.Lesson{ID: fmt.Sprintf("l%03d-%02d-%02d", i, j, n), SchoolID: sid, YearID: yid, ClassID: c.ID, SubjectID: subject, TeacherID: teacher,
					Date: ejournal.DateOf(ReportSchoolTerm.Start.Time().AddDate(0, 0, n*5)), Period: 1 + j%7, Topic: "Тема", Version: 1}
				if err := put(lessonEntity(l), l); err != nil {
					return err
				}
				for k, st := range roll {
					m := &ejournal.Mark{ID: markID(l.ID, fmt.Sprintf("m%02d", k)), SchoolID: sid, LessonID: l.ID, StudentID: st, Date: l.Date, Value: 2 + (k+n+j)%4,
						WorkType: "classwork", Weight: 100, TeacherID: teacher, Version: 1}
					if err := put(markEntity(l, m), newMarkItem(l, m)); err != nil {
						return err
					}
				}
			}
			for k, st := range roll {
				tm := &ejournal.TermMark{SchoolID: sid, StudentID: st, YearID: yid, Period: ReportSchoolTerm.ID, SubjectID: subject,
					Value: ejournal.TermValueOf(2 + (k*7+j*3+i)%4), ConfirmedBy: teacher, Version: 1}
				if err := put(termMarkEntity(tm, c.ID), &termMarkItem{TermMark: *tm, ClassID: c.ID}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
