package dynamo_test

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

const esia = "https://esia.gosuslugi.ru"

func TestExternalIdentities(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "admin-1", SchoolID: "a"})
	a, b := mustSchool(t, db, "a"), mustSchool(t, db, "b")
	link := func(issuer, subject string, p *ejournal.Person) *ejournal.ExternalIdentity {
		return &ejournal.ExternalIdentity{Issuer: issuer, Subject: subject, SchoolID: p.SchoolID, PersonID: p.ID}
	}

	x := link(esia, "1000001", a.Student)
	must(t, db.LinkExternal(ctx, x))
	if x.Version != 1 || x.CreatedBy != "admin-1" || x.CreatedAt.IsZero() {
		t.Fatalf("created link %+v: want version 1, created by admin-1 with a time", x)
	}
	// The same subject at another issuer is another account.
	must(t, db.LinkExternal(ctx, link("https://other.test/realm", "1000001", a.Student)))

	for name, dup := range map[string]*ejournal.ExternalIdentity{
		"same person":          link(esia, "1000001", a.Student),
		"another person":       link(esia, "1000001", a.Teacher),
		"another school's one": link(esia, "1000001", b.Teacher),
	} {
		if err := db.LinkExternal(ctx, dup); ejournal.ErrorCode(err) != ejournal.ECONFLICT {
			t.Errorf("%s: linking a linked account = %v, want %s", name, err, ejournal.ECONFLICT)
		}
	}
	wantError(t, db.LinkExternal(ctx, &ejournal.ExternalIdentity{Issuer: esia, Subject: "2", SchoolID: "a", PersonID: b.Teacher.ID}), ejournal.EINVALID, "person_id")
	wantError(t, db.LinkExternal(ctx, link("esia", "has space", a.Teacher)), ejournal.EINVALID, "issuer", "subject")

	got, err := db.ExternalIdentity(ctx, esia, "1000001")
	must(t, err)
	if got.SchoolID != "a" || got.PersonID != a.Student.ID || got.Issuer != esia {
		t.Fatalf("ExternalIdentity = %+v, want the student of school a", got)
	}
	_, err = db.ExternalIdentity(ctx, esia, "1000002")
	wantError(t, err, ejournal.ENOTFOUND)
	_, err = db.ExternalIdentity(ctx, "not a url", "1000001")
	wantError(t, err, ejournal.ENOTFOUND)

	links, err := db.ExternalIdentities(ctx, "a", a.Student.ID)
	must(t, err)
	if len(links) != 2 {
		t.Fatalf("the student has %d links, want 2", len(links))
	}
	for _, p := range []*ejournal.Person{a.Teacher, b.Student} {
		if l, err := db.ExternalIdentities(ctx, p.SchoolID, p.ID); err != nil || len(l) != 0 {
			t.Fatalf("%s has links %v, %v; want none", p.ID, l, err)
		}
	}

	_, err = db.UnlinkExternal(ctx, "a", a.Teacher.ID, esia, "1000001")
	wantError(t, err, ejournal.ENOTFOUND)
	_, err = db.UnlinkExternal(ctx, "b", a.Student.ID, esia, "1000001")
	wantError(t, err, ejournal.ENOTFOUND)
	gone, err := db.UnlinkExternal(ctx, "a", a.Student.ID, esia, "1000001")
	must(t, err)
	if gone.Subject != "1000001" {
		t.Fatalf("UnlinkExternal returned %+v", gone)
	}
	_, err = db.ExternalIdentity(ctx, esia, "1000001")
	wantError(t, err, ejournal.ENOTFOUND)
	_, err = db.UnlinkExternal(ctx, "a", a.Student.ID, esia, "1000001")
	wantError(t, err, ejournal.ENOTFOUND)
	// Once unlinked, the account can be linked to someone else.
	must(t, db.LinkExternal(ctx, link(esia, "1000001", a.Teacher)))

	trail, err := db.AuditTrail(ctx, "a", "person", a.Student.ID)
	must(t, err)
	var actions []string
	for _, e := range trail {
		var v ejournal.ExternalIdentity
		raw := e.New
		if raw == nil {
			raw = e.Old
		}
		if raw != nil {
			must(t, json.Unmarshal(raw, &v))
		}
		if v.Subject != "" {
			actions = append(actions, e.Action+" "+v.Issuer+" "+v.Subject+" by "+e.ActorID)
		}
	}
	want := []string{"create " + esia + " 1000001 by admin-1", "create https://other.test/realm 1000001 by admin-1", "delete " + esia + " 1000001 by admin-1"}
	if len(actions) != len(want) {
		t.Fatalf("audit trail of the student's links: %q, want %q", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Errorf("audit entry %d = %q, want %q", i, actions[i], want[i])
		}
	}
}

func TestSignInState(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	state := func(s string) *ejournal.SignInState {
		return &ejournal.SignInState{State: s, Verifier: "verifier-" + s, Nonce: "nonce-" + s, Redirect: "/diary", ExpiresAt: now.Add(ejournal.SignInStateTTL)}
	}

	st := state("state-aaaaaaaaaaaaaaaa")
	must(t, db.SaveSignInState(ctx, st))
	wantError(t, db.SaveSignInState(ctx, st), ejournal.ECONFLICT)
	wantError(t, db.SaveSignInState(ctx, state("short")), ejournal.EINTERNAL)

	raw, err := dynamotest.Client(t).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(db.Table()), Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "OIDC#" + st.State}, "SK": &types.AttributeValueMemberS{Value: "STATE"},
	}})
	must(t, err)
	if ttl, _ := raw.Item["ttl"].(*types.AttributeValueMemberN); ttl == nil || ttl.Value != strconv.FormatInt(st.ExpiresAt.Unix(), 10) {
		t.Fatalf("sign-in state ttl = %v, want %d", raw.Item["ttl"], st.ExpiresAt.Unix())
	}

	got, err := db.TakeSignInState(ctx, st.State)
	must(t, err)
	if *got != *st {
		t.Fatalf("TakeSignInState = %+v, want %+v", got, st)
	}
	_, err = db.TakeSignInState(ctx, st.State)
	wantError(t, err, ejournal.ENOTFOUND)
	for _, bad := range []string{"", "unknown-state-xxxxxxxxxx", "OIDC#x", "state-with-#-hash-xxxxxx"} {
		_, err = db.TakeSignInState(ctx, bad)
		wantError(t, err, ejournal.ENOTFOUND)
	}

	// DynamoDB may keep an expired item for a while; it is still refused.
	old := state("state-bbbbbbbbbbbbbbbb")
	must(t, db.SaveSignInState(ctx, old))
	now = now.Add(ejournal.SignInStateTTL)
	_, err = db.TakeSignInState(ctx, old.State)
	wantError(t, err, ejournal.ENOTFOUND)

	// Of callbacks racing with one state, exactly one takes it.
	race := state("state-cccccccccccccccc")
	must(t, db.SaveSignInState(ctx, race))
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for range 8 {
		wg.Go(func() {
			if _, err := db.TakeSignInState(ctx, race.State); err == nil {
				mu.Lock()
				taken++
				mu.Unlock()
			} else if ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if taken != 1 {
		t.Fatalf("%d callbacks took the same state, want 1", taken)
	}
}
