package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// Attendance is kept as one item per student per lesson (ATT#<student> in
// the lesson partition), present students included, so that totals know
// how many lessons each student had. Access patterns:
//
//	a lesson's records      1 Query   lesson partition, SK begins with ATT#
//	set a lesson            1 Query + ⌈changed/50⌉ TransactWriteItems (nothing when unchanged)
//	justify an absence      2 GetItem + 1 TransactWriteItems (the same justification again: 1 GetItem)
//	a student's period      1 Query   GSI2 student collection, A#<from> .. A#<to>
//	a class's period        1 Query   GSI3 class attendance collection, <from> .. <to>
//	a class's absences      1 Query   the same, filtered to н, б, у

var whatAttendance = ejournal.T("Отметка посещаемости", "Attendance record")

// attendanceItem is an attendance record as stored: the lesson's subject
// and period ride along for the stream consumer (notifications), which
// builds its message from the item alone.
type attendanceItem struct {
	ejournal.AttendanceRecord
	SubjectID string `json:"subject_id"`
	Period    int    `json:"period"`
}

// attendanceAuditID names a record in the audit trail: "<lesson>_<student>"
// (lesson ids never contain '_').
func attendanceAuditID(lessonID, studentID string) string { return lessonID + "_" + studentID }

func attendanceEntity(l *ejournal.Lesson, student string) entity {
	return entity{
		key: attendanceKey(l.SchoolID, l.ID, student), idx: attendanceIndex(l, student), kind: "attendance", what: whatAttendance,
		audit: auditRef{l.SchoolID, "attendance", attendanceAuditID(l.ID, student)},
	}
}

// LessonAttendance returns the attendance records of lesson l, by student id.
func (db *DB) LessonAttendance(ctx context.Context, l *ejournal.Lesson) ([]*ejournal.AttendanceRecord, error) {
	items, err := list[attendanceItem](ctx, db, query{pk: lessonPartition(l.SchoolID, l.ID), skPrefix: attItemPrefix, consistent: true})
	if err != nil {
		return nil, err
	}
	out := make([]*ejournal.AttendanceRecord, len(items))
	for i, it := range items {
		out[i] = &it.AttendanceRecord
	}
	return out, nil
}

// SetLessonAttendance sets the codes of the students in records (StudentID
// and Code are read; the rest comes from l) at lesson l. Students not in
// records keep what they have. It reads the lesson's records with one Query
// and writes only those that change, each with its audit entry, in as few
// transactions as DynamoDB allows (50 records with their entries in each):
// the same request sent again writes nothing. A change of a record since it
// was read is ECONFLICT. It returns all the lesson's records after the
// change, by student id, and how many changed.
func (db *DB) SetLessonAttendance(ctx context.Context, l *ejournal.Lesson, records []ejournal.AttendanceRecord) ([]*ejournal.AttendanceRecord, int, error) {
	p := ejournal.Problems{}
	seen := map[string]bool{}
	for i, r := range records {
		if !ejournal.ValidID(r.StudentID) || seen[r.StudentID] {
			p.Add(fmt.Sprintf("records[%d].student_id", i), ejournal.T("Укажите ученика, каждого один раз.", "Give the student, each once."))
		}
		if !r.Code.Valid() {
			p.Add(fmt.Sprintf("records[%d].code", i), ejournal.T("Отметка посещаемости: н, б, у, о или пусто.", "An attendance code is н, б, у, о or blank."))
		}
		seen[r.StudentID] = true
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	stored, err := db.LessonAttendance(ctx, l)
	if err != nil {
		return nil, 0, err
	}
	byStudent := map[string]*ejournal.AttendanceRecord{}
	for _, r := range stored {
		byStudent[r.StudentID] = r
	}
	var tx []types.TransactWriteItem
	now := db.Now()
	for _, r := range records {
		old := byStudent[r.StudentID]
		if old != nil && old.Code == r.Code {
			continue
		}
		rec := &ejournal.AttendanceRecord{
			SchoolID: l.SchoolID, LessonID: l.ID, ClassID: l.ClassID, StudentID: r.StudentID, Date: l.Date, Code: r.Code,
			Version: 1, UpdatedAt: now,
		}
		if old != nil {
			rec.Version = old.Version + 1
		}
		items, err := db.attendanceWrite(ctx, l, old, rec)
		if err != nil {
			return nil, 0, err
		}
		tx = append(tx, items...)
		byStudent[r.StudentID] = rec
	}
	// Each record travels with its audit entry, so chunks of an even size
	// keep the two together.
	for chunk := range slices.Chunk(tx, maxTransactItems) {
		if err := db.transactAttendance(ctx, chunk); err != nil {
			return nil, 0, err
		}
	}
	out := make([]*ejournal.AttendanceRecord, 0, len(byStudent))
	for _, r := range byStudent {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *ejournal.AttendanceRecord) int { return strings.Compare(a.StudentID, b.StudentID) })
	return out, len(tx) / 2, nil
}

// attendanceWrite returns the transaction items that replace old (nil for
// none) by rec at lesson l, conditioned on old's version, with the audit
// entry of the change.
func (db *DB) attendanceWrite(ctx context.Context, l *ejournal.Lesson, old, rec *ejournal.AttendanceRecord) ([]types.TransactWriteItem, error) {
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	e := attendanceEntity(l, rec.StudentID)
	m, err := e.toItem(&attendanceItem{AttendanceRecord: *rec, SubjectID: l.SubjectID, Period: l.Period}, rec.Version, newRID())
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	put := &types.Put{TableName: &db.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	action := "create"
	var oldValue any
	if old != nil {
		action, oldValue = "update", old
		put.ConditionExpression = aws.String("#v = :v")
		put.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		put.ExpressionAttributeValues = item{":v": num(old.Version)}
	}
	a, err := db.auditEntry(ctx, e, action, oldValue, rec)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	ap, err := db.auditPut(a)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	return []types.TransactWriteItem{{Put: put}, ap}, nil
}

// transactAttendance writes tx; a failed condition means another write
// changed a record since it was read.
func (db *DB) transactAttendance(ctx context.Context, tx []types.TransactWriteItem) error {
	// The SDK fills ClientRequestToken, so a resent transaction is applied once.
	_, err := db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	var tce *types.TransactionCanceledException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &tce):
		return ejournal.Internal(fmt.Errorf("write attendance: %w", err))
	}
	for _, r := range tce.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "ConditionalCheckFailed", "TransactionConflict":
			return ejournal.Conflict(ejournal.T(
				"Посещаемость урока только что изменил кто-то ещё. Обновите её и повторите.",
				"Someone else has just changed the lesson's attendance. Reload it and try again."))
		}
	}
	return ejournal.Internal(fmt.Errorf("write attendance: %w", err))
}

// Justify records j on student's missed lesson at l (ejournal.Justify):
// н becomes б or у, or an absence already ill or excused is justified
// again. The record is written with its audit entry (who, when, old and
// new, the reason) only if it changes, so the same justification sent again
// writes nothing and answers the record. version, when not 0, is the
// version the caller saw. It returns ENOTFOUND when no attendance was taken
// for the student, EINVALID for a record that is not a missed lesson or a
// bad justification, and ECONFLICT when the record changed since version
// or since it was read.
func (db *DB) Justify(ctx context.Context, l *ejournal.Lesson, studentID string, j ejournal.Justification, version int64) (*ejournal.AttendanceRecord, error) {
	if !ejournal.ValidID(studentID) {
		return nil, ejournal.NotFound(whatAttendance)
	}
	e := attendanceEntity(l, studentID)
	stored := new(attendanceItem)
	if err := db.get(ctx, e, stored); err != nil {
		return nil, err
	}
	rec := stored.AttendanceRecord
	var name string
	if p := ejournal.PrincipalFrom(ctx); p != nil {
		name = p.FullName
	}
	changed, err := rec.Justify(j, actor(ctx), name, db.Now())
	switch {
	case err != nil:
		return nil, err
	case !changed:
		return &stored.AttendanceRecord, nil
	case version != 0 && version != stored.Version:
		return nil, ejournal.StaleVersion()
	}
	rec.UpdatedAt, rec.Version = db.Now(), stored.Version+1
	next := &attendanceItem{AttendanceRecord: rec, SubjectID: l.SubjectID, Period: l.Period}
	if err := db.save(WithReason(ctx, j.Reason), e, next, stored.Version); err != nil {
		return nil, err
	}
	return &next.AttendanceRecord, nil
}

// StudentAttendance returns a student's attendance records dated from..to
// (one Query of the student collection).
func (db *DB) StudentAttendance(ctx context.Context, schoolID, studentID string, from, to ejournal.Date) ([]*ejournal.AttendanceRecord, error) {
	return db.attendanceRange(ctx, dateRange(indexGSI2, studentCollection(schoolID, studentID), attendancePrefix, from, to))
}

// ClassAttendance returns the attendance records of a class's lessons of
// every subject dated from..to (one Query of the class attendance
// collection).
func (db *DB) ClassAttendance(ctx context.Context, schoolID, classID string, from, to ejournal.Date) ([]*ejournal.AttendanceRecord, error) {
	return db.attendanceRange(ctx, dateRange(indexGSI3, classAttendanceCollection(schoolID, classID), "", from, to))
}

// ClassAbsences returns the missed lessons (н, б, у) of a class's lessons
// of every subject dated from..to, by date and lesson: one Query of the
// class attendance collection, with a filter that leaves the present and
// late records out of the answer.
func (db *DB) ClassAbsences(ctx context.Context, schoolID, classID string, from, to ejournal.Date) ([]*ejournal.Absence, error) {
	q := dateRange(indexGSI3, classAttendanceCollection(schoolID, classID), "", from, to)
	if q.skFrom > q.skTo {
		return nil, nil
	}
	q.filter = "#code IN (:absent, :ill, :excused)"
	q.filterNames = map[string]string{"#code": "code"}
	q.filterValues = item{":absent": str(string(ejournal.Absent)), ":ill": str(string(ejournal.Ill)), ":excused": str(string(ejournal.Excused))}
	items, err := list[attendanceItem](ctx, db, q)
	if err != nil {
		return nil, err
	}
	out := make([]*ejournal.Absence, 0, len(items))
	for _, it := range items {
		if it.Code.Missed() {
			out = append(out, &ejournal.Absence{AttendanceRecord: it.AttendanceRecord, SubjectID: it.SubjectID, Period: it.Period})
		}
	}
	return out, nil
}

func (db *DB) attendanceRange(ctx context.Context, q query) ([]*ejournal.AttendanceRecord, error) {
	if q.skFrom > q.skTo {
		return nil, nil
	}
	var out []*ejournal.AttendanceRecord
	err := db.queryAll(ctx, q, func(m item) error {
		it := new(attendanceItem)
		if err := unmarshal(m, it); err != nil {
			return ejournal.Internal(err)
		}
		out = append(out, &it.AttendanceRecord)
		return nil
	})
	return out, err
}
