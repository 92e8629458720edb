//! What only the PostgreSQL store has: connection strings, the schema and its
//! versions, round trips, SERIALIZABLE servers, an unreachable server, callers
//! inside an async runtime, and TLS.

mod common;

use common::*;
use serde_json::{Value, json};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use stytch_totp::store::postgres::{conflict_retries, round_trips};

const T: i64 = 1_700_000_010;

/// The tests of this file run one at a time: one counts the round trips of
/// the whole process, one reconfigures the server.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn error_type(body: &Value) -> &str {
    body["error_type"].as_str().unwrap_or("")
}

/// The test server's URL split into (user@host:port, database, query).
fn url_parts() -> (String, String) {
    let url = pg::url();
    let rest = url.split_once("://").unwrap().1;
    let (authority, path) = rest.split_once('/').unwrap();
    let database = path.split('?').next().unwrap().to_owned();
    (authority.to_owned(), database)
}

fn port() -> u16 {
    let (authority, _) = url_parts();
    authority.rsplit_once(':').unwrap().1.parse().unwrap()
}

#[test]
fn the_key_value_form_works_like_the_url() {
    let _serial = serial();
    let (authority, database) = url_parts();
    let (user, host_port) = authority.split_once('@').unwrap();
    let (host, port) = host_port.rsplit_once(':').unwrap();
    let schema = pg::fresh_schema("kv");
    let kv = format!("host={host} port={port} user='{user}' dbname = {database} sslmode=disable");
    let api = Api::new(json!({"database": kv, "postgres": {"schema": schema}}));
    api.set_time(T);
    let (user_id, _) = api.enrolled_user();
    // The same data through the URL form.
    let api = Api::new(pg::config(&schema, json!({})));
    api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    pg::drop_schema(&schema);
}

#[test]
fn bad_settings_are_invalid_config() {
    let _serial = serial();
    let url = pg::url();
    for (config, says) in [
        (
            json!({"database": "postgres://h/db?sslmode=sometimes"}),
            "sslmode",
        ),
        (
            json!({"database": "postgres://h/db?sslmode=verify-full"}),
            "sslrootcert",
        ),
        (json!({"database": "host=h port=x"}), "port"),
        (
            json!({"database": url, "postgres": {"schema": "Bad-Name"}}),
            "schema",
        ),
        (
            json!({"database": url, "postgres": {"max_connections": 0}}),
            "max_connections",
        ),
        (
            json!({"database": url, "postgres": {"connect_timeout_ms": 1}}),
            "connect_timeout_ms",
        ),
        (
            json!({"database": url, "postgres": {"statement_timeout_ms": "5"}}),
            "statement_timeout_ms",
        ),
        (json!({"database": url, "postgres": {"pool": 3}}), "pool"),
        (
            json!({"database": ":memory:", "postgres": {}}),
            "PostgreSQL",
        ),
    ] {
        let err = Api::try_new(config.clone()).err().expect("accepted");
        assert_eq!(err["error_type"], "invalid_config", "{config}: {err}");
        let message = err["error_message"].as_str().unwrap();
        assert!(message.contains(says), "{config}: {message}");
    }
}

#[test]
fn the_schema_is_created_versioned_and_stores_secrets_as_bytea() {
    let _serial = serial();
    let schema = pg::fresh_schema("schema");
    let api = Api::new(pg::config(&schema, json!({})));
    api.set_time(T);
    api.enrolled_user();
    let mut db = pg::admin();
    let version: i32 = db
        .query_one(&format!("SELECT version FROM {schema}.schema_version"), &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 3);
    // Emails and phone numbers are unique: an email compared with A-Z folded.
    let unique: Vec<String> = db
        .query(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'users' \
             AND indexname IN ('users_by_email', 'users_by_phone_number') ORDER BY indexname",
            &[&schema],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(unique.len(), 2, "{unique:?}");
    assert!(
        unique[0].starts_with("CREATE UNIQUE INDEX users_by_email"),
        "{unique:?}"
    );
    assert!(unique[0].contains("translate(email"), "{unique:?}");
    assert!(
        unique[1].starts_with("CREATE UNIQUE INDEX users_by_phone_number"),
        "{unique:?}"
    );
    let types: Vec<(String, String)> = db
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name = 'totps' \
             AND column_name IN ('secret', 'recovery_codes') ORDER BY 1",
            &[&schema],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        types,
        [
            ("recovery_codes".to_owned(), "bytea".to_owned()),
            ("secret".to_owned(), "bytea".to_owned())
        ]
    );
    // Nothing in the default schema.
    let public: i64 = db
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(public, 0);
    pg::drop_schema(&schema);
}

#[test]
fn hosts_starting_together_create_the_schema_once() {
    let _serial = serial();
    let schema = pg::fresh_schema("race");
    let config = pg::config(&schema, json!({}));
    let barrier = Arc::new(Barrier::new(12));
    let threads: Vec<_> = (0..12)
        .map(|_| {
            let (config, barrier) = (config.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Api::try_new(config).map(drop)
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().expect("a client failed to open");
    }
    let rows = pg::admin()
        .query(&format!("SELECT version FROM {schema}.schema_version"), &[])
        .unwrap();
    assert_eq!(rows.len(), 1);
    pg::drop_schema(&schema);
}

#[test]
fn a_newer_schema_is_refused() {
    let _serial = serial();
    let schema = pg::fresh_schema("newer");
    drop(Api::new(pg::config(&schema, json!({}))));
    pg::admin()
        .batch_execute(&format!("UPDATE {schema}.schema_version SET version = 4"))
        .unwrap();
    let err = Api::try_new(pg::config(&schema, json!({}))).err().unwrap();
    assert_eq!(err["status_code"], 500, "{err}");
    let message = err["error_message"].as_str().unwrap();
    assert!(
        message.contains("version 4") && message.contains("newer"),
        "{message}"
    );
    pg::drop_schema(&schema);
}

#[test]
fn a_version_1_schema_gains_the_sessions_table_and_the_version_3_indexes_and_keeps_its_users() {
    let _serial = serial();
    let schema = pg::fresh_schema("v1");
    let api = Api::new(pg::config(&schema, json!({})));
    api.set_time(T);
    let (user_id, _) = api.enrolled_user();
    drop(api);
    pg::admin()
        .batch_execute(&format!(
            "DROP TABLE {schema}.sessions; DROP INDEX {schema}.users_by_email; \
             DROP INDEX {schema}.users_by_phone_number; \
             UPDATE {schema}.schema_version SET version = 1"
        ))
        .unwrap();
    let api = Api::new(pg::config(&schema, json!({})));
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["user_id"], user_id.as_str());
    let mut db = pg::admin();
    let version: i32 = db
        .query_one(&format!("SELECT version FROM {schema}.schema_version"), &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 3);
    let indexes: i64 = db
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = $1 \
             AND indexname IN ('users_by_email', 'users_by_phone_number', 'sessions_by_expiry')",
            &[&schema],
        )
        .unwrap()
        .get(0);
    assert_eq!(indexes, 3);
    let sessions: i64 = db
        .query_one(&format!("SELECT count(*) FROM {schema}.sessions"), &[])
        .unwrap()
        .get(0);
    assert_eq!(sessions, 0);
    pg::drop_schema(&schema);
}

/// Round trips of `call`, counted by the library.
fn round_trips_of(call: impl FnOnce()) -> u64 {
    let before = round_trips();
    call();
    round_trips() - before
}

#[test]
fn round_trips_per_call() {
    let _serial = serial();
    let schema = pg::fresh_schema("trips");
    let api = Api::new(pg::config(&schema, json!({})));
    api.set_time(T);
    // A client's first write (then one a minute of its clock) also purges
    // the pending TOTPs expired for a day and a batch of expired sessions:
    // two round trips more.
    let purging_write = round_trips_of(|| {
        api.new_user();
    });
    let mut user_id = String::new();
    let create_user = round_trips_of(|| user_id = api.new_user());
    let mut totp = Value::Null;
    let create_totp =
        round_trips_of(|| totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id})));
    let code = code_at(secret_of(&totp), T);
    let authenticate = round_trips_of(|| assert_eq!(api.authenticate(&user_id, &code).0, 200));
    let wrong = round_trips_of(|| assert_eq!(api.authenticate(&user_id, "000000").0, 401));
    let recovery = totp["recovery_codes"][0].as_str().unwrap();
    let recover = round_trips_of(|| assert_eq!(api.recover(&user_id, recovery).0, 200));
    let get = round_trips_of(|| {
        api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    });
    let create_user_external = round_trips_of(|| {
        api.create_user(json!({"external_id": "x", "phone_number": "+12025550123"}));
    });
    println!(
        "round trips: create user {create_user} ({create_user_external} with an external_id, \
         {purging_write} with the purge), \
         create TOTP {create_totp}, authenticate {authenticate}, wrong code {wrong}, recover \
         {recover}, get user {get}"
    );
    // BEGIN + the meta records + lock the user + its TOTPs; then the writes
    // + COMMIT. (The lockout policy and the record of keys in use come with
    // the first read, so a wrong code and a recovery do not wait for them.)
    assert_eq!(authenticate, 2);
    assert_eq!(wrong, 2);
    assert_eq!(recover, 2);
    assert_eq!(get, 2);
    // A new user's ID, external_id, email and phone number are looked up in
    // one read, with BEGIN; then the insert + COMMIT.
    assert_eq!(create_user_external, 2);
    assert_eq!(create_user, 2);
    assert_eq!(purging_write, 4);
    assert_eq!(create_totp, 3);
    pg::drop_schema(&schema);
}

#[test]
fn a_serializable_server_gives_the_same_results() {
    let _serial = serial();
    let schema = pg::fresh_schema("serializable");
    let url = pg::url();
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20default_transaction_isolation%3Dserializable");
    let threads = 16;
    let config = json!({"database": url, "postgres": {"schema": schema},
                        "lockout": {"max_failures": threads * 2 + 1}});
    let api = Arc::new(Api::new(config));
    api.set_time(T);
    let retries_before = conflict_retries();
    for _ in 0..3 {
        let (user_id, totp) = api.enrolled_user();
        let code = code_at(secret_of(&totp), T);
        let statuses = race(&api, threads, {
            let user_id = user_id.clone();
            move |api| api.authenticate(&user_id, &code).0
        });
        assert_eq!(
            statuses.iter().filter(|&&s| s == 200).count(),
            1,
            "{statuses:?}"
        );
        let statuses = race(&api, threads, {
            let user_id = user_id.clone();
            move |api| {
                api.authenticate(&user_id, "000000")
                    .0
                    .max(api.authenticate(&user_id, "000000").0)
            }
        });
        assert!(statuses.iter().all(|&s| s == 401), "{statuses:?}");
        assert_eq!(api.authenticate(&user_id, "000000").0, 401);
        assert_eq!(api.authenticate(&user_id, "000000").0, 429);
    }
    assert!(
        conflict_retries() > retries_before,
        "no serialization failure was retried: the race did not race"
    );
    pg::drop_schema(&schema);
}

#[test]
fn an_unreachable_server_is_database_unavailable_at_once() {
    let _serial = serial();
    // A port nothing listens on: the connection is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let started = Instant::now();
    let err = Api::try_new(json!({
        "database": format!("postgresql://u:hunter2@127.0.0.1:{port}/db?sslmode=disable"),
        "postgres": {"connect_timeout_ms": 60000},
    }))
    .err()
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        (err["status_code"].as_u64(), error_type(&err)),
        (Some(503), "database_unavailable"),
        "{err}"
    );
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn a_caller_inside_an_async_runtime_gets_an_error_not_a_panic() {
    let _serial = serial();
    let schema = pg::fresh_schema("tokio");
    let config = pg::config(&schema, json!({})).to_string();
    let client = stytch_totp::Client::from_config_json(Some(&config)).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = runtime
        .block_on(async { client.get_user("user-test-00000000-0000-4000-8000-000000000000") });
    let err = result.expect_err("a call from inside a runtime cannot succeed");
    assert_eq!(err.status_code, 500);
    assert!(
        err.error_message.contains("spawn_blocking"),
        "{}",
        err.error_message
    );
    // The same client works from a plain thread.
    let err = client
        .get_user("user-test-00000000-0000-4000-8000-000000000000")
        .unwrap_err();
    assert_eq!(err.error_type, "user_not_found");
    drop(runtime);
    pg::drop_schema(&schema);
}

/// A CA named `ca_name`, and a server certificate for `localhost` that it signed.
fn certificates(dir: &std::path::Path, ca_name: &str) -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, ca_name);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let write = |name: &str, pem: String| {
        let path = dir.join(name);
        std::fs::write(&path, pem).unwrap();
        path.to_str().unwrap().to_owned()
    };
    (
        write("ca.pem", ca_cert.pem()),
        write("server.crt", server.pem()),
        write("server.key", server_key.serialize_pem()),
    )
}

#[test]
fn tls_with_a_private_ca_is_verified() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path(), "stytch-totp test CA");
    pg::ctl(&["tls", &cert, &key]);
    let (authority, database) = url_parts();
    let user = authority.split_once('@').unwrap().0;
    let port = port();
    let schema = pg::fresh_schema("tls");
    let url = |host: &str, params: &str| {
        json!({"database": format!("postgresql://{user}@{host}:{port}/{database}?{params}"),
               "postgres": {"schema": schema}})
    };

    // verify-full with the CA file: connected, over TLS.
    let api = Api::new(url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ));
    api.set_time(T);
    api.enrolled_user();
    let encrypted: i64 = pg::admin()
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE s.ssl AND a.application_name = 'stytch_totp'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(encrypted >= 1, "no TLS connection from the library");

    // Another CA: refused, saying why.
    let other = tempfile::tempdir().unwrap();
    let (other_ca, _, _) = certificates(other.path(), "another CA");
    for params in [
        format!("sslmode=verify-full&sslrootcert={other_ca}"),
        format!("sslmode=verify-ca&sslrootcert={other_ca}"),
    ] {
        let err = Api::try_new(url("localhost", &params))
            .err()
            .expect(&params);
        let message = err["error_message"].as_str().unwrap();
        assert!(
            message.contains("TLS") && message.contains("UnknownIssuer"),
            "{params}: {message}"
        );
    }
    // No CA file at all: a configuration error.
    let err = Api::try_new(url("localhost", "sslmode=verify-full"))
        .err()
        .unwrap();
    assert_eq!(err["error_type"], "invalid_config", "{err}");
    // The right CA, but a name the certificate does not have: verify-full
    // refuses, verify-ca (which checks no name) accepts.
    let err = Api::try_new(url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ))
    .err()
    .unwrap();
    let message = err["error_message"].as_str().unwrap();
    assert!(message.contains("not valid for name"), "{message}");
    Api::new(url(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={ca}"),
    ));
    // require: encrypted, certificate unchecked (as libpq).
    Api::new(url("localhost", "sslmode=require"));
    pg::drop_schema(&schema);
}

/// Two hosts open a new store at once, one with a key the other does not
/// know by the same id (or another lockout policy): the store keeps one, and
/// exactly one host opens. Without a lock on the meta records both would
/// read "no check yet", both write their own, and the last would win.
#[test]
fn hosts_opening_a_new_store_at_once_agree_on_keys_and_policy() {
    let _serial = serial();
    let key = |byte: u8| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode([byte; 32])
    };
    let variants = [
        (
            json!({"encryption_keys": [{"id": "k", "key": key(1)}]}),
            json!({"encryption_keys": [{"id": "k", "key": key(2)}]}),
            "encryption_key_mismatch",
        ),
        (
            json!({"lockout": {"max_failures": 3}}),
            json!({"lockout": {"max_failures": 4}}),
            "lockout_policy_mismatch",
        ),
    ];
    for (a, b, refusal) in variants {
        for round in 0..4 {
            let schema = pg::fresh_schema("meta_race");
            let barrier = Arc::new(Barrier::new(2));
            let hosts: Vec<_> = [a.clone(), b.clone()]
                .into_iter()
                .map(|extra| {
                    let config = pg::config(&schema, extra);
                    let barrier = barrier.clone();
                    std::thread::spawn(move || {
                        barrier.wait();
                        Api::try_new(config).map(drop)
                    })
                })
                .collect();
            let results: Vec<_> = hosts.into_iter().map(|h| h.join().unwrap()).collect();
            let opened = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(opened, 1, "round {round}: {results:?}");
            let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
            assert_eq!(refused["error_type"], refusal, "{refused}");
            pg::drop_schema(&schema);
        }
    }
}
