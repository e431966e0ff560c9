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
// seen version) the record v of e after checking that refs exist. Without
// refs it is a single conditional PutItem; with refs, one transaction.
func (db *DB) save(ctx context.Context, e entity, v any, expected int64, refs ...ref) error {
	if len(refs) == 0 {
		if expected == 0 {
			return db.create(ctx, e, v)
		}
		return db.replace(ctx, e, v, expected)
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
	// The SDK fills ClientRequestToken, so a resent transaction is applied once.
	_, err = db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	var tce *types.TransactionCanceledException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &tce):
		return ejournal.Internal(fmt.Errorf("save %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
	}
	reasons := tce.CancellationReasons
	if len(reasons) > 0 && aws.ToString(reasons[0].Code) == "ConditionalCheckFailed" {
		switch {
		case sameRID(reasons[0].Item, rid):
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
	return ejournal.Internal(fmt.Errorf("save %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
}
