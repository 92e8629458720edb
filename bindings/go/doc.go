// Package stytchtotp is Stytch's TOTP API (enrolment, authentication,
// recovery) running in-process on the stytch_totp C library, with the shape
// of stytch-go: the same client layout, request params and response structs.
//
//	client, err := stytchtotp.NewClient(stytchtotp.Config{Database: "app.db"})
//	if err != nil { ... }
//	defer client.Close()
//
//	user, err := client.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com"})
//	totp, err := client.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
//	// show totp.QrCode; later, with the code the user types:
//	_, err = client.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
//
// Failed calls return a stytcherror.Error carrying Stytch's error body
// (StatusCode, ErrorType, ErrorMessage, ...), by value as stytch-go does;
// errors.As matches it with a target of either stytcherror.Error or
// *stytcherror.Error.
//
// Responses are plain Go values, copied out of the library before a call
// returns; they hold no library memory and need no release. A Client does:
// call Close when done with it. A Client is safe for concurrent use.
//
// Secrets (CreateResponse.Secret, recovery codes) are wiped from the
// library's memory when its response is freed, but the Go copies are
// ordinary strings that the garbage collector reclaims in its own time.
package stytchtotp
