// Command grading is the Lambda function for the journal: lessons with
// topics and homework, marks, term and year marks, academic debts, the
// school's work types, and the class journal, diary and summary views.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncGrading) }
