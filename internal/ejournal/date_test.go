package ejournal_test

import (
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2025-09-01", true},
		{"2028-02-29", true},
		{"2027-02-28", true},
		{"2027-02-29", false},
		{"2027-02-30", false},
		{"2025-04-31", false},
		{"2025-13-01", false},
		{"2025-00-10", false},
		{"2025-9-1", false},
		{"25-09-01", false},
		{"2025/09/01", false},
		{"2025-09-01T00:00:00Z", false},
		{" 2025-09-01", false},
		{"2025-09-01 ", false},
		{"", false},
	}
	for _, tt := range tests {
		d, ok := ejournal.ParseDate(tt.in)
		if ok != tt.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
		if want := ejournal.Date(tt.in); ok && d != want || !ok && d != "" {
			t.Errorf("ParseDate(%q) = %q", tt.in, d)
		}
		if got := ejournal.Date(tt.in).Valid(); got != tt.ok {
			t.Errorf("Date(%q).Valid() = %v, want %v", tt.in, got, tt.ok)
		}
	}
}

func TestDateTime(t *testing.T) {
	if got := ejournal.Date("2026-03-08").Time(); !got.Equal(time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v", got)
	}
	if got := ejournal.Date("2027-02-30").Time(); !got.IsZero() {
		t.Errorf("Time() of an invalid date = %v, want zero", got)
	}
	ekb, err := time.LoadLocation("Asia/Yekaterinburg")
	if err != nil {
		t.Fatal(err)
	}
	// 20:30 UTC on 31 August is already 1 September in Yekaterinburg (UTC+5).
	at := time.Date(2025, 8, 31, 20, 30, 0, 0, time.UTC)
	if got := ejournal.DateOf(at.In(ekb)); got != "2025-09-01" {
		t.Errorf("DateOf in Yekaterinburg = %s, want 2025-09-01", got)
	}
	if got := ejournal.DateOf(at); got != "2025-08-31" {
		t.Errorf("DateOf in UTC = %s, want 2025-08-31", got)
	}
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"a", true},
		{"school-1", true},
		{"Z_9-x", true},
		{ejournal.NewID(), true},
		{strings.Repeat("x", 64), true},
		{strings.Repeat("x", 65), false},
		{"", false},
		{"#", false},
		{"a#b", false},
		{"S#school-1", false},
		{"a b", false},
		{"a/b", false},
		{"../a", false},
		{"a.b", false},
		{"класс", false},
		{"a\n", false},
		{"a\x00", false},
	}
	for _, tt := range tests {
		if got := ejournal.ValidID(tt.id); got != tt.ok {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.ok)
		}
	}
}
