package stytchtotp

/*
#include <stdlib.h>
#include <stytch_totp.h>
*/
import "C"

import (
	"bytes"
	"errors"
	"runtime"
	"unsafe"
)

// The QR helpers draw locally (nothing is sent anywhere) and need no client.
// Their results encode the TOTP secret: keep them as private as the secret.

// OtpauthURI is the otpauth URI an authenticator app scans, the text inside
// a create response's QrCode:
// otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30.
// issuer is the client's Issuer ("Stytch TOTP" unless configured), account
// the user's email, else phone number, else user ID; secret is
// CreateResponse.Secret. A secret that is not base32 is a 400 bad_request.
func OtpauthURI(issuer, account, secret string) (string, error) {
	args, err := cstrings(issuer, account, secret)
	if err != nil {
		return "", err
	}
	var cerr *C.stytch_error
	out := C.stytch_totp_otpauth_uri(cptr(args[0]), cptr(args[1]), cptr(args[2]), &cerr)
	runtime.KeepAlive(args)
	if out == nil {
		return "", takeError(cerr)
	}
	return string(takeBytes(out)), nil
}

// QRPNG is the PNG of a QR code of text (usually an otpauth URI): black on
// white, at least 200 pixels wide; for the same URI, byte for byte the image
// inside a create response's QrCode. A text too long for a QR code (2331
// bytes) is a 400 bad_request.
func QRPNG(text string) ([]byte, error) {
	args, err := cstrings(text)
	if err != nil {
		return nil, err
	}
	var n C.size_t
	var cerr *C.stytch_error
	out := C.stytch_totp_qr_png(cptr(args[0]), &n, &cerr)
	runtime.KeepAlive(args)
	if out == nil {
		return nil, takeError(cerr)
	}
	png := C.GoBytes(unsafe.Pointer(out), C.int(n))
	C.stytch_bytes_free(out, n)
	return png, nil
}

// WriteQRPNG writes QRPNG(text) to the file at path, readable and writable by
// its owner only, replacing any file there in one rename. A path that cannot
// be written is a 400 bad_request naming it and the system's reason.
func WriteQRPNG(text, path string) error {
	args, err := cstrings(text, path)
	if err != nil {
		return err
	}
	var cerr *C.stytch_error
	ok := C.stytch_totp_qr_png_write(cptr(args[0]), cptr(args[1]), &cerr)
	runtime.KeepAlive(args)
	if !ok {
		return takeError(cerr)
	}
	return nil
}

// QRSVG is the QR code of QRPNG(text) as an SVG document (same pixel size).
func QRSVG(text string) (string, error) {
	args, err := cstrings(text)
	if err != nil {
		return "", err
	}
	var cerr *C.stytch_error
	out := C.stytch_totp_qr_svg(cptr(args[0]), &cerr)
	runtime.KeepAlive(args)
	if out == nil {
		return "", takeError(cerr)
	}
	return string(takeBytes(out)), nil
}

// cstrings copies each argument for C; a NUL byte would cut one short.
func cstrings(args ...string) ([][]byte, error) {
	out := make([][]byte, len(args))
	for i, a := range args {
		if bytes.IndexByte([]byte(a), 0) >= 0 {
			return nil, errors.New("stytchtotp: an argument contains a NUL byte")
		}
		out[i] = cbytes([]byte(a))
	}
	return out, nil
}
