package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

// The reports' reads (Step 6). ReportInputs reads, for a period, in three
// rounds (every request is a Query or a GetItem):
//
//	1. the school year                                       1 GetItem
//	2. at once: the school, the grading settings              2 GetItems
//	   the year's classes (GSI1), the subjects                2 Queries
//	   the movements from the period's start on              1 Query
//	   whole school: every student (GSI2 kind collection)
//	   and the assignments (school partition)                 2 Queries
//	   a class or a parallel: each class collection (GSI1:
//	   its students, groups and assignments)                  1 Query per class
//	   the plans (КТП), when asked                            1 Query
//	   a class or a parallel: each student who moved out of
//	   one of its classes since the period's start           1 GetItem per such movement
//	3. per class × subject taught (journal collection, GSI1):
//	   term marks of the year T#<yid>#, marks M#<from..to>,
//	   lessons L#<from..to> — as asked                       ≤ 3 Queries each
//	   per class: attendance (GSI3), when asked               1 Query per class
//
// Round 3 runs at most maxReportQueries requests at a time. The number of
// requests grows with the classes and the subjects they are taught, never
// with students, marks or lessons: those only lengthen the Queries' pages.

var _ ejournal.ReportService = (*DB)(nil)

// maxReportQueries bounds the Queries a report runs at once.
const maxReportQueries = 8

// reportHorizon bounds the movements read after a period's end: all of them.
const reportHorizon ejournal.Date = "9999-12-31"

var whatReportJob = ejournal.T("Задание на отчёт", "Report job")

// bounded runs fns with at most limit at a time and returns the first error.
func bounded(limit int, fns ...func() error) error {
	errs := make([]error, len(fns))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, f := range fns {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = f()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ReportInputs implements ejournal.ReportService.
func (db *DB) ReportInputs(ctx context.Context, sid, yid, period string, f ejournal.ReportFilter, parts ejournal.ReportParts) (*ejournal.ReportData, error) {
	y, err := db.Year(ctx, sid, yid)
	if err != nil {
		return nil, err
	}
	from, to, ok := periodDates(y, period)
	if !ok {
		return nil, ejournal.Problems{"period": ejournal.T("Четверть (триместр, полугодие) учебного года или year.", "A term of the school year, or year.")}.Err()
	}
	d := &ejournal.ReportData{Year: y, Period: period, From: from, To: to}
	var classes []*ejournal.Class
	steps := []func() error{
		func() (err error) { d.School, err = db.School(ctx, sid); return err },
		func() (err error) { d.Grading, err = db.GradingSettings(ctx, sid, yid); return err },
		func() (err error) { classes, err = db.Classes(ctx, sid, ejournal.ClassFilter{YearID: yid}); return err },
		func() (err error) { d.Subjects, err = db.Subjects(ctx, sid); return err },
		func() (err error) {
			d.Movements, err = list[ejournal.Movement](ctx, db, movementRange(sid, from, reportHorizon))
			return err
		},
	}
	if parts.Plans {
		steps = append(steps, func() (err error) { d.Plans, err = db.Plans(ctx, sid, yid, f.ClassID); return err })
	}
	whole := f.ClassID == "" && f.Grade == 0
	if whole {
		steps = append(steps,
			into(ctx, db, query{index: indexGSI2, pk: kindCollection(sid, ejournal.Student), skPrefix: personPrefix}, &d.Students),
			into(ctx, db, query{pk: schoolPK(sid), skPrefix: assignmentPrefix}, &d.Assignments))
		if err := concurrently(steps...); err != nil {
			return nil, err
		}
		d.Classes = pickClasses(classes, f)
	} else {
		// The classes must be known before their collections are read.
		if err := concurrently(steps...); err != nil {
			return nil, err
		}
		if d.Classes = pickClasses(classes, f); f.ClassID != "" && len(d.Classes) == 0 {
			return nil, ejournal.NotFound(whatClass)
		}
		if err := db.classCollections(ctx, sid, d); err != nil {
			return nil, err
		}
	}
	d.Assignments = slices.DeleteFunc(d.Assignments, func(a *ejournal.Assignment) bool {
		return a.YearID != yid || (f.SubjectID != "" && a.SubjectID != f.SubjectID) || (f.TeacherID != "" && a.TeacherID != f.TeacherID)
	})
	if f.TeacherID != "" {
		d.Classes = slices.DeleteFunc(d.Classes, func(c *ejournal.Class) bool {
			return !slices.ContainsFunc(d.Assignments, func(a *ejournal.Assignment) bool { return a.ClassID == c.ID })
		})
	}
	in := map[string]bool{}
	for _, c := range d.Classes {
		in[c.ID] = true
	}
	d.Assignments = slices.DeleteFunc(d.Assignments, func(a *ejournal.Assignment) bool { return !in[a.ClassID] })
	d.Roster = slices.DeleteFunc(ejournal.RosterAt(from, to, d.Students, d.Movements), func(e ejournal.RosterEntry) bool { return !in[e.ClassID] })
	if err := db.journals(ctx, sid, d, parts); err != nil {
		return nil, err
	}
	return d, nil
}

// pickClasses keeps the classes f names (one, or a parallel).
func pickClasses(classes []*ejournal.Class, f ejournal.ReportFilter) []*ejournal.Class {
	return slices.DeleteFunc(classes, func(c *ejournal.Class) bool {
		return (f.ClassID != "" && c.ID != f.ClassID) || (f.Grade != 0 && c.Grade != f.Grade)
	})
}

// classCollections reads each class collection of d.Classes (its students,
// groups and assignments) and then the students who moved out of one of
// them since the period's start, with one GetItem each.
func (db *DB) classCollections(ctx context.Context, sid string, d *ejournal.ReportData) error {
	var mu sync.Mutex
	var steps []func() error
	for _, c := range d.Classes {
		steps = append(steps, func() error {
			return db.queryAll(ctx, query{index: indexGSI1, pk: classCollection(sid, c.ID)}, func(m item) error {
				sk, _ := m[attrGSI1SK].(*types.AttributeValueMemberS)
				if sk == nil {
					return nil
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case strings.HasPrefix(sk.Value, studentPrefix):
					p := new(ejournal.Person)
					if err := unmarshal(m, p); err != nil {
						return ejournal.Internal(err)
					}
					d.Students = append(d.Students, p)
				case strings.HasPrefix(sk.Value, assignmentPrefix):
					a := new(ejournal.Assignment)
					if err := unmarshal(m, a); err != nil {
						return ejournal.Internal(err)
					}
					d.Assignments = append(d.Assignments, a)
				}
				return nil
			})
		})
	}
	if err := bounded(maxReportQueries, steps...); err != nil {
		return err
	}
	have := map[string]bool{}
	for _, p := range d.Students {
		have[p.ID] = true
	}
	steps = nil
	for _, m := range d.Movements {
		if have[m.StudentID] || !slices.ContainsFunc(d.Classes, func(c *ejournal.Class) bool { return c.ID == m.FromClassID || c.ID == m.ToClassID }) {
			continue
		}
		have[m.StudentID] = true
		steps = append(steps, func() error {
			p, err := db.Person(ctx, sid, m.StudentID)
			if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
				return nil
			}
			if err == nil {
				mu.Lock()
				d.Students = append(d.Students, p)
				mu.Unlock()
			}
			return err
		})
	}
	return bounded(maxReportQueries, steps...)
}

// journals reads the parts asked for of each class × subject journal of
// d.Assignments, and each class's attendance.
func (db *DB) journals(ctx context.Context, sid string, d *ejournal.ReportData, parts ejournal.ReportParts) error {
	var mu sync.Mutex
	var steps []func() error
	seen := map[[2]string]bool{}
	subjectsOf := map[string][]string{}
	for _, a := range d.Assignments {
		k := [2]string{a.ClassID, a.SubjectID}
		if seen[k] {
			continue
		}
		seen[k] = true
		subjectsOf[a.ClassID] = append(subjectsOf[a.ClassID], a.SubjectID)
		pk := journalCollection(sid, a.ClassID, a.SubjectID)
		subject := a.SubjectID
		if parts.TermMarks {
			steps = append(steps, func() error {
				items, err := list[termMarkItem](ctx, db, query{index: indexGSI1, pk: pk, skPrefix: termMarkPrefix + d.Year.ID + "#"})
				mu.Lock()
				defer mu.Unlock()
				for _, it := range items {
					d.TermMarks = append(d.TermMarks, &it.TermMark)
					d.Debts = append(d.Debts, debtOf(it)...)
				}
				return err
			})
		}
		if parts.Marks {
			steps = append(steps, func() error {
				items, err := list[markItem](ctx, db, dateRange(indexGSI1, pk, markPrefix, d.From, d.To))
				mu.Lock()
				defer mu.Unlock()
				for _, it := range items {
					d.Marks = append(d.Marks, &ejournal.SubjectMark{SubjectID: subject, Mark: &it.Mark})
				}
				return err
			})
		}
		if parts.Lessons {
			steps = append(steps, func() error {
				ls, err := list[ejournal.Lesson](ctx, db, dateRange(indexGSI1, pk, lessonPrefix, d.From, d.To))
				mu.Lock()
				defer mu.Unlock()
				d.Lessons = append(d.Lessons, ls...)
				return err
			})
		}
	}
	if parts.Attendance {
		for _, c := range d.Classes {
			subjects := subjectsOf[c.ID]
			steps = append(steps, func() error {
				items, err := list[attendanceItem](ctx, db, dateRange(indexGSI3, classAttendanceCollection(sid, c.ID), "", d.From, d.To))
				mu.Lock()
				defer mu.Unlock()
				for _, it := range items {
					if slices.Contains(subjects, it.SubjectID) {
						d.Attendance = append(d.Attendance, &it.AttendanceRecord)
					}
				}
				return err
			})
		}
	}
	if err := bounded(maxReportQueries, steps...); err != nil {
		return err
	}
	// The concurrent reads finish in any order; reports are to be reproducible.
	slices.SortStableFunc(d.Lessons, func(a, b *ejournal.Lesson) int {
		return strings.Compare(fmt.Sprintf("%s#%02d#%s", a.Date, a.Period, a.ID), fmt.Sprintf("%s#%02d#%s", b.Date, b.Period, b.ID))
	})
	slices.SortStableFunc(d.Marks, func(a, b *ejournal.SubjectMark) int {
		return strings.Compare(string(a.Date)+a.ID, string(b.Date)+b.ID)
	})
	slices.SortStableFunc(d.TermMarks, func(a, b *ejournal.TermMark) int {
		return strings.Compare(a.StudentID+"#"+a.Period+"#"+a.SubjectID, b.StudentID+"#"+b.Period+"#"+b.SubjectID)
	})
	slices.SortStableFunc(d.Attendance, func(a, b *ejournal.AttendanceRecord) int {
		return strings.Compare(string(a.Date)+a.LessonID+a.StudentID, string(b.Date)+b.LessonID+b.StudentID)
	})
	return nil
}

// Report jobs. A job and the chunks of its file share one partition and
// expire (ttl) a week after the job was created.

// reportChunkSize is the most bytes of a file one chunk item holds (an
// item may have 400 KB).
const reportChunkSize = 300 << 10

// reportChunk is one piece of a job's file (item type "report_chunk").
type reportChunk struct {
	N    int    `json:"n"`
	Data []byte `json:"data"`
}

func reportJobEntity(j *ejournal.ReportJob) entity {
	return entity{key: reportJobKey(j.SchoolID, j.ID), kind: "report_job", what: whatReportJob, ttl: j.CreatedAt.Add(ejournal.ReportJobTTL).Unix()}
}

// CreateReportJob implements ejournal.ReportService.
func (db *DB) CreateReportJob(ctx context.Context, j *ejournal.ReportJob) error {
	db.stamp(&j.ID, &j.CreatedAt, &j.UpdatedAt)
	j.State, j.Version = ejournal.JobQueued, 1
	return db.create(ctx, reportJobEntity(j), j)
}

// ReportJob implements ejournal.ReportService: one GetItem.
func (db *DB) ReportJob(ctx context.Context, sid, id string) (*ejournal.ReportJob, error) {
	if !ejournal.ValidID(id) {
		return nil, ejournal.NotFound(whatReportJob)
	}
	j := &ejournal.ReportJob{}
	if err := db.get(ctx, reportJobEntity(&ejournal.ReportJob{SchoolID: sid, ID: id}), j); err != nil {
		return nil, err
	}
	if j.CreatedAt.Add(ejournal.ReportJobTTL).Before(db.Now()) {
		// DynamoDB deletes expired items late; to the user they are gone.
		return nil, ejournal.NotFound(whatReportJob)
	}
	return j, nil
}

// UpdateReportJob implements ejournal.ReportService.
func (db *DB) UpdateReportJob(ctx context.Context, j *ejournal.ReportJob) error {
	j.UpdatedAt = db.Now()
	if err := db.replace(ctx, reportJobEntity(j), j, j.Version); err != nil {
		return err
	}
	j.Version++
	return nil
}

// SaveReportFile implements ejournal.ReportService: batch writes of
// chunks of at most reportChunkSize bytes, under the job's ttl.
func (db *DB) SaveReportFile(ctx context.Context, sid, id string, data []byte) (int, error) {
	j, err := db.ReportJob(ctx, sid, id)
	if err != nil {
		return 0, err
	}
	ttl := num(j.CreatedAt.Add(ejournal.ReportJobTTL).Unix())
	var items []item
	for n := 0; n == 0 || n*reportChunkSize < len(data); n++ {
		part := data[n*reportChunkSize : min((n+1)*reportChunkSize, len(data))]
		m, err := marshal(reportChunk{N: n, Data: part})
		if err != nil {
			return 0, ejournal.Internal(err)
		}
		k := reportChunkKey(sid, id, n)
		m[attrPK], m[attrSK], m[attrType], m[attrTTL] = str(k.PK), str(k.SK), str("report_chunk"), ttl
		items = append(items, m)
	}
	return len(items), db.batchPut(ctx, items)
}

// ReportFile implements ejournal.ReportService: one Query of the job's
// chunks.
func (db *DB) ReportFile(ctx context.Context, j *ejournal.ReportJob) ([]byte, error) {
	chunks, err := list[reportChunk](ctx, db, query{pk: reportJobPartition(j.SchoolID, j.ID), skPrefix: reportChunkPrefix, consistent: true})
	if err != nil {
		return nil, err
	}
	if len(chunks) != j.Chunks {
		return nil, ejournal.Internal(fmt.Errorf("report job %s: %d chunks of %d", j.ID, len(chunks), j.Chunks))
	}
	var out []byte
	for i, c := range chunks {
		if c.N != i {
			return nil, ejournal.Internal(fmt.Errorf("report job %s: chunk %d out of order", j.ID, c.N))
		}
		out = append(out, c.Data...)
	}
	return out, nil
}
