package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// Lesson generation: the journal's lessons from the timetable. One run
// reads, whatever the number of lessons:
//
//	the school year, the calendar             2 GetItems
//	the year's classes (or the one class)     1 Query (GetItem)
//	the timetable partition (entries)         1 Query
//	substitutions of the range                1 Query
//	tombstones of the range                   1 Query
//	each class's lessons of the range         1 Query per class (GSI2 class day)
//	each lesson to delete                     1 Query of its partition (marks, attendance)
//	the year's plans, when lessons are new    1 Query, and the year's lessons of each plan
//	                                          that gets new lessons: 1 Query (GSI1 journal)
//
// and writes the changes in transactions of up to maxTransactItems
// lessons, each create conditioned on the lesson not existing and each
// update or delete on the version read. The run leaves one audit entry
// (kind "lesson_generation", the year's id) with its range and counts,
// not one per lesson.

var _ ejournal.LessonGenerator = (*DB)(nil)

// generateWorkers is how many transactions of one run are in flight.
const generateWorkers = 4

// maxConflictRetries bounds the retries of a transaction that met another
// one writing the same lessons.
const maxConflictRetries = 5

// tombstone marks a generated lesson deleted by hand.
type tombstone struct {
	LessonID  string        `json:"lesson_id"`
	ClassID   string        `json:"class_id"`
	Date      ejournal.Date `json:"date"`
	DeletedAt time.Time     `json:"deleted_at"`
}

// tombstonePut is the transaction item that leaves l's tombstone.
func (db *DB) tombstonePut(l *ejournal.Lesson) (types.TransactWriteItem, error) {
	e := entity{key: tombstoneKey(l), kind: "lesson_tombstone"}
	m, err := e.toItem(tombstone{LessonID: l.ID, ClassID: l.ClassID, Date: l.Date, DeletedAt: db.Now()}, 1, newRID())
	if err != nil {
		return types.TransactWriteItem{}, ejournal.Internal(err)
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &db.table, Item: m}}, nil
}

// GenerateLessons implements ejournal.LessonGenerator.
func (db *DB) GenerateLessons(ctx context.Context, schoolID, yearID, classID string, from, to ejournal.Date) (*ejournal.GenerateResult, error) {
	if !ejournal.ValidID(yearID) {
		return nil, ejournal.NotFound(whatYear)
	}
	year, err := db.Year(ctx, schoolID, yearID)
	if err != nil {
		return nil, err
	}
	if err := ejournal.CheckGenerateRange(year, from, to); err != nil {
		return nil, err
	}
	classes, err := db.generateClasses(ctx, schoolID, yearID, classID)
	if err != nil {
		return nil, err
	}
	var (
		cal        *ejournal.Calendar
		entries    []*ejournal.TimetableEntry
		subs       []*ejournal.Substitution
		tombstones []*tombstone
	)
	existing := make([][]*ejournal.Lesson, len(classes))
	reads := []func() error{
		func() (err error) { cal, err = db.Calendar(ctx, schoolID, yearID); return err },
		func() (err error) { entries, err = db.TimetableEntries(ctx, schoolID, yearID); return err },
		func() (err error) { subs, err = db.Substitutions(ctx, schoolID, yearID, from, to); return err },
		into(ctx, db, tombstoneRange(schoolID, yearID, from, to), &tombstones),
	}
	for i, c := range classes {
		reads = append(reads, func() (err error) {
			existing[i], err = db.ClassLessons(ctx, schoolID, c.ID, from, to)
			return err
		})
	}
	if err := concurrently(reads...); err != nil {
		return nil, err
	}
	expected := ejournal.ExpectedLessons(entries, cal, subs, from, to, classID)
	deleted := map[string]bool{}
	for _, t := range tombstones {
		deleted[t.LessonID] = true
	}
	live := expected[:0]
	for _, l := range expected {
		if !deleted[l.ID] {
			live = append(live, l)
		}
	}
	skipped := len(expected) - len(live)
	var all []*ejournal.Lesson
	for _, ls := range existing {
		all = append(all, ls...)
	}
	recorded, err := db.recordedAmong(ctx, schoolID, live, all)
	if err != nil {
		return nil, err
	}
	changes := ejournal.Reconcile(live, all, func(id string) bool { return recorded[id] })
	changes.Skipped += skipped
	if err := db.assignTopics(ctx, year, classID, changes.Create); err != nil {
		return nil, err
	}
	res, err := db.writeChanges(ctx, changes)
	// What was written is audited even when a later transaction failed.
	if aerr := db.auditGeneration(ctx, schoolID, yearID, classID, from, to, res); err == nil {
		err = aerr
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// generateClasses returns the class classID of the year, or every class of
// the year when classID is empty.
func (db *DB) generateClasses(ctx context.Context, schoolID, yearID, classID string) ([]*ejournal.Class, error) {
	if classID == "" {
		return db.Classes(ctx, schoolID, ejournal.ClassFilter{YearID: yearID})
	}
	c, err := db.Class(ctx, schoolID, classID)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND || err == nil && c.YearID != yearID:
		return nil, ejournal.Problems{"class_id": ejournal.T("Класс не найден в этом учебном году.", "The class is not in this school year.")}.Err()
	case err != nil:
		return nil, err
	}
	return []*ejournal.Class{c}, nil
}

// assignTopics gives the new lessons of each class × subject (× group)
// that has a calendar-thematic plan their topics from it, counting the
// topics the year's lessons of that plan already hold (see
// ejournal.AssignPlanTopics).
func (db *DB) assignTopics(ctx context.Context, year *ejournal.SchoolYear, classID string, created []*ejournal.Lesson) error {
	if len(created) == 0 {
		return nil
	}
	plans, err := db.Plans(ctx, year.SchoolID, year.ID, classID)
	if err != nil || len(plans) == 0 {
		return err
	}
	byPlan := map[string][]*ejournal.Lesson{}
	for _, l := range created {
		id := ejournal.PlanID(l.ClassID, l.SubjectID, l.GroupID)
		byPlan[id] = append(byPlan[id], l)
	}
	var steps []func() error
	for _, p := range plans {
		news := byPlan[ejournal.PlanID(p.ClassID, p.SubjectID, p.GroupID)]
		if len(news) == 0 {
			continue
		}
		steps = append(steps, func() error {
			ls, err := db.JournalLessons(ctx, year.SchoolID, p.ClassID, p.SubjectID, year.Start, year.End)
			if err != nil {
				return err
			}
			// Lessons without a plan topic take none here: only the
			// new ones are given topics.
			held := slices.DeleteFunc(ls, func(l *ejournal.Lesson) bool { return l.PlanTopicID == "" })
			ejournal.AssignPlanTopics(p, ejournal.PlanLessons(p, append(held, news...)))
			return nil
		})
	}
	return concurrently(steps...)
}

// recordedAmong finds which of the existing lessons that Reconcile would
// ask about (generated, no longer expected, without a topic or homework)
// hold marks or attendance, reading their partitions at once.
func (db *DB) recordedAmong(ctx context.Context, schoolID string, expected, existing []*ejournal.Lesson) (map[string]bool, error) {
	var asked []string
	ejournal.Reconcile(expected, existing, func(id string) bool {
		asked = append(asked, id)
		return false
	})
	var mu sync.Mutex
	recorded := map[string]bool{}
	reads := make([]func() error, len(asked))
	for i, id := range asked {
		reads[i] = func() error {
			ok, err := db.lessonRecorded(ctx, schoolID, id)
			mu.Lock()
			recorded[id] = ok
			mu.Unlock()
			return err
		}
	}
	return recorded, concurrently(reads...)
}

// lessonWrite is one write of a generation and the count it goes to.
type lessonWrite struct {
	item  types.TransactWriteItem
	count *int
}

// writeChanges writes c in transactions of up to maxTransactItems items,
// generateWorkers at a time. A write whose condition fails (a lesson
// created, moved, edited or deleted meanwhile, or a generated lesson moved
// by hand out of the range, which exists already) is left out and counted
// as skipped; the rest of its transaction is sent again. The result counts
// what was written, also when it fails.
func (db *DB) writeChanges(ctx context.Context, c *ejournal.LessonChanges) (*ejournal.GenerateResult, error) {
	res := &ejournal.GenerateResult{Unchanged: c.Unchanged, Kept: c.Kept, Skipped: c.Skipped}
	now := db.Now()
	var writes []lessonWrite
	add := func(ls []*ejournal.Lesson, count *int, op func(*ejournal.Lesson) (types.TransactWriteItem, error)) error {
		for _, l := range ls {
			it, err := op(l)
			if err != nil {
				return err
			}
			writes = append(writes, lessonWrite{it, count})
		}
		return nil
	}
	err := errors.Join(
		add(c.Create, &res.Created, func(l *ejournal.Lesson) (types.TransactWriteItem, error) {
			l.Version, l.CreatedAt, l.UpdatedAt = 1, now, now
			return db.lessonPut(l, 0)
		}),
		add(c.Update, &res.Updated, func(l *ejournal.Lesson) (types.TransactWriteItem, error) {
			expected := l.Version
			l.Version, l.UpdatedAt = l.Version+1, now
			return db.lessonPut(l, expected)
		}),
		add(c.Delete, &res.Deleted, func(l *ejournal.Lesson) (types.TransactWriteItem, error) {
			return types.TransactWriteItem{Delete: &types.Delete{
				TableName:                 &db.table,
				Key:                       lessonEntity(l).keyAV(),
				ConditionExpression:       aws.String("attribute_exists(PK) AND #v = :v"),
				ExpressionAttributeNames:  map[string]string{"#v": attrVersion},
				ExpressionAttributeValues: item{":v": num(l.Version)},
			}}, nil
		}),
	)
	if err != nil {
		return res, err
	}
	var chunks []func() error
	var mu sync.Mutex
	for start := 0; start < len(writes); start += maxTransactItems {
		chunk := writes[start:min(start+maxTransactItems, len(writes))]
		chunks = append(chunks, func() error {
			done, skipped, err := db.transactLessons(ctx, chunk)
			mu.Lock()
			defer mu.Unlock()
			for _, w := range done {
				*w.count++
			}
			res.Skipped += skipped
			return err
		})
	}
	return res, inBatches(generateWorkers, chunks)
}

// lessonPut is the transaction item that writes l: a new lesson when
// expected is 0, else a replacement of the one at version expected.
func (db *DB) lessonPut(l *ejournal.Lesson, expected int64) (types.TransactWriteItem, error) {
	m, err := lessonEntity(l).toItem(l, expected+1, newRID())
	if err != nil {
		return types.TransactWriteItem{}, ejournal.Internal(err)
	}
	put := &types.Put{TableName: &db.table, Item: m, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if expected > 0 {
		put.ConditionExpression = aws.String("attribute_exists(PK) AND #v = :v")
		put.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		put.ExpressionAttributeValues = item{":v": num(expected)}
	}
	return types.TransactWriteItem{Put: put}, nil
}

// transactLessons writes ws in one transaction. When some conditions fail
// it leaves those writes out and sends the others again; when another
// transaction was writing the same items it waits a little and retries. It
// returns the writes done and how many were left out.
func (db *DB) transactLessons(ctx context.Context, ws []lessonWrite) (done []lessonWrite, skipped int, err error) {
	backoff := 20 * time.Millisecond
	for conflicts := 0; len(ws) > 0; {
		tx := make([]types.TransactWriteItem, len(ws))
		for i, w := range ws {
			tx[i] = w.item
		}
		_, err := db.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
		var tce *types.TransactionCanceledException
		switch {
		case err == nil:
			return append(done, ws...), skipped, nil
		case !errors.As(err, &tce) || len(tce.CancellationReasons) != len(ws):
			return done, skipped, ejournal.Internal(fmt.Errorf("generate lessons: %w", err))
		}
		var rest []lessonWrite
		conflict := false
		for i, r := range tce.CancellationReasons {
			switch aws.ToString(r.Code) {
			case "ConditionalCheckFailed":
				skipped++
				continue
			case "TransactionConflict":
				conflict = true
			}
			rest = append(rest, ws[i])
		}
		if conflict {
			if conflicts++; conflicts > maxConflictRetries {
				return done, skipped, ejournal.Conflict(ejournal.T("Уроки одновременно меняет кто-то ещё. Повторите попытку.", "Someone else is changing these lessons right now. Please try again."))
			}
			select {
			case <-ctx.Done():
				return done, skipped, ejournal.Internal(ctx.Err())
			case <-time.After(backoff):
			}
			backoff *= 2
		}
		ws = rest
	}
	return done, skipped, nil
}

// inBatches runs fns, n at a time, and returns the first error; after an
// error the steps not started are left out.
func inBatches(n int, fns []func() error) error {
	for start := 0; start < len(fns); start += n {
		if err := concurrently(fns[start:min(start+n, len(fns))]...); err != nil {
			return err
		}
	}
	return nil
}

// generationRun is what the audit entry of a generation records.
type generationRun struct {
	YearID  string        `json:"year_id"`
	ClassID string        `json:"class_id,omitempty"`
	From    ejournal.Date `json:"from"`
	To      ejournal.Date `json:"to"`
	*ejournal.GenerateResult
}

// auditGeneration files one audit entry for a generation run that changed
// lessons, under the year ("lesson_generation", yearID).
func (db *DB) auditGeneration(ctx context.Context, schoolID, yearID, classID string, from, to ejournal.Date, res *ejournal.GenerateResult) error {
	if res.Created+res.Updated+res.Deleted == 0 {
		return nil
	}
	e := entity{audit: auditRef{schoolID, "lesson_generation", yearID}}
	a, err := db.auditEntry(ctx, e, "generate", nil, generationRun{YearID: yearID, ClassID: classID, From: from, To: to, GenerateResult: res})
	if err != nil {
		return ejournal.Internal(err)
	}
	return db.create(ctx, auditEntity(a), a)
}
