package dynamo

// Hooks that let the external tests (package dynamo_test, which builds its
// stores with dynamotest and so cannot live in this package) reach the raw
// writes under the directory methods.

import (
	"context"
	"strings"

	"ejournal/internal/ejournal"
)

// Item is a raw item of the table.
type Item = item

// MaxBatchAttempts is how often batchPut sends a batch before giving up.
const MaxBatchAttempts = maxBatchAttempts

// BatchPut exposes batchPut.
func (db *DB) BatchPut(ctx context.Context, items []Item) error { return db.batchPut(ctx, items) }

// SubjectItem returns the stored form of s with an extra attribute of pad
// bytes, for filling partitions quickly.
func SubjectItem(s *ejournal.Subject, pad int) (Item, error) {
	m, err := subjectEntity(s.SchoolID, s.ID).toItem(s, 1, newRID())
	if err != nil {
		return nil, err
	}
	m["pad"] = str(strings.Repeat("x", pad))
	return m, nil
}
