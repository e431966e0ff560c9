package ejournal

import (
	"regexp"
	"time"
)

// Date is a calendar date in the school's own time zone, written YYYY-MM-DD.
// Dates in that form order the same as strings, so they compare with < and >.
type Date string

// ParseDate checks s is a real calendar date in YYYY-MM-DD form.
func ParseDate(s string) (Date, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return "", false
	}
	return Date(s), true
}

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool {
	_, ok := ParseDate(string(d))
	return ok
}

// Time returns midnight of d in UTC; the zero time for an invalid date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(time.DateOnly)) }

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidID reports whether id is safe to use as an identifier: letters, digits,
// '-' and '_', at most 64 characters. In particular it never contains the key
// separator '#', so an identifier cannot reach into another record's key.
func ValidID(id string) bool { return idPattern.MatchString(id) }
