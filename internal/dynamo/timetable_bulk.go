package dynamo

import (
	"context"
	"sync"

	"ejournal/internal/ejournal"
)

// SaveTimetableEntries creates many new timetable entries of one school
// year at once, for bulk loads (the demo seed): every entry is validated,
// its references read and its clashes checked (against the year's entries
// and those before it in entries) before anything is written; then they go
// in as few transactions as DynamoDB allows, each bumping HEAD and holding
// the entries' audit entries, as SaveTimetableEntry does for one. A clash
// is ECONFLICT naming the entry (SaveTimetableEntry's message). A
// concurrent edit of the timetable between two transactions stops the load
// with ECONFLICT, the transactions before it written.
func (db *DB) SaveTimetableEntries(ctx context.Context, schoolID, yearID string, entries []*ejournal.TimetableEntry) error {
	year, err := db.timetableYearOf(ctx, schoolID, yearID)
	if err != nil {
		return err
	}
	refs := make([][]ref, len(entries))
	var mu sync.Mutex
	var steps []func() error
	for i, e := range entries {
		e.SchoolID, e.YearID, e.Version = schoolID, yearID, 0
		db.stamp(&e.ID, &e.CreatedAt, &e.UpdatedAt)
		if err := e.Validate(year); err != nil {
			return err
		}
		steps = append(steps, func() error {
			r, err := db.entryRefs(ctx, e)
			mu.Lock()
			refs[i] = r
			mu.Unlock()
			return err
		})
	}
	if err := inBatches(8, steps); err != nil {
		return err
	}
	tt, err := db.readTimetable(ctx, schoolID, yearID)
	if err != nil {
		return err
	}
	others := tt.entries
	for _, e := range entries {
		if err := ejournal.Clashes(e, others, db.entryNamer(ctx, schoolID)); err != nil {
			return err
		}
		others = append(others, e)
	}
	head := tt.head
	w := ttWrite{db: db, sid: schoolID, yid: yearID, head: head}
	seen := map[key]bool{}
	flush := func() error {
		if len(w.ops) == 0 {
			return nil
		}
		if err := w.run(ctx); err != nil {
			return err
		}
		head++
		w, seen = ttWrite{db: db, sid: schoolID, yid: yearID, head: head}, map[key]bool{}
		return nil
	}
	for i, e := range entries {
		var fresh []ref
		for _, r := range refs[i] {
			if !seen[r.key] && !containsRef(fresh, r) {
				fresh = append(fresh, r)
			}
		}
		// The HEAD bump, an entry and an audit entry each, and the checks.
		if 1+2*(len(w.ops)+1)+len(w.refs)+len(fresh) > maxTransactItems {
			if err := flush(); err != nil {
				return err
			}
			fresh = refs[i]
		}
		for _, r := range fresh {
			seen[r.key] = true
		}
		w.refs = append(w.refs, fresh...)
		if err := w.putEntry(e, nil); err != nil {
			return err
		}
	}
	return flush()
}

func containsRef(refs []ref, r ref) bool {
	for _, o := range refs {
		if o.key == r.key {
			return true
		}
	}
	return false
}
