// Package infra_test checks the deployment: template.yaml against the
// official SAM JSON schema (typos) and, through goformation, against the code
// (one function per functions/ directory, one HttpApi event per API route,
// least-privilege policies, the table as dynamo.TableSchema), plus the
// Makefile targets that build the functions for SAM.
package infra_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/global"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"ejournal/internal/api"
	"ejournal/internal/dynamo"
)

const (
	root         = ".."
	templateFile = root + "/template.yaml"
	schemaFile   = "testdata/sam.schema.json"
)

// allowedActions are the only IAM actions a function may have: item-level
// DynamoDB access without Scan. Transactions need no action of their own.
var allowedActions = []string{
	"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
	"dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
}

// allowedResources are the table and its indexes as the intrinsic handlers
// of parseTemplate render them.
var allowedResources = []string{"getatt:Table.Arn", "sub:${Table.Arn}/index/*"}

// The one other thing a function may do is read the access tokens' signing
// key from SSM Parameter Store, and only that parameter.
const (
	signingKeyAction   = "ssm:GetParameter"
	signingKeyResource = "sub:arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${SigningKeyParameterName}"
)

// notificationsGrants are the statements only the notifications function
// may have besides the table: read the table's stream, send SMS (a phone
// number has no ARN, hence "*") and describe failed batches in its
// dead-letter queue. Each is an exact list of actions on exact resources.
var notificationsGrants = []struct{ actions, resources []string }{
	streamGrant,
	{[]string{"sns:Publish", "sns:CheckIfPhoneNumberIsOptedOut"}, []string{"*"}},
	{[]string{"sqs:SendMessage"}, []string{"getatt:NotificationsDeadLetterQueue.Arn"}},
}

// streamGrant reads the table's stream: the notifications function's and
// the reports function's (its background jobs start from the stream).
var streamGrant = struct{ actions, resources []string }{
	[]string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"}, []string{"getatt:Table.StreamArn"},
}

// notificationsGrant reports whether a statement of function id is one of
// notificationsGrants (the reports function: streamGrant only).
func notificationsGrant(id string, actions, resources []string) bool {
	if id == "ReportsFunction" {
		return slices.Equal(actions, streamGrant.actions) && slices.Equal(resources, streamGrant.resources)
	}
	if id != "NotificationsFunction" {
		return false
	}
	for _, g := range notificationsGrants {
		if slices.Equal(actions, g.actions) && slices.Equal(resources, g.resources) {
			return true
		}
	}
	return false
}

// shortForms maps CloudFormation's YAML short-form tags to their long forms.
var shortForms = map[string]string{"!Ref": "Ref", "!Condition": "Condition"}

func init() {
	for _, fn := range []string{"Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join",
		"Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString"} {
		shortForms["!"+fn] = "Fn::" + fn
	}
}

// yamlToJSON turns a YAML node into JSON values, rewriting short forms such
// as `!GetAtt Table.Arn` to long forms such as {"Fn::GetAtt": ["Table", "Arn"]}.
func yamlToJSON(n *yaml.Node) (any, error) {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		long, ok := shortForms[n.Tag]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
		}
		if n.Kind == yaml.ScalarNode {
			if long == "Fn::GetAtt" {
				res, attr, _ := strings.Cut(n.Value, ".")
				return map[string]any{long: []any{res, attr}}, nil
			}
			return map[string]any{long: n.Value}, nil
		}
		plain := *n
		plain.Tag = ""
		v, err := yamlToJSON(&plain)
		return map[string]any{long: v}, err
	}
	switch n.Kind {
	case yaml.DocumentNode:
		return yamlToJSON(n.Content[0])
	case yaml.AliasNode:
		return yamlToJSON(n.Alias)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlToJSON(c)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				return nil, fmt.Errorf("line %d: unsupported mapping key", k.Line)
			}
			v, err := yamlToJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	}
	if n.Tag == "!!timestamp" {
		return n.Value, nil // CloudFormation reads dates as strings.
	}
	var v any
	err := n.Decode(&v)
	return v, err
}

// readTemplate returns template.yaml as JSON values in long form.
func readTemplate(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	v, err := yamlToJSON(&n)
	if err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("template.yaml is a %T, not a mapping", v)
	}
	return doc
}

// parseTemplate parses template.yaml with goformation, keeping references
// recognisable: !Ref Table becomes "ref:Table", !GetAtt Table.Arn
// "getatt:Table.Arn" and !Sub "${Table.Arn}/x" "sub:${Table.Arn}/x". A Ref to
// a Number parameter gives its default, as a typed field needs a number.
func parseTemplate(t *testing.T) *cloudformation.Template {
	t.Helper()
	data, err := json.Marshal(readTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	opts := &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
		"Ref": func(_ string, in, tmpl any) any {
			name, _ := in.(string)
			params, _ := tmpl.(map[string]any)["Parameters"].(map[string]any)
			if p, ok := params[name].(map[string]any); ok && p["Type"] == "Number" {
				return p["Default"]
			}
			return "ref:" + name
		},
		"Fn::GetAtt": func(_ string, in, _ any) any {
			if parts, ok := in.([]any); ok {
				return fmt.Sprintf("getatt:%v.%v", parts...)
			}
			return fmt.Sprintf("getatt:%v", in)
		},
		"Fn::Sub": func(_ string, in, _ any) any {
			if parts, ok := in.([]any); ok && len(parts) > 0 {
				in = parts[0]
			}
			return fmt.Sprintf("sub:%v", in)
		},
	}}
	tmpl, err := goformation.ParseJSONWithOptions(data, opts)
	if err != nil {
		t.Fatalf("goformation: %v", err)
	}
	return tmpl
}

// regexpEngine is Go's regexp plus the one ECMA pattern form the SAM schema
// uses that Go cannot compile: "^(?!P).+$", a non-empty string not starting with P.
func regexpEngine(s string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(s)
	if err == nil {
		return re, nil
	}
	inner, ok := strings.CutPrefix(s, "^(?!")
	if inner, ok2 := strings.CutSuffix(inner, ").+$"); ok && ok2 {
		if prefix, err := regexp.Compile("^(?:" + inner + ")"); err == nil {
			return notPrefix{prefix, s}, nil
		}
	}
	return nil, err
}

type notPrefix struct {
	prefix *regexp.Regexp
	source string
}

func (r notPrefix) MatchString(s string) bool { return s != "" && !r.prefix.MatchString(s) }
func (r notPrefix) String() string            { return r.source }

var samSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(schemaFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(regexpEngine)
	if err := c.AddResource(schemaFile, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaFile)
})

// validate checks a template, as JSON values, against the SAM schema.
func validate(t *testing.T, doc map[string]any) error {
	t.Helper()
	sch, err := samSchema()
	if err != nil {
		t.Fatalf("SAM schema: %v", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// object returns the mapping at path in doc.
func object(t *testing.T, doc map[string]any, path ...string) map[string]any {
	t.Helper()
	m := doc
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("template has no mapping at %s", strings.Join(path, "."))
		}
		m = next
	}
	return m
}

func TestTemplateMatchesSAMSchema(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(t *testing.T, doc map[string]any)
		// bad is what the error must say (the offending key, or the value
		// expected); "" means the template is valid.
		bad string
	}{
		{name: "as written"},
		{
			name: "unknown function property",
			mutate: func(t *testing.T, doc map[string]any) {
				object(t, doc, "Resources", "DirectoryFunction", "Properties")["CodeUrl"] = "."
			},
			bad: "CodeUrl",
		},
		{
			name: "unknown key in Globals.Function",
			mutate: func(t *testing.T, doc map[string]any) {
				object(t, doc, "Globals", "Function")["Timout"] = 10
			},
			bad: "Timout",
		},
		{
			name: "unknown event type",
			mutate: func(t *testing.T, doc map[string]any) {
				object(t, doc, "Resources", "DirectoryFunction", "Properties", "Events", "Health")["Type"] = "HttpAPI"
			},
			bad: "value must be 'HttpApi'",
		},
		{
			name: "unknown event property",
			mutate: func(t *testing.T, doc map[string]any) {
				object(t, doc, "Resources", "DirectoryFunction", "Properties", "Events", "Health", "Properties")["Paht"] = "/x"
			},
			bad: "Paht",
		},
		{
			name: "unknown HttpApi property",
			mutate: func(t *testing.T, doc map[string]any) {
				object(t, doc, "Resources", "Api", "Properties")["CorsConfig"] = true
			},
			bad: "CorsConfig",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readTemplate(t)
			if tt.mutate != nil {
				tt.mutate(t, doc)
			}
			err := validate(t, doc)
			switch {
			case tt.bad == "" && err != nil:
				t.Fatalf("template.yaml does not match the SAM schema: %#v", err)
			case tt.bad != "" && err == nil:
				t.Fatal("the SAM schema accepted the typo")
			case tt.bad != "" && !strings.Contains(fmt.Sprintf("%#v", err), tt.bad):
				t.Fatalf("error does not say %s: %#v", tt.bad, err)
			}
		})
	}
}

// functionDirs lists the functions: the directories under functions/.
func functionDirs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatal("no functions under functions/")
	}
	return names
}

// logicalID is the template resource of functions/<name>; the Makefile's
// build-%Function lowercases the stem back to name.
func logicalID(name string) string { return strings.ToUpper(name[:1]) + name[1:] + "Function" }

var functionName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

func TestTemplateHasOneFunctionPerDirectory(t *testing.T) {
	tmpl := parseTemplate(t)
	fns := tmpl.GetAllServerlessFunctionResources()
	logGroups := map[string]bool{}
	for id, lg := range tmpl.GetAllLogsLogGroupResources() {
		if lg.LogGroupName == nil || lg.RetentionInDays == nil || *lg.RetentionInDays <= 0 {
			t.Errorf("log group %s needs a name and a retention", id)
			continue
		}
		logGroups[*lg.LogGroupName] = true
	}
	want := map[string]bool{}
	for _, name := range functionDirs(t) {
		id := logicalID(name)
		want[id] = true
		if !functionName.MatchString(name) {
			t.Errorf("functions/%s: a function name is lowercase letters and digits (logical id %s must round-trip through the Makefile)", name, id)
		}
		fn, ok := fns[id]
		if !ok {
			t.Errorf("functions/%s has no AWS::Serverless::Function %s", name, id)
			continue
		}
		if fn.CodeUri == nil || fn.CodeUri.String == nil || *fn.CodeUri.String != "." {
			t.Errorf("%s: CodeUri must be . (one go.mod at the root)", id)
		}
		if bm := fn.AWSCloudFormationMetadata["BuildMethod"]; bm != "makefile" {
			t.Errorf("%s: Metadata.BuildMethod = %v, want makefile", id, bm)
		}
		if fn.Role != nil {
			t.Errorf("%s: Role is set; policies must come from the template's statements", id)
		}
		if lg := "sub:/aws/lambda/${" + id + "}"; !logGroups[lg] {
			t.Errorf("%s: no log group %q with a retention", id, strings.TrimPrefix(lg, "sub:"))
		}
	}
	for id := range fns {
		if !want[id] {
			t.Errorf("function %s has no directory under functions/", id)
		}
	}
}

// apiPath is a ServeMux pattern in API Gateway's syntax: {name} is the
// same, a trailing {name...} is {name+}.
func apiPath(pattern string) string { return strings.ReplaceAll(pattern, "...}", "+}") }

func TestTemplateServesEveryRoute(t *testing.T) {
	tmpl := parseTemplate(t)
	served := map[string]string{} // "METHOD path" -> function logical id
	for id, fn := range tmpl.GetAllServerlessFunctionResources() {
		for name, ev := range fn.Events {
			if ev.Type != "HttpApi" {
				continue
			}
			if ev.Properties == nil || ev.Properties.HttpApiEvent == nil {
				t.Errorf("%s.%s: not an HttpApi event", id, name)
				continue
			}
			e := ev.Properties.HttpApiEvent
			if e.ApiId == nil || *e.ApiId != "ref:Api" {
				t.Errorf("%s.%s: ApiId must be !Ref Api", id, name)
			}
			if e.Method == nil || e.Path == nil {
				t.Errorf("%s.%s: needs Method and Path", id, name)
				continue
			}
			if v := e.PayloadFormatVersion; v != nil && *v != "2.0" {
				t.Errorf("%s.%s: PayloadFormatVersion %s; the Lambda adapter reads 2.0", id, name, *v)
			}
			key := strings.ToUpper(*e.Method) + " " + *e.Path
			if other, dup := served[key]; dup {
				t.Errorf("%s is an event of both %s and %s", key, other, id)
			}
			served[key] = id
		}
	}
	routes := map[string]bool{}
	for _, rt := range (&api.Server{}).Routes() {
		if rt.LocalOnly {
			continue
		}
		key := rt.Method + " " + apiPath(rt.Pattern)
		routes[key] = true
		want := logicalID(rt.Function)
		switch got, ok := served[key]; {
		case !ok:
			t.Errorf("route %s (function %s) has no HttpApi event", key, rt.Function)
		case got != want:
			t.Errorf("route %s is an event of %s, want %s", key, got, want)
		}
	}
	for key, id := range served {
		if !routes[key] {
			t.Errorf("%s: HttpApi event %s serves no route of api.Server", id, key)
		}
	}
}

// strs reads a policy statement's Action or Resource: a string or a list.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

func TestTemplatePoliciesNameOnlyTheTable(t *testing.T) {
	for id, fn := range parseTemplate(t).GetAllServerlessFunctionResources() {
		p := fn.Policies
		if p == nil || p.String != nil || p.IAMPolicyDocumentArray == nil {
			t.Errorf("%s: Policies must be a list of inline statements", id)
			continue
		}
		for _, doc := range *p.IAMPolicyDocumentArray {
			if len(doc.Statement) == 0 {
				t.Errorf("%s: a policy that is not an inline statement (managed policy or policy template)", id)
			}
			for _, raw := range doc.Statement {
				st, _ := raw.(map[string]any)
				for _, k := range []string{"NotAction", "NotResource", "Principal"} {
					if _, ok := st[k]; ok {
						t.Errorf("%s: statement uses %s", id, k)
					}
				}
				if st["Effect"] != "Allow" {
					t.Errorf("%s: statement effect %v, want Allow", id, st["Effect"])
				}
				actions, resources := strs(st["Action"]), strs(st["Resource"])
				if notificationsGrant(id, actions, resources) {
					continue
				}
				if slices.Equal(actions, []string{signingKeyAction}) {
					if !slices.Equal(resources, []string{signingKeyResource}) {
						t.Errorf("%s: %s on %v, want only the signing key parameter", id, signingKeyAction, resources)
					}
					continue
				}
				for _, a := range actions {
					if !slices.Contains(allowedActions, a) {
						t.Errorf("%s: action %s is not one of %v", id, a, allowedActions)
					}
				}
				for _, r := range resources {
					if !slices.Contains(allowedResources, r) {
						t.Errorf("%s: resource %s is not the table or its indexes", id, r)
					}
				}
			}
		}
	}
}

func TestTemplateTableMatchesSchema(t *testing.T) {
	tmpl := parseTemplate(t)
	tbl, err := tmpl.GetDynamoDBTableWithName("Table")
	if err != nil {
		t.Fatal(err)
	}
	want := dynamo.TableSchema("x")
	var gotAttrs, wantAttrs, gotKeys, wantKeys, gotGSIs, wantGSIs []string
	for _, a := range tbl.AttributeDefinitions {
		gotAttrs = append(gotAttrs, a.AttributeName+" "+a.AttributeType)
	}
	for _, a := range want.AttributeDefinitions {
		wantAttrs = append(wantAttrs, *a.AttributeName+" "+string(a.AttributeType))
	}
	for _, k := range tbl.KeySchema {
		gotKeys = append(gotKeys, k.AttributeName+" "+k.KeyType)
	}
	for _, k := range want.KeySchema {
		wantKeys = append(wantKeys, *k.AttributeName+" "+string(k.KeyType))
	}
	for _, g := range tbl.GlobalSecondaryIndexes {
		s := g.IndexName
		for _, k := range g.KeySchema {
			s += " " + k.AttributeName + " " + k.KeyType
		}
		if g.Projection != nil && g.Projection.ProjectionType != nil {
			s += " " + *g.Projection.ProjectionType
		}
		gotGSIs = append(gotGSIs, s)
	}
	for _, g := range want.GlobalSecondaryIndexes {
		s := *g.IndexName
		for _, k := range g.KeySchema {
			s += " " + *k.AttributeName + " " + string(k.KeyType)
		}
		wantGSIs = append(wantGSIs, s+" "+string(g.Projection.ProjectionType))
	}
	slices.Sort(gotAttrs)
	slices.Sort(wantAttrs)
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"attribute definitions", gotAttrs, wantAttrs},
		{"key schema", gotKeys, wantKeys},
		{"global secondary indexes", gotGSIs, wantGSIs},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: template %v, dynamo.TableSchema %v", c.what, c.got, c.want)
		}
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"BillingMode PAY_PER_REQUEST", tbl.BillingMode != nil && *tbl.BillingMode == string(want.BillingMode)},
		{"stream " + string(want.StreamSpecification.StreamViewType), tbl.StreamSpecification != nil && tbl.StreamSpecification.StreamViewType == string(want.StreamSpecification.StreamViewType)},
		{"TTL on " + dynamo.TTLAttribute, tbl.TimeToLiveSpecification != nil && tbl.TimeToLiveSpecification.Enabled && tbl.TimeToLiveSpecification.AttributeName != nil && *tbl.TimeToLiveSpecification.AttributeName == dynamo.TTLAttribute},
		{"point-in-time recovery", tbl.PointInTimeRecoverySpecification != nil && tbl.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled != nil && *tbl.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled},
		{"server-side encryption", tbl.SSESpecification != nil && tbl.SSESpecification.SSEEnabled},
		{"DeletionPolicy Retain", tbl.AWSCloudFormationDeletionPolicy == "Retain"},
		{"UpdateReplacePolicy Retain", tbl.AWSCloudFormationUpdateReplacePolicy == "Retain"},
		{"no fixed TableName (stacks must not collide)", tbl.TableName == nil},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("table: want %s", c.what)
		}
	}
}

func TestTemplateGlobals(t *testing.T) {
	tmpl := parseTemplate(t)
	g, ok := tmpl.Globals["Function"].(*global.Function)
	if !ok {
		t.Fatal("no Globals.Function")
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	var arch []string
	if g.Architectures != nil {
		arch = *g.Architectures
	}
	var env map[string]string
	if g.Environment != nil {
		env = g.Environment.Variables
	}
	// goformation does not know LoggingConfig; read it from the document.
	logFormat := object(t, readTemplate(t), "Globals", "Function", "LoggingConfig")["LogFormat"]
	checks := []struct {
		what string
		ok   bool
	}{
		{"Runtime provided.al2023", str(g.Runtime) == "provided.al2023"},
		{"Architectures [arm64]", slices.Equal(arch, []string{"arm64"})},
		{"Handler bootstrap", str(g.Handler) == "bootstrap"},
		{"Tracing Active", str(g.Tracing) == "Active"},
		{"LoggingConfig.LogFormat JSON", logFormat == "JSON"},
		{"Timeout under API Gateway's 29 s", g.Timeout != nil && *g.Timeout > 0 && *g.Timeout < 29},
		{"MemorySize", g.MemorySize != nil && *g.MemorySize >= 128},
		{"TABLE_NAME !Ref Table", env["TABLE_NAME"] == "ref:Table"},
		{"ORIGIN_SECRET !Ref OriginSecret", env["ORIGIN_SECRET"] == "ref:OriginSecret"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("Globals.Function: want %s", c.what)
		}
	}
	// Functions inherit these; none may override them.
	for id, fn := range tmpl.GetAllServerlessFunctionResources() {
		if fn.Runtime != nil || fn.Architectures != nil || fn.Handler != nil || fn.Tracing != nil {
			t.Errorf("%s overrides Runtime, Architectures, Handler or Tracing from Globals", id)
		}
		if fn.Environment != nil {
			if _, ok := fn.Environment.Variables["ORIGIN_SECRET"]; ok {
				t.Errorf("%s overrides ORIGIN_SECRET from Globals", id)
			}
		}
	}
}

// TestTemplateOriginSecret: the secret of the web stack's CloudFront
// distribution is a parameter never shown, empty by default (the API is
// reachable without CloudFront), and reaches the functions only through
// Globals (TestTemplateGlobals), never an output.
func TestTemplateOriginSecret(t *testing.T) {
	doc := readTemplate(t)
	p := object(t, doc, "Parameters", "OriginSecret")
	if p["Type"] != "String" || p["NoEcho"] != true || p["Default"] != "" {
		t.Errorf("parameter OriginSecret %v: want a NoEcho String, empty by default", p)
	}
	data, err := json.Marshal(doc["Outputs"])
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("OriginSecret")) {
		t.Errorf("an output refers to OriginSecret: %s", data)
	}
	data, err = json.Marshal(doc["Resources"])
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("OriginSecret")) {
		t.Error("a resource refers to OriginSecret; it reaches the functions through Globals only")
	}
}

func TestTemplateNeverSetsDevSwitch(t *testing.T) {
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(api.DevAdminSwitch)) {
		t.Errorf("template.yaml mentions %s, the credential-less developer administrator", api.DevAdminSwitch)
	}
}

func TestTemplateAPIAndOutputs(t *testing.T) {
	tmpl := parseTemplate(t)
	httpAPI, err := tmpl.GetServerlessHttpApiWithName("Api")
	if err != nil {
		t.Fatal(err)
	}
	if httpAPI.CorsConfiguration == nil || httpAPI.CorsConfiguration.CorsConfigurationObject == nil {
		t.Fatal("Api: no CorsConfiguration object")
	}
	cors := httpAPI.CorsConfiguration.CorsConfigurationObject
	if !slices.Equal(cors.AllowOrigins, []string{"ref:FrontendOrigin"}) {
		t.Errorf("Api: AllowOrigins %v, want only the FrontendOrigin parameter", cors.AllowOrigins)
	}
	if cors.AllowCredentials != nil && *cors.AllowCredentials {
		t.Error("Api: AllowCredentials; requests authenticate with the Authorization header")
	}
	for _, h := range []string{"Authorization", "Content-Type", "Accept-Language", "X-Request-Id"} {
		if !slices.Contains(cors.AllowHeaders, h) {
			t.Errorf("Api: CORS AllowHeaders lacks %s", h)
		}
	}
	if !slices.Contains(cors.ExposeHeaders, "X-Request-Id") {
		t.Error("Api: CORS ExposeHeaders lacks X-Request-Id")
	}
	for _, rt := range (&api.Server{}).Routes() {
		if !slices.Contains(cors.AllowMethods, rt.Method) {
			t.Errorf("Api: CORS AllowMethods lacks %s (route %s)", rt.Method, rt.Pattern)
		}
	}
	for name, want := range map[string]string{
		"ApiUrl":         "sub:https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}",
		"TableName":      "ref:Table",
		"TableStreamArn": "getatt:Table.StreamArn",
	} {
		if got := tmpl.Outputs[name].Value; got != want {
			t.Errorf("output %s = %v, want %s", name, got, want)
		}
	}
}

// runMake runs make in the repository root and returns its output.
func runMake(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("make", append([]string{"-C", root, "--no-print-directory"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// templateFunctions lists the functions of the template by directory name.
func templateFunctions(t *testing.T) []string {
	t.Helper()
	var names []string
	for id := range parseTemplate(t).GetAllServerlessFunctionResources() {
		names = append(names, strings.ToLower(strings.TrimSuffix(id, "Function")))
	}
	slices.Sort(names)
	return names
}

// checkBuildCommand asserts that cmd, a line of `make -n`, builds
// ./functions/<name> as a static linux/arm64 Lambda bootstrap into out.
func checkBuildCommand(t *testing.T, cmd, name, out string) {
	t.Helper()
	f := strings.Fields(cmd)
	for _, want := range []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "build", "-trimpath", "lambda.norpc"} {
		if !slices.Contains(f, want) {
			t.Errorf("build command lacks %s: %s", want, cmd)
		}
	}
	if i := slices.Index(f, "-o"); i < 0 || i+1 >= len(f) || f[i+1] != out {
		t.Errorf("build command does not write %s: %s", out, cmd)
	}
	if len(f) == 0 || f[len(f)-1] != "./functions/"+name {
		t.Errorf("build command does not build ./functions/%s: %s", name, cmd)
	}
}

// TestMakefileBuildsEachFunctionForSAM dry-runs the target `sam build` calls
// for each function (BuildMethod makefile).
func TestMakefileBuildsEachFunctionForSAM(t *testing.T) {
	for _, name := range templateFunctions(t) {
		t.Run(name, func(t *testing.T) {
			cmd := strings.TrimSpace(runMake(t, "-n", "build-"+logicalID(name), "ARTIFACTS_DIR=/x"))
			checkBuildCommand(t, cmd, name, "/x/bootstrap")
		})
	}
}

// TestMakeBuild dry-runs `make build`: it must build every function of the
// template into build/<name>/bootstrap. (A real run cross-compiles the AWS
// SDK for arm64, over a minute of CPU on a fresh machine; the commands are
// the same as build-%Function's.)
func TestMakeBuild(t *testing.T) {
	cmds := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(runMake(t, "-n", "build")), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			cmds[strings.TrimPrefix(f[len(f)-1], "./functions/")] = line
		}
	}
	for _, name := range templateFunctions(t) {
		cmd, ok := cmds[name]
		if !ok {
			t.Errorf("make build does not build functions/%s", name)
			continue
		}
		checkBuildCommand(t, cmd, name, "build/"+name+"/bootstrap")
	}
}

// streamTypes are the item types whose stream records the notifications
// function turns into notices; its filter lets only these through.
var streamTypes = []string{"mark", "attendance", "term_mark"}

func TestTemplateNotificationsStream(t *testing.T) {
	doc := readTemplate(t)
	events := object(t, doc, "Resources", "NotificationsFunction", "Properties", "Events")
	stream := object(t, events, "TableStream", "Properties")
	if stream["FunctionResponseTypes"] == nil || !slices.Equal(strs(stream["FunctionResponseTypes"]), []string{"ReportBatchItemFailures"}) {
		t.Errorf("FunctionResponseTypes = %v, want [ReportBatchItemFailures]", stream["FunctionResponseTypes"])
	}
	if stream["BisectBatchOnFunctionError"] != true {
		t.Error("BisectBatchOnFunctionError must be true")
	}
	if n, _ := stream["MaximumRetryAttempts"].(int); n < 1 || n > 10 {
		t.Errorf("MaximumRetryAttempts = %v, want a small bound", stream["MaximumRetryAttempts"])
	}
	if n, _ := stream["BatchSize"].(int); n < 1 || n > 1000 {
		t.Errorf("BatchSize = %v", stream["BatchSize"])
	}
	if got := fmt.Sprint(object(t, stream, "DestinationConfig", "OnFailure")["Destination"]); !strings.Contains(got, "NotificationsDeadLetterQueue") {
		t.Errorf("OnFailure destination = %s, want the dead-letter queue", got)
	}
	filters, _ := object(t, stream, "FilterCriteria")["Filters"].([]any)
	var types []string
	for _, f := range filters {
		var pattern struct {
			EventName []string `json:"eventName"`
			DynamoDB  struct {
				NewImage struct {
					Type struct {
						S []string `json:"S"`
					} `json:"type"`
					SMS *struct {
						BOOL []bool `json:"BOOL"`
					} `json:"sms"`
				} `json:"NewImage"`
			} `json:"dynamodb"`
		}
		raw, _ := f.(map[string]any)["Pattern"].(string)
		if err := json.Unmarshal([]byte(raw), &pattern); err != nil {
			t.Fatalf("filter pattern %q: %v", raw, err)
		}
		if slices.Contains(pattern.EventName, "REMOVE") || len(pattern.EventName) == 0 {
			t.Errorf("filter %s: events %v, want INSERT/MODIFY only", raw, pattern.EventName)
		}
		if slices.Equal(pattern.DynamoDB.NewImage.Type.S, []string{"inbox"}) {
			if pattern.DynamoDB.NewImage.SMS == nil || !slices.Equal(pattern.DynamoDB.NewImage.SMS.BOOL, []bool{true}) {
				t.Errorf("filter %s: inbox items invoke the function only when they ask for an SMS copy", raw)
			}
			continue
		}
		types = append(types, pattern.DynamoDB.NewImage.Type.S...)
	}
	if !slices.Equal(types, streamTypes) {
		t.Errorf("filtered types %v, want %v", types, streamTypes)
	}
	if got := object(t, events, "Dispatch", "Properties")["Schedule"]; got != "rate(5 minutes)" {
		t.Errorf("Dispatch schedule = %v", got)
	}
}
