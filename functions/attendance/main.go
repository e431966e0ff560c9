// Command attendance is the Lambda function for attendance: the codes of a
// lesson set at once, justified absences, and totals for a student or a class.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncAttendance) }
