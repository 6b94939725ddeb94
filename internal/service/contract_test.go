package service_test

import (
	"testing"

	"github.com/realtyhq/realty/internal/contract"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// TestContract runs the realty.Service contract on the local service, on
// SQLite and on MySQL.
func TestContract(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			contract.Run(t, func(t *testing.T) contract.ServiceFor {
				core, err := service.New(testdb.Open(t, dialect))
				if err != nil {
					t.Fatal(err)
				}
				return func(token string) realty.Service { return core.For(token) }
			})
		})
	}
}
