// The TOTP quick-start written for stytch-go, Stytch's Go SDK: a user
// enrols a TOTP, signs in with a code, is refused a replay, reads and
// spends a recovery code, and is deleted. port_test.go rewrites its imports
// and constructor with port.sed and runs it against this library.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/stytchauth/stytch-go/v16/stytch/consumer/stytchapi"
	"github.com/stytchauth/stytch-go/v16/stytch/consumer/totps"
	"github.com/stytchauth/stytch-go/v16/stytch/consumer/users"
	"github.com/stytchauth/stytch-go/v16/stytch/stytcherror"
)

func main() {
	ctx := context.Background()
	client, err := stytchapi.NewClient(os.Getenv("STYTCH_PROJECT_ID"), os.Getenv("STYTCH_SECRET"))
	if err != nil {
		log.Fatalf("client: %v", err)
	}

	user, err := client.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com",
		Name: &users.Name{FirstName: "Ada"}})
	if err != nil {
		log.Fatalf("users.create: %v", err)
	}
	fmt.Fprintln(os.Stdout, "user:", user.UserID, user.User.Emails[0].Email)

	enrolment, err := client.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID, ExpirationMinutes: 60})
	if err != nil {
		log.Fatalf("totps.create: %v", err)
	}
	fmt.Println("totp:", enrolment.TOTPID, len(enrolment.RecoveryCodes), "recovery codes")

	// The code the user's authenticator app shows now.
	code, err := totp.GenerateCode(enrolment.Secret, time.Now())
	if err != nil {
		log.Fatalf("code: %v", err)
	}
	auth, err := client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
	if err != nil {
		log.Fatalf("totps.authenticate: %v", err)
	}
	fmt.Println("authenticated:", auth.UserID, auth.User.TOTPs[0].Verified)

	// The same code twice is refused; the handler matches the error by value.
	_, err = client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
	var serr stytcherror.Error
	if !errors.As(err, &serr) {
		log.Fatalf("a replayed code: %v", err)
	}
	fmt.Println("replay refused:", serr.StatusCode, serr.ErrorType)

	codes, err := client.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: user.UserID})
	if err != nil {
		log.Fatalf("totps.recovery_codes: %v", err)
	}
	fmt.Println("recovery codes:", len(codes.TOTPs[0].RecoveryCodes))

	recovered, err := client.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: user.UserID,
		RecoveryCode: codes.TOTPs[0].RecoveryCodes[0]})
	if err != nil {
		log.Fatalf("totps.recover: %v", err)
	}
	fmt.Println("recovered:", recovered.UserID)

	deleted, err := client.Users.Delete(ctx, &users.DeleteParams{UserID: user.UserID})
	if err != nil {
		log.Fatalf("users.delete: %v", err)
	}
	fmt.Println("deleted:", deleted.UserID)
}
