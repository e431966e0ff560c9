package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"ejournal/internal/ejournal"
)

var requiredText = ejournal.T("Заполните это поле.", "Fill in this field.")

var studentFields = domainColumns{
	"last_name": colLastName, "first_name": colFirstName, "middle_name": colMiddleName, "class_id": colClass,
	"personal.birth_date": colBirthDate, "personal.address": colAddress, "personal.documents": colDocument,
}

var staffFields = domainColumns{
	"last_name": colLastName, "first_name": colFirstName, "middle_name": colMiddleName,
	"employment.position": colPosition, "employment.hired_on": colHiredOn,
	"personal.phone": colPhone, "personal.birth_date": colBirthDate,
}

func parentFields(n string) domainColumns {
	return domainColumns{
		"last_name": colParentLast + n, "first_name": colParentFirst + n, "middle_name": colParentMiddle + n,
		"personal.phone": colParentPhone + n, "personal.sms_consent": colParentSMS + n,
	}
}

// Students turns a table of students, each with up to two parents, into
// students, parents and family links. A student is placed in the class the
// row names (one of o.Classes). A parent named in several rows with the
// same name and phone is one person linked to each child, as siblings share
// parents.
func Students(t *Table, o Options) (*Batch, error) {
	b, rep := &Batch{Rows: len(t.Rows)}, &Report{}
	l := match(t.Header, studentColumns, rep)
	if err := rep.err(); err != nil {
		return b, err
	}
	classes := map[string]string{}
	for _, c := range o.Classes {
		classes[classKey(c.Name())] = c.ID
	}
	students := seen{}
	parents := map[string]*ejournal.Person{}
	links := seen{}
	for _, row := range t.Rows {
		c := newCells(l, t, row, rep)
		s := student(c, o.SchoolID, classes)
		var found []*ejournal.Person
		var rels []string
		for _, n := range parentSuffixes {
			if p, rel := parent(c, o.SchoolID, n); p != nil {
				found, rels = append(found, p), append(rels, rel)
			}
		}
		if !c.clean() {
			continue
		}
		key := identity(s.LastName, s.FirstName, s.MiddleName, string(s.Personal.BirthDate))
		s.ID = makeID("st", o.SchoolID, key)
		if !students.first(c, "", s.ID, ejournal.T("Этот ученик уже есть в строке %d (те же ФИО и дата рождения).", "This student is already in line %d (same name and birth date).")) {
			continue
		}
		b.add(s)
		for i, p := range found {
			n := parentSuffixes[i]
			// Without a phone a name alone is too weak to tell two parents
			// apart, so such a parent belongs to this child only.
			tie := "child " + s.ID
			phone, sms := contact(p)
			if phone != "" {
				tie = phone
			}
			p.ID = makeID("pa", o.SchoolID, identity(p.LastName, p.FirstName, p.MiddleName, tie))
			if prev, ok := parents[p.ID]; !ok {
				parents[p.ID] = p
				b.add(p)
			} else if _, prevSMS := contact(prev); prevSMS != sms {
				c.problem(colParentSMS+n, ejournal.T("У этого родителя в другой строке согласие на SMS указано иначе.", "Another line gives this parent's consent to SMS differently."))
				continue
			}
			link := ejournal.Link{SchoolID: o.SchoolID, ParentID: p.ID, ChildID: s.ID, Relation: rels[i]}
			c.report(link.Validate(), domainColumns{"relation": colRelation + n})
			if links.first(c, colParentLast+n, p.ID+" "+s.ID, ejournal.T("Этот родитель уже указан для ученика (строка %d).", "This parent is already given for the student (line %d).")) {
				b.Links = append(b.Links, link)
			}
		}
	}
	if err := rep.err(); err != nil {
		return &Batch{Rows: b.Rows}, err
	}
	return b, nil
}

// student reads the student of a row.
func student(c cells, school string, classes map[string]string) *ejournal.Person {
	s := &ejournal.Person{
		SchoolID: school, Kind: ejournal.Student, Roles: []ejournal.Role{ejournal.StudentRole},
		LastName: c.name(colLastName), FirstName: c.name(colFirstName), MiddleName: c.name(colMiddleName),
		Personal: &ejournal.Personal{BirthDate: c.required(colBirthDate), Address: c.name(colAddress)},
	}
	if v := c.get(colDocument); v != "" {
		if d, ok := parseDocument(v); ok {
			s.Personal.Documents = []ejournal.Document{d}
		} else {
			c.problem(colDocument, ejournal.T("Укажите вид и номер документа, например «Свидетельство о рождении II-АИ 123456» или «Паспорт: 6510 123456».", "Give the document's kind and number, e.g. \"Passport: 6510 123456\"."))
		}
	}
	if v := c.get(colClass); v == "" {
		c.problem(colClass, requiredText)
	} else if id, ok := classes[classKey(v)]; ok {
		s.ClassID = id
	} else {
		c.problem(colClass, ejournal.Text{
			RU: fmt.Sprintf("Класса «%s» нет в этом учебном году. Сначала создайте его.", v),
			EN: fmt.Sprintf("There is no class %q in this school year. Create it first.", v),
		})
	}
	c.report(s.Validate(), studentFields)
	return s
}

// parent reads the parent of a row whose columns end in n, with the
// relation to the child; nil when the row names no such parent.
func parent(c cells, school, n string) (*ejournal.Person, string) {
	block := []string{colParentLast, colParentFirst, colParentMiddle, colParentPhone, colParentSMS, colRelation}
	empty := true
	for _, k := range block {
		if c.get(k+n) != "" {
			empty = false
		}
	}
	if empty {
		return nil, ""
	}
	p := &ejournal.Person{
		SchoolID: school, Kind: ejournal.Parent, Roles: []ejournal.Role{ejournal.ParentRole},
		LastName: c.name(colParentLast + n), FirstName: c.name(colParentFirst + n), MiddleName: c.name(colParentMiddle + n),
	}
	sms, ok := yesNo(c.get(colParentSMS + n))
	if !ok {
		c.problem(colParentSMS+n, ejournal.T("Напишите «да» или «нет».", "Write \"yes\" or \"no\"."))
	}
	if phone := c.get(colParentPhone + n); phone != "" || sms {
		p.Personal = &ejournal.Personal{Phone: phone, SMSConsent: sms}
	}
	rel := relation(c.get(colRelation + n))
	if rel == "" {
		c.problem(colRelation+n, ejournal.T("Напишите, кем родитель приходится ученику: мать, отец или опекун.", "Write the parent's relation to the student: mother, father or guardian."))
	}
	c.report(p.Validate(), parentFields(n))
	return p, rel
}

// Staff turns a table of staff into staff members with their employment
// records.
func Staff(t *Table, o Options) (*Batch, error) {
	b, rep := &Batch{Rows: len(t.Rows)}, &Report{}
	l := match(t.Header, staffColumns, rep)
	if err := rep.err(); err != nil {
		return b, err
	}
	staff := seen{}
	for _, row := range t.Rows {
		c := newCells(l, t, row, rep)
		p := &ejournal.Person{
			SchoolID: o.SchoolID, Kind: ejournal.Staff,
			LastName: c.name(colLastName), FirstName: c.name(colFirstName), MiddleName: c.name(colMiddleName),
			Employment: &ejournal.Employment{Position: c.name(colPosition), HiredOn: c.required(colHiredOn), HireOrder: c.name(colHireOrder)},
		}
		if phone, birth := c.get(colPhone), c.date(colBirthDate); phone != "" || birth != "" {
			p.Personal = &ejournal.Personal{Phone: phone, BirthDate: birth}
		}
		c.report(p.Validate(), staffFields)
		if !c.clean() {
			continue
		}
		var birth ejournal.Date
		if p.Personal != nil {
			birth = p.Personal.BirthDate
		}
		p.ID = makeID("sf", o.SchoolID, identity(p.LastName, p.FirstName, p.MiddleName, string(birth)))
		if staff.first(c, "", p.ID, ejournal.T("Этот сотрудник уже есть в строке %d (те же ФИО и дата рождения).", "This employee is already in line %d (same name and birth date).")) {
			b.add(p)
		}
	}
	if err := rep.err(); err != nil {
		return &Batch{Rows: b.Rows}, err
	}
	return b, nil
}

// contact returns a person's phone and consent to SMS.
func contact(p *ejournal.Person) (phone string, sms bool) {
	if p.Personal == nil {
		return "", false
	}
	return p.Personal.Phone, p.Personal.SMSConsent
}

// seen remembers the line where each key first appeared.
type seen map[string]int

// first reports whether key is new; otherwise it files msg (with a %d for
// the first line) against column key col.
func (s seen) first(c cells, col, key string, msg ejournal.Text) bool {
	if line, ok := s[key]; ok {
		c.problem(col, ejournal.Text{RU: fmt.Sprintf(msg.RU, line), EN: fmt.Sprintf(msg.EN, line)})
		return false
	}
	s[key] = c.row.Line
	return true
}

// fold makes a value comparable regardless of case, "ё" and spacing.
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.ToLower(s), "ё", "е")), " ")
}

// identity joins the parts that tell one person from another.
func identity(parts ...string) string {
	for i, p := range parts {
		parts[i] = fold(p)
	}
	return strings.Join(parts, "\x00")
}

// makeID derives an identifier from the school and a person's identity, so
// that the same row imported again names the same record.
func makeID(prefix, school, identity string) string {
	sum := sha256.Sum256([]byte(prefix + "\x00" + school + "\x00" + identity))
	return prefix + "-" + hex.EncodeToString(sum[:12])
}

// latinLookalikes maps Latin capitals to the Cyrillic letters they look
// like, as class letters are often typed in the wrong layout.
var latinLookalikes = strings.NewReplacer("A", "А", "B", "В", "E", "Е", "K", "К", "M", "М", "H", "Н", "O", "О", "P", "Р", "C", "С", "T", "Т", "X", "Х", "Y", "У")

// classKey folds a class name ("5 а", "5-A", "5А") for matching.
func classKey(name string) string {
	name = strings.ToUpper(strings.ReplaceAll(strings.ToLower(name), "ё", "е"))
	name = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '"', '«', '»', '\'':
			return -1
		}
		return r
	}, name)
	return latinLookalikes.Replace(name)
}

// yesNo reads a consent cell; empty means no.
func yesNo(v string) (bool, bool) {
	switch fold(v) {
	case "", "нет", "н", "no", "n", "false", "0", "-":
		return false, true
	case "да", "д", "yes", "y", "true", "1", "+":
		return true, true
	}
	return false, false
}

// relation reads a parent's relation to a child; "" when not recognised.
func relation(v string) string {
	switch fold(v) {
	case "мать", "мама", "mother":
		return ejournal.Mother
	case "отец", "папа", "father":
		return ejournal.Father
	case "опекун", "попечитель", "законный представитель", "guardian":
		return ejournal.Guardian
	}
	return ""
}

// documentKinds are the document kinds recognised at the start of a
// document cell without a colon, longest first.
var documentKinds = []string{"свидетельство о рождении", "загранпаспорт", "паспорт", "снилс", "birth certificate", "passport"}

// parseDocument reads "Kind: number" or "<known kind> number".
func parseDocument(v string) (ejournal.Document, bool) {
	kind, number, ok := strings.Cut(v, ":")
	if !ok {
		kind, number = "", ""
		for _, k := range documentKinds {
			n := utf8.RuneCountInString(k)
			if r := []rune(v); len(r) > n && strings.EqualFold(string(r[:n]), k) {
				kind, number = string(r[:n]), string(r[n:])
				break
			}
		}
	}
	kind = strings.TrimSpace(kind)
	number = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(number), "№"))
	return ejournal.Document{Kind: kind, Number: number}, kind != "" && number != ""
}
