//! Children of a `fork()` must not repeat each other's secrets, recovery codes
//! or IDs (prefork servers load the library, use it, then fork workers).

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashSet;
use std::time::Duration;

const CHILDREN: usize = 4;

/// Forks a child that runs `work`; returns its answer.
fn in_child(work: impl FnOnce() -> Value) -> Value {
    let answer = in_forked_child(|| work().to_string(), Duration::from_secs(60));
    serde_json::from_str(&answer.expect("the child hung")).unwrap()
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
    // that each child starts from a copy of the parent's state. (The child
    // makes a client of its own: the parent's fails there.)
    let api = Api::memory();
    let mut seen: HashSet<String> = request_ids(&api, 3).into_iter().collect();
    let per_call = 5;
    for _ in 0..CHILDREN {
        let child = in_child(|| Value::from(request_ids(&Api::memory(), per_call)));
        // Without a reseed the child's IDs would be exactly these.
        let parent = request_ids(&api, per_call);
        let child: Vec<String> = serde_json::from_value(child).unwrap();
        assert_eq!(child.len(), per_call);
        for id in child.into_iter().chain(parent) {
            assert!(seen.insert(id.clone()), "request ID {id} was repeated");
        }
    }
}
