package ejournal

import (
	"context"
	"crypto/sha256"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Messages (§14.5): a teacher writes to the parents and/or students of a
// class, a group or one student they teach; a class teacher to their class;
// the administration to the whole school or any class. Recipients are
// resolved when the message is sent, and each gets an inbox item.

// Text limits of a message, in characters.
const (
	MaxMessageTitle = 200
	MaxMessageBody  = 4000
)

// Page sizes of inbox and sent lists.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Audience is whom a message goes to: exactly one of School, ClassID,
// GroupID and StudentID, to the parents and/or the students there.
//
// Group membership is not modelled yet, so a message to a group goes to the
// whole class of the group; the group still narrows who may send it (a
// teacher of that group).
type Audience struct {
	School    bool   `json:"school,omitempty"`
	ClassID   string `json:"class_id,omitempty"`
	GroupID   string `json:"group_id,omitempty"`
	StudentID string `json:"student_id,omitempty"`
	// SubjectID, when given, narrows the sender's right to that subject
	// (a teacher writing as the teacher of a subject of the class).
	SubjectID  string `json:"subject_id,omitempty"`
	ToParents  bool   `json:"to_parents"`
	ToStudents bool   `json:"to_students"`
}

// Validate checks the audience's fields, naming them "audience.<field>".
func (a *Audience) Validate() error {
	p := Problems{}
	a.addProblems(p)
	return p.Err()
}

func (a *Audience) addProblems(p Problems) {
	n := 0
	if a.School {
		n++
	}
	for field, id := range map[string]string{"class_id": a.ClassID, "group_id": a.GroupID, "student_id": a.StudentID} {
		if id == "" {
			continue
		}
		n++
		if !ValidID(id) {
			p.Add("audience."+field, T("Неверный идентификатор.", "Invalid identifier."))
		}
	}
	if a.SubjectID != "" && !ValidID(a.SubjectID) {
		p.Add("audience.subject_id", T("Неверный идентификатор.", "Invalid identifier."))
	}
	if n != 1 {
		p.Add("audience", T("Укажите ровно одно из: school, class_id, group_id, student_id.", "Give exactly one of school, class_id, group_id, student_id."))
	}
	if !a.ToParents && !a.ToStudents {
		p.Add("audience.to_parents", T("Выберите получателей: родители (to_parents) и/или ученики (to_students).", "Choose the recipients: parents (to_parents) and/or students (to_students)."))
	}
}

// MessageState is where a message stands.
type MessageState string

// Message states. A message is stored as sending before its inbox items
// are written and becomes sent after, so a retried send finishes the job
// instead of starting another.
const (
	MessageSending MessageState = "sending"
	MessageSent    MessageState = "sent"
)

// Message is one message and what became of it.
type Message struct {
	ID         string   `json:"id"`
	SchoolID   string   `json:"school_id"`
	SenderID   string   `json:"sender_id"`
	SenderName string   `json:"sender_name"`
	Title      string   `json:"title,omitempty"`
	Body       string   `json:"body"`
	Audience   Audience `json:"audience"`
	// ClassID is the class the audience lies in (set when sent; empty for
	// the whole school).
	ClassID string `json:"class_id,omitempty"`
	// SMS asks for an SMS copy to the parents, subject to their settings,
	// consent, quiet hours and the school's budget.
	SMS   bool         `json:"sms"`
	State MessageState `json:"state"`
	// Counts of recipients, set when sent.
	Students   int `json:"students"`
	Parents    int `json:"parents"`
	Recipients int `json:"recipients"`
	// SMSRecipients counts the parents with consent and a phone, Segments
	// the segments of one SMS copy, Cost the estimate of all of them.
	SMSRecipients int        `json:"sms_recipients"`
	Segments      int        `json:"segments"`
	Cost          Hundredths `json:"cost"`
	Version       int64      `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        time.Time  `json:"sent_at,omitzero"`
}

// Validate checks the message's own fields: the text limits and the audience.
func (m *Message) Validate() error {
	p := Problems{}
	if !ValidID(m.ID) {
		p.Add("id", T("Неверный идентификатор.", "Invalid identifier."))
	}
	if utf8.RuneCountInString(m.Title) > MaxMessageTitle {
		p.Add("title", T("Заголовок — не длиннее 200 символов.", "The title is at most 200 characters."))
	}
	switch body := strings.TrimSpace(m.Body); {
	case body == "":
		p.Add("body", T("Напишите текст сообщения.", "Write the message text."))
	case utf8.RuneCountInString(m.Body) > MaxMessageBody:
		p.Add("body", T("Текст — не длиннее 4000 символов.", "The text is at most 4000 characters."))
	}
	m.Audience.addProblems(p)
	return p.Err()
}

// SMSText is the text of the message's SMS copy, as the pipeline sends it.
func (m *Message) SMSText() string {
	return NoticeText(NoticeFacts{Kind: NoticeMessage, Sender: m.SenderName, Body: m.Body})
}

// Signature is how a sender signs a message: first name and patronymic, as
// pupils and parents address teachers.
func Signature(p *Person) string {
	return strings.TrimSpace(p.FirstName + " " + p.MiddleName)
}

// MessageIDFor is the id of the message a sender sends with an idempotency
// key: the same key gives the same message, so a retried request cannot
// send it twice.
func MessageIDFor(schoolID, senderID, key string) string {
	return "m" + hashID(schoolID, senderID, key)
}

// MessageInboxID is the id of the inbox item that delivers a message to a
// recipient.
func MessageInboxID(messageID, recipientID string) string {
	return "i" + hashID(messageID, recipientID)
}

// MarkIDFor is the id (the part after "<lesson id>_") of the i-th mark of
// a request to lesson lessonID by person with Idempotency-Key key: a
// retried request names the same marks, so nothing is given twice.
func MarkIDFor(lessonID, person, key string, i int) string {
	return "k" + hashID(lessonID, person, key, strconv.Itoa(i))
}

func hashID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return idEncoding.EncodeToString(sum[:15])
}

// Recipients are the people a message reaches.
type Recipients struct {
	Students []string
	Parents  []string
}

// MessageRecipients picks the recipients of audience a among students (the
// audience's current students) and links (family links, of these students
// or more): the students themselves and each parent of one of them once.
// Both lists are sorted.
func MessageRecipients(a Audience, students []*Person, links []*Link) Recipients {
	in := map[string]bool{}
	var r Recipients
	for _, s := range students {
		if s.InClass() == "" || in[s.ID] {
			continue
		}
		in[s.ID] = true
		if a.ToStudents {
			r.Students = append(r.Students, s.ID)
		}
	}
	if a.ToParents {
		seen := map[string]bool{}
		for _, l := range links {
			if in[l.ChildID] && !seen[l.ParentID] {
				seen[l.ParentID] = true
				r.Parents = append(r.Parents, l.ParentID)
			}
		}
	}
	slices.Sort(r.Students)
	slices.Sort(r.Parents)
	return r
}

// MessagePreview is what sending a message would do: how many people it
// reaches and what its SMS copies would cost.
type MessagePreview struct {
	Students   int `json:"students"`
	Parents    int `json:"parents"`
	Recipients int `json:"recipients"`
	// SMSRecipients counts the parents with SMS consent and a phone.
	SMSRecipients int    `json:"sms_recipients"`
	SMSText       string `json:"sms_text"`
	Segments      int    `json:"segments"`
	UCS2          bool   `json:"ucs2"`
	// Cost is the estimate for every SMS copy at the school's segment cost.
	Cost Hundredths `json:"cost"`
}

// MessageReader is one recipient of a message and whether they read it.
type MessageReader struct {
	PersonID string     `json:"person_id"`
	Name     string     `json:"name"`
	Kind     PersonKind `json:"kind,omitempty"`
	ReadAt   *time.Time `json:"read_at,omitempty"`
}

// MessageReaders are a message's recipients split by read state, each list
// by name.
type MessageReaders struct {
	Read   []MessageReader `json:"read"`
	Unread []MessageReader `json:"unread"`
}

// InboxPage is one page of a person's inbox, newest first.
type InboxPage struct {
	Items  []*InboxItem `json:"items"`
	Unread int          `json:"unread"`
	// Cursor continues the list; empty on the last page.
	Cursor string `json:"cursor,omitempty"`
}

// SentPage is one page of a sender's messages, newest first.
type SentPage struct {
	Items  []*Message `json:"items"`
	Cursor string     `json:"cursor,omitempty"`
}

// messageService is the body of MessageService.
//
// Errors: EINVALID for bad input naming the field (an audience's class,
// group or student not in the school included); ENOTFOUND for a missing
// message or inbox item; ECONFLICT when an idempotency key is reused for
// another message.
type messageService interface {
	// ResolveAudience checks that the audience's class, group or student is
	// of the school and sets m.ClassID to the class it lies in, so that
	// the caller can check the sender's right to it.
	ResolveAudience(ctx context.Context, m *Message) error
	// SendMessage resolves the recipients of m and writes the message and
	// one inbox item per recipient. m.ID, SchoolID, SenderID, Title, Body,
	// Audience and SMS come from the caller (an id from MessageIDFor makes
	// a retry idempotent: a message already sent is returned as it is, one
	// half-sent is finished); the rest is filled in.
	SendMessage(ctx context.Context, m *Message) error
	// PreviewMessage tells what SendMessage would do, writing nothing.
	PreviewMessage(ctx context.Context, m *Message) (*MessagePreview, error)
	// Message reads one message.
	Message(ctx context.Context, schoolID, id string) (*Message, error)
	// SentMessages lists a sender's messages, newest first, a page at a time.
	SentMessages(ctx context.Context, schoolID, senderID, cursor string, limit int) (*SentPage, error)
	// Inbox lists a person's inbox, newest first, a page at a time, with
	// the number of unread items.
	Inbox(ctx context.Context, schoolID, personID, cursor string, limit int) (*InboxPage, error)
	// InboxItem reads one item of a person's inbox.
	InboxItem(ctx context.Context, schoolID, personID, itemID string) (*InboxItem, error)
	// MarkRead marks an item of a person's inbox read (once: a second call
	// keeps the first time) and returns it.
	MarkRead(ctx context.Context, schoolID, personID, itemID string) (*InboxItem, error)
	// MessageReaders lists who of a message's recipients read it and who did not.
	MessageReaders(ctx context.Context, schoolID, messageID string) (*MessageReaders, error)
	// PutInboxItems writes inbox items (notices of the notification
	// pipeline); an item without an id or time gets one.
	PutInboxItems(ctx context.Context, items []*InboxItem) error
}
