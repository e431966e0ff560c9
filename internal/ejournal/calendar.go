package ejournal

import (
	"fmt"
	"slices"
	"time"
)

// Limits of a calendar, which is stored as one record per school year.
const (
	MaxHolidays         = 100
	MaxExtraWorkingDays = 60
	MaxBellSchedules    = 10
	MaxDayBells         = 370
	MaxPeriod           = 12
)

// DefaultBellsID is the id of the usual bell schedule of DefaultCalendar.
const DefaultBellsID = "usual"

// DefaultCalendar is the calendar of a year nobody has set up yet: a
// five-day week, no holidays and the usual bells, seven 45-minute lessons
// from 08:30 with breaks of 10 and 20 minutes (the long ones for meals).
func DefaultCalendar(schoolID, yearID string) *Calendar {
	return &Calendar{
		SchoolID:    schoolID,
		YearID:      yearID,
		WorkingDays: 5,
		Holidays:    []Holiday{},
		Bells: []BellSchedule{{
			ID:   DefaultBellsID,
			Name: "Обычное расписание",
			Periods: []Bell{
				{Period: 1, Start: "08:30", End: "09:15"},
				{Period: 2, Start: "09:25", End: "10:10"},
				{Period: 3, Start: "10:30", End: "11:15"},
				{Period: 4, Start: "11:35", End: "12:20"},
				{Period: 5, Start: "12:30", End: "13:15"},
				{Period: 6, Start: "13:25", End: "14:10"},
				{Period: 7, Start: "14:20", End: "15:05"},
			},
		}},
	}
}

// IsSchoolDay reports whether lessons are taught on d: a day of the working
// week or an extra working day, and not inside a holiday.
func (c *Calendar) IsSchoolDay(d Date) bool {
	if !d.Valid() || c.InHoliday(d) {
		return false
	}
	return c.inWorkingWeek(d) || slices.Contains(c.ExtraWorkingDays, d)
}

// InHoliday returns whether d lies inside one of the holidays.
func (c *Calendar) InHoliday(d Date) bool {
	for _, h := range c.Holidays {
		if d >= h.Start && d <= h.End {
			return true
		}
	}
	return false
}

// inWorkingWeek reports whether d's weekday is one of the working week.
func (c *Calendar) inWorkingWeek(d Date) bool {
	return calWeekday(d) <= c.WorkingDays
}

// calWeekday is 1 for Monday to 7 for Sunday.
func calWeekday(d Date) int {
	wd := int(d.Time().Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// BellsFor returns the bell schedule of d: the one DayBells names for that
// date, otherwise the first (usual) one; nil when there are no bells.
func (c *Calendar) BellsFor(d Date) *BellSchedule {
	if id, ok := c.DayBells[d]; ok {
		if b := c.BellSchedule(id); b != nil {
			return b
		}
	}
	if len(c.Bells) == 0 {
		return nil
	}
	return &c.Bells[0]
}

// BellSchedule returns the bell schedule with id, or nil.
func (c *Calendar) BellSchedule(id string) *BellSchedule {
	for i := range c.Bells {
		if c.Bells[i].ID == id {
			return &c.Bells[i]
		}
	}
	return nil
}

// Period returns the bell of lesson number n, if the schedule has one.
func (b *BellSchedule) Period(n int) (Bell, bool) {
	for _, p := range b.Periods {
		if p.Period == n {
			return p, true
		}
	}
	return Bell{}, false
}

// Validate checks the calendar against year, the school year it belongs
// to: a working week of 5 or 6 days; holidays in order of their own dates,
// inside the year and not overlapping; extra working days inside the year
// that would otherwise be days off; bell schedules with unique ids whose
// lessons are numbered 1–12 in ascending order, each "HH:MM" starting
// before it ends and before the next one starts; and DayBells dates inside
// the year naming an existing schedule.
func (c *Calendar) Validate(year *SchoolYear) error {
	p := Problems{}
	if year == nil || c.YearID != year.ID || c.SchoolID != year.SchoolID {
		p.Add("year_id", T("Календарь относится к другому учебному году.", "The calendar belongs to another school year."))
		return p.Err()
	}
	if c.WorkingDays != 5 && c.WorkingDays != 6 {
		p.Add("working_days", T("Рабочая неделя — 5 или 6 дней.", "The working week is 5 or 6 days."))
	}
	inYear := func(d Date) bool { return d >= year.Start && d <= year.End }
	outside := T("Дата должна лежать внутри учебного года.", "The date must lie inside the school year.")
	c.validateHolidays(p, inYear, outside)
	if len(c.ExtraWorkingDays) > MaxExtraWorkingDays {
		p.Add("extra_working_days", calCountText(MaxExtraWorkingDays))
	}
	seen := map[Date]bool{}
	for i, d := range c.ExtraWorkingDays {
		f := fmt.Sprintf("extra_working_days[%d]", i)
		switch {
		case !d.Valid():
			p.Add(f, dateText)
		case !inYear(d):
			p.Add(f, outside)
		case seen[d]:
			p.Add(f, T("Дата повторяется.", "The date is repeated."))
		case c.WorkingDays >= 5 && c.WorkingDays <= 6 && c.inWorkingWeek(d):
			p.Add(f, T("Этот день и так рабочий.", "This day is a working day anyway."))
		case c.InHoliday(d):
			p.Add(f, T("Рабочий день не может приходиться на каникулы.", "A working day cannot fall in a holiday."))
		}
		seen[d] = true
	}
	c.validateBells(p)
	if len(c.DayBells) > MaxDayBells {
		p.Add("day_bells", calCountText(MaxDayBells))
	}
	for d, id := range c.DayBells {
		f := "day_bells." + string(d)
		switch {
		case !d.Valid():
			p.Add(f, dateText)
		case !inYear(d):
			p.Add(f, outside)
		case c.BellSchedule(id) == nil:
			p.Add(f, T("Нет расписания звонков с таким идентификатором.", "There is no bell schedule with this id."))
		}
	}
	return p.Err()
}

func (c *Calendar) validateHolidays(p Problems, inYear func(Date) bool, outside Text) {
	if len(c.Holidays) > MaxHolidays {
		p.Add("holidays", calCountText(MaxHolidays))
		return
	}
	var valid []int
	for i, h := range c.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		checkName(p, f+".name", h.Name, 100)
		switch {
		case !h.Start.Valid():
			p.Add(f+".start", dateText)
		case !h.End.Valid():
			p.Add(f+".end", dateText)
		case h.End < h.Start:
			p.Add(f+".end", T("Конец каникул раньше их начала.", "The holiday ends before it starts."))
		case !inYear(h.Start) || !inYear(h.End):
			p.Add(f, outside)
		default:
			valid = append(valid, i)
		}
	}
	slices.SortFunc(valid, func(a, b int) int {
		if c.Holidays[a].Start < c.Holidays[b].Start {
			return -1
		}
		if c.Holidays[a].Start > c.Holidays[b].Start {
			return 1
		}
		return a - b
	})
	for k := 1; k < len(valid); k++ {
		prev, cur := c.Holidays[valid[k-1]], c.Holidays[valid[k]]
		if cur.Start <= prev.End {
			p.Add(fmt.Sprintf("holidays[%d]", valid[k]), Text{
				RU: fmt.Sprintf("Пересекается с «%s».", prev.Name),
				EN: fmt.Sprintf("Overlaps %q.", prev.Name),
			})
		}
	}
}

func (c *Calendar) validateBells(p Problems) {
	switch {
	case len(c.Bells) == 0:
		p.Add("bells", T("Нужно хотя бы одно расписание звонков.", "At least one bell schedule is needed."))
		return
	case len(c.Bells) > MaxBellSchedules:
		p.Add("bells", calCountText(MaxBellSchedules))
		return
	}
	ids := map[string]bool{}
	for i, b := range c.Bells {
		f := fmt.Sprintf("bells[%d]", i)
		if !ValidID(b.ID) {
			p.Add(f+".id", idText)
		} else if ids[b.ID] {
			p.Add(f+".id", T("Идентификаторы расписаний звонков не должны повторяться.", "Bell schedule ids must be unique."))
		}
		ids[b.ID] = true
		checkName(p, f+".name", b.Name, 60)
		if len(b.Periods) == 0 || len(b.Periods) > MaxPeriod {
			p.Add(f+".periods", T("От 1 до 12 уроков.", "From 1 to 12 lessons."))
			continue
		}
		prevPeriod, prevEnd := 0, -1
		for j, bell := range b.Periods {
			pf := fmt.Sprintf("%s.periods[%d]", f, j)
			start, okStart := calClock(bell.Start)
			end, okEnd := calClock(bell.End)
			switch {
			case bell.Period < 1 || bell.Period > MaxPeriod || bell.Period <= prevPeriod:
				p.Add(pf+".period", T("Номера уроков — от 1 до 12 по возрастанию.", "Lesson numbers go from 1 to 12 in ascending order."))
			case !okStart:
				p.Add(pf+".start", calClockText)
			case !okEnd:
				p.Add(pf+".end", calClockText)
			case end <= start:
				p.Add(pf+".end", T("Урок должен заканчиваться позже, чем начинается.", "A lesson must end after it starts."))
			case start < prevEnd:
				p.Add(pf+".start", T("Урок начинается раньше, чем кончается предыдущий.", "The lesson starts before the previous one ends."))
			}
			prevPeriod = max(prevPeriod, bell.Period)
			if okEnd {
				prevEnd = max(prevEnd, end)
			}
		}
	}
}

var calClockText = T("Время в виде ЧЧ:ММ, например 08:30.", "A time as HH:MM, e.g. 08:30.")

// calClock parses "HH:MM" (00:00–23:59) into minutes after midnight.
func calClock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

func calCountText(n int) Text {
	return Text{RU: fmt.Sprintf("Не больше %d.", n), EN: fmt.Sprintf("At most %d.", n)}
}
