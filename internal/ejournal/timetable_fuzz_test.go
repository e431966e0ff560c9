package ejournal_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"ejournal/internal/ejournal"
)

// FuzzParseISOWeek feeds arbitrary strings to the ?week= parser. Whatever
// it accepts must be a Monday to Sunday span whose ISO week prints back as
// exactly the input. Run it for real with
//
//	go test -run '^$' -fuzz FuzzParseISOWeek -fuzztime 30s ./internal/ejournal
func FuzzParseISOWeek(f *testing.F) {
	for _, s := range []string{"2026-W48", "2026-W01", "2020-W53", "2025-W53", "2026-W00", "2026-W54", "2026-w48", "0000-W01", "9999-W52", "1000-W01", "2026-W4８", "", "-W", "2026-W48\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mon, sun, ok := ejournal.ParseISOWeek(s)
		if !ok {
			if mon != "" || sun != "" {
				t.Fatalf("rejected %q but returned %s..%s", s, mon, sun)
			}
			return
		}
		if !mon.Valid() || !sun.Valid() || mon.Time().Weekday() != 1 || sun.Time().Sub(mon.Time()).Hours() != 6*24 {
			t.Fatalf("%q gave %s..%s", s, mon, sun)
		}
		if ejournal.ISOWeek(mon) != s || ejournal.ISOWeek(sun) != s {
			t.Fatalf("%q gave %s..%s of week %s", s, mon, sun, ejournal.ISOWeek(mon))
		}
	})
}

// FuzzTimetableEntryJSON decodes arbitrary bytes as a timetable entry the
// way the API does (strictly: unknown fields and trailing data refused) and
// validates it. Nothing may panic; an entry that passes Validate keeps its
// rules (ids, weekday, period, dates inside the year, room length), does
// not clash with itself and clashes with a copy of itself. Run it with
//
//	go test -run '^$' -fuzz FuzzTimetableEntryJSON -fuzztime 30s ./internal/ejournal
func FuzzTimetableEntryJSON(f *testing.F) {
	for _, s := range []string{
		`{"class_id":"5a","subject_id":"math","teacher_id":"t1","weekday":1,"period":2,"from":"2025-09-01"}`,
		`{"class_id":"5a","group_id":"g1","subject_id":"math","teacher_id":"t1","room":"12","weekday":6,"period":12,"from":"2025-09-06","until":"2026-05-30"}`,
		`{"class_id":"5a","subject_id":"math","teacher_id":"t1","weekday":0,"period":13,"from":"2025-02-30"}`,
		`{"class_id":"a#b","subject_id":"","teacher_id":"t1","weekday":1.5,"period":"2"}`,
		`{"weekday":9223372036854775807,"period":-9223372036854775808}`,
		`{"room":"\u0000","from":"2025-09-01","until":"2025-08-31"}`, `{"unknown":1}`, `{} {}`, `[]`, `null`, ``, `{"from":{}}`,
	} {
		f.Add([]byte(s))
	}
	year := &ejournal.SchoolYear{ID: "y", SchoolID: "s", Start: "2025-09-01", End: "2026-08-31"}
	f.Fuzz(func(t *testing.T, body []byte) {
		var e ejournal.TimetableEntry
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if dec.Decode(&e) != nil || dec.More() {
			return
		}
		if err := e.Validate(year); err != nil {
			if ejournal.ErrorCode(err) != ejournal.EINVALID {
				t.Fatalf("validate %s: %v", body, err)
			}
			return
		}
		switch {
		case !ejournal.ValidID(e.ClassID) || !ejournal.ValidID(e.SubjectID) || !ejournal.ValidID(e.TeacherID):
			t.Fatalf("accepted ids of %s", body)
		case e.Weekday < 1 || e.Weekday > 6 || e.Period < 1 || e.Period > 12:
			t.Fatalf("accepted weekday/period of %s", body)
		case e.From < year.Start || e.From > year.End || (e.Until != "" && (e.Until < e.From || e.Until > year.End)):
			t.Fatalf("accepted dates of %s", body)
		case utf8.RuneCountInString(e.Room) > ejournal.MaxRoomLength:
			t.Fatalf("accepted room of %s", body)
		}
		if err := ejournal.Clashes(&e, []*ejournal.TimetableEntry{&e}, nil); err != nil {
			t.Fatalf("an entry clashes with itself: %v", err)
		}
		c := e
		c.ID = e.ID + "x"
		if err := ejournal.Clashes(&c, []*ejournal.TimetableEntry{&e}, nil); ejournal.ErrorCode(err) != ejournal.ECONFLICT {
			t.Fatalf("a copy of %s does not clash: %v", body, err)
		}
	})
}
