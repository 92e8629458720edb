//! Secrets do not outlive their handles in freed memory. This binary's global
//! allocator keeps every block freed while a scenario runs (a quarantine, so
//! nothing overwrites it), then searches them all for the TOTP secret and the
//! recovery codes. Blocks that look like they hold one when freed (a base32 run
//! of 32, or `xxxx-xxxx-xxxx`) get a backtrace, so that a leftover copy is
//! reported with the code that freed it.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::backtrace::Backtrace;
use std::cell::Cell;
use std::ffi::{CStr, c_char};
use std::ptr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use stytch_totp::ffi::*;

fn h<'a, T>(p: *const T) -> Option<&'a T> {
    unsafe { p.as_ref() }
}

const SLOTS: usize = 1 << 20;
static ACTIVE: AtomicBool = AtomicBool::new(false);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static mut BLOCKS: [(usize, usize, usize); SLOTS] = [(0, 0, 0); SLOTS];
static TRACES: Mutex<Vec<(usize, Backtrace)>> = Mutex::new(Vec::new());

thread_local! {
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

fn looks_secret(bytes: &[u8]) -> bool {
    let b32 = |c: &u8| c.is_ascii_uppercase() || (b'2'..=b'7').contains(c);
    let rc = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut run = 0;
    for c in bytes {
        run = if b32(c) { run + 1 } else { 0 };
        if run >= 32 {
            return true;
        }
    }
    bytes.windows(14).any(|w| {
        w[4] == b'-' && w[9] == b'-' && w[..4].iter().chain(&w[5..9]).chain(&w[10..]).all(rc)
    })
}

struct Quarantine;

unsafe impl GlobalAlloc for Quarantine {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if ACTIVE.load(Ordering::SeqCst) && !INSIDE.with(Cell::get) {
            let i = COUNT.fetch_add(1, Ordering::SeqCst);
            if i < SLOTS {
                unsafe { BLOCKS[i] = (p as usize, layout.size(), layout.align()) };
                let bytes = unsafe { std::slice::from_raw_parts(p, layout.size()) };
                if looks_secret(bytes) {
                    INSIDE.with(|f| f.set(true));
                    let trace = Backtrace::force_capture();
                    TRACES.lock().unwrap().push((p as usize, trace));
                    INSIDE.with(|f| f.set(false));
                }
                return;
            }
        }
        unsafe { System.dealloc(p, layout) }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !ACTIVE.load(Ordering::SeqCst) || INSIDE.with(Cell::get) {
            return unsafe { System.realloc(p, layout, new_size) };
        }
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new = unsafe { System.alloc(new_layout) };
        if !new.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(p, new, layout.size().min(new_size));
                self.dealloc(p, layout);
            }
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Quarantine = Quarantine;

/// Where a needle was found in freed memory.
struct Leftover {
    what: &'static str,
    size: usize,
    offset: usize,
    context: String,
    trace: Option<String>,
}

/// Stops the quarantine, searches it, and frees it.
fn release_and_search(needles: &[(&'static str, Vec<u8>)]) -> Vec<Leftover> {
    ACTIVE.store(false, Ordering::SeqCst);
    let n = COUNT.swap(0, Ordering::SeqCst).min(SLOTS);
    let mut found = Vec::new();
    let traces = std::mem::take(&mut *TRACES.lock().unwrap());
    #[allow(clippy::needless_range_loop)] // a copy per slot: no reference to the static
    for i in 0..n {
        let (p, size, align) = unsafe { BLOCKS[i] };
        let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, size) };
        for (what, needle) in needles {
            if let Some(offset) = bytes.windows(needle.len()).position(|w| w == &needle[..]) {
                let start = offset.saturating_sub(24);
                let end = (offset + needle.len() + 24).min(size);
                let context = String::from_utf8_lossy(&bytes[start..end])
                    .replace(std::str::from_utf8(needle).unwrap_or("\u{0}"), "<SECRET>");
                let trace = traces.iter().rev().find(|(tp, _)| *tp == p).map(|(_, t)| {
                    t.to_string()
                        .lines()
                        .filter(|l| {
                            l.contains("stytch_totp")
                                || l.contains("serde_json")
                                || l.contains("alloc::")
                        })
                        .take(12)
                        .collect::<Vec<_>>()
                        .join("\n")
                });
                found.push(Leftover {
                    what,
                    size,
                    offset,
                    context,
                    trace,
                });
            }
        }
        unsafe { System.dealloc(p as *mut u8, Layout::from_size_align_unchecked(size, align)) };
    }
    found
}

/// Copies a borrowed C string into a fixed buffer (no heap).
fn copy_into(p: *const c_char, out: &mut [u8]) -> usize {
    assert!(!p.is_null());
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    out[..bytes.len()].copy_from_slice(bytes);
    bytes.len()
}

fn string_free(p: *mut c_char) {
    assert!(!p.is_null());
    unsafe { stytch_string_free(p) };
}

#[test]
fn no_freed_block_keeps_a_secret() {
    // Warm up lazy statics (thread RNG, std's stdout) outside the quarantine.
    let warm =
        unsafe { stytch_client_new(c"{\"database\":\":memory:\"}".as_ptr(), ptr::null_mut()) };
    unsafe { stytch_client_free(warm) };

    let mut secret = [0u8; 64];
    let mut codes = [[0u8; 16]; 10];
    let secret_len;
    let mut code_lens = [0usize; 10];
    let mut second_secret = [0u8; 64];
    let second_len;

    ACTIVE.store(true, Ordering::SeqCst);
    unsafe {
        // Sealed under a host key: sealing and opening must leave no copy either.
        let config = c"{\"database\":\":memory:\",\"encryption_keys\":[{\"id\":\"k\",\"key\":\"a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleTA=\"}]}";
        let raw = stytch_client_new(config.as_ptr(), ptr::null_mut());
        let client = raw.as_ref();
        assert!(client.is_some());
        let user = stytch_users_create(
            client,
            c"{\"email\":\"ada@example.com\"}".as_ptr(),
            ptr::null_mut(),
        );
        let user_id = stytch_users_create_response_user_id(h(user));

        // The typed path: create, read, serialise, free.
        let totp = stytch_totp_create(client, user_id, 0, ptr::null_mut());
        assert!(!totp.is_null());
        secret_len = copy_into(stytch_totp_create_response_secret(h(totp)), &mut secret);
        for i in 0..10 {
            code_lens[i] = copy_into(
                stytch_totp_create_response_recovery_code(h(totp), i),
                &mut codes[i],
            );
        }
        string_free(stytch_totp_create_response_to_json(h(totp)));
        stytch_totp_create_response_free(totp);

        // The recovery-codes listing.
        let listing = stytch_totp_recovery_codes(client, user_id, ptr::null_mut());
        assert!(!listing.is_null());
        string_free(stytch_totp_recovery_codes_response_to_json(h(listing)));
        stytch_totp_recovery_codes_response_free(listing);

        // Opening the key (a wrong code) and the codes (the last one used up,
        // so that it is no longer searched for: the caller's copy holds it).
        let mut err = ptr::null_mut();
        let wrong = stytch_totp_authenticate(client, user_id, c"000000".as_ptr(), &mut err);
        assert!(wrong.is_null());
        stytch_error_free(err);
        let used = codes[9];
        let recovered = stytch_totp_recover(client, user_id, used.as_ptr().cast(), ptr::null_mut());
        assert!(!recovered.is_null());
        stytch_totp_authenticate_response_free(recovered);

        // The JSON path: a second user enrolled through stytch_call.
        let other = stytch_users_create(
            client,
            c"{\"email\":\"grace@example.com\"}".as_ptr(),
            ptr::null_mut(),
        );
        let mut body = [0u8; 200];
        let other_id = CStr::from_ptr(stytch_users_create_response_user_id(h(other))).to_bytes();
        let prefix = b"{\"user_id\":\"";
        body[..prefix.len()].copy_from_slice(prefix);
        body[prefix.len()..prefix.len() + other_id.len()].copy_from_slice(other_id);
        body[prefix.len() + other_id.len()..prefix.len() + other_id.len() + 2]
            .copy_from_slice(b"\"}");
        let out = stytch_call(
            client,
            c"POST".as_ptr(),
            c"/v1/totps".as_ptr(),
            body.as_ptr().cast(),
        );
        let json = CStr::from_ptr(out).to_bytes();
        let key = b"\"secret\":\"";
        let at = json.windows(key.len()).position(|w| w == key).unwrap() + key.len();
        second_len = 32;
        second_secret[..32].copy_from_slice(&json[at..at + 32]);
        string_free(out);

        stytch_users_create_response_free(other);
        stytch_users_create_response_free(user);
        stytch_client_free(raw);
    }
    let mut needles: Vec<(&'static str, Vec<u8>)> = vec![
        (
            "the TOTP secret (typed path)",
            secret[..secret_len].to_vec(),
        ),
        (
            "the TOTP secret (stytch_call path)",
            second_secret[..second_len].to_vec(),
        ),
    ];
    needles.push((
        "the TOTP key's bytes",
        common::base32_bytes(&secret[..secret_len]),
    ));
    for i in 0..9 {
        needles.push(("a recovery code", codes[i][..code_lens[i]].to_vec()));
    }
    let found = release_and_search(&needles);
    let mut report = String::new();
    for f in &found {
        report.push_str(&format!(
            "\n{} in a freed block of {} bytes at offset {}: ...{}...\n{}\n",
            f.what,
            f.size,
            f.offset,
            f.context,
            f.trace.as_deref().unwrap_or("(no backtrace)")
        ));
    }
    assert!(found.is_empty(), "secrets left in freed memory:{report}");
}
