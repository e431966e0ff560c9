// Command records is the Lambda function for the school's records of people:
// staff cards (HR), students and parents (clerk), family links, student
// movement, bulk import and the audit trail.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncRecords) }
