package stytchtotp

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// A PostgreSQL URL is a database like any other: the binding passes it
// through. Needs STYTCH_TOTP_TEST_POSTGRES, which `make test-go` sets for a
// throwaway cluster (tests/pg/with-postgres.sh).
func TestPostgresURLSharesOneStore(t *testing.T) {
	url := os.Getenv("STYTCH_TOTP_TEST_POSTGRES")
	if url == "" {
		t.Fatal("STYTCH_TOTP_TEST_POSTGRES is not set: run under tests/pg/with-postgres.sh (make test-go), or point it at a PostgreSQL server")
	}
	a := testClient(t, Config{Database: url})
	b := testClient(t, Config{Database: url})
	externalID := fmt.Sprintf("go-%d", rand.Uint64())
	user, err := a.Users.Create(ctx, &users.CreateParams{ExternalID: externalID, Email: externalID + "@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	created, err := a.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	code := mustCode(t, created.Secret, t0)
	if _, err := b.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: externalID, TOTPCode: code}); err != nil {
		t.Fatal(err)
	}
	_, err = b.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
	wantError(t, err, 400, "totp_code_already_authenticated")
}

func TestUnreachablePostgresIsDatabaseUnavailable(t *testing.T) {
	_, err := NewClient(Config{Database: "postgresql://u@127.0.0.1:1/db?sslmode=disable"})
	var serr *stytcherror.Error
	if !errors.As(err, &serr) || serr.StatusCode != 503 || serr.ErrorType != stytcherror.DatabaseUnavailable {
		t.Fatalf("want a 503 database_unavailable error, got %v", err)
	}
}
