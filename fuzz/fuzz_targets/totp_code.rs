//! `stytch_totp_code`: any secret text, any 64-bit time. The result is NULL
//! exactly when the secret is not base32 (or decodes to nothing), and otherwise
//! six digits equal to an independent RFC 4226/6238 computation.
//!
//! Input: 8 bytes of time (little endian), then the secret.
#![no_main]

use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use sha1::Sha1;
use std::ffi::CStr;
use stytch_totp::ffi::{stytch_string_free, stytch_totp_code};
use stytch_totp_fuzz::c_string;

/// RFC 4648 base32, either case, trailing `=` ignored, leftover bits dropped.
fn decode_base32(text: &[u8]) -> Option<Vec<u8>> {
    let end = text.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    let (mut acc, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for &c in &text[..end] {
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn hotp(key: &[u8], counter: u64) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = usize::from(h[19] & 0x0f);
    let bin = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", bin % 1_000_000)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let time = i64::from_le_bytes(data[..8].try_into().unwrap());
    let secret = c_string(&data[8..]);
    let out = unsafe { stytch_totp_code(secret.as_ptr(), time) };
    let expected =
        decode_base32(secret.to_bytes()).map(|key| hotp(&key, time.div_euclid(30) as u64));
    let got = (!out.is_null()).then(|| {
        let s = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        unsafe { stytch_string_free(out) };
        s
    });
    assert_eq!(got, expected, "secret {secret:?} at {time}");
    assert!(unsafe { stytch_totp_code(std::ptr::null(), time) }.is_null());
});
