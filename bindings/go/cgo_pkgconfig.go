//go:build stytch_pkgconfig

package stytchtotp

// With -tags stytch_pkgconfig the package finds an installed library through
// pkg-config (stytch_totp.pc; set PKG_CONFIG_PATH for a non-system prefix).

// #cgo pkg-config: stytch_totp
import "C"
