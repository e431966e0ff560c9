// Command messages is the Lambda function for messages between teachers,
// parents and students with their in-app inboxes, the school's notification
// settings, parents' notification preferences and the SMS delivery report.
package main

import (
	"ejournal/internal/api"
	"ejournal/internal/lambdafn"
)

func main() { lambdafn.ServeFunction(api.FuncMessages) }
