//! The PostgreSQL server the tests use: its URL comes from
//! `STYTCH_TOTP_TEST_POSTGRES`, which `tests/pg/with-postgres.sh` sets for a
//! throwaway cluster (`make test` runs the Rust tests under it). Each test works
//! in a schema of its own, so tests run in parallel on one server.

use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::Command;

pub const URL_VAR: &str = "STYTCH_TOTP_TEST_POSTGRES";
pub const CTL_VAR: &str = "STYTCH_TOTP_TEST_PG_CTL";

/// The test server's URL. Fails (never skips) when it is not set.
pub fn url() -> String {
    std::env::var(URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{URL_VAR} is not set: this test needs PostgreSQL. Run it with a throwaway \
             server, `tests/pg/with-postgres.sh cargo test --release --test <name>` (or \
             `make test-rust`), or point {URL_VAR} at a server where it may create schemas, \
             e.g. postgresql://user:password@localhost:5432/db?sslmode=disable"
        )
    })
}

/// Runs the cluster control script (`restart-fast`, `tls CERT KEY`, …). Fails
/// when the tests were not started by `tests/pg/with-postgres.sh`.
pub fn ctl(args: &[&str]) {
    let script = std::env::var(CTL_VAR).unwrap_or_else(|_| {
        panic!(
            "{CTL_VAR} is not set: this test restarts or reconfigures its PostgreSQL \
             server, so it runs only under tests/pg/with-postgres.sh (make test-rust)"
        )
    });
    let status = Command::new(script).args(args).status().unwrap();
    assert!(status.success(), "pg ctl {args:?}: {status}");
}

/// A schema name no other test uses.
pub fn fresh_schema(tag: &str) -> String {
    let mut bytes = [0u8; 6];
    getrandom(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("t_{tag}_{hex}")
}

fn getrandom(buf: &mut [u8]) {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .unwrap()
        .read_exact(buf)
        .unwrap();
}

/// The client configuration for `schema` on the test server, with `extra` keys.
pub fn config(schema: &str, extra: Value) -> Value {
    let mut config = json!({"database": url(), "postgres": {"schema": schema}});
    if let (Some(config), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            config.insert(key.clone(), value.clone());
        }
    }
    config
}

/// A plain connection for looking into the database behind the library's back.
pub fn admin() -> postgres::Client {
    postgres::Client::connect(&url(), postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR}: {e}"))
}

/// Drops a test's schema (at the end of a test that passed).
pub fn drop_schema(schema: &str) {
    admin()
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

/// Every `user_id` in a test's schema.
pub fn user_ids(db: &mut postgres::Client, schema: &str) -> HashSet<String> {
    db.query(&format!("SELECT user_id FROM {schema}.users"), &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}
