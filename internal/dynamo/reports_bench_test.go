package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// BenchmarkSchoolTermSummary builds the whole-school term summary
// (ReportInputs with the term marks, then BuildPerformance) of a generated
// school of 1,000 students and one of 2,000 (classes of 25, 15 subjects,
// 10 lessons per class × subject with a mark for every student: 10 marks
// per student per subject, and a term mark each) on one table. Seeding is
// not measured. It reports, for each size, the wall time (the best of
// three runs after a warm-up) and the DynamoDB requests of one summary,
// and the ratios 2,000 : 1,000.
func BenchmarkSchoolTermSummary(b *testing.B) {
	c := dynamotest.Client(b)
	rec := &recordingAPI{API: c}
	db := dynamo.New(rec, dynamotest.NewTable(b, c))
	ctx := context.Background()
	sizes := []int{1000, 2000}
	type result struct {
		ms       float64
		requests int
		items    int
		students int
	}
	results := map[int]result{}
	for _, n := range sizes {
		spec := dynamo.ReportSchool{SchoolID: fmt.Sprintf("bench%d", n), YearID: "y", Students: n, ClassSize: 25, Subjects: 15, Lessons: 10}
		t0 := time.Now()
		items, err := db.SeedReportSchool(ctx, spec)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("school of %d students: %d items seeded in %s", n, items, time.Since(t0).Round(time.Second))
		summary := func() (*ejournal.Performance, time.Duration) {
			t0 := time.Now()
			d, err := db.ReportInputs(ctx, spec.SchoolID, spec.YearID, dynamo.ReportSchoolTerm.ID, ejournal.ReportFilter{}, ejournal.ReportParts{TermMarks: true})
			if err != nil {
				b.Fatal(err)
			}
			p := ejournal.BuildPerformance(ejournal.PerformanceInput{Scope: d.Scope, Period: d.Period, End: d.To, TermMarks: d.TermMarks})
			return p, time.Since(t0)
		}
		summary() // warm-up
		rec.take()
		best := time.Duration(0)
		var p *ejournal.Performance
		requests := 0
		for range 3 {
			var d time.Duration
			p, d = summary()
			requests, _ = rec.take()
			if best == 0 || d < best {
				best = d
			}
		}
		if p.School.Roll != n || p.School.Marks != n*spec.Subjects {
			b.Fatalf("summary of %d students: roll %d, %d term marks", n, p.School.Roll, p.School.Marks)
		}
		results[n] = result{ms: float64(best.Microseconds()) / 1000, requests: requests, students: p.School.Roll, items: n * spec.Subjects}
	}
	small, large := results[1000], results[2000]
	b.ReportMetric(small.ms, "ms-1000")
	b.ReportMetric(large.ms, "ms-2000")
	b.ReportMetric(float64(small.requests), "requests-1000")
	b.ReportMetric(float64(large.requests), "requests-2000")
	b.ReportMetric(large.ms/small.ms, "time-ratio")
	b.ReportMetric(float64(large.requests)/float64(small.requests), "requests-ratio")
	b.ReportMetric(0, "ns/op")
	b.Logf("whole-school term summary: 1,000 students %.0f ms, %d requests (%d term marks); 2,000 students %.0f ms, %d requests (%d term marks); ratio time %.2f, requests %.2f",
		small.ms, small.requests, small.items, large.ms, large.requests, large.items, large.ms/small.ms, float64(large.requests)/float64(small.requests))
}
