// Command directory is the Lambda function serving the school directory:
// schools, school years and terms, classes, groups, subjects and teacher
// assignments, plus /healthz and the OpenAPI document.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncDirectory) }
