package stytchtotp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// The helpers redraw, byte for byte, the QR code of a create response from
// its otpauth URI, and write it and its SVG.
func TestQRHelpers(t *testing.T) {
	c := testClient(t, Config{Issuer: "Example Co"})
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}

	uri, err := OtpauthURI("Example Co", "ada@example.com", created.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/Example%20Co:ada@example.com?") || !strings.Contains(uri, "secret="+created.Secret) {
		t.Fatalf("uri = %q", uri)
	}

	image, err := QRPNG(uri)
	if err != nil {
		t.Fatal(err)
	}
	_, payload, ok := strings.Cut(created.QrCode, "base64,")
	if !ok {
		t.Fatalf("qr_code is not a base64 data URL: %.40q", created.QrCode)
	}
	inResponse, err := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(image, inResponse) {
		t.Fatal("QRPNG(uri) is not the image inside the create response's qr_code")
	}
	decoded, err := png.Decode(bytes.NewReader(image))
	if err != nil {
		t.Fatal(err)
	}
	if w := decoded.Bounds().Dx(); w < 200 {
		t.Fatalf("the image is %d pixels wide", w)
	}

	path := filepath.Join(t.TempDir(), "qr.png")
	if err := WriteQRPNG(uri, path); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(written, image) {
		t.Fatalf("the written file differs from QRPNG: %v", err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the file's mode: %v %v", info.Mode(), err)
	}

	svg, err := QRSVG(uri)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg, "<svg") || !strings.Contains(svg, "</svg>") {
		t.Fatalf("not an SVG: %.80q", svg)
	}
}

func TestQRHelperErrors(t *testing.T) {
	badRequest := func(t *testing.T, err error, mention string) {
		t.Helper()
		var serr stytcherror.Error
		if !errors.As(err, &serr) || serr.ErrorType != stytcherror.BadRequest || !strings.Contains(string(serr.ErrorMessage), mention) {
			t.Fatalf("want 400 bad_request mentioning %q, got %v", mention, err)
		}
	}
	_, err := OtpauthURI("Example Co", "ada@example.com", "not base32!")
	badRequest(t, err, "base32")
	_, err = QRPNG(strings.Repeat("x", 3000))
	badRequest(t, err, "")
	_, err = QRSVG(strings.Repeat("x", 3000))
	badRequest(t, err, "")
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "qr.png")
	badRequest(t, WriteQRPNG("otpauth://totp/x", missing), missing)
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed write left a file: %v", err)
	}
	if _, err := QRPNG("a\x00b"); err == nil {
		t.Fatal("a NUL byte was accepted")
	}
}
