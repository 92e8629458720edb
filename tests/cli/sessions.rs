//! `sessions purge`: expired sessions go, the live one and everything else stay.

use crate::harness::*;
use serde_json::{Value, json};
use stytch_totp::engine::{Client, Config};

const PROJECT: &str = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

/// Signs `user` in at `t` with a session of `minutes`; returns its token.
fn session(client: &Client, user: &Enrolled, t: i64, minutes: i64) -> String {
    client.set_time(t).unwrap();
    let body = json!({"user_id": user.user_id, "totp_code": code(&user.secret, t),
                      "session_duration_minutes": minutes});
    let reply = client.call("POST", "/v1/totps/authenticate", Some(&body.to_string()));
    let reply: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(reply["status_code"], 200, "{reply}");
    reply["session_token"].as_str().unwrap().to_owned()
}

fn authenticate(client: &Client, token: &str) -> Value {
    let body = json!({"session_token": token}).to_string();
    serde_json::from_str(&client.call("POST", "/v1/sessions/authenticate", Some(&body))).unwrap()
}

#[test]
fn purge_deletes_the_expired_sessions_and_nothing_else() {
    let (_dir, path) = scratch();
    let with_project = || Config {
        project_id: Some(PROJECT.into()),
        ..config(&path, &[])
    };
    let client = Client::new(with_project()).unwrap();
    let now = client.now().unwrap();
    // Every write happens before any session expires, so that the purge
    // writes do as they pass finds nothing: two five-minute sessions that
    // have expired by `now`, and an hour-long one.
    client.set_time(now - 400).unwrap();
    let user = enrol(&client, None);
    let expired = [
        session(&client, &user, now - 370, 5),
        session(&client, &user, now - 340, 5),
    ];
    let live = session(&client, &user, now - 310, 60);
    drop(client);

    let body = run(&["sessions", "purge", "--store", &path, "--json"])
        .expect(0)
        .json();
    assert_eq!(body, json!({"purged": 2}));
    let again = run(&["sessions", "purge", "--store", &path, "--batch", "1"]).expect(0);
    assert_eq!(again.stdout, "deleted 0 expired session(s)\n");

    let client = Client::new(with_project()).unwrap();
    assert_eq!(authenticate(&client, &live)["status_code"], 200);
    for token in &expired {
        assert_eq!(
            authenticate(&client, token)["error_type"],
            "session_not_found"
        );
    }
    let totps = client.get_user(&user.user_id).unwrap().user.totps;
    assert_eq!(totps.len(), 1);
    assert_eq!(totps[0].totp_id, user.totp_id);
    run(&["sessions", "purge", "--store", &path, "--batch", "0"]).expect(2);
}
