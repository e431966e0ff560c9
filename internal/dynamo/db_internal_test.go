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

// Plain is a record that is not audited, so its writes take the single
// conditional PutItem path (as sessions and counters do).
type Plain struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version int64  `json:"version"`
}

func plainEntity(id string) entity {
	return entity{key: key{"TEST#" + id, "PLAIN"}, kind: "plain", what: ejournal.T("Запись", "Record")}
}

// CreatePlain creates p with a conditional PutItem.
func (db *DB) CreatePlain(ctx context.Context, p *Plain) error {
	return db.insert(ctx, plainEntity(p.ID), p, &p.Version)
}

// UpdatePlain replaces p if its version is current.
func (db *DB) UpdatePlain(ctx context.Context, p *Plain) error {
	return db.update(ctx, plainEntity(p.ID), p, &p.Version)
}

// GetPlain reads a Plain record.
func (db *DB) GetPlain(ctx context.Context, id string) (*Plain, error) {
	return getByKey[Plain](ctx, db, plainEntity(id), id)
}
