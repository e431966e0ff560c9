package dynamo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// The notification pipeline's store (Step 5). Access patterns:
//
//	queue a notice        1 GetItem (pending pointer) [+ 1 GetItem of the SMS it points to] + 1 TransactWriteItems
//	                      (idempotency key, inbox item, SMS, pointer); a key seen before cancels it all
//	SMS due to be sent    1 Query per shard of GSI3 DUE#<n>, sort key up to now
//	claim / finish an SMS 1 UpdateItem each, conditioned on its state and lease
//	spend the budget      1 UpdateItem (ADD, conditioned on the limit)
//	delivery report       1 Query of S#<sid>#OUTBOX#<month> + 1 GetItem of the month's budget counter
//	people of a notice    1 BatchGetItem

var _ ejournal.OutboxService = (*DB)(nil)

var whatOutbox = ejournal.T("SMS", "SMS")

// outboxItem is an SMS as stored: the message with the facts its text is
// made of, so that a correction or the next item of a digest can render it
// again, and the lease of the dispatcher sending it.
type outboxItem struct {
	ejournal.OutboxMessage
	ChildID    string       `json:"child_id,omitempty"`
	Digest     bool         `json:"digest,omitempty"`
	Facts      []noticeFact `json:"facts,omitempty"`
	LeaseUntil time.Time    `json:"lease_until,omitzero"`
	Version    int64        `json:"version"`
}

// noticeFact is the facts of one event in a pending SMS.
type noticeFact struct {
	EventKey string               `json:"event_key"`
	Facts    ejournal.NoticeFacts `json:"facts"`
}

// pendingItem points from a recipient, child and group to the SMS still
// pending for them.
type pendingItem struct {
	OutboxID  string    `json:"outbox_id"`
	CreatedAt time.Time `json:"created_at"`
	Version   int64     `json:"version"`
}

// Attributes of the outbox items updated in place.
const (
	attrState     = "state"
	attrLease     = "lease_until"
	attrAttempts  = "attempts"
	attrUsed      = "used"
	attrWarned    = "warned"
	maxQueueTries = 5
	// pendingTTL keeps a pending pointer past any digest it may join.
	pendingTTL = 8 * 24 * time.Hour
)

// dueShard spreads the SMS over the due partitions by their id.
func dueShard(oid string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(oid))
	return h.Sum32() % ejournal.DueShards
}

func outboxMonth(oid string) string { m, _, _ := strings.Cut(oid, "_"); return m }

func outboxEntity(m *ejournal.OutboxMessage) entity {
	e := entity{key: outboxKey(m.SchoolID, m.ID, m.CreatedAt), kind: "outbox", what: whatOutbox}
	if m.State == ejournal.OutboxPending {
		e.idx = dueIndex(m.SchoolID, m.ID, m.SendAfter)
	}
	return e
}

// render sets the SMS's text, segments and cost from its facts.
func (it *outboxItem) render(cost ejournal.Hundredths) {
	facts := make([]ejournal.NoticeFacts, len(it.Facts))
	for i, f := range it.Facts {
		facts[i] = f.Facts
	}
	if it.Digest {
		it.Text = ejournal.DigestText(facts[0].ChildFirstName, facts)
	} else {
		it.Text = ejournal.NoticeText(facts[len(facts)-1])
	}
	it.Segments, _ = ejournal.SMSSegments(it.Text)
	it.Cost = ejournal.Hundredths(it.Segments) * cost
}

// join adds f to the SMS: it replaces the facts of the same event (a
// correction, which keeps reading as a new mark if the first notice did)
// or, in a digest, comes after the others.
func (it *outboxItem) join(f noticeFact) {
	for i, old := range it.Facts {
		if old.EventKey == f.EventKey {
			f.Facts.Changed = f.Facts.Changed && old.Facts.Changed
			it.Facts[i] = f
			return
		}
	}
	if it.Digest {
		it.Facts = append(it.Facts, f)
	} else {
		it.Facts = []noticeFact{f}
	}
}

// QueueNotice implements ejournal.OutboxService. It retries when a
// dispatcher or another notice changed the pending SMS meanwhile.
func (db *DB) QueueNotice(ctx context.Context, n *ejournal.Notice) (bool, error) {
	if n.Key == "" || !ejournal.ValidID(n.SchoolID) || !ejournal.ValidID(n.RecipientID) {
		return false, ejournal.Internal(fmt.Errorf("queue notice: key, school and recipient are required"))
	}
	for range maxQueueTries {
		tx, err := db.noticeTx(ctx, n)
		if err != nil {
			return false, err
		}
		_, err = db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
		failed := cancelled(err)
		switch {
		case err == nil:
			return true, nil
		case failed[0]:
			return false, nil // queued before: the stream delivered it again
		case len(failed) == 0:
			return false, ejournal.Internal(fmt.Errorf("queue notice: %w", err))
		}
	}
	return false, ejournal.Internal(fmt.Errorf("queue notice: too much contention"))
}

// noticeTx builds the transaction of n: the idempotency key first, then the
// inbox item and the SMS.
func (db *DB) noticeTx(ctx context.Context, n *ejournal.Notice) ([]types.TransactWriteItem, error) {
	keyItem := item{
		attrPK: str(noticeKeyKey(n.SchoolID, n.Key).PK), attrSK: str("KEY"), attrType: str("notice_key"),
		attrTTL: num(n.At.Add(ejournal.NoticeKeyTTL).Unix()),
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{TableName: &db.table, Item: keyItem, ConditionExpression: aws.String("attribute_not_exists(PK)")}}}
	if n.Inbox != nil {
		put, err := db.inboxPut(n.Inbox)
		if err != nil {
			return nil, err
		}
		tx = append(tx, put)
	}
	if !n.SMS {
		return tx, nil
	}
	sms, err := db.smsPuts(ctx, n)
	if err != nil {
		return nil, err
	}
	return append(tx, sms...), nil
}

// smsPuts writes n's SMS: into the SMS still pending for its recipient,
// child and group when there is one, else as a new SMS with its pointer.
func (db *DB) smsPuts(ctx context.Context, n *ejournal.Notice) ([]types.TransactWriteItem, error) {
	fact := noticeFact{EventKey: n.EventKey, Facts: n.Facts}
	if n.Suppress != "" {
		it := db.newOutboxItem(n, fact)
		it.State, it.Reason = ejournal.OutboxSuppressed, n.Suppress
		put, err := db.outboxPut(it, 0)
		return []types.TransactWriteItem{put}, err
	}
	pk := pendingKey(n.SchoolID, n.RecipientID, n.ChildID, n.Group)
	pe := entity{key: pk, kind: "pending_sms", what: whatOutbox}
	ptr := new(pendingItem)
	switch err := db.get(ctx, pe, ptr); {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		ptr = nil
	case err != nil:
		return nil, err
	}
	if ptr != nil {
		it := new(outboxItem)
		err := db.get(ctx, outboxEntity(&ejournal.OutboxMessage{SchoolID: n.SchoolID, ID: ptr.OutboxID, CreatedAt: ptr.CreatedAt}), it)
		if err != nil && ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
			return nil, err
		}
		if err == nil && it.State == ejournal.OutboxPending && !it.LeaseUntil.After(db.Now()) {
			it.join(fact)
			it.render(n.SegmentCost)
			it.LeaseUntil = time.Time{}
			put, err := db.outboxPut(it, it.Version)
			return []types.TransactWriteItem{put}, err
		}
	}
	it := db.newOutboxItem(n, fact)
	it.State, it.SendAfter = ejournal.OutboxPending, n.SendAfter
	put, err := db.outboxPut(it, 0)
	if err != nil {
		return nil, err
	}
	m, err := pe.toItem(&pendingItem{OutboxID: it.ID, CreatedAt: it.CreatedAt}, 1, newRID())
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	m[attrTTL] = num(n.At.Add(pendingTTL).Unix())
	ptrPut := &types.Put{TableName: &db.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if ptr != nil {
		ptrPut.ConditionExpression = aws.String("#v = :v")
		ptrPut.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		ptrPut.ExpressionAttributeValues = item{":v": num(ptr.Version)}
		m[attrVersion] = num(ptr.Version + 1)
	}
	return []types.TransactWriteItem{put, {Put: ptrPut}}, nil
}

func (db *DB) newOutboxItem(n *ejournal.Notice, f noticeFact) *outboxItem {
	it := &outboxItem{
		OutboxMessage: ejournal.OutboxMessage{
			ID: n.Month + "_" + ejournal.NewID(), SchoolID: n.SchoolID, RecipientID: n.RecipientID, Phone: n.Phone,
			SendAfter: n.SendAfter, CreatedAt: n.At,
		},
		ChildID: n.ChildID, Digest: n.Digest, Facts: []noticeFact{f},
	}
	it.render(n.SegmentCost)
	return it
}

// outboxPut writes it as a new SMS (expected 0) or over version expected
// of a pending one that no dispatcher holds.
func (db *DB) outboxPut(it *outboxItem, expected int64) (types.TransactWriteItem, error) {
	m, err := outboxEntity(&it.OutboxMessage).toItem(it, expected+1, newRID())
	if err != nil {
		return types.TransactWriteItem{}, ejournal.Internal(err)
	}
	put := &types.Put{TableName: &db.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if expected > 0 {
		put.ConditionExpression = aws.String("#v = :v AND #s = :pending AND (attribute_not_exists(#l) OR #l <= :now)")
		put.ExpressionAttributeNames = map[string]string{"#v": attrVersion, "#s": attrState, "#l": attrLease}
		put.ExpressionAttributeValues = item{":v": num(expected), ":pending": str(string(ejournal.OutboxPending)), ":now": str(sortTime(db.Now()))}
	}
	return types.TransactWriteItem{Put: put}, nil
}

// DueMessages implements ejournal.OutboxService: one Query per shard.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]*ejournal.OutboxMessage, error) {
	var out []*ejournal.OutboxMessage
	for shard := range uint32(ejournal.DueShards) {
		q := query{index: indexGSI3, pk: duePartition(shard), skFrom: "0", skTo: sortTime(now) + "#~", limit: limit}
		n := 0
		err := db.queryAll(ctx, q, func(m item) error {
			it := new(outboxItem)
			if err := unmarshal(m, it); err != nil {
				return ejournal.Internal(err)
			}
			out = append(out, &it.OutboxMessage)
			if n++; n >= limit {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b *ejournal.OutboxMessage) int { return a.SendAfter.Compare(b.SendAfter) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// ClaimMessage implements ejournal.OutboxService. It counts an attempt and
// holds the SMS until lease; m becomes the SMS as claimed.
func (db *DB) ClaimMessage(ctx context.Context, m *ejournal.OutboxMessage, lease time.Time) (bool, error) {
	e := outboxEntity(m)
	out, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: e.keyAV(),
		UpdateExpression:          aws.String("SET #l = :lease, #v = #v + :one ADD #a :one"),
		ConditionExpression:       aws.String("#s = :pending AND (attribute_not_exists(#l) OR #l <= :now)"),
		ExpressionAttributeNames:  map[string]string{"#l": attrLease, "#v": attrVersion, "#a": attrAttempts, "#s": attrState},
		ExpressionAttributeValues: item{":lease": str(sortTime(lease)), ":one": num(1), ":pending": str(string(ejournal.OutboxPending)), ":now": str(sortTime(db.Now()))},
		ReturnValues:              types.ReturnValueAllNew,
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		return false, nil
	case err != nil:
		return false, ejournal.Internal(fmt.Errorf("claim sms %s: %w", m.ID, err))
	}
	it := new(outboxItem)
	if err := unmarshal(out.Attributes, it); err != nil {
		return false, ejournal.Internal(err)
	}
	*m = it.OutboxMessage
	return true, nil
}

// FinishMessage implements ejournal.OutboxService: the outcome of a claimed
// SMS, conditioned on the claim still holding.
func (db *DB) FinishMessage(ctx context.Context, m *ejournal.OutboxMessage) error {
	e := outboxEntity(m)
	names := map[string]string{"#s": attrState, "#r": "reason", "#id": "sns_message_id", "#sent": "sent_at", "#after": "send_after", "#l": attrLease, "#v": attrVersion}
	values := item{":s": str(string(m.State)), ":r": str(m.Reason), ":id": str(m.SNSMessageID), ":after": str(m.SendAfter.UTC().Format(time.RFC3339Nano)), ":one": num(1), ":pending": str(string(ejournal.OutboxPending))}
	set := "SET #s = :s, #r = :r, #id = :id, #after = :after, #v = #v + :one"
	remove := " REMOVE #l"
	if m.State == ejournal.OutboxPending {
		idx := dueIndex(m.SchoolID, m.ID, m.SendAfter)
		set += ", #g3sk = :g3sk"
		names["#g3sk"], values[":g3sk"] = attrGSI3SK, str(idx.GSI3SK)
	} else {
		remove += ", #g3pk, #g3sk"
		names["#g3pk"], names["#g3sk"] = attrGSI3PK, attrGSI3SK
	}
	if !m.SentAt.IsZero() {
		set += ", #sent = :sent"
		values[":sent"] = str(m.SentAt.UTC().Format(time.RFC3339Nano))
	} else {
		delete(names, "#sent")
	}
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: e.keyAV(),
		UpdateExpression:          aws.String(set + remove),
		ConditionExpression:       aws.String("#s = :pending AND attribute_exists(#l)"),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	})
	if err != nil {
		return ejournal.Internal(fmt.Errorf("finish sms %s: %w", m.ID, err))
	}
	return nil
}

// SpendBudget implements ejournal.OutboxService.
func (db *DB) SpendBudget(ctx context.Context, schoolID, month string, segments, limit int) (bool, ejournal.Budget, error) {
	if segments > limit {
		b, err := db.budget(ctx, schoolID, month)
		return false, b, err
	}
	k := budgetKey(schoolID, month)
	out, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)},
		UpdateExpression:          aws.String("SET #t = :t ADD #u :seg"),
		ConditionExpression:       aws.String("attribute_not_exists(#u) OR #u <= :max"),
		ExpressionAttributeNames:  map[string]string{"#u": attrUsed, "#t": attrType},
		ExpressionAttributeValues: item{":seg": num(int64(segments)), ":max": num(int64(limit - segments)), ":t": str("sms_budget")},
		ReturnValues:              types.ReturnValueAllNew,
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		b, err := db.budget(ctx, schoolID, month)
		return false, b, err
	case err != nil:
		return false, ejournal.Budget{}, ejournal.Internal(fmt.Errorf("spend sms budget: %w", err))
	}
	return true, decodeBudget(out.Attributes), nil
}

// RefundBudget implements ejournal.OutboxService.
func (db *DB) RefundBudget(ctx context.Context, schoolID, month string, segments int) error {
	k := budgetKey(schoolID, month)
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)},
		UpdateExpression:          aws.String("ADD #u :seg"),
		ConditionExpression:       aws.String("attribute_exists(#u)"),
		ExpressionAttributeNames:  map[string]string{"#u": attrUsed},
		ExpressionAttributeValues: item{":seg": num(int64(-segments))},
	})
	if err != nil {
		return ejournal.Internal(fmt.Errorf("refund sms budget: %w", err))
	}
	return nil
}

// WarnBudget implements ejournal.OutboxService.
func (db *DB) WarnBudget(ctx context.Context, schoolID, month string) (bool, error) {
	k := budgetKey(schoolID, month)
	_, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)},
		UpdateExpression:          aws.String("SET #w = :true"),
		ConditionExpression:       aws.String("attribute_not_exists(#w)"),
		ExpressionAttributeNames:  map[string]string{"#w": attrWarned},
		ExpressionAttributeValues: item{":true": &types.AttributeValueMemberBOOL{Value: true}},
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		return false, nil
	case err != nil:
		return false, ejournal.Internal(fmt.Errorf("warn sms budget: %w", err))
	}
	return true, nil
}

func (db *DB) budget(ctx context.Context, schoolID, month string) (ejournal.Budget, error) {
	k := budgetKey(schoolID, month)
	out, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: item{attrPK: str(k.PK), attrSK: str(k.SK)}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return ejournal.Budget{}, ejournal.Internal(fmt.Errorf("get sms budget: %w", err))
	}
	return decodeBudget(out.Item), nil
}

func decodeBudget(m item) ejournal.Budget {
	var b ejournal.Budget
	if v, ok := m[attrUsed].(*types.AttributeValueMemberN); ok {
		b.Used, _ = strconv.Atoi(v.Value)
	}
	if v, ok := m[attrWarned].(*types.AttributeValueMemberBOOL); ok {
		b.Warned = v.Value
	}
	return b
}

// OutboxReport implements ejournal.OutboxService. The budget, share and
// warning are the caller's to fill from the school's settings and Used.
func (db *DB) OutboxReport(ctx context.Context, schoolID, month string) (*ejournal.OutboxReport, error) {
	r := &ejournal.OutboxReport{SchoolID: schoolID, Month: month, Suppressed: map[string]int{}}
	var b ejournal.Budget
	err := concurrently(
		func() (err error) { b, err = db.budget(ctx, schoolID, month); return err },
		func() error {
			return db.queryAll(ctx, query{pk: outboxPartition(schoolID, month)}, func(m item) error {
				it := new(outboxItem)
				if err := unmarshal(m, it); err != nil {
					return ejournal.Internal(err)
				}
				switch it.State {
				case ejournal.OutboxSent:
					r.Sent++
					r.Segments += it.Segments
					r.Spend += it.Cost
				case ejournal.OutboxFailed:
					r.Failed++
				case ejournal.OutboxSuppressed:
					r.Suppressed[it.Reason]++
				case ejournal.OutboxPending:
					r.Pending++
				}
				return nil
			})
		},
	)
	r.Used, r.Warning = b.Used, b.Warned
	return r, err
}

// Outbox implements ejournal.OutboxService: one Query per month.
func (db *DB) Outbox(ctx context.Context, schoolID string, months []string, limit int) ([]*ejournal.OutboxMessage, error) {
	var out []*ejournal.OutboxMessage
	for _, month := range months {
		err := db.queryAll(ctx, query{pk: outboxPartition(schoolID, month), descending: true, limit: limit}, func(m item) error {
			if len(out) >= limit {
				return errStop
			}
			it := new(outboxItem)
			if err := unmarshal(m, it); err != nil {
				return ejournal.Internal(err)
			}
			out = append(out, &it.OutboxMessage)
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return nil, err
		}
	}
	return out, nil
}

// NoticePeople implements ejournal.OutboxService: one BatchGetItem per
// 100 people.
func (db *DB) NoticePeople(ctx context.Context, schoolID string, ids []string) (map[string]*ejournal.Person, error) {
	return db.people(ctx, schoolID, slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !ejournal.ValidID(id) }))
}

// inboxPut writes a notice's in-app copy as a new inbox item.
func (db *DB) inboxPut(it *ejournal.InboxItem) (types.TransactWriteItem, error) {
	if !ejournal.ValidID(it.ID) || !ejournal.ValidID(it.RecipientID) {
		return types.TransactWriteItem{}, ejournal.Internal(fmt.Errorf("inbox item %q of %q: invalid identifier", it.ID, it.RecipientID))
	}
	m, err := inboxEntity(it).toItem(it, 1, it.ID)
	if err != nil {
		return types.TransactWriteItem{}, ejournal.Internal(err)
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &db.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}}, nil
}
