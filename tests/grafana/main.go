// Parses each dashboard JSON named on the command line with the Grafana Foundation SDK's
// strict decoder, which refuses unknown fields and wrong types; prints one line a file
// and exits 1 if any fails.
package main

import (
	"fmt"
	"os"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

func main() {
	failed := false
	for _, path := range os.Args[1:] {
		raw, err := os.ReadFile(path)
		if err != nil {
			fmt.Printf("%s: %v\n", path, err)
			failed = true
			continue
		}
		var parsed dashboard.Dashboard
		// The SDK returns a non-nil, empty error list on success.
		if err := parsed.UnmarshalJSONStrict(raw); err != nil && err.Error() != "" {
			fmt.Printf("%s: %v\n", path, err)
			failed = true
			continue
		}
		fmt.Printf("%s: ok (%d panels)\n", path, len(parsed.Panels))
	}
	if failed {
		os.Exit(1)
	}
}
