package api

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// mustMergeOpenAPI merges the parts of the OpenAPI document: openapi.json
// holds the info, security and shared components; each openapi.<area>.json
// adds its paths and component schemas. A duplicate path or component is a
// programming error.
func mustMergeOpenAPI() []byte {
	b, err := mergeOpenAPI(openAPIParts)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi*.json")
	if err != nil {
		return nil, err
	}
	// The base comes first, whatever sorts before it ("openapi.import.json").
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "openapi.json") != (names[j] == "openapi.json") {
			return names[i] == "openapi.json"
		}
		return names[i] < names[j]
	})
	var doc map[string]any
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if name == "openapi.json" {
			if doc != nil {
				return nil, fmt.Errorf("openapi.json must come first")
			}
			doc = part
			continue
		}
		if doc == nil {
			return nil, fmt.Errorf("openapi.json missing")
		}
		if err := mergeSection(doc, part, "paths"); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		comps, _ := part["components"].(map[string]any)
		for section := range comps {
			dc, _ := doc["components"].(map[string]any)
			if dc == nil {
				dc = map[string]any{}
				doc["components"] = dc
			}
			if err := mergeSection(dc, comps, section); err != nil {
				return nil, fmt.Errorf("%s: components: %w", name, err)
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeSection copies part[section]'s entries into doc[section].
func mergeSection(doc, part map[string]any, section string) error {
	src, _ := part[section].(map[string]any)
	if len(src) == 0 {
		return nil
	}
	dst, _ := doc[section].(map[string]any)
	if dst == nil {
		dst = map[string]any{}
		doc[section] = dst
	}
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("%s %q defined twice", section, k)
		}
		dst[k] = v
	}
	return nil
}
