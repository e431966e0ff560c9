package dynamo

// Every key of the single table is built in this file. The access patterns
// they serve are listed in docs/ARCHITECTURE.md; keep the two in step.
//
// Layout:
//
//	item          PK             SK                  GSI1PK / GSI1SK                        GSI2PK / GSI2SK
//	school        S#<sid>        SCHOOL              SCHOOLS / SCHOOL#<sid>   (deployment-wide index entry)
//	school year   S#<sid>        YEAR#<yid>          -
//	class         S#<sid>        CLASS#<cid>         S#<sid>#YEAR#<yid> / CLASS#<gg><letter>#<cid>
//	group         S#<sid>        GROUP#<gid>         S#<sid>#CLASS#<cid> / GROUP#<gid>
//	subject       S#<sid>        SUBJECT#<id>        -
//	assignment    S#<sid>        ASSIGN#<aid>        S#<sid>#CLASS#<cid> / ASSIGN#<yid>#<aid>  S#<sid>#TEACHER#<tid> / ASSIGN#<yid>#<aid>
//	person        S#<sid>        PERSON#<pid>        students: S#<sid>#CLASS#<cid> / STUDENT#<pid>     S#<sid>#KIND#<kind> / PERSON#<pid>
//	class teacher (on the class item)                                                               S#<sid>#TEACHER#<tid> / CLASSTEACHER#<cid>
//	family link   S#<sid>        LINK#<parent>#<child>  S#<sid>#PERSON#<child> / PARENT#<parent>
//	movement      S#<sid>        MOVE#<date>#<mid>   S#<sid>#PERSON#<student> / MOVE#<date>#<mid>
//	role override S#<sid>        ROLE#<role>         -
//	audit entry   S#<sid>#AUDIT#<kind>#<id>  <at>#<aid>  S#<sid>#AUDITLOG#<day> / <at>#<aid>
//	session       S#<sid>#SESSIONS#<pid>  SESSION#<fid>  (ttl)
//	login         LOGIN#<login>  LOGIN               -   (deployment-wide: logins are unique across schools)
//	external id   EXTID#<ih>#<subject>  EXTID    S#<sid>#PERSON#<pid> / EXTID#<ih>#<subject>   (deployment-wide; ih = issuerKey)
//	sign-in state OIDC#<state>   STATE               -   (deployment-wide, ttl)
//	throttle      THROTTLE#<kind>#<value>  THROTTLE  -   (deployment-wide, ttl)
//
// The journal (Step 3). A lesson, its marks and its attendance share the
// lesson partition; the indexes gather them for the views:
//
//	item        PK                         SK                      GSI1 (journal)                                GSI2 (class day / student)                      GSI3 (teacher day)
//	lesson      S#<sid>#LESSON#<lid>       LESSON                  S#<sid>#J#<cid>#<subj> / L#<date>#<pp>#<lid>   S#<sid>#CLASSDAY#<cid> / L#<date>#<pp>#<lid>     S#<sid>#TEACHERDAY#<tid> / <date>#<pp>#<lid>
//	mark        S#<sid>#LESSON#<lid>       MARK#<mid>              S#<sid>#J#<cid>#<subj> / M#<date>#<lid>#<mid>  S#<sid>#STU#<student> / M#<date>#<subj>#<mid>   -
//	attendance  S#<sid>#LESSON#<lid>       ATT#<student>           S#<sid>#J#<cid>#<subj> / A#<date>#<lid>#<stu>  S#<sid>#STU#<student> / A#<date>#<lid>          S#<sid>#CLASSATT#<cid> / <date>#<lid>#<stu>
//	term mark   S#<sid>#STU#<stu>#TERMS    <yid>#<term>#<subj>     S#<sid>#J#<cid>#<subj> / T#<yid>#<term>#<stu>  -                                               -
//	grading     S#<sid>                    GRADING#<yid>           -
//	plan (КТП)  S#<sid>#PLANS#<yid>         <cid>#<subj>#<gid or ->  -      (Step 4; topics embedded)
//
// <pp> is the period number in two digits. A mark's public id is
// "<lid>_<mid>" so that it leads straight to its item.
//
// Calendar and events (Step 4):
//
//	item        PK                        SK                   GSI1PK / GSI1SK
//	calendar    S#<sid>                   CALENDAR#<yid>       -   (the whole calendar of a year: week, holidays, bells)
//	event       S#<sid>#EVENT#<eid>       EVENT                S#<sid>#EVENTS / <date>#<eid>
//
// An event has its own partition so that it is read by id with GetItem and
// a change of its date is one conditional Put; the school's events by date
// are one GSI1 Query, which starts ejournal.MaxEventDays early and drops
// events that end before the range.
//
// Notification pipeline (Step 5):
//
//	item             PK                               SK                        GSI3 (due to be sent, while pending)
//	notice key       S#<sid>#NOTICEKEY#<key>          KEY  (ttl)                -
//	outbox SMS       S#<sid>#OUTBOX#<yyyy-mm>         <at>#<oid>                DUE#<shard> / <sendAfter>#<sid>#<oid>
//	pending pointer  S#<sid>#PENDING#<recipient>      <child or ->#<group>      -   (ttl)
//	SMS budget       S#<sid>                          SMSBUDGET#<yyyy-mm>       -
//
// <oid> is "<yyyy-mm>_<id>", so an SMS's id leads to its key. The GSI3
// partitions DUE#0 … DUE#3 are deployment-wide: the dispatcher finds the
// due SMS of every school there; each entry carries its school id. A
// pending pointer finds the SMS still pending for one recipient, child and
// group (the event, for a correction; "digest-<date>" for a digest).
//
// Messages, inboxes and notification settings (Step 5):
//
//	item             PK                               SK              GSI1                                 GSI2                                 GSI3
//	notify settings  S#<sid>                          NOTIFY          -
//	preference       S#<sid>#PERSON#<parent>#NOTIFY   CHILD#<child>   -
//	message          S#<sid>#MSG#<mid>                MSG             S#<sid>#SENT#<sender> / <at>#<mid>   -                                    -
//	inbox item       S#<sid>#INBOX#<person>           ITEM#<iid>      S#<sid>#MSG#<mid> / RCPT#<person>    S#<sid>#INBOX#<person> / <at>#<iid>  S#<sid>#UNREAD#<person> / <at>#<iid>
//
// <at> is a fixed-width UTC time (sortTime). An inbox item is read by id
// with GetItem; a person's inbox, newest first, is one GSI2 Query; GSI3
// holds an item only while it is unread, so the unread count is one
// counting Query; GSI1 gathers the inbox items of one message (messages
// only, not notices), so its readers and non-readers are one Query.
//
// Timetable (Step 4): one partition per school year holds its entries, its
// substitutions and a HEAD counter. Every write of an entry or a
// substitution bumps HEAD (conditioned on the value read) in its own
// transaction, so two edits checked against the same reading cannot both
// pass the clash check. The whole year is one consistent Query.
//
//	item          PK                   SK                  -
//	tt entry      S#<sid>#TT#<yid>     ENTRY#<eid>         -
//	substitution  S#<sid>#TT#<yid>     SUB#<date>#<id>     -
//	tt head       S#<sid>#TT#<yid>     HEAD                -   (version counter only)
//
// Lesson generation (Step 4): generated lessons are ordinary lessons (the
// journal keys above) with the id "t-<entry>-<yyyymmdd>"
// (ejournal.GeneratedLessonID). A generated lesson deleted by hand leaves a
// tombstone, so that generating its dates again does not bring it back; the
// tombstones of a range of dates are one Query:
//
//	item              PK                       SK              -
//	lesson tombstone  S#<sid>#GENDEL#<yid>     <date>#<lid>    -   (<date> is the one in the lesson id)
//
// Reports (Step 6): a background report job and the chunks (≤ 300 KB) of
// its file share one partition; both expire (ttl) a week after the job was
// created. The job's INSERT on the table stream starts it in AWS.
//
//	item          PK                          SK           -
//	report job    S#<sid>#REPORTJOB#<id>      JOB          -   (type report_job, ttl)
//	file chunk    S#<sid>#REPORTJOB#<id>      CHUNK#<nnnn> -   (type report_chunk, ttl)
//
// Every item that belongs to a school has "S#<sid>#" or "S#<sid>" at the start
// of each of its partition keys. The deployment-wide keys are the GSI1
// partition SCHOOLS, which lists the schools of a deployment for operators,
// and the sign-in items above (login names, external identities, sign-in
// state and throttling counters), which must be found before the school is
// known. They carry the school id inside, never data of a school's records.
// Identifiers never contain '#' (ejournal.ValidID), so no identifier can
// reach into another school's key space.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"ejournal/internal/ejournal"
)

// Attribute names of the table.
const (
	attrPK      = "PK"
	attrSK      = "SK"
	attrGSI1PK  = "GSI1PK"
	attrGSI1SK  = "GSI1SK"
	attrGSI2PK  = "GSI2PK"
	attrGSI2SK  = "GSI2SK"
	attrGSI3PK  = "GSI3PK"
	attrGSI3SK  = "GSI3SK"
	attrTTL     = "ttl"
	attrVersion = "version"
	attrRID     = "rid"
	attrType    = "type"

	indexGSI1 = "GSI1"
	indexGSI2 = "GSI2"
	indexGSI3 = "GSI3"
)

// key is a primary key of the table.
type key struct{ PK, SK string }

// indexKeys are the secondary index keys of an item; empty ones are left out.
type indexKeys struct{ GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK string }

// Deployment-wide partition of the school list in GSI1.
const schoolsPartition = "SCHOOLS"

func schoolPK(sid string) string { return "S#" + sid }

func schoolKey(sid string) key { return key{schoolPK(sid), "SCHOOL"} }

func schoolIndex(sid string) indexKeys {
	return indexKeys{GSI1PK: schoolsPartition, GSI1SK: "SCHOOL#" + sid}
}

func yearKey(sid, yid string) key { return key{schoolPK(sid), "YEAR#" + yid} }

const yearPrefix = "YEAR#"

func classKey(sid, cid string) key { return key{schoolPK(sid), "CLASS#" + cid} }

const classPrefix = "CLASS#"

func yearCollection(sid, yid string) string { return schoolPK(sid) + "#YEAR#" + yid }

func classIndex(c *ejournal.Class) indexKeys {
	idx := indexKeys{
		GSI1PK: yearCollection(c.SchoolID, c.YearID),
		GSI1SK: fmt.Sprintf("CLASS#%02d%s#%s", c.Grade, c.Letter, c.ID),
	}
	idx.GSI2PK, idx.GSI2SK = classTeacherIndex(c)
	return idx
}

func classCollection(sid, cid string) string { return schoolPK(sid) + "#CLASS#" + cid }

func groupKey(sid, gid string) key { return key{schoolPK(sid), "GROUP#" + gid} }

const groupPrefix = "GROUP#"

func groupIndex(g *ejournal.Group) indexKeys {
	return indexKeys{GSI1PK: classCollection(g.SchoolID, g.ClassID), GSI1SK: groupPrefix + g.ID}
}

func subjectKey(sid, id string) key { return key{schoolPK(sid), "SUBJECT#" + id} }

const subjectPrefix = "SUBJECT#"

func assignmentKey(sid, aid string) key { return key{schoolPK(sid), "ASSIGN#" + aid} }

const assignmentPrefix = "ASSIGN#"

func teacherCollection(sid, tid string) string { return schoolPK(sid) + "#TEACHER#" + tid }

func assignmentIndex(a *ejournal.Assignment) indexKeys {
	sk := assignmentPrefix + a.YearID + "#" + a.ID
	return indexKeys{
		GSI1PK: classCollection(a.SchoolID, a.ClassID), GSI1SK: sk,
		GSI2PK: teacherCollection(a.SchoolID, a.TeacherID), GSI2SK: sk,
	}
}

// assignmentYearPrefix selects one year's assignments in a class or teacher collection.
func assignmentYearPrefix(yid string) string {
	if yid == "" {
		return assignmentPrefix
	}
	return assignmentPrefix + yid + "#"
}

func personKey(sid, pid string) key { return key{schoolPK(sid), "PERSON#" + pid} }

const studentPrefix = "STUDENT#"

func personIndex(p *ejournal.Person) indexKeys {
	idx := indexKeys{GSI2PK: kindCollection(p.SchoolID, p.Kind), GSI2SK: personPrefix + p.ID}
	if p.Kind == ejournal.Student && p.ClassID != "" && !p.Left {
		idx.GSI1PK, idx.GSI1SK = classCollection(p.SchoolID, p.ClassID), studentPrefix+p.ID
	}
	return idx
}

func kindCollection(sid string, kind ejournal.PersonKind) string {
	return schoolPK(sid) + "#KIND#" + string(kind)
}

const personPrefix = "PERSON#"

func personCollection(sid, pid string) string { return schoolPK(sid) + "#PERSON#" + pid }

// classTeacherIndex puts a class in its class teacher's collection (GSI2),
// beside the teacher's assignments.
func classTeacherIndex(c *ejournal.Class) (pk, sk string) {
	if c.ClassTeacherID == "" {
		return "", ""
	}
	return teacherCollection(c.SchoolID, c.ClassTeacherID), classTeacherPrefix + c.ID
}

const classTeacherPrefix = "CLASSTEACHER#"

func linkKey(sid, parent, child string) key {
	return key{schoolPK(sid), linkPrefix + parent + "#" + child}
}

const linkPrefix = "LINK#"

func linkIndex(l *ejournal.Link) indexKeys {
	return indexKeys{GSI1PK: personCollection(l.SchoolID, l.ChildID), GSI1SK: parentPrefix + l.ParentID}
}

const parentPrefix = "PARENT#"

// childrenPrefix selects a parent's links in the school partition.
func childrenPrefix(parent string) string { return linkPrefix + parent + "#" }

func movementKey(m *ejournal.Movement) key {
	return key{schoolPK(m.SchoolID), movePrefix + string(m.Date) + "#" + m.ID}
}

const movePrefix = "MOVE#"

func movementIndex(m *ejournal.Movement) indexKeys {
	return indexKeys{GSI1PK: personCollection(m.SchoolID, m.StudentID), GSI1SK: movePrefix + string(m.Date) + "#" + m.ID}
}

// movementRange selects movements dated from..to inclusive in the school partition.
func movementRange(sid string, from, to ejournal.Date) query {
	return query{pk: schoolPK(sid), skFrom: movePrefix + string(from), skTo: movePrefix + string(to) + "#~"}
}

func roleKey(sid string, role ejournal.Role) key {
	return key{schoolPK(sid), rolePrefix + string(role)}
}

const rolePrefix = "ROLE#"

func auditPartition(sid, kind, id string) string {
	return schoolPK(sid) + "#AUDIT#" + kind + "#" + id
}

func auditLogPartition(sid string, day ejournal.Date) string {
	return schoolPK(sid) + "#AUDITLOG#" + string(day)
}

func auditKey(a *ejournal.AuditEntry) key {
	return key{auditPartition(a.SchoolID, a.Entity, a.EntityID), a.At.UTC().Format(time.RFC3339Nano) + "#" + a.ID}
}

func auditIndex(a *ejournal.AuditEntry) indexKeys {
	return indexKeys{GSI1PK: auditLogPartition(a.SchoolID, ejournal.DateOf(a.At.UTC())), GSI1SK: a.At.UTC().Format(time.RFC3339Nano) + "#" + a.ID}
}

func sessionKey(sid, pid, fid string) key {
	return key{sessionPartition(sid, pid), sessionPrefix + fid}
}

func sessionPartition(sid, pid string) string { return schoolPK(sid) + "#SESSIONS#" + pid }

const sessionPrefix = "SESSION#"

func loginKey(login string) key { return key{"LOGIN#" + login, "LOGIN"} }

// externalKey is the deployment-wide key of an external account. The
// issuer URL enters keys as issuerKey: short, without '#', and unique
// enough among the few providers of a deployment.
func externalKey(issuer, subject string) key {
	return key{externalPrefix + issuerKey(issuer) + "#" + subject, "EXTID"}
}

func externalIndex(sid, pid, issuer, subject string) indexKeys {
	return indexKeys{GSI1PK: personCollection(sid, pid), GSI1SK: externalPrefix + issuerKey(issuer) + "#" + subject}
}

const externalPrefix = "EXTID#"

// issuerKey is the first 96 bits of the SHA-256 of an issuer URL, in hex.
func issuerKey(issuer string) string {
	sum := sha256.Sum256([]byte(issuer))
	return hex.EncodeToString(sum[:12])
}

func oidcStateKey(state string) key { return key{"OIDC#" + state, "STATE"} }

func throttleKey(kind, value string) key { return key{"THROTTLE#" + kind + "#" + value, "THROTTLE"} }

// Journal keys (Step 3).

func lessonPartition(sid, lid string) string { return schoolPK(sid) + "#LESSON#" + lid }

func lessonKey(sid, lid string) key { return key{lessonPartition(sid, lid), "LESSON"} }

func journalCollection(sid, cid, subject string) string {
	return schoolPK(sid) + "#J#" + cid + "#" + subject
}

func classDayCollection(sid, cid string) string { return schoolPK(sid) + "#CLASSDAY#" + cid }

func teacherDayCollection(sid, tid string) string { return schoolPK(sid) + "#TEACHERDAY#" + tid }

func studentCollection(sid, student string) string { return schoolPK(sid) + "#STU#" + student }

// Sort-key prefixes of the journal collection and the student collection.
const (
	lessonPrefix     = "L#"
	markPrefix       = "M#"
	attendancePrefix = "A#"
	termMarkPrefix   = "T#"
	markItemPrefix   = "MARK#"
	attItemPrefix    = "ATT#"
)

func lessonIndex(l *ejournal.Lesson) indexKeys {
	slot := fmt.Sprintf("%s#%02d#%s", l.Date, l.Period, l.ID)
	return indexKeys{
		GSI1PK: journalCollection(l.SchoolID, l.ClassID, l.SubjectID), GSI1SK: lessonPrefix + slot,
		GSI2PK: classDayCollection(l.SchoolID, l.ClassID), GSI2SK: lessonPrefix + slot,
		GSI3PK: teacherDayCollection(l.SchoolID, l.TeacherID), GSI3SK: slot,
	}
}

func markKey(sid, lid, mid string) key { return key{lessonPartition(sid, lid), markItemPrefix + mid} }

// markIndex files a mark of lesson l in the journal and in its student's collection.
func markIndex(l *ejournal.Lesson, student, mid string) indexKeys {
	return indexKeys{
		GSI1PK: journalCollection(l.SchoolID, l.ClassID, l.SubjectID), GSI1SK: markPrefix + string(l.Date) + "#" + l.ID + "#" + mid,
		GSI2PK: studentCollection(l.SchoolID, student), GSI2SK: markPrefix + string(l.Date) + "#" + l.SubjectID + "#" + mid,
	}
}

func attendanceKey(sid, lid, student string) key {
	return key{lessonPartition(sid, lid), attItemPrefix + student}
}

func attendanceIndex(l *ejournal.Lesson, student string) indexKeys {
	return indexKeys{
		GSI1PK: journalCollection(l.SchoolID, l.ClassID, l.SubjectID), GSI1SK: attendancePrefix + string(l.Date) + "#" + l.ID + "#" + student,
		GSI2PK: studentCollection(l.SchoolID, student), GSI2SK: attendancePrefix + string(l.Date) + "#" + l.ID,
		GSI3PK: classAttendanceCollection(l.SchoolID, l.ClassID), GSI3SK: string(l.Date) + "#" + l.ID + "#" + student,
	}
}

// classAttendanceCollection gathers a class's attendance of every subject
// (GSI3), so that class totals for a period are one Query.
func classAttendanceCollection(sid, cid string) string {
	return schoolPK(sid) + "#CLASSATT#" + cid
}

func termMarksPartition(sid, student string) string {
	return studentCollection(sid, student) + "#TERMS"
}

func termMarkKey(sid, student, yid, term, subject string) key {
	return key{termMarksPartition(sid, student), yid + "#" + term + "#" + subject}
}

func termMarkIndex(sid, cid, subject, student, yid, term string) indexKeys {
	return indexKeys{GSI1PK: journalCollection(sid, cid, subject), GSI1SK: termMarkPrefix + yid + "#" + term + "#" + student}
}

func gradingKey(sid, yid string) key { return key{schoolPK(sid), "GRADING#" + yid} }

// dateRange selects sort keys prefix+date for dates from..to inclusive.
func dateRange(index, pk, prefix string, from, to ejournal.Date) query {
	return query{index: index, pk: pk, skFrom: prefix + string(from), skTo: prefix + string(to) + "#~"}
}

// Calendar and events keys (Step 4).

func calendarKey(sid, yid string) key { return key{schoolPK(sid), "CALENDAR#" + yid} }

func eventKey(sid, eid string) key { return key{schoolPK(sid) + "#EVENT#" + eid, "EVENT"} }

// eventsCollection gathers a school's events by date in GSI1.
func eventsCollection(sid string) string { return schoolPK(sid) + "#EVENTS" }

func eventIndex(e *ejournal.Event) indexKeys {
	return indexKeys{GSI1PK: eventsCollection(e.SchoolID), GSI1SK: string(e.Date) + "#" + e.ID}
}

// eventRange selects the events that start from..to (GSI1).
func eventRange(sid string, from, to ejournal.Date) query {
	return query{index: indexGSI1, pk: eventsCollection(sid), skFrom: string(from), skTo: string(to) + "#~"}
}

// Timetable keys (Step 4).

// timetablePartition holds a school year's timetable: its entries, its
// substitutions and the HEAD counter that every write of either bumps.
func timetablePartition(sid, yid string) string { return schoolPK(sid) + "#TT#" + yid }

// Sort-key prefixes of the timetable partition.
const (
	ttEntryPrefix = "ENTRY#"
	ttSubPrefix   = "SUB#"
)

func ttEntryKey(sid, yid, eid string) key {
	return key{timetablePartition(sid, yid), ttEntryPrefix + eid}
}

func ttSubKey(s *ejournal.Substitution) key {
	return key{timetablePartition(s.SchoolID, s.YearID), ttSubPrefix + string(s.Date) + "#" + s.ID}
}

func ttHeadKey(sid, yid string) key { return key{timetablePartition(sid, yid), "HEAD"} }

// Lesson generation keys (Step 4).

func tombstonePartition(sid, yid string) string { return schoolPK(sid) + "#GENDEL#" + yid }

// tombstoneKey is the key of the tombstone of generated lesson l, filed
// under the date its id was made for (a lesson moved by hand keeps it).
func tombstoneKey(l *ejournal.Lesson) key {
	d, ok := ejournal.GeneratedLessonDate(l.ID)
	if !ok {
		d = l.Date
	}
	return key{tombstonePartition(l.SchoolID, l.YearID), string(d) + "#" + l.ID}
}

// tombstoneRange selects the tombstones of lessons made for dates from..to.
func tombstoneRange(sid, yid string, from, to ejournal.Date) query {
	return dateRange("", tombstonePartition(sid, yid), "", from, to)
}

// Plan (КТП) keys (Step 4). A school year's plans share one partition,
// sorted by class, so a class's plans are one Query; a plan's id
// (ejournal.PlanID: "<cid>.<subj>[.<gid>]") names its sort key, so reading
// a plan by id is a GetItem. A plan id holds '.', which audit ids may not,
// so a plan's audit entries are filed under its class: S#<sid>#AUDIT#plan#<cid>.
//
//	plan        S#<sid>#PLANS#<yid>        <cid>#<subj>#<gid or ->   -

func plansPartition(sid, yid string) string { return schoolPK(sid) + "#PLANS#" + yid }

func planKey(sid, yid, cid, subject, gid string) key {
	if gid == "" {
		gid = "-"
	}
	return key{plansPartition(sid, yid), cid + "#" + subject + "#" + gid}
}

// planClassPrefix selects a class's plans in a year's plan partition.
func planClassPrefix(cid string) string { return cid + "#" }

// Notification pipeline keys (Step 5): idempotency, pending notices, outbox, budget.

// noticeKeyKey is the idempotency key of one notice (kept NoticeKeyTTL).
func noticeKeyKey(sid, k string) key { return key{schoolPK(sid) + "#NOTICEKEY#" + k, "KEY"} }

// outboxPartition holds a school's SMS of one month ("YYYY-MM"), so the
// month's delivery report is one Query.
func outboxPartition(sid, month string) string { return schoolPK(sid) + "#OUTBOX#" + month }

// outboxKey is the key of an SMS; its id begins with its month
// ("<yyyy-mm>_<id>"), so the id leads to the key.
func outboxKey(sid, oid string, created time.Time) key {
	return key{outboxPartition(sid, outboxMonth(oid)), sortTime(created) + "#" + oid}
}

// duePartition is the deployment-wide partition (GSI3) of the SMS due to be
// sent, in DueShards shards; an SMS is in it only while pending.
func duePartition(shard uint32) string { return fmt.Sprintf("DUE#%d", shard) }

func dueIndex(sid, oid string, sendAfter time.Time) indexKeys {
	return indexKeys{GSI3PK: duePartition(dueShard(oid)), GSI3SK: sortTime(sendAfter) + "#" + sid + "#" + oid}
}

// pendingKey points from a recipient, a child and a group (an event, or
// a day's digest) to the SMS still pending for them.
func pendingKey(sid, recipient, child, group string) key {
	if child == "" {
		child = "-"
	}
	return key{schoolPK(sid) + "#PENDING#" + recipient, child + "#" + group}
}

// budgetKey is the counter of a school's SMS segments of one month.
func budgetKey(sid, month string) key { return key{schoolPK(sid), "SMSBUDGET#" + month} }

// Message and notification settings keys (Step 5).

func notifySettingsKey(sid string) key { return key{schoolPK(sid), "NOTIFY"} }

func notifyPrefPartition(sid, parent string) string { return personCollection(sid, parent) + "#NOTIFY" }

func notifyPrefKey(sid, parent, child string) key {
	return key{notifyPrefPartition(sid, parent), notifyChildPrefix + child}
}

const notifyChildPrefix = "CHILD#"

func messageKey(sid, mid string) key { return key{messagePartition(sid, mid), "MSG"} }

func messagePartition(sid, mid string) string { return schoolPK(sid) + "#MSG#" + mid }

func sentCollection(sid, sender string) string { return schoolPK(sid) + "#SENT#" + sender }

func messageIndex(m *ejournal.Message) indexKeys {
	return indexKeys{GSI1PK: sentCollection(m.SchoolID, m.SenderID), GSI1SK: sortTime(m.CreatedAt) + "#" + m.ID}
}

func inboxPartition(sid, person string) string { return schoolPK(sid) + "#INBOX#" + person }

func inboxKey(sid, person, iid string) key {
	return key{inboxPartition(sid, person), inboxItemPrefix + iid}
}

const (
	inboxItemPrefix = "ITEM#"
	recipientPrefix = "RCPT#"
)

func unreadCollection(sid, person string) string { return schoolPK(sid) + "#UNREAD#" + person }

// inboxIndex files an inbox item in its person's newest-first list (GSI2),
// while unread in the person's unread list (GSI3, sparse) and, when it
// delivers a message, among the message's recipients (GSI1).
func inboxIndex(it *ejournal.InboxItem) indexKeys {
	at := sortTime(it.CreatedAt) + "#" + it.ID
	idx := indexKeys{GSI2PK: inboxPartition(it.SchoolID, it.RecipientID), GSI2SK: at}
	if it.ReadAt == nil {
		idx.GSI3PK, idx.GSI3SK = unreadCollection(it.SchoolID, it.RecipientID), at
	}
	if it.MessageID != "" {
		idx.GSI1PK, idx.GSI1SK = messagePartition(it.SchoolID, it.MessageID), recipientPrefix+it.RecipientID
	}
	return idx
}

// sortTime formats t in UTC with a fixed width, so that sort keys order by time.
func sortTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// Report keys (Step 6).

func reportJobPartition(sid, id string) string { return schoolPK(sid) + "#REPORTJOB#" + id }

func reportJobKey(sid, id string) key { return key{reportJobPartition(sid, id), "JOB"} }

const reportChunkPrefix = "CHUNK#"

// reportChunkKey numbers chunks in four digits, so they sort in order.
func reportChunkKey(sid, id string, n int) key {
	return key{reportJobPartition(sid, id), fmt.Sprintf("%s%04d", reportChunkPrefix, n)}
}
