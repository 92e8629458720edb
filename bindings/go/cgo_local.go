//go:build !stytch_pkgconfig

package stytchtotp

// By default the package links the library built in this repository by
// `make lib` (target/release), with an rpath so that binaries find it at run
// time. Build with -tags stytch_pkgconfig to use an installed copy instead.

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../target/release -Wl,-rpath,${SRCDIR}/../../target/release -lstytch_totp
import "C"
