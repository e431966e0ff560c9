package demo

import (
	"context"
	"fmt"
	"sync"

	"ejournal/internal/ejournal"
)

// workers is how many writes run at once. DynamoDB Local applies writes one
// at a time (a single SQLite queue) and gains nothing from more; against
// DynamoDB in AWS they hide the network's latency.
const workers = 4

// job is one write of the seed.
type job func(context.Context) error

// Seeded reports whether a complete demo is in d: the director of SchoolID,
// the last record Seed writes, exists.
func Seeded(ctx context.Context, d ejournal.DirectoryService) (bool, error) {
	_, err := d.Person(ctx, SchoolID, DirectorID)
	switch ejournal.ErrorCode(err) {
	case "":
		return true, nil
	case ejournal.ENOTFOUND:
		return false, nil
	}
	return false, fmt.Errorf("check demo: %w", err)
}

// Seed writes both demo schools unless a complete demo is already there,
// and reports whether it wrote them. Records that already exist are kept,
// so a seed cut short is completed by the next one.
func Seed(ctx context.Context, d ejournal.DirectoryService) (bool, error) {
	if ok, err := Seeded(ctx, d); ok || err != nil {
		return false, err
	}
	var plans []*plan
	for _, s := range schools {
		p, err := s.build()
		if err != nil {
			return false, err
		}
		plans = append(plans, p)
	}
	// Each phase needs the records of the ones before it.
	phases := make([][]job, 5)
	for _, p := range plans {
		phases[0] = append(phases[0], create(d.CreateSchool, p.school, p.school.ID))
		phases[1] = append(phases[1], create(d.CreateYear, p.year, p.year.ID))
		phases[1] = append(phases[1], creates(d.CreatePerson, p.teachers, func(v *ejournal.Person) string { return v.ID })...)
		phases[1] = append(phases[1], creates(d.CreateSubject, p.subjects, func(v *ejournal.Subject) string { return v.ID })...)
		phases[2] = append(phases[2], creates(d.CreateClass, p.classes, func(v *ejournal.Class) string { return v.ID })...)
		phases[3] = append(phases[3], creates(d.CreateGroup, p.groups, func(v *ejournal.Group) string { return v.ID })...)
		phases[3] = append(phases[3], creates(d.CreatePerson, p.students, func(v *ejournal.Person) string { return v.ID })...)
		phases[4] = append(phases[4], creates(d.CreateAssignment, p.assignments, func(v *ejournal.Assignment) string { return v.ID })...)
	}
	for _, jobs := range phases {
		if err := runAll(ctx, jobs); err != nil {
			return false, err
		}
	}
	// The directors go last, SchoolID's at the very end (see Seeded).
	for i := len(plans) - 1; i >= 0; i-- {
		if err := create(d.CreatePerson, plans[i].director, DirectorID)(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// create is the job that writes v with fn; a record that already exists
// (from an earlier, interrupted seed) counts as written.
func create[T any](fn func(context.Context, *T) error, v *T, id string) job {
	return func(ctx context.Context) error {
		if err := fn(ctx, v); err != nil && ejournal.ErrorCode(err) != ejournal.ECONFLICT {
			return fmt.Errorf("seed %T %s: %w", v, id, err)
		}
		return nil
	}
}

func creates[T any](fn func(context.Context, *T) error, vs []*T, id func(*T) string) []job {
	jobs := make([]job, len(vs))
	for i, v := range vs {
		jobs[i] = create(fn, v, id(v))
	}
	return jobs
}

// runAll runs jobs on a few goroutines and returns the first error; after
// an error the jobs still waiting are abandoned.
func runAll(ctx context.Context, jobs []job) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan job)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for j := range next {
				if err := j(ctx); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// Count measures a school's directory for the demo year: classes, groups,
// subjects, assignments, students on the class lists, and the distinct
// teachers that teach or lead a class.
func Count(ctx context.Context, d ejournal.DirectoryService, schoolID string) (Counts, error) {
	var c Counts
	classes, err := d.Classes(ctx, schoolID, ejournal.ClassFilter{YearID: YearID})
	if err != nil {
		return c, err
	}
	groups, err := d.Groups(ctx, schoolID, ejournal.GroupFilter{})
	if err != nil {
		return c, err
	}
	subjects, err := d.Subjects(ctx, schoolID)
	if err != nil {
		return c, err
	}
	assignments, err := d.Assignments(ctx, schoolID, ejournal.AssignmentFilter{YearID: YearID})
	if err != nil {
		return c, err
	}
	teachers := map[string]bool{}
	for _, a := range assignments {
		teachers[a.TeacherID] = true
	}
	for _, cl := range classes {
		if cl.ClassTeacherID != "" {
			teachers[cl.ClassTeacherID] = true
		}
		students, err := d.ClassStudents(ctx, schoolID, cl.ID)
		if err != nil {
			return c, err
		}
		c.Students += len(students)
	}
	c.Classes, c.Groups, c.Subjects, c.Assignments, c.Teachers = len(classes), len(groups), len(subjects), len(assignments), len(teachers)
	return c, nil
}
