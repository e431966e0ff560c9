package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var _ ejournal.TimetableService = (*DB)(nil)

var (
	whatEntry        = ejournal.T("Запись расписания", "Timetable entry")
	whatSubstitution = ejournal.T("Замена", "Substitution")
)

func entryEntity(e *ejournal.TimetableEntry) entity {
	return entity{key: ttEntryKey(e.SchoolID, e.YearID, e.ID), kind: "timetable", what: whatEntry, audit: auditRef{e.SchoolID, "timetable", e.ID}}
}

func substitutionEntity(s *ejournal.Substitution) entity {
	return entity{key: ttSubKey(s), kind: "substitution", what: whatSubstitution, audit: auditRef{s.SchoolID, "substitution", s.ID}}
}

// timetableYear is one consistent reading of a year's timetable partition:
// the HEAD counter, the entries and the substitutions.
type timetableYear struct {
	head    int64
	entries []*ejournal.TimetableEntry
	subs    []*ejournal.Substitution
}

func (t *timetableYear) entry(id string) *ejournal.TimetableEntry {
	for _, e := range t.entries {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// current returns entry id if it is at version: ENOTFOUND when there is no
// such entry, a stale-version conflict when it changed since.
func (t *timetableYear) current(id string, version int64) (*ejournal.TimetableEntry, error) {
	e := t.entry(id)
	if e == nil {
		return nil, ejournal.NotFound(whatEntry)
	}
	if e.Version != version {
		return nil, ejournal.StaleVersion()
	}
	return e, nil
}

// readTimetable reads a year's whole timetable partition (one consistent
// Query): what every write checks against.
func (db *DB) readTimetable(ctx context.Context, sid, yid string) (*timetableYear, error) {
	t := &timetableYear{}
	err := db.queryAll(ctx, query{pk: timetablePartition(sid, yid), consistent: true}, func(m item) error {
		sk, _ := m[attrSK].(*types.AttributeValueMemberS)
		switch {
		case sk == nil:
		case sk.Value == ttHeadKey(sid, yid).SK:
			var h struct {
				Version int64 `json:"version"`
			}
			if err := unmarshal(m, &h); err != nil {
				return ejournal.Internal(err)
			}
			t.head = h.Version
		case strings.HasPrefix(sk.Value, ttEntryPrefix):
			e := new(ejournal.TimetableEntry)
			if err := unmarshal(m, e); err != nil {
				return ejournal.Internal(err)
			}
			t.entries = append(t.entries, e)
		case strings.HasPrefix(sk.Value, ttSubPrefix):
			s := new(ejournal.Substitution)
			if err := unmarshal(m, s); err != nil {
				return ejournal.Internal(err)
			}
			t.subs = append(t.subs, s)
		}
		return nil
	})
	return t, err
}

// timetableYearOf reads the school year of a timetable (ENOTFOUND if none).
func (db *DB) timetableYearOf(ctx context.Context, sid, yid string) (*ejournal.SchoolYear, error) {
	if !ejournal.ValidID(yid) {
		return nil, ejournal.NotFound(whatYear)
	}
	return db.Year(ctx, sid, yid)
}

// TimetableEntry implements ejournal.TimetableService.
func (db *DB) TimetableEntry(ctx context.Context, schoolID, yearID, id string) (*ejournal.TimetableEntry, error) {
	if !ejournal.ValidID(yearID) {
		return nil, ejournal.NotFound(whatEntry)
	}
	return getByKey[ejournal.TimetableEntry](ctx, db, entryEntity(&ejournal.TimetableEntry{SchoolID: schoolID, YearID: yearID, ID: id}), id)
}

// TimetableEntries implements ejournal.TimetableService (one Query).
func (db *DB) TimetableEntries(ctx context.Context, schoolID, yearID string) ([]*ejournal.TimetableEntry, error) {
	if !ejournal.ValidID(yearID) {
		return nil, nil
	}
	return list[ejournal.TimetableEntry](ctx, db, query{pk: timetablePartition(schoolID, yearID), skPrefix: ttEntryPrefix, consistent: true})
}

// Substitutions implements ejournal.TimetableService (one Query).
func (db *DB) Substitutions(ctx context.Context, schoolID, yearID string, from, to ejournal.Date) ([]*ejournal.Substitution, error) {
	if !ejournal.ValidID(yearID) || !from.Valid() || !to.Valid() || from > to {
		return nil, nil
	}
	return list[ejournal.Substitution](ctx, db, dateRange("", timetablePartition(schoolID, yearID), ttSubPrefix, from, to))
}

// SaveTimetableEntry implements ejournal.TimetableService: one consistent
// Query of the year's timetable, the clash check against it, then one
// transaction of the entry, the HEAD bump, the reference checks and the
// audit entry.
func (db *DB) SaveTimetableEntry(ctx context.Context, e *ejournal.TimetableEntry) error {
	if e.Version < 0 {
		return ejournal.Problems{"version": ejournal.T("Версия записи не может быть отрицательной.", "The version cannot be negative.")}.Err()
	}
	year, err := db.timetableYearOf(ctx, e.SchoolID, e.YearID)
	if err != nil {
		return err
	}
	if e.Version == 0 {
		db.stamp(&e.ID, &e.CreatedAt, &e.UpdatedAt)
	} else {
		e.UpdatedAt = db.Now()
	}
	if err := e.Validate(year); err != nil {
		return err
	}
	refs, err := db.entryRefs(ctx, e)
	if err != nil {
		return err
	}
	tt, err := db.readTimetable(ctx, e.SchoolID, e.YearID)
	if err != nil {
		return err
	}
	var old *ejournal.TimetableEntry
	if e.Version > 0 {
		if old, err = tt.current(e.ID, e.Version); err != nil {
			return err
		}
		e.CreatedAt = old.CreatedAt
		if err := orphanedSubstitutions(tt.subs, e); err != nil {
			return err
		}
	}
	if err := ejournal.Clashes(e, tt.entries, db.entryNamer(ctx, e.SchoolID)); err != nil {
		return err
	}
	w := ttWrite{db: db, sid: e.SchoolID, yid: e.YearID, head: tt.head, refs: refs}
	version := e.Version
	if err := w.putEntry(e, old); err != nil {
		return err
	}
	if err := w.run(ctx); err != nil {
		e.Version = version
		return err
	}
	return nil
}

// ChangeTimetableEntry ends entry id (at version) the day before next.From
// and creates next from that day, in one transaction: a change of the
// timetable during the year that keeps the past as it was. It returns the
// ended entry.
func (db *DB) ChangeTimetableEntry(ctx context.Context, schoolID, yearID, id string, version int64, next *ejournal.TimetableEntry) (*ejournal.TimetableEntry, error) {
	year, err := db.timetableYearOf(ctx, schoolID, yearID)
	if err != nil {
		return nil, err
	}
	next.SchoolID, next.YearID, next.ID, next.Version = schoolID, yearID, "", 0
	db.stamp(&next.ID, &next.CreatedAt, &next.UpdatedAt)
	if err := next.Validate(year); err != nil {
		return nil, err
	}
	refs, err := db.entryRefs(ctx, next)
	if err != nil {
		return nil, err
	}
	tt, err := db.readTimetable(ctx, schoolID, yearID)
	if err != nil {
		return nil, err
	}
	old, err := tt.current(id, version)
	if err != nil {
		return nil, err
	}
	ended := *old
	if err := ended.EndBefore(next.From); err != nil {
		return nil, err
	}
	ended.UpdatedAt = next.CreatedAt
	if err := orphanedSubstitutions(tt.subs, &ended); err != nil {
		return nil, err
	}
	others := make([]*ejournal.TimetableEntry, 0, len(tt.entries))
	for _, o := range tt.entries {
		if o.ID == old.ID {
			o = &ended
		}
		others = append(others, o)
	}
	if err := ejournal.Clashes(next, others, db.entryNamer(ctx, schoolID)); err != nil {
		return nil, err
	}
	w := ttWrite{db: db, sid: schoolID, yid: yearID, head: tt.head, refs: refs}
	if err := w.putEntry(&ended, old); err != nil {
		return nil, err
	}
	if err := w.putEntry(next, nil); err != nil {
		return nil, err
	}
	if err := w.run(ctx); err != nil {
		next.Version = 0
		return nil, err
	}
	return &ended, nil
}

// DeleteTimetableEntry implements ejournal.TimetableService. An entry with
// substitutions is kept (ECONFLICT) until they are deleted.
func (db *DB) DeleteTimetableEntry(ctx context.Context, schoolID, yearID, id string, version int64) (*ejournal.TimetableEntry, error) {
	if !ejournal.ValidID(yearID) || !ejournal.ValidID(id) {
		return nil, ejournal.NotFound(whatEntry)
	}
	tt, err := db.readTimetable(ctx, schoolID, yearID)
	if err != nil {
		return nil, err
	}
	old, err := tt.current(id, version)
	if err != nil {
		return nil, err
	}
	for _, s := range tt.subs {
		if s.EntryID == id {
			return nil, ejournal.Conflict(ejournal.T(
				"По этой записи расписания есть замены (например, "+string(s.Date)+"): сначала удалите их.",
				"The entry has substitutions (e.g. on "+string(s.Date)+"): delete them first."))
		}
	}
	w := ttWrite{db: db, sid: schoolID, yid: yearID, head: tt.head}
	w.remove(entryEntity(old), old, ejournal.StaleVersion())
	if err := w.run(ctx); err != nil {
		return nil, err
	}
	return old, nil
}

// orphanedSubstitutions refuses a change of entry e that would leave one
// of its substitutions on a day e no longer gives a lesson.
func orphanedSubstitutions(subs []*ejournal.Substitution, e *ejournal.TimetableEntry) error {
	for _, s := range subs {
		if s.EntryID == e.ID && !e.ActiveOn(s.Date) {
			return ejournal.Conflict(ejournal.T(
				"По этой записи есть замена "+string(s.Date)+", которой после изменения не будет: сначала удалите её.",
				"The entry has a substitution on "+string(s.Date)+" that the change would leave without its lesson: delete it first."))
		}
	}
	return nil
}

// entryRefs checks that e's class is of e's year and its group of its
// class, and returns the records the write must find in place.
func (db *DB) entryRefs(ctx context.Context, e *ejournal.TimetableEntry) ([]ref, error) {
	c, err := db.Class(ctx, e.SchoolID, e.ClassID)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		return nil, ejournal.Problems{"class_id": notInSchool(whatClass)}.Err()
	case err != nil:
		return nil, err
	case c.YearID != e.YearID:
		return nil, ejournal.Problems{"class_id": ejournal.T("Класс относится к другому учебному году.", "The class belongs to another school year.")}.Err()
	}
	if err := db.checkGroupOfClass(ctx, e.SchoolID, e.ClassID, e.GroupID); err != nil {
		return nil, err
	}
	refs := []ref{
		{key: yearKey(e.SchoolID, e.YearID), field: "year_id", what: whatYear},
		{key: classKey(e.SchoolID, e.ClassID), field: "class_id", what: whatClass},
		{key: subjectKey(e.SchoolID, e.SubjectID), field: "subject_id", what: whatSubject},
		{key: personKey(e.SchoolID, e.TeacherID), field: "teacher_id", what: whatTeacher, personKind: ejournal.Staff},
	}
	if e.GroupID != "" {
		refs = append(refs, ref{key: groupKey(e.SchoolID, e.GroupID), field: "group_id", what: whatGroup})
	}
	return refs, nil
}

// entryNamer names an entry by its class (and group) and subject, reading
// them when a message needs them; an unreadable name falls back to the id.
func (db *DB) entryNamer(ctx context.Context, sid string) ejournal.EntryNamer {
	return func(e *ejournal.TimetableEntry) string {
		class, subject := e.ClassID, e.SubjectID
		if c, err := db.Class(ctx, sid, e.ClassID); err == nil {
			class = c.Name()
		}
		if e.GroupID != "" {
			if g, err := db.Group(ctx, sid, e.GroupID); err == nil {
				class += " (" + g.Name + ")"
			} else {
				class += " (" + e.GroupID + ")"
			}
		}
		if s, err := db.Subject(ctx, sid, e.SubjectID); err == nil {
			subject = s.Name
		}
		return class + ", " + subject
	}
}

// SaveSubstitution implements ejournal.TimetableService. It records a new
// substitution (s.Version is ignored) after checking that the entry gives
// a lesson that day (its weekday and validity, a school day of the
// calendar), that it has no substitution yet and that the substitute is
// free in that period. The generated lesson of that entry and date, if it
// exists, passes to the substitute (TeacherID, with the timetable's
// teacher in RegularTeacherID) in the same transaction; a cancellation
// leaves it to lesson generation.
func (db *DB) SaveSubstitution(ctx context.Context, s *ejournal.Substitution) error {
	year, err := db.timetableYearOf(ctx, s.SchoolID, s.YearID)
	if err != nil {
		return err
	}
	if s.ID == "" {
		s.ID = ejournal.NewID()
	}
	s.Version, s.CreatedAt, s.CreatedBy = 0, db.Now(), actor(ctx)
	if err := s.Validate(year); err != nil {
		return err
	}
	tt, err := db.readTimetable(ctx, s.SchoolID, s.YearID)
	if err != nil {
		return err
	}
	e := tt.entry(s.EntryID)
	switch {
	case e == nil:
		return ejournal.Problems{"entry_id": notInSchool(whatEntry)}.Err()
	case !e.ActiveOn(s.Date):
		return ejournal.Problems{"date": ejournal.T("По этой записи расписания в этот день урока нет.", "The timetable entry has no lesson on this date.")}.Err()
	case s.TeacherID == e.TeacherID:
		return ejournal.Problems{"teacher_id": ejournal.T("Это учитель по расписанию, а не замена.", "This is the timetable's own teacher, not a substitute.")}.Err()
	}
	cal, err := db.Calendar(ctx, s.SchoolID, s.YearID)
	if err != nil {
		return err
	}
	if !cal.IsSchoolDay(s.Date) {
		return ejournal.Problems{"date": ejournal.T("В этот день по календарю нет уроков.", "The calendar has no lessons on this date.")}.Err()
	}
	for _, o := range tt.subs {
		if o.EntryID == s.EntryID && o.Date == s.Date {
			return ejournal.Conflict(ejournal.T("На этот урок уже есть замена: "+o.ID+".", "The lesson already has a substitution: "+o.ID+"."))
		}
	}
	var refs []ref
	if !s.Cancelled {
		if busy := ejournal.SubstituteBusy(s.TeacherID, s.Date, e.Period, tt.entries, tt.subs, s.ID); busy != nil {
			what := db.entryNamer(ctx, s.SchoolID)(busy)
			msg := ejournal.T(
				fmt.Sprintf("Замещающий учитель в это время ведёт урок: %s, %d-й урок %s.", what, e.Period, s.Date),
				fmt.Sprintf("The substitute teaches another lesson at that time: %s, period %d on %s.", what, e.Period, s.Date))
			return &ejournal.Error{Code: ejournal.ECONFLICT, Message: msg, Fields: map[string]ejournal.Text{"teacher_id": msg}}
		}
		refs = append(refs, ref{key: personKey(s.SchoolID, s.TeacherID), field: "teacher_id", what: whatTeacher, personKind: ejournal.Staff})
	}
	w := ttWrite{db: db, sid: s.SchoolID, yid: s.YearID, head: tt.head, refs: refs}
	s.Version = 1
	if err := w.put(substitutionEntity(s), s, nil, 0, ejournal.Conflict(ejournal.T("Такая замена уже есть.", "This substitution already exists."))); err != nil {
		return err
	}
	if !s.Cancelled {
		if err := w.handOver(ctx, e, s.Date, func(l *ejournal.Lesson) bool {
			l.TeacherID, l.RegularTeacherID = s.TeacherID, e.TeacherID
			if s.Room != "" {
				l.Room = s.Room
			}
			return true
		}); err != nil {
			return err
		}
	}
	if err := w.run(ctx); err != nil {
		s.Version = 0
		return err
	}
	return nil
}

// DeleteSubstitution implements ejournal.TimetableService. The generated
// lesson the substitute was given, if it exists, goes back to the
// timetable's teacher in the same transaction.
func (db *DB) DeleteSubstitution(ctx context.Context, schoolID, yearID, id string, version int64) (*ejournal.Substitution, error) {
	if !ejournal.ValidID(yearID) || !ejournal.ValidID(id) {
		return nil, ejournal.NotFound(whatSubstitution)
	}
	tt, err := db.readTimetable(ctx, schoolID, yearID)
	if err != nil {
		return nil, err
	}
	var s *ejournal.Substitution
	for _, o := range tt.subs {
		if o.ID == id {
			s = o
		}
	}
	if s == nil {
		return nil, ejournal.NotFound(whatSubstitution)
	}
	if s.Version != version {
		return nil, ejournal.StaleVersion()
	}
	w := ttWrite{db: db, sid: schoolID, yid: yearID, head: tt.head}
	w.remove(substitutionEntity(s), s, ejournal.StaleVersion())
	if e := tt.entry(s.EntryID); e != nil && !s.Cancelled {
		if err := w.handOver(ctx, e, s.Date, func(l *ejournal.Lesson) bool {
			if l.TeacherID != s.TeacherID {
				return false // changed by hand since: leave it
			}
			l.TeacherID, l.RegularTeacherID = e.TeacherID, ""
			if s.Room != "" {
				l.Room = e.Room
			}
			return true
		}); err != nil {
			return nil, err
		}
	}
	if err := w.run(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// ttWrite gathers one transaction of the timetable: record writes, each
// with the error its failed condition means, the HEAD bump, reference
// checks and audit entries.
type ttWrite struct {
	db       *DB
	sid, yid string
	head     int64
	refs     []ref
	ops      []types.TransactWriteItem
	fails    []error
	audits   []auditChange
}

// put writes v as record e: a new one (expected 0) or over version
// expected, with its audit entry (old nil for a new record).
func (w *ttWrite) put(e entity, v, old any, expected int64, fail error) error {
	m, err := e.toItem(v, expected+1, newRID())
	if err != nil {
		return ejournal.Internal(err)
	}
	p := &types.Put{TableName: &w.db.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	action := "create"
	if expected > 0 {
		action = "update"
		p.ConditionExpression = aws.String("attribute_exists(PK) AND #v = :v")
		p.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		p.ExpressionAttributeValues = item{":v": num(expected)}
	}
	w.ops = append(w.ops, types.TransactWriteItem{Put: p})
	w.fails = append(w.fails, fail)
	w.audits = append(w.audits, auditChange{e, action, old, v})
	return nil
}

// putEntry writes entry e, new or over old, at the next version.
func (w *ttWrite) putEntry(e, old *ejournal.TimetableEntry) error {
	if old == nil {
		e.Version = 1
		return w.put(entryEntity(e), e, nil, 0, ejournal.Conflict(ejournal.T("Такая запись расписания уже есть.", "This timetable entry already exists.")))
	}
	e.Version = old.Version + 1
	return w.put(entryEntity(e), e, old, old.Version, ejournal.StaleVersion())
}

// remove deletes record e of value old at its version.
func (w *ttWrite) remove(e entity, old any, fail error) {
	w.ops = append(w.ops, types.TransactWriteItem{Delete: &types.Delete{
		TableName:                 &w.db.table,
		Key:                       e.keyAV(),
		ConditionExpression:       aws.String("attribute_exists(PK) AND #v = :v"),
		ExpressionAttributeNames:  map[string]string{"#v": attrVersion},
		ExpressionAttributeValues: item{":v": num(storedVersion(old))},
	}})
	w.fails = append(w.fails, fail)
	w.audits = append(w.audits, auditChange{e, "delete", old, nil})
}

// handOver changes the generated lesson of entry e on date, if it exists,
// with change (which may decline by returning false).
func (w *ttWrite) handOver(ctx context.Context, e *ejournal.TimetableEntry, date ejournal.Date, change func(*ejournal.Lesson) bool) error {
	l, err := w.db.Lesson(ctx, w.sid, ejournal.GeneratedLessonID(e.ID, date))
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		return nil
	case err != nil:
		return err
	}
	old := *l
	if !change(l) {
		return nil
	}
	l.Version, l.UpdatedAt = old.Version+1, w.db.Now()
	return w.put(lessonEntity(l), l, &old, old.Version, ejournal.Conflict(ejournal.T(
		"Урок этой замены только что изменился. Повторите попытку.", "The lesson of this substitution has just changed. Please try again.")))
}

// run sends the transaction: the HEAD bump first, then the record writes,
// the reference checks and the audit entries.
func (w *ttWrite) run(ctx context.Context) error {
	head := item{attrPK: str(timetablePartition(w.sid, w.yid)), attrSK: str(ttHeadKey(w.sid, w.yid).SK), attrType: str("timetable_head"), attrVersion: num(w.head + 1)}
	hp := &types.Put{TableName: &w.db.table, Item: head, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if w.head > 0 {
		hp.ConditionExpression = aws.String("#v = :v")
		hp.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		hp.ExpressionAttributeValues = item{":v": num(w.head)}
	}
	tx := append([]types.TransactWriteItem{{Put: hp}}, w.ops...)
	for _, r := range w.refs {
		tx = append(tx, types.TransactWriteItem{ConditionCheck: r.check(w.db.table)})
	}
	audits, err := w.db.auditPuts(ctx, w.audits...)
	if err != nil {
		return err
	}
	tx = append(tx, audits...)
	_, err = w.db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if err == nil {
		return nil
	}
	failed := cancelled(err)
	if failed[0] {
		return ejournal.Conflict(ejournal.T(
			"Расписание только что изменил кто-то другой. Обновите страницу и повторите.",
			"Someone else has just changed the timetable. Reload and try again."))
	}
	for i, fail := range w.fails {
		if failed[1+i] {
			return fail
		}
	}
	p := ejournal.Problems{}
	for i, r := range w.refs {
		if failed[1+len(w.ops)+i] {
			p.Add(r.field, notInSchool(r.what))
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if len(failed) > 0 {
		return ejournal.Conflict(ejournal.T("Расписание одновременно меняет кто-то ещё. Повторите попытку.", "Someone else is changing the timetable right now. Please try again."))
	}
	return ejournal.Internal(fmt.Errorf("write timetable %s/%s: %w", w.sid, w.yid, err))
}
