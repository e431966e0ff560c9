package notify_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/ejournal"
	"ejournal/internal/notify"
)

// record builds a stream record as Lambda delivers it (JSON) from the new
// and old images, given in DynamoDB's JSON form.
func record(event, newImage, oldImage string) string {
	r := `{"eventID":"1","eventName":"` + event + `","eventSource":"aws:dynamodb","dynamodb":{"SequenceNumber":"100","NewImage":` + newImage
	if oldImage != "" {
		r += `,"OldImage":` + oldImage
	}
	return r + `}}`
}

const (
	markImage = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"MARK#m1"},"type":{"S":"mark"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"value":{"N":"5"},"version":{"N":"1"},"rid":{"S":"r1"}}`
	markV2    = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"MARK#m1"},"type":{"S":"mark"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"value":{"N":"4"},"version":{"N":"2"},"rid":{"S":"r2"}}`
	markV2c   = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"MARK#m1"},"type":{"S":"mark"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"value":{"N":"5"},"version":{"N":"2"},"rid":{"S":"r2"},"comment":{"S":"x"}}`
	attAbsent = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"ATT#s1"},"type":{"S":"attendance"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"code":{"S":"н"},"version":{"N":"2"},"rid":{"S":"r3"}}`
	attHere   = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"ATT#s1"},"type":{"S":"attendance"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"code":{"S":""},"version":{"N":"1"},"rid":{"S":"r4"}}`
	attExcuse = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"ATT#s1"},"type":{"S":"attendance"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"code":{"S":"у"},"version":{"N":"3"},"rid":{"S":"r5"}}`
	termImage = `{"PK":{"S":"S#sch#STU#s1#TERMS"},"SK":{"S":"y#h1#math"},"type":{"S":"term_mark"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"year_id":{"S":"y"},"period":{"S":"h1"},"value":{"S":"4"},"version":{"N":"1"},"rid":{"S":"r6"}}`
	inboxSMS  = `{"PK":{"S":"S#sch#INBOX#p1"},"SK":{"S":"ITEM#i1"},"type":{"S":"inbox"},"school_id":{"S":"sch"},"recipient_id":{"S":"p1"},"kind":{"S":"message"},"sender_name":{"S":"Анна Петровна"},"body":{"S":"Собрание в 18:00"},"sms":{"BOOL":true},"version":{"N":"1"},"rid":{"S":"i1"}}`
	inboxApp  = `{"PK":{"S":"S#sch#INBOX#p1"},"SK":{"S":"ITEM#i2"},"type":{"S":"inbox"},"school_id":{"S":"sch"},"recipient_id":{"S":"p1"},"body":{"S":"x"},"version":{"N":"1"},"rid":{"S":"i2"}}`
	auditItem = `{"PK":{"S":"S#sch#AUDIT#mark#l1_m1"},"SK":{"S":"2025"},"type":{"S":"audit"},"version":{"N":"1"}}`
	badMark   = `{"PK":{"S":"S#sch#LESSON#l1"},"SK":{"S":"MARK#m1"},"type":{"S":"mark"},"school_id":{"S":"sch"},"student_id":{"S":"s1"},"subject_id":{"S":"math"},"date":{"S":"2025-10-01"},"value":{"S":"5"},"version":{"N":"1"}}`
)

func decodeJSON(t testing.TB, raw string) (*notify.Change, error) {
	t.Helper()
	var r events.DynamoDBEventRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatalf("record %s: %v", raw, err)
	}
	return notify.DecodeRecord(r)
}

// TestDecodeRecord: which stream records notify, and of what.
func TestDecodeRecord(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want *notify.Change // nil: nothing to notify
		err  bool
	}{
		{name: "new mark", raw: record("INSERT", markImage, ""), want: &notify.Change{Kind: ejournal.NoticeMark, Value: 5}},
		{name: "changed mark", raw: record("MODIFY", markV2, markImage), want: &notify.Change{Kind: ejournal.NoticeMark, Value: 4, Changed: true}},
		{name: "comment only", raw: record("MODIFY", markV2c, markImage)},
		{name: "same version again", raw: record("MODIFY", markImage, markImage)},
		{name: "deleted mark", raw: record("REMOVE", markImage, markImage)},
		{name: "absent", raw: record("MODIFY", attAbsent, attHere), want: &notify.Change{Kind: ejournal.NoticeAbsence, Code: ejournal.Absent}},
		{name: "present", raw: record("INSERT", attHere, "")},
		{name: "absence justified", raw: record("MODIFY", attExcuse, attAbsent)},
		{name: "term mark", raw: record("INSERT", termImage, ""), want: &notify.Change{Kind: ejournal.NoticeTermMark, TermValue: "4"}},
		{name: "message with SMS", raw: record("INSERT", inboxSMS, ""), want: &notify.Change{Kind: ejournal.NoticeMessage}},
		{name: "inbox without SMS", raw: record("INSERT", inboxApp, "")},
		{name: "message read", raw: record("MODIFY", inboxSMS, inboxSMS)},
		{name: "audit entry", raw: record("INSERT", auditItem, "")},
		{name: "unreadable mark", raw: record("INSERT", badMark, ""), err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := decodeJSON(t, tt.raw)
			switch {
			case tt.err:
				if err == nil {
					t.Fatalf("DecodeRecord = %+v, want an error", c)
				}
				return
			case err != nil:
				t.Fatal(err)
			case tt.want == nil:
				if c != nil {
					t.Fatalf("DecodeRecord = %+v, want nothing to notify", c)
				}
				return
			case c == nil:
				t.Fatalf("DecodeRecord = nil, want %+v", tt.want)
			}
			if c.Kind != tt.want.Kind || c.Value != tt.want.Value || c.Changed != tt.want.Changed || c.Code != tt.want.Code || c.TermValue != tt.want.TermValue || c.SchoolID != "sch" {
				t.Errorf("DecodeRecord = %+v, want %+v", c, tt.want)
			}
		})
	}
}

// TestNoticeKey: a retried delivery of one write has the key of the first;
// another write of the item, or another recipient, has another key; the
// item's changes share one event key.
func TestNoticeKey(t *testing.T) {
	v1, _ := decodeJSON(t, record("INSERT", markImage, ""))
	again, _ := decodeJSON(t, record("INSERT", markImage, ""))
	v2, _ := decodeJSON(t, record("MODIFY", markV2, markImage))
	switch {
	case v1.NoticeKey("p1") != again.NoticeKey("p1"):
		t.Error("a redelivered record has another key")
	case v1.NoticeKey("p1") == v2.NoticeKey("p1"):
		t.Error("a new version has the key of the old")
	case v1.NoticeKey("p1") == v1.NoticeKey("p2"):
		t.Error("two recipients share a key")
	case v1.EventKey() != v2.EventKey():
		t.Error("two versions of a mark have different event keys")
	case !ejournal.ValidID(v1.NoticeKey("p1")):
		t.Error("a notice key is not an identifier")
	}
}

// FuzzDecodeRecord: no stream record, however malformed, makes the
// decoder panic, and what it accepts is a well-formed change.
func FuzzDecodeRecord(f *testing.F) {
	for _, raw := range []string{
		record("INSERT", markImage, ""), record("MODIFY", markV2, markImage), record("MODIFY", attAbsent, attHere),
		record("INSERT", termImage, ""), record("INSERT", inboxSMS, ""), record("INSERT", badMark, ""), record("REMOVE", auditItem, ""),
	} {
		f.Add([]byte(raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var r events.DynamoDBEventRecord
		if json.Unmarshal(raw, &r) != nil {
			return
		}
		c, err := notify.DecodeRecord(r)
		if err != nil || c == nil {
			return
		}
		if !ejournal.ValidID(c.SchoolID) || c.ItemKey == "" {
			t.Fatalf("accepted a change without a school or key: %+v", c)
		}
		switch c.Kind {
		case ejournal.NoticeMark, ejournal.NoticeAbsence, ejournal.NoticeTermMark:
			if !ejournal.ValidID(c.StudentID) || !ejournal.ValidID(c.SubjectID) {
				t.Fatalf("accepted a change without a student or subject: %+v", c)
			}
		case ejournal.NoticeMessage:
			if !ejournal.ValidID(c.RecipientID) || c.Body == "" {
				t.Fatalf("accepted a message without a recipient or body: %+v", c)
			}
		default:
			t.Fatalf("accepted a change of kind %q", c.Kind)
		}
	})
}
