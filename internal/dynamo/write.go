package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// ref is a record another record points to. A write with refs is one
// transaction: it succeeds only if every referenced record exists (and, with
// personKind, is that kind of person).
type ref struct {
	key   key
	field string
	what  ejournal.Text
	// personKind, when set, also requires the person to be of this kind.
	personKind ejournal.PersonKind
}

func (r ref) check(table string) *types.ConditionCheck {
	c := &types.ConditionCheck{
		TableName:           aws.String(table),
		Key:                 item{attrPK: str(r.key.PK), attrSK: str(r.key.SK)},
		ConditionExpression: aws.String("attribute_exists(PK)"),
	}
	if r.personKind != "" {
		c.ConditionExpression = aws.String("attribute_exists(PK) AND #kind = :kind")
		c.ExpressionAttributeNames = map[string]string{"#kind": "kind"}
		c.ExpressionAttributeValues = item{":kind": str(string(r.personKind))}
	}
	return c
}

// save creates (expected == 0) or replaces (expected = the caller's last
// seen version) the record v of e after checking that refs exist. An audited
// record's entry (with the old value, read first) goes in the same
// transaction. A write with neither refs nor audit is a single conditional
// PutItem.
func (db *DB) save(ctx context.Context, e entity, v any, expected int64, refs ...ref) error {
	if len(refs) == 0 && !e.audit.on() {
		if expected == 0 {
			return db.create(ctx, e, v)
		}
		return db.replace(ctx, e, v, expected)
	}
	var old any
	action := "create"
	if expected > 0 {
		action = "update"
		if e.audit.on() {
			var err error
			if old, err = db.loadOld(ctx, e, v, expected); err != nil {
				return err
			}
		}
	}
	rid := newRID()
	m, err := e.toItem(v, expected+1, rid)
	if err != nil {
		return ejournal.Internal(err)
	}
	put := &types.Put{
		TableName:                           &db.table,
		Item:                                m,
		ConditionExpression:                 aws.String("attribute_not_exists(PK)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	if expected > 0 {
		put.ConditionExpression = aws.String("attribute_exists(PK) AND #v = :v")
		put.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		put.ExpressionAttributeValues = item{":v": num(expected)}
	}
	tx := []types.TransactWriteItem{{Put: put}}
	for _, r := range refs {
		tx = append(tx, types.TransactWriteItem{ConditionCheck: r.check(db.table)})
	}
	if e.audit.on() {
		a, err := db.auditEntry(ctx, e, action, old, v)
		if err != nil {
			return ejournal.Internal(err)
		}
		ap, err := db.auditPut(a)
		if err != nil {
			return ejournal.Internal(err)
		}
		tx = append(tx, ap)
	}
	return db.transact(ctx, e, tx, rid, expected, refs)
}

// remove deletes the record of e if it is still at version expected, with
// its audit entry (old is the record as the caller read it) and the extra
// writes, in one transaction.
func (db *DB) remove(ctx context.Context, e entity, old any, expected int64, extra ...types.TransactWriteItem) error {
	del := &types.Delete{
		TableName:                           &db.table,
		Key:                                 e.keyAV(),
		ConditionExpression:                 aws.String("attribute_exists(PK) AND #v = :v"),
		ExpressionAttributeNames:            map[string]string{"#v": attrVersion},
		ExpressionAttributeValues:           item{":v": num(expected)},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	tx := []types.TransactWriteItem{{Delete: del}}
	if e.audit.on() {
		a, err := db.auditEntry(ctx, e, "delete", old, nil)
		if err != nil {
			return ejournal.Internal(err)
		}
		ap, err := db.auditPut(a)
		if err != nil {
			return ejournal.Internal(err)
		}
		tx = append(tx, ap)
	}
	tx = append(tx, extra...)
	return db.transact(ctx, e, tx, "", expected, nil)
}

// transact runs tx, whose first item writes e's record and whose next
// items check refs, and turns a cancellation into the domain error.
func (db *DB) transact(ctx context.Context, e entity, tx []types.TransactWriteItem, rid string, expected int64, refs []ref) error {
	// The SDK fills ClientRequestToken, so a resent transaction is applied once.
	_, err := db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	var tce *types.TransactionCanceledException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &tce):
		return ejournal.Internal(fmt.Errorf("write %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
	}
	reasons := tce.CancellationReasons
	if len(reasons) > 0 && aws.ToString(reasons[0].Code) == "ConditionalCheckFailed" {
		switch {
		case rid != "" && sameRID(reasons[0].Item, rid):
			return nil
		case expected == 0:
			return ejournal.Conflict(ejournal.T(e.what.RU+": такая запись уже есть.", e.what.EN+" already exists."))
		case len(reasons[0].Item) == 0:
			return ejournal.NotFound(e.what)
		default:
			return ejournal.StaleVersion()
		}
	}
	p := ejournal.Problems{}
	for i, r := range refs {
		if i+1 < len(reasons) && aws.ToString(reasons[i+1].Code) == "ConditionalCheckFailed" {
			p.Add(r.field, ejournal.T(r.what.RU+" не найден(а) в этой школе.", r.what.EN+" not found in this school."))
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	for _, r := range reasons {
		if aws.ToString(r.Code) == "TransactionConflict" {
			return ejournal.Conflict(ejournal.T("Запись одновременно меняет кто-то ещё. Повторите попытку.", "Someone else is changing this record right now. Please try again."))
		}
	}
	return ejournal.Internal(fmt.Errorf("write %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
}
