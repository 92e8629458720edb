//! Writes `include/stytch_totp.h` with cbindgen, only when its text changes
//! (so the committed header stays byte-identical and timestamps stay put).

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let crate_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let version = env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let [major, minor, patch] = ["MAJOR", "MINOR", "PATCH"]
        .map(|part| env::var(format!("CARGO_PKG_VERSION_{part}")).expect("cargo sets the version"));

    let mut config = cbindgen::Config::from_file(Path::new(&crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    config.after_includes = Some(format!(
        "\n#define STYTCH_TOTP_VERSION \"{version}\"\n\
         #define STYTCH_TOTP_VERSION_MAJOR {major}\n\
         #define STYTCH_TOTP_VERSION_MINOR {minor}\n\
         #define STYTCH_TOTP_VERSION_PATCH {patch}\n"
    ));

    let header = Path::new(&crate_dir).join("include/stytch_totp.h");
    let mut text = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen can read the crate")
        .write(&mut text);
    if fs::read(&header).ok().as_deref() != Some(&text[..]) {
        fs::create_dir_all(header.parent().expect("include/")).expect("include/ can be created");
        fs::write(&header, &text).expect("include/stytch_totp.h can be written");
    }
    // Versioned shared library: soname on Linux, @rpath install name on macOS.
    match env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("linux") => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libstytch_totp.so.{major}")
        }
        Ok("macos") => println!(
            "cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libstytch_totp.{major}.dylib"
        ),
        _ => {}
    }
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=Cargo.toml");
}
