//go:build !stytch_pkgconfig

package stytchtotp

// By default the package links the static library that a plain
// `cargo build --release` (or `make lib`) leaves in this repository's
// target/release: programs carry the library inside them and need no shared
// library, soname link or rpath at run time. The second line of each platform
// is what the Rust runtime in the archive needs (`rustc --print
// native-static-libs`). Build with -tags stytch_pkgconfig to link an installed
// copy instead.

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo !windows LDFLAGS: ${SRCDIR}/../../target/release/libstytch_totp.a
// #cgo linux LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
// #cgo darwin LDFLAGS: -liconv -lSystem -lc -lm
// #cgo windows LDFLAGS: ${SRCDIR}/../../target/release/libstytch_totp.a
// #cgo windows LDFLAGS: -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp
import "C"
