package api

import (
	"net/http"
	"strconv"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// peopleKind describes the routes of one kind of person: who may change
// such records and which capability shows their personal fields.
type peopleKind struct {
	kind ejournal.PersonKind
	path string
	what ejournal.Text
	// write changes the records; personal shows their personal fields.
	write, personal access.Capability
}

var (
	studentsKind = peopleKind{ejournal.Student, "/v1/students", ejournal.T("Ученик", "Student"), access.StudentsWrite, access.PersonalRead}
	parentsKind  = peopleKind{ejournal.Parent, "/v1/parents", ejournal.T("Родитель", "Parent"), access.StudentsWrite, access.PersonalRead}
	staffKind    = peopleKind{ejournal.Staff, "/v1/staff", ejournal.T("Сотрудник", "Staff member"), access.StaffWrite, access.StaffRead}
)

func (s *Server) peopleRoutes() []Route {
	var rs []Route
	for _, k := range []peopleKind{studentsKind, parentsKind, staffKind} {
		rs = append(rs,
			Route{Function: FuncRecords, Method: http.MethodGet, Pattern: k.path, handle: s.listPeople(k)},
			Route{Function: FuncRecords, Method: http.MethodPost, Pattern: k.path, handle: s.createPerson(k)},
			Route{Function: FuncRecords, Method: http.MethodGet, Pattern: k.path + "/{id}", handle: s.getPerson(k)},
			Route{Function: FuncRecords, Method: http.MethodPatch, Pattern: k.path + "/{id}", handle: s.patchPerson(k)},
		)
	}
	return append(rs,
		Route{Function: FuncRecords, Method: http.MethodGet, Pattern: "/v1/classes/{id}/students", handle: s.classRoster},
		Route{Function: FuncRecords, Method: http.MethodPost, Pattern: "/v1/staff/{id}/dismiss", handle: s.dismiss},
		Route{Function: FuncRecords, Method: http.MethodGet, Pattern: "/v1/students/{id}/parents", handle: s.listParents},
		Route{Function: FuncRecords, Method: http.MethodPost, Pattern: "/v1/students/{id}/parents", handle: s.linkParent},
		Route{Function: FuncRecords, Method: http.MethodDelete, Pattern: "/v1/students/{id}/parents/{parent_id}", handle: s.unlinkParent},
		Route{Function: FuncRecords, Method: http.MethodGet, Pattern: "/v1/students/{id}/movements", handle: s.studentMovements},
		Route{Function: FuncRecords, Method: http.MethodPost, Pattern: "/v1/movements", handle: s.createMovement},
		Route{Function: FuncRecords, Method: http.MethodGet, Pattern: "/v1/movements", handle: s.listMovements},
		Route{Function: FuncRecords, Method: http.MethodGet, Pattern: "/v1/audit", handle: s.auditTrail},
		Route{Function: FuncRecords, Method: http.MethodGet, Pattern: "/v1/audit/log", handle: s.auditLog},
	)
}

// personCard is a person as the API shows them: employment only to those
// who may read staff cards, personal fields only to those who may read
// them (and every such read is audited).
type personCard struct {
	ID         string               `json:"id"`
	SchoolID   string               `json:"school_id"`
	Kind       ejournal.PersonKind  `json:"kind"`
	LastName   string               `json:"last_name"`
	FirstName  string               `json:"first_name"`
	MiddleName string               `json:"middle_name,omitempty"`
	FullName   string               `json:"full_name"`
	ClassID    string               `json:"class_id,omitempty"`
	Left       bool                 `json:"left,omitempty"`
	Roles      []ejournal.Role      `json:"roles,omitempty"`
	Employment *ejournal.Employment `json:"employment,omitempty"`
	Personal   *ejournal.Personal   `json:"personal,omitempty"`
	Version    int64                `json:"version"`
	CreatedAt  time.Time            `json:"created_at"`
	UpdatedAt  time.Time            `json:"updated_at"`
}

// personTarget is the access target of a person's data: a student in their
// current class; a parent or staff member in none.
func personTarget(p *ejournal.Person) access.Target {
	return access.Person(p.SchoolID, p.ID, p.InClass())
}

// card shows p to pr; with personal, the personal fields are included if
// pr may read them (an empty object when there are none).
func card(pr *ejournal.Principal, p *ejournal.Person, personal bool) *personCard {
	c := &personCard{
		ID: p.ID, SchoolID: p.SchoolID, Kind: p.Kind, LastName: p.LastName, FirstName: p.FirstName, MiddleName: p.MiddleName,
		FullName: p.FullName(), ClassID: p.ClassID, Left: p.Left, Roles: p.Roles, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	t := personTarget(p)
	if p.Kind == ejournal.Staff && access.Can(pr, access.StaffRead, t) {
		c.Employment = p.Employment
	}
	capability := access.PersonalRead
	if p.Kind == ejournal.Staff {
		capability = access.StaffRead
	}
	if personal && access.Can(pr, capability, t) {
		c.Personal = p.Personal
		if c.Personal == nil {
			c.Personal = &ejournal.Personal{}
		}
	}
	return c
}

// writeCards writes cards (one, or a list) after filing an audit read of
// every card that shows personal fields.
func (s *Server) writeCards(w http.ResponseWriter, r *http.Request, status int, one bool, cards ...*personCard) error {
	var read []string
	for _, c := range cards {
		if c.Personal != nil {
			read = append(read, c.ID)
		}
	}
	if len(read) > 0 {
		if err := s.Records.RecordReads(r.Context(), cards[0].SchoolID, "person", read); err != nil {
			return err
		}
	}
	if one {
		writeJSON(w, status, cards[0])
	} else {
		writeList(w, cards)
	}
	return nil
}

// loadPerson reads the person {id} of kind k in the caller's school; a
// person of another kind or school is not found.
func (s *Server) loadPerson(r *http.Request, k peopleKind, name string) (*ejournal.Person, error) {
	p, err := s.Directory.Person(r.Context(), ejournal.PrincipalFrom(r.Context()).SchoolID, r.PathValue(name))
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND || err == nil && p.Kind != k.kind:
		return nil, ejournal.NotFound(k.what)
	case err != nil:
		return nil, err
	}
	return p, nil
}

// readPerson loads the person {id} of kind k and checks the caller may
// use capability c on them.
func (s *Server) readPerson(r *http.Request, k peopleKind, c access.Capability) (*ejournal.Person, error) {
	p, err := s.loadPerson(r, k, "id")
	if err != nil {
		return nil, err
	}
	return p, access.Require(ejournal.PrincipalFrom(r.Context()), c, personTarget(p))
}

func (s *Server) listPeople(k peopleKind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		pr := ejournal.PrincipalFrom(r.Context())
		if !access.CanAny(pr, access.PeopleRead) {
			return access.Forbidden()
		}
		f := ejournal.PersonFilter{Kind: k.kind}
		if k.kind == ejournal.Student {
			var err error
			if f.ClassID, err = queryID(r, "class_id"); err != nil {
				return err
			}
		}
		people, err := s.Records.People(r.Context(), pr.SchoolID, f)
		if err != nil {
			return err
		}
		cards := []*personCard{}
		for _, p := range people {
			if access.Can(pr, access.PeopleRead, personTarget(p)) {
				cards = append(cards, card(pr, p, false))
			}
		}
		writeList(w, cards)
		return nil
	}
}

func (s *Server) getPerson(k peopleKind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.readPerson(r, k, access.PeopleRead)
		if err != nil {
			return err
		}
		return s.writeCards(w, r, http.StatusOK, true, card(ejournal.PrincipalFrom(r.Context()), p, true))
	}
}

// personFields are the fields of a person that their keepers edit.
type personFields struct {
	LastName   string             `json:"last_name"`
	FirstName  string             `json:"first_name"`
	MiddleName string             `json:"middle_name,omitempty"`
	Personal   *ejournal.Personal `json:"personal,omitempty"`
}

func (f personFields) apply(p *ejournal.Person) {
	p.LastName, p.FirstName, p.MiddleName, p.Personal = f.LastName, f.FirstName, f.MiddleName, f.Personal
}

// hireFields are the editable fields of an employment; its dismissal is
// set only by the dismiss route.
type hireFields struct {
	Position  string        `json:"position"`
	HiredOn   ejournal.Date `json:"hired_on"`
	HireOrder string        `json:"hire_order,omitempty"`
}

func (h *hireFields) employment(old *ejournal.Employment) *ejournal.Employment {
	if h == nil {
		return old
	}
	e := &ejournal.Employment{Position: h.Position, HiredOn: h.HiredOn, HireOrder: h.HireOrder}
	if old != nil {
		e.DismissedOn, e.DismissOrder = old.DismissedOn, old.DismissOrder
	}
	return e
}

// personInput is the body that creates a person of any kind; fields
// another kind does not have are refused.
type personInput struct {
	ID string `json:"id"`
	personFields
	ClassID    string      `json:"class_id"`
	Employment *hireFields `json:"employment"`
}

func (s *Server) createPerson(k peopleKind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		pr := ejournal.PrincipalFrom(r.Context())
		if err := access.Require(pr, k.write, access.SchoolTarget(pr.SchoolID)); err != nil {
			return err
		}
		var in personInput
		if err := decode(r, &in); err != nil {
			return err
		}
		bad := ejournal.Problems{}
		if in.ID != "" && !ejournal.ValidID(in.ID) {
			bad.Add("id", ejournal.T("Неверный идентификатор.", "Invalid identifier."))
		}
		if in.ClassID != "" && k.kind != ejournal.Student {
			bad.Add("class_id", ejournal.T("Неизвестное поле.", "Unknown field."))
		}
		if in.Employment != nil && k.kind != ejournal.Staff {
			bad.Add("employment", ejournal.T("Неизвестное поле.", "Unknown field."))
		}
		if err := bad.Err(); err != nil {
			return err
		}
		p := &ejournal.Person{ID: in.ID, SchoolID: pr.SchoolID, Kind: k.kind, ClassID: in.ClassID, Employment: in.Employment.employment(nil)}
		in.personFields.apply(p)
		var err error
		if k.kind == ejournal.Staff {
			err = s.Records.Hire(r.Context(), p)
		} else {
			err = s.Directory.CreatePerson(r.Context(), p)
		}
		if err != nil {
			return err
		}
		w.Header().Set("Location", k.path+"/"+p.ID)
		return s.writeCards(w, r, http.StatusCreated, true, card(pr, p, true))
	}
}

// personPatch is the body that changes a person: the fields present
// replace the stored ones (inside personal and employment too).
type personPatch struct {
	personFields
	Employment *hireFields `json:"employment,omitempty"`
	Version    int64       `json:"version"`
}

func (s *Server) patchPerson(k peopleKind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, version, err := readPatch(r)
		if err != nil {
			return err
		}
		p, err := s.readPerson(r, k, k.write)
		if err != nil {
			return err
		}
		in := personPatch{personFields: personFields{LastName: p.LastName, FirstName: p.FirstName, MiddleName: p.MiddleName, Personal: p.Personal}}
		if e := p.Employment; e != nil {
			in.Employment = &hireFields{Position: e.Position, HiredOn: e.HiredOn, HireOrder: e.HireOrder}
		}
		if err := decodeJSON(body, &in); err != nil {
			return err
		}
		if in.Employment != nil && k.kind != ejournal.Staff {
			return ejournal.Problems{"employment": ejournal.T("Неизвестное поле.", "Unknown field.")}.Err()
		}
		in.personFields.apply(p)
		p.Employment, p.Version = in.Employment.employment(p.Employment), version
		if err := s.Records.UpdatePerson(r.Context(), p); err != nil {
			return err
		}
		return s.writeCards(w, r, http.StatusOK, true, card(ejournal.PrincipalFrom(r.Context()), p, true))
	}
}

func (s *Server) classRoster(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	class, err := s.Directory.Class(r.Context(), pr.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Require(pr, access.RosterRead, access.ClassTarget(pr.SchoolID, class.ID, "")); err != nil {
		return err
	}
	students, err := s.Records.People(r.Context(), pr.SchoolID, ejournal.PersonFilter{Kind: ejournal.Student, ClassID: class.ID})
	if err != nil {
		return err
	}
	cards := make([]*personCard, 0, len(students))
	for _, p := range students {
		cards = append(cards, card(pr, p, true))
	}
	return s.writeCards(w, r, http.StatusOK, false, cards...)
}

func (s *Server) dismiss(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPerson(r, staffKind, access.StaffWrite)
	if err != nil {
		return err
	}
	var in struct {
		Date    ejournal.Date `json:"date"`
		OrderNo string        `json:"order_no"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if p, err = s.Records.Dismiss(r.Context(), p.SchoolID, p.ID, in.Date, in.OrderNo); err != nil {
		return err
	}
	return s.writeCards(w, r, http.StatusOK, true, card(ejournal.PrincipalFrom(r.Context()), p, true))
}

// linkView is a parent–child link; listing a student's parents adds the
// parent's name.
type linkView struct {
	ParentID       string `json:"parent_id"`
	ChildID        string `json:"child_id"`
	Relation       string `json:"relation"`
	ParentFullName string `json:"parent_full_name,omitempty"`
}

func viewLink(l *ejournal.Link) linkView {
	return linkView{ParentID: l.ParentID, ChildID: l.ChildID, Relation: l.Relation}
}

func (s *Server) listParents(w http.ResponseWriter, r *http.Request) error {
	child, err := s.readPerson(r, studentsKind, access.PeopleRead)
	if err != nil {
		return err
	}
	links, err := s.Records.Parents(r.Context(), child.SchoolID, child.ID)
	if err != nil {
		return err
	}
	out := make([]linkView, 0, len(links))
	for _, l := range links {
		v := viewLink(l)
		if p, err := s.Directory.Person(r.Context(), child.SchoolID, l.ParentID); err == nil {
			v.ParentFullName = p.FullName()
		} else if ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
			return err
		}
		out = append(out, v)
	}
	writeList(w, out)
	return nil
}

func (s *Server) linkParent(w http.ResponseWriter, r *http.Request) error {
	child, err := s.readPerson(r, studentsKind, access.StudentsWrite)
	if err != nil {
		return err
	}
	var in struct {
		ParentID string `json:"parent_id"`
		Relation string `json:"relation"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	l := &ejournal.Link{SchoolID: child.SchoolID, ParentID: in.ParentID, ChildID: child.ID, Relation: in.Relation}
	if err := s.Records.Link(r.Context(), l); err != nil {
		return err
	}
	w.Header().Set("Location", studentsKind.path+"/"+child.ID+"/parents/"+l.ParentID)
	writeJSON(w, http.StatusCreated, viewLink(l))
	return nil
}

func (s *Server) unlinkParent(w http.ResponseWriter, r *http.Request) error {
	child, err := s.readPerson(r, studentsKind, access.StudentsWrite)
	if err != nil {
		return err
	}
	l, err := s.Records.Unlink(r.Context(), child.SchoolID, r.PathValue("parent_id"), child.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewLink(l))
	return nil
}

func (s *Server) studentMovements(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPerson(r, studentsKind, access.MovementRead)
	if err != nil {
		return err
	}
	ms, err := s.Records.StudentMovements(r.Context(), p.SchoolID, p.ID)
	if err != nil {
		return err
	}
	writeList(w, ms)
	return nil
}

func (s *Server) createMovement(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	var in struct {
		Kind      ejournal.MovementKind `json:"kind"`
		StudentID string                `json:"student_id"`
		ToClassID string                `json:"to_class_id"`
		Date      ejournal.Date         `json:"date"`
		OrderNo   string                `json:"order_no"`
		OrderDate ejournal.Date         `json:"order_date"`
		Reason    string                `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	m := &ejournal.Movement{SchoolID: pr.SchoolID, StudentID: in.StudentID, Kind: in.Kind, ToClassID: in.ToClassID, Date: in.Date, OrderNo: in.OrderNo, OrderDate: in.OrderDate, Reason: in.Reason}
	if err := m.Validate(); err != nil {
		return err
	}
	student, err := s.Directory.Person(r.Context(), pr.SchoolID, in.StudentID)
	if err != nil || student.Kind != ejournal.Student {
		return ejournal.Problems{"student_id": ejournal.T("Ученик не найден в этой школе.", "Student not found in this school.")}.Err()
	}
	if err := access.Require(pr, access.StudentsWrite, personTarget(student)); err != nil {
		return err
	}
	if _, err := s.Records.Move(r.Context(), m); err != nil {
		return err
	}
	w.Header().Set("Location", studentsKind.path+"/"+m.StudentID+"/movements")
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// lastDate bounds the movements read to rewind the class lists from today
// to a period's end.
const lastDate ejournal.Date = "9999-12-31"

func (s *Server) listMovements(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(pr, access.MovementRead, access.SchoolTarget(pr.SchoolID)); err != nil {
		return err
	}
	from, to, err := period(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	all, err := s.Records.Movements(ctx, pr.SchoolID, from, lastDate)
	if err != nil {
		return err
	}
	students, err := s.Records.People(ctx, pr.SchoolID, ejournal.PersonFilter{Kind: ejournal.Student})
	if err != nil {
		return err
	}
	classes, err := s.Directory.Classes(ctx, pr.SchoolID, ejournal.ClassFilter{})
	if err != nil {
		return err
	}
	inPeriod := []*ejournal.Movement{}
	for _, m := range all {
		if m.Date <= to {
			inPeriod = append(inPeriod, m)
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Movements []*ejournal.Movement     `json:"movements"`
		Report    *ejournal.MovementReport `json:"report"`
	}{inPeriod, ejournal.BuildMovementReport(from, to, classes, students, all)})
	return nil
}

func (s *Server) auditTrail(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(pr, access.AuditRead, access.SchoolTarget(pr.SchoolID)); err != nil {
		return err
	}
	q := r.URL.Query()
	bad := ejournal.Problems{}
	for _, name := range []string{"entity", "id"} {
		if !ejournal.ValidID(q.Get(name)) {
			bad.Add(name, ejournal.T("Обязательный параметр: идентификатор.", "Required: an identifier."))
		}
	}
	if err := bad.Err(); err != nil {
		return err
	}
	entries, err := s.Records.AuditTrail(r.Context(), pr.SchoolID, q.Get("entity"), q.Get("id"))
	if err != nil {
		return err
	}
	writeList(w, entries)
	return nil
}

// maxAuditLog bounds one page of the school's audit log.
const maxAuditLog = 1000

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(pr, access.AuditRead, access.SchoolTarget(pr.SchoolID)); err != nil {
		return err
	}
	q := r.URL.Query()
	bad := ejournal.Problems{}
	day, ok := ejournal.ParseDate(q.Get("date"))
	if !ok {
		bad.Add("date", ejournal.T("Укажите день: дата в формате ГГГГ-ММ-ДД.", "Give the day: a date in YYYY-MM-DD form."))
	}
	limit := maxAuditLog
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAuditLog {
			bad.Add("limit", ejournal.T("Число от 1 до 1000.", "A number from 1 to 1000."))
		}
		limit = n
	}
	if err := bad.Err(); err != nil {
		return err
	}
	entries, err := s.Records.AuditLog(r.Context(), pr.SchoolID, day, limit)
	if err != nil {
		return err
	}
	writeList(w, entries)
	return nil
}
