package importer_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
	"ejournal/internal/importer"
)

const school = "school-a"

var classes = []*ejournal.Class{
	{ID: "c5a", SchoolID: school, Grade: 5, Letter: "А"},
	{ID: "c5b", SchoolID: school, Grade: 5, Letter: "Б"},
	{ID: "c10a", SchoolID: school, Grade: 10, Letter: "А"},
}

var opts = importer.Options{SchoolID: school, Classes: classes}

// studentsCSV builds a semicolon-separated file from a header and rows.
func studentsCSV(header string, rows ...string) []byte {
	return []byte(header + "\n" + strings.Join(rows, "\n") + "\n")
}

const ruHeader = "Фамилия;Имя;Отчество;Дата рождения;Класс;Пол;Адрес;Документ;Фамилия родителя;Имя родителя;Отчество родителя;Телефон родителя;Согласие на SMS;Кем приходится;Фамилия родителя 2;Имя родителя 2;Телефон родителя 2;Согласие на SMS 2;Кем приходится 2"

// importStudents decodes a file (CSV unless it is a workbook) and imports
// its students.
func importStudents(tb testing.TB, data []byte) (*importer.Batch, error) {
	tb.Helper()
	format := importer.CSV
	if strings.HasPrefix(string(data), "PK") {
		format = importer.XLSX
	}
	t, err := importer.Decode(data, format)
	if err != nil {
		return nil, err
	}
	return importer.Students(t, opts)
}

// person is a person in short form for comparisons.
type person struct {
	kind                   ejournal.PersonKind
	last, first, middle    string
	class                  string
	birth                  ejournal.Date
	phone                  string
	sms                    bool
	address, doc           string
	position, hired, order string
}

func short(p *ejournal.Person) person {
	s := person{kind: p.Kind, last: p.LastName, first: p.FirstName, middle: p.MiddleName, class: p.ClassID}
	if d := p.Personal; d != nil {
		s.birth, s.phone, s.sms, s.address = d.BirthDate, d.Phone, d.SMSConsent, d.Address
		for _, doc := range d.Documents {
			s.doc = doc.Kind + "|" + doc.Number
		}
	}
	if e := p.Employment; e != nil {
		s.position, s.hired, s.order = e.Position, string(e.HiredOn), e.HireOrder
	}
	return s
}

func shortAll(ps []*ejournal.Person) []person {
	var out []person
	for _, p := range ps {
		out = append(out, short(p))
	}
	return out
}

func TestStudents(t *testing.T) {
	t.Parallel()
	ivanov := person{kind: ejournal.Student, last: "Иванов", first: "Пётр", middle: "Сергеевич", class: "c5a", birth: "2014-03-08"}
	mother := person{kind: ejournal.Parent, last: "Иванова", first: "Мария", middle: "Ивановна", phone: "+79123456789", sms: true}
	born := time.Date(2014, 3, 8, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		data   []byte
		people []person
		// links are "<parent index>-<child index>:<relation>" into people.
		links []string
	}{
		{
			name: "Russian headers, one parent",
			data: studentsCSV(ruHeader, "Иванов;Пётр;Сергеевич;08.03.2014;5А;м;г. Пермь, ул. Ленина, 1;Свидетельство о рождении II-АИ № 123456;Иванова;Мария;Ивановна;8 (912) 345-67-89;да;мать;;;;;"),
			people: []person{
				{kind: ejournal.Student, last: "Иванов", first: "Пётр", middle: "Сергеевич", class: "c5a", birth: "2014-03-08", address: "г. Пермь, ул. Ленина, 1", doc: "Свидетельство о рождении|II-АИ № 123456"},
				mother,
			},
			links: []string{"1-0:mother"},
		},
		{
			name: "English headers in another order and case, comma separated",
			data: []byte("CLASS,Birth_Date,last_name,First Name,middle_name,parent_last_name,parent_first_name,parent_middle_name,parent_phone,sms consent,relation,document\n" +
				"5 a,2014-03-08,Иванов,Пётр,Сергеевич,Иванова,Мария,Ивановна,+79123456789,yes,Mother,Passport: 5700 123456\n"),
			people: []person{{kind: ejournal.Student, last: "Иванов", first: "Пётр", middle: "Сергеевич", class: "c5a", birth: "2014-03-08", doc: "Passport|5700 123456"}, mother},
			links:  []string{"1-0:mother"},
		},
		{
			name: "date forms, no parent",
			data: studentsCSV("Фамилия;Имя;Дата рождения;Класс",
				"Иванов;Пётр;8.3.2014;5А", "Петров;Иван;2014-03-09;5-Б", "Сидоров;Олег;10.03.2014 0:00:00;10а"),
			people: []person{
				{kind: ejournal.Student, last: "Иванов", first: "Пётр", class: "c5a", birth: "2014-03-08"},
				{kind: ejournal.Student, last: "Петров", first: "Иван", class: "c5b", birth: "2014-03-09"},
				{kind: ejournal.Student, last: "Сидоров", first: "Олег", class: "c10a", birth: "2014-03-10"},
			},
		},
		{
			name: "siblings share a parent matched by name and phone; a parent without phone is not shared",
			data: studentsCSV(ruHeader,
				"Иванов;Пётр;Сергеевич;08.03.2014;5А;;;;Иванова;Мария;Ивановна;+7 912 345 67 89;да;мать;Иванов;Сергей;;;отец",
				"Иванова;Анна;Сергеевна;01.09.2016;5Б;;;;иванова;МАРИЯ;Ивановна;89123456789;да;мать;Иванов;Сергей;;;отец",
			),
			people: []person{
				ivanov, mother,
				{kind: ejournal.Parent, last: "Иванов", first: "Сергей"},
				{kind: ejournal.Student, last: "Иванова", first: "Анна", middle: "Сергеевна", class: "c5b", birth: "2016-09-01"},
				{kind: ejournal.Parent, last: "Иванов", first: "Сергей"},
			},
			links: []string{"1-0:mother", "2-0:father", "1-3:mother", "4-3:father"},
		},
		{
			name: "XLSX with a date cell and a phone as a number",
			data: xlsx(t,
				[]any{"Фамилия", "Имя", "Отчество", "Дата рождения", "Класс", "Фамилия родителя", "Имя родителя", "Отчество родителя", "Телефон родителя", "Согласие на SMS", "Кем приходится"},
				[]any{"Иванов", "Пётр", "Сергеевич", born, "5А", "Иванова", "Мария", "Ивановна", 79123456789, "да", "мать"},
			),
			people: []person{ivanov, mother},
			links:  []string{"1-0:mother"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := importStudents(t, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := shortAll(b.People); !reflect.DeepEqual(got, tt.people) {
				t.Errorf("people\n%+v\nwant\n%+v", got, tt.people)
			}
			index := map[string]int{}
			for i, p := range b.People {
				if !ejournal.ValidID(p.ID) || p.SchoolID != school {
					t.Errorf("person %d: id %q, school %q", i, p.ID, p.SchoolID)
				}
				index[p.ID] = i
			}
			var links []string
			for _, l := range b.Links {
				links = append(links, strings.Join([]string{itoa(index[l.ParentID]), "-", itoa(index[l.ChildID]), ":", l.Relation}, ""))
				if l.SchoolID != school {
					t.Errorf("link school %q", l.SchoolID)
				}
			}
			if !reflect.DeepEqual(links, tt.links) {
				t.Errorf("links %v, want %v", links, tt.links)
			}
			students, parents := 0, 0
			for _, p := range tt.people {
				if p.kind == ejournal.Student {
					students++
				} else {
					parents++
				}
			}
			if b.Rows != strings.Count(string(tt.data), "\n")-1 && !strings.HasPrefix(string(tt.data), "PK") || b.Students != students || b.Parents != parents || b.Staff != 0 {
				t.Errorf("rows %d, students %d, parents %d, staff %d", b.Rows, b.Students, b.Parents, b.Staff)
			}
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

// TestStudentsIDs: ids depend on the school and the person, not on the
// file's form, its order or the student's class.
func TestStudentsIDs(t *testing.T) {
	t.Parallel()
	ids := func(data []byte, o importer.Options) []string {
		t.Helper()
		tab, err := importer.DecodeCSV(data)
		if err != nil {
			t.Fatal(err)
		}
		b, err := importer.Students(tab, o)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range b.People {
			out = append(out, p.ID)
		}
		return out
	}
	a := ids(studentsCSV("Фамилия;Имя;Дата рождения;Класс;Фамилия родителя;Имя родителя;Телефон родителя;Кем приходится",
		"Иванов;Пётр;08.03.2014;5А;Иванова;Мария;+79123456789;мать"), opts)
	same := ids([]byte("last_name,first_name,birth_date,class,parent_last_name,parent_first_name,parent_phone,relation\n"+
		"ИВАНОВ , пётр,2014-03-08,5Б,иванова,Мария,8 912 345-67-89,мать\n"), opts)
	other := ids(studentsCSV("Фамилия;Имя;Дата рождения;Класс;Фамилия родителя;Имя родителя;Телефон родителя;Кем приходится",
		"Иванов;Пётр;08.03.2014;5А;Иванова;Мария;+79123456789;мать"), importer.Options{SchoolID: "school-b", Classes: classes})
	if !reflect.DeepEqual(a, same) {
		t.Errorf("the same people got ids %v and %v", a, same)
	}
	if a[0] == other[0] || a[1] == other[1] || a[0] == a[1] {
		t.Errorf("ids %v and in another school %v must all differ", a, other)
	}
}

func TestStudentsProblems(t *testing.T) {
	t.Parallel()
	const h = "Фамилия;Имя;Дата рождения;Класс;Фамилия родителя;Имя родителя;Телефон родителя;Согласие на SMS;Кем приходится"
	const ok = "Иванов;Пётр;08.03.2014;5А;Иванова;Мария;+79123456789;да;мать"
	tests := []struct {
		name string
		data []byte
		want []problem
	}{
		{"missing columns are named", studentsCSV("Фамилия;Дата рождения;Пол", "Иванов;08.03.2014;м"),
			[]problem{{1, "Имя", `no column "Имя" (or first_name)`}, {1, "Класс", `no column "Класс" (or class)`}}},
		{"unknown and repeated columns", studentsCSV("№;Фамилия;Имя;Дата рождения;Класс;Фамиля родителя;Имя", "1;Иванов;Пётр;08.03.2014;5А;Иванова;Пётр"),
			[]problem{{1, "Фамиля родителя", `Unknown column "Фамиля родителя"`}, {1, "Имя", `Column "Имя" appears twice`}}},
		{"bad phone", studentsCSV(h, ok, "Петров;Иван;09.03.2014;5А;Петрова;Анна;12-34;нет;мать"),
			[]problem{{3, "Телефон родителя", "international form"}}},
		{"unknown class", studentsCSV(h, "Петров;Иван;09.03.2014;5Я;;;;;"),
			[]problem{{2, "Класс", `no class "5Я"`}}},
		{"duplicate row names the first", studentsCSV(h, ok, "Сидоров;Олег;10.03.2014;5Б;;;;;", "иванов;Пётр;2014-03-08;5Б;;;;;"),
			[]problem{{4, "", "already in line 2"}}},
		{"bad dates", studentsCSV(h, "Иванов;Пётр;31.02.2014;5А;;;;;", "Петров;Иван;;5А;;;;;", "Сидоров;Олег;весной;5А;;;;;"),
			[]problem{{2, "Дата рождения", "DD.MM.YYYY"}, {3, "Дата рождения", "Fill in"}, {4, "Дата рождения", "DD.MM.YYYY"}}},
		{"names required", studentsCSV(h, ";Пётр;08.03.2014;5А;Иванова;;;;мать"),
			[]problem{{2, "Фамилия", "required"}, {2, "Имя родителя", "required"}}},
		{"relation and consent", studentsCSV(h, "Иванов;Пётр;08.03.2014;5А;Иванова;Мария;;может быть;тётя", "Петров;Иван;09.03.2014;5А;Петрова;Анна;;да;мать"),
			[]problem{{2, "Согласие на SMS", `"yes" or "no"`}, {2, "Кем приходится", "mother, father or guardian"}, {3, "Согласие на SMS", "needs a phone"}}},
		{"a shared parent with differing consent", studentsCSV(h, ok, "Иванова;Анна;01.09.2016;5Б;Иванова;Мария;+79123456789;нет;мать"),
			[]problem{{3, "Согласие на SMS", "differently"}}},
		{"the same parent twice for a child", studentsCSV("Фамилия;Имя;Дата рождения;Класс;Фамилия родителя;Имя родителя;Телефон родителя;Кем приходится;Фамилия родителя 2;Имя родителя 2;Телефон родителя 2;Кем приходится 2",
			"Иванов;Пётр;08.03.2014;5А;Иванова;Мария;+79123456789;мать;Иванова;Мария;+79123456789;мать"),
			[]problem{{2, "Фамилия родителя 2", "already given"}}},
		{"bad document", studentsCSV("Фамилия;Имя;Дата рождения;Класс;Документ", "Иванов;Пётр;08.03.2014;5А;123456"),
			[]problem{{2, "Документ", "kind and number"}}},
		{"every bad row is reported", studentsCSV(h, "Иванов;;08.03.2014;5А;;;;;", ok, "Петров;Иван;09.03.2014;11В;;;;;", "Сидоров;Олег;10.03.2014;5А;Сидорова;Анна;+7912;да;мать"),
			[]problem{{2, "Имя", "required"}, {4, "Класс", "no class"}, {5, "Телефон родителя", "international form"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := importStudents(t, tt.data)
			wantReport(t, err, tt.want...)
			if b == nil || b.People != nil || b.Links != nil || b.Students+b.Parents+b.Staff != 0 {
				t.Errorf("an invalid file produced %+v", b)
			}
		})
	}
}

func TestStudentsProblemCap(t *testing.T) {
	t.Parallel()
	rows := make([]string, 1500)
	for i := range rows {
		rows[i] = "Иванов;Пётр;08.03.2014;5Я"
	}
	_, err := importStudents(t, studentsCSV("Фамилия;Имя;Дата рождения;Класс", rows...))
	var rep *importer.Report
	if !asReport(err, &rep) || len(rep.Problems) != importer.MaxProblems+1 {
		t.Fatalf("error %v", err)
	}
	if last := rep.Problems[importer.MaxProblems]; last.Line != 0 || !strings.Contains(last.Message.EN, "500 more") {
		t.Errorf("last problem %+v", last)
	}
}

func asReport(err error, rep **importer.Report) bool {
	r, ok := err.(*importer.Report)
	*rep = r
	return ok
}

func TestStaff(t *testing.T) {
	t.Parallel()
	staff := func(data []byte) (*importer.Batch, error) {
		tab, err := importer.DecodeCSV(data)
		if err != nil {
			return nil, err
		}
		return importer.Staff(tab, opts)
	}
	b, err := staff(studentsCSV("Фамилия;Имя;Отчество;Должность;Дата приёма;Приказ;Телефон;Дата рождения",
		"Смирнова;Ольга;Петровна;Учитель математики;01.09.2015;№ 45-к;+7 (912) 000-11-22;12.05.1980",
		"Кузнецов;Андрей;;Учитель физкультуры;2020-08-31;;;"))
	if err != nil {
		t.Fatal(err)
	}
	want := []person{
		{kind: ejournal.Staff, last: "Смирнова", first: "Ольга", middle: "Петровна", position: "Учитель математики", hired: "2015-09-01", order: "№ 45-к", phone: "+79120001122", birth: "1980-05-12"},
		{kind: ejournal.Staff, last: "Кузнецов", first: "Андрей", position: "Учитель физкультуры", hired: "2020-08-31"},
	}
	if got := shortAll(b.People); !reflect.DeepEqual(got, want) || b.Staff != 2 || b.Rows != 2 || b.Links != nil {
		t.Errorf("staff %+v (%d of %d rows), want %+v", got, b.Staff, b.Rows, want)
	}
	if b.People[0].Personal == nil || b.People[1].Personal != nil {
		t.Errorf("personal data %+v, %+v", b.People[0].Personal, b.People[1].Personal)
	}

	_, err = staff([]byte("last_name,first_name,hire_date\nСмирнова,Ольга,01.09.2015\n"))
	wantReport(t, err, problem{1, "Должность", `no column "Должность" (or position)`})
	_, err = staff(studentsCSV("Фамилия;Имя;Должность;Дата приёма;Телефон",
		"Смирнова;Ольга;Учитель;01.09.2015;", "Кузнецов;Андрей;;32.01.2020;", "Орлов;Лев;Учитель;;+7 000", "смирнова;ольга;Завуч;02.09.2015;"))
	wantReport(t, err,
		problem{3, "Дата приёма", "DD.MM.YYYY"}, problem{3, "Должность", "required"},
		problem{4, "Дата приёма", "Fill in"}, problem{4, "Телефон", "international form"},
		problem{5, "", "already in line 2"})
}
