//go:build !stytch_pkgconfig

package stytchtotp

// By default the package links the static library that a plain
// `cargo build --release` (or `make lib`) leaves in this repository's
// target/release: programs carry the library inside them and need no shared
// library, soname link or rpath at run time. The second line of each platform
// is what the Rust runtime in the archive needs (`rustc --print
// native-static-libs`). Build with -tags stytch_pkgconfig to link an installed
// copy instead.
//
// A library not built yet stops the build at the preamble below, with what to
// do, rather than later at the linker with a bare missing-file message.

// #cgo CFLAGS: -I${SRCDIR}/../../include -I${SRCDIR}/../../target/release
// #cgo !windows LDFLAGS: ${SRCDIR}/../../target/release/libstytch_totp.a
// #cgo linux LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
// #cgo darwin LDFLAGS: -liconv -lSystem -lc -lm
// #cgo windows LDFLAGS: ${SRCDIR}/../../target/release/libstytch_totp.a
// #cgo windows LDFLAGS: -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp
// #if defined(__has_include)
// #if !__has_include(<libstytch_totp.a>)
// #error "stytchtotp: target/release/libstytch_totp.a is missing: run `cargo build --release` at the root of the stytch-totp checkout, or build with -tags stytch_pkgconfig to use an installed library"
// #endif
// #endif
import "C"
