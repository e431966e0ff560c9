package dynamo

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var (
	whatExternal  = ejournal.T("Привязка внешней учётной записи", "External account link")
	whatSignIn    = ejournal.T("Вход через внешнего провайдера", "Sign-in through an external provider")
	statePattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
	linkedAlready = ejournal.T("Эта внешняя учётная запись уже привязана к человеку.", "This external account is already linked to a person.")
)

// externalEntity stores a link; its audit entries are filed under the person.
func externalEntity(x *ejournal.ExternalIdentity) entity {
	return entity{
		key:   externalKey(x.Issuer, x.Subject),
		idx:   externalIndex(x.SchoolID, x.PersonID, x.Issuer, x.Subject),
		kind:  "extid",
		what:  whatExternal,
		audit: auditRef{x.SchoolID, "person", x.PersonID},
	}
}

// LinkExternal implements ejournal.IdentityService.
func (db *DB) LinkExternal(ctx context.Context, x *ejournal.ExternalIdentity) error {
	if err := x.Validate(); err != nil {
		return err
	}
	x.CreatedAt = db.Now()
	x.CreatedBy = actor(ctx)
	person := ref{key: personKey(x.SchoolID, x.PersonID), field: "person_id", what: whatPerson}
	err := db.insert(ctx, externalEntity(x), x, &x.Version, person)
	if ejournal.ErrorCode(err) == ejournal.ECONFLICT {
		return ejournal.Conflict(linkedAlready)
	}
	return err
}

// ExternalIdentity implements ejournal.IdentityService.
func (db *DB) ExternalIdentity(ctx context.Context, issuer, subject string) (*ejournal.ExternalIdentity, error) {
	if !ejournal.ValidIssuer(issuer) || !ejournal.ValidSubject(subject) {
		return nil, ejournal.NotFound(whatExternal)
	}
	x := new(ejournal.ExternalIdentity)
	if err := db.get(ctx, externalEntity(&ejournal.ExternalIdentity{Issuer: issuer, Subject: subject}), x); err != nil {
		return nil, err
	}
	return x, nil
}

// ExternalIdentities implements ejournal.IdentityService.
func (db *DB) ExternalIdentities(ctx context.Context, schoolID, personID string) ([]*ejournal.ExternalIdentity, error) {
	if !ejournal.ValidID(schoolID) || !ejournal.ValidID(personID) {
		return nil, nil
	}
	return list[ejournal.ExternalIdentity](ctx, db, query{index: indexGSI1, pk: personCollection(schoolID, personID), skPrefix: externalPrefix})
}

// UnlinkExternal implements ejournal.IdentityService.
func (db *DB) UnlinkExternal(ctx context.Context, schoolID, personID, issuer, subject string) (*ejournal.ExternalIdentity, error) {
	x, err := db.ExternalIdentity(ctx, issuer, subject)
	if err != nil {
		return nil, err
	}
	if x.SchoolID != schoolID || x.PersonID != personID {
		return nil, ejournal.NotFound(whatExternal)
	}
	if err := db.remove(ctx, externalEntity(x), x, x.Version); err != nil {
		return nil, err
	}
	return x, nil
}

func signInEntity(state string, expires int64) entity {
	return entity{key: oidcStateKey(state), kind: "oidcstate", what: whatSignIn, ttl: expires}
}

// SaveSignInState implements ejournal.IdentityService.
func (db *DB) SaveSignInState(ctx context.Context, s *ejournal.SignInState) error {
	if !statePattern.MatchString(s.State) || s.ExpiresAt.IsZero() {
		return ejournal.Internal(errors.New("save sign-in state: malformed state"))
	}
	return db.create(ctx, signInEntity(s.State, s.ExpiresAt.Unix()), s)
}

// TakeSignInState implements ejournal.IdentityService. The item is read and
// deleted in one conditional DeleteItem, so of two callbacks with the same
// state at most one gets it.
func (db *DB) TakeSignInState(ctx context.Context, state string) (*ejournal.SignInState, error) {
	if !statePattern.MatchString(state) {
		return nil, ejournal.NotFound(whatSignIn)
	}
	e := signInEntity(state, 0)
	out, err := db.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:           &db.table,
		Key:                 e.keyAV(),
		ConditionExpression: aws.String("attribute_exists(PK)"),
		ReturnValues:        types.ReturnValueAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		return nil, ejournal.NotFound(whatSignIn)
	case err != nil:
		return nil, ejournal.Internal(fmt.Errorf("take sign-in state: %w", err))
	}
	s := new(ejournal.SignInState)
	if err := unmarshal(out.Attributes, s); err != nil {
		return nil, ejournal.Internal(err)
	}
	// DynamoDB deletes expired items only eventually.
	if !db.Now().Before(s.ExpiresAt) {
		return nil, ejournal.NotFound(whatSignIn)
	}
	return s, nil
}
