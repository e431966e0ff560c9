package ejournal

import (
	"context"
	"crypto/sha256"
	"slices"
	"sort"
	"strings"
)

// recordsService is the body of RecordsService. Every method takes the
// school id (or a record that carries it) and never reaches another school.
//
// Errors: EINVALID for bad input, naming the fields (a reference to a person
// or class not in the school included); ENOTFOUND for a missing record;
// ECONFLICT for a stale version or a record that exists.
type recordsService interface {
	// People lists the people of one kind, by full name (students who
	// left included); with f.ClassID, the students now in that class.
	People(ctx context.Context, schoolID string, f PersonFilter) ([]*Person, error)
	// UpdatePerson saves a person's own fields (names, personal data, an
	// employee's position) if p.Version is current. Class membership
	// changes only by Move, dismissal only by Dismiss: the stored class,
	// Left, kind, roles, login and dismissal are kept whatever p says.
	UpdatePerson(ctx context.Context, p *Person) error

	// Hire creates a staff member with an employment record.
	Hire(ctx context.Context, p *Person) error
	// Dismiss ends an employment on a date by order. The person and their
	// history stay; a dismissed person cannot sign in.
	Dismiss(ctx context.Context, schoolID, personID string, on Date, orderNo string) (*Person, error)

	// Link links a parent to a student; both must be of this school.
	Link(ctx context.Context, l *Link) error
	// Unlink removes a parent–child link.
	Unlink(ctx context.Context, schoolID, parentID, childID string) (*Link, error)
	// Children lists a parent's links; Parents a student's.
	Children(ctx context.Context, schoolID, parentID string) ([]*Link, error)
	Parents(ctx context.Context, schoolID, childID string) ([]*Link, error)

	// Move records a movement of a student (MoveStudent) and changes the
	// student's class in one transaction; it returns the changed student.
	Move(ctx context.Context, m *Movement) (*Person, error)
	// Movements lists the school's movements dated from..to inclusive,
	// oldest first; StudentMovements one student's whole history.
	Movements(ctx context.Context, schoolID string, from, to Date) ([]*Movement, error)
	StudentMovements(ctx context.Context, schoolID, studentID string) ([]*Movement, error)

	// ImportPeople writes people and family links in bulk after checking
	// all of them; nothing is written when any is invalid. People without
	// an id get one derived from their data, and records whose id exists
	// are left as they are, so a repeated import writes nothing twice.
	ImportPeople(ctx context.Context, schoolID string, people []*Person, links []Link) error

	// AuditTrail lists one record's audit entries, oldest first; AuditLog
	// a school's entries of one day (UTC), newest first, at most limit.
	AuditTrail(ctx context.Context, schoolID, entityKind, entityID string) ([]*AuditEntry, error)
	AuditLog(ctx context.Context, schoolID string, day Date, limit int) ([]*AuditEntry, error)
	// RecordReads files reads of personal cards in the audit trail.
	RecordReads(ctx context.Context, schoolID, entityKind string, ids []string) error
}

// PersonFilter narrows a list of people.
type PersonFilter struct {
	Kind PersonKind
	// ClassID selects the students now in a class.
	ClassID string
}

// Relations of a parent to a child.
const (
	Mother   = "mother"
	Father   = "father"
	Guardian = "guardian"
)

// Validate checks a link's own fields.
func (l *Link) Validate() error {
	p := Problems{}
	if !ValidID(l.ParentID) {
		p.Add("parent_id", requiredText)
	}
	if !ValidID(l.ChildID) {
		p.Add("child_id", requiredText)
	}
	switch l.Relation {
	case Mother, Father, Guardian:
	default:
		p.Add("relation", T("Кем приходится: mother, father или guardian.", "Relation must be mother, father or guardian."))
	}
	return p.Err()
}

// InClass returns a student's current class, or "" when the student is in
// none (not yet enrolled, or left).
func (p *Person) InClass() string {
	if p.Kind != Student || p.Left {
		return ""
	}
	return p.ClassID
}

// MoveStudent checks that m fits the student p, whose earlier movements are
// history, and applies it: m gets the school and the class the student
// leaves, p the class (or Left) it leads to. A student is enrolled when in
// no class (the first time or after leaving), transferred or leaves only from
// a class, and a movement may not be dated before the student's last one.
func MoveStudent(p *Person, history []*Movement, m *Movement) error {
	if err := m.Validate(); err != nil {
		return err
	}
	pr := Problems{}
	if p.Kind != Student {
		pr.Add("student_id", T("Это не ученик.", "This is not a student."))
		return pr.Err()
	}
	m.SchoolID = p.SchoolID
	current := p.InClass()
	switch m.Kind {
	case Enrol:
		if current != "" {
			pr.Add("kind", T("Ученик уже числится в классе: для смены класса нужен перевод.", "The student is already in a class: use a transfer."))
		}
		m.FromClassID = ""
	case Transfer:
		if current == "" {
			pr.Add("kind", T("Ученик не числится ни в одном классе: нужно зачисление.", "The student is in no class: use an enrolment."))
		} else if m.ToClassID == current {
			pr.Add("to_class_id", T("Ученик уже в этом классе.", "The student is already in this class."))
		}
		m.FromClassID = current
	case Leave:
		if current == "" {
			pr.Add("kind", T("Ученик не числится ни в одном классе.", "The student is in no class."))
		}
		if m.ToClassID != "" {
			pr.Add("to_class_id", T("При выбытии класс не указывается.", "A leaving has no class to go to."))
		}
		m.FromClassID = current
	}
	for _, h := range history {
		if h.ID != m.ID && m.Date < h.Date {
			pr.Add("date", T("Дата раньше последнего движения ученика ("+string(h.Date)+").", "The date precedes the student's last movement ("+string(h.Date)+")."))
			break
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	if m.Kind == Leave {
		p.Left = true
	} else {
		p.ClassID, p.Left = m.ToClassID, false
	}
	return nil
}

// SortMovements orders movements as they happened: by date, then by when
// they were recorded.
func SortMovements(ms []*Movement) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
}

// MovementCounts are one line of the movement report.
type MovementCounts struct {
	// AtStart counts the students in the class before the period's first day.
	AtStart int `json:"at_start"`
	// Arrived counts enrolments, Left leavings.
	Arrived int `json:"arrived"`
	Left    int `json:"left"`
	// TransferredIn and TransferredOut count transfers between classes.
	TransferredIn  int `json:"transferred_in"`
	TransferredOut int `json:"transferred_out"`
	// AtEnd counts the students in the class at the end of the period's last day.
	AtEnd int `json:"at_end"`
}

// ClassMovement is the report line of one class.
type ClassMovement struct {
	ClassID   string `json:"class_id"`
	ClassName string `json:"class_name,omitempty"`
	MovementCounts
}

// MovementOrder is one order behind movements of the period.
type MovementOrder struct {
	OrderNo     string   `json:"order_no"`
	OrderDate   Date     `json:"order_date,omitempty"`
	MovementIDs []string `json:"movement_ids"`
	StudentIDs  []string `json:"student_ids"`
}

// MovementReport is the movement of students (§13.4) over a period: per
// class and in total, how many were there at the start, arrived, left,
// moved in and out, and were there at the end, with the orders.
type MovementReport struct {
	From    Date            `json:"from"`
	To      Date            `json:"to"`
	Classes []ClassMovement `json:"classes"`
	Total   MovementCounts  `json:"total"`
	Orders  []MovementOrder `json:"orders"`
}

// classesNow maps each student of students who is in a class now to
// that class.
func classesNow(students []*Person) map[string]string {
	state := map[string]string{}
	for _, p := range students {
		if c := p.InClass(); c != "" {
			state[p.ID] = c
		}
	}
	return state
}

// movedBy is how many of ms (sorted by SortMovements) are dated on or
// before day.
func movedBy(ms []*Movement, day Date) int {
	n := len(ms)
	for n > 0 && ms[n-1].Date > day {
		n--
	}
	return n
}

// undoMovements takes the movements ms (oldest first) back, newest first,
// in state (student → class): a student goes back to the class they came
// from, or out of every class if they came from none.
func undoMovements(state map[string]string, ms []*Movement) {
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.FromClassID == "" {
			delete(state, m.StudentID)
		} else {
			state[m.StudentID] = m.FromClassID
		}
	}
}

// BuildMovementReport reports the movement over from..to (inclusive) from
// the school's students as they are now and every movement dated from the
// period's start on (later ones included; earlier ones are ignored): the
// class lists at the end and at the start are found by undoing, newest
// first, the movements after the period and then those in it. Classes are
// listed in the order of classes (which also gives their names), then any
// other class by id. A student put in a class without a movement (an
// initial roster) counts as being there from the start.
func BuildMovementReport(from, to Date, classes []*Class, students []*Person, movements []*Movement) *MovementReport {
	ms := make([]*Movement, 0, len(movements))
	for _, m := range movements {
		if m.Date >= from {
			ms = append(ms, m)
		}
	}
	SortMovements(ms)
	state := classesNow(students)
	split := movedBy(ms, to)
	undoMovements(state, ms[split:])
	end := countByClass(state)
	undoMovements(state, ms[:split])
	start := countByClass(state)

	lines := map[string]*ClassMovement{}
	line := func(id string) *ClassMovement {
		if lines[id] == nil {
			lines[id] = &ClassMovement{ClassID: id}
		}
		return lines[id]
	}
	for id, n := range start {
		line(id).AtStart = n
	}
	for id, n := range end {
		line(id).AtEnd = n
	}
	r := &MovementReport{From: from, To: to, Classes: []ClassMovement{}, Orders: []MovementOrder{}}
	orders := map[[2]string]int{}
	for _, m := range ms[:split] {
		switch m.Kind {
		case Enrol:
			line(m.ToClassID).Arrived++
			r.Total.Arrived++
		case Leave:
			line(m.FromClassID).Left++
			r.Total.Left++
		case Transfer:
			line(m.FromClassID).TransferredOut++
			line(m.ToClassID).TransferredIn++
			r.Total.TransferredOut++
			r.Total.TransferredIn++
		}
		k := [2]string{m.OrderNo, string(m.OrderDate)}
		i, ok := orders[k]
		if !ok {
			i = len(r.Orders)
			orders[k] = i
			r.Orders = append(r.Orders, MovementOrder{OrderNo: m.OrderNo, OrderDate: m.OrderDate})
		}
		o := &r.Orders[i]
		o.MovementIDs = append(o.MovementIDs, m.ID)
		if !slices.Contains(o.StudentIDs, m.StudentID) {
			o.StudentIDs = append(o.StudentIDs, m.StudentID)
		}
	}
	for _, n := range start {
		r.Total.AtStart += n
	}
	for _, n := range end {
		r.Total.AtEnd += n
	}
	for _, c := range classes {
		if l, ok := lines[c.ID]; ok {
			l.ClassName = c.Name()
			r.Classes = append(r.Classes, *l)
			delete(lines, c.ID)
		}
	}
	rest := make([]string, 0, len(lines))
	for id := range lines {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	for _, id := range rest {
		r.Classes = append(r.Classes, *lines[id])
	}
	return r
}

func countByClass(state map[string]string) map[string]int {
	out := map[string]int{}
	for _, c := range state {
		out[c]++
	}
	return out
}

// DerivedPersonID is the id an import gives a person who has none: the same
// for the same school, kind, name, birth date and class, so importing a file
// again names the same people.
func DerivedPersonID(p *Person) string {
	var birth Date
	if p.Personal != nil {
		birth = p.Personal.BirthDate
	}
	key := strings.Join([]string{p.SchoolID, string(p.Kind), strings.ToLower(p.FullName()), string(birth), p.ClassID}, "\x1f")
	sum := sha256.Sum256([]byte(key))
	return "p" + idEncoding.EncodeToString(sum[:15])
}
