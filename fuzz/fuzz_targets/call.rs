//! `stytch_call` with method, path and body from the input, on a fresh
//! ":memory:" client holding an enrolled user.
//!
//! Input: up to 8 requests separated by a blank line; each is `METHOD\nPATH`
//! optionally followed by `\nBODY` (no body line: a NULL body). Placeholders
//! (`$USER`, `$CODE`, `$RC0`, ... see `Fixture::substitute`) name the fixture's
//! values so that inputs reach authentication and recovery.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stytch_totp::ffi::{stytch_call, stytch_string_free};
use stytch_totp_fuzz::*;

fuzz_target!(|data: &[u8]| with_fixture(|fixture, accepted| {
    let secrets = fixture.secrets();
    let data = fixture.substitute(data);
    for request in data.split_inner(b"\n\n").into_iter().take(8) {
        let mut parts = request.splitn(3, |&b| b == b'\n');
        let method = c_string(parts.next().unwrap_or_default());
        let path = c_string(parts.next().unwrap_or_default());
        let body = parts.next().map(c_string);
        let out = unsafe {
            stytch_call(h(fixture.client),
                method.as_ptr(),
                path.as_ptr(),
                body.as_ref().map_or(std::ptr::null(), |b| b.as_ptr()),
            )
        };
        let json = take_string(out);
        let response = check_response(&json, &secrets);
        if response["status_code"] != 200 || response["user_id"] != fixture.user_id.as_str() {
            continue;
        }
        let body = body.as_ref().map_or(&b""[..], |b| b.to_bytes());
        match (method.to_bytes(), path.to_bytes()) {
            (b"POST", b"/v1/totps/authenticate") => {
                let (_, code) = attempt_fields(body, "totp_code").expect("an accepted body parses");
                accepted.totp(fixture, &code);
            }
            (b"POST", b"/v1/totps/recover") => {
                let (_, code) =
                    attempt_fields(body, "recovery_code").expect("an accepted body parses");
                accepted.recovery(&code);
            }
            _ => {}
        }
    }
    // A NULL method or path is an error body too, never a crash.
    let json = take_string(unsafe {
        stytch_call(h(fixture.client),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
        )
    });
    check_response(&json, &secrets);
    unsafe { stytch_string_free(std::ptr::null_mut()) };
}));

trait SplitInner {
    fn split_inner<'a>(&'a self, sep: &'a [u8]) -> Vec<&'a [u8]>;
}

impl SplitInner for [u8] {
    fn split_inner<'a>(&'a self, sep: &'a [u8]) -> Vec<&'a [u8]> {
        let mut out = Vec::new();
        let mut rest = self;
        while let Some(i) = rest.windows(sep.len()).position(|w| w == sep) {
            out.push(&rest[..i]);
            rest = &rest[i + sep.len()..];
        }
        out.push(rest);
        out
    }
}
