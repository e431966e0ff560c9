package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var (
	whatAccount = ejournal.T("Учётная запись", "Account")
	whatSession = ejournal.T("Сеанс", "Session")
)

func accountEntity(a *ejournal.Account) entity {
	return entity{key: loginKey(a.Login), kind: "account", what: whatAccount, audit: auditRef{a.SchoolID, "account", a.PersonID}}
}

func sessionEntity(s *ejournal.Session) entity {
	return entity{key: sessionKey(s.SchoolID, s.PersonID, s.ID), kind: "session", what: whatSession, ttl: s.ExpiresAt.Unix()}
}

// withoutHash is an account as the audit trail shows it.
func withoutHash(a *ejournal.Account) *ejournal.Account {
	c := *a
	c.PasswordHash = ""
	return &c
}

// CreateAccount implements ejournal.IdentityService: the login item, the
// person with its login and the audit entries of both are one transaction.
func (db *DB) CreateAccount(ctx context.Context, a *ejournal.Account) error {
	login, ok := ejournal.NormalizeLogin(a.Login)
	if !ok {
		return ejournal.Problems{"login": ejournal.LoginText}.Err()
	}
	a.Login = login
	if a.PasswordHash == "" {
		return ejournal.Internal(errors.New("create account: no password hash"))
	}
	p, err := db.Person(ctx, a.SchoolID, a.PersonID)
	if err != nil {
		return err
	}
	if p.Login != "" {
		return ejournal.Conflict(ejournal.T("У этого человека уже есть учётная запись.", "This person already has an account."))
	}
	now := db.Now()
	a.CreatedAt, a.UpdatedAt, a.PasswordChangedAt, a.Version = now, now, now, 1
	old := *p
	p.Login, p.UpdatedAt = login, now

	ae := accountEntity(a)
	accountItem, err := ae.toItem(a, 1, newRID())
	if err != nil {
		return ejournal.Internal(err)
	}
	pe := personEntity(p)
	personItem, err := pe.toItem(p, old.Version+1, newRID())
	if err != nil {
		return ejournal.Internal(err)
	}
	tx := []types.TransactWriteItem{
		{Put: &types.Put{TableName: &db.table, Item: accountItem, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Put: &types.Put{
			TableName: &db.table, Item: personItem,
			ConditionExpression:       aws.String("#v = :v AND attribute_not_exists(#login)"),
			ExpressionAttributeNames:  map[string]string{"#v": attrVersion, "#login": "login"},
			ExpressionAttributeValues: item{":v": num(old.Version)},
		}},
	}
	audits, err := db.auditPuts(ctx, auditChange{pe, "update", &old, p}, auditChange{ae, "create", nil, withoutHash(a)})
	if err != nil {
		return err
	}
	_, err = db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append(tx, audits...)})
	switch failed := cancelled(err); {
	case err == nil:
		p.Version = old.Version + 1
		return nil
	case failed[0]:
		return ejournal.Conflict(ejournal.T("Этот логин уже занят.", "This login is taken."))
	case failed[1]:
		return ejournal.StaleVersion()
	default:
		return ejournal.Internal(fmt.Errorf("create account %s: %w", a.PersonID, err))
	}
}

// auditChange is one change to put in the audit trail.
type auditChange struct {
	e        entity
	action   string
	old, new any
}

// auditPuts builds the transaction items of the audit entries of changes.
func (db *DB) auditPuts(ctx context.Context, changes ...auditChange) ([]types.TransactWriteItem, error) {
	var out []types.TransactWriteItem
	for _, c := range changes {
		a, err := db.auditEntry(ctx, c.e, c.action, c.old, c.new)
		if err != nil {
			return nil, ejournal.Internal(err)
		}
		put, err := db.auditPut(a)
		if err != nil {
			return nil, ejournal.Internal(err)
		}
		out = append(out, put)
	}
	return out, nil
}

// cancelled tells which items of a cancelled transaction failed their
// condition; it is all false for any other error (or none).
func cancelled(err error) map[int]bool {
	out := map[int]bool{}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		for i, r := range tce.CancellationReasons {
			out[i] = aws.ToString(r.Code) == "ConditionalCheckFailed"
		}
	}
	return out
}

// Account implements ejournal.IdentityService.
func (db *DB) Account(ctx context.Context, login string) (*ejournal.Account, error) {
	l, ok := ejournal.NormalizeLogin(login)
	if !ok {
		return nil, ejournal.NotFound(whatAccount)
	}
	a := new(ejournal.Account)
	if err := db.get(ctx, accountEntity(&ejournal.Account{Login: l}), a); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAccount implements ejournal.IdentityService. The audit entry
// records the change without the password hash.
func (db *DB) UpdateAccount(ctx context.Context, a *ejournal.Account) error {
	e := accountEntity(a)
	old := new(ejournal.Account)
	if err := db.get(ctx, e, old); err != nil {
		return err
	}
	if old.Version != a.Version || old.SchoolID != a.SchoolID || old.PersonID != a.PersonID {
		return ejournal.StaleVersion()
	}
	a.UpdatedAt = db.Now()
	m, err := e.toItem(a, a.Version+1, newRID())
	if err != nil {
		return ejournal.Internal(err)
	}
	put := &types.Put{
		TableName: &db.table, Item: m,
		ConditionExpression:       aws.String("#v = :v"),
		ExpressionAttributeNames:  map[string]string{"#v": attrVersion},
		ExpressionAttributeValues: item{":v": num(a.Version)},
	}
	audits, err := db.auditPuts(ctx, auditChange{e, "update", withoutHash(old), withoutHash(a)})
	if err != nil {
		return err
	}
	_, err = db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append([]types.TransactWriteItem{{Put: put}}, audits...)})
	switch {
	case err == nil:
		a.Version++
		return nil
	case cancelled(err)[0]:
		return ejournal.StaleVersion()
	default:
		return ejournal.Internal(fmt.Errorf("update account %s: %w", a.PersonID, err))
	}
}

// CreateSession implements ejournal.IdentityService.
func (db *DB) CreateSession(ctx context.Context, s *ejournal.Session) error {
	if !ejournal.ValidID(s.ID) || !ejournal.ValidID(s.SchoolID) || !ejournal.ValidID(s.PersonID) {
		return ejournal.Internal(fmt.Errorf("create session: bad ids %q/%q/%q", s.SchoolID, s.PersonID, s.ID))
	}
	s.Version = 1
	return db.create(ctx, sessionEntity(s), s)
}

// Session implements ejournal.IdentityService.
func (db *DB) Session(ctx context.Context, schoolID, personID, id string) (*ejournal.Session, error) {
	if !ejournal.ValidID(schoolID) || !ejournal.ValidID(personID) || !ejournal.ValidID(id) {
		return nil, ejournal.NotFound(whatSession)
	}
	s := new(ejournal.Session)
	if err := db.get(ctx, sessionEntity(&ejournal.Session{SchoolID: schoolID, PersonID: personID, ID: id}), s); err != nil {
		return nil, err
	}
	// DynamoDB deletes expired items only eventually.
	if !s.ExpiresAt.After(db.Now()) {
		return nil, ejournal.NotFound(whatSession)
	}
	return s, nil
}

// Sessions implements ejournal.IdentityService.
func (db *DB) Sessions(ctx context.Context, schoolID, personID string) ([]*ejournal.Session, error) {
	all, err := list[ejournal.Session](ctx, db, query{pk: sessionPartition(schoolID, personID), skPrefix: sessionPrefix})
	if err != nil {
		return nil, err
	}
	now := db.Now()
	out := all[:0]
	for _, s := range all {
		if s.ExpiresAt.After(now) {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// UpdateSession implements ejournal.IdentityService.
func (db *DB) UpdateSession(ctx context.Context, s *ejournal.Session) error {
	expected := s.Version
	s.Version = expected + 1
	if err := db.replace(ctx, sessionEntity(s), s, expected); err != nil {
		s.Version = expected
		return err
	}
	return nil
}

// DeleteSession implements ejournal.IdentityService.
func (db *DB) DeleteSession(ctx context.Context, schoolID, personID, id string) error {
	if !ejournal.ValidID(schoolID) || !ejournal.ValidID(personID) || !ejournal.ValidID(id) {
		return nil
	}
	return db.deleteKey(ctx, sessionKey(schoolID, personID, id))
}

func (db *DB) deleteKey(ctx context.Context, k key) error {
	_, err := db.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)}})
	if err != nil {
		return ejournal.Internal(fmt.Errorf("delete %s/%s: %w", k.PK, k.SK, err))
	}
	return nil
}

// DeleteSessions implements ejournal.IdentityService.
func (db *DB) DeleteSessions(ctx context.Context, schoolID, personID, keep string) error {
	all, err := list[ejournal.Session](ctx, db, query{pk: sessionPartition(schoolID, personID), skPrefix: sessionPrefix})
	if err != nil {
		return err
	}
	var reqs []types.WriteRequest
	for _, s := range all {
		if s.ID != keep {
			k := sessionKey(schoolID, personID, s.ID)
			reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: item{attrPK: str(k.PK), attrSK: str(k.SK)}}})
		}
	}
	for start := 0; start < len(reqs); start += batchSize {
		if err := db.batchWrite(ctx, reqs[start:min(start+batchSize, len(reqs))]); err != nil {
			return err
		}
	}
	return nil
}

// Attributes of a throttling counter.
const (
	attrCount = "count"
	attrStart = "start" // Unix milliseconds of the window's first failure
)

// throttleValue reports whether a counter's value can be part of a key.
func throttleValue(kind, value string) bool {
	return kind != "" && value != "" && len(value) <= 256 && !strings.Contains(kind+value, "#")
}

// Throttle implements ejournal.IdentityService.
func (db *DB) Throttle(ctx context.Context, kind, value string, window time.Duration) (ejournal.Throttle, error) {
	if !throttleValue(kind, value) {
		return ejournal.Throttle{}, nil
	}
	k := throttleKey(kind, value)
	out, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return ejournal.Throttle{}, ejournal.Internal(fmt.Errorf("get throttle %s: %w", kind, err))
	}
	t := decodeThrottle(out.Item)
	if !t.Start.After(db.Now().Add(-window)) {
		return ejournal.Throttle{}, nil
	}
	return t, nil
}

func decodeThrottle(m item) ejournal.Throttle {
	var t ejournal.Throttle
	if v, ok := m[attrCount].(*types.AttributeValueMemberN); ok {
		t.Count, _ = strconv.Atoi(v.Value)
	}
	if v, ok := m[attrStart].(*types.AttributeValueMemberN); ok {
		ms, _ := strconv.ParseInt(v.Value, 10, 64)
		t.Start = time.UnixMilli(ms).UTC()
	}
	return t
}

// CountFailure implements ejournal.IdentityService. A counter whose window
// has passed starts again at one; both cases are single conditional
// updates, retried when a concurrent failure raced this one.
func (db *DB) CountFailure(ctx context.Context, kind, value string, window time.Duration) (ejournal.Throttle, error) {
	if !throttleValue(kind, value) {
		return ejournal.Throttle{}, nil
	}
	k := throttleKey(kind, value)
	now := db.Now()
	names := map[string]string{"#c": attrCount, "#s": attrStart}
	cutoff := num(now.Add(-window).UnixMilli())
	for range 4 {
		out, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)},
			UpdateExpression:          aws.String("ADD #c :one"),
			ConditionExpression:       aws.String("#s > :cutoff"),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: item{":one": num(1), ":cutoff": cutoff},
			ReturnValues:              types.ReturnValueAllNew,
		})
		if err == nil {
			return decodeThrottle(out.Attributes), nil
		}
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			return ejournal.Throttle{}, ejournal.Internal(fmt.Errorf("count %s failure: %w", kind, err))
		}
		out, err = db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)},
			UpdateExpression:          aws.String("SET #c = :one, #s = :now, #ttl = :ttl"),
			ConditionExpression:       aws.String("attribute_not_exists(#s) OR #s <= :cutoff"),
			ExpressionAttributeNames:  map[string]string{"#c": attrCount, "#s": attrStart, "#ttl": attrTTL},
			ExpressionAttributeValues: item{":one": num(1), ":now": num(now.UnixMilli()), ":cutoff": cutoff, ":ttl": num(now.Add(window).Unix() + 1)},
			ReturnValues:              types.ReturnValueAllNew,
		})
		if err == nil {
			return decodeThrottle(out.Attributes), nil
		}
		if !errors.As(err, &ccf) {
			return ejournal.Throttle{}, ejournal.Internal(fmt.Errorf("count %s failure: %w", kind, err))
		}
	}
	return ejournal.Throttle{}, ejournal.Internal(fmt.Errorf("count %s failure: too much contention", kind))
}

// ResetThrottle implements ejournal.IdentityService.
func (db *DB) ResetThrottle(ctx context.Context, kind, value string) error {
	if !throttleValue(kind, value) {
		return nil
	}
	return db.deleteKey(ctx, throttleKey(kind, value))
}

// Relations implements ejournal.IdentityService: the person (GetItem), a
// parent's links (a Query of the school partition) and each child
// (GetItem), and for staff one Query of their teacher collection in GSI2
// (assignments and classes they lead) narrowed to the current school year
// (a Query of the school's years).
func (db *DB) Relations(ctx context.Context, schoolID, personID string) (*ejournal.Relations, error) {
	p, err := db.Person(ctx, schoolID, personID)
	if err != nil {
		return nil, err
	}
	rel := &ejournal.Relations{Person: p}
	links, err := db.Children(ctx, schoolID, personID)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		c, err := db.Person(ctx, schoolID, l.ChildID)
		if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		rel.Children = append(rel.Children, c)
	}
	if p.Kind != ejournal.Staff {
		return rel, nil
	}
	err = db.queryAll(ctx, query{index: indexGSI2, pk: teacherCollection(schoolID, personID)}, func(m item) error {
		sk, _ := m[attrGSI2SK].(*types.AttributeValueMemberS)
		switch {
		case sk == nil:
		case strings.HasPrefix(sk.Value, assignmentPrefix):
			a := new(ejournal.Assignment)
			if err := unmarshal(m, a); err != nil {
				return ejournal.Internal(err)
			}
			rel.Assignments = append(rel.Assignments, a)
		case strings.HasPrefix(sk.Value, classTeacherPrefix):
			c := new(ejournal.Class)
			if err := unmarshal(m, c); err != nil {
				return ejournal.Internal(err)
			}
			rel.ClassTeacherOf = append(rel.ClassTeacherOf, c)
		}
		return nil
	})
	if err != nil || (len(rel.Assignments) == 0 && len(rel.ClassTeacherOf) == 0) {
		return rel, err
	}
	years, err := db.Years(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	if y := currentYear(years, ejournal.DateOf(db.Now())); y != "" {
		rel.Assignments = inYear(rel.Assignments, y, func(a *ejournal.Assignment) string { return a.YearID })
		rel.ClassTeacherOf = inYear(rel.ClassTeacherOf, y, func(c *ejournal.Class) string { return c.YearID })
	}
	return rel, nil
}

// currentYear is the school year that has most recently started by today,
// or the first one when none has started yet ("" when there are none).
// years are sorted by start.
func currentYear(years []*ejournal.SchoolYear, today ejournal.Date) string {
	if len(years) == 0 {
		return ""
	}
	cur := years[0].ID
	for _, y := range years {
		if y.Start <= today {
			cur = y.ID
		}
	}
	return cur
}

func inYear[T any](items []*T, year string, yearOf func(*T) string) []*T {
	out := items[:0]
	for _, v := range items {
		if yearOf(v) == year {
			out = append(out, v)
		}
	}
	return out
}
