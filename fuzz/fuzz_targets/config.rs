//! `stytch_client_new` with the input as its configuration JSON. Any
//! `database` other than ":memory:" is moved into a private temporary directory
//! (its name kept, slashes replaced), and so is the default database file of a
//! configuration that names none, so the fuzzer never writes elsewhere; the
//! directory is emptied after each input, so no input sees another's users.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::path::PathBuf;
use std::ptr;
use std::sync::OnceLock;
use stytch_totp::ffi::*;
use stytch_totp_fuzz::*;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("stytch-totp-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// The configuration to pass, and whether it names a file (where an unopenable
/// path is a documented 500).
fn contain(data: &[u8]) -> (Vec<u8>, bool) {
    // The library reads up to the first NUL: judge exactly that text.
    let data = c_string(data).into_bytes();
    let data = &data[..];
    let Ok(Value::Object(mut config)) = serde_json::from_slice::<Value>(data) else {
        return (data.to_vec(), false);
    };
    let default = Value::String(stytch_totp::engine::config::DEFAULT_DATABASE.into());
    match config.get("database").or(Some(&default)) {
        Some(Value::String(db)) if db != ":memory:" && !db.is_empty() => {
            let name = db.replace('/', "_");
            let path = format!("{}/{name}", scratch().display());
            config.insert("database".into(), Value::String(path));
            (Value::Object(config).to_string().into_bytes(), true)
        }
        _ => (data.to_vec(), false),
    }
}

fuzz_target!(|data: &[u8]| {
    let (config, file) = contain(data);
    let config = c_string(&config);
    let mut err = ptr::null_mut();
    let client = unsafe { stytch_client_new(config.as_ptr(), &mut err) };
    if client.is_null() {
        assert!(!err.is_null());
        let status = stytch_error_status_code(h(err));
        if file && status == 500 {
            // An unopenable file: a documented 500 from stytch_client_new.
            unsafe { stytch_error_free(err) };
        } else {
            assert_eq!(check_error_handle(err, &[]), 400);
        }
    } else {
        assert!(err.is_null(), "an error was written on success");
        let (m, p, b) = (c"POST", c"/v1/users", c"{\"email\":\"fuzz@example.com\"}");
        let json = take_string(unsafe { stytch_call(h(client), m.as_ptr(), p.as_ptr(), b.as_ptr()) });
        let body = check_response(&json, &[]);
        assert_eq!(body["status_code"], 200, "{json}");
        unsafe { stytch_client_free(client) };
    }
    if let Ok(entries) = std::fs::read_dir(scratch()) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
});
