//! Children of a `fork()` must not repeat each other's secrets, recovery codes
//! or IDs (prefork servers load the library, use it, then fork workers).

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashSet;
use std::io::Read;
use std::os::fd::FromRawFd;

const CHILDREN: usize = 4;

/// Forks a child that enrols a user and writes the create response to a pipe.
fn enrol_in_child() -> Value {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    match unsafe { libc::fork() } {
        0 => {
            // Child: only async-signal-safe-enough work, then _exit without unwinding.
            let api = Api::memory();
            let (_, totp) = api.enrolled_user();
            let out = totp.to_string();
            unsafe {
                libc::write(fds[1], out.as_ptr().cast(), out.len());
                libc::_exit(0);
            }
        }
        pid => {
            assert!(pid > 0, "fork failed");
            unsafe { libc::close(fds[1]) };
            let mut text = String::new();
            unsafe { std::fs::File::from_raw_fd(fds[0]) }
                .read_to_string(&mut text)
                .unwrap();
            let mut status = 0;
            assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
            serde_json::from_str(&text).unwrap()
        }
    }
}

#[test]
fn forked_children_draw_fresh_randomness() {
    // The parent uses the library first, so that any per-thread generator is seeded.
    let api = Api::memory();
    api.enrolled_user();
    let bodies: Vec<Value> = (0..CHILDREN).map(|_| enrol_in_child()).collect();
    for field in ["secret", "totp_id", "user_id", "request_id"] {
        let values: HashSet<String> = bodies.iter().map(|b| b[field].to_string()).collect();
        assert_eq!(
            values.len(),
            CHILDREN,
            "children repeated {field}: {values:?}"
        );
    }
    let codes: HashSet<String> = bodies
        .iter()
        .map(|b| b["recovery_codes"][0].to_string())
        .collect();
    assert_eq!(codes.len(), CHILDREN);
}
