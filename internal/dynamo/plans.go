package dynamo

import (
	"context"

	"ejournal/internal/ejournal"
)

var _ ejournal.PlanService = (*DB)(nil)

var whatPlan = ejournal.T("Календарно-тематический план", "Calendar-thematic plan")

// planEntity files a plan's audit entries under its class (kind "plan",
// id the class id): a plan id holds '.', which audit ids may not, and the
// class's trail then tells the story of all its plans, each entry naming
// its subject and group.
func planEntity(p *ejournal.Plan) entity {
	return entity{
		key:   planKey(p.SchoolID, p.YearID, p.ClassID, p.SubjectID, p.GroupID),
		kind:  "plan",
		what:  whatPlan,
		audit: auditRef{p.SchoolID, "plan", p.ClassID},
	}
}

// Plan implements ejournal.PlanService: one GetItem, the id naming the key.
func (db *DB) Plan(ctx context.Context, schoolID, yearID, id string) (*ejournal.Plan, error) {
	cid, subject, gid, ok := ejournal.ParsePlanID(id)
	if !ok || !ejournal.ValidID(yearID) {
		return nil, ejournal.NotFound(whatPlan)
	}
	return db.PlanFor(ctx, schoolID, yearID, cid, subject, gid)
}

// PlanFor implements ejournal.PlanService.
func (db *DB) PlanFor(ctx context.Context, schoolID, yearID, classID, subjectID, groupID string) (*ejournal.Plan, error) {
	for _, id := range []string{yearID, classID, subjectID} {
		if !ejournal.ValidID(id) {
			return nil, ejournal.NotFound(whatPlan)
		}
	}
	if groupID != "" && !ejournal.ValidID(groupID) {
		return nil, ejournal.NotFound(whatPlan)
	}
	p := &ejournal.Plan{SchoolID: schoolID, YearID: yearID, ClassID: classID, SubjectID: subjectID, GroupID: groupID}
	if err := db.get(ctx, planEntity(p), p); err != nil {
		return nil, err
	}
	return p, nil
}

// Plans implements ejournal.PlanService: one Query of the year's plan
// partition, narrowed to the class's sort keys when classID is given.
func (db *DB) Plans(ctx context.Context, schoolID, yearID, classID string) ([]*ejournal.Plan, error) {
	if !ejournal.ValidID(yearID) || (classID != "" && !ejournal.ValidID(classID)) {
		return nil, nil
	}
	q := query{pk: plansPartition(schoolID, yearID)}
	if classID != "" {
		q.skPrefix = planClassPrefix(classID)
	}
	return list[ejournal.Plan](ctx, db, q)
}

// SavePlan implements ejournal.PlanService. The plan's id follows from its
// class, subject and group. Its class must be of its school year, its group
// of its class; the year, class, subject and group are checked in the
// write's transaction. Audited (kind "plan").
func (db *DB) SavePlan(ctx context.Context, p *ejournal.Plan) error {
	p.ID = ejournal.PlanID(p.ClassID, p.SubjectID, p.GroupID)
	year, err := db.planYear(ctx, p)
	if err != nil {
		return err
	}
	if err := p.Validate(year); err != nil {
		return err
	}
	c, err := db.Class(ctx, p.SchoolID, p.ClassID)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		return ejournal.Problems{"class_id": notInSchool(whatClass)}.Err()
	case err != nil:
		return err
	case c.YearID != p.YearID:
		return ejournal.Problems{"class_id": ejournal.T("Класс относится к другому учебному году.", "The class belongs to another school year.")}.Err()
	}
	if err := db.checkGroupOfClass(ctx, p.SchoolID, p.ClassID, p.GroupID); err != nil {
		return err
	}
	refs := []ref{
		{key: yearKey(p.SchoolID, p.YearID), field: "year_id", what: whatYear},
		{key: classKey(p.SchoolID, p.ClassID), field: "class_id", what: whatClass},
		{key: subjectKey(p.SchoolID, p.SubjectID), field: "subject_id", what: whatSubject},
	}
	if p.GroupID != "" {
		refs = append(refs, ref{key: groupKey(p.SchoolID, p.GroupID), field: "group_id", what: whatGroup})
	}
	if p.Version == 0 {
		p.CreatedAt = db.Now()
		p.UpdatedAt = p.CreatedAt
		return db.insert(ctx, planEntity(p), p, &p.Version, refs...)
	}
	old, err := db.Plan(ctx, p.SchoolID, p.YearID, p.ID)
	if err != nil {
		return err
	}
	if old.Version != p.Version {
		return ejournal.StaleVersion()
	}
	p.CreatedAt, p.UpdatedAt = old.CreatedAt, db.Now()
	return db.update(ctx, planEntity(p), p, &p.Version, refs...)
}

// planYear reads the plan's school year; nil when there is none, which
// Validate reports.
func (db *DB) planYear(ctx context.Context, p *ejournal.Plan) (*ejournal.SchoolYear, error) {
	if !ejournal.ValidID(p.YearID) {
		return nil, nil
	}
	y, err := db.Year(ctx, p.SchoolID, p.YearID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, nil
	}
	return y, err
}

// DeletePlan implements ejournal.PlanService. Lessons keep their topics
// and plan topic ids.
func (db *DB) DeletePlan(ctx context.Context, schoolID, yearID, id string, version int64) error {
	p, err := db.Plan(ctx, schoolID, yearID, id)
	if err != nil {
		return err
	}
	if p.Version != version {
		return ejournal.StaleVersion()
	}
	return db.remove(ctx, planEntity(p), p, version)
}

// defaultPlanTopic gives a new lesson without a topic the next topic of
// its plan (ejournal.NextTopic: the first topic that the year's lessons
// holding its topics have not covered yet), when its class, subject and
// group have a plan. The lessons are read from the journal index, which is
// eventually consistent in DynamoDB: two lessons created at the same
// moment may get the same topic, which the teacher can change.
func (db *DB) defaultPlanTopic(ctx context.Context, l *ejournal.Lesson) error {
	if l.Topic != "" || l.PlanTopicID != "" {
		return nil
	}
	p, err := db.PlanFor(ctx, l.SchoolID, l.YearID, l.ClassID, l.SubjectID, l.GroupID)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	year, err := db.Year(ctx, l.SchoolID, l.YearID)
	if err != nil {
		return err
	}
	ls, err := db.JournalLessons(ctx, l.SchoolID, l.ClassID, l.SubjectID, year.Start, year.End)
	if err != nil {
		return err
	}
	if t := ejournal.NextTopic(p, ejournal.PlanLessons(p, ls)); t != nil {
		l.Topic, l.PlanTopicID = t.Title, t.ID
	}
	return nil
}
