package ejournal

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Personal holds a person's personal data under 152-FZ. It is returned only
// to roles with the permission for it, and every read of it is audited.
type Personal struct {
	BirthDate Date   `json:"birth_date,omitempty"`
	Address   string `json:"address,omitempty"`
	// Phone is in E.164 form, e.g. +79123456789.
	Phone string `json:"phone,omitempty"`
	// SMSConsent records the person's consent to SMS notices.
	SMSConsent bool       `json:"sms_consent,omitempty"`
	Email      string     `json:"email,omitempty"`
	Documents  []Document `json:"documents,omitempty"`
}

// Document is an identity document (passport, birth certificate, СНИЛС).
type Document struct {
	Kind     string `json:"kind"`
	Number   string `json:"number"`
	IssuedOn Date   `json:"issued_on,omitempty"`
	IssuedBy string `json:"issued_by,omitempty"`
}

// Employment is a staff member's record kept by the HR specialist.
type Employment struct {
	Position     string `json:"position"`
	HiredOn      Date   `json:"hired_on"`
	HireOrder    string `json:"hire_order,omitempty"`
	DismissedOn  Date   `json:"dismissed_on,omitempty"`
	DismissOrder string `json:"dismiss_order,omitempty"`
}

// Dismissed reports whether the employment has ended.
func (e *Employment) Dismissed() bool { return e != nil && e.DismissedOn != "" }

var (
	e164Pattern  = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// NormalizePhone turns a phone number as people write it ("8 (912) 345-67-89",
// "+7 912 345 67 89") into E.164 ("+79123456789"); ok is false when it is
// not a plausible number.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsDigit(r) && r < 128:
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	switch {
	case len(n) == 11 && strings.HasPrefix(n, "8"):
		n = "+7" + n[1:]
	case len(n) == 11 && strings.HasPrefix(n, "7"):
		n = "+" + n
	case len(n) == 10 && strings.HasPrefix(n, "9"):
		n = "+7" + n
	}
	if !e164Pattern.MatchString(n) {
		return "", false
	}
	return n, true
}

// Validate checks the personal fields and normalises the phone.
func (p *Personal) Validate(pr Problems) {
	if p == nil {
		return
	}
	if p.BirthDate != "" && !p.BirthDate.Valid() {
		pr.Add("personal.birth_date", dateText)
	}
	if p.Phone != "" {
		if n, ok := NormalizePhone(p.Phone); ok {
			p.Phone = n
		} else {
			pr.Add("personal.phone", T("Телефон в международном формате, например +79123456789.", "A phone number in international form, e.g. +79123456789."))
		}
	}
	if p.SMSConsent && p.Phone == "" {
		pr.Add("personal.sms_consent", T("Согласие на SMS требует номера телефона.", "Consent to SMS needs a phone number."))
	}
	if p.Email != "" && !emailPattern.MatchString(p.Email) {
		pr.Add("personal.email", T("Неверный адрес электронной почты.", "Invalid e-mail address."))
	}
	if len([]rune(p.Address)) > 300 {
		pr.Add("personal.address", T("Адрес не длиннее 300 символов.", "The address must be at most 300 characters."))
	}
	for _, d := range p.Documents {
		if strings.TrimSpace(d.Kind) == "" || strings.TrimSpace(d.Number) == "" {
			pr.Add("personal.documents", T("У документа должны быть вид и номер.", "A document needs a kind and a number."))
		}
		if d.IssuedOn != "" && !d.IssuedOn.Valid() {
			pr.Add("personal.documents", dateText)
		}
	}
}

// Link is a parent–child relation.
type Link struct {
	SchoolID string `json:"school_id"`
	ParentID string `json:"parent_id"`
	ChildID  string `json:"child_id"`
	// Relation is "mother", "father" or "guardian".
	Relation string `json:"relation"`
}

// MovementKind is the kind of a student movement.
type MovementKind string

// Student movements (§13.4): each is by a director's order.
const (
	Enrol    MovementKind = "enrol"    // зачисление
	Transfer MovementKind = "transfer" // перевод в другой класс
	Leave    MovementKind = "leave"    // выбытие
)

// Movement is one arrival, transfer or departure of a student, by order.
type Movement struct {
	ID          string       `json:"id"`
	SchoolID    string       `json:"school_id"`
	StudentID   string       `json:"student_id"`
	Kind        MovementKind `json:"kind"`
	FromClassID string       `json:"from_class_id,omitempty"`
	ToClassID   string       `json:"to_class_id,omitempty"`
	Date        Date         `json:"date"`
	OrderNo     string       `json:"order_no"`
	OrderDate   Date         `json:"order_date,omitempty"`
	Reason      string       `json:"reason,omitempty"`
	ActorID     string       `json:"actor_id"`
	CreatedAt   time.Time    `json:"created_at"`
}

// Validate checks the movement's own fields.
func (m *Movement) Validate() error {
	p := Problems{}
	if !ValidID(m.StudentID) {
		p.Add("student_id", requiredText)
	}
	switch m.Kind {
	case Enrol:
		if !ValidID(m.ToClassID) {
			p.Add("to_class_id", T("Укажите класс зачисления.", "Give the class of enrolment."))
		}
	case Transfer:
		if !ValidID(m.ToClassID) {
			p.Add("to_class_id", T("Укажите класс, в который переводится ученик.", "Give the class the student moves to."))
		}
	case Leave:
	default:
		p.Add("kind", T("Вид движения: enrol, transfer или leave.", "Kind must be enrol, transfer or leave."))
	}
	if !m.Date.Valid() {
		p.Add("date", dateText)
	}
	if strings.TrimSpace(m.OrderNo) == "" {
		p.Add("order_no", T("Укажите номер приказа.", "Give the order number."))
	}
	if m.OrderDate != "" && !m.OrderDate.Valid() {
		p.Add("order_date", dateText)
	}
	return p.Err()
}

// AuditEntry records one change to a record, or one read of a personal
// card: who, when, what, and the old and new values. Entries are written in
// the same transaction as the change and can never be edited or deleted
// through the API.
type AuditEntry struct {
	ID       string    `json:"id"`
	SchoolID string    `json:"school_id"`
	At       time.Time `json:"at"`
	ActorID  string    `json:"actor_id"`
	// Action is create, update, delete or read.
	Action string `json:"action"`
	// Entity is the kind of record ("person", "mark", …) and EntityID its id.
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Reason   string          `json:"reason,omitempty"`
	Old      json.RawMessage `json:"old,omitempty"`
	New      json.RawMessage `json:"new,omitempty"`
}
