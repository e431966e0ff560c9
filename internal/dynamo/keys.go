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
//	person        S#<sid>        PERSON#<pid>        students: S#<sid>#CLASS#<cid> / STUDENT#<pid>
//
// Every item that belongs to a school has "S#<sid>#" or "S#<sid>" at the start
// of each of its partition keys. The only deployment-wide key is the GSI1
// partition SCHOOLS, which lists the schools of a deployment for operators.
// Identifiers never contain '#' (ejournal.ValidID), so no identifier can
// reach into another school's key space.

import (
	"fmt"

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
	attrTTL     = "ttl"
	attrVersion = "version"
	attrRID     = "rid"
	attrType    = "type"

	indexGSI1 = "GSI1"
	indexGSI2 = "GSI2"
)

// key is a primary key of the table.
type key struct{ PK, SK string }

// indexKeys are the secondary index keys of an item; empty ones are left out.
type indexKeys struct{ GSI1PK, GSI1SK, GSI2PK, GSI2SK string }

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
	return indexKeys{
		GSI1PK: yearCollection(c.SchoolID, c.YearID),
		GSI1SK: fmt.Sprintf("CLASS#%02d%s#%s", c.Grade, c.Letter, c.ID),
	}
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
	if p.Kind == ejournal.Student && p.ClassID != "" {
		return indexKeys{GSI1PK: classCollection(p.SchoolID, p.ClassID), GSI1SK: studentPrefix + p.ID}
	}
	return indexKeys{}
}
