// The stytch-totp walk-through in Go: enrol a user in TOTP, authenticate,
// recover. Uses the embedded default store (stytch_totp.db in the working
// directory), like examples/c/demo.c.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	stytchtotp "github.com/stytch-totp/stytch-totp/bindings/go"
	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

func printJSON(title string, v any) {
	text, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\n== %s\n%s\n", title, text)
}

// writeQRPNG writes the PNG inside a "data:image/png;base64, ..." URI to path.
func writeQRPNG(dataURI, path string) (int, error) {
	_, b64, ok := strings.Cut(dataURI, ",")
	if !ok {
		return 0, errors.New("not a data URI")
	}
	png, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return 0, err
	}
	return len(png), os.WriteFile(path, png, 0o644)
}

func main() {
	log.SetFlags(0)
	ctx := context.Background()
	fmt.Println("stytch-totp", stytchtotp.Version())

	// The zero Config: all defaults, the durable store stytch_totp.db.
	client, err := stytchtotp.NewClient(stytchtotp.Config{})
	if err != nil {
		log.Fatal("NewClient failed: ", err)
	}
	defer client.Close()

	// 1. A user.
	user, err := client.Users.Create(ctx, &users.CreateParams{
		Email: "ada@example.com",
		Name:  &users.Name{FirstName: "Ada"},
	})
	if err != nil {
		log.Fatal("users create failed: ", err)
	}
	userID := user.UserID
	fmt.Println("created user", userID)

	// 2. Enrolment: secret, QR code, recovery codes.
	totp, err := client.TOTPs.Create(ctx, &totps.CreateParams{UserID: userID})
	if err != nil {
		log.Fatal("totps create failed: ", err)
	}
	printJSON("POST /v1/totps", totp)
	n, err := writeQRPNG(totp.QrCode, "qr.png")
	if err != nil {
		log.Fatal("writing qr.png: ", err)
	}
	fmt.Printf("\nwrote qr.png (%d bytes): scan it with an authenticator app\n", n)

	// 3. What the authenticator app shows now.
	code, err := stytchtotp.Code(totp.Secret, time.Now().Unix())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current code:", code)

	// 4. Authenticate with it: the TOTP becomes verified.
	auth, err := client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: userID, TOTPCode: code})
	if err != nil {
		log.Fatal("totps authenticate failed: ", err)
	}
	printJSON("POST /v1/totps/authenticate", auth)
	fmt.Println("verified:", auth.User.TOTPs[0].Verified)

	// 5. The same code again is a replay, and is refused.
	_, err = client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: userID, TOTPCode: code})
	var serr *stytcherror.Error
	if !errors.As(err, &serr) {
		log.Fatal("a replayed code was accepted")
	}
	printJSON("replayed code", serr)

	// 6. Lost the phone: sign in with a recovery code, which is then used up.
	recovered, err := client.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: userID, RecoveryCode: totp.RecoveryCodes[0]})
	if err != nil {
		log.Fatal("totps recover failed: ", err)
	}
	printJSON("POST /v1/totps/recover", recovered)

	codes, err := client.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: userID})
	if err != nil {
		log.Fatal("totps recovery_codes failed: ", err)
	}
	fmt.Printf("\nrecovery codes left: %d of 10\n", len(codes.TOTPs[0].RecoveryCodes))
	fmt.Println("done: the state is in stytch_totp.db")
}
