// Package dynamo stores the e-journal in one DynamoDB table (single-table
// design) with aws-sdk-go-v2. It is the only package that imports the
// DynamoDB SDK. Keys are built in keys.go; the access patterns are listed in
// docs/ARCHITECTURE.md.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// API is the part of the DynamoDB client the store uses. Tests wrap the real
// client to count requests or to inject faults.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// DB is the store: one table reached through API.
type DB struct {
	api   API
	table string
	// Now is the clock; tests may replace it.
	Now func() time.Time
}

// New returns a store on table through api.
func New(api API, table string) *DB {
	return &DB{api: api, table: table, Now: func() time.Time { return time.Now().UTC() }}
}

// Table is the table's name.
func (db *DB) Table() string { return db.table }

// NewClient returns a DynamoDB client. With an endpoint (DynamoDB Local or
// another engine) it uses fixed local credentials; without one it uses the
// default AWS configuration of the environment (the Lambda role in AWS).
func NewClient(ctx context.Context, endpoint string) (*dynamodb.Client, error) {
	if endpoint != "" {
		return dynamodb.New(dynamodb.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(endpoint),
			Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		}), nil
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	return dynamodb.NewFromConfig(cfg), nil
}

// Item attribute values.
type item = map[string]types.AttributeValue

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: fmt.Sprint(n)}
}

func marshal(v any) (item, error) {
	m, err := attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) { o.TagKey = "json" })
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", v, err)
	}
	return m, nil
}

func unmarshal(m item, v any) error {
	if err := attributevalue.UnmarshalMapWithOptions(m, v, func(o *attributevalue.DecoderOptions) { o.TagKey = "json" }); err != nil {
		return fmt.Errorf("unmarshal %T: %w", v, err)
	}
	return nil
}

// entity describes how one record is stored: its key, index keys, type and
// the name users see in messages about it.
type entity struct {
	key  key
	idx  indexKeys
	kind string
	what ejournal.Text
	// ttl, when set, is the Unix time after which DynamoDB deletes the item.
	ttl int64
	// audit names the record in the audit trail; a zero value means the
	// item is not a record (a session, a counter) and is not audited.
	audit auditRef
}

// auditRef is the record an audit entry is filed under.
type auditRef struct{ school, kind, id string }

func (a auditRef) on() bool { return a.kind != "" }

func (e entity) keyAV() item { return item{attrPK: str(e.key.PK), attrSK: str(e.key.SK)} }

// toItem marshals v and adds the key, index, type, version and request id.
func (e entity) toItem(v any, version int64, rid string) (item, error) {
	m, err := marshal(v)
	if err != nil {
		return nil, err
	}
	m[attrPK], m[attrSK] = str(e.key.PK), str(e.key.SK)
	for name, val := range map[string]string{attrGSI1PK: e.idx.GSI1PK, attrGSI1SK: e.idx.GSI1SK, attrGSI2PK: e.idx.GSI2PK, attrGSI2SK: e.idx.GSI2SK, attrGSI3PK: e.idx.GSI3PK, attrGSI3SK: e.idx.GSI3SK} {
		if val != "" {
			m[name] = str(val)
		}
	}
	m[attrType] = str(e.kind)
	m[attrVersion] = num(version)
	m[attrRID] = str(rid)
	if e.ttl > 0 {
		m[attrTTL] = num(e.ttl)
	}
	return m, nil
}

// newRID returns the request id stored with a write. The SDK resends the
// very same request when an answer is lost, so a condition failure on an
// item that carries our own rid means our first attempt succeeded.
func newRID() string { return ejournal.NewID() }

// create writes v as a new item. It fails with ECONFLICT when the key is
// taken by another write; it succeeds when the key holds this very write
// (a retry whose first answer was lost).
func (db *DB) create(ctx context.Context, e entity, v any) error {
	rid := newRID()
	m, err := e.toItem(v, 1, rid)
	if err != nil {
		return ejournal.Internal(err)
	}
	_, err = db.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           &db.table,
		Item:                                m,
		ConditionExpression:                 aws.String("attribute_not_exists(PK)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ccf):
		if sameRID(ccf.Item, rid) {
			return nil
		}
		return ejournal.Conflict(ejournal.T(e.what.RU+": такая запись уже есть.", e.what.EN+" already exists."))
	default:
		return ejournal.Internal(fmt.Errorf("create %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
	}
}

// replace overwrites the item of e with v if its stored version is still
// expected. It returns ENOTFOUND when the item is gone and ECONFLICT when
// someone else wrote it first.
func (db *DB) replace(ctx context.Context, e entity, v any, expected int64) error {
	rid := newRID()
	m, err := e.toItem(v, expected+1, rid)
	if err != nil {
		return ejournal.Internal(err)
	}
	_, err = db.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           &db.table,
		Item:                                m,
		ConditionExpression:                 aws.String("attribute_exists(PK) AND #v = :v"),
		ExpressionAttributeNames:            map[string]string{"#v": attrVersion},
		ExpressionAttributeValues:           item{":v": num(expected)},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ccf):
		if sameRID(ccf.Item, rid) {
			return nil
		}
		if len(ccf.Item) == 0 {
			return ejournal.NotFound(e.what)
		}
		return ejournal.StaleVersion()
	default:
		return ejournal.Internal(fmt.Errorf("replace %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
	}
}

func sameRID(m item, rid string) bool {
	v, ok := m[attrRID].(*types.AttributeValueMemberS)
	return ok && v.Value == rid
}

// get reads one item into v, returning ENOTFOUND when it does not exist.
func (db *DB) get(ctx context.Context, e entity, v any) error {
	out, err := db.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: &db.table, Key: e.keyAV(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return ejournal.Internal(fmt.Errorf("get %s %s/%s: %w", e.kind, e.key.PK, e.key.SK, err))
	}
	if len(out.Item) == 0 {
		return ejournal.NotFound(e.what)
	}
	if err := unmarshal(out.Item, v); err != nil {
		return ejournal.Internal(err)
	}
	return nil
}

// query is a key condition on the table or one of its indexes: pk equals
// and, optionally, sk begins with a prefix.
type query struct {
	index    string // "" for the table
	pk       string
	skPrefix string
	// skFrom and skTo, when set, bound the sort key (BETWEEN) instead of skPrefix.
	skFrom, skTo string
	descending   bool
	// consistent asks for a strongly consistent read (the table only).
	consistent bool
	// limit is a page size hint; queryAll still reads to the end unless
	// its callback stops it with errStop.
	limit int
	// filter, when set, is a FilterExpression with its own names and
	// values; it only spares the answer what it drops (those items are
	// still read).
	filter       string
	filterNames  map[string]string
	filterValues item
}

// errStop ends queryAll early without an error.
var errStop = errors.New("stop")

func (q query) input(table string) *dynamodb.QueryInput {
	pkName, skName := attrPK, attrSK
	switch q.index {
	case indexGSI1:
		pkName, skName = attrGSI1PK, attrGSI1SK
	case indexGSI2:
		pkName, skName = attrGSI2PK, attrGSI2SK
	case indexGSI3:
		pkName, skName = attrGSI3PK, attrGSI3SK
	}
	in := &dynamodb.QueryInput{
		TableName:                 &table,
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkName},
		ExpressionAttributeValues: item{":pk": str(q.pk)},
	}
	if q.index != "" {
		in.IndexName = aws.String(q.index)
	}
	switch {
	case q.skFrom != "" || q.skTo != "":
		in.KeyConditionExpression = aws.String("#pk = :pk AND #sk BETWEEN :from AND :to")
		in.ExpressionAttributeNames["#sk"] = skName
		in.ExpressionAttributeValues[":from"] = str(q.skFrom)
		in.ExpressionAttributeValues[":to"] = str(q.skTo)
	case q.skPrefix != "":
		in.KeyConditionExpression = aws.String("#pk = :pk AND begins_with(#sk, :sk)")
		in.ExpressionAttributeNames["#sk"] = skName
		in.ExpressionAttributeValues[":sk"] = str(q.skPrefix)
	}
	if q.descending {
		in.ScanIndexForward = aws.Bool(false)
	}
	if q.consistent {
		in.ConsistentRead = aws.Bool(true)
	}
	if q.limit > 0 {
		in.Limit = aws.Int32(int32(q.limit))
	}
	if q.filter != "" {
		in.FilterExpression = aws.String(q.filter)
		maps.Copy(in.ExpressionAttributeNames, q.filterNames)
		maps.Copy(in.ExpressionAttributeValues, q.filterValues)
	}
	return in
}

// queryAll runs q to the end, following LastEvaluatedKey past each 1 MB
// page, and calls each for every item.
func (db *DB) queryAll(ctx context.Context, q query, each func(item) error) error {
	p := dynamodb.NewQueryPaginator(db.api, q.input(db.table))
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return ejournal.Internal(fmt.Errorf("query %s %s: %w", q.index, q.pk, err))
		}
		for _, m := range out.Items {
			if err := each(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// list runs q and unmarshals every item into a new T.
func list[T any](ctx context.Context, db *DB, q query) ([]*T, error) {
	var out []*T
	err := db.queryAll(ctx, q, func(m item) error {
		v := new(T)
		if err := unmarshal(m, v); err != nil {
			return ejournal.Internal(err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// batchSize is DynamoDB's limit of items in one BatchWriteItem.
const batchSize = 25

// maxBatchAttempts bounds the retries of unprocessed items.
const maxBatchAttempts = 8

// batchPut writes items unconditionally in batches of 25, resending the
// items DynamoDB reports as unprocessed with exponential backoff and jitter.
// It is for bulk loads (seeding, imports) where every item is new or an
// idempotent overwrite; versioned edits go through replace.
func (db *DB) batchPut(ctx context.Context, items []item) error {
	for start := 0; start < len(items); start += batchSize {
		end := min(start+batchSize, len(items))
		reqs := make([]types.WriteRequest, 0, end-start)
		for _, m := range items[start:end] {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: m}})
		}
		if err := db.batchWrite(ctx, reqs); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	pending := map[string][]types.WriteRequest{db.table: reqs}
	backoff := 25 * time.Millisecond
	for attempt := 1; ; attempt++ {
		out, err := db.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return ejournal.Internal(fmt.Errorf("batch write: %w", err))
		}
		if len(out.UnprocessedItems[db.table]) == 0 {
			return nil
		}
		if attempt == maxBatchAttempts {
			return ejournal.Internal(fmt.Errorf("batch write: %d items still unprocessed after %d attempts", len(out.UnprocessedItems[db.table]), attempt))
		}
		pending = out.UnprocessedItems
		sleep := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return ejournal.Internal(ctx.Err())
		case <-time.After(sleep):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}
