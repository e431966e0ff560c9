package importer

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/ejournal"
)

// Calendar-thematic plans (КТП): a spreadsheet of topics, one row per
// topic, read into plan topics and written back.

// Plan column keys.
const (
	colSection = "section"
	colTopic   = "topic"
	colHours   = "hours"
	colDate    = "date"
)

var planColumns = []column{
	{key: colSection, name: "Раздел", aliases: []string{"название раздела", "раздел программы", "модуль", "глава", "section", "unit"}},
	{key: colTopic, name: "Тема", aliases: []string{"тема урока", "темы уроков", "название темы", "наименование темы", "тема занятия", "topic", "title"}, required: true},
	{key: colHours, name: "Часы", aliases: []string{"количество часов", "кол-во часов", "кол. часов", "кол-во час", "часов", "час", "hours"}},
	{key: colDate, name: "Дата", aliases: []string{"плановая дата", "дата по плану", "планируемая дата", "дата проведения", "дата (план)", "planned date", "planned_date"}},
	// Columns КТП spreadsheets often carry beside the plan; they are not read.
	{key: "number", name: "Номер урока", aliases: []string{"номер", "№ урока", "урок"}, ignored: true},
	{key: "actual_date", name: "Дата по факту", aliases: []string{"фактическая дата", "дата (факт)", "дата факт", "факт"}, ignored: true},
	{key: "homework", name: "Домашнее задание", aliases: []string{"д/з", "дз"}, ignored: true},
	{key: "note", name: "Примечание", aliases: []string{"примечания", "корректировка"}, ignored: true},
}

var planFields = domainColumns{"title": colTopic, "section": colSection, "hours": colHours, "planned_date": colDate, "id": colTopic}

// PlanOptions are what a plan import needs to know.
type PlanOptions struct {
	// Year is the school year of the plan; planned dates must lie in it.
	Year *ejournal.SchoolYear
}

// PlanTopics turns a table of topics into plan topics, in file order. The
// columns are Раздел (section), Тема (topic)*, Часы (hours, 1 when empty)
// and Дата (planned date, optional); a number column (№) is skipped. A row
// with a section and no topic is a section heading; a topic row with an
// empty section continues the section above. Every problem is reported with
// its row; the topics come back only from a file without problems.
func PlanTopics(t *Table, o PlanOptions) ([]ejournal.PlanTopic, error) {
	rep := &Report{}
	l := match(t.Header, planColumns, rep)
	if err := rep.err(); err != nil {
		return nil, err
	}
	var topics []ejournal.PlanTopic
	var section string
	var last ejournal.Date
	lastLine := 0
	for _, row := range t.Rows {
		c := newCells(l, t, row, rep)
		if s := c.name(colSection); s != "" {
			section = s
		}
		title := c.name(colTopic)
		if title == "" && c.get(colSection) != "" && c.get(colDate) == "" {
			continue // a section heading
		}
		tp := ejournal.PlanTopic{Section: section, Title: title, Hours: planHours(c), PlannedDate: c.date(colDate)}
		if title == "" {
			c.problem(colTopic, requiredText)
		}
		c.report(tp.Validate(), planFields)
		if d := tp.PlannedDate; d != "" && c.clean() {
			switch {
			case o.Year != nil && (d < o.Year.Start || d > o.Year.End):
				c.problem(colDate, ejournal.Text{
					RU: fmt.Sprintf("Дата должна лежать внутри учебного года %s (%s — %s).", o.Year.Name, o.Year.Start, o.Year.End),
					EN: fmt.Sprintf("The date must lie inside the school year %s (%s to %s).", o.Year.Name, o.Year.Start, o.Year.End),
				})
			case d < last:
				c.problem(colDate, ejournal.Text{
					RU: fmt.Sprintf("Дата раньше, чем у темы в строке %d: темы идут по порядку.", lastLine),
					EN: fmt.Sprintf("The date is earlier than that of the topic in line %d: topics come in order.", lastLine),
				})
			default:
				last, lastLine = d, row.Line
			}
		}
		if len(topics) == ejournal.MaxPlanTopics {
			c.problem("", ejournal.Text{
				RU: fmt.Sprintf("В плане больше %d тем.", ejournal.MaxPlanTopics),
				EN: fmt.Sprintf("The plan has more than %d topics.", ejournal.MaxPlanTopics),
			})
			break
		}
		if c.clean() {
			topics = append(topics, tp)
		}
	}
	if len(topics) == 0 && len(rep.Problems) == 0 {
		rep.add(t.Header.Line, "", noRowsText)
	}
	if err := rep.err(); err != nil {
		return nil, err
	}
	return topics, nil
}

// planHours reads the hours of a topic row: 1 when empty, a whole number
// (Excel may store 2 as "2.0" or "2,0") otherwise; 0 when unreadable,
// which validation reports.
func planHours(c cells) int {
	v := strings.Replace(c.get(colHours), ",", ".", 1)
	if v == "" {
		return 1
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != float64(int(f)) || f < 0 || f > 1000 {
		c.problem(colHours, ejournal.Text{
			RU: fmt.Sprintf("Часы — целое число от 1 до %d.", ejournal.MaxTopicHours),
			EN: fmt.Sprintf("Hours must be a whole number from 1 to %d.", ejournal.MaxTopicHours),
		})
		return 0
	}
	return int(f)
}

// maxSheetName is Excel's limit of a sheet name's length.
const maxSheetName = 31

// WritePlanXLSX writes the plan's topics as a workbook that PlanTopics reads
// back: one sheet named title (cut to Excel's 31 characters, without the
// characters Excel forbids), the Russian headers №, Раздел, Тема, Часы, Дата
// and a row per topic, planned dates as date cells. What the import reads
// back is the plan's topics without their ids, except that runs of spaces
// in texts read back as one space and a topic without a section after one
// with a section reads back in that section.
func WritePlanXLSX(p *ejournal.Plan, title string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := sheetName(title)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("plan sheet: %w", err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd.mm.yyyy")})
	if err != nil {
		return nil, fmt.Errorf("plan date style: %w", err)
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("plan header style: %w", err)
	}
	rows := [][]any{{"№", "Раздел", "Тема", "Часы", "Дата"}}
	for i, t := range p.Topics {
		r := []any{i + 1, t.Section, t.Title, t.Hours, nil}
		if t.PlannedDate != "" {
			r[4] = t.PlannedDate.Time()
		}
		rows = append(rows, r)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, fmt.Errorf("plan row %d: %w", i+1, err)
		}
	}
	last, _ := excelize.CoordinatesToCellName(5, len(rows))
	for _, err := range []error{
		f.SetCellStyle(sheet, "A1", "E1", headStyle),
		f.SetCellStyle(sheet, "E2", last, dateStyle),
		f.SetColWidth(sheet, "B", "B", 30),
		f.SetColWidth(sheet, "C", "C", 60),
		f.SetColWidth(sheet, "E", "E", 12),
	} {
		if err != nil {
			return nil, fmt.Errorf("plan layout: %w", err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write plan workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func ptr[T any](v T) *T { return &v }

// sheetName makes title a valid sheet name.
func sheetName(title string) string {
	title = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, title)
	title = strings.Trim(strings.Join(strings.Fields(title), " "), "'")
	for utf8.RuneCountInString(title) > maxSheetName {
		_, size := utf8.DecodeLastRuneInString(title)
		title = title[:len(title)-size]
	}
	if strings.TrimSpace(title) == "" {
		return "КТП"
	}
	return strings.TrimSpace(title)
}
