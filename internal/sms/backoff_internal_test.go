package sms

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	s := &SNSSender{opts: Options{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}}
	for _, tt := range []struct {
		attempt int
		full    time.Duration
	}{{1, 100 * time.Millisecond}, {2, 200 * time.Millisecond}, {3, 400 * time.Millisecond}, {4, 800 * time.Millisecond}, {5, time.Second}, {41, time.Second}, {80, time.Second}} {
		for range 200 {
			if d := s.backoff(tt.attempt); d < tt.full/2 || d > tt.full {
				t.Fatalf("backoff(%d) = %v, want %v..%v", tt.attempt, d, tt.full/2, tt.full)
			}
		}
	}
}
