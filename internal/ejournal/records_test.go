package ejournal_test

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

func TestMoveStudent(t *testing.T) {
	t.Parallel()
	student := func(class string, left bool) *ejournal.Person {
		return &ejournal.Person{ID: "s1", SchoolID: "a", Kind: ejournal.Student, LastName: "Ли", FirstName: "Ян", ClassID: class, Left: left}
	}
	mv := func(kind ejournal.MovementKind, to string, date ejournal.Date) *ejournal.Movement {
		return &ejournal.Movement{StudentID: "s1", Kind: kind, ToClassID: to, Date: date, OrderNo: "12-у"}
	}
	history := []*ejournal.Movement{{ID: "m0", Kind: ejournal.Enrol, ToClassID: "5a", Date: "2025-09-01"}}
	for _, tc := range []struct {
		name    string
		p       *ejournal.Person
		history []*ejournal.Movement
		m       *ejournal.Movement
		fields  []string // the refused fields; none for a movement that fits
		from    string   // the movement's class left
		class   string   // the student's class afterwards
		left    bool
	}{
		{name: "first enrolment", p: student("", false), m: mv(ejournal.Enrol, "5a", "2025-09-01"), class: "5a"},
		{name: "enrolment after leaving", p: student("5a", true), history: history, m: mv(ejournal.Enrol, "6b", "2026-01-10"), class: "6b"},
		{name: "transfer", p: student("5a", false), history: history, m: mv(ejournal.Transfer, "5b", "2025-10-01"), from: "5a", class: "5b"},
		{name: "leave keeps the last class", p: student("5a", false), history: history, m: mv(ejournal.Leave, "", "2025-10-01"), from: "5a", class: "5a", left: true},
		{name: "same day as the last movement", p: student("5a", false), history: history, m: mv(ejournal.Leave, "", "2025-09-01"), from: "5a", class: "5a", left: true},
		{name: "enrol while in a class", p: student("5a", false), m: mv(ejournal.Enrol, "5b", "2025-10-01"), fields: []string{"kind"}},
		{name: "transfer without a class", p: student("", false), m: mv(ejournal.Transfer, "5b", "2025-10-01"), fields: []string{"kind"}},
		{name: "transfer after leaving", p: student("5a", true), m: mv(ejournal.Transfer, "5b", "2025-10-01"), fields: []string{"kind"}},
		{name: "transfer to the same class", p: student("5a", false), m: mv(ejournal.Transfer, "5a", "2025-10-01"), fields: []string{"to_class_id"}},
		{name: "leave twice", p: student("5a", true), m: mv(ejournal.Leave, "", "2025-10-01"), fields: []string{"kind"}},
		{name: "leave to a class", p: student("5a", false), m: mv(ejournal.Leave, "5b", "2025-10-01"), fields: []string{"to_class_id"}},
		{name: "before the last movement", p: student("5a", false), history: history, m: mv(ejournal.Transfer, "5b", "2025-08-31"), fields: []string{"date"}},
		{name: "not a student", p: &ejournal.Person{ID: "s1", Kind: ejournal.Parent}, m: mv(ejournal.Enrol, "5a", "2025-09-01"), fields: []string{"student_id"}},
		{name: "no order", p: student("", false), m: &ejournal.Movement{StudentID: "s1", Kind: ejournal.Enrol, ToClassID: "5a", Date: "2025-09-01"}, fields: []string{"order_no"}},
		{name: "unknown kind", p: student("", false), m: mv("expel", "", "2025-09-01"), fields: []string{"kind"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := *tc.p
			err := ejournal.MoveStudent(tc.p, tc.history, tc.m)
			if len(tc.fields) > 0 {
				var e *ejournal.Error
				if !errors.As(err, &e) || e.Code != ejournal.EINVALID || !slices.Equal(slices.Sorted(maps.Keys(e.Fields)), tc.fields) {
					t.Fatalf("error %v, want invalid %v", err, tc.fields)
				}
				if !reflect.DeepEqual(*tc.p, before) {
					t.Errorf("a refused movement changed the student: %+v", tc.p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.m.FromClassID != tc.from || tc.p.ClassID != tc.class || tc.p.Left != tc.left || tc.m.SchoolID != "a" {
				t.Errorf("from %q, class %q, left %v, school %q; want %q, %q, %v, a", tc.m.FromClassID, tc.p.ClassID, tc.p.Left, tc.m.SchoolID, tc.from, tc.class, tc.left)
			}
		})
	}
}

func TestLinkValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		l      ejournal.Link
		fields []string
	}{
		{ejournal.Link{ParentID: "p", ChildID: "c", Relation: ejournal.Mother}, nil},
		{ejournal.Link{ParentID: "p", ChildID: "c", Relation: "aunt"}, []string{"relation"}},
		{ejournal.Link{ParentID: "p#1", Relation: ejournal.Guardian}, []string{"child_id", "parent_id"}},
	} {
		err := tc.l.Validate()
		var e *ejournal.Error
		errors.As(err, &e)
		var got []string
		if e != nil {
			got = slices.Sorted(maps.Keys(e.Fields))
		}
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%+v: fields %v, want %v", tc.l, got, tc.fields)
		}
	}
}

func TestDerivedPersonID(t *testing.T) {
	t.Parallel()
	p := &ejournal.Person{SchoolID: "a", Kind: ejournal.Student, LastName: "Ли", FirstName: "Ян", ClassID: "5a", Personal: &ejournal.Personal{BirthDate: "2014-03-01"}}
	q := *p
	q.LastName = "ЛИ"
	id := ejournal.DerivedPersonID(p)
	if !ejournal.ValidID(id) || id != ejournal.DerivedPersonID(&q) {
		t.Fatalf("ids %q and %q: want the same valid id whatever the case", id, ejournal.DerivedPersonID(&q))
	}
	q.FirstName = "Ира"
	if ejournal.DerivedPersonID(&q) == id {
		t.Fatal("two people get one id")
	}
}

// move is a movement in a report test: "enrol s1 → 5a", "transfer s1 5a → 5b", "leave s1 5b".
func move(id string, date ejournal.Date, order string, kind ejournal.MovementKind, student, from, to string) *ejournal.Movement {
	return &ejournal.Movement{ID: id, Date: date, OrderNo: order, Kind: kind, StudentID: student, FromClassID: from, ToClassID: to,
		CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(len(id)) * time.Second)}
}

func TestBuildMovementReport(t *testing.T) {
	t.Parallel()
	classes := []*ejournal.Class{{ID: "5b", Grade: 5, Letter: "Б"}, {ID: "5a", Grade: 5, Letter: "А"}}
	type counts = ejournal.MovementCounts
	type want struct {
		classes map[string]counts
		total   counts
		orders  []string
	}
	student := func(id, class string, left bool) *ejournal.Person {
		return &ejournal.Person{ID: id, Kind: ejournal.Student, ClassID: class, Left: left}
	}
	for _, tc := range []struct {
		name      string
		from, to  ejournal.Date
		students  []*ejournal.Person
		movements []*ejournal.Movement
		want      want
	}{
		{
			name: "no movement", from: "2025-09-01", to: "2025-09-30",
			students: []*ejournal.Person{student("s1", "5a", false), student("s2", "5a", false), student("s3", "5b", false), student("s4", "5b", true)},
			want:     want{classes: map[string]counts{"5a": {AtStart: 2, AtEnd: 2}, "5b": {AtStart: 1, AtEnd: 1}}, total: counts{AtStart: 3, AtEnd: 3}},
		},
		{
			name: "enrolment on the first day counts in the period", from: "2025-09-01", to: "2025-09-30",
			students:  []*ejournal.Person{student("s1", "5a", false)},
			movements: []*ejournal.Movement{move("m1", "2025-09-01", "1", ejournal.Enrol, "s1", "", "5a")},
			want:      want{classes: map[string]counts{"5a": {Arrived: 1, AtEnd: 1}}, total: counts{Arrived: 1, AtEnd: 1}, orders: []string{"1:m1"}},
		},
		{
			name: "leaving on the last day counts in the period", from: "2025-09-01", to: "2025-09-30",
			students:  []*ejournal.Person{student("s1", "5a", true)},
			movements: []*ejournal.Movement{move("m1", "2025-09-30", "2", ejournal.Leave, "s1", "5a", "")},
			want:      want{classes: map[string]counts{"5a": {AtStart: 1, Left: 1}}, total: counts{AtStart: 1, Left: 1}, orders: []string{"2:m1"}},
		},
		{
			name: "a movement the day after is undone", from: "2025-09-01", to: "2025-09-30",
			students:  []*ejournal.Person{student("s1", "5b", false)},
			movements: []*ejournal.Movement{move("m1", "2025-10-01", "3", ejournal.Transfer, "s1", "5a", "5b")},
			want:      want{classes: map[string]counts{"5a": {AtStart: 1, AtEnd: 1}}, total: counts{AtStart: 1, AtEnd: 1}},
		},
		{
			name: "a movement the day before is ignored", from: "2025-09-02", to: "2025-09-30",
			students:  []*ejournal.Person{student("s1", "5a", false)},
			movements: []*ejournal.Movement{move("m1", "2025-09-01", "1", ejournal.Enrol, "s1", "", "5a")},
			want:      want{classes: map[string]counts{"5a": {AtStart: 1, AtEnd: 1}}, total: counts{AtStart: 1, AtEnd: 1}},
		},
		{
			name: "transfer between two classes", from: "2025-09-01", to: "2025-12-31",
			students: []*ejournal.Person{student("s1", "5b", false), student("s2", "5a", false), student("s3", "5b", false)},
			movements: []*ejournal.Movement{
				move("m1", "2025-10-01", "7", ejournal.Transfer, "s1", "5a", "5b"),
				move("m22", "2025-10-01", "7", ejournal.Transfer, "s3", "5a", "5b"),
			},
			want: want{
				classes: map[string]counts{"5a": {AtStart: 3, TransferredOut: 2, AtEnd: 1}, "5b": {TransferredIn: 2, AtEnd: 2}},
				total:   counts{AtStart: 3, TransferredIn: 2, TransferredOut: 2, AtEnd: 3},
				orders:  []string{"7:m1,m22"},
			},
		},
		{
			name: "leave then re-enrol", from: "2025-09-01", to: "2026-05-31",
			students: []*ejournal.Person{student("s1", "5b", false)},
			movements: []*ejournal.Movement{
				move("m1", "2025-11-01", "8", ejournal.Leave, "s1", "5a", ""),
				move("m22", "2026-02-01", "9", ejournal.Enrol, "s1", "", "5b"),
			},
			want: want{
				classes: map[string]counts{"5a": {AtStart: 1, Left: 1}, "5b": {Arrived: 1, AtEnd: 1}},
				total:   counts{AtStart: 1, Arrived: 1, Left: 1, AtEnd: 1},
				orders:  []string{"8:m1", "9:m22"},
			},
		},
		{
			name: "leave and re-enrol on one day, in the order recorded", from: "2025-09-01", to: "2025-09-30",
			students: []*ejournal.Person{student("s1", "5a", false)},
			movements: []*ejournal.Movement{
				move("m22", "2025-09-15", "11", ejournal.Enrol, "s1", "", "5a"),
				move("m1", "2025-09-15", "10", ejournal.Leave, "s1", "5a", ""),
			},
			want: want{
				classes: map[string]counts{"5a": {AtStart: 1, Arrived: 1, Left: 1, AtEnd: 1}},
				total:   counts{AtStart: 1, Arrived: 1, Left: 1, AtEnd: 1},
				orders:  []string{"10:m1", "11:m22"},
			},
		},
		{
			name: "a class not in the list comes last", from: "2025-09-01", to: "2025-09-30",
			students:  []*ejournal.Person{student("s1", "9z", false), student("s2", "5a", false)},
			movements: []*ejournal.Movement{move("m1", "2025-09-10", "4", ejournal.Enrol, "s1", "", "9z")},
			want: want{
				classes: map[string]counts{"5a": {AtStart: 1, AtEnd: 1}, "9z": {Arrived: 1, AtEnd: 1}},
				total:   counts{AtStart: 1, Arrived: 1, AtEnd: 2},
				orders:  []string{"4:m1"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ejournal.BuildMovementReport(tc.from, tc.to, classes, tc.students, tc.movements)
			got := map[string]counts{}
			var order []string
			for _, c := range r.Classes {
				got[c.ClassID] = c.MovementCounts
				order = append(order, c.ClassID)
				if n := c.AtStart + c.Arrived - c.Left + c.TransferredIn - c.TransferredOut; n != c.AtEnd {
					t.Errorf("%s: %+v does not add up", c.ClassID, c.MovementCounts)
				}
			}
			if !reflect.DeepEqual(got, tc.want.classes) {
				t.Errorf("classes %+v, want %+v", got, tc.want.classes)
			}
			if want := slices.DeleteFunc([]string{"5b", "5a", "9z"}, func(id string) bool { _, ok := got[id]; return !ok }); !slices.Equal(order, want) {
				t.Errorf("class order %v, want %v", order, want)
			}
			if r.Total != tc.want.total {
				t.Errorf("total %+v, want %+v", r.Total, tc.want.total)
			}
			var orders []string
			for _, o := range r.Orders {
				orders = append(orders, fmt.Sprintf("%s:%s", o.OrderNo, strings.Join(o.MovementIDs, ",")))
			}
			if !slices.Equal(orders, tc.want.orders) {
				t.Errorf("orders %v, want %v", orders, tc.want.orders)
			}
			if r.From != tc.from || r.To != tc.to {
				t.Errorf("period %s..%s", r.From, r.To)
			}
		})
	}
}
