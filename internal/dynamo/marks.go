package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var _ ejournal.MarksService = (*DB)(nil)

var (
	whatMark     = ejournal.T("Отметка", "Mark")
	whatTermMark = ejournal.T("Итоговая отметка", "Term mark")
	whatDebt     = ejournal.T("Академическая задолженность", "Academic debt")
)

// markItem is a mark as stored: the mark with what a consumer of the table
// stream needs to describe it without another read (item type "mark").
// Group membership of students is not modelled, so a mark on a group lesson
// is checked against the whole class.
type markItem struct {
	ejournal.Mark
	YearID    string `json:"year_id"`
	ClassID   string `json:"class_id"`
	GroupID   string `json:"group_id,omitempty"`
	SubjectID string `json:"subject_id"`
}

// markEntity is the mark m of lesson l; m.ID is the public id.
func markEntity(l *ejournal.Lesson, m *ejournal.Mark) entity {
	_, mid, _ := splitMarkID(m.ID)
	return entity{key: markKey(l.SchoolID, l.ID, mid), idx: markIndex(l, m.StudentID, mid), kind: "mark", what: whatMark, audit: auditRef{l.SchoolID, "mark", m.ID}}
}

// markID is a mark's public id: "<lesson id>_<mark id>". Lesson ids never
// contain '_' and mark ids are ejournal.NewID values, which do not either.
func markID(lid, mid string) string { return lid + "_" + mid }

func splitMarkID(id string) (lid, mid string, ok bool) {
	lid, mid, ok = strings.Cut(id, "_")
	return lid, mid, ok && ejournal.ValidID(id) && lid != "" && mid != "" && !strings.Contains(mid, "_")
}

// MarkLesson implements ejournal.MarksService.
func (db *DB) MarkLesson(ctx context.Context, schoolID, id string) (*ejournal.Lesson, error) {
	lid, _, ok := splitMarkID(id)
	if !ok {
		return nil, ejournal.NotFound(whatMark)
	}
	l, err := db.Lesson(ctx, schoolID, lid)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, ejournal.NotFound(whatMark)
	}
	return l, err
}

// CreateMarks implements ejournal.MarksService: one Query of the class
// roster, two GetItems (settings) and one transaction of every mark with
// its audit entry. The SDK's ClientRequestToken makes a resent transaction
// apply once, so a retry never files a mark twice.
func (db *DB) CreateMarks(ctx context.Context, l *ejournal.Lesson, marks []*ejournal.Mark) error {
	switch {
	case len(marks) == 0:
		return ejournal.Problems{"marks": ejournal.T("Передайте хотя бы одну отметку.", "Give at least one mark.")}.Err()
	case len(marks) > ejournal.MaxMarksPerRequest:
		return ejournal.Problems{"marks": ejournal.Text{
			RU: fmt.Sprintf("Не больше %d отметок за один запрос.", ejournal.MaxMarksPerRequest),
			EN: fmt.Sprintf("At most %d marks in one request.", ejournal.MaxMarksPerRequest),
		}}.Err()
	}
	s, err := db.GradingSettings(ctx, l.SchoolID, l.YearID)
	if err != nil {
		return err
	}
	roster, err := db.rosterIDs(ctx, l.SchoolID, l.ClassID)
	if err != nil {
		return err
	}
	now, teacher := db.Now(), actor(ctx)
	p := ejournal.Problems{}
	keyed := false
	for i, m := range marks {
		if m.ID == "" {
			m.ID = markID(l.ID, ejournal.NewID())
		} else if lid, _, ok := splitMarkID(m.ID); !ok || lid != l.ID {
			return fmt.Errorf("mark id %q is not of lesson %s", m.ID, l.ID)
		} else {
			keyed = true
		}
		m.SchoolID, m.LessonID, m.Date = l.SchoolID, l.ID, l.Date
		m.TeacherID, m.Version, m.CreatedAt, m.UpdatedAt = teacher, 1, now, now
		prefix := fmt.Sprintf("marks[%d].", i)
		captured := s.CaptureOn(l, m)
		if err := addProblems(p, prefix, m.Validate(s)); err != nil {
			return err
		}
		if captured != nil {
			// An unknown type has no weight; the type is the problem.
			delete(p, prefix+"weight")
			if err := addProblems(p, prefix, captured); err != nil {
				return err
			}
		}
		if ejournal.ValidID(m.StudentID) && !roster[m.StudentID] {
			p.Add(prefix+"student_id", ejournal.T("Ученик не учится в классе этого урока.", "The student is not in the lesson's class."))
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	var tx []types.TransactWriteItem
	for _, m := range marks {
		put, err := db.newItemPut(ctx, markEntity(l, m), newMarkItem(l, m))
		if err != nil {
			return err
		}
		tx = append(tx, put...)
	}
	err = db.transact(ctx, markEntity(l, marks[0]), tx, "", 0, nil)
	if keyed && ejournal.ErrorCode(err) == ejournal.ECONFLICT {
		return db.givenBefore(ctx, l, marks, err)
	}
	return err
}

// givenBefore answers a keyed request whose marks exist already (a retry
// after a lost answer): with one consistent Query of the lesson's marks,
// each mark must be there as asked (student, value, work type, comment),
// and marks becomes what is stored. Otherwise conflict, the error of the
// transaction, stands.
func (db *DB) givenBefore(ctx context.Context, l *ejournal.Lesson, marks []*ejournal.Mark, conflict error) error {
	items, err := list[markItem](ctx, db, query{pk: lessonPartition(l.SchoolID, l.ID), skPrefix: markItemPrefix, consistent: true})
	if err != nil {
		return err
	}
	stored := make(map[string]*ejournal.Mark, len(items))
	for _, it := range items {
		stored[it.ID] = &it.Mark
	}
	for _, m := range marks {
		old := stored[m.ID]
		if old == nil || old.StudentID != m.StudentID || old.Value != m.Value || old.WorkType != m.WorkType || old.Comment != m.Comment {
			return conflict
		}
	}
	for _, m := range marks {
		*m = *stored[m.ID]
	}
	return nil
}

func newMarkItem(l *ejournal.Lesson, m *ejournal.Mark) *markItem {
	return &markItem{Mark: *m, YearID: l.YearID, ClassID: l.ClassID, GroupID: l.GroupID, SubjectID: l.SubjectID}
}

// addProblems copies the fields of an EINVALID err into p, each prefixed;
// it returns any other error.
func addProblems(p ejournal.Problems, prefix string, err error) error {
	if err == nil {
		return nil
	}
	e, ok := err.(*ejournal.Error)
	if !ok || e.Code != ejournal.EINVALID {
		return err
	}
	for f, msg := range e.Fields {
		p.Add(prefix+f, msg)
	}
	return nil
}

// rosterIDs returns the ids of the students now in a class (one Query).
func (db *DB) rosterIDs(ctx context.Context, sid, cid string) (map[string]bool, error) {
	students, err := db.ClassStudents(ctx, sid, cid)
	ids := make(map[string]bool, len(students))
	for _, p := range students {
		ids[p.ID] = true
	}
	return ids, err
}

// UpdateMark implements ejournal.MarksService.
func (db *DB) UpdateMark(ctx context.Context, l *ejournal.Lesson, id string, ch ejournal.MarkChange) (*ejournal.Mark, error) {
	m, s, err := db.editableMark(ctx, l, id, ch)
	if err != nil {
		return nil, err
	}
	if ch.Value != 0 {
		m.Value = ch.Value
	}
	if ch.Comment != nil {
		m.Comment = *ch.Comment
	}
	if ch.WorkType != "" {
		if err := s.Retype(&m.Mark, ch.WorkType); err != nil {
			return nil, err
		}
	}
	m.UpdatedAt = db.Now()
	if err := m.Validate(s); err != nil {
		return nil, err
	}
	if err := db.update(withReason(ctx, ch.Reason), markEntity(l, &m.Mark), m, &m.Version); err != nil {
		return nil, err
	}
	return &m.Mark, nil
}

// DeleteMark implements ejournal.MarksService.
func (db *DB) DeleteMark(ctx context.Context, l *ejournal.Lesson, id string, ch ejournal.MarkChange) (*ejournal.Mark, error) {
	m, _, err := db.editableMark(ctx, l, id, ch)
	if err != nil {
		return nil, err
	}
	if err := db.remove(withReason(ctx, ch.Reason), markEntity(l, &m.Mark), m, m.Version); err != nil {
		return nil, err
	}
	return &m.Mark, nil
}

func withReason(ctx context.Context, reason string) context.Context {
	if reason == "" {
		return ctx
	}
	return WithReason(ctx, reason)
}

// editableMark reads mark id of lesson l at version ch.Version and checks
// that ch may change it now: inside the school's edit window with
// marks.write, past it with a reason and the late-edit permission.
func (db *DB) editableMark(ctx context.Context, l *ejournal.Lesson, id string, ch ejournal.MarkChange) (*markItem, *ejournal.GradingSettings, error) {
	if ch.Version < 1 {
		return nil, nil, ejournal.Problems{"version": ejournal.T("Укажите версию отметки, которую вы изменяете.", "Give the version of the mark you are changing.")}.Err()
	}
	if lid, _, ok := splitMarkID(id); !ok || lid != l.ID {
		return nil, nil, ejournal.NotFound(whatMark)
	}
	m := new(markItem)
	if err := db.get(ctx, markEntity(l, &ejournal.Mark{ID: id}), m); err != nil {
		return nil, nil, err
	}
	if m.Version != ch.Version {
		return nil, nil, ejournal.StaleVersion()
	}
	s, err := db.GradingSettings(ctx, l.SchoolID, l.YearID)
	if err != nil {
		return nil, nil, err
	}
	loc, err := db.schoolLocation(ctx, l.SchoolID)
	if err != nil {
		return nil, nil, err
	}
	now := db.Now()
	if ejournal.InEditWindow(m.Date, s.EditWindowDays, now, loc) && !ch.MayEdit {
		return nil, nil, ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Недостаточно прав для этого действия.", "You do not have permission to do this."))
	}
	edit := ejournal.Edit{LessonDate: m.Date, At: now, Reason: ch.Reason, MayEditLate: ch.MayEditLate}
	if err := s.CheckEdit(edit, loc); err != nil {
		return nil, nil, err
	}
	return m, s, nil
}

// schoolLocation returns the school's time zone.
func (db *DB) schoolLocation(ctx context.Context, sid string) (*time.Location, error) {
	sc, err := db.School(ctx, sid)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(sc.TimeZone)
	if err != nil {
		return nil, ejournal.Internal(fmt.Errorf("school %s time zone: %w", sid, err))
	}
	return loc, nil
}

// termMarkItem is a term or year mark as stored (item type "term_mark"):
// the class it was given in files it in that class's journal, and the
// retake of the debt it caused, once closed, is kept on it.
type termMarkItem struct {
	ejournal.TermMark
	ClassID     string        `json:"class_id"`
	RetakeValue int           `json:"retake_value,omitempty"`
	RetakeDate  ejournal.Date `json:"retake_date,omitempty"`
	ClosedBy    string        `json:"closed_by,omitempty"`
}

func termMarkEntity(m *ejournal.TermMark, classID string) entity {
	return entity{
		key:  termMarkKey(m.SchoolID, m.StudentID, m.YearID, m.Period, m.SubjectID),
		idx:  termMarkIndex(m.SchoolID, classID, m.SubjectID, m.StudentID, m.YearID, m.Period),
		kind: "term_mark", what: whatTermMark,
		// A student's term marks share one audit trail; each entry holds
		// the whole mark, so its year, period and subject.
		audit: auditRef{m.SchoolID, "term_mark", m.StudentID},
	}
}

// periodDates returns the dates of period in year: a term's, or the whole
// year's for YearPeriod.
func periodDates(y *ejournal.SchoolYear, period string) (from, to ejournal.Date, ok bool) {
	if period == ejournal.YearPeriod {
		return y.Start, y.End, true
	}
	for _, t := range y.Terms {
		if t.ID == period {
			return t.Start, t.End, true
		}
	}
	return "", "", false
}

var badPeriod = ejournal.Problems{"term_id": ejournal.T("Четверть (триместр, полугодие) учебного года класса или year.", "A term of the class's school year, or year.")}

// classPeriod reads a class and its school year and returns the dates of period.
func (db *DB) classPeriod(ctx context.Context, sid, cid, period string) (*ejournal.SchoolYear, ejournal.Date, ejournal.Date, error) {
	c, err := db.Class(ctx, sid, cid)
	if err != nil {
		return nil, "", "", err
	}
	y, err := db.Year(ctx, sid, c.YearID)
	if err != nil {
		return nil, "", "", err
	}
	from, to, ok := periodDates(y, period)
	if !ok {
		return nil, "", "", badPeriod.Err()
	}
	return y, from, to, nil
}

// journalMarks reads the marks of a class×subject journal dated from..to
// (one Query of GSI1) grouped by student.
func (db *DB) journalMarks(ctx context.Context, sid, cid, subject string, from, to ejournal.Date) (map[string][]*ejournal.Mark, error) {
	marks, err := list[ejournal.Mark](ctx, db, dateRange(indexGSI1, journalCollection(sid, cid, subject), markPrefix, from, to))
	byStudent := map[string][]*ejournal.Mark{}
	for _, m := range marks {
		byStudent[m.StudentID] = append(byStudent[m.StudentID], m)
	}
	return byStudent, err
}

// TermSheet implements ejournal.MarksService: GetItems of the class, its
// year and the settings, then three Queries whatever the class's size: the
// roster, the journal's marks of the period and its term marks.
func (db *DB) TermSheet(ctx context.Context, sid, cid, subject, period string) ([]ejournal.TermSheetRow, error) {
	if !ejournal.ValidID(subject) {
		return nil, ejournal.Problems{"subject_id": ejournal.T("Укажите предмет.", "Give the subject.")}.Err()
	}
	y, from, to, err := db.classPeriod(ctx, sid, cid, period)
	if err != nil {
		return nil, err
	}
	s, err := db.GradingSettings(ctx, sid, y.ID)
	if err != nil {
		return nil, err
	}
	var students []*ejournal.Person
	var marks map[string][]*ejournal.Mark
	var confirmed []*ejournal.TermMark
	err = concurrently(
		func() (err error) { students, err = db.ClassStudents(ctx, sid, cid); return err },
		func() (err error) { marks, err = db.journalMarks(ctx, sid, cid, subject, from, to); return err },
		into(ctx, db, query{index: indexGSI1, pk: journalCollection(sid, cid, subject), skPrefix: termMarkPrefix + y.ID + "#" + period + "#"}, &confirmed),
	)
	if err != nil {
		return nil, err
	}
	byStudent := map[string]*ejournal.TermMark{}
	for _, m := range confirmed {
		byStudent[m.StudentID] = m
	}
	rows := make([]ejournal.TermSheetRow, 0, len(students))
	for _, p := range students {
		rows = append(rows, ejournal.TermSheetRow{Student: p, Suggestion: ejournal.SuggestTermMark(marks[p.ID], s), Confirmed: byStudent[p.ID]})
	}
	return rows, nil
}

// SetTermMark implements ejournal.MarksService. The suggestion is computed
// from the student's marks in the class×subject journal of the period (one
// Query of the journal range, filtered to the student).
func (db *DB) SetTermMark(ctx context.Context, student *ejournal.Person, m *ejournal.TermMark) error {
	if student.InClass() == "" {
		return ejournal.Problems{"student_id": ejournal.T("Ученик не числится ни в одном классе.", "The student is not in any class.")}.Err()
	}
	m.SchoolID, m.StudentID = student.SchoolID, student.ID
	if !ejournal.ValidID(m.SubjectID) {
		return ejournal.Problems{"subject_id": ejournal.T("Укажите предмет.", "Give the subject.")}.Err()
	}
	y, from, to, err := db.classPeriod(ctx, m.SchoolID, student.ClassID, m.Period)
	if err != nil {
		return err
	}
	s, err := db.GradingSettings(ctx, m.SchoolID, y.ID)
	if err != nil {
		return err
	}
	marks, err := db.journalMarks(ctx, m.SchoolID, student.ClassID, m.SubjectID, from, to)
	if err != nil {
		return err
	}
	m.YearID, m.Suggested = y.ID, ejournal.SuggestTermMark(marks[student.ID], s).Mark
	m.ConfirmedBy, m.ConfirmedAt = actor(ctx), db.Now()
	if err := m.Validate(y); err != nil {
		return renamePeriod(err)
	}
	it := &termMarkItem{TermMark: *m, ClassID: student.ClassID}
	e := termMarkEntity(m, student.ClassID)
	if m.Version == 0 {
		err = db.insert(ctx, e, it, &it.Version, ref{key: subjectKey(m.SchoolID, m.SubjectID), field: "subject_id", what: whatSubject})
	} else {
		old := new(termMarkItem)
		if err := db.get(ctx, e, old); err != nil {
			return err
		}
		// The retake of a debt the mark caused stays with it.
		it.RetakeValue, it.RetakeDate, it.ClosedBy = old.RetakeValue, old.RetakeDate, old.ClosedBy
		err = db.update(ctx, e, it, &it.Version)
	}
	m.Version = it.Version
	return err
}

// DeleteTermMark implements ejournal.MarksService: GetItems of the
// student's class, its year and the mark, then one transaction of the
// removal (conditioned on version) and its audit entry with the old mark.
func (db *DB) DeleteTermMark(ctx context.Context, student *ejournal.Person, subjectID, period string, version int64) (*ejournal.TermMark, error) {
	if version < 1 {
		return nil, ejournal.Problems{"version": ejournal.T("Укажите версию удаляемой итоговой отметки.", "Give the version of the term mark you remove.")}.Err()
	}
	if student.InClass() == "" {
		return nil, ejournal.Problems{"student_id": ejournal.T("Ученик не числится ни в одном классе.", "The student is not in any class.")}.Err()
	}
	if !ejournal.ValidID(subjectID) {
		return nil, ejournal.NotFound(whatTermMark)
	}
	y, _, _, err := db.classPeriod(ctx, student.SchoolID, student.ClassID, period)
	if err != nil {
		return nil, err
	}
	tm := &ejournal.TermMark{SchoolID: student.SchoolID, StudentID: student.ID, YearID: y.ID, Period: period, SubjectID: subjectID}
	it := new(termMarkItem)
	if err := db.get(ctx, termMarkEntity(tm, ""), it); err != nil {
		return nil, err
	}
	if it.Version != version {
		return nil, ejournal.StaleVersion()
	}
	if d := debtOf(it); len(d) > 0 && d[0].Closed() {
		return nil, ejournal.Conflict(ejournal.T(
			"Задолженность по этой отметке закрыта пересдачей: отметку нельзя удалить, её можно только изменить.",
			"The debt this mark caused was closed by a retake: the mark cannot be removed, only changed."))
	}
	if err := db.remove(ctx, termMarkEntity(&it.TermMark, it.ClassID), it, version); err != nil {
		return nil, err
	}
	return &it.TermMark, nil
}

// renamePeriod names the request's field term_id for the domain's period.
func renamePeriod(err error) error {
	e, ok := err.(*ejournal.Error)
	if !ok || e.Fields["period"] == (ejournal.Text{}) {
		return err
	}
	p := ejournal.Problems{}
	for f, msg := range e.Fields {
		if f == "period" {
			f = "term_id"
		}
		p.Add(f, msg)
	}
	return p.Err()
}

// Debts implements ejournal.MarksService: one Query of the student's term
// marks partition.
func (db *DB) Debts(ctx context.Context, sid, student string) ([]ejournal.Debt, error) {
	if !ejournal.ValidID(student) {
		return nil, nil
	}
	items, err := list[termMarkItem](ctx, db, query{pk: termMarksPartition(sid, student)})
	if err != nil {
		return nil, err
	}
	debts := []ejournal.Debt{}
	for _, it := range items {
		debts = append(debts, debtOf(it)...)
	}
	return debts, nil
}

// debtOf returns the debt the term mark of it caused, if any, with its retake.
func debtOf(it *termMarkItem) []ejournal.Debt {
	debts := ejournal.DebtsFrom([]*ejournal.TermMark{&it.TermMark})
	for i := range debts {
		debts[i].RetakeValue, debts[i].RetakeDate, debts[i].ClosedBy, debts[i].Version = it.RetakeValue, it.RetakeDate, it.ClosedBy, it.Version
	}
	return debts
}

// CloseDebt implements ejournal.MarksService.
func (db *DB) CloseDebt(ctx context.Context, d *ejournal.Debt) (*ejournal.Debt, error) {
	tm := &ejournal.TermMark{SchoolID: d.SchoolID, StudentID: d.StudentID, YearID: d.YearID, Period: d.Period, SubjectID: d.SubjectID}
	if !ejournal.ValidID(d.YearID) || !ejournal.ValidID(d.Period) || !ejournal.ValidID(d.SubjectID) || !ejournal.ValidID(d.StudentID) {
		return nil, ejournal.NotFound(whatDebt)
	}
	it := new(termMarkItem)
	err := db.get(ctx, termMarkEntity(tm, ""), it)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, ejournal.NotFound(whatDebt)
	} else if err != nil {
		return nil, err
	}
	debts := debtOf(it)
	switch {
	case len(debts) == 0:
		return nil, ejournal.NotFound(whatDebt)
	case d.Version != 0 && d.Version != it.Version:
		return nil, ejournal.StaleVersion()
	case debts[0].Closed():
		return nil, ejournal.Conflict(ejournal.T("Задолженность уже закрыта.", "The debt is already closed."))
	}
	closed := debts[0]
	closed.RetakeValue, closed.RetakeDate, closed.ClosedBy = d.RetakeValue, d.RetakeDate, actor(ctx)
	if err := closed.Validate(); err != nil {
		return nil, err
	}
	it.RetakeValue, it.RetakeDate, it.ClosedBy = closed.RetakeValue, closed.RetakeDate, closed.ClosedBy
	if err := db.update(ctx, termMarkEntity(tm, it.ClassID), it, &it.Version); err != nil {
		return nil, err
	}
	closed.Version = it.Version
	return &closed, nil
}
