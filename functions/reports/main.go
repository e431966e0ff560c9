// Command reports is the Lambda function for the administration's reports:
// performance and attendance figures, teacher and subject analysis,
// forecasts of problem situations, the standard reports and their XLSX, PDF
// and CSV files. Reports too large to build within the API's time limit are
// built here in the background, started by their job's record on the table
// stream.
package main

import "ejournal/internal/lambdafn"

func main() { lambdafn.ServeReports() }
