// Command identity is the Lambda function for signing in and access rights:
// password and Gosuslugi (OpenID Connect) sign-in, tokens and sessions,
// accounts, /v1/me, roles and their permissions.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncIdentity) }
