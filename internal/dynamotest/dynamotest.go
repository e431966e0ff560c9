// Package dynamotest gives tests a fresh table on a real DynamoDB engine.
// `make test` starts one DynamoDB Local for the whole run and passes its URL
// in DYNAMODB_ENDPOINT; a test binary run on its own starts one for itself.
// Every call makes a new table, so tests never see each other's items.
package dynamotest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamolocal"
)

var (
	once     sync.Once
	endpoint string
	startErr error
	tables   atomic.Int64
)

// Endpoint returns the URL of the DynamoDB engine for this test run.
func Endpoint(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		if endpoint = os.Getenv("DYNAMODB_ENDPOINT"); endpoint != "" {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		var s *dynamolocal.Server
		s, startErr = dynamolocal.Start(ctx, dynamolocal.Options{})
		if startErr == nil {
			endpoint = s.Endpoint // stopped with the test process (Pdeathsig)
		}
	})
	if startErr != nil {
		tb.Fatalf("DynamoDB Local: %v", startErr)
	}
	return endpoint
}

// Client returns a client of the test engine.
func Client(tb testing.TB) *dynamodb.Client {
	tb.Helper()
	c, err := dynamo.NewClient(context.Background(), Endpoint(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// NewTable creates a new, empty table without a stream and returns its
// name. Tests that read the stream use NewStreamTable: DynamoDB Local
// describes a table's stream on every request (a cost that grows with the
// stream records of the whole engine), so the tables of a test run keep
// streams only where a test reads them.
func NewTable(tb testing.TB, c *dynamodb.Client) string {
	tb.Helper()
	return newTable(tb, c, false)
}

// NewStreamTable creates a new, empty table with the stream of the
// deployed table (NEW_AND_OLD_IMAGES) and returns its name.
func NewStreamTable(tb testing.TB, c *dynamodb.Client) string {
	tb.Helper()
	return newTable(tb, c, true)
}

func newTable(tb testing.TB, c *dynamodb.Client, stream bool) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, tables.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	schema := dynamo.TableSchema(name)
	if !stream {
		schema.StreamSpecification = nil
	}
	if err := dynamo.EnsureTableFrom(ctx, c, schema); err != nil {
		tb.Fatalf("create table: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name})
	})
	return name
}

// MustOpen returns a store on a new table of the test engine, without a
// stream.
func MustOpen(tb testing.TB) *dynamo.DB {
	tb.Helper()
	c := Client(tb)
	return dynamo.New(c, NewTable(tb, c))
}

// MustOpenStream returns a store on a new table of the test engine with
// the deployed table's stream, for tests that read it.
func MustOpenStream(tb testing.TB) *dynamo.DB {
	tb.Helper()
	c := Client(tb)
	return dynamo.New(c, NewStreamTable(tb, c))
}
