//! Hands the committed headers to dependents and sets the shared library's
//! name. The headers are the contract: `make header` regenerates them, a build
//! never writes into the source tree (so a read-only checkout builds, and no
//! consumer needs cbindgen).

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    // Dependents that declare `links = "stytch_totp"` read this directory as
    // DEP_STYTCH_TOTP_INCLUDE.
    let include =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("include");
    fs::create_dir_all(&include).expect("OUT_DIR/include can be created");
    for header in ["stytch_totp.h", "stytch_totp.hpp"] {
        let source = PathBuf::from("include").join(header);
        fs::copy(&source, include.join(header))
            .unwrap_or_else(|e| panic!("cannot copy {}: {e}", source.display()));
        println!("cargo:rerun-if-changed={}", source.display());
    }
    println!("cargo:include={}", include.display());

    // Versioned shared library: soname on Linux, @rpath install name on macOS.
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
    match env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("linux") => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libstytch_totp.so.{major}")
        }
        Ok("macos") => println!(
            "cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libstytch_totp.{major}.dylib"
        ),
        _ => {}
    }
    println!("cargo:rerun-if-changed=build.rs");
}
