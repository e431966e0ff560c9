package ejournal

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Limits of a calendar-thematic plan.
const (
	MaxPlanTopics   = 400
	MaxTopicTitle   = 500
	MaxTopicSection = 200
	MaxTopicHours   = 20
	// MaxPlanTextBytes bounds the titles and sections of a plan in all, so
	// that the plan and its audit entry (old and new) fit DynamoDB's item.
	MaxPlanTextBytes = 100_000
)

// planIDSeparator joins the parts of a plan id; identifiers never hold it.
const planIDSeparator = "."

// PlanID is the identifier of the plan of class × subject (× group):
// "<class>.<subject>" or "<class>.<subject>.<group>". Identifiers never hold
// '.', so the id names its plan unambiguously, and there is one plan per
// class, subject and group in a school year.
func PlanID(classID, subjectID, groupID string) string {
	id := classID + planIDSeparator + subjectID
	if groupID != "" {
		id += planIDSeparator + groupID
	}
	return id
}

// ParsePlanID splits a plan id made by PlanID; ok is false for anything else.
func ParsePlanID(id string) (classID, subjectID, groupID string, ok bool) {
	parts := strings.Split(id, planIDSeparator)
	if len(parts) != 2 && len(parts) != 3 {
		return "", "", "", false
	}
	for _, p := range parts {
		if !ValidID(p) {
			return "", "", "", false
		}
	}
	if len(parts) == 3 {
		groupID = parts[2]
	}
	return parts[0], parts[1], groupID, true
}

// Validate checks one topic's own fields: the title (required, at most 500
// characters), the section (at most 200), the hours (1 to 20) and the
// planned date's form. Fields are named title, section, hours, planned_date
// and id.
func (t *PlanTopic) Validate() error {
	p := Problems{}
	t.check(p, "")
	return p.Err()
}

func (t *PlanTopic) check(p Problems, prefix string) {
	checkOptionalID(p, prefix+"id", t.ID)
	checkName(p, prefix+"title", t.Title, MaxTopicTitle)
	checkText(p, prefix+"section", t.Section, MaxTopicSection, false)
	// Plans go to XLSX, whose XML cannot hold these two code points.
	for field, v := range map[string]string{"title": t.Title, "section": t.Section} {
		if strings.ContainsAny(v, "\uFFFE\uFFFF") {
			p.Add(prefix+field, T("Недопустимые символы.", "Invalid characters."))
		}
	}
	if t.Hours < 1 || t.Hours > MaxTopicHours {
		p.Add(prefix+"hours", Text{RU: fmt.Sprintf("Часов на тему — от 1 до %d.", MaxTopicHours), EN: fmt.Sprintf("A topic takes from 1 to %d hours.", MaxTopicHours)})
	}
	if t.PlannedDate != "" && !t.PlannedDate.Valid() {
		p.Add(prefix+"planned_date", dateText)
	}
}

// Validate checks the plan against year, the school year it belongs to:
// class, subject and year ids; 1 to 400 topics, each valid (see
// PlanTopic.Validate) with a unique id; planned dates inside the year and
// never earlier than an earlier topic's; at most MaxPlanTextBytes of titles
// and sections in all, so that the plan and its audit entry fit a DynamoDB
// item. Topics without an id get a new one, which stays with the topic
// across later edits.
func (p *Plan) Validate(year *SchoolYear) error {
	pr := Problems{}
	checkRequiredIDs(pr, map[string]string{"year_id": p.YearID, "class_id": p.ClassID, "subject_id": p.SubjectID})
	checkOptionalID(pr, "group_id", p.GroupID)
	if year == nil || year.ID != p.YearID {
		pr.Add("year_id", T("Учебный год не найден.", "School year not found."))
	}
	if len(p.Topics) == 0 || len(p.Topics) > MaxPlanTopics {
		pr.Add("topics", Text{RU: fmt.Sprintf("В плане должно быть от 1 до %d тем.", MaxPlanTopics), EN: fmt.Sprintf("A plan has from 1 to %d topics.", MaxPlanTopics)})
	}
	seen, size := map[string]bool{}, 0
	var last Date
	for i := range p.Topics {
		t := &p.Topics[i]
		if t.ID == "" {
			t.ID = NewID()
		}
		f := fmt.Sprintf("topics[%d].", i)
		t.check(pr, f)
		if seen[t.ID] {
			pr.Add(f+"id", T("Идентификаторы тем не должны повторяться.", "Topic identifiers must be unique."))
		}
		seen[t.ID] = true
		size += len(t.Title) + len(t.Section)
		if !t.PlannedDate.Valid() {
			continue
		}
		if year != nil && (t.PlannedDate < year.Start || t.PlannedDate > year.End) {
			pr.Add(f+"planned_date", T("Плановая дата должна лежать внутри учебного года.", "The planned date must lie inside the school year."))
		} else if t.PlannedDate < last {
			pr.Add(f+"planned_date", T("Плановая дата не может быть раньше даты предыдущей темы.", "The planned date cannot be earlier than the previous topic's."))
		}
		last = max(last, t.PlannedDate)
	}
	if size > MaxPlanTextBytes {
		pr.Add("topics", T("Слишком много текста в плане: сократите названия тем.", "The plan holds too much text: shorten the topic titles."))
	}
	return pr.Err()
}

// TotalHours is the sum of the hours of the plan's topics.
func (p *Plan) TotalHours() int {
	n := 0
	for _, t := range p.Topics {
		n += t.Hours
	}
	return n
}

// PlanLessons returns the lessons of lessons that the plan covers: those of
// its class and subject with the same group (none for a plan of the whole
// class), in date and period order.
func PlanLessons(p *Plan, lessons []*Lesson) []*Lesson {
	var out []*Lesson
	for _, l := range lessons {
		if l.ClassID == p.ClassID && l.SubjectID == p.SubjectID && l.GroupID == p.GroupID {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b *Lesson) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Period, b.Period), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// topicCounts counts the lessons that hold each topic of the plan.
func topicCounts(p *Plan, lessons []*Lesson) map[string]int {
	n := make(map[string]int, len(p.Topics))
	for _, t := range p.Topics {
		n[t.ID] = 0
	}
	for _, l := range lessons {
		if _, ok := n[l.PlanTopicID]; ok {
			n[l.PlanTopicID]++
		}
	}
	return n
}

// nextFree returns the index of the first topic that has fewer lessons
// than hours, or -1 when every topic has its lessons.
func nextFree(p *Plan, counts map[string]int) int {
	for i, t := range p.Topics {
		if counts[t.ID] < t.Hours {
			return i
		}
	}
	return -1
}

// AssignPlanTopics gives lessons their default topics from the plan.
// lessons are every lesson of the plan's class, subject (and group) in date
// and period order. A topic of h hours covers h lessons; lessons that already
// hold a topic of the plan count toward it. Each lesson with neither a
// topic nor a plan topic, in order, gets the first topic not yet covered:
// Topic is its title and PlanTopicID its id. When every topic is covered
// the remaining lessons are left as they are. It changes the lessons in
// place and reports how many it changed.
func AssignPlanTopics(plan *Plan, lessons []*Lesson) int {
	if plan == nil {
		return 0
	}
	counts := topicCounts(plan, lessons)
	changed := 0
	for _, l := range lessons {
		if l.Topic != "" || l.PlanTopicID != "" {
			continue
		}
		i := nextFree(plan, counts)
		if i < 0 {
			break
		}
		t := plan.Topics[i]
		l.Topic, l.PlanTopicID = t.Title, t.ID
		counts[t.ID]++
		changed++
	}
	return changed
}

// LinkPlanTopic makes lesson l follow the topic l.PlanTopicID of plan, the
// plan of the lesson's class, subject and group: the lesson's topic becomes
// the topic's title, and the lesson counts toward the topic's hours in the
// plan's progress. A plan of another class, subject or group, a missing
// plan (nil) or a topic the plan does not hold is EINVALID naming
// "plan_topic_id".
func LinkPlanTopic(l *Lesson, plan *Plan) error {
	if plan != nil && plan.ClassID == l.ClassID && plan.SubjectID == l.SubjectID && plan.GroupID == l.GroupID && plan.YearID == l.YearID {
		for _, t := range plan.Topics {
			if t.ID == l.PlanTopicID {
				l.Topic = t.Title
				return nil
			}
		}
	}
	return Problems{"plan_topic_id": T(
		"В КТП этого класса и предмета нет такой темы.",
		"The calendar-thematic plan of this class and subject has no such topic.")}.Err()
}

// NextTopic is the topic the next lesson takes: the first topic with fewer
// lessons holding it than its hours; nil when the plan is covered.
func NextTopic(plan *Plan, lessons []*Lesson) *PlanTopic {
	if plan == nil {
		return nil
	}
	i := nextFree(plan, topicCounts(plan, lessons))
	if i < 0 {
		return nil
	}
	t := plan.Topics[i]
	return &t
}

// TopicProgress is how far one topic of a plan is taught.
type TopicProgress struct {
	PlanTopic
	// Held is how many lessons held by today hold the topic.
	Held int `json:"held"`
	// Scheduled is how many lessons after today hold the topic.
	Scheduled int `json:"scheduled"`
	// Due says the topic should be taught by today (see PlanProgress).
	Due bool `json:"due"`
}

// PlanProgress compares a plan with the lessons held by a date.
//
// TaughtHours is the plan's hours covered by lessons held: for each topic,
// the lessons held that hold it, up to its hours (a topic's extra lessons
// do not move the plan on). DueHours is the hours the plan expects by
// today: when any topic has a planned date, the hours of the topics dated
// by today and of the undated topics before them; when no topic has one,
// the plan runs by order, and the lessons held so far should have covered
// as many hours of it as there were lessons (at most the plan's total).
// Lag = DueHours − TaughtHours: positive when the class is behind the plan,
// negative when ahead (which only planned dates can tell).
type PlanProgress struct {
	PlanID string `json:"plan_id"`
	Today  Date   `json:"today"`
	// ByDates says DueHours follows planned dates rather than order.
	ByDates      bool `json:"by_dates"`
	PlannedHours int  `json:"planned_hours"`
	// HeldLessons counts the lessons held by today.
	HeldLessons int `json:"held_lessons"`
	// UnplannedLessons counts the lessons held by today that hold no topic
	// of the plan.
	UnplannedLessons int `json:"unplanned_lessons"`
	TaughtHours      int `json:"taught_hours"`
	DueHours         int `json:"due_hours"`
	Lag              int `json:"lag"`
	// NextTopic is the topic the next lesson takes; absent when the plan is covered.
	NextTopic *PlanTopic      `json:"next_topic,omitempty"`
	Topics    []TopicProgress `json:"topics"`
}

// Progress compares plan with its lessons (see PlanLessons) on today.
func Progress(plan *Plan, lessons []*Lesson, today Date) *PlanProgress {
	pg := &PlanProgress{PlanID: plan.ID, Today: today, PlannedHours: plan.TotalHours(), NextTopic: NextTopic(plan, lessons), Topics: make([]TopicProgress, len(plan.Topics))}
	index := make(map[string]int, len(plan.Topics))
	for i, t := range plan.Topics {
		index[t.ID] = i
		pg.Topics[i].PlanTopic = t
		pg.ByDates = pg.ByDates || t.PlannedDate != ""
	}
	for _, l := range lessons {
		i, ok := index[l.PlanTopicID]
		switch {
		case l.Date > today:
			if ok {
				pg.Topics[i].Scheduled++
			}
		case ok:
			pg.HeldLessons++
			pg.Topics[i].Held++
		default:
			pg.HeldLessons++
			pg.UnplannedLessons++
		}
	}
	due := -1 // the last topic due by today
	for i, t := range pg.Topics {
		pg.TaughtHours += min(t.Held, t.Hours)
		if t.PlannedDate != "" && t.PlannedDate <= today {
			due = i
		}
	}
	if pg.ByDates {
		for i := 0; i <= due; i++ {
			pg.Topics[i].Due = true
			pg.DueHours += pg.Topics[i].Hours
		}
	} else {
		pg.DueHours = min(pg.HeldLessons, pg.PlannedHours)
		left := pg.DueHours
		for i := range pg.Topics {
			if left <= 0 {
				break
			}
			pg.Topics[i].Due = true
			left -= pg.Topics[i].Hours
		}
	}
	pg.Lag = pg.DueHours - pg.TaughtHours
	return pg
}

// CopyPlan returns a new plan with plan's topics for class toClass in year
// toYear, without a group (groups belong to one class): a version-0 record
// for SavePlan. Its topics get new ids, since lessons of the new class
// refer to its own plan; planned dates are kept within the same year and
// dropped when the year changes.
func CopyPlan(plan *Plan, toClass, toYear string) *Plan {
	c := &Plan{SchoolID: plan.SchoolID, YearID: toYear, ClassID: toClass, SubjectID: plan.SubjectID, Topics: make([]PlanTopic, len(plan.Topics))}
	for i, t := range plan.Topics {
		t.ID = NewID()
		if toYear != plan.YearID {
			t.PlannedDate = ""
		}
		c.Topics[i] = t
	}
	return c
}
