package dynamo

import (
	"context"
	"sort"
	"strings"
	"time"

	"ejournal/internal/ejournal"
)

var _ ejournal.DirectoryService = (*DB)(nil)

var (
	whatSchool     = ejournal.T("Школа", "School")
	whatYear       = ejournal.T("Учебный год", "School year")
	whatClass      = ejournal.T("Класс", "Class")
	whatGroup      = ejournal.T("Группа", "Group")
	whatSubject    = ejournal.T("Предмет", "Subject")
	whatAssignment = ejournal.T("Назначение учителя", "Teacher assignment")
	whatPerson     = ejournal.T("Человек", "Person")
	whatTeacher    = ejournal.T("Учитель", "Teacher")
)

func schoolEntity(id string) entity {
	return entity{key: schoolKey(id), idx: schoolIndex(id), kind: "school", what: whatSchool, audit: auditRef{id, "school", id}}
}

func yearEntity(sid, id string) entity {
	return entity{key: yearKey(sid, id), kind: "year", what: whatYear, audit: auditRef{sid, "year", id}}
}

func classEntity(c *ejournal.Class) entity {
	return entity{key: classKey(c.SchoolID, c.ID), idx: classIndex(c), kind: "class", what: whatClass, audit: auditRef{c.SchoolID, "class", c.ID}}
}

func groupEntity(g *ejournal.Group) entity {
	return entity{key: groupKey(g.SchoolID, g.ID), idx: groupIndex(g), kind: "group", what: whatGroup, audit: auditRef{g.SchoolID, "group", g.ID}}
}

func subjectEntity(sid, id string) entity {
	return entity{key: subjectKey(sid, id), kind: "subject", what: whatSubject, audit: auditRef{sid, "subject", id}}
}

func assignmentEntity(a *ejournal.Assignment) entity {
	return entity{key: assignmentKey(a.SchoolID, a.ID), idx: assignmentIndex(a), kind: "assignment", what: whatAssignment, audit: auditRef{a.SchoolID, "assignment", a.ID}}
}

func personEntity(p *ejournal.Person) entity {
	return entity{key: personKey(p.SchoolID, p.ID), idx: personIndex(p), kind: "person", what: whatPerson, audit: auditRef{p.SchoolID, "person", p.ID}}
}

// stamp prepares a record for creation: an id when none is given, and the times.
func (db *DB) stamp(id *string, created, updated *time.Time) {
	if *id == "" {
		*id = ejournal.NewID()
	}
	now := db.Now()
	*created, *updated = now, now
}

// getByKey reads one record of type T.
func getByKey[T any](ctx context.Context, db *DB, e entity, id string) (*T, error) {
	if !ejournal.ValidID(id) {
		return nil, ejournal.NotFound(e.what)
	}
	v := new(T)
	if err := db.get(ctx, e, v); err != nil {
		return nil, err
	}
	return v, nil
}

// CreateSchool implements ejournal.DirectoryService.
func (db *DB) CreateSchool(ctx context.Context, s *ejournal.School) error {
	db.stamp(&s.ID, &s.CreatedAt, &s.UpdatedAt)
	if err := s.Validate(); err != nil {
		return err
	}
	return db.insert(ctx, schoolEntity(s.ID), s, &s.Version)
}

// School implements ejournal.DirectoryService.
func (db *DB) School(ctx context.Context, id string) (*ejournal.School, error) {
	return getByKey[ejournal.School](ctx, db, schoolEntity(id), id)
}

// Schools implements ejournal.DirectoryService.
func (db *DB) Schools(ctx context.Context) ([]*ejournal.School, error) {
	out, err := list[ejournal.School](ctx, db, query{index: indexGSI1, pk: schoolsPartition, skPrefix: "SCHOOL#"})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// UpdateSchool implements ejournal.DirectoryService.
func (db *DB) UpdateSchool(ctx context.Context, s *ejournal.School) error {
	s.UpdatedAt = db.Now()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, schoolEntity(s.ID), s, &s.Version)
}

// update replaces a record, expecting *version, and bumps *version on success.
func (db *DB) update(ctx context.Context, e entity, v any, version *int64, refs ...ref) error {
	if *version < 1 {
		return ejournal.Problems{"version": ejournal.T("Укажите версию записи, которую вы изменяете.", "Give the version of the record you are changing.")}.Err()
	}
	expected := *version
	*version = expected + 1 // stored as expected+1 by save
	if err := db.save(ctx, e, v, expected, refs...); err != nil {
		*version = expected
		return err
	}
	return nil
}

// insert writes a new record with refs checked and sets its version to 1.
func (db *DB) insert(ctx context.Context, e entity, v any, version *int64, refs ...ref) error {
	*version = 1
	if err := db.save(ctx, e, v, 0, refs...); err != nil {
		*version = 0
		return err
	}
	return nil
}

// CreateYear implements ejournal.DirectoryService.
func (db *DB) CreateYear(ctx context.Context, y *ejournal.SchoolYear) error {
	db.stamp(&y.ID, &y.CreatedAt, &y.UpdatedAt)
	if err := y.Validate(); err != nil {
		return err
	}
	return db.insert(ctx, yearEntity(y.SchoolID, y.ID), y, &y.Version, schoolRef(y.SchoolID))
}

// Year implements ejournal.DirectoryService.
func (db *DB) Year(ctx context.Context, schoolID, id string) (*ejournal.SchoolYear, error) {
	return getByKey[ejournal.SchoolYear](ctx, db, yearEntity(schoolID, id), id)
}

// Years implements ejournal.DirectoryService.
func (db *DB) Years(ctx context.Context, schoolID string) ([]*ejournal.SchoolYear, error) {
	out, err := list[ejournal.SchoolYear](ctx, db, query{pk: schoolPK(schoolID), skPrefix: yearPrefix})
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out, err
}

// UpdateYear implements ejournal.DirectoryService.
func (db *DB) UpdateYear(ctx context.Context, y *ejournal.SchoolYear) error {
	y.UpdatedAt = db.Now()
	if err := y.Validate(); err != nil {
		return err
	}
	return db.update(ctx, yearEntity(y.SchoolID, y.ID), y, &y.Version)
}

func schoolRef(sid string) ref {
	return ref{key: schoolKey(sid), field: "school_id", what: whatSchool}
}

func classRefs(c *ejournal.Class) []ref {
	refs := []ref{{key: yearKey(c.SchoolID, c.YearID), field: "year_id", what: whatYear}}
	if c.ClassTeacherID != "" {
		refs = append(refs, ref{key: personKey(c.SchoolID, c.ClassTeacherID), field: "class_teacher_id", what: whatTeacher, personKind: ejournal.Staff})
	}
	return refs
}

// CreateClass implements ejournal.DirectoryService.
func (db *DB) CreateClass(ctx context.Context, c *ejournal.Class) error {
	db.stamp(&c.ID, &c.CreatedAt, &c.UpdatedAt)
	if err := c.Validate(); err != nil {
		return err
	}
	return db.insert(ctx, classEntity(c), c, &c.Version, classRefs(c)...)
}

// Class implements ejournal.DirectoryService.
func (db *DB) Class(ctx context.Context, schoolID, id string) (*ejournal.Class, error) {
	return getByKey[ejournal.Class](ctx, db, classEntity(&ejournal.Class{SchoolID: schoolID, ID: id}), id)
}

// Classes implements ejournal.DirectoryService. With a year it reads that
// year's classes from GSI1 in grade and letter order; without, every class
// of the school from the school partition.
func (db *DB) Classes(ctx context.Context, schoolID string, f ejournal.ClassFilter) ([]*ejournal.Class, error) {
	q := query{pk: schoolPK(schoolID), skPrefix: classPrefix}
	if f.YearID != "" {
		q = query{index: indexGSI1, pk: yearCollection(schoolID, f.YearID), skPrefix: classPrefix}
	}
	out, err := list[ejournal.Class](ctx, db, q)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Grade != b.Grade {
			return a.Grade < b.Grade
		}
		return a.Letter < b.Letter
	})
	return out, err
}

// UpdateClass implements ejournal.DirectoryService.
func (db *DB) UpdateClass(ctx context.Context, c *ejournal.Class) error {
	c.UpdatedAt = db.Now()
	if err := c.Validate(); err != nil {
		return err
	}
	return db.update(ctx, classEntity(c), c, &c.Version, classRefs(c)...)
}

func groupRefs(g *ejournal.Group) []ref {
	return []ref{{key: classKey(g.SchoolID, g.ClassID), field: "class_id", what: whatClass}}
}

// CreateGroup implements ejournal.DirectoryService.
func (db *DB) CreateGroup(ctx context.Context, g *ejournal.Group) error {
	db.stamp(&g.ID, &g.CreatedAt, &g.UpdatedAt)
	if err := g.Validate(); err != nil {
		return err
	}
	return db.insert(ctx, groupEntity(g), g, &g.Version, groupRefs(g)...)
}

// Group implements ejournal.DirectoryService.
func (db *DB) Group(ctx context.Context, schoolID, id string) (*ejournal.Group, error) {
	return getByKey[ejournal.Group](ctx, db, groupEntity(&ejournal.Group{SchoolID: schoolID, ID: id}), id)
}

// Groups implements ejournal.DirectoryService.
func (db *DB) Groups(ctx context.Context, schoolID string, f ejournal.GroupFilter) ([]*ejournal.Group, error) {
	q := query{pk: schoolPK(schoolID), skPrefix: groupPrefix}
	if f.ClassID != "" {
		q = query{index: indexGSI1, pk: classCollection(schoolID, f.ClassID), skPrefix: groupPrefix}
	}
	out, err := list[ejournal.Group](ctx, db, q)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// UpdateGroup implements ejournal.DirectoryService.
func (db *DB) UpdateGroup(ctx context.Context, g *ejournal.Group) error {
	g.UpdatedAt = db.Now()
	if err := g.Validate(); err != nil {
		return err
	}
	return db.update(ctx, groupEntity(g), g, &g.Version, groupRefs(g)...)
}

// CreateSubject implements ejournal.DirectoryService.
func (db *DB) CreateSubject(ctx context.Context, s *ejournal.Subject) error {
	db.stamp(&s.ID, &s.CreatedAt, &s.UpdatedAt)
	if err := s.Validate(); err != nil {
		return err
	}
	return db.insert(ctx, subjectEntity(s.SchoolID, s.ID), s, &s.Version, schoolRef(s.SchoolID))
}

// Subject implements ejournal.DirectoryService.
func (db *DB) Subject(ctx context.Context, schoolID, id string) (*ejournal.Subject, error) {
	return getByKey[ejournal.Subject](ctx, db, subjectEntity(schoolID, id), id)
}

// Subjects implements ejournal.DirectoryService.
func (db *DB) Subjects(ctx context.Context, schoolID string) ([]*ejournal.Subject, error) {
	out, err := list[ejournal.Subject](ctx, db, query{pk: schoolPK(schoolID), skPrefix: subjectPrefix})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// UpdateSubject implements ejournal.DirectoryService.
func (db *DB) UpdateSubject(ctx context.Context, s *ejournal.Subject) error {
	s.UpdatedAt = db.Now()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, subjectEntity(s.SchoolID, s.ID), s, &s.Version)
}

func assignmentRefs(a *ejournal.Assignment) []ref {
	refs := []ref{
		{key: yearKey(a.SchoolID, a.YearID), field: "year_id", what: whatYear},
		{key: personKey(a.SchoolID, a.TeacherID), field: "teacher_id", what: whatTeacher, personKind: ejournal.Staff},
		{key: classKey(a.SchoolID, a.ClassID), field: "class_id", what: whatClass},
		{key: subjectKey(a.SchoolID, a.SubjectID), field: "subject_id", what: whatSubject},
	}
	if a.GroupID != "" {
		refs = append(refs, ref{key: groupKey(a.SchoolID, a.GroupID), field: "group_id", what: whatGroup})
	}
	return refs
}

// checkGroupOfClass makes sure a group (of an assignment or a lesson), when
// given, belongs to its class.
func (db *DB) checkGroupOfClass(ctx context.Context, schoolID, classID, groupID string) error {
	if groupID == "" {
		return nil
	}
	g, err := db.Group(ctx, schoolID, groupID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return ejournal.Problems{"group_id": ejournal.T("Группа не найдена в этой школе.", "Group not found in this school.")}.Err()
	} else if err != nil {
		return err
	}
	if g.ClassID != classID {
		return ejournal.Problems{"group_id": ejournal.T("Группа относится к другому классу.", "The group belongs to another class.")}.Err()
	}
	return nil
}

// CreateAssignment implements ejournal.DirectoryService.
func (db *DB) CreateAssignment(ctx context.Context, a *ejournal.Assignment) error {
	db.stamp(&a.ID, &a.CreatedAt, &a.UpdatedAt)
	if err := a.Validate(); err != nil {
		return err
	}
	if err := db.checkGroupOfClass(ctx, a.SchoolID, a.ClassID, a.GroupID); err != nil {
		return err
	}
	return db.insert(ctx, assignmentEntity(a), a, &a.Version, assignmentRefs(a)...)
}

// Assignment implements ejournal.DirectoryService.
func (db *DB) Assignment(ctx context.Context, schoolID, id string) (*ejournal.Assignment, error) {
	return getByKey[ejournal.Assignment](ctx, db, assignmentEntity(&ejournal.Assignment{SchoolID: schoolID, ID: id}), id)
}

// Assignments implements ejournal.DirectoryService: by teacher from GSI2, by
// class from GSI1, otherwise the school partition.
func (db *DB) Assignments(ctx context.Context, schoolID string, f ejournal.AssignmentFilter) ([]*ejournal.Assignment, error) {
	var q query
	switch {
	case f.TeacherID != "":
		q = query{index: indexGSI2, pk: teacherCollection(schoolID, f.TeacherID), skPrefix: assignmentYearPrefix(f.YearID)}
	case f.ClassID != "":
		q = query{index: indexGSI1, pk: classCollection(schoolID, f.ClassID), skPrefix: assignmentYearPrefix(f.YearID)}
	default:
		q = query{pk: schoolPK(schoolID), skPrefix: assignmentPrefix}
	}
	all, err := list[ejournal.Assignment](ctx, db, q)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if (f.YearID == "" || a.YearID == f.YearID) && (f.ClassID == "" || a.ClassID == f.ClassID) && (f.TeacherID == "" || a.TeacherID == f.TeacherID) {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// UpdateAssignment implements ejournal.DirectoryService.
func (db *DB) UpdateAssignment(ctx context.Context, a *ejournal.Assignment) error {
	a.UpdatedAt = db.Now()
	if err := a.Validate(); err != nil {
		return err
	}
	if err := db.checkGroupOfClass(ctx, a.SchoolID, a.ClassID, a.GroupID); err != nil {
		return err
	}
	return db.update(ctx, assignmentEntity(a), a, &a.Version, assignmentRefs(a)...)
}

// CreatePerson implements ejournal.DirectoryService.
func (db *DB) CreatePerson(ctx context.Context, p *ejournal.Person) error {
	db.stamp(&p.ID, &p.CreatedAt, &p.UpdatedAt)
	if err := p.Validate(); err != nil {
		return err
	}
	refs := []ref{schoolRef(p.SchoolID)}
	if p.ClassID != "" {
		refs = append(refs, ref{key: classKey(p.SchoolID, p.ClassID), field: "class_id", what: whatClass})
	}
	return db.insert(ctx, personEntity(p), p, &p.Version, refs...)
}

// Person implements ejournal.DirectoryService.
func (db *DB) Person(ctx context.Context, schoolID, id string) (*ejournal.Person, error) {
	return getByKey[ejournal.Person](ctx, db, personEntity(&ejournal.Person{SchoolID: schoolID, ID: id}), id)
}

// ClassStudents implements ejournal.DirectoryService.
func (db *DB) ClassStudents(ctx context.Context, schoolID, classID string) ([]*ejournal.Person, error) {
	out, err := list[ejournal.Person](ctx, db, query{index: indexGSI1, pk: classCollection(schoolID, classID), skPrefix: studentPrefix})
	sort.SliceStable(out, func(i, j int) bool {
		return strings.Compare(out[i].FullName(), out[j].FullName()) < 0
	})
	return out, err
}
