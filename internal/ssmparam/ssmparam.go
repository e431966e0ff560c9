// Package ssmparam reads secrets from AWS Systems Manager Parameter Store.
// It is the only package that imports the SSM SDK.
package ssmparam

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// API is the part of the SSM client Get uses.
type API interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, opts ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// Get returns the decrypted value of a (SecureString) parameter.
func Get(ctx context.Context, api API, name string) ([]byte, error) {
	out, err := api.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("ssm parameter %s: %w", name, err)
	}
	if out.Parameter == nil || out.Parameter.Value == nil {
		return nil, fmt.Errorf("ssm parameter %s: no value", name)
	}
	return []byte(*out.Parameter.Value), nil
}

// Load reads a parameter with the default AWS configuration of the
// environment (the Lambda role in AWS).
func Load(ctx context.Context, name string) ([]byte, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	return Get(ctx, ssm.NewFromConfig(cfg), name)
}
