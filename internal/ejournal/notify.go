package ejournal

import (
	"context"
	"time"
)

// Notifications (Step 5): what parents hear about marks and absences, and
// messages between teachers, parents and students. The types are declared
// here; the pure rules (texts, segments, quiet hours, digests, budget) live
// in notify_rules.go.

// NotifyMode is how a parent hears about one child.
type NotifyMode string

// Notification modes.
const (
	NotifyImmediate NotifyMode = "immediate"
	NotifyDigest    NotifyMode = "digest" // one notice a day at DigestTime
	NotifyOff       NotifyMode = "off"
)

// NotifySettings are a school's notification settings (defaults for
// parents who chose nothing, quiet hours, SMS budget).
type NotifySettings struct {
	SchoolID string `json:"school_id"`
	// QuietStart and QuietEnd are "HH:MM" in the school's time zone;
	// nothing is sent from QuietStart until QuietEnd (default 21:00–08:00).
	QuietStart string `json:"quiet_start"`
	QuietEnd   string `json:"quiet_end"`
	// Defaults for a parent without a preference.
	DefaultMode       NotifyMode `json:"default_mode"`
	DefaultDigestTime string     `json:"default_digest_time"`
	DefaultSMS        bool       `json:"default_sms"`
	DefaultInApp      bool       `json:"default_in_app"`
	// MonthlySMSBudget is the number of SMS segments a month; 0 means no SMS.
	MonthlySMSBudget int `json:"monthly_sms_budget"`
	// SegmentCost is the estimated price of one segment, in hundredths of a rouble.
	SegmentCost Hundredths `json:"segment_cost"`
	// CorrectionWindow: a mark changed again within it replaces the notice
	// still pending instead of sending a second one.
	CorrectionMinutes int       `json:"correction_minutes"`
	Version           int64     `json:"version"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// NotifyPreference is one parent's choice for one child.
type NotifyPreference struct {
	SchoolID   string     `json:"school_id"`
	ParentID   string     `json:"parent_id"`
	ChildID    string     `json:"child_id"`
	Mode       NotifyMode `json:"mode"`
	DigestTime string     `json:"digest_time,omitempty"`
	SMS        bool       `json:"sms"`
	InApp      bool       `json:"in_app"`
	Version    int64      `json:"version"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// NoticeKind is what a notice is about.
type NoticeKind string

// Notice kinds.
const (
	NoticeMark     NoticeKind = "mark"
	NoticeAbsence  NoticeKind = "absence"
	NoticeTermMark NoticeKind = "term_mark"
	NoticeMessage  NoticeKind = "message"
)

// OutboxState is where an SMS stands.
type OutboxState string

// Outbox states.
const (
	OutboxPending    OutboxState = "pending"
	OutboxSent       OutboxState = "sent"
	OutboxFailed     OutboxState = "failed"
	OutboxSuppressed OutboxState = "suppressed"
)

// OutboxMessage is one SMS: every SMS the system means to send is
// recorded, whether it is sent, fails or is suppressed (and why).
type OutboxMessage struct {
	ID          string `json:"id"`
	SchoolID    string `json:"school_id"`
	RecipientID string `json:"recipient_id"`
	// Phone is E.164.
	Phone    string      `json:"phone"`
	Text     string      `json:"text"`
	Segments int         `json:"segments"`
	Cost     Hundredths  `json:"cost"`
	State    OutboxState `json:"state"`
	// Reason says why it was suppressed or failed (quiet hours are not a
	// suppression: the message waits until SendAfter).
	Reason       string    `json:"reason,omitempty"`
	SNSMessageID string    `json:"sns_message_id,omitempty"`
	Attempts     int       `json:"attempts,omitempty"`
	SendAfter    time.Time `json:"send_after"`
	CreatedAt    time.Time `json:"created_at"`
	SentAt       time.Time `json:"sent_at,omitzero"`
}

// InboxItem is one entry of a person's in-app inbox: a message to them
// or a notice about their child.
type InboxItem struct {
	ID          string     `json:"id"`
	SchoolID    string     `json:"school_id"`
	RecipientID string     `json:"recipient_id"`
	Kind        NoticeKind `json:"kind"`
	// MessageID is the message this entry delivers (Kind message).
	MessageID  string `json:"message_id,omitempty"`
	SenderID   string `json:"sender_id,omitempty"`
	SenderName string `json:"sender_name,omitempty"`
	// ChildID is the student a notice is about.
	ChildID string `json:"child_id,omitempty"`
	Title   string `json:"title,omitempty"`
	Body    string `json:"body"`
	// SMS asks for an SMS copy (subject to the parent's settings, quiet
	// hours, consent and the budget).
	SMS       bool       `json:"sms,omitempty"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// NotifySettingsService keeps the school's settings and parents' preferences.
type NotifySettingsService interface {
	// NotifySettings returns the school's settings, or the defaults (version 0).
	NotifySettings(ctx context.Context, schoolID string) (*NotifySettings, error)
	SaveNotifySettings(ctx context.Context, s *NotifySettings) error
	// NotifyPreferences returns a parent's stored preferences, one per child
	// that has one.
	NotifyPreferences(ctx context.Context, schoolID, parentID string) ([]*NotifyPreference, error)
	// NotifyPreferencesFor returns the stored preferences of several
	// parents at once (for the notification pipeline), in no set order.
	NotifyPreferencesFor(ctx context.Context, schoolID string, parentIDs []string) ([]*NotifyPreference, error)
	SaveNotifyPreference(ctx context.Context, p *NotifyPreference) error
}
