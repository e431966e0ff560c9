package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/ejournal"
)

// Change is what one stream record means for notifications: a new or
// changed mark, an absence, a term mark, or an inbox item that asks for an
// SMS copy.
type Change struct {
	Kind     ejournal.NoticeKind
	SchoolID string
	// StudentID is the child a mark, absence or term mark is about.
	StudentID string
	SubjectID string
	// YearID and Period name a term mark's term.
	YearID, Period string
	Value          int
	TermValue      ejournal.TermValue
	Code           ejournal.AttendanceCode
	Date           ejournal.Date
	// Changed says a mark's value changed (a MODIFY), not a new mark.
	Changed bool
	// RecipientID, Sender and Body are an inbox item's (NoticeMessage).
	RecipientID, Sender, Body string
	// ItemKey is the item's primary key; Version and RID tell one write of
	// it from another.
	ItemKey string
	Version int64
	RID     string
}

// EventKey names the record the change is about; later changes of it
// share the key.
func (c *Change) EventKey() string { return hash(c.ItemKey) }

// NoticeKey is the idempotency key of the notice of this change to
// recipient: the same write of the item (key, version and rid) gives the
// same key, however often the stream delivers it.
func (c *Change) NoticeKey(recipient string) string {
	return hash(c.ItemKey, strconv.FormatInt(c.Version, 10), c.RID, recipient)
}

func hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s|", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// DecodeRecord reads a stream record. It returns nil for records that
// notify nobody: deletions, other item types, rewrites of the same
// version, marks whose value did not change, attendance that did not
// become an absence or a lateness, inbox items without an SMS copy. A
// record of a relevant type that cannot be read is an error.
func DecodeRecord(r events.DynamoDBEventRecord) (*Change, error) {
	if r.EventName != "INSERT" && r.EventName != "MODIFY" {
		return nil, nil
	}
	img := image(r.Change.NewImage)
	old := image(r.Change.OldImage)
	kind := img.str("type")
	switch kind {
	case "mark", "attendance", "term_mark", "inbox":
	default:
		return nil, nil
	}
	c := &Change{SchoolID: img.str("school_id"), ItemKey: img.str("PK") + "\x00" + img.str("SK"), RID: img.str("rid")}
	var err error
	if c.Version, err = img.int("version"); err != nil {
		return nil, err
	}
	if !ejournal.ValidID(c.SchoolID) || img.str("PK") == "" || img.str("SK") == "" {
		return nil, fmt.Errorf("%s record without a valid school_id, PK or SK", kind)
	}
	if r.EventName == "MODIFY" {
		if v, err := old.int("version"); err == nil && v >= c.Version {
			return nil, nil // the same write again
		}
	}
	switch kind {
	case "mark":
		return c.mark(img, old, r.EventName == "MODIFY")
	case "attendance":
		return c.absence(img, old)
	case "term_mark":
		return c.termMark(img, old)
	}
	return c.message(img, r.EventName)
}

func (c *Change) student(img image) error {
	c.StudentID, c.SubjectID = img.str("student_id"), img.str("subject_id")
	if !ejournal.ValidID(c.StudentID) || !ejournal.ValidID(c.SubjectID) {
		return fmt.Errorf("record without a valid student_id or subject_id")
	}
	return nil
}

func (c *Change) dated(img image) error {
	c.Date = ejournal.Date(img.str("date"))
	if !c.Date.Valid() {
		return fmt.Errorf("record without a valid date")
	}
	return nil
}

func (c *Change) mark(img, old image, modified bool) (*Change, error) {
	c.Kind = ejournal.NoticeMark
	if err := c.student(img); err != nil {
		return nil, err
	}
	if err := c.dated(img); err != nil {
		return nil, err
	}
	v, err := img.int("value")
	if err != nil || v < 1 || v > 5 {
		return nil, fmt.Errorf("mark record without a valid value")
	}
	c.Value = int(v)
	if modified {
		if was, err := old.int("value"); err == nil && was == v {
			return nil, nil // a comment or another field changed
		}
		c.Changed = true
	}
	return c, nil
}

// notifiedCodes are the attendance codes parents hear about.
var notifiedCodes = map[ejournal.AttendanceCode]bool{ejournal.Absent: true, ejournal.Ill: true, ejournal.Excused: true, ejournal.Late: true}

func (c *Change) absence(img, old image) (*Change, error) {
	c.Kind = ejournal.NoticeAbsence
	if err := c.student(img); err != nil {
		return nil, err
	}
	if err := c.dated(img); err != nil {
		return nil, err
	}
	c.Code = ejournal.AttendanceCode(img.str("code"))
	if !c.Code.Valid() {
		return nil, fmt.Errorf("attendance record with an unknown code")
	}
	// Only the step from present to absent (or late) is news; an absence
	// justified later (н → у) or corrected (н → б) is not sent again.
	if !notifiedCodes[c.Code] || notifiedCodes[ejournal.AttendanceCode(old.str("code"))] {
		return nil, nil
	}
	return c, nil
}

func (c *Change) termMark(img, old image) (*Change, error) {
	c.Kind = ejournal.NoticeTermMark
	if err := c.student(img); err != nil {
		return nil, err
	}
	c.YearID, c.Period = img.str("year_id"), img.str("period")
	c.TermValue = ejournal.TermValue(img.str("value"))
	if !ejournal.ValidID(c.YearID) || c.Period == "" || !c.TermValue.Valid() {
		return nil, fmt.Errorf("term mark record without a valid year_id, period or value")
	}
	if c.TermValue == ejournal.TermValue(old.str("value")) {
		return nil, nil
	}
	return c, nil
}

func (c *Change) message(img image, event string) (*Change, error) {
	if event != "INSERT" || !img.bool("sms") {
		return nil, nil // read state changes, and items without an SMS copy
	}
	c.Kind = ejournal.NoticeMessage
	c.RecipientID, c.Sender, c.Body = img.str("recipient_id"), img.str("sender_name"), img.str("body")
	if !ejournal.ValidID(c.RecipientID) || c.Body == "" {
		return nil, fmt.Errorf("inbox record without a valid recipient_id or body")
	}
	return c, nil
}

// image reads the attributes of a stream image without panicking on an
// unexpected type (the events type's accessors panic).
type image map[string]events.DynamoDBAttributeValue

func (m image) str(name string) string {
	v, ok := m[name]
	if !ok || v.DataType() != events.DataTypeString {
		return ""
	}
	return v.String()
}

func (m image) int(name string) (int64, error) {
	v, ok := m[name]
	if !ok || v.DataType() != events.DataTypeNumber {
		return 0, fmt.Errorf("record without a number %s", name)
	}
	n, err := strconv.ParseInt(v.Number(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("record with a bad number %s", name)
	}
	return n, nil
}

func (m image) bool(name string) bool {
	v, ok := m[name]
	return ok && v.DataType() == events.DataTypeBoolean && v.Boolean()
}
