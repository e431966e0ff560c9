package ejournal_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"ejournal/internal/demo"
	"ejournal/internal/ejournal"
)

// demoCapture is a demo.Store that keeps in memory what the demo seed
// writes and that the notice texts need: the main school's subjects, its
// students' first names and its terms. It stops the seed with errCaptured
// at the first assignment, written after all of those; methods the seed
// does not call before are left to the nil embedded Store.
type demoCapture struct {
	demo.Store
	mu       sync.Mutex
	subjects []string
	names    map[string]bool
	terms    []string
}

func (c *demoCapture) Account(context.Context, string) (*ejournal.Account, error) {
	return nil, ejournal.NotFound(ejournal.T("Учётная запись", "Account"))
}

func (c *demoCapture) Person(context.Context, string, string) (*ejournal.Person, error) {
	return nil, ejournal.NotFound(ejournal.T("Человек", "Person"))
}

func (c *demoCapture) CreateSchool(context.Context, *ejournal.School) error { return nil }
func (c *demoCapture) CreateClass(context.Context, *ejournal.Class) error   { return nil }
func (c *demoCapture) CreateGroup(context.Context, *ejournal.Group) error   { return nil }
func (c *demoCapture) CreateAssignment(context.Context, *ejournal.Assignment) error {
	return errCaptured
}

var errCaptured = errors.New("demo captured")

func (c *demoCapture) CreateYear(_ context.Context, y *ejournal.SchoolYear) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if y.SchoolID == demo.SchoolID {
		for _, t := range y.Terms {
			c.terms = append(c.terms, t.Name)
		}
	}
	return nil
}

func (c *demoCapture) CreateSubject(_ context.Context, s *ejournal.Subject) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.SchoolID == demo.SchoolID {
		// Either name may reach a notice: the pipeline passes the short one
		// when a school has set it.
		c.subjects = append(c.subjects, s.Name)
		if s.ShortName != "" {
			c.subjects = append(c.subjects, s.ShortName)
		}
	}
	return nil
}

func (c *demoCapture) ImportPeople(_ context.Context, schoolID string, people []*ejournal.Person, _ []ejournal.Link) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range people {
		if schoolID == demo.SchoolID && p.Kind == ejournal.Student {
			c.names[p.FirstName] = true
		}
	}
	return nil
}

// demoNotices are the typical notices of the demo school: for every
// subject (by its name and by its short name) and every first name of its students (the longest included),
// marks 2 to 5, every absence code, and term and year marks of every value.
func demoNotices(tb testing.TB) []ejournal.NoticeFacts {
	tb.Helper()
	c := &demoCapture{names: map[string]bool{}}
	if _, err := demo.Seed(context.Background(), c, "bench"); !errors.Is(err, errCaptured) {
		tb.Fatal(err)
	}
	if len(c.subjects) == 0 || len(c.names) == 0 || len(c.terms) == 0 {
		tb.Fatalf("demo gave %d subjects, %d names, %d terms", len(c.subjects), len(c.names), len(c.terms))
	}
	names := make([]string, 0, len(c.names))
	for n := range c.names {
		names = append(names, n)
	}
	slices.Sort(names)
	terms := append(c.terms, ejournal.YearPeriod)
	termValues := []ejournal.TermValue{"5", "4", "3", "2", ejournal.NotAssessed, ejournal.Exempt}
	codes := []ejournal.AttendanceCode{ejournal.Absent, ejournal.Ill, ejournal.Excused, ejournal.Late}
	var out []ejournal.NoticeFacts
	for _, name := range names {
		for _, subj := range c.subjects {
			base := ejournal.NoticeFacts{ChildFirstName: name, Subject: subj, Date: "2026-11-28"}
			for v := 2; v <= 5; v++ {
				n := base
				n.Kind, n.Value = ejournal.NoticeMark, v
				out = append(out, n)
			}
			for _, code := range codes {
				n := base
				n.Kind, n.Code = ejournal.NoticeAbsence, code
				out = append(out, n)
			}
			for _, term := range terms {
				for _, v := range termValues {
					n := base
					n.Kind, n.Term, n.TermValue, n.Date = ejournal.NoticeTermMark, term, v, ""
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// noticeSegments is the share of notices whose text fits one segment and
// the mean number of segments.
func noticeSegments(notices []ejournal.NoticeFacts) (share, mean float64) {
	one, total := 0, 0
	for _, n := range notices {
		s, _ := ejournal.SMSSegments(ejournal.NoticeText(n))
		total += s
		if s == 1 {
			one++
		}
	}
	return float64(one) / float64(len(notices)), float64(total) / float64(len(notices))
}

// BenchmarkNoticeSegments reports how many of the demo school's typical
// notices fit one SMS segment (the aim is at least 95%) and the mean
// number of segments a notice takes.
func BenchmarkNoticeSegments(b *testing.B) {
	notices := demoNotices(b)
	var share, mean float64
	b.ResetTimer()
	for b.Loop() {
		share, mean = noticeSegments(notices)
	}
	b.ReportMetric(share*100, "%one-segment")
	b.ReportMetric(mean, "segments/notice")
	b.ReportMetric(float64(len(notices)), "notices")
}

func TestDemoNoticesFitOneSegment(t *testing.T) {
	notices := demoNotices(t)
	share, mean := noticeSegments(notices)
	t.Logf("%d notices: %.1f%% in one segment, %.3f segments on average", len(notices), share*100, mean)
	if share < 0.95 {
		t.Errorf("%.1f%% of the demo notices fit one segment, want at least 95%%", share*100)
	}
}
