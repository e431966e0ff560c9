package importer

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/ejournal"
)

// column is a column a file may have. Headers match case-insensitively,
// with "ё" as "е", "_" as a space and a trailing "*" or ":" ignored.
type column struct {
	key string
	// name is the usual (Russian) header; aliases are other accepted ones.
	name     string
	aliases  []string
	required bool
	// ignored columns are accepted and not read.
	ignored bool
}

// Column keys.
const (
	colLastName   = "last_name"
	colFirstName  = "first_name"
	colMiddleName = "middle_name"
	colBirthDate  = "birth_date"
	colClass      = "class"
	colAddress    = "address"
	colDocument   = "document"
	colPosition   = "position"
	colHiredOn    = "hired_on"
	colHireOrder  = "hire_order"
	colPhone      = "phone"

	// Parent columns; the second parent's keys end in " 2".
	colParentLast   = "parent_last_name"
	colParentFirst  = "parent_first_name"
	colParentMiddle = "parent_middle_name"
	colParentPhone  = "parent_phone"
	colParentSMS    = "parent_sms_consent"
	colRelation     = "parent_relation"
)

var nameColumns = []column{
	{key: colLastName, name: "Фамилия", aliases: []string{"last name", "surname", "family name"}, required: true},
	{key: colFirstName, name: "Имя", aliases: []string{"first name", "given name"}, required: true},
	{key: colMiddleName, name: "Отчество", aliases: []string{"middle name", "patronymic"}},
}

// parentSuffixes name the parents a row of students may carry.
var parentSuffixes = []string{"", " 2"}

var studentColumns = concat(nameColumns, []column{
	{key: colBirthDate, name: "Дата рождения", aliases: []string{"birth date", "date of birth", "birthday"}, required: true},
	{key: colClass, name: "Класс", aliases: []string{"class"}, required: true},
	{key: "sex", name: "Пол", aliases: []string{"sex", "gender"}, ignored: true},
	{key: colAddress, name: "Адрес", aliases: []string{"address"}},
	{key: colDocument, name: "Документ", aliases: []string{"document"}},
}, parentColumns(parentSuffixes[0]), parentColumns(parentSuffixes[1]))

var staffColumns = concat(nameColumns, []column{
	{key: colPosition, name: "Должность", aliases: []string{"position", "job title"}, required: true},
	{key: colHiredOn, name: "Дата приёма", aliases: []string{"дата приёма на работу", "hired on", "hire date"}, required: true},
	{key: colHireOrder, name: "Приказ", aliases: []string{"приказ о приёме", "номер приказа", "hire order", "order"}},
	{key: colPhone, name: "Телефон", aliases: []string{"phone"}},
	{key: colBirthDate, name: "Дата рождения", aliases: []string{"birth date", "date of birth", "birthday"}},
})

func parentColumns(n string) []column {
	return []column{
		{key: colParentLast + n, name: "Фамилия родителя" + n, aliases: []string{"parent last name" + n}},
		{key: colParentFirst + n, name: "Имя родителя" + n, aliases: []string{"parent first name" + n}},
		{key: colParentMiddle + n, name: "Отчество родителя" + n, aliases: []string{"parent middle name" + n}},
		{key: colParentPhone + n, name: "Телефон родителя" + n, aliases: []string{"parent phone" + n}},
		{key: colParentSMS + n, name: "Согласие на SMS" + n, aliases: []string{"согласие на смс" + n, "parent sms consent" + n, "sms consent" + n}},
		{key: colRelation + n, name: "Кем приходится" + n, aliases: []string{"parent relation" + n, "relation" + n}},
	}
}

func concat(parts ...[]column) []column {
	var out []column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// skipped are headers of columns that carry no data to import, such as
// a row number.
var skipped = map[string]bool{"№": true, "№ п/п": true, "n": true, "no": true, "#": true}

// normHeader folds a header for matching.
func normHeader(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "_", " "))
	s = strings.ReplaceAll(s, "ё", "е")
	s = strings.TrimRight(strings.TrimSpace(s), "*: ")
	return strings.Join(strings.Fields(s), " ")
}

// layout is where a file's columns are.
type layout struct {
	cols  map[string]column
	index map[string]int
	// names are the headers as the file writes them.
	names map[string]string
}

// match finds cols in the header, reporting unknown, repeated and missing
// columns.
func match(header Row, cols []column, rep *Report) layout {
	l := layout{cols: map[string]column{}, index: map[string]int{}, names: map[string]string{}}
	byHeader := map[string]column{}
	for _, c := range cols {
		l.cols[c.key] = c
		for _, h := range append([]string{c.name, c.key}, c.aliases...) {
			byHeader[normHeader(h)] = c
		}
	}
	for i, h := range header.Cells {
		n := normHeader(h)
		if n == "" || skipped[n] {
			continue
		}
		c, ok := byHeader[n]
		switch {
		case !ok:
			rep.add(header.Line, h, ejournal.Text{
				RU: fmt.Sprintf("Неизвестный столбец «%s». Переименуйте его (ожидаются: %s) или удалите.", h, known(cols)),
				EN: fmt.Sprintf("Unknown column %q. Rename it (expected: %s) or remove it.", h, known(cols)),
			})
		case l.has(c.key):
			rep.add(header.Line, h, ejournal.Text{
				RU: fmt.Sprintf("Столбец «%s» повторяется.", h),
				EN: fmt.Sprintf("Column %q appears twice.", h),
			})
		case !c.ignored:
			l.index[c.key], l.names[c.key] = i, h
		default:
			l.names[c.key] = h
		}
	}
	for _, c := range cols {
		if c.required && !l.has(c.key) {
			rep.add(header.Line, c.name, ejournal.Text{
				RU: fmt.Sprintf("В файле нет обязательного столбца «%s» (или %s).", c.name, c.key),
				EN: fmt.Sprintf("The file has no column %q (or %s), which is required.", c.name, c.key),
			})
		}
	}
	return l
}

func (l layout) has(key string) bool {
	_, ok := l.names[key]
	return ok
}

func known(cols []column) string {
	var names []string
	for _, c := range cols {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// cells reads one row by column key and files its problems.
type cells struct {
	l   layout
	t   *Table
	row Row
	rep *Report
	// bad holds the columns of the row already reported, so a cell gets
	// one message; "" stands for the row as a whole.
	bad map[string]bool
}

func newCells(l layout, t *Table, row Row, rep *Report) cells {
	return cells{l: l, t: t, row: row, rep: rep, bad: map[string]bool{}}
}

// clean reports whether the row has no problems so far.
func (c cells) clean() bool { return len(c.bad) == 0 }

// get returns the row's value in a column; "" when the file lacks it.
func (c cells) get(key string) string {
	i, ok := c.l.index[key]
	if !ok || i >= len(c.row.Cells) {
		return ""
	}
	return c.row.Cells[i]
}

// name returns a name-like value with its runs of spaces collapsed.
func (c cells) name(key string) string { return strings.Join(strings.Fields(c.get(key)), " ") }

// column is the header of a column as the file writes it, or its usual name.
func (c cells) column(key string) string {
	if n, ok := c.l.names[key]; ok {
		return n
	}
	return c.l.cols[key].name
}

// problem files msg against the column key ("" for the whole row), unless
// that column of the row already has a problem.
func (c cells) problem(key string, msg ejournal.Text) {
	col := ""
	if key != "" {
		if c.bad[key] {
			return
		}
		col = c.column(key)
	}
	c.bad[key] = true
	c.rep.add(c.row.Line, col, msg)
}

var dateText = ejournal.T("Дата в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.", "A date as DD.MM.YYYY or YYYY-MM-DD.")

// date reads a date column; "" when empty or invalid (and then reported).
func (c cells) date(key string) ejournal.Date {
	v := c.get(key)
	if v == "" {
		return ""
	}
	d, ok := parseDate(v, c.t)
	if !ok {
		c.problem(key, dateText)
	}
	return d
}

// required reads a date column that must be filled in.
func (c cells) required(key string) ejournal.Date {
	if c.get(key) == "" {
		c.problem(key, requiredText)
		return ""
	}
	return c.date(key)
}

// parseDate reads DD.MM.YYYY, YYYY-MM-DD (either followed by a time, which
// is dropped) and, in XLSX, Excel's serial day numbers.
func parseDate(v string, t *Table) (ejournal.Date, bool) {
	v, _, _ = strings.Cut(v, " ")
	if d, ok := ejournal.ParseDate(v); ok {
		return d, true
	}
	if tm, err := time.Parse("2.1.2006", v); err == nil {
		return ejournal.DateOf(tm), true
	}
	if t.serialDates {
		// 1 is 1900-01-01; 2958465 is 9999-12-31, the last date Excel knows.
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 2958466 {
			if tm, err := excelize.ExcelDateToTime(f, t.date1904); err == nil {
				return ejournal.DateOf(tm), true
			}
		}
	}
	return "", false
}

// domainColumns maps the fields the domain's Validate names to column keys.
type domainColumns map[string]string

// report files the field problems of a domain error against their columns.
func (c cells) report(err error, cols domainColumns) {
	if err == nil {
		return
	}
	e, ok := err.(*ejournal.Error)
	if !ok || len(e.Fields) == 0 {
		c.problem("", ejournal.T("Запись не прошла проверку.", "The record did not pass validation."))
		return
	}
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		c.problem(cols[field], e.Fields[field])
	}
}
