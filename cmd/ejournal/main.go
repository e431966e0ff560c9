// Command ejournal is the local all-in-one e-journal: every function's
// handlers on one port, DynamoDB Local started and stopped by the program,
// and a demo school. It also runs a command beside a DynamoDB Local (for the
// test suite).
//
//	ejournal serve                      # make run
//	ejournal bootstrap -school-id … -login …  # a new school's first administrator
//	ejournal with-dynamodb -- CMD ARGS  # make test
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"ejournal/internal/dynamolocal"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "bootstrap":
		err = bootstrap(os.Args[2:], os.Stdout)
	case "serve":
		err = serve(os.Args[2:])
	case "with-dynamodb":
		var code int
		code, err = withDynamoDB(os.Args[2:])
		if err == nil {
			os.Exit(code)
		}
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ejournal:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: ejournal serve | ejournal bootstrap -school-id ID -login LOGIN ... | ejournal with-dynamodb -- CMD [ARGS...]")
	os.Exit(2)
}

// withDynamoDB starts an in-memory DynamoDB Local (unless DYNAMODB_ENDPOINT
// is set), runs the command with DYNAMODB_ENDPOINT pointing at it, stops it,
// and returns the command's exit code.
func withDynamoDB(args []string) (int, error) {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv("DYNAMODB_ENDPOINT") == "" {
		srv, err := dynamolocal.Start(ctx, dynamolocal.Options{})
		if err != nil {
			return 0, err
		}
		defer srv.Stop()
		os.Setenv("DYNAMODB_ENDPOINT", srv.Endpoint)
		fmt.Fprintln(os.Stderr, "DynamoDB Local (in memory) at", srv.Endpoint)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, err
	}
	return 0, nil
}
