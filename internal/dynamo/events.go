package dynamo

import (
	"context"
	"fmt"

	"ejournal/internal/ejournal"
)

var _ ejournal.EventService = (*DB)(nil)

var whatEvent = ejournal.T("Событие", "Event")

func eventEntity(e *ejournal.Event) entity {
	return entity{key: eventKey(e.SchoolID, e.ID), idx: eventIndex(e), kind: "event", what: whatEvent, audit: auditRef{e.SchoolID, "event", e.ID}}
}

// Event implements ejournal.EventService (one GetItem).
func (db *DB) Event(ctx context.Context, schoolID, id string) (*ejournal.Event, error) {
	return getByKey[ejournal.Event](ctx, db, eventEntity(&ejournal.Event{SchoolID: schoolID, ID: id}), id)
}

// CreateEvent implements ejournal.EventService. The classes of a class
// event must exist: each is checked in the write's transaction.
func (db *DB) CreateEvent(ctx context.Context, e *ejournal.Event) error {
	db.stamp(&e.ID, &e.CreatedAt, &e.UpdatedAt)
	if err := e.Validate(); err != nil {
		return err
	}
	return db.insert(ctx, eventEntity(e), e, &e.Version, eventRefs(e)...)
}

// UpdateEvent implements ejournal.EventService: e replaces the stored
// event if e.Version is still current; its author and creation time stay.
func (db *DB) UpdateEvent(ctx context.Context, e *ejournal.Event) error {
	old, err := db.Event(ctx, e.SchoolID, e.ID)
	if err != nil {
		return err
	}
	if old.Version != e.Version {
		return ejournal.StaleVersion()
	}
	e.CreatedAt, e.CreatedBy, e.UpdatedAt = old.CreatedAt, old.CreatedBy, db.Now()
	if err := e.Validate(); err != nil {
		return err
	}
	return db.update(ctx, eventEntity(e), e, &e.Version, eventRefs(e)...)
}

// DeleteEvent implements ejournal.EventService.
func (db *DB) DeleteEvent(ctx context.Context, schoolID, id string, version int64) error {
	e, err := db.Event(ctx, schoolID, id)
	if err != nil {
		return err
	}
	if e.Version != version {
		return ejournal.StaleVersion()
	}
	return db.remove(ctx, eventEntity(e), e, version)
}

// Events implements ejournal.EventService with one GSI1 Query over the
// events that start from ejournal.MaxEventDays before from until to,
// keeping those still running on from or later.
func (db *DB) Events(ctx context.Context, schoolID string, from, to ejournal.Date) ([]*ejournal.Event, error) {
	if !from.Valid() || !to.Valid() || from > to {
		return nil, nil
	}
	early := ejournal.DateOf(from.Time().AddDate(0, 0, -ejournal.MaxEventDays))
	all, err := list[ejournal.Event](ctx, db, eventRange(schoolID, early, to))
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if e.Touches(from, to) {
			out = append(out, e)
		}
	}
	return out, nil
}

// eventRefs are the classes a class event needs in place.
func eventRefs(e *ejournal.Event) []ref {
	refs := make([]ref, 0, len(e.ClassIDs))
	for i, c := range e.ClassIDs {
		refs = append(refs, ref{key: classKey(e.SchoolID, c), field: fmt.Sprintf("class_ids[%d]", i), what: whatClass})
	}
	return refs
}
