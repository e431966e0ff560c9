// Package streams reads a DynamoDB table's stream with the DynamoDB
// Streams API (DescribeStream, GetShardIterator, GetRecords) and hands the
// records, converted to the very events.DynamoDBEvent Lambda delivers, to a
// stream handler. `ejournal serve` uses it to run the notification
// function's handler against DynamoDB Local; in AWS, Lambda's event source
// mapping does this job. It is the only package importing the DynamoDB
// Streams SDK.
package streams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// API is the part of the DynamoDB Streams client the poller uses.
type API interface {
	ListStreams(ctx context.Context, in *dynamodbstreams.ListStreamsInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.ListStreamsOutput, error)
	DescribeStream(ctx context.Context, in *dynamodbstreams.DescribeStreamInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.DescribeStreamOutput, error)
	GetShardIterator(ctx context.Context, in *dynamodbstreams.GetShardIteratorInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error)
	GetRecords(ctx context.Context, in *dynamodbstreams.GetRecordsInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error)
}

// NewClient returns a DynamoDB Streams client of a local engine.
func NewClient(endpoint string) *dynamodbstreams.Client {
	return dynamodbstreams.New(dynamodbstreams.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
}

// Handler consumes a batch of records, as a Lambda stream handler does.
type Handler func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error)

// Poller follows a table's stream.
//
// Where it starts: on its first start (no state), each shard that exists
// is read from its latest record, so a local run never replays the history
// of the table (the demo's seeding, or marks notified in an earlier run);
// shards that appear later are read from their beginning. After each batch
// the poller keeps the last sequence number handled per shard in StateFile,
// so a restart resumes where the last run stopped.
//
// Failures: the records a batch reports as failed are delivered again from
// the first of them, up to MaxAttempts times, and then skipped with a log
// line (Lambda would bisect the batch and send it to its dead-letter
// destination).
type Poller struct {
	API     API
	Table   string
	Handler Handler
	// StateFile keeps the position per shard; "" keeps it in memory only.
	StateFile string
	// MaxAttempts bounds the deliveries of a failing record (default 3).
	MaxAttempts int
	Logger      *slog.Logger

	arn      string
	state    state
	iters    map[string]*string
	closed   map[string]bool
	attempts map[string]int
	// shardIDs are the shards last described, at described; see Poll.
	shardIDs  []string
	described time.Time
}

// describeEvery is how often Poll lists the stream's shards again. Shards
// change rarely (a new one every few hours in DynamoDB, or when one
// closes), and DescribeStream is the costly call in DynamoDB Local: every
// request there waits for one SQLite thread, and describing a stream reads
// its stream records, so asking on every poll of every server slows the
// whole engine as its streams grow.
const describeEvery = 30 * time.Second

// state is the position of the poller in one stream.
type state struct {
	StreamARN string            `json:"stream_arn"`
	Shards    map[string]string `json:"shards"` // shard id → last sequence number handled
}

// Start finds the stream and positions the poller on every shard, so that
// any write made after Start returns is delivered.
func (p *Poller) Start(ctx context.Context) error {
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = 3
	}
	out, err := p.API.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: &p.Table})
	if err != nil {
		return fmt.Errorf("list streams of %s: %w", p.Table, err)
	}
	if len(out.Streams) == 0 {
		return fmt.Errorf("table %s has no stream", p.Table)
	}
	p.arn = aws.ToString(out.Streams[len(out.Streams)-1].StreamArn)
	p.iters, p.closed, p.attempts = map[string]*string{}, map[string]bool{}, map[string]int{}
	first := !p.load()
	shards, err := p.shards(ctx)
	if err != nil {
		return err
	}
	p.shardIDs, p.described = shards, time.Now()
	for _, id := range shards {
		start := types.ShardIteratorTypeTrimHorizon
		if first {
			start = types.ShardIteratorTypeLatest
		}
		if err := p.position(ctx, id, start); err != nil {
			return err
		}
	}
	return p.save()
}

// load reads the state file; it reports whether it knew this stream.
func (p *Poller) load() bool {
	p.state = state{StreamARN: p.arn, Shards: map[string]string{}}
	if p.StateFile == "" {
		return false
	}
	b, err := os.ReadFile(p.StateFile)
	if err != nil {
		return false
	}
	var s state
	if json.Unmarshal(b, &s) != nil || s.StreamARN != p.arn || s.Shards == nil {
		return false
	}
	p.state = s
	return true
}

func (p *Poller) save() error {
	if p.StateFile == "" {
		return nil
	}
	b, err := json.Marshal(p.state)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.StateFile), 0o755); err != nil {
		return err
	}
	tmp := p.StateFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p.StateFile)
}

// shards lists the stream's shard ids.
func (p *Poller) shards(ctx context.Context) ([]string, error) {
	var ids []string
	in := &dynamodbstreams.DescribeStreamInput{StreamArn: &p.arn}
	for {
		out, err := p.API.DescribeStream(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("describe stream: %w", err)
		}
		for _, s := range out.StreamDescription.Shards {
			ids = append(ids, aws.ToString(s.ShardId))
		}
		if out.StreamDescription.LastEvaluatedShardId == nil {
			return ids, nil
		}
		in.ExclusiveStartShardId = out.StreamDescription.LastEvaluatedShardId
	}
}

// position gets an iterator of shard id: after its last handled record
// when the state knows one, else of kind start.
func (p *Poller) position(ctx context.Context, id string, start types.ShardIteratorType) error {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: &p.arn, ShardId: aws.String(id), ShardIteratorType: start}
	if seq := p.state.Shards[id]; seq != "" {
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, aws.String(seq)
	}
	out, err := p.API.GetShardIterator(ctx, in)
	if err != nil && in.SequenceNumber != nil {
		// The position is gone (trimmed, or another engine's): start over.
		p.Logger.Warn("stream position lost, reading the shard from its beginning", "shard", id, "error", err.Error())
		delete(p.state.Shards, id)
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeTrimHorizon, nil
		out, err = p.API.GetShardIterator(ctx, in)
	}
	if err != nil {
		return fmt.Errorf("shard iterator of %s: %w", id, err)
	}
	p.iters[id] = out.ShardIterator
	return nil
}

// Poll reads every open shard once and hands what it got to the handler.
// It returns the number of records read.
func (p *Poller) Poll(ctx context.Context) (int, error) {
	// A stream without shards yet (DynamoDB Local makes the first on the
	// first write) is described on every poll until one appears.
	if len(p.shardIDs) == 0 || time.Since(p.described) >= describeEvery {
		shards, err := p.shards(ctx)
		if err != nil {
			return 0, err
		}
		p.shardIDs, p.described = shards, time.Now()
	}
	total := 0
	for _, id := range p.shardIDs {
		if p.closed[id] {
			continue
		}
		if _, ok := p.iters[id]; !ok {
			if err := p.position(ctx, id, types.ShardIteratorTypeTrimHorizon); err != nil {
				return total, err
			}
		}
		n, err := p.pollShard(ctx, id)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, p.save()
}

func (p *Poller) pollShard(ctx context.Context, id string) (int, error) {
	it := p.iters[id]
	if it == nil {
		// The shard ended: its successor is found by describing again.
		p.closed[id], p.shardIDs = true, nil
		return 0, nil
	}
	out, err := p.API.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(100)})
	// An expired iterator, or one behind the shard's oldest record (DynamoDB
	// Local trims a shard's records when tables come and go): position the
	// shard again, after its last handled record when there is one.
	var expired *types.ExpiredIteratorException
	var trimmed *types.TrimmedDataAccessException
	if errors.As(err, &expired) || errors.As(err, &trimmed) {
		return 0, p.position(ctx, id, types.ShardIteratorTypeTrimHorizon)
	}
	if err != nil {
		return 0, fmt.Errorf("get records of %s: %w", id, err)
	}
	p.iters[id] = out.NextShardIterator
	if len(out.Records) == 0 {
		return 0, nil
	}
	ev := events.DynamoDBEvent{Records: make([]events.DynamoDBEventRecord, len(out.Records))}
	for i, r := range out.Records {
		ev.Records[i] = Record(p.arn, r)
	}
	res, err := p.Handler(ctx, ev)
	if err != nil {
		// The whole batch failed: read it again next time.
		p.Logger.Error("stream batch failed", "shard", id, "error", err.Error())
		return len(out.Records), p.rewind(ctx, id, ev.Records[0].Change.SequenceNumber)
	}
	last, retry := p.handled(ev, res)
	if last != "" {
		p.state.Shards[id] = last
	}
	if retry != "" {
		return len(out.Records), p.rewind(ctx, id, retry)
	}
	return len(out.Records), nil
}

// rewind positions shard id at the record seq, to deliver it again.
func (p *Poller) rewind(ctx context.Context, id, seq string) error {
	out, err := p.API.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
		StreamArn: &p.arn, ShardId: aws.String(id), ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String(seq),
	})
	if err != nil {
		return fmt.Errorf("shard iterator of %s at %s: %w", id, seq, err)
	}
	p.iters[id] = out.ShardIterator
	return nil
}

// handled returns the sequence number up to which the batch counts as
// handled and, if a record is to be delivered again, its sequence number:
// the first failed record, unless it failed MaxAttempts times and is
// skipped.
func (p *Poller) handled(ev events.DynamoDBEvent, res events.DynamoDBEventResponse) (last, retry string) {
	failed := map[string]bool{}
	for _, f := range res.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	for _, r := range ev.Records {
		seq := r.Change.SequenceNumber
		if failed[seq] {
			p.attempts[seq]++
			if p.attempts[seq] < p.MaxAttempts {
				return last, seq
			}
			p.Logger.Error("stream record skipped after repeated failures", "sequence", seq, "event_id", r.EventID)
		}
		delete(p.attempts, seq)
		last = seq
	}
	return last, ""
}

// Run polls every interval until ctx ends; after each poll it calls tick,
// if not nil (the local server dispatches due SMS there). Errors are
// logged, not fatal.
func (p *Poller) Run(ctx context.Context, interval time.Duration, tick func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := p.Poll(ctx); err != nil && ctx.Err() == nil {
			p.Logger.Error("stream poll failed", "error", err.Error())
		}
		if tick != nil && ctx.Err() == nil {
			tick(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Record converts a DynamoDB Streams record into the record Lambda
// delivers for it.
func Record(arn string, r types.Record) events.DynamoDBEventRecord {
	out := events.DynamoDBEventRecord{
		AWSRegion: aws.ToString(r.AwsRegion), EventID: aws.ToString(r.EventID), EventName: string(r.EventName),
		EventSource: aws.ToString(r.EventSource), EventVersion: aws.ToString(r.EventVersion), EventSourceArn: arn,
	}
	if r.UserIdentity != nil {
		out.UserIdentity = &events.DynamoDBUserIdentity{Type: aws.ToString(r.UserIdentity.Type), PrincipalID: aws.ToString(r.UserIdentity.PrincipalId)}
	}
	if d := r.Dynamodb; d != nil {
		out.Change = events.DynamoDBStreamRecord{
			Keys: attributes(d.Keys), NewImage: attributes(d.NewImage), OldImage: attributes(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber), SizeBytes: aws.ToInt64(d.SizeBytes), StreamViewType: string(d.StreamViewType),
		}
		if d.ApproximateCreationDateTime != nil {
			out.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *d.ApproximateCreationDateTime}
		}
	}
	return out
}

func attributes(m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = attribute(v)
	}
	return out
}

// attribute converts one attribute value; the events type holds the same
// ten kinds, with numbers kept as their decimal strings.
func attribute(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *types.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, len(v.Value))
		for i, x := range v.Value {
			l[i] = attribute(x)
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		return events.NewMapAttribute(attributes(v.Value))
	}
	return events.NewNullAttribute()
}
