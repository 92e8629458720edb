//! Children of a `fork()` must not repeat each other's secrets, recovery codes
//! or IDs (prefork servers load the library, use it, then fork workers).

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashSet;
use std::io::Read;
use std::os::fd::FromRawFd;

const CHILDREN: usize = 4;

/// Forks a child that runs `work` and writes its answer to a pipe; returns it.
fn in_child(work: impl FnOnce() -> Value) -> Value {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    match unsafe { libc::fork() } {
        0 => {
            // Child: do the work, then _exit without unwinding.
            let out = work().to_string();
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

/// A child that enrols a user and answers with the create response.
fn enrol_in_child() -> Value {
    in_child(|| Api::memory().enrolled_user().1)
}

/// The request IDs of `n` calls that change nothing.
fn request_ids(api: &Api, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let unknown = "/v1/users/user-test-00000000-0000-4000-8000-000000000000";
            let (status, body) = api.call("GET", unknown, &serde_json::json!({}));
            assert_eq!(status, 404);
            body["request_id"].as_str().unwrap().to_owned()
        })
        .collect()
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

#[test]
fn forked_children_never_repeat_request_ids() {
    // Request IDs come from a per-thread generator: seed it before forking, so
    // that each child starts from a copy of the parent's state.
    let api = Api::memory();
    let mut seen: HashSet<String> = request_ids(&api, 3).into_iter().collect();
    let per_call = 5;
    for _ in 0..CHILDREN {
        let child = in_child(|| Value::from(request_ids(&api, per_call)));
        // Without a reseed the child's IDs would be exactly these.
        let parent = request_ids(&api, per_call);
        let child: Vec<String> = serde_json::from_value(child).unwrap();
        assert_eq!(child.len(), per_call);
        for id in child.into_iter().chain(parent) {
            assert!(seen.insert(id.clone()), "request ID {id} was repeated");
        }
    }
}
