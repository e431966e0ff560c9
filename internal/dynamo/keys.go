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
//
// <pp> is the period number in two digits. A mark's public id is
// "<lid>_<mid>" so that it leads straight to its item.
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
