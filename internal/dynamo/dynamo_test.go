package dynamo_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantError fails unless err carries code and, when fields are given, names
// exactly those fields.
func wantError(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	if got := ejournal.ErrorCode(err); got != code {
		t.Fatalf("error = %v, want code %q", err, code)
	}
	if len(fields) == 0 {
		return
	}
	var e *ejournal.Error
	errors.As(err, &e)
	if got, want := slices.Sorted(maps.Keys(e.Fields)), slices.Sorted(slices.Values(fields)); !slices.Equal(got, want) {
		t.Fatalf("error fields = %v, want %v (%v)", got, want, err)
	}
}

// ids returns the ids of records in order.
func ids[T any](records []*T, id func(*T) string) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = id(r)
	}
	return out
}

// school is one school with one of every directory record.
type school struct {
	*ejournal.School
	Year       *ejournal.SchoolYear
	Teacher    *ejournal.Person
	Student    *ejournal.Person
	Class      *ejournal.Class
	Group      *ejournal.Group
	Subject    *ejournal.Subject
	Assignment *ejournal.Assignment
}

// newYear returns a valid school year (two halves) starting on 1 September
// of startYear; the store gives it an id.
func newYear(sid string, startYear int) *ejournal.SchoolYear {
	d := func(year int, monthDay string) ejournal.Date {
		return ejournal.Date(fmt.Sprintf("%d-%s", year, monthDay))
	}
	return &ejournal.SchoolYear{
		SchoolID: sid, Name: "учебный год", Start: d(startYear, "09-01"), End: d(startYear+1, "08-31"), TermKind: ejournal.Halves,
		Terms: []ejournal.Term{
			{ID: "h1", Name: "1 полугодие", Start: d(startYear, "09-01"), End: d(startYear, "12-28")},
			{ID: "h2", Name: "2 полугодие", Start: d(startYear+1, "01-12"), End: d(startYear+1, "05-26")},
		},
	}
}

func newPerson(sid string, kind ejournal.PersonKind, last, classID string) *ejournal.Person {
	return &ejournal.Person{SchoolID: sid, Kind: kind, LastName: last, FirstName: "Анна", ClassID: classID}
}

// mustSchool creates school id with a year, a teacher, a class with a
// student and a group, a subject and an assignment.
func mustSchool(t *testing.T, db *dynamo.DB, id string) *school {
	t.Helper()
	ctx := t.Context()
	s := &school{School: &ejournal.School{ID: id, Name: "Школа " + id, TimeZone: "Asia/Yekaterinburg"}}
	must(t, db.CreateSchool(ctx, s.School))
	s.Year = newYear(id, 2025)
	must(t, db.CreateYear(ctx, s.Year))
	s.Teacher = newPerson(id, ejournal.Staff, "Учителева", "")
	must(t, db.CreatePerson(ctx, s.Teacher))
	s.Class = &ejournal.Class{SchoolID: id, YearID: s.Year.ID, Grade: 5, Letter: "А", ClassTeacherID: s.Teacher.ID}
	must(t, db.CreateClass(ctx, s.Class))
	s.Student = newPerson(id, ejournal.Student, "Ученикова", s.Class.ID)
	must(t, db.CreatePerson(ctx, s.Student))
	s.Group = &ejournal.Group{SchoolID: id, ClassID: s.Class.ID, Name: "Английский 1"}
	must(t, db.CreateGroup(ctx, s.Group))
	s.Subject = &ejournal.Subject{SchoolID: id, Name: "Английский язык", ShortName: "Англ"}
	must(t, db.CreateSubject(ctx, s.Subject))
	s.Assignment = &ejournal.Assignment{SchoolID: id, YearID: s.Year.ID, TeacherID: s.Teacher.ID, ClassID: s.Class.ID, GroupID: s.Group.ID, SubjectID: s.Subject.ID, HoursPerWeek: 3}
	must(t, db.CreateAssignment(ctx, s.Assignment))
	return s
}

func TestEnsureTableIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := dynamotest.Client(t)
	name := dynamotest.NewTable(t, c) // the first EnsureTable
	must(t, dynamo.EnsureTable(ctx, c, name))
	must(t, dynamo.EnsureTable(ctx, c, name))

	out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &name})
	must(t, err)
	if out.Table.TableStatus != types.TableStatusActive || len(out.Table.GlobalSecondaryIndexes) != 3 {
		t.Fatalf("table %s: status %s, %d indexes", name, out.Table.TableStatus, len(out.Table.GlobalSecondaryIndexes))
	}
	ttl, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: &name})
	must(t, err)
	if d := ttl.TimeToLiveDescription; d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || *d.AttributeName != dynamo.TTLAttribute {
		t.Fatalf("time to live = %s on %v", d.TimeToLiveStatus, d.AttributeName)
	}
	mustSchool(t, dynamo.New(c, name), "s1")
}
