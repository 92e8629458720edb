package stytchtotp_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	stytchtotp "github.com/stytch-totp/stytch-totp/bindings/go"
	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// Enrol a user in TOTP, authenticate with the app's code, see a replay
// refused, and sign in with a recovery code.
func Example() {
	ctx := context.Background()
	client, err := stytchtotp.NewClient(stytchtotp.Config{Database: ":memory:"})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	now := int64(1714521600) // a fixed clock, for a repeatable example
	client.SetTime(now)

	user, err := client.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	totp, err := client.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("recovery codes:", len(totp.RecoveryCodes))

	// What the authenticator app shows now.
	code, _ := stytchtotp.Code(totp.Secret, now)
	auth, err := client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", auth.User.TOTPs[0].Verified)

	_, err = client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
	var serr *stytcherror.Error
	if errors.As(err, &serr) {
		fmt.Println("replay:", serr.StatusCode, serr.ErrorType)
	}

	if _, err := client.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: user.UserID, RecoveryCode: totp.RecoveryCodes[0]}); err != nil {
		log.Fatal(err)
	}
	left, _ := client.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: user.UserID})
	fmt.Println("recovery codes left:", len(left.TOTPs[0].RecoveryCodes))
	// Output:
	// recovery codes: 10
	// verified: true
	// replay: 400 totp_code_already_authenticated
	// recovery codes left: 9
}

// Code gives what an authenticator app shows for a secret at a time.
func ExampleCode() {
	code, err := stytchtotp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59)
	fmt.Println(code, err)
	// Output: 287082 <nil>
}
