package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"ejournal/internal/auth"
	"ejournal/internal/ejournal"
)

// workers is how many writes run at once. DynamoDB Local applies writes one
// at a time (a single SQLite queue) and gains nothing from more; against
// DynamoDB in AWS they hide the network's latency.
const workers = 4

// job is one write of the seed.
type job func(context.Context) error

// Store is what the demo is written to: the directory, the records of
// people, the accounts, the timetable with its lessons, and the journal.
type Store interface {
	ejournal.DirectoryService
	ejournal.RecordsService
	ejournal.IdentityService
	TimetableStore
	JournalStore
}

// markerLogin is the account Seed writes last: the director of SchoolID's.
// Its presence marks a complete seed.
const markerLogin = "director"

// Seeded reports whether a complete demo is in s: the account Seed writes
// last exists.
func Seeded(ctx context.Context, s Store) (bool, error) {
	_, err := s.Account(ctx, markerLogin)
	switch ejournal.ErrorCode(err) {
	case "":
		return true, nil
	case ejournal.ENOTFOUND:
		return false, nil
	}
	return false, fmt.Errorf("check demo: %w", err)
}

// errOldDemo is the answer to a table whose demo was written before staff
// had roles and accounts: Seed does not change records that exist.
var errOldDemo = errors.New("the table holds a demo written by an earlier version, without roles and accounts: " +
	"delete it (for make run: rm -rf .data/dynamodb) and start again")

// plans builds the plans of both demo schools.
func plans() ([]*plan, error) {
	var out []*plan
	for _, s := range schools {
		p, err := s.build()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Seed writes both demo schools and their accounts, all with password,
// unless a complete demo is already there, and reports whether it wrote
// them: the directory, the timetable with the lessons of the current term,
// the journal up to yesterday (SeedJournal) and last the accounts. Records
// that already exist are kept, so a seed cut short is completed by the
// next one. When the demo is there, every demo account whose password is
// no longer password gets it back (and needs no change of it), so the
// password the local server prints is always the one; a demo written
// before there was a journal stays without one (its marks would reach the
// parents as notices).
func Seed(ctx context.Context, s Store, password string) (bool, error) {
	ps, err := plans()
	if err != nil {
		return false, err
	}
	if ok, err := Seeded(ctx, s); err != nil {
		return false, err
	} else if ok {
		// A demo written before there were timetables gets one now.
		if _, _, err := SeedTimetable(ctx, s, time.Now()); err != nil {
			return false, err
		}
		return false, restorePasswords(ctx, s, ps, password)
	}
	switch t, err := s.Person(ctx, SchoolID, TeacherID(1)); {
	case err == nil && len(t.Roles) == 0:
		return false, errOldDemo
	case err != nil && ejournal.ErrorCode(err) != ejournal.ENOTFOUND:
		return false, err
	}
	// Each phase needs the records of the ones before it. People go in
	// bulk (ImportPeople), the rest one record at a time.
	phases := make([][]job, 5)
	for _, p := range ps {
		sid := p.school.ID
		phases[0] = append(phases[0], create(s.CreateSchool, p.school, sid))
		phases[1] = append(phases[1], create(s.CreateYear, p.year, p.year.ID), importPeople(s, sid, p.staff, nil))
		phases[1] = append(phases[1], creates(s.CreateSubject, p.subjects, func(v *ejournal.Subject) string { return v.ID })...)
		phases[2] = append(phases[2], creates(s.CreateClass, p.classes, func(v *ejournal.Class) string { return v.ID })...)
		phases[3] = append(phases[3], importPeople(s, sid, append(slices.Clone(p.students), p.parents...), p.links))
		phases[3] = append(phases[3], creates(s.CreateGroup, p.groups, func(v *ejournal.Group) string { return v.ID })...)
		phases[4] = append(phases[4], creates(s.CreateAssignment, p.assignments, func(v *ejournal.Assignment) string { return v.ID })...)
	}
	for _, jobs := range phases {
		if err := runAll(ctx, jobs); err != nil {
			return false, err
		}
	}
	// The timetable's lessons are those of the term of now, and the
	// journal is filled up to the day before.
	now := time.Now()
	if _, _, err := SeedTimetable(ctx, s, now); err != nil {
		return false, err
	}
	if _, err := SeedJournal(ctx, s, now); err != nil {
		return false, err
	}
	// One hash serves every account: they share the password anyway.
	hash := auth.HashPassword(password)
	var accounts, marker []job
	for _, p := range ps {
		for _, a := range p.accounts {
			j := create(s.CreateAccount, &ejournal.Account{Login: a.Login, SchoolID: a.SchoolID, PersonID: a.PersonID, PasswordHash: hash}, a.Login)
			if a.SchoolID == SchoolID && a.Login == markerLogin {
				marker = append(marker, j)
			} else {
				accounts = append(accounts, j)
			}
		}
	}
	for _, jobs := range [][]job{accounts, marker} {
		if err := runAll(ctx, jobs); err != nil {
			return false, err
		}
	}
	return true, nil
}

// importPeople is the job that writes people and links in bulk; those
// that exist are left as they are.
func importPeople(s Store, schoolID string, people []*ejournal.Person, links []ejournal.Link) job {
	return func(ctx context.Context) error {
		if err := s.ImportPeople(ctx, schoolID, people, links); err != nil {
			return fmt.Errorf("seed people of %s: %w", schoolID, err)
		}
		return nil
	}
}

// restorePasswords gives password back to every demo account that has
// another (changed through the API, or a different DEMO_PASSWORD).
func restorePasswords(ctx context.Context, s Store, ps []*plan, password string) error {
	hash := sync.OnceValue(func() string { return auth.HashPassword(password) })
	var jobs []job
	for _, p := range ps {
		for _, da := range p.accounts {
			jobs = append(jobs, func(ctx context.Context) error {
				a, err := s.Account(ctx, da.Login)
				if err != nil {
					return fmt.Errorf("demo account %s: %w", da.Login, err)
				}
				if ok, err := auth.VerifyPassword(a.PasswordHash, password); err == nil && ok && !a.MustChange {
					return nil
				}
				a.PasswordHash, a.MustChange = hash(), false
				if err := s.UpdateAccount(ctx, a); err != nil {
					return fmt.Errorf("demo account %s: %w", da.Login, err)
				}
				return nil
			})
		}
	}
	return runAll(ctx, jobs)
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

// Count measures a school's records for the demo year: classes, groups,
// subjects, assignments, students on the class lists, the distinct teachers
// that teach or lead a class, all staff and all parents.
func Count(ctx context.Context, s Store, schoolID string) (Counts, error) {
	var c Counts
	classes, err := s.Classes(ctx, schoolID, ejournal.ClassFilter{YearID: YearID})
	if err != nil {
		return c, err
	}
	groups, err := s.Groups(ctx, schoolID, ejournal.GroupFilter{})
	if err != nil {
		return c, err
	}
	subjects, err := s.Subjects(ctx, schoolID)
	if err != nil {
		return c, err
	}
	assignments, err := s.Assignments(ctx, schoolID, ejournal.AssignmentFilter{YearID: YearID})
	if err != nil {
		return c, err
	}
	staff, err := s.People(ctx, schoolID, ejournal.PersonFilter{Kind: ejournal.Staff})
	if err != nil {
		return c, err
	}
	parents, err := s.People(ctx, schoolID, ejournal.PersonFilter{Kind: ejournal.Parent})
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
		students, err := s.ClassStudents(ctx, schoolID, cl.ID)
		if err != nil {
			return c, err
		}
		c.Students += len(students)
	}
	c.Classes, c.Groups, c.Subjects, c.Assignments, c.Teachers = len(classes), len(groups), len(subjects), len(assignments), len(teachers)
	c.Staff, c.Parents = len(staff), len(parents)
	return c, nil
}
