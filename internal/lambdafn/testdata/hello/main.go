// Command hello is the smallest Go Lambda function answering an API Gateway
// HTTP API (payload 2.0) event. The cold start benchmark measures it as the
// baseline the real functions are compared with.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		Body:       "hello",
	}, nil
}

func main() { lambda.Start(handle) }
