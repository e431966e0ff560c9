package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var _ ejournal.LessonService = (*DB)(nil)

var (
	whatLesson  = ejournal.T("Урок", "Lesson")
	whatGrading = ejournal.T("Настройки оценивания", "Grading settings")
)

func lessonEntity(l *ejournal.Lesson) entity {
	return entity{key: lessonKey(l.SchoolID, l.ID), idx: lessonIndex(l), kind: "lesson", what: whatLesson, audit: auditRef{l.SchoolID, "lesson", l.ID}}
}

func gradingEntity(sid, yid string) entity {
	return entity{key: gradingKey(sid, yid), kind: "grading", what: whatGrading, audit: auditRef{sid, "grading", yid}}
}

// Lesson implements ejournal.LessonService.
func (db *DB) Lesson(ctx context.Context, schoolID, id string) (*ejournal.Lesson, error) {
	if strings.Contains(id, "_") {
		return nil, ejournal.NotFound(whatLesson)
	}
	return getByKey[ejournal.Lesson](ctx, db, lessonEntity(&ejournal.Lesson{SchoolID: schoolID, ID: id}), id)
}

// CreateLesson implements ejournal.LessonService.
func (db *DB) CreateLesson(ctx context.Context, l *ejournal.Lesson) error {
	if l.ID != "" && (!ejournal.ValidID(l.ID) || strings.Contains(l.ID, "_")) {
		// '_' separates the lesson from the mark in a mark's public id.
		return ejournal.Problems{"id": ejournal.T("Идентификатор урока: буквы, цифры и '-'.", "A lesson id is letters, digits and '-'.")}.Err()
	}
	db.stamp(&l.ID, &l.CreatedAt, &l.UpdatedAt)
	if l.Source == "" {
		l.Source = ejournal.ManualLesson
	}
	refs, err := db.checkLesson(ctx, l)
	if err != nil {
		return err
	}
	if err := db.checkLessonWorkType(ctx, l, nil); err != nil {
		return err
	}
	if err := db.defaultPlanTopic(ctx, l); err != nil {
		return err
	}
	return db.insert(ctx, lessonEntity(l), l, &l.Version, refs...)
}

// UpdateLesson implements ejournal.LessonService.
func (db *DB) UpdateLesson(ctx context.Context, l *ejournal.Lesson) error {
	old, err := db.Lesson(ctx, l.SchoolID, l.ID)
	if err != nil {
		return err
	}
	if old.Version != l.Version {
		return ejournal.StaleVersion()
	}
	if old.Date != l.Date || old.ClassID != l.ClassID || old.SubjectID != l.SubjectID {
		// Marks and attendance are filed under the lesson's date, class and subject.
		if err := db.refuseIfRecorded(ctx, l, ejournal.T(
			"По уроку уже есть отметки или посещаемость: его дату, класс и предмет менять нельзя.",
			"The lesson already has marks or attendance: its date, class and subject cannot change.")); err != nil {
			return err
		}
	}
	l.CreatedAt, l.UpdatedAt = old.CreatedAt, db.Now()
	refs, err := db.checkLesson(ctx, l)
	if err != nil {
		return err
	}
	if l.PlanTopicID != "" && (l.PlanTopicID != old.PlanTopicID || l.Topic != old.Topic) {
		// A topic of the plan chosen (again): its title is the lesson's topic.
		if err := db.linkPlanTopic(ctx, l); err != nil {
			return err
		}
	}
	if err := db.checkLessonWorkType(ctx, l, old); err != nil {
		return err
	}
	return db.update(ctx, lessonEntity(l), l, &l.Version, refs...)
}

// linkPlanTopic sets l's topic from the topic l.PlanTopicID (a valid id) of
// the plan of its class, subject and group (one GetItem of the plan).
func (db *DB) linkPlanTopic(ctx context.Context, l *ejournal.Lesson) error {
	p, err := db.PlanFor(ctx, l.SchoolID, l.YearID, l.ClassID, l.SubjectID, l.GroupID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		p = nil
	} else if err != nil {
		return err
	}
	return ejournal.LinkPlanTopic(l, p)
}

// checkLessonWorkType refuses a work type the school's settings of the
// lesson's year do not hold, when it is set or changed (a type the school
// retired later stays on the lessons that have it; old is nil for a new
// lesson).
func (db *DB) checkLessonWorkType(ctx context.Context, l, old *ejournal.Lesson) error {
	if l.WorkType == "" || old != nil && old.WorkType == l.WorkType {
		return nil
	}
	s, err := db.GradingSettings(ctx, l.SchoolID, l.YearID)
	if err != nil {
		return err
	}
	return s.CheckLessonWorkType(l)
}

// DeleteLesson implements ejournal.LessonService.
func (db *DB) DeleteLesson(ctx context.Context, schoolID, id string, version int64) error {
	l, err := db.Lesson(ctx, schoolID, id)
	if err != nil {
		return err
	}
	if l.Version != version {
		return ejournal.StaleVersion()
	}
	if err := db.refuseIfRecorded(ctx, l, ejournal.T(
		"По уроку уже есть отметки или посещаемость: удалите их, прежде чем удалять урок.",
		"The lesson has marks or attendance: delete them before deleting the lesson.")); err != nil {
		return err
	}
	var tombstone []types.TransactWriteItem
	if l.Source == ejournal.TimetableLesson {
		// So that generating the lesson's dates again does not bring it back.
		t, err := db.tombstonePut(l)
		if err != nil {
			return err
		}
		tombstone = append(tombstone, t)
	}
	return db.remove(ctx, lessonEntity(l), l, version, tombstone...)
}

// refuseIfRecorded returns ECONFLICT with msg when lesson l holds any mark
// or attendance item.
func (db *DB) refuseIfRecorded(ctx context.Context, l *ejournal.Lesson, msg ejournal.Text) error {
	recorded, err := db.lessonRecorded(ctx, l.SchoolID, l.ID)
	switch {
	case err != nil:
		return err
	case recorded:
		return ejournal.Conflict(msg)
	}
	return nil
}

// lessonRecorded reports whether lesson id holds any mark or attendance
// item (a consistent read of the lesson partition).
func (db *DB) lessonRecorded(ctx context.Context, sid, id string) (bool, error) {
	recorded := false
	err := db.queryAll(ctx, query{pk: lessonPartition(sid, id), consistent: true}, func(m item) error {
		if sk, _ := m[attrSK].(*types.AttributeValueMemberS); sk == nil || sk.Value != lessonKey(sid, id).SK {
			recorded = true
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return false, err
	}
	return recorded, nil
}

// checkLesson validates l against its class's school year and the class's
// other lessons, and returns the records the write must find in place.
func (db *DB) checkLesson(ctx context.Context, l *ejournal.Lesson) ([]ref, error) {
	var year *ejournal.SchoolYear
	if ejournal.ValidID(l.ClassID) {
		c, err := db.Class(ctx, l.SchoolID, l.ClassID)
		if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
			return nil, ejournal.Problems{"class_id": notInSchool(whatClass)}.Err()
		} else if err != nil {
			return nil, err
		}
		// A class lives in one school year; the lesson belongs to it.
		l.YearID = c.YearID
		if year, err = db.Year(ctx, l.SchoolID, c.YearID); err != nil && ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
			return nil, err
		}
	}
	if err := l.Validate(year); err != nil {
		return nil, err
	}
	if err := db.checkGroupOfClass(ctx, l.SchoolID, l.ClassID, l.GroupID); err != nil {
		return nil, err
	}
	if err := db.checkPeriodFree(ctx, l); err != nil {
		return nil, err
	}
	refs := []ref{
		{key: yearKey(l.SchoolID, l.YearID), field: "date", what: whatYear},
		{key: classKey(l.SchoolID, l.ClassID), field: "class_id", what: whatClass},
		{key: subjectKey(l.SchoolID, l.SubjectID), field: "subject_id", what: whatSubject},
		{key: personKey(l.SchoolID, l.TeacherID), field: "teacher_id", what: whatTeacher, personKind: ejournal.Staff},
	}
	if l.GroupID != "" {
		refs = append(refs, ref{key: groupKey(l.SchoolID, l.GroupID), field: "group_id", what: whatGroup})
	}
	return refs, nil
}

// checkPeriodFree refuses a second lesson of a class in one period of a
// day, unless the two are for different groups of the class.
func (db *DB) checkPeriodFree(ctx context.Context, l *ejournal.Lesson) error {
	day, err := db.ClassLessons(ctx, l.SchoolID, l.ClassID, l.Date, l.Date)
	if err != nil {
		return err
	}
	for _, o := range day {
		if o.ID == l.ID || o.Period != l.Period || (o.GroupID != "" && l.GroupID != "" && o.GroupID != l.GroupID) {
			continue
		}
		return &ejournal.Error{
			Code: ejournal.ECONFLICT,
			Message: ejournal.T(
				fmt.Sprintf("У класса уже есть %d-й урок %s: %s.", l.Period, l.Date, o.ID),
				fmt.Sprintf("The class already has period %d on %s: lesson %s.", l.Period, l.Date, o.ID)),
			Fields: map[string]ejournal.Text{"period": ejournal.T("Занято уроком "+o.ID+".", "Taken by lesson "+o.ID+".")},
		}
	}
	return nil
}

func notInSchool(what ejournal.Text) ejournal.Text {
	return ejournal.T(what.RU+" не найден(а) в этой школе.", what.EN+" not found in this school.")
}

// ClassLessons implements ejournal.LessonService (GSI2, the class-day collection).
func (db *DB) ClassLessons(ctx context.Context, schoolID, classID string, from, to ejournal.Date) ([]*ejournal.Lesson, error) {
	return db.lessonRange(ctx, indexGSI2, classDayCollection(schoolID, classID), lessonPrefix, classID, from, to)
}

// TeacherLessons implements ejournal.LessonService (GSI3, the teacher-day collection).
func (db *DB) TeacherLessons(ctx context.Context, schoolID, teacherID string, from, to ejournal.Date) ([]*ejournal.Lesson, error) {
	return db.lessonRange(ctx, indexGSI3, teacherDayCollection(schoolID, teacherID), "", teacherID, from, to)
}

// JournalLessons implements ejournal.LessonService (GSI1, the journal collection).
func (db *DB) JournalLessons(ctx context.Context, schoolID, classID, subjectID string, from, to ejournal.Date) ([]*ejournal.Lesson, error) {
	if !ejournal.ValidID(subjectID) {
		return nil, nil
	}
	return db.lessonRange(ctx, indexGSI1, journalCollection(schoolID, classID, subjectID), lessonPrefix, classID, from, to)
}

// lessonRange reads the lessons dated from..to of one collection, in key
// order: date, period, id.
func (db *DB) lessonRange(ctx context.Context, index, pk, prefix, id string, from, to ejournal.Date) ([]*ejournal.Lesson, error) {
	if !ejournal.ValidID(id) || !from.Valid() || !to.Valid() || from > to {
		return nil, nil
	}
	return list[ejournal.Lesson](ctx, db, dateRange(index, pk, prefix, from, to))
}

// GradingSettings implements ejournal.LessonService.
func (db *DB) GradingSettings(ctx context.Context, schoolID, yearID string) (*ejournal.GradingSettings, error) {
	if !ejournal.ValidID(yearID) {
		return nil, ejournal.NotFound(whatYear)
	}
	s := new(ejournal.GradingSettings)
	err := db.get(ctx, gradingEntity(schoolID, yearID), s)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return ejournal.DefaultGradingSettings(schoolID, yearID), nil
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// SaveGradingSettings implements ejournal.LessonService. The first save of
// a year (version 0) creates its settings.
func (db *DB) SaveGradingSettings(ctx context.Context, schoolID, yearID string, s *ejournal.GradingSettings, version int64) error {
	s.SchoolID, s.YearID, s.UpdatedAt = schoolID, yearID, db.Now()
	if err := s.Validate(); err != nil {
		return err
	}
	e := gradingEntity(schoolID, yearID)
	yr := ref{key: yearKey(schoolID, yearID), field: "year_id", what: whatYear}
	if version == 0 {
		return db.insert(ctx, e, s, &s.Version, yr)
	}
	s.Version = version
	return db.update(ctx, e, s, &s.Version, yr)
}
