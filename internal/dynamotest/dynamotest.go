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

// NewTable creates a new, empty table and returns its name.
func NewTable(tb testing.TB, c *dynamodb.Client) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, tables.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := dynamo.EnsureTable(ctx, c, name); err != nil {
		tb.Fatalf("create table: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name})
	})
	return name
}

// MustOpen returns a store on a new table of the test engine.
func MustOpen(tb testing.TB) *dynamo.DB {
	tb.Helper()
	c := Client(tb)
	return dynamo.New(c, NewTable(tb, c))
}
