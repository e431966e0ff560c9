package ejournal_test

import (
	"testing"

	"ejournal/internal/ejournal"
)

func calendarYear() *ejournal.SchoolYear {
	y := schoolYear()
	y.SchoolID = "s1"
	return y
}

// calendarFixture is a five-day year with the autumn holidays, a Saturday
// worked in place of a holiday Monday and a shortened day.
func calendarFixture() *ejournal.Calendar {
	c := ejournal.DefaultCalendar("s1", "y2025")
	c.Holidays = []ejournal.Holiday{
		{Start: "2025-10-27", End: "2025-11-04", Name: "Осенние каникулы"},
		{Start: "2025-12-29", End: "2026-01-11", Name: "Зимние каникулы"},
	}
	c.ExtraWorkingDays = []ejournal.Date{"2025-11-08"}
	c.Bells = append(c.Bells, ejournal.BellSchedule{ID: "short", Name: "Сокращённый день", Periods: []ejournal.Bell{
		{Period: 1, Start: "08:30", End: "09:00"},
		{Period: 2, Start: "09:10", End: "09:40"},
	}})
	c.DayBells = map[ejournal.Date]string{"2025-12-26": "short"}
	return c
}

func TestDefaultCalendarValid(t *testing.T) {
	c := ejournal.DefaultCalendar("s1", "y2025")
	checkValidate(t, validateWith(func() error { return c.Validate(calendarYear()) }))
	if c.WorkingDays != 5 || c.Version != 0 || len(c.Bells) != 1 || len(c.Bells[0].Periods) != 7 {
		t.Fatalf("DefaultCalendar = %+v", c)
	}
	if b, _ := c.Bells[0].Period(1); b.Start != "08:30" || b.End != "09:15" {
		t.Errorf("first lesson = %+v, want 08:30–09:15", b)
	}
}

func TestIsSchoolDay(t *testing.T) {
	six := calendarFixture()
	six.WorkingDays = 6
	tests := []struct {
		name string
		c    *ejournal.Calendar
		d    ejournal.Date
		want bool
	}{
		{"monday", calendarFixture(), "2025-09-01", true},
		{"friday", calendarFixture(), "2025-09-05", true},
		{"saturday of a five-day week", calendarFixture(), "2025-09-06", false},
		{"saturday of a six-day week", six, "2025-09-06", true},
		{"sunday of a six-day week", six, "2025-09-07", false},
		{"first day of holidays", calendarFixture(), "2025-10-27", false},
		{"last day of holidays", calendarFixture(), "2025-11-04", false},
		{"day after holidays", calendarFixture(), "2025-11-05", true},
		{"winter holidays across the new year", calendarFixture(), "2026-01-05", false},
		{"extra working saturday", calendarFixture(), "2025-11-08", true},
		{"sunday after it", calendarFixture(), "2025-11-09", false},
		{"invalid date", calendarFixture(), "2025-02-30", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.IsSchoolDay(tt.d); got != tt.want {
				t.Errorf("IsSchoolDay(%s) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestHolidaysGiveNoSchoolDays(t *testing.T) {
	c := calendarFixture()
	for d := ejournal.Date("2025-10-27"); d <= "2025-11-04"; d = ejournal.DateOf(d.Time().AddDate(0, 0, 1)) {
		if c.IsSchoolDay(d) {
			t.Errorf("IsSchoolDay(%s) = true inside the holidays", d)
		}
	}
}

func TestBellsFor(t *testing.T) {
	c := calendarFixture()
	tests := []struct {
		d       ejournal.Date
		want    string
		periods int
	}{
		{"2025-12-25", "usual", 7},
		{"2025-12-26", "short", 2},
	}
	for _, tt := range tests {
		b := c.BellsFor(tt.d)
		if b == nil || b.ID != tt.want || len(b.Periods) != tt.periods {
			t.Errorf("BellsFor(%s) = %+v, want %s with %d periods", tt.d, b, tt.want, tt.periods)
		}
	}
	if bell, ok := c.BellsFor("2025-12-26").Period(2); !ok || bell.End != "09:40" {
		t.Errorf("shortened period 2 = %+v, %v", bell, ok)
	}
	if _, ok := c.BellsFor("2025-12-26").Period(3); ok {
		t.Error("a shortened day has a period 3")
	}
	if (&ejournal.Calendar{}).BellsFor("2025-12-26") != nil {
		t.Error("BellsFor without bells is not nil")
	}
}

func TestCalendarValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Calendar)
		fields []string
	}{
		{"valid", func(*ejournal.Calendar) {}, nil},
		{"six days", func(c *ejournal.Calendar) { c.WorkingDays = 6; c.ExtraWorkingDays = nil }, nil},
		{"seven days", func(c *ejournal.Calendar) { c.WorkingDays = 7 }, []string{"working_days"}},
		{"another year", func(c *ejournal.Calendar) { c.YearID = "y2026" }, []string{"year_id"}},
		{"holiday ends before it starts", func(c *ejournal.Calendar) { c.Holidays[0].End = "2025-10-20" }, []string{"holidays[0].end"}},
		{"holiday bad date", func(c *ejournal.Calendar) { c.Holidays[1].Start = "2025-13-01" }, []string{"holidays[1].start"}},
		{"holiday outside the year", func(c *ejournal.Calendar) { c.Holidays[1].End = "2026-06-10" }, []string{"holidays[1]"}},
		{"holiday without a name", func(c *ejournal.Calendar) { c.Holidays[0].Name = " " }, []string{"holidays[0].name"}},
		{"overlapping holidays", func(c *ejournal.Calendar) {
			c.Holidays = append(c.Holidays, ejournal.Holiday{Start: "2025-11-04", End: "2025-11-05", Name: "День народного единства"})
		}, []string{"holidays[2]"}},
		{"extra day on a working day", func(c *ejournal.Calendar) { c.ExtraWorkingDays = []ejournal.Date{"2025-11-07"} }, []string{"extra_working_days[0]"}},
		{"extra day in a holiday", func(c *ejournal.Calendar) { c.ExtraWorkingDays = []ejournal.Date{"2025-11-01"} }, []string{"extra_working_days[0]"}},
		{"extra day repeated", func(c *ejournal.Calendar) { c.ExtraWorkingDays = append(c.ExtraWorkingDays, "2025-11-08") }, []string{"extra_working_days[1]"}},
		{"extra day outside the year", func(c *ejournal.Calendar) { c.ExtraWorkingDays = []ejournal.Date{"2025-08-30"} }, []string{"extra_working_days[0]"}},
		{"no bells", func(c *ejournal.Calendar) { c.Bells = nil; c.DayBells = nil }, []string{"bells"}},
		{"duplicate bell id", func(c *ejournal.Calendar) { c.Bells[1].ID = "usual"; c.DayBells = nil }, []string{"bells[1].id"}},
		{"bad bell id", func(c *ejournal.Calendar) { c.Bells[0].ID = "a#b" }, []string{"bells[0].id"}},
		{"periods out of order", func(c *ejournal.Calendar) { c.Bells[1].Periods[1].Period = 1 }, []string{"bells[1].periods[1].period"}},
		{"period 13", func(c *ejournal.Calendar) { c.Bells[1].Periods[1].Period = 13 }, []string{"bells[1].periods[1].period"}},
		{"bad time", func(c *ejournal.Calendar) { c.Bells[0].Periods[0].Start = "8:30" }, []string{"bells[0].periods[0].start"}},
		{"time 24:00", func(c *ejournal.Calendar) { c.Bells[0].Periods[0].End = "24:00" }, []string{"bells[0].periods[0].end"}},
		{"ends before it starts", func(c *ejournal.Calendar) { c.Bells[0].Periods[0].End = "08:00" }, []string{"bells[0].periods[0].end"}},
		{"overlapping lessons", func(c *ejournal.Calendar) { c.Bells[1].Periods[1].Start = "08:50" }, []string{"bells[1].periods[1].start"}},
		{"no periods", func(c *ejournal.Calendar) { c.Bells[1].Periods = nil }, []string{"bells[1].periods"}},
		{"day bells unknown schedule", func(c *ejournal.Calendar) { c.DayBells["2025-12-26"] = "nope" }, []string{"day_bells.2025-12-26"}},
		{"day bells outside the year", func(c *ejournal.Calendar) { c.DayBells["2026-06-01"] = "short" }, []string{"day_bells.2026-06-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendarFixture()
			tt.edit(c)
			checkValidate(t, validateWith(func() error { return c.Validate(calendarYear()) }), tt.fields...)
		})
	}
}
