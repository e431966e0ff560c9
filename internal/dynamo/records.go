package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var _ ejournal.RecordsService = (*DB)(nil)

var (
	whatStaff    = ejournal.T("Сотрудник", "Staff member")
	whatStudent  = ejournal.T("Ученик", "Student")
	whatParent   = ejournal.T("Родитель", "Parent")
	whatLink     = ejournal.T("Связь родителя и ребёнка", "Parent–child link")
	whatMovement = ejournal.T("Движение ученика", "Student movement")
)

// linkEntity files a link's audit entries in the child's trail, beside the
// child's own changes.
func linkEntity(l *ejournal.Link) entity {
	return entity{key: linkKey(l.SchoolID, l.ParentID, l.ChildID), idx: linkIndex(l), kind: "link", what: whatLink, audit: auditRef{l.SchoolID, "person", l.ChildID}}
}

func movementEntity(m *ejournal.Movement) entity {
	return entity{key: movementKey(m), idx: movementIndex(m), kind: "movement", what: whatMovement, audit: auditRef{m.SchoolID, "movement", m.ID}}
}

// withDefaultReason gives ctx's audited writes reason unless it has one.
func withDefaultReason(ctx context.Context, reason string) context.Context {
	if r, _ := ctx.Value(auditReasonKey{}).(string); r != "" {
		return ctx
	}
	return WithReason(ctx, reason)
}

func sortByName(ps []*ejournal.Person) {
	sort.SliceStable(ps, func(i, j int) bool {
		if c := strings.Compare(ps[i].FullName(), ps[j].FullName()); c != 0 {
			return c < 0
		}
		return ps[i].ID < ps[j].ID
	})
}

// People implements ejournal.RecordsService: a class's students from GSI1,
// people of a kind from GSI2.
func (db *DB) People(ctx context.Context, schoolID string, f ejournal.PersonFilter) ([]*ejournal.Person, error) {
	if f.ClassID != "" {
		return db.ClassStudents(ctx, schoolID, f.ClassID)
	}
	switch f.Kind {
	case ejournal.Staff, ejournal.Student, ejournal.Parent:
	default:
		return nil, ejournal.Problems{"kind": ejournal.T("Вид записи: staff, student или parent.", "Kind must be staff, student or parent.")}.Err()
	}
	out, err := list[ejournal.Person](ctx, db, query{index: indexGSI2, pk: kindCollection(schoolID, f.Kind), skPrefix: personPrefix})
	sortByName(out)
	return out, err
}

// UpdatePerson implements ejournal.RecordsService.
func (db *DB) UpdatePerson(ctx context.Context, p *ejournal.Person) error {
	old, err := db.Person(ctx, p.SchoolID, p.ID)
	if err != nil {
		return err
	}
	p.Kind, p.ClassID, p.Left, p.Roles, p.Login, p.CreatedAt = old.Kind, old.ClassID, old.Left, old.Roles, old.Login, old.CreatedAt
	switch {
	case p.Kind != ejournal.Staff:
		p.Employment = nil
	case p.Employment == nil:
		p.Employment = old.Employment
	case old.Employment != nil:
		p.Employment.DismissedOn, p.Employment.DismissOrder = old.Employment.DismissedOn, old.Employment.DismissOrder
	default:
		p.Employment.DismissedOn, p.Employment.DismissOrder = "", ""
	}
	p.UpdatedAt = db.Now()
	if err := p.Validate(); err != nil {
		return err
	}
	return db.update(ctx, personEntity(p), p, &p.Version)
}

// Hire implements ejournal.RecordsService.
func (db *DB) Hire(ctx context.Context, p *ejournal.Person) error {
	p.Kind, p.ClassID, p.Left = ejournal.Staff, "", false
	pr := ejournal.Problems{}
	switch {
	case p.Employment == nil:
		pr.Add("employment", ejournal.T("Укажите должность и дату приёма.", "Give the position and the hiring date."))
	case p.Employment.DismissedOn != "" || p.Employment.DismissOrder != "":
		pr.Add("employment.dismissed_on", ejournal.T("При приёме на работу дата увольнения не указывается.", "A new hire has no dismissal date."))
	}
	if err := pr.Err(); err != nil {
		return err
	}
	return db.CreatePerson(withDefaultReason(ctx, strings.TrimSpace("hire "+p.Employment.HireOrder)), p)
}

// Dismiss implements ejournal.RecordsService.
func (db *DB) Dismiss(ctx context.Context, schoolID, personID string, on ejournal.Date, orderNo string) (*ejournal.Person, error) {
	p, err := db.Person(ctx, schoolID, personID)
	if err != nil {
		return nil, err
	}
	if p.Kind != ejournal.Staff {
		return nil, ejournal.NotFound(whatStaff)
	}
	if p.Employment.Dismissed() {
		return nil, ejournal.Conflict(ejournal.T("Сотрудник уже уволен.", "The employee is already dismissed."))
	}
	pr := ejournal.Problems{}
	switch {
	case !on.Valid():
		pr.Add("date", ejournal.T("Дата в формате ГГГГ-ММ-ДД.", "A date in YYYY-MM-DD form."))
	case p.Employment == nil:
		pr.Add("employment", ejournal.T("У сотрудника нет сведений о приёме на работу.", "The employee has no employment record."))
	case on < p.Employment.HiredOn:
		pr.Add("date", ejournal.T("Дата увольнения — не раньше даты приёма.", "The dismissal date cannot precede the hiring date."))
	}
	if strings.TrimSpace(orderNo) == "" {
		pr.Add("order_no", ejournal.T("Укажите номер приказа.", "Give the order number."))
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	e := *p.Employment
	e.DismissedOn, e.DismissOrder = on, orderNo
	p.Employment = &e
	p.UpdatedAt = db.Now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := db.update(withDefaultReason(ctx, "dismiss "+orderNo), personEntity(p), p, &p.Version); err != nil {
		return nil, err
	}
	return p, nil
}

func linkRefs(l *ejournal.Link) []ref {
	return []ref{
		{key: personKey(l.SchoolID, l.ParentID), field: "parent_id", what: whatParent, personKind: ejournal.Parent},
		{key: personKey(l.SchoolID, l.ChildID), field: "child_id", what: whatStudent, personKind: ejournal.Student},
	}
}

// Link implements ejournal.RecordsService.
func (db *DB) Link(ctx context.Context, l *ejournal.Link) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.save(ctx, linkEntity(l), l, 0, linkRefs(l)...)
}

// Unlink implements ejournal.RecordsService.
func (db *DB) Unlink(ctx context.Context, schoolID, parentID, childID string) (*ejournal.Link, error) {
	l := &ejournal.Link{SchoolID: schoolID, ParentID: parentID, ChildID: childID}
	if !ejournal.ValidID(parentID) || !ejournal.ValidID(childID) {
		return nil, ejournal.NotFound(whatLink)
	}
	e := linkEntity(l)
	if err := db.get(ctx, e, l); err != nil {
		return nil, err
	}
	// Links are never changed, only made and removed: their version is 1.
	if err := db.remove(ctx, e, l, 1); err != nil {
		return nil, err
	}
	return l, nil
}

// Children implements ejournal.RecordsService.
func (db *DB) Children(ctx context.Context, schoolID, parentID string) ([]*ejournal.Link, error) {
	if !ejournal.ValidID(parentID) {
		return nil, nil
	}
	return list[ejournal.Link](ctx, db, query{pk: schoolPK(schoolID), skPrefix: childrenPrefix(parentID)})
}

// Parents implements ejournal.RecordsService.
func (db *DB) Parents(ctx context.Context, schoolID, childID string) ([]*ejournal.Link, error) {
	if !ejournal.ValidID(childID) {
		return nil, nil
	}
	return list[ejournal.Link](ctx, db, query{index: indexGSI1, pk: personCollection(schoolID, childID), skPrefix: parentPrefix})
}

// Move implements ejournal.RecordsService. One transaction writes the
// movement, the student at the version read (so two movements of one
// student cannot both pass the checks), a check that the class exists, and
// the audit entries of both records.
func (db *DB) Move(ctx context.Context, m *ejournal.Movement) (*ejournal.Person, error) {
	if m.ID == "" {
		m.ID = ejournal.NewID()
	}
	m.CreatedAt, m.ActorID = db.Now(), actor(ctx)
	if err := m.Validate(); err != nil {
		return nil, err
	}
	p, err := db.Person(ctx, m.SchoolID, m.StudentID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, ejournal.Problems{"student_id": ejournal.T("Ученик не найден в этой школе.", "Student not found in this school.")}.Err()
	} else if err != nil {
		return nil, err
	}
	history, err := db.StudentMovements(ctx, m.SchoolID, m.StudentID)
	if err != nil {
		return nil, err
	}
	old := *p
	if err := ejournal.MoveStudent(p, history, m); err != nil {
		return nil, err
	}
	ctx = withDefaultReason(ctx, fmt.Sprintf("%s, order %s", m.Kind, m.OrderNo))
	expected := p.Version
	p.Version, p.UpdatedAt = expected+1, m.CreatedAt
	var refs []ref
	if m.ToClassID != "" {
		refs = append(refs, ref{key: classKey(m.SchoolID, m.ToClassID), field: "to_class_id", what: whatClass})
	}
	pe, me := personEntity(p), movementEntity(m)
	rid := newRID()
	tx, err := db.movementTx(ctx, pe, me, p, &old, m, rid, refs)
	if err == nil {
		err = db.transact(ctx, pe, tx, rid, expected, refs)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// movementTx builds Move's transaction: the student's versioned put first
// and the reference checks next (as transact expects), then the movement
// and the audit entries.
func (db *DB) movementTx(ctx context.Context, pe, me entity, p, old *ejournal.Person, m *ejournal.Movement, rid string, refs []ref) ([]types.TransactWriteItem, error) {
	pm, err := pe.toItem(p, p.Version, rid)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{
		TableName:                           &db.table,
		Item:                                pm,
		ConditionExpression:                 aws.String("attribute_exists(PK) AND #v = :v"),
		ExpressionAttributeNames:            map[string]string{"#v": attrVersion},
		ExpressionAttributeValues:           item{":v": num(old.Version)},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}}
	for _, r := range refs {
		tx = append(tx, types.TransactWriteItem{ConditionCheck: r.check(db.table)})
	}
	put, err := db.newItemPut(ctx, me, m)
	if err != nil {
		return nil, err
	}
	tx = append(tx, put...)
	a, err := db.auditEntry(ctx, pe, "update", old, p)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	ap, err := db.auditPut(a)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	return append(tx, ap), nil
}

// newItemPut returns the transaction items that create v as a new record of
// e: its conditional put and its audit entry.
func (db *DB) newItemPut(ctx context.Context, e entity, v any) ([]types.TransactWriteItem, error) {
	m, err := e.toItem(v, 1, newRID())
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	a, err := db.auditEntry(ctx, e, "create", nil, v)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	ap, err := db.auditPut(a)
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	return []types.TransactWriteItem{{Put: &types.Put{
		TableName:           &db.table,
		Item:                m,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}, ap}, nil
}

// Movements implements ejournal.RecordsService.
func (db *DB) Movements(ctx context.Context, schoolID string, from, to ejournal.Date) ([]*ejournal.Movement, error) {
	pr := ejournal.Problems{}
	for name, d := range map[string]ejournal.Date{"from": from, "to": to} {
		if !d.Valid() {
			pr.Add(name, ejournal.T("Дата в формате ГГГГ-ММ-ДД.", "A date in YYYY-MM-DD form."))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	out, err := list[ejournal.Movement](ctx, db, movementRange(schoolID, from, to))
	ejournal.SortMovements(out)
	return out, err
}

// StudentMovements implements ejournal.RecordsService.
func (db *DB) StudentMovements(ctx context.Context, schoolID, studentID string) ([]*ejournal.Movement, error) {
	if !ejournal.ValidID(studentID) {
		return nil, nil
	}
	out, err := list[ejournal.Movement](ctx, db, query{index: indexGSI1, pk: personCollection(schoolID, studentID), skPrefix: movePrefix})
	ejournal.SortMovements(out)
	return out, err
}

// RecordReads implements ejournal.RecordsService. The entries are written
// in batches: a read changes nothing, so there is no record write to pair
// them with.
func (db *DB) RecordReads(ctx context.Context, schoolID, entityKind string, ids []string) error {
	items := make([]item, 0, len(ids))
	for _, id := range ids {
		a, err := db.auditEntry(ctx, entity{audit: auditRef{schoolID, entityKind, id}}, "read", nil, nil)
		if err != nil {
			return ejournal.Internal(err)
		}
		m, err := auditEntity(a).toItem(a, 1, newRID())
		if err != nil {
			return ejournal.Internal(err)
		}
		items = append(items, m)
	}
	return db.batchPut(ctx, items)
}

// maxTransactItems is DynamoDB's limit of items in one transaction.
const maxTransactItems = 100

// ImportPeople implements ejournal.RecordsService. Field errors are named
// people[i].<field> and links[j].<field>, i and j counting from 0. Each
// record and its audit entry go in the same transaction, at most 100 items
// a transaction.
func (db *DB) ImportPeople(ctx context.Context, schoolID string, people []*ejournal.Person, links []ejournal.Link) error {
	if err := db.checkImport(ctx, schoolID, people, links); err != nil {
		return err
	}
	ctx = withDefaultReason(ctx, "import")
	type record struct {
		e entity
		v any
	}
	var records []record
	for _, p := range people {
		records = append(records, record{personEntity(p), p})
	}
	for i := range links {
		records = append(records, record{linkEntity(&links[i]), &links[i]})
	}
	keys := make([]key, len(records))
	for i, r := range records {
		keys[i] = r.e.key
	}
	exists, err := db.existingKeys(ctx, keys)
	if err != nil {
		return err
	}
	var tx []types.TransactWriteItem
	first := entity{}
	flush := func() error {
		if len(tx) == 0 {
			return nil
		}
		err := db.transact(ctx, first, tx, "", 0, nil)
		tx = tx[:0]
		return err
	}
	for _, r := range records {
		if exists[r.e.key] {
			continue
		}
		items, err := db.newItemPut(ctx, r.e, r.v)
		if err != nil {
			return err
		}
		if len(tx)+len(items) > maxTransactItems {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(tx) == 0 {
			first = r.e
		}
		tx = append(tx, items...)
	}
	return flush()
}

// checkImport validates every person and link of an import and fills the
// people's school, ids, times and versions.
func (db *DB) checkImport(ctx context.Context, schoolID string, people []*ejournal.Person, links []ejournal.Link) error {
	classes, err := db.Classes(ctx, schoolID, ejournal.ClassFilter{})
	if err != nil {
		return err
	}
	classIDs := map[string]bool{}
	for _, c := range classes {
		classIDs[c.ID] = true
	}
	pr := ejournal.Problems{}
	addAll := func(prefix string, err error) {
		var e *ejournal.Error
		if errors.As(err, &e) {
			for k, v := range e.Fields {
				pr.Add(prefix+"."+k, v)
			}
		}
	}
	now := db.Now()
	kinds := map[string]ejournal.PersonKind{}
	for i, p := range people {
		f := fmt.Sprintf("people[%d]", i)
		p.SchoolID, p.CreatedAt, p.UpdatedAt, p.Version = schoolID, now, now, 1
		if p.ID == "" {
			p.ID = ejournal.DerivedPersonID(p)
		}
		addAll(f, p.Validate())
		switch {
		case !ejournal.ValidID(p.ID):
			pr.Add(f+".id", ejournal.T("Неверный идентификатор.", "Invalid identifier."))
		case kinds[p.ID] != "":
			pr.Add(f+".id", ejournal.T("Этот человек уже есть в файле.", "This person appears twice in the file."))
		}
		if p.ClassID != "" && !classIDs[p.ClassID] {
			pr.Add(f+".class_id", ejournal.T("Класс не найден в этой школе.", "Class not found in this school."))
		}
		kinds[p.ID] = p.Kind
	}
	seen := map[[2]string]bool{}
	for j := range links {
		l := &links[j]
		f := fmt.Sprintf("links[%d]", j)
		l.SchoolID = schoolID
		if err := l.Validate(); err != nil {
			addAll(f, err)
			continue
		}
		for _, end := range []struct {
			field, id string
			kind      ejournal.PersonKind
			what      ejournal.Text
		}{{"parent_id", l.ParentID, ejournal.Parent, whatParent}, {"child_id", l.ChildID, ejournal.Student, whatStudent}} {
			kind, ok := kinds[end.id]
			if !ok {
				p, err := db.Person(ctx, schoolID, end.id)
				if err != nil && ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
					return err
				}
				if p != nil {
					kind, kinds[end.id] = p.Kind, p.Kind
				}
			}
			if kind != end.kind {
				pr.Add(f+"."+end.field, ejournal.T(end.what.RU+" не найден(а) в этой школе.", end.what.EN+" not found in this school."))
			}
		}
		k := [2]string{l.ParentID, l.ChildID}
		if seen[k] {
			pr.Add(f, ejournal.T("Эта связь уже есть в файле.", "This link appears twice in the file."))
		}
		seen[k] = true
	}
	return pr.Err()
}

// maxBatchGet is DynamoDB's limit of keys in one BatchGetItem.
const maxBatchGet = 100

// existingKeys reports which of keys hold an item.
func (db *DB) existingKeys(ctx context.Context, keys []key) (map[key]bool, error) {
	out := map[key]bool{}
	err := db.batchGet(ctx, keys, "PK, SK", func(m item) error {
		pk, _ := m[attrPK].(*types.AttributeValueMemberS)
		sk, _ := m[attrSK].(*types.AttributeValueMemberS)
		if pk != nil && sk != nil {
			out[key{pk.Value, sk.Value}] = true
		}
		return nil
	})
	return out, err
}
