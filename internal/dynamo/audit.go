package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// Audit entries are written in the same transaction as the change they
// record, so there is never a change without its entry. No API route
// updates or deletes them.

type auditReasonKey struct{}

// WithReason returns a context whose audited writes record reason.
func WithReason(ctx context.Context, reason string) context.Context {
	return context.WithValue(ctx, auditReasonKey{}, reason)
}

// actor is who the audit trail names for writes made under ctx.
func actor(ctx context.Context) string {
	if p := ejournal.PrincipalFrom(ctx); p != nil && p.PersonID != "" {
		return p.PersonID
	}
	return "system"
}

// auditEntry builds the entry for a change of e's record from old to new
// (either may be nil) under ctx.
func (db *DB) auditEntry(ctx context.Context, e entity, action string, old, new any) (*ejournal.AuditEntry, error) {
	a := &ejournal.AuditEntry{
		ID:       ejournal.NewID(),
		SchoolID: e.audit.school,
		At:       db.Now(),
		ActorID:  actor(ctx),
		Action:   action,
		Entity:   e.audit.kind,
		EntityID: e.audit.id,
	}
	a.Reason, _ = ctx.Value(auditReasonKey{}).(string)
	var err error
	if old != nil {
		if a.Old, err = json.Marshal(old); err != nil {
			return nil, fmt.Errorf("audit old %s: %w", e.kind, err)
		}
	}
	if new != nil {
		if a.New, err = json.Marshal(new); err != nil {
			return nil, fmt.Errorf("audit new %s: %w", e.kind, err)
		}
	}
	return a, nil
}

// auditPut is the transaction item that stores a.
func (db *DB) auditPut(a *ejournal.AuditEntry) (types.TransactWriteItem, error) {
	e := auditEntity(a)
	m, err := e.toItem(a, 1, newRID())
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           &db.table,
		Item:                m,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}, nil
}

func auditEntity(a *ejournal.AuditEntry) entity {
	return entity{key: auditKey(a), idx: auditIndex(a), kind: "audit", what: ejournal.T("Запись журнала аудита", "Audit entry")}
}

// loadOld reads the stored record of e into a new value of v's type, for the
// audit trail of an update, and checks it is still at version expected.
func (db *DB) loadOld(ctx context.Context, e entity, v any, expected int64) (any, error) {
	old := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	if err := db.get(ctx, e, old); err != nil {
		return nil, err
	}
	if storedVersion(old) != expected {
		return nil, ejournal.StaleVersion()
	}
	return old, nil
}

// storedVersion reads the Version field of a record.
func storedVersion(v any) int64 {
	f := reflect.ValueOf(v).Elem().FieldByName("Version")
	if !f.IsValid() || f.Kind() != reflect.Int64 {
		return 0
	}
	return f.Int()
}

// AuditTrail returns the audit entries of one record, oldest first.
func (db *DB) AuditTrail(ctx context.Context, schoolID, entityKind, entityID string) ([]*ejournal.AuditEntry, error) {
	if !ejournal.ValidID(entityID) || !ejournal.ValidID(entityKind) {
		return nil, nil
	}
	var out []*ejournal.AuditEntry
	err := db.queryAll(ctx, query{pk: auditPartition(schoolID, entityKind, entityID)}, func(m item) error {
		a, err := decodeAudit(m)
		if err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// AuditLog returns a school's audit entries of one day (UTC), newest
// first, at most limit of them (0: all).
func (db *DB) AuditLog(ctx context.Context, schoolID string, day ejournal.Date, limit int) ([]*ejournal.AuditEntry, error) {
	var out []*ejournal.AuditEntry
	q := query{index: indexGSI1, pk: auditLogPartition(schoolID, day), descending: true, limit: limit}
	err := db.queryAll(ctx, q, func(m item) error {
		a, err := decodeAudit(m)
		if err != nil {
			return err
		}
		out = append(out, a)
		if limit > 0 && len(out) >= limit {
			return errStop
		}
		return nil
	})
	if err == errStop {
		err = nil
	}
	return out, err
}

// RecordRead files a read of a record (a personal card) in the audit trail.
func (db *DB) RecordRead(ctx context.Context, schoolID, entityKind, entityID string) error {
	e := entity{audit: auditRef{schoolID, entityKind, entityID}}
	a, err := db.auditEntry(ctx, e, "read", nil, nil)
	if err != nil {
		return ejournal.Internal(err)
	}
	return db.create(ctx, auditEntity(a), a)
}

func decodeAudit(m item) (*ejournal.AuditEntry, error) {
	a := new(ejournal.AuditEntry)
	if err := unmarshal(m, a); err != nil {
		return nil, ejournal.Internal(err)
	}
	return a, nil
}
