package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"ejournal/internal/auth"
	"ejournal/internal/config"
	"ejournal/internal/dynamo"
	"ejournal/internal/ejournal"
)

// bootstrapOptions are the flags of `ejournal bootstrap`.
type bootstrapOptions struct {
	SchoolID, SchoolName, TimeZone     string
	Login, LastName, FirstName, Middle string
}

// bootstrap is the operator's tool for a new deployment or a new school of a
// municipal deployment: it creates the school (if missing) and its first
// administrator with an account whose one-time password it prints. The
// administrator changes the password at first sign-in and does the rest
// through the API. It talks to the table of the environment (TABLE_NAME, and
// DYNAMODB_ENDPOINT or the AWS credentials of the shell).
func bootstrap(args []string, out io.Writer) error {
	var o bootstrapOptions
	fs := flag.NewFlagSet("bootstrap", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.SchoolID, "school-id", "", "identifier of the school, e.g. talitsa-8 (required)")
	fs.StringVar(&o.SchoolName, "school-name", "", "full name of the school (required for a new school)")
	fs.StringVar(&o.TimeZone, "time-zone", "Asia/Yekaterinburg", "IANA time zone of the school")
	fs.StringVar(&o.Login, "login", "", "sign-in name of the administrator (required)")
	fs.StringVar(&o.LastName, "last-name", "", "administrator's last name (required)")
	fs.StringVar(&o.FirstName, "first-name", "", "administrator's first name (required)")
	fs.StringVar(&o.Middle, "middle-name", "", "administrator's middle name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.SchoolID == "" || o.Login == "" || o.LastName == "" || o.FirstName == "" {
		fs.Usage()
		return errors.New("bootstrap: -school-id, -login, -last-name and -first-name are required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := config.FromEnv().Open(ctx)
	if err != nil {
		return err
	}
	password, err := runBootstrap(ctx, db, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "school %s: administrator %q created\none-time password: %s\n(the administrator must change it at first sign-in)\n", o.SchoolID, o.Login, password)
	return nil
}

// runBootstrap writes the school and its administrator and returns the
// one-time password.
func runBootstrap(ctx context.Context, db *dynamo.DB, o bootstrapOptions) (string, error) {
	ctx = ejournal.WithPrincipal(ctx, &ejournal.Principal{PersonID: "bootstrap", SchoolID: o.SchoolID, Operator: true})
	if _, err := db.School(ctx, o.SchoolID); ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		if o.SchoolName == "" {
			return "", errors.New("bootstrap: the school does not exist yet: give -school-name")
		}
		if err := db.CreateSchool(ctx, &ejournal.School{ID: o.SchoolID, Name: o.SchoolName, TimeZone: o.TimeZone}); err != nil {
			return "", fmt.Errorf("create school: %w", err)
		}
	} else if err != nil {
		return "", err
	}
	// Refuse a taken login before writing anything.
	if _, err := db.Account(ctx, o.Login); err == nil {
		return "", fmt.Errorf("bootstrap: the login %q is taken", o.Login)
	} else if ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
		return "", err
	}
	today := ejournal.DateOf(time.Now())
	admin := &ejournal.Person{
		SchoolID: o.SchoolID, Kind: ejournal.Staff, LastName: o.LastName, FirstName: o.FirstName, MiddleName: o.Middle,
		Roles:      []ejournal.Role{ejournal.Administrator},
		Employment: &ejournal.Employment{Position: "Администратор системы", HiredOn: today},
	}
	if err := db.CreatePerson(ctx, admin); err != nil {
		return "", fmt.Errorf("create administrator: %w", err)
	}
	password := auth.OneTimePassword()
	acct := &ejournal.Account{Login: o.Login, SchoolID: o.SchoolID, PersonID: admin.ID, PasswordHash: auth.HashPassword(password), MustChange: true}
	if err := db.CreateAccount(ctx, acct); err != nil {
		return "", fmt.Errorf("create account %q: %w", o.Login, err)
	}
	return password, nil
}
