// Command scheduling is the Lambda function for the school's calendar and
// bells, the timetable with its substitutions, school and class events,
// calendar-thematic plans (КТП) and the generation of the journal's lessons
// from the timetable.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncScheduling) }
