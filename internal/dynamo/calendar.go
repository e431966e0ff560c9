package dynamo

import (
	"context"

	"ejournal/internal/ejournal"
)

var _ ejournal.CalendarService = (*DB)(nil)

var whatCalendar = ejournal.T("Календарь учебного года", "School year calendar")

func calendarEntity(sid, yid string) entity {
	return entity{key: calendarKey(sid, yid), kind: "calendar", what: whatCalendar, audit: auditRef{sid, "calendar", yid}}
}

// Calendar implements ejournal.CalendarService: one GetItem; a year whose
// calendar was never saved gets ejournal.DefaultCalendar at version 0.
func (db *DB) Calendar(ctx context.Context, schoolID, yearID string) (*ejournal.Calendar, error) {
	if !ejournal.ValidID(yearID) {
		return nil, ejournal.NotFound(whatYear)
	}
	c := new(ejournal.Calendar)
	err := db.get(ctx, calendarEntity(schoolID, yearID), c)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		return ejournal.DefaultCalendar(schoolID, yearID), nil
	case err != nil:
		return nil, err
	}
	if c.Holidays == nil {
		c.Holidays = []ejournal.Holiday{}
	}
	return c, nil
}

// SaveCalendar implements ejournal.CalendarService. It validates c against
// its school year (ENOTFOUND when there is none) and writes it, with its
// audit entry and a check that the year still exists, in one transaction:
// created at version 0, replaced at the version the caller read.
func (db *DB) SaveCalendar(ctx context.Context, c *ejournal.Calendar) error {
	if c.Version < 0 {
		return ejournal.Problems{"version": ejournal.T("Версия не может быть отрицательной.", "The version cannot be negative.")}.Err()
	}
	year, err := db.Year(ctx, c.SchoolID, c.YearID)
	if err != nil {
		return err
	}
	if err := c.Validate(year); err != nil {
		return err
	}
	if len(c.DayBells) == 0 {
		c.DayBells = nil
	}
	c.UpdatedAt = db.Now()
	e := calendarEntity(c.SchoolID, c.YearID)
	yr := ref{key: yearKey(c.SchoolID, c.YearID), field: "year_id", what: whatYear}
	if c.Version > 0 {
		return db.update(ctx, e, c, &c.Version, yr)
	}
	err = db.insert(ctx, e, c, &c.Version, yr)
	if ejournal.ErrorCode(err) == ejournal.ECONFLICT {
		// Someone saved the calendar after the caller read the default.
		return ejournal.StaleVersion()
	}
	return err
}
