package export

import (
	"cmp"
	"fmt"
	"strings"

	"ejournal/internal/ejournal"
)

// Options are what the builders need besides a report: the language of
// titles and headers and the names of what reports refer to by id.
type Options struct {
	// Lang is "en" for English; anything else gives Russian.
	Lang  string
	Names Names
}

// Names map ids to the names shown. An id without a name is shown as it is;
// names carried by the report itself (class and subject names of figures)
// come first.
type Names struct {
	Classes  map[string]string
	Subjects map[string]string
	Teachers map[string]string
	Students map[string]string
	// Periods names terms by id, e.g. "2 четверть"; "year" defaults to
	// "Год" / "Year".
	Periods map[string]string
}

func name(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

func (o Options) t(ru, en string) string { return tr(o.Lang, ru, en) }

func (o Options) period(id string) string {
	if n := o.Names.Periods[id]; n != "" {
		return n
	}
	if id == ejournal.YearPeriod {
		return o.t("Год", "Year")
	}
	return id
}

func (o Options) class(id, known string) string {
	if known != "" {
		return known
	}
	return name(o.Names.Classes, id)
}

func (o Options) subject(id, known string) string {
	if known != "" {
		return known
	}
	return name(o.Names.Subjects, id)
}

// date writes d as 27.12.2026 (Russian) or 2026-12-27 (English).
func (o Options) date(d ejournal.Date) string {
	t := d.Time()
	if o.Lang == "en" || t.IsZero() {
		return string(d)
	}
	return t.Format("02.01.2006")
}

// span is "с 01.09.2026 по 27.12.2026".
func (o Options) span(from, to ejournal.Date) string {
	return fmt.Sprintf(o.t("с %s по %s", "%s to %s"), o.date(from), o.date(to))
}

// newTable starts a table in o's language.
func (o Options) newTable(title, name, sheet string, notes ...string) *Table {
	return &Table{Title: title, Name: name, Sheet: sheet, Notes: notes, Lang: o.Lang}
}

// columns makes columns from titles.
func columns(titles ...string) []Column {
	out := make([]Column, len(titles))
	for i, t := range titles {
		out[i] = Column{Title: t}
	}
	return out
}

// termCell shows a term mark: the numbers as numbers, н/а and осв. as text.
func termCell(v ejournal.TermValue) Cell {
	if n, ok := v.Number(); ok {
		return Int(n)
	}
	return Text(string(v))
}

func (o Options) category(c ejournal.Category) string {
	switch c {
	case ejournal.Excellent:
		return o.t("отличник", "excellent")
	case ejournal.Good:
		return o.t("хорошист", "good")
	case ejournal.Satisfactory:
		return o.t("с «3»", "satisfactory")
	case ejournal.Failing:
		return o.t("неуспевающий", "failing")
	}
	return ""
}

// figureColumns are the columns of figureCells.
func (o Options) figureColumns() []Column {
	return columns(o.t("Учеников", "Students"), "N", "«5»", "«4»", "«3»", "«2»", "н/а", "осв.",
		o.t("Без отметки", "No mark"), o.t("Отличников", "Excellent"), o.t("Хорошистов", "Good"),
		o.t("С «3»", "Satisfactory"), o.t("Неуспевающих", "Failing"),
		o.t("Успеваемость, %", "Success, %"), o.t("Качество, %", "Quality, %"), o.t("СОУ, %", "СОУ, %"),
		o.t("Средний балл", "Average mark"))
}

// figureCells are the figures of a level in the order of figureColumns.
func figureCells(f ejournal.Figures) []Cell {
	return []Cell{Int(f.Roll), Int(f.N), Int(f.N5), Int(f.N4), Int(f.N3), Int(f.N2), Int(f.NA), Int(f.Exempt),
		Int(f.NoMark), Int(f.Excellent), Int(f.Good), Int(f.Satisfactory), Int(f.Failing),
		DecimalOf(f.Success), DecimalOf(f.Quality), DecimalOf(f.SOU), DecimalOf(f.Average)}
}

// figureLine is one line of the figures block of the summary sheet.
type figureLine struct {
	label string
	cell  func(ejournal.Figures) Cell
}

func (o Options) figureLines() []figureLine {
	n := func(get func(ejournal.Figures) int) func(ejournal.Figures) Cell {
		return func(f ejournal.Figures) Cell { return Int(get(f)) }
	}
	d := func(get func(ejournal.Figures) *ejournal.Hundredths) func(ejournal.Figures) Cell {
		return func(f ejournal.Figures) Cell { return DecimalOf(get(f)) }
	}
	return []figureLine{
		{o.t("Учеников", "Students"), n(func(f ejournal.Figures) int { return f.Roll })},
		{o.t("N (база процентов)", "N (base of percentages)"), n(func(f ejournal.Figures) int { return f.N })},
		{"«5»", n(func(f ejournal.Figures) int { return f.N5 })},
		{"«4»", n(func(f ejournal.Figures) int { return f.N4 })},
		{"«3»", n(func(f ejournal.Figures) int { return f.N3 })},
		{"«2»", n(func(f ejournal.Figures) int { return f.N2 })},
		{"н/а", n(func(f ejournal.Figures) int { return f.NA })},
		{"осв.", n(func(f ejournal.Figures) int { return f.Exempt })},
		{o.t("Без отметки", "No mark"), n(func(f ejournal.Figures) int { return f.NoMark })},
		{o.t("Отличников", "Excellent"), n(func(f ejournal.Figures) int { return f.Excellent })},
		{o.t("Хорошистов", "Good"), n(func(f ejournal.Figures) int { return f.Good })},
		{o.t("С «3»", "Satisfactory"), n(func(f ejournal.Figures) int { return f.Satisfactory })},
		{o.t("Неуспевающих", "Failing"), n(func(f ejournal.Figures) int { return f.Failing })},
		{o.t("Успеваемость, %", "Success, %"), d(func(f ejournal.Figures) *ejournal.Hundredths { return f.Success })},
		{o.t("Качество, %", "Quality, %"), d(func(f ejournal.Figures) *ejournal.Hundredths { return f.Quality })},
		{o.t("СОУ, %", "СОУ, %"), d(func(f ejournal.Figures) *ejournal.Hundredths { return f.SOU })},
		{o.t("Средний балл", "Average mark"), d(func(f ejournal.Figures) *ejournal.Hundredths { return f.Average })},
	}
}

// asOf is the note on the period and its end.
func (o Options) asOf(what, period string, end ejournal.Date) string {
	return fmt.Sprintf(o.t("%s. Период: %s; по состоянию на %s (состав — на эту дату).", "%s. Period: %s; as of %s (the roll on that day)."),
		what, o.period(period), o.date(end))
}

func (o Options) rounding() string { return ejournal.RoundingText.In(o.Lang) }

// SummarySheetTable is the class's сводная ведомость: a row per student
// with the term marks by subject, the average and the category, then the
// figures of each subject and, in the last column, of the class.
func SummarySheetTable(s *ejournal.SummarySheet, o Options) *Table {
	class := o.class(s.ClassID, s.ClassName)
	t := o.newTable(
		fmt.Sprintf(o.t("Сводная ведомость %s — %s", "Summary sheet %s — %s"), class, o.period(s.Period)),
		fmt.Sprintf(o.t("Сводная ведомость %s %s", "Summary sheet %s %s"), class, o.period(s.Period)),
		fmt.Sprintf(o.t("Ведомость %s", "Sheet %s"), class),
		o.asOf(fmt.Sprintf(o.t("Класс %s", "Class %s"), class), s.Period, s.End), s.DefinitionText.In(o.Lang))
	t.Columns = columns("№", o.t("Ученик", "Student"))
	for _, sub := range s.Subjects {
		t.Columns = append(t.Columns, Column{Title: o.subject(sub.SubjectID, sub.SubjectName)})
	}
	t.Columns = append(t.Columns, columns(o.t("Средний балл", "Average"), o.t("Категория", "Category"), o.t("По классу", "Class"))...)
	for i, r := range s.Rows {
		student := r.Name
		if r.Arrived != "" {
			student += fmt.Sprintf(o.t(" (прибыл(а) %s)", " (arrived %s)"), o.date(r.Arrived))
		}
		row := []Cell{Int(i + 1), Text(student)}
		for j := range s.Subjects {
			v := ejournal.TermValue("")
			if j < len(r.Marks) {
				v = r.Marks[j]
			}
			row = append(row, termCell(v))
		}
		t.Rows = append(t.Rows, append(row, DecimalOf(r.Average), Text(o.category(r.Category)), Text("")))
	}
	for _, line := range o.figureLines() {
		row := []Cell{Text(""), Text(line.label).Strong()}
		for _, sub := range s.Subjects {
			row = append(row, line.cell(sub.Figures))
		}
		t.Rows = append(t.Rows, append(row, Text(""), Text(""), line.cell(s.Figures).Strong()))
	}
	t.Footer = []string{
		o.t("Строки под списком — показатели каждого предмета; столбец «По классу» — класса по всем предметам.",
			"The lines under the list are each subject's figures; the column “Class” is the class's across subjects."),
		o.rounding(),
	}
	return t
}

// ClassTeacherTables are the class teacher's term report: the class's
// figures, the figures by subject, the students with one 3, with one 4,
// and the failing marks.
func ClassTeacherTables(r *ejournal.ClassTeacherReport, o Options) []*Table {
	class := o.class(r.ClassID, r.ClassName)
	title := func(ru, en string) string {
		return fmt.Sprintf(o.t(ru, en), class, o.period(r.Period))
	}
	name := title("Отчёт классного руководителя %s %s", "Class teacher's report %s %s")
	note := o.asOf(fmt.Sprintf(o.t("Класс %s", "Class %s"), class), r.Period, r.End)

	main := o.newTable(title("Отчёт классного руководителя %s — %s", "Class teacher's report %s — %s"), name,
		o.t("Показатели класса", "Class figures"), note, r.DefinitionText.In(o.Lang))
	main.Columns = columns(o.t("Показатель", "Figure"), o.t("Значение", "Value"))
	for _, line := range o.figureLines() {
		main.Rows = append(main.Rows, []Cell{Text(line.label), line.cell(r.Figures)})
	}
	main.Rows = append(main.Rows, []Cell{Text(o.t("Аттестовано учеников", "Students assessed")), Int(r.Figures.Students)},
		[]Cell{Text(o.t("Из них без отметки по одному из предметов", "Of them lacking a mark in a subject")), Int(r.Figures.Incomplete)})
	main.Footer = []string{o.rounding()}

	subjects := o.newTable(title("Показатели по предметам %s — %s", "Figures by subject %s — %s"), name, o.t("По предметам", "By subject"), note)
	subjects.Columns = append(columns(o.t("Предмет", "Subject")), o.figureColumns()...)
	for _, s := range r.Subjects {
		subjects.Rows = append(subjects.Rows, append([]Cell{Text(o.subject(s.SubjectID, s.SubjectName))}, figureCells(s.Figures)...))
	}
	subjects.Footer = []string{o.rounding()}

	subjectName := func(id string) string {
		for _, s := range r.Subjects {
			if s.SubjectID == id {
				return o.subject(id, s.SubjectName)
			}
		}
		return o.subject(id, "")
	}
	list := func(ru, en, sheetRU, sheetEN, empty string, items []ejournal.StudentSubject, withValue bool) *Table {
		t := o.newTable(title(ru, en), name, o.t(sheetRU, sheetEN), note)
		t.Columns = columns("№", o.t("Ученик", "Student"), o.t("Предмет", "Subject"))
		if withValue {
			t.Columns = append(t.Columns, Column{Title: o.t("Отметка", "Mark")})
		}
		for i, it := range items {
			row := []Cell{Int(i + 1), Text(it.Name), Text(subjectName(it.SubjectID))}
			if withValue {
				row = append(row, termCell(it.Value))
			}
			t.Rows = append(t.Rows, row)
		}
		t.Empty = empty
		return t
	}
	none := o.t("Таких учеников нет.", "No such students.")
	return []*Table{main, subjects,
		list("С одной «3» — %s, %s", "With one 3 — %s, %s", "С одной «3»", "With one 3", none, r.OneThree, false),
		list("С одной «4» — %s, %s", "With one 4 — %s, %s", "С одной «4»", "With one 4", none, r.OneFour, false),
		list("Неуспевающие (2 и н/а) — %s, %s", "Failing (2 and н/а) — %s, %s", "Неуспевающие", "Failing",
			o.t("Неуспевающих нет.", "No failing students."), r.Failing, true),
	}
}

// MovementTable is the movement of students over a period, per class and
// in total, with the orders in the footer.
func MovementTable(r *ejournal.MovementReport, o Options) *Table {
	span := o.span(r.From, r.To)
	t := o.newTable(o.t("Движение учащихся ", "Movement of students ")+span, o.t("Движение учащихся ", "Movement of students ")+span,
		o.t("Движение учащихся", "Movement"),
		o.t("На начало — до первого дня периода, на конец — на конец последнего дня.",
			"At start: before the period's first day; at end: at the end of its last day."))
	t.Columns = columns(o.t("Класс", "Class"), o.t("На начало периода", "At start"), o.t("Прибыло", "Arrived"), o.t("Выбыло", "Left"),
		o.t("Переведены в класс", "Transferred in"), o.t("Переведены из класса", "Transferred out"), o.t("На конец периода", "At end"))
	line := func(label string, c ejournal.MovementCounts) []Cell {
		return []Cell{Text(label), Int(c.AtStart), Int(c.Arrived), Int(c.Left), Int(c.TransferredIn), Int(c.TransferredOut), Int(c.AtEnd)}
	}
	for _, c := range r.Classes {
		t.Rows = append(t.Rows, line(o.class(c.ClassID, c.ClassName), c.MovementCounts))
	}
	t.Rows = append(t.Rows, strong(line(o.t("Итого", "Total"), r.Total)))
	if len(r.Orders) > 0 {
		t.Footer = append(t.Footer, o.t("Приказы:", "Orders:"))
	}
	for _, ord := range r.Orders {
		students := make([]string, len(ord.StudentIDs))
		for i, id := range ord.StudentIDs {
			students[i] = name(o.Names.Students, id)
		}
		no := cmp.Or(ord.OrderNo, o.t("без номера", "no number"))
		line := fmt.Sprintf(o.t("№ %s", "No. %s"), no)
		if ord.OrderDate != "" {
			line += fmt.Sprintf(o.t(" от %s", " of %s"), o.date(ord.OrderDate))
		}
		t.Footer = append(t.Footer, line+": "+strings.Join(students, ", "))
	}
	return t
}

// AttendanceTable is attendance over a period: a row per student, a total
// per class and for the school.
func AttendanceTable(r *ejournal.AttendanceReport, o Options) *Table {
	span := o.span(r.From, r.To)
	t := o.newTable(o.t("Посещаемость ", "Attendance ")+span, o.t("Посещаемость ", "Attendance ")+span, o.t("Посещаемость", "Attendance"),
		o.t("Ученики — по составу классов на конец периода; уроки — проведённые, пока ученик был в классе.",
			"Students as on the roll at the period's end; lessons held while the student was in the class."))
	t.Columns = columns(o.t("Класс", "Class"), o.t("Ученик", "Student"), o.t("Уроков", "Lessons"), o.t("Пропущено", "Missed"),
		o.t("По болезни", "Ill"), o.t("По уважительной причине", "Excused"), o.t("Без уважительной причины", "Unexcused"),
		o.t("Опозданий", "Late"), o.t("Без отметки", "Unrecorded"), o.t("Посещаемость, %", "Attendance, %"))
	line := func(class, label string, f ejournal.AttendanceFigures) []Cell {
		return []Cell{Text(class), Text(label), Int(f.Held), Int(f.Missed), Int(f.Ill), Int(f.Excused), Int(f.Unexcused),
			Int(f.Late), Int(f.Unrecorded), DecimalOf(f.Percent)}
	}
	for _, c := range r.Classes {
		class := o.class(c.ClassID, c.ClassName)
		for _, s := range c.Students {
			t.Rows = append(t.Rows, line(class, s.Name, s.Figures))
		}
		t.Rows = append(t.Rows, strong(line(class, o.t("Итого по классу", "Class total"), c.Figures)))
	}
	if len(r.Classes) > 0 {
		t.Rows = append(t.Rows, strong(line("", o.t("Итого по школе", "School total"), r.School)))
	}
	t.Footer = []string{
		o.t("Пропущено = по болезни + по уважительной причине + без уважительной причины; опоздание пропуском не считается. Урок без отметки посещаемости считается посещённым.",
			"Missed = ill + excused + unexcused; being late is not a miss. A lesson without an attendance record counts as attended."),
		o.rounding(),
	}
	return t
}

// PerformanceTable is the performance report of a period: the school, each
// parallel, class, subject and teacher (with the classes × subjects they
// teach) on one line each.
func PerformanceTable(p *ejournal.Performance, o Options) *Table {
	title := fmt.Sprintf(o.t("Успеваемость — %s", "Performance — %s"), o.period(p.Period))
	t := o.newTable(title, fmt.Sprintf(o.t("Успеваемость %s", "Performance %s"), o.period(p.Period)), o.t("Успеваемость", "Performance"),
		o.asOf(o.t("Школа", "School"), p.Period, p.End), p.DefinitionText.In(o.Lang))
	t.Columns = append(columns(o.t("Уровень", "Level"), o.t("Название", "Name")), o.figureColumns()...)
	add := func(level, label string, f ejournal.Figures, bold bool) {
		row := append([]Cell{Text(level), Text(label)}, figureCells(f)...)
		if bold {
			row = strong(row)
		}
		t.Rows = append(t.Rows, row)
	}
	add(o.t("Школа", "School"), o.t("Вся школа", "Whole school"), p.School, true)
	for _, g := range p.Parallels {
		add(o.t("Параллель", "Parallel"), fmt.Sprintf(o.t("%d-е классы", "Grade %d"), g.Grade), g.Figures, false)
	}
	for _, c := range p.Classes {
		add(o.t("Класс", "Class"), o.class(c.ClassID, c.ClassName), c.Figures, false)
	}
	for _, s := range p.Subjects {
		add(o.t("Предмет", "Subject"), o.subject(s.SubjectID, s.SubjectName), s.Figures, false)
	}
	classNames := map[string]string{}
	subjectNames := map[string]string{}
	for _, c := range p.Classes {
		classNames[c.ClassID] = c.ClassName
	}
	for _, s := range p.Subjects {
		subjectNames[s.SubjectID] = s.SubjectName
	}
	for _, tf := range p.Teachers {
		teacher := name(o.Names.Teachers, tf.TeacherID)
		add(o.t("Учитель", "Teacher"), teacher, tf.Figures, false)
		for _, l := range tf.Lines {
			add("", teacher+" · "+o.class(l.ClassID, classNames[l.ClassID])+" · "+o.subject(l.SubjectID, subjectNames[l.SubjectID]), l.Figures, false)
		}
	}
	t.Footer = []string{p.Rounding.In(o.Lang)}
	return t
}

func (o Options) risk(k ejournal.RiskKind) string {
	switch k {
	case ejournal.RiskProjectedFail:
		return o.t("прогноз «2»", "a 2 projected")
	case ejournal.RiskCertainFail:
		return o.t("«2» неизбежна", "a 2 is certain")
	case ejournal.RiskFewMarks:
		return o.t("мало отметок", "too few marks")
	case ejournal.RiskLowAttendance:
		return o.t("низкая посещаемость", "low attendance")
	case ejournal.RiskAbsenceRun:
		return o.t("пропуски подряд", "absences in a row")
	case ejournal.RiskOpenDebt:
		return o.t("задолженность", "open debt")
	}
	return string(k)
}

func (o Options) severity(s ejournal.RiskSeverity) string {
	switch s {
	case ejournal.SeverityInfo:
		return o.t("сведения", "info")
	case ejournal.SeverityWarning:
		return o.t("внимание", "warning")
	case ejournal.SeverityCritical:
		return o.t("критично", "critical")
	}
	return string(s)
}

// ForecastTable lists the risks of the forecast, one row per flag: the
// student, the subject, the current average and projected mark, the risk,
// its severity and the reason in words.
func ForecastTable(f *ejournal.Forecast, o Options) *Table {
	on := o.date(f.On)
	t := o.newTable(fmt.Sprintf(o.t("Прогноз проблемных ситуаций — %s, на %s", "Forecast of problems — %s, on %s"), o.period(f.Term), on),
		fmt.Sprintf(o.t("Прогноз %s на %s", "Forecast %s on %s"), o.period(f.Term), on), o.t("Прогноз", "Forecast"),
		fmt.Sprintf(o.t("Пороги: отметок для аттестации не меньше %d; посещаемость не ниже %s %%; пропусков подряд без уважительной причины — %d.",
			"Thresholds: at least %d marks for a term mark; attendance of at least %s %%; %d absences in a row without reason."),
			f.Settings.MinMarks, Decimal(f.Settings.MinAttendance).format(o.point()), f.Settings.AbsenceRun))
	t.Columns = columns(o.t("Класс", "Class"), o.t("Ученик", "Student"), o.t("Предмет", "Subject"), o.t("Средний балл", "Average"),
		o.t("Отметок", "Marks"), o.t("Прогноз", "Projected"), o.t("Риск", "Risk"), o.t("Важность", "Severity"), o.t("Причина", "Reason"))
	t.Columns[len(t.Columns)-1].Width = 60
	classNames := map[string]string{}
	for _, c := range f.Classes {
		classNames[c.ClassID] = c.ClassName
	}
	for _, s := range f.Students {
		class := o.class(s.ClassID, classNames[s.ClassID])
		flag := func(fl ejournal.RiskFlag, avg, marks, projected Cell) {
			subject := Text("")
			if fl.SubjectID != "" {
				subject = Text(o.subject(fl.SubjectID, ""))
			}
			t.Rows = append(t.Rows, []Cell{Text(class), Text(s.Name), subject, avg, marks, projected,
				Text(o.risk(fl.Kind)), Text(o.severity(fl.Severity)), Text(fl.Reason.In(o.Lang))})
		}
		for _, sf := range s.Subjects {
			avg := Text("")
			if sf.Average.Count > 0 {
				avg = Decimal(sf.Average.Value)
			}
			for _, fl := range sf.Flags {
				flag(fl, avg, Int(sf.Average.Count), termCell(sf.Projected))
			}
		}
		for _, fl := range s.Flags {
			flag(fl, Text(""), Text(""), Text(""))
		}
	}
	t.Empty = o.t("Рисков не найдено.", "No risks found.")
	t.Footer = []string{o.t("Средний балл — по отметкам периода на дату прогноза (с весами), усечён до сотых; прогноз — ожидаемая итоговая отметка.",
		"The average is of the term's marks up to the day (weighted), cut to two decimals; projected is the term mark expected.")}
	return t
}

// point is the decimal separator of o's language.
func (o Options) point() string {
	if o.Lang == "en" {
		return "."
	}
	return ","
}

// ProjectionTable is the forecast's projection of each class's figures at
// the term's end: a line for the class and one per subject.
func ProjectionTable(f *ejournal.Forecast, o Options) *Table {
	on := o.date(f.On)
	t := o.newTable(fmt.Sprintf(o.t("Прогноз показателей классов — %s, на %s", "Projected class figures — %s, on %s"), o.period(f.Term), on),
		fmt.Sprintf(o.t("Прогноз показателей %s на %s", "Projected figures %s on %s"), o.period(f.Term), on), o.t("Прогноз по классам", "Projection"),
		o.t("Итоговые отметки, которых ещё нет, взяты по прогнозу.", "Term marks not yet given are taken as projected."), f.Definition.Explain().In(o.Lang))
	t.Columns = append(columns(o.t("Класс", "Class"), o.t("Предмет", "Subject")), o.figureColumns()...)
	for _, c := range f.Classes {
		class := o.class(c.ClassID, c.ClassName)
		t.Rows = append(t.Rows, strong(append([]Cell{Text(class), Text(o.t("Все предметы", "All subjects"))}, figureCells(c.Figures)...)))
		for _, s := range c.Subjects {
			t.Rows = append(t.Rows, append([]Cell{Text(class), Text(o.subject(s.SubjectID, s.SubjectName))}, figureCells(s.Figures)...))
		}
	}
	t.Footer = []string{o.rounding()}
	return t
}

// TeacherAnalysisTable is the analysis of teachers' work over a period: a
// row per teacher with the lessons, what is missing in them, the marks
// per student per lesson, the marks' average and shares against the
// school's, and the КТП lag.
func TeacherAnalysisTable(r *ejournal.TeacherReport, o Options) *Table {
	span := o.span(r.From, r.To)
	t := o.newTable(o.t("Анализ работы учителей ", "Teachers' work ")+span, o.t("Анализ работы учителей ", "Teachers' work ")+span,
		o.t("Работа учителей", "Teachers"),
		o.t("Доли отметок — в % от всех отметок учителя; «±» — разница с долей по школе, в процентных пунктах.",
			"Shares of marks are % of the teacher's marks; “±” is the difference from the school's share in percentage points."))
	t.Columns = columns(o.t("Учитель", "Teacher"), o.t("Уроков", "Lessons"), o.t("Без темы", "No topic"), o.t("Без ДЗ", "No homework"),
		o.t("ДЗ внесено после дня урока", "Homework entered late"), o.t("Посещаемость не отмечена", "Attendance not taken"),
		o.t("Отметок", "Marks"), o.t("Отметок на ученика за урок", "Marks per student per lesson"),
		o.t("«5», %", "5s, %"), "±", o.t("«4», %", "4s, %"), "±", o.t("«3», %", "3s, %"), "±", o.t("«2», %", "2s, %"), "±",
		o.t("«1», %", "1s, %"), "±", o.t("Средний балл", "Average"), o.t("Отставание от КТП, ч", "Behind the plan, h"))
	// shares are the shares of d with, when diff is given, the difference
	// from the school's beside each, then the average.
	shares := func(d ejournal.MarkDistribution, diff *ejournal.ShareDifference) []Cell {
		var out []Cell
		var by [5]*ejournal.Hundredths
		if diff != nil {
			by = [5]*ejournal.Hundredths{diff.Share5, diff.Share4, diff.Share3, diff.Share2, diff.Share1}
		}
		for i, share := range []*ejournal.Hundredths{d.Share5, d.Share4, d.Share3, d.Share2, d.Share1} {
			change := Text("")
			if diff != nil {
				change = DecimalOf(by[i])
			}
			out = append(out, DecimalOf(share), change)
		}
		return append(out, DecimalOf(d.Average))
	}
	for _, a := range r.Teachers {
		lag := Text("")
		if a.PlanLag != nil {
			lag = Int(*a.PlanLag)
		}
		row := []Cell{Text(name(o.Names.Teachers, a.TeacherID)), Int(a.Lessons), Int(a.WithoutTopic), Int(a.WithoutHomework),
			Int(a.LateHomework), Int(a.AttendanceNotTaken), Int(a.Total.Marks), DecimalOf(a.Total.Rate)}
		t.Rows = append(t.Rows, append(append(row, shares(a.Distribution, &a.Difference)...), lag))
	}
	school := []Cell{Text(o.t("Школа", "School")), Text(""), Text(""), Text(""), Text(""), Text(""), Int(r.School.Marks), Text("")}
	t.Rows = append(t.Rows, strong(append(append(school, shares(r.School, nil)...), Text(""))))
	t.Footer = []string{o.rounding()}
	return t
}

// LessonChecksTable lists the lessons of each teacher with something
// missing or late.
func LessonChecksTable(r *ejournal.TeacherReport, o Options) *Table {
	span := o.span(r.From, r.To)
	t := o.newTable(o.t("Уроки с незаполненным журналом ", "Lessons with gaps in the journal ")+span,
		o.t("Уроки с незаполненным журналом ", "Lessons with gaps ")+span, o.t("Незаполненные уроки", "Lesson gaps"))
	t.Columns = columns(o.t("Учитель", "Teacher"), o.t("Дата", "Date"), o.t("Класс", "Class"), o.t("Предмет", "Subject"), o.t("Что не так", "What is wrong"))
	for _, a := range r.Teachers {
		for _, c := range a.Checks {
			var what []string
			if c.NoTopic {
				what = append(what, o.t("нет темы", "no topic"))
			}
			if c.NoHomework {
				what = append(what, o.t("нет ДЗ", "no homework"))
			}
			if c.LateHomework {
				what = append(what, o.t("ДЗ внесено позже", "homework entered late"))
			}
			if c.NoAttendance {
				what = append(what, o.t("посещаемость не отмечена", "attendance not taken"))
			}
			t.Rows = append(t.Rows, []Cell{Text(name(o.Names.Teachers, a.TeacherID)), Text(o.date(c.Date)), Text(o.class(c.ClassID, "")),
				Text(o.subject(c.SubjectID, "")), Text(strings.Join(what, ", "))})
		}
	}
	t.Empty = o.t("Все уроки заполнены.", "Every lesson is complete.")
	return t
}

// SubjectTrendTable is a subject's figures period after period for the
// school, each parallel and each class, with the change of quality and
// success from the period before.
func SubjectTrendTable(tr *ejournal.SubjectTrend, o Options) *Table {
	subject := o.subject(tr.SubjectID, "")
	t := o.newTable(fmt.Sprintf(o.t("Динамика по предмету «%s»", "Trend of %s"), subject), fmt.Sprintf(o.t("Динамика %s", "Trend %s"), subject),
		o.t("Динамика", "Trend"), tr.Definition.Explain().In(o.Lang),
		o.t("«±» — изменение с предыдущего периода, в процентных пунктах.", "“±” is the change from the period before, in percentage points."))
	t.Columns = columns(o.t("Уровень", "Level"), o.t("Название", "Name"), o.t("Период", "Period"), o.t("Учеников", "Students"), "N",
		o.t("Успеваемость, %", "Success, %"), "±", o.t("Качество, %", "Quality, %"), "±", o.t("СОУ, %", "СОУ, %"), o.t("Средний балл", "Average"))
	add := func(level, label string, terms []ejournal.TermFigures) {
		for _, tf := range terms {
			f := tf.Figures
			t.Rows = append(t.Rows, []Cell{Text(level), Text(label), Text(o.period(tf.Period)), Int(f.Roll), Int(f.N),
				DecimalOf(f.Success), DecimalOf(tf.SuccessChange), DecimalOf(f.Quality), DecimalOf(tf.QualityChange), DecimalOf(f.SOU), DecimalOf(f.Average)})
		}
	}
	add(o.t("Школа", "School"), o.t("Вся школа", "Whole school"), tr.School)
	for _, g := range tr.Parallels {
		add(o.t("Параллель", "Parallel"), fmt.Sprintf(o.t("%d-е классы", "Grade %d"), g.Grade), g.Terms)
	}
	for _, c := range tr.Classes {
		add(o.t("Класс", "Class"), o.class(c.ClassID, c.ClassName), c.Terms)
	}
	t.Footer = []string{o.rounding()}
	return t
}
