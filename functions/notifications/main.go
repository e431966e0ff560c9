// Command notifications is the Lambda function behind the table's stream:
// it turns new marks, absences, term marks and messages into SMS and in-app
// notices for parents, and on a schedule sends the SMS whose time has come
// (after quiet hours, at a parent's digest time, after the correction
// window).
package main

import "ejournal/internal/lambdafn"

func main() { lambdafn.ServeNotifications() }
