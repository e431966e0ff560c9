// Checks of infra/web.yaml, the hosted web front end's stack: every
// resource's properties decode strictly into goformation's CloudFormation
// types (typos fail), and the security properties hold — a private bucket
// only the distribution reads, HTTPS everywhere, the security headers on every
// behaviour, the API never cached, the SPA fallback on the app only and the
// viewer's address on the API only (their code run with node), the origin
// secret sent to the API alone. Also `make deploy-web` and
// `make deploy-web-stack`, run with a fake aws command.
package infra_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/cloudfront"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"gopkg.in/yaml.v3"

	"ejournal/internal/api"
)

const webTemplateFile = "web.yaml"

// The managed CloudFront policies the distribution uses, by id.
const (
	cachingDisabled           = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	cachingOptimized          = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	allViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

// webCSP is the Content-Security-Policy of every response: the app's own
// files only, no inline script or style, no plugins, no framing.
const webCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Method-less copies of goformation's resource types: their own
// UnmarshalJSON would accept unknown properties.
type (
	s3Bucket              s3.Bucket
	s3BucketPolicy        s3.BucketPolicy
	cfOriginAccessControl cloudfront.OriginAccessControl
	cfFunction            cloudfront.Function
	cfCachePolicy         cloudfront.CachePolicy
	cfHeadersPolicy       cloudfront.ResponseHeadersPolicy
	cfDistribution        cloudfront.Distribution
)

// webResourceTypes are the only resource types web.yaml may have, each once
// but CloudFront Functions (webFunctions).
var webResourceTypes = map[string]func() any{
	"AWS::S3::Bucket":                        func() any { return new(s3Bucket) },
	"AWS::S3::BucketPolicy":                  func() any { return new(s3BucketPolicy) },
	"AWS::CloudFront::OriginAccessControl":   func() any { return new(cfOriginAccessControl) },
	"AWS::CloudFront::Function":              func() any { return new(cfFunction) },
	"AWS::CloudFront::CachePolicy":           func() any { return new(cfCachePolicy) },
	"AWS::CloudFront::ResponseHeadersPolicy": func() any { return new(cfHeadersPolicy) },
	"AWS::CloudFront::Distribution":          func() any { return new(cfDistribution) },
}

// The CloudFront Functions of web.yaml, by logical id: the SPA fallback of
// the app's behaviour and the viewer's address for the API's behaviours.
const (
	spaFallbackFunction   = "SpaFallbackFunction"
	viewerAddressFunction = "ViewerAddressFunction"
)

// webFunctions are the only CloudFront Functions web.yaml may have.
var webFunctions = []string{spaFallbackFunction, viewerAddressFunction}

// webStack is web.yaml decoded with its conditions set one way.
type webStack struct {
	ids     map[string]string // resource type → logical id (not functions)
	bucket  *s3Bucket
	policy  *s3BucketPolicy
	oac     *cfOriginAccessControl
	fns     map[string]*cfFunction // logical id → function
	shell   *cfCachePolicy
	headers *cfHeadersPolicy
	dist    *cfDistribution
	params  map[string]any
	doc     any // Resources and Outputs, resolved
	outputs map[string]any
}

// functionARN is how the distribution refers to function id.
func functionARN(id string) string { return "getatt:" + id + ".FunctionMetadata.FunctionARN" }

// readWebTemplate returns web.yaml as JSON values in long form.
func readWebTemplate(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(webTemplateFile)
	if err != nil {
		t.Fatal(err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatalf("%s: %v", webTemplateFile, err)
	}
	v, err := yamlToJSON(&n)
	if err != nil {
		t.Fatalf("%s: %v", webTemplateFile, err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is a %T, not a mapping", webTemplateFile, v)
	}
	return doc
}

// noValue marks what !Ref AWS::NoValue removes.
type noValue struct{}

// resolve replaces intrinsic functions by recognisable strings, as
// parseTemplate does ("ref:Bucket", "getatt:Bucket.Arn", "sub:…"), picks
// the branch of each Fn::If that conds says, and drops AWS::NoValue.
func resolve(t *testing.T, v any, conds map[string]bool) any {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				switch k {
				case "Ref":
					if arg == "AWS::NoValue" {
						return noValue{}
					}
					return "ref:" + arg.(string)
				case "Fn::GetAtt":
					parts, _ := arg.([]any)
					s := make([]string, len(parts))
					for i, p := range parts {
						s[i], _ = p.(string)
					}
					return "getatt:" + strings.Join(s, ".")
				case "Fn::Sub":
					if parts, ok := arg.([]any); ok && len(parts) > 0 {
						arg = parts[0]
					}
					return "sub:" + arg.(string)
				case "Fn::If":
					args, _ := arg.([]any)
					if len(args) != 3 {
						t.Fatalf("Fn::If %v: want [condition, then, else]", arg)
					}
					name, _ := args[0].(string)
					on, ok := conds[name]
					if !ok {
						t.Fatalf("Fn::If on unknown condition %q", name)
					}
					if on {
						return resolve(t, args[1], conds)
					}
					return resolve(t, args[2], conds)
				}
				if strings.HasPrefix(k, "Fn::") {
					t.Fatalf("intrinsic %s not handled by the test", k)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			if r := resolve(t, x, conds); r != (noValue{}) {
				out[k] = r
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			if r := resolve(t, x, conds); r != (noValue{}) {
				out = append(out, r)
			}
		}
		return out
	}
	return v
}

// decodeStrict decodes v (JSON values) into dst, refusing unknown fields.
func decodeStrict(v any, dst any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

// parseWebTemplate decodes web.yaml with a custom domain (hasDomain) or
// without, checking every key against goformation's types.
func parseWebTemplate(t *testing.T, hasDomain bool) *webStack {
	t.Helper()
	doc := readWebTemplate(t)
	for k := range doc {
		if !slices.Contains([]string{"AWSTemplateFormatVersion", "Description", "Parameters", "Conditions", "Resources", "Outputs"}, k) {
			t.Errorf("unknown top-level key %s", k)
		}
	}
	conds := map[string]bool{"HasDomain": hasDomain}
	for name := range object(t, doc, "Conditions") {
		if _, ok := conds[name]; !ok {
			t.Fatalf("condition %s not known to the test", name)
		}
	}
	s := &webStack{ids: map[string]string{}, fns: map[string]*cfFunction{}}
	for id, r := range object(t, doc, "Resources") {
		res, _ := r.(map[string]any)
		for k := range res {
			if !slices.Contains([]string{"Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"}, k) {
				t.Errorf("%s: unknown key %s", id, k)
			}
		}
		typ, _ := res["Type"].(string)
		mk, ok := webResourceTypes[typ]
		if !ok {
			t.Errorf("%s: resource type %q not expected (add it to webResourceTypes and check it)", id, typ)
			continue
		}
		if typ == "AWS::CloudFront::Function" {
			if !slices.Contains(webFunctions, id) {
				t.Errorf("function %s not expected (add it to webFunctions and check it)", id)
			}
		} else {
			if other, dup := s.ids[typ]; dup {
				t.Errorf("two resources of type %s: %s and %s", typ, other, id)
			}
			s.ids[typ] = id
		}
		props := resolve(t, res["Properties"], conds)
		dst := mk()
		if err := decodeStrict(props, dst); err != nil {
			t.Errorf("%s (%s): %v", id, typ, err)
			continue
		}
		switch d := dst.(type) {
		case *s3Bucket:
			s.bucket = d
		case *s3BucketPolicy:
			s.policy = d
		case *cfOriginAccessControl:
			s.oac = d
		case *cfFunction:
			s.fns[id] = d
		case *cfCachePolicy:
			s.shell = d
		case *cfHeadersPolicy:
			s.headers = d
		case *cfDistribution:
			s.dist = d
		}
	}
	for typ := range webResourceTypes {
		if _, ok := s.ids[typ]; !ok && typ != "AWS::CloudFront::Function" {
			t.Errorf("no %s", typ)
		}
	}
	for _, id := range webFunctions {
		if s.fns[id] == nil {
			t.Errorf("no function %s", id)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	s.outputs, _ = resolve(t, doc["Outputs"], conds).(map[string]any)
	s.params = object(t, doc, "Parameters")
	s.doc = resolve(t, map[string]any{"Resources": doc["Resources"], "Outputs": doc["Outputs"]}, conds)
	return s
}

func (s *webStack) id(typ string) string { return s.ids[typ] }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// behaviour is what the checks need of a cache behaviour, default or not.
type behaviour struct {
	path, target, viewer, cachePolicy, originRequestPolicy, headersPolicy string
	allowed                                                               []string
	compress                                                              bool
	functions                                                             []cloudfront.Distribution_FunctionAssociation
	legacy                                                                bool // ForwardedValues, TTLs or Lambda@Edge
}

// associations lists the behaviour's functions as "<event type> <ARN>".
func (b behaviour) associations() []string {
	var out []string
	for _, fa := range b.functions {
		out = append(out, deref(fa.EventType)+" "+deref(fa.FunctionARN))
	}
	return out
}

func (s *webStack) behaviours() []behaviour {
	dc := s.dist.DistributionConfig
	d := dc.DefaultCacheBehavior
	out := []behaviour{{
		path: "(default)", target: d.TargetOriginId, viewer: d.ViewerProtocolPolicy,
		cachePolicy: deref(d.CachePolicyId), originRequestPolicy: deref(d.OriginRequestPolicyId),
		headersPolicy: deref(d.ResponseHeadersPolicyId), allowed: d.AllowedMethods, compress: deref(d.Compress),
		functions: d.FunctionAssociations,
		legacy:    d.ForwardedValues != nil || d.DefaultTTL != nil || d.MinTTL != nil || d.MaxTTL != nil || len(d.LambdaFunctionAssociations) > 0,
	}}
	for _, b := range dc.CacheBehaviors {
		out = append(out, behaviour{
			path: b.PathPattern, target: b.TargetOriginId, viewer: b.ViewerProtocolPolicy,
			cachePolicy: deref(b.CachePolicyId), originRequestPolicy: deref(b.OriginRequestPolicyId),
			headersPolicy: deref(b.ResponseHeadersPolicyId), allowed: b.AllowedMethods, compress: deref(b.Compress),
			functions: b.FunctionAssociations,
			legacy:    b.ForwardedValues != nil || b.DefaultTTL != nil || b.MinTTL != nil || b.MaxTTL != nil || len(b.LambdaFunctionAssociations) > 0,
		})
	}
	return out
}

// behaviourFor is the behaviour CloudFront picks for path: the first
// pattern that matches (a trailing * matches anything, slashes too), else
// the default.
func (s *webStack) behaviourFor(path string) behaviour {
	bs := s.behaviours()
	for _, b := range bs[1:] {
		p := "/" + strings.TrimPrefix(b.path, "/")
		if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(path, prefix) || p == path {
			return b
		}
	}
	return bs[0]
}

// origin returns the distribution's origin id.
func (s *webStack) origin(t *testing.T, id string) cloudfront.Distribution_Origin {
	t.Helper()
	for _, o := range s.dist.DistributionConfig.Origins {
		if o.Id == id {
			return o
		}
	}
	t.Fatalf("no origin %q", id)
	return cloudfront.Distribution_Origin{}
}

func TestWebBucketIsPrivate(t *testing.T) {
	s := parseWebTemplate(t, false)
	b := s.bucket
	pab := b.PublicAccessBlockConfiguration
	if pab == nil || !deref(pab.BlockPublicAcls) || !deref(pab.BlockPublicPolicy) || !deref(pab.IgnorePublicAcls) || !deref(pab.RestrictPublicBuckets) {
		t.Error("bucket: all four PublicAccessBlockConfiguration settings must be true")
	}
	if b.OwnershipControls == nil || len(b.OwnershipControls.Rules) != 1 || deref(b.OwnershipControls.Rules[0].ObjectOwnership) != "BucketOwnerEnforced" {
		t.Error("bucket: ObjectOwnership must be BucketOwnerEnforced (no ACLs)")
	}
	if b.BucketEncryption == nil || len(b.BucketEncryption.ServerSideEncryptionConfiguration) == 0 ||
		b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault == nil ||
		b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm == "" {
		t.Error("bucket: no default server-side encryption")
	}
	if b.WebsiteConfiguration != nil {
		t.Error("bucket: a website endpoint is public by nature; CloudFront reads the bucket through its REST endpoint")
	}
	if b.AccessControl != nil {
		t.Error("bucket: AccessControl (a canned ACL) set")
	}
	if b.BucketName != nil {
		t.Error("bucket: fixed BucketName (stacks must not collide)")
	}
}

func TestWebBucketPolicyAllowsOnlyTheDistribution(t *testing.T) {
	s := parseWebTemplate(t, false)
	bucketID, distID := s.id("AWS::S3::Bucket"), s.id("AWS::CloudFront::Distribution")
	if s.policy.Bucket != "ref:"+bucketID {
		t.Errorf("bucket policy is on %q, want the bucket %s", s.policy.Bucket, bucketID)
	}
	doc, _ := s.policy.PolicyDocument.(map[string]any)
	stmts, _ := doc["Statement"].([]any)
	wantSourceArn := "sub:arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${" + distID + "}"
	allows := 0
	for i, x := range stmts {
		st, _ := x.(map[string]any)
		if st["Effect"] != "Allow" {
			continue
		}
		allows++
		if p, _ := st["Principal"].(map[string]any); len(p) != 1 || p["Service"] != "cloudfront.amazonaws.com" {
			t.Errorf("statement %d allows principal %v, want only the service cloudfront.amazonaws.com", i, st["Principal"])
		}
		if got := strs(st["Action"]); !slices.Equal(got, []string{"s3:GetObject"}) {
			t.Errorf("statement %d allows %v, want only s3:GetObject", i, got)
		}
		if got := strs(st["Resource"]); !slices.Equal(got, []string{"sub:${" + bucketID + ".Arn}/*"}) {
			t.Errorf("statement %d on %v, want the bucket's objects", i, got)
		}
		cond, _ := st["Condition"].(map[string]any)
		eq, _ := cond["StringEquals"].(map[string]any)
		if len(cond) != 1 || len(eq) != 1 || eq["AWS:SourceArn"] != wantSourceArn {
			t.Errorf("statement %d: condition %v, want StringEquals AWS:SourceArn = %s", i, st["Condition"], wantSourceArn)
		}
		if st["NotPrincipal"] != nil || st["NotAction"] != nil || st["NotResource"] != nil {
			t.Errorf("statement %d uses a Not… element", i)
		}
	}
	if allows == 0 {
		t.Error("bucket policy allows nothing: CloudFront could not read the app")
	}
}

func TestWebOriginAccessControl(t *testing.T) {
	s := parseWebTemplate(t, false)
	c := s.oac.OriginAccessControlConfig
	if c == nil || c.OriginAccessControlOriginType != "s3" || c.SigningBehavior != "always" || c.SigningProtocol != "sigv4" {
		t.Fatal("origin access control: want type s3, signing always, sigv4")
	}
	dc := s.dist.DistributionConfig
	if dc.S3Origin != nil || dc.CustomOrigin != nil {
		t.Error("legacy S3Origin/CustomOrigin set")
	}
	var s3Origins []string
	for _, o := range dc.Origins {
		if o.S3OriginConfig != nil {
			s3Origins = append(s3Origins, o.Id)
			if got := deref(o.OriginAccessControlId); got != "getatt:"+s.id("AWS::CloudFront::OriginAccessControl")+".Id" {
				t.Errorf("origin %s: OriginAccessControlId %q, want the stack's origin access control", o.Id, got)
			}
			if oai := deref(o.S3OriginConfig.OriginAccessIdentity); oai != "" {
				t.Errorf("origin %s: legacy origin access identity %q", o.Id, oai)
			}
			if want := "getatt:" + s.id("AWS::S3::Bucket") + ".RegionalDomainName"; o.DomainName != want {
				t.Errorf("origin %s: DomainName %q, want the bucket's REST endpoint %s", o.Id, o.DomainName, want)
			}
		} else if strings.Contains(o.DomainName, "s3-website") || strings.Contains(o.DomainName, "WebsiteURL") {
			t.Errorf("origin %s: an S3 website endpoint", o.Id)
		}
	}
	if len(s3Origins) != 1 {
		t.Errorf("S3 origins %v, want one", s3Origins)
	}
}

func TestWebDistribution(t *testing.T) {
	s := parseWebTemplate(t, false)
	dc := s.dist.DistributionConfig
	if !dc.Enabled {
		t.Error("distribution not enabled")
	}
	if deref(dc.DefaultRootObject) != "index.html" {
		t.Errorf("DefaultRootObject %q", deref(dc.DefaultRootObject))
	}
	if deref(dc.HttpVersion) != "http2and3" {
		t.Errorf("HttpVersion %q, want http2and3", deref(dc.HttpVersion))
	}
	if len(dc.CustomErrorResponses) > 0 {
		t.Error("CustomErrorResponses apply to the whole distribution: they would turn the API's 403/404 into index.html")
	}
	if vc := dc.ViewerCertificate; vc == nil || !deref(vc.CloudFrontDefaultCertificate) || len(dc.Aliases) > 0 {
		t.Errorf("without DomainName: want CloudFront's default certificate and no aliases (aliases %v)", dc.Aliases)
	}
	withDomain := parseWebTemplate(t, true).dist.DistributionConfig
	if vc := withDomain.ViewerCertificate; vc == nil || deref(vc.AcmCertificateArn) != "ref:CertificateArn" ||
		deref(vc.SslSupportMethod) != "sni-only" || deref(vc.MinimumProtocolVersion) != "TLSv1.2_2021" {
		t.Error("with DomainName: want the viewer certificate CertificateArn, sni-only, TLSv1.2_2021")
	}
	if !slices.Equal(withDomain.Aliases, []string{"ref:DomainName"}) {
		t.Errorf("with DomainName: aliases %v", withDomain.Aliases)
	}

	apiOrigin := s.origin(t, "api")
	if apiOrigin.DomainName != "ref:ApiDomain" || apiOrigin.CustomOriginConfig == nil ||
		apiOrigin.CustomOriginConfig.OriginProtocolPolicy != "https-only" ||
		!slices.Equal(apiOrigin.CustomOriginConfig.OriginSSLProtocols, []string{"TLSv1.2"}) {
		t.Errorf("api origin %s: want ApiDomain over HTTPS only, TLS 1.2", apiOrigin.DomainName)
	}

	headersRef := "ref:" + s.id("AWS::CloudFront::ResponseHeadersPolicy")
	for _, b := range s.behaviours() {
		if b.viewer != "redirect-to-https" {
			t.Errorf("behaviour %s: ViewerProtocolPolicy %q, want redirect-to-https", b.path, b.viewer)
		}
		if b.headersPolicy != headersRef {
			t.Errorf("behaviour %s: response headers policy %q, want %s", b.path, b.headersPolicy, headersRef)
		}
		if b.cachePolicy == "" || b.legacy {
			t.Errorf("behaviour %s: want a cache policy and no legacy cache settings or Lambda@Edge", b.path)
		}
		if !b.compress {
			t.Errorf("behaviour %s: Compress off", b.path)
		}
	}

	// Every API route reaches the API uncached with the caller's headers
	// (Authorization, Accept-Language, …), all methods allowed.
	allMethods := []string{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
	for _, rt := range (&api.Server{}).Routes() {
		b := s.behaviourFor(rt.Pattern)
		if b.target != "api" || b.cachePolicy != cachingDisabled || b.originRequestPolicy != allViewerExceptHostHeader {
			t.Errorf("route %s %s: behaviour %s (origin %s, cache %s, origin request %s), want the api origin with CachingDisabled and AllViewerExceptHostHeader",
				rt.Method, rt.Pattern, b.path, b.target, b.cachePolicy, b.originRequestPolicy)
			continue
		}
		for _, m := range allMethods {
			if !slices.Contains(b.allowed, m) {
				t.Errorf("behaviour %s does not allow %s", b.path, m)
			}
		}
		if want := []string{"viewer-request " + functionARN(viewerAddressFunction)}; !slices.Equal(b.associations(), want) {
			t.Errorf("route %s %s: behaviour %s has functions %v, want %v (the API counts sign-ins by X-Viewer-Address)",
				rt.Method, rt.Pattern, b.path, b.associations(), want)
		}
	}
	// The app's files come from the bucket; hashed assets cached long.
	for path, wantCache := range map[string]string{
		"/":                     "ref:" + s.id("AWS::CloudFront::CachePolicy"),
		"/index.html":           "ref:" + s.id("AWS::CloudFront::CachePolicy"),
		"/sw.js":                "ref:" + s.id("AWS::CloudFront::CachePolicy"),
		"/config.json":          "ref:" + s.id("AWS::CloudFront::CachePolicy"),
		"/manifest.webmanifest": "ref:" + s.id("AWS::CloudFront::CachePolicy"),
		"/journal/x":            "ref:" + s.id("AWS::CloudFront::CachePolicy"),
		"/assets/index-abc.js":  cachingOptimized,
	} {
		b := s.behaviourFor(path)
		if b.target != "web" || b.cachePolicy != wantCache {
			t.Errorf("%s: behaviour %s (origin %s, cache %s), want the web origin with %s", path, b.path, b.target, b.cachePolicy, wantCache)
		}
		if slices.Contains(b.allowed, "POST") || slices.Contains(b.allowed, "PUT") || slices.Contains(b.allowed, "DELETE") {
			t.Errorf("%s: behaviour %s allows writes to the bucket", path, b.path)
		}
	}
	// The shell's policy honours Cache-Control: no-cache (MinTTL 0).
	if c := s.shell.CachePolicyConfig; c == nil || c.MinTTL != 0 {
		t.Error("shell cache policy: want MinTTL 0 (Cache-Control: no-cache honoured)")
	}

	// The SPA fallback runs on the default behaviour only, before the
	// cache; the viewer's address on every behaviour of the API, and
	// nowhere else.
	apiBehaviours := 0
	for i, b := range s.behaviours() {
		var want []string
		switch {
		case i == 0:
			want = []string{"viewer-request " + functionARN(spaFallbackFunction)}
		case b.target == "api":
			want = []string{"viewer-request " + functionARN(viewerAddressFunction)}
			apiBehaviours++
		}
		if got := b.associations(); !slices.Equal(got, want) {
			t.Errorf("behaviour %s: functions %v, want %v", b.path, got, want)
		}
	}
	if apiBehaviours == 0 {
		t.Error("no behaviour of the api origin")
	}

	for _, name := range []string{"BucketName", "DistributionId", "Url"} {
		if s.outputs[name] == nil {
			t.Errorf("no output %s", name)
		}
	}
	if got := object(t, s.outputs, "BucketName")["Value"]; got != "ref:"+s.id("AWS::S3::Bucket") {
		t.Errorf("output BucketName = %v", got)
	}
	if got := object(t, s.outputs, "DistributionId")["Value"]; got != "ref:"+s.id("AWS::CloudFront::Distribution") {
		t.Errorf("output DistributionId = %v", got)
	}
}

func TestWebSecurityHeaders(t *testing.T) {
	s := parseWebTemplate(t, false)
	c := s.headers.ResponseHeadersPolicyConfig
	if c == nil || c.SecurityHeadersConfig == nil {
		t.Fatal("response headers policy without SecurityHeadersConfig")
	}
	sh := c.SecurityHeadersConfig
	if csp := sh.ContentSecurityPolicy; csp == nil || csp.ContentSecurityPolicy != webCSP || !csp.Override {
		t.Errorf("Content-Security-Policy %q,\nwant %q with Override", deref(csp).ContentSecurityPolicy, webCSP)
	} else {
		for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "http:", "https:"} {
			for _, tok := range strings.Fields(csp.ContentSecurityPolicy) {
				if strings.TrimSuffix(tok, ";") == bad {
					t.Errorf("CSP allows %s", bad)
				}
			}
		}
		if !strings.Contains(csp.ContentSecurityPolicy, "frame-ancestors 'none'") {
			t.Error("CSP lacks frame-ancestors 'none'")
		}
		if len(csp.ContentSecurityPolicy) > 1783 {
			t.Error("CSP longer than CloudFront's 1783 characters")
		}
	}
	if h := sh.StrictTransportSecurity; h == nil || h.AccessControlMaxAgeSec < 31536000 || !deref(h.IncludeSubdomains) || !h.Override {
		t.Errorf("Strict-Transport-Security max-age %d: want at least a year, includeSubDomains, Override", deref(h).AccessControlMaxAgeSec)
	}
	if sh.ContentTypeOptions == nil || !sh.ContentTypeOptions.Override {
		t.Error("X-Content-Type-Options: nosniff missing or not overriding the origin")
	}
	if f := sh.FrameOptions; f == nil || f.FrameOption != "DENY" || !f.Override {
		t.Errorf("X-Frame-Options %q, want DENY with Override", deref(f).FrameOption)
	}
	if r := sh.ReferrerPolicy; r == nil || r.ReferrerPolicy != "strict-origin-when-cross-origin" || !r.Override {
		t.Errorf("Referrer-Policy %q, want strict-origin-when-cross-origin with Override", deref(r).ReferrerPolicy)
	}
	var permissions string
	if c.CustomHeadersConfig != nil {
		for _, h := range c.CustomHeadersConfig.Items {
			if strings.EqualFold(h.Header, "Permissions-Policy") && h.Override {
				permissions = h.Value
			}
		}
	}
	for _, feature := range []string{"camera=()", "microphone=()", "geolocation=()"} {
		if !strings.Contains(permissions, feature) {
			t.Errorf("Permissions-Policy %q lacks %s", permissions, feature)
		}
	}
	if c.CorsConfig != nil {
		t.Error("CORS headers: the app and the API share one origin and need none")
	}
}

// TestWebAppNeedsNothingInline keeps the app's page within the CSP: no
// inline script, style or event handler in web/index.html.
func TestWebAppNeedsNothingInline(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "web", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, m := range regexp.MustCompile(`(?is)<script\b[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(m, "src=") {
			t.Errorf("inline script %s", m)
		}
	}
	for _, re := range []string{`(?i)<style\b`, `(?i)\sstyle\s*=`, `(?i)\son[a-z]+\s*=`, `(?i)javascript:`} {
		if loc := regexp.MustCompile(re).FindString(page); loc != "" {
			t.Errorf("web/index.html has %q, which the CSP blocks", loc)
		}
	}
}

// webFunctionCode checks the configuration of function id (cloudfront-js-2.0,
// published, within CloudFront's size) and returns its code.
func webFunctionCode(t *testing.T, s *webStack, id string) string {
	t.Helper()
	fn := s.fns[id]
	if fn.FunctionConfig == nil || fn.FunctionConfig.Runtime != "cloudfront-js-2.0" || !deref(fn.AutoPublish) {
		t.Errorf("%s: runtime %q, autopublish %v: want cloudfront-js-2.0, published", id, deref(fn.FunctionConfig).Runtime, deref(fn.AutoPublish))
	}
	if len(fn.FunctionCode) > 10240 {
		t.Errorf("%s: code over CloudFront's 10 KB", id)
	}
	return fn.FunctionCode
}

// runNode runs script with node, arg as process.argv[1], and returns what it
// printed. node is required (make test needs it for the web build and the
// browser tests too), so a missing node fails the test.
func runNode(t *testing.T, script, arg string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node not found: install Node 20 (make test needs it)")
	}
	out, err := exec.Command(node, "-e", script, arg).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	return out
}

// TestWebSpaFallbackFunction runs the SPA fallback's code with node.
func TestWebSpaFallbackFunction(t *testing.T) {
	s := parseWebTemplate(t, false)
	code := webFunctionCode(t, s, spaFallbackFunction)
	// Each path → the path served ("/index.html": the app in place) or
	// "302 /" (a redirect to the app at /).
	cases := map[string]string{
		"/":                                     "/",
		"/index.html":                           "/index.html",
		"/sw.js":                                "/sw.js",
		"/config.json":                          "/config.json",
		"/manifest.webmanifest":                 "/manifest.webmanifest",
		"/icon-192.png":                         "/icon-192.png",
		"/assets/a.js":                          "/assets/a.js",
		"/assets/index-BBgqpZTL.css":            "/assets/index-BBgqpZTL.css",
		"/.well-known/security.txt":             "/.well-known/security.txt",
		"/a/b/app.js":                           "/a/b/app.js",
		"/x":                                    "/index.html",
		"/signin":                               "/index.html",
		"/%D0%B6%D1%83%D1%80%D0%BD%D0%B0%D0%BB": "/index.html",
		"/x/y":                                  "302 /",
		"/x/":                                   "302 /",
		"/journal/2026-5a/ru":                   "302 /",
		"/v1.2/journal":                         "302 /",
	}
	var uris []string
	for u := range cases {
		uris = append(uris, u)
	}
	slices.Sort(uris)
	harness := code + `
const uris = JSON.parse(process.argv[1]);
const out = uris.map((uri) => {
  const event = {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '198.51.100.7' },
    request: { method: 'GET', uri, querystring: { state: { value: 'abc' } }, headers: { host: { value: 'example.org' } }, cookies: {} },
  };
  const r = handler(event);
  if (r.statusCode) return { served: r.statusCode + ' ' + r.headers.location.value, qs: 'abc', host: 'example.org' };
  return { served: r.uri, qs: r.querystring.state.value, host: r.headers.host.value };
});
console.log(JSON.stringify(out));
`
	arg, _ := json.Marshal(uris)
	out := runNode(t, harness, string(arg))
	var got []struct{ Served, QS, Host string }
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(uris) {
		t.Fatalf("node printed %s (%v)", out, err)
	}
	for i, u := range uris {
		if got[i].Served != cases[u] {
			t.Errorf("%s → %s, want %s", u, got[i].Served, cases[u])
		}
		if got[i].QS != "abc" || got[i].Host != "example.org" {
			t.Errorf("%s: query string or headers changed: %+v", u, got[i])
		}
	}
}

// TestWebViewerAddressFunction runs the API behaviours' function with node:
// X-Viewer-Address is the viewer's IP address, whatever the viewer sent,
// and nothing else of the request changes.
func TestWebViewerAddressFunction(t *testing.T) {
	s := parseWebTemplate(t, false)
	code := webFunctionCode(t, s, viewerAddressFunction)
	type viewerCase struct {
		IP     string `json:"ip"`     // event.viewer.ip
		Forged string `json:"forged"` // the viewer's own X-Viewer-Address, sent twice; "" sends none
	}
	cases := []viewerCase{
		{IP: "198.51.100.7"},
		{IP: "2001:db8::42"},
		{IP: "198.51.100.7", Forged: "203.0.113.9"},
		{IP: "2001:db8::42", Forged: "not-an-ip"},
	}
	harness := code + `
const cases = JSON.parse(process.argv[1]);
const out = cases.map((c) => {
  const headers = { host: { value: 'example.org' }, authorization: { value: 'Bearer abc' } };
  if (c.forged) headers['x-viewer-address'] = { value: c.forged, multiValue: [{ value: c.forged }, { value: '10.0.0.1' }] };
  const event = {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: c.ip },
    request: { method: 'POST', uri: '/v1/auth/login', querystring: { a: { value: 'b' } }, headers, cookies: {} },
  };
  const r = handler(event);
  return { uri: r.uri, method: r.method, qs: r.querystring.a.value, viewer: r.headers['x-viewer-address'],
    host: r.headers.host.value, auth: r.headers.authorization.value, names: Object.keys(r.headers).sort() };
});
console.log(JSON.stringify(out));
`
	arg, _ := json.Marshal(cases)
	out := runNode(t, harness, string(arg))
	var got []struct {
		URI, Method, QS, Host, Auth string
		Viewer                      map[string]any
		Names                       []string
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("node printed %s (%v)", out, err)
	}
	for i, c := range cases {
		g := got[i]
		if want := map[string]any{"value": c.IP}; !reflect.DeepEqual(g.Viewer, want) {
			t.Errorf("viewer %s, sent %q: x-viewer-address %v, want %v", c.IP, c.Forged, g.Viewer, want)
		}
		if g.URI != "/v1/auth/login" || g.Method != "POST" || g.QS != "b" || g.Host != "example.org" || g.Auth != "Bearer abc" ||
			!slices.Equal(g.Names, []string{"authorization", "host", "x-viewer-address"}) {
			t.Errorf("viewer %s: the request changed beyond x-viewer-address: %+v", c.IP, g)
		}
	}
}

// TestWebOriginSecret: the secret that makes the API believe
// X-Viewer-Address is a parameter that is never shown, sent to the API
// origin alone, and accepted by the API stack's parameter too.
func TestWebOriginSecret(t *testing.T) {
	s := parseWebTemplate(t, false)
	p, _ := s.params["OriginSecret"].(map[string]any)
	if p == nil || p["Type"] != "String" || p["NoEcho"] != true {
		t.Fatalf("parameter OriginSecret %v: want a NoEcho String", p)
	}
	if _, ok := p["Default"]; ok {
		t.Error("OriginSecret has a default: each deployment must set its own")
	}
	minLength, _ := p["MinLength"].(int)
	if minLength < 32 {
		t.Errorf("OriginSecret MinLength %v, want at least 32", p["MinLength"])
	}

	want := []cloudfront.Distribution_OriginCustomHeader{{HeaderName: "X-Origin-Verify", HeaderValue: "ref:OriginSecret"}}
	if got := s.origin(t, "api").OriginCustomHeaders; !reflect.DeepEqual(got, want) {
		t.Errorf("api origin custom headers %+v, want %+v", got, want)
	}
	for _, o := range s.dist.DistributionConfig.Origins {
		if o.Id != "api" && len(o.OriginCustomHeaders) > 0 {
			t.Errorf("origin %s sends custom headers %+v", o.Id, o.OriginCustomHeaders)
		}
	}
	// Nothing else refers to the secret: no output, no other header.
	var refs []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(path+"."+k, x)
			}
		case []any:
			for i, x := range v {
				walk(path+"["+strconv.Itoa(i)+"]", x)
			}
		case string:
			if v == "ref:OriginSecret" || strings.HasPrefix(v, "sub:") && strings.Contains(v, "${OriginSecret}") {
				refs = append(refs, path)
			}
		}
	}
	walk("", s.doc)
	if len(refs) != 1 {
		t.Errorf("OriginSecret used at %v, want only the api origin's X-Origin-Verify", refs)
	}

	// The API stack takes every secret this stack takes, and none shorter
	// (there an empty one means "not behind CloudFront").
	webPattern := regexp.MustCompile(p["AllowedPattern"].(string))
	apiParam := object(t, readTemplate(t), "Parameters", "OriginSecret")
	apiPattern := regexp.MustCompile(apiParam["AllowedPattern"].(string))
	for secret, want := range map[string][2]bool{ // web, api
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08": {true, true}, // openssl rand -hex 32
		"q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8A=":                     {true, true}, // openssl rand -base64 32
		"Ab3_-.~+/=Ab3_-.~+/=Ab3_-.~+/=Ab":                                 {true, true},
		"":                                                                 {false, true},
		"0123456789abcdef0123456789abcde":                                  {false, false}, // 31 characters
		"0123456789abcdef 0123456789abcdef":                                {false, false},
		"0123456789abcdef#0123456789abcdef":                                {false, false},
		"0123456789abcdef;0123456789abcdef":                                {false, false},
	} {
		web := len(secret) >= minLength && webPattern.MatchString(secret)
		api := apiPattern.MatchString(secret)
		if web != want[0] || api != want[1] {
			t.Errorf("secret %q: web stack takes it %v, API stack %v; want %v, %v", secret, web, api, want[0], want[1])
		}
	}
}

// fakeAWS writes an aws command into a new directory that logs each call to
// calls.log and answers describe-stacks with made-up outputs; head-object of
// config.json finds it (headStatus 0), answers 404 or, for any other
// status, 403. A sam command there logs its calls too, as "sam …". It
// returns the directory and the log's path.
func fakeAWS(t *testing.T, headStatus int) (dir, log string) {
	t.Helper()
	dir = t.TempDir()
	log = filepath.Join(dir, "calls.log")
	script := `#!/bin/sh
echo "$*" >> ` + log + `
case "$*" in
  *"describe-stacks"*"OutputKey=='BucketName'"*) echo ejournal-web-bucket-123 ;;
  *"describe-stacks"*"OutputKey=='DistributionId'"*) echo E2EXAMPLE ;;
  *"describe-stacks"*"OutputKey=='ApiUrl'"*) echo https://abc123.execute-api.eu-central-1.amazonaws.com ;;
  *"s3api head-object"*)
    case ` + strconv.Itoa(headStatus) + ` in
      0) echo '{"ContentLength": 16}' ;;
      404) echo 'An error occurred (404) when calling the HeadObject operation: Not Found' >&2; exit 254 ;;
      *) echo 'An error occurred (403) when calling the HeadObject operation: Forbidden' >&2; exit 254 ;;
    esac ;;
  *"create-invalidation"*) echo I2EXAMPLE ;;
esac
exit 0
`
	if err := os.WriteFile(filepath.Join(dir, "aws"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	sam := "#!/bin/sh\necho \"sam $*\" >> " + log + "\n"
	if err := os.WriteFile(filepath.Join(dir, "sam"), []byte(sam), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, log
}

// runFakeDeploy runs make target with the fake aws first on PATH (never the
// web build: -o web) and returns the aws calls made; make must succeed
// unless fail.
func runFakeDeploy(t *testing.T, headStatus int, fail bool, args ...string) []string {
	t.Helper()
	calls, _ := runFakeMake(t, headStatus, fail, nil, args...)
	return calls
}

// runFakeMake is runFakeDeploy with env added to make's environment; it
// returns make's output too.
func runFakeMake(t *testing.T, headStatus int, fail bool, env []string, args ...string) (calls []string, output string) {
	t.Helper()
	bin, log := fakeAWS(t, headStatus)
	cmd := exec.Command("make", append([]string{"-C", root, "--no-print-directory", "-o", "web"}, args...)...)
	cmd.Env = append(os.Environ(), "ORIGIN_SECRET=", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if (err != nil) != fail {
		t.Fatalf("make %s: error %v, want failure %v\n%s", strings.Join(args, " "), err, fail, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n"), string(out)
}

// fakeDist writes a built front end like web/dist.
func fakeDist(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"index.html", "sw.js", "config.json", "manifest.webmanifest", "icon.svg", "icon-192.png", "assets/index-abc.js", "assets/index-def.css"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// callIndex is the index of the first call containing all of parts, or -1.
func callIndex(calls []string, parts ...string) int {
	for i, c := range calls {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(c, p)
		}
		if ok {
			return i
		}
	}
	return -1
}

func TestMakeDeployWeb(t *testing.T) {
	dist := fakeDist(t)
	const bucket = "s3://ejournal-web-bucket-123"
	check := func(t *testing.T, calls []string) {
		t.Helper()
		assets := callIndex(calls, "s3 ", "sync "+dist+"/assets "+bucket+"/assets", "public, max-age=31536000, immutable")
		rest := callIndex(calls, "s3 ", "sync "+dist+" "+bucket, "--exclude assets/*", "no-cache")
		manifest := callIndex(calls, "s3 ", "cp "+dist+"/manifest.webmanifest "+bucket+"/manifest.webmanifest", "no-cache", "application/manifest+json")
		sw := callIndex(calls, "s3 ", "cp "+dist+"/sw.js "+bucket+"/sw.js", "no-cache")
		index := callIndex(calls, "s3 ", "cp "+dist+"/index.html "+bucket+"/index.html", "no-cache", "text/html")
		prune := callIndex(calls, "s3 ", "sync "+dist+" "+bucket, "--delete", "--exclude config.json")
		inval := callIndex(calls, "cloudfront create-invalidation", "--distribution-id E2EXAMPLE", "/*")
		order := []int{assets, rest, manifest, sw, index, prune, inval}
		if slices.Contains(order, -1) || !slices.IsSorted(order) {
			t.Errorf("calls %v in order %v: want assets, other files, manifest, sw.js, index.html, --delete, invalidation\n%s", order, []string{"assets", "rest", "manifest", "sw", "index", "prune", "invalidate"}, strings.Join(calls, "\n"))
		}
		for i, c := range calls {
			if strings.Contains(c, "--delete") && i < index {
				t.Errorf("--delete before the new files are up: %s", c)
			}
			if strings.Contains(c, "s3 ") && !strings.Contains(c, "--region eu-central-1") {
				t.Errorf("no --region: %s", c)
			}
		}
		if rest >= 0 && (!strings.Contains(calls[rest], "--exclude index.html") || !strings.Contains(calls[rest], "--exclude config.json")) {
			t.Errorf("the second sync uploads index.html or config.json before their turn: %s", calls[rest])
		}
	}
	t.Run("bucket has config.json", func(t *testing.T) {
		calls := runFakeDeploy(t, 0, false, "deploy-web", "WEB_DIST="+dist, "WEB_STACK=ejournal-web-test")
		check(t, calls)
		if i := callIndex(calls, "describe-stacks", "--stack-name ejournal-web-test"); i < 0 {
			t.Error("stack outputs not read from WEB_STACK")
		}
		if i := callIndex(calls, bucket+"/config.json"); i >= 0 {
			t.Errorf("the bucket's config.json overwritten: %s", calls[i])
		}
	})
	t.Run("bucket without config.json", func(t *testing.T) {
		calls := runFakeDeploy(t, 404, false, "deploy-web", "WEB_DIST="+dist)
		check(t, calls)
		if callIndex(calls, "cp "+dist+"/config.json "+bucket+"/config.json", "no-cache") < 0 {
			t.Error("the build's config.json not uploaded to a bucket without one")
		}
	})
	t.Run("config.json unreadable", func(t *testing.T) {
		calls := runFakeDeploy(t, 403, true, "deploy-web", "WEB_DIST="+dist)
		if i := callIndex(calls, bucket+"/config.json"); i >= 0 {
			t.Errorf("config.json written though its presence is unknown: %s", calls[i])
		}
		if i := callIndex(calls, "--delete"); i >= 0 {
			t.Errorf("files deleted after a failure: %s", calls[i])
		}
	})
	t.Run("WEB_CONFIG", func(t *testing.T) {
		own := filepath.Join(t.TempDir(), "prod-config.json")
		if err := os.WriteFile(own, []byte(`{"apiBase":"/"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		calls := runFakeDeploy(t, 0, false, "deploy-web", "WEB_DIST="+dist, "WEB_CONFIG="+own)
		check(t, calls)
		if callIndex(calls, "cp "+own+" "+bucket+"/config.json", "no-cache") < 0 {
			t.Error("WEB_CONFIG not uploaded as config.json")
		}
	})
}

func TestMakeDeployWebStack(t *testing.T) {
	calls := runFakeDeploy(t, 0, false, "deploy-web-stack", "API_STACK=ejournal-prod", "WEB_STACK=ejournal-web-prod", "WEB_PARAMS=DomainName=ejournal.example.org")
	if callIndex(calls, "describe-stacks", "--stack-name ejournal-prod", "ApiUrl") < 0 {
		t.Errorf("API_STACK's ApiUrl not read:\n%s", strings.Join(calls, "\n"))
	}
	i := callIndex(calls, "cloudformation deploy", "--stack-name ejournal-web-prod", "--template-file infra/web.yaml")
	if i < 0 {
		t.Fatalf("web stack not deployed:\n%s", strings.Join(calls, "\n"))
	}
	if !strings.Contains(calls[i], "ApiDomain=abc123.execute-api.eu-central-1.amazonaws.com DomainName=ejournal.example.org") {
		t.Errorf("parameters: %s", calls[i])
	}
	if strings.Contains(calls[i], "OriginSecret") {
		t.Errorf("OriginSecret passed without ORIGIN_SECRET (the stack must keep its own): %s", calls[i])
	}
}

// The origin secret reaches both stacks from ORIGIN_SECRET, never printed.
const testOriginSecret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestMakeDeployWebStackOriginSecret(t *testing.T) {
	calls, out := runFakeMake(t, 0, false, []string{"ORIGIN_SECRET=" + testOriginSecret}, "deploy-web-stack")
	i := callIndex(calls, "cloudformation deploy", "--template-file infra/web.yaml")
	if i < 0 {
		t.Fatalf("web stack not deployed:\n%s", strings.Join(calls, "\n"))
	}
	if !strings.HasSuffix(calls[i], " ApiDomain=abc123.execute-api.eu-central-1.amazonaws.com OriginSecret="+testOriginSecret) {
		t.Errorf("parameters: %s", calls[i])
	}
	if strings.Contains(out, testOriginSecret) {
		t.Errorf("make printed the secret:\n%s", out)
	}
}

func TestMakeDeployOriginSecret(t *testing.T) {
	t.Run("without ORIGIN_SECRET", func(t *testing.T) {
		calls, _ := runFakeMake(t, 0, false, nil, "deploy", "CONFIG_ENV=prod")
		if want := []string{"sam build", "sam deploy --config-env prod"}; !slices.Equal(calls, want) {
			t.Errorf("calls %q, want %q", calls, want)
		}
	})
	t.Run("with ORIGIN_SECRET", func(t *testing.T) {
		calls, out := runFakeMake(t, 0, false, []string{"ORIGIN_SECRET=" + testOriginSecret}, "deploy", "CONFIG_ENV=prod")
		// The second deploy names only the secret: samconfig.toml's
		// parameters stay as the first one set them.
		want := []string{"sam build", "sam deploy --config-env prod", "sam deploy --config-env prod --parameter-overrides OriginSecret=" + testOriginSecret}
		if !slices.Equal(calls, want) {
			t.Errorf("calls %q, want %q", calls, want)
		}
		if strings.Contains(out, testOriginSecret) {
			t.Errorf("make printed the secret:\n%s", out)
		}
	})
}
