package api

import (
	"net/http"

	"ejournal/internal/ejournal"
)

// DevAdminSwitch is the environment variable that turns on DevAdmin. It is
// for a developer's machine only: template.yaml never sets it, and a test
// fails if it does.
const DevAdminSwitch = "EJOURNAL_DEV_INSECURE_ADMIN"

// DevAdmin authenticates every request as an administrator and operator,
// without any credentials. The school is taken from the X-School-Id header,
// or DefaultSchool. It exists until Step 2 brings accounts and sign-in.
type DevAdmin struct {
	DefaultSchool string
}

// Authenticate implements Authenticator.
func (d DevAdmin) Authenticate(r *http.Request) (*ejournal.Principal, error) {
	school := r.Header.Get("X-School-Id")
	if school == "" {
		school = d.DefaultSchool
	}
	if !ejournal.ValidID(school) {
		return nil, ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.T("Укажите школу в заголовке X-School-Id.", "Give the school in the X-School-Id header."))
	}
	return &ejournal.Principal{PersonID: "dev-admin", SchoolID: school, Roles: []ejournal.Role{ejournal.Administrator}, Operator: true}, nil
}
