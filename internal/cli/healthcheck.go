package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// newHealthcheckCmd builds 'realty healthcheck': a container's HEALTHCHECK
// in an image without a shell or curl (FROM scratch) runs the binary itself.
func newHealthcheckCmd(f *Factory) *cobra.Command {
	var url string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Check that a realty server is ready (for container health checks)",
		Long: `Ask a realty server whether it is ready to serve (GET /readyz): exit 0 when
it is, 1 with the reason when it is not or does not answer. It needs no shell
or curl, so that an image built FROM scratch can run it as its HEALTHCHECK.`,
		Example: "  realty healthcheck\n  realty healthcheck --url http://127.0.0.1:9000 --timeout 1s",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
				return usageErrorf("--url must start with http:// or https://, not %q", url)
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(url, "/")+"/readyz", nil)
			if err != nil {
				return usageErrorf("--url %q: %v", url, err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("not ready: %s does not answer: %w", url, err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("not ready: %s/readyz answered %s: %s", strings.TrimSuffix(url, "/"), res.Status,
					strings.TrimSpace(string(body)))
			}
			f.Print.Status("ready: %s", url)
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8080", "the server's base URL")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	return cmd
}
