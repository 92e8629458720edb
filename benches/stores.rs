//! The three stores side by side, in one run on one machine: create (a TOTP
//! for an existing user) and authenticate (a correct code), with 1, 4 and 16
//! threads calling one client at once; latency p50 / p99 per call, throughput,
//! and PostgreSQL round trips per call.
//!
//! `make bench-stores` runs it against a throwaway local PostgreSQL cluster
//! (tests/pg/with-postgres.sh); `cargo bench --bench stores` against the
//! server in `STYTCH_TOTP_TEST_POSTGRES`. `STYTCH_TOTP_BENCH_CALLS` sets the
//! creates per row (default 480; authentications are three times as many).

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use stytch_totp::Client;
use stytch_totp::engine::CreateUserRequest;
use stytch_totp::otp::CodeGenerator;
use stytch_totp::store::postgres::round_trips;

const T: i64 = 1_700_000_010;
const CONCURRENCY: [usize; 3] = [1, 4, 16];

struct Row {
    store: &'static str,
    operation: &'static str,
    threads: usize,
    p50: Duration,
    p99: Duration,
    per_second: f64,
    round_trips: f64,
}

/// Runs `call(thread, i)` for `i` in `0..per_thread` on `threads` threads
/// released together; returns every latency and the wall time.
fn measure(
    threads: usize,
    per_thread: usize,
    call: Arc<dyn Fn(usize, usize) + Send + Sync>,
) -> (Vec<Duration>, Duration) {
    let barrier = Arc::new(Barrier::new(threads + 1));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (barrier, call) = (barrier.clone(), call.clone());
            std::thread::spawn(move || {
                barrier.wait();
                (0..per_thread)
                    .map(|i| {
                        let started = Instant::now();
                        call(t, i);
                        started.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let mut latencies: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let wall = started.elapsed();
    latencies.sort_unstable();
    (latencies, wall)
}

/// A user with an email no other user of the run has (emails are unique).
fn new_user() -> CreateUserRequest {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    CreateUserRequest {
        email: Some(format!("bench-{}-{n}@example.com", std::process::id())),
        ..CreateUserRequest::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn bench_store(store: &'static str, config: &str, creates: usize, rows: &mut Vec<Row>) {
    for threads in CONCURRENCY {
        let client = Arc::new(Client::from_config_json(Some(config)).unwrap());
        client.set_time(T).unwrap();
        let per_thread = creates / threads;
        let users: Arc<Vec<Vec<String>>> = Arc::new(
            (0..threads)
                .map(|_| {
                    (0..per_thread)
                        .map(|_| client.create_user(&new_user()).unwrap().user_id)
                        .collect()
                })
                .collect(),
        );
        let secrets: Arc<Vec<Vec<std::sync::Mutex<String>>>> = Arc::new(
            (0..threads)
                .map(|_| (0..per_thread).map(|_| Default::default()).collect())
                .collect(),
        );

        let before = round_trips();
        let create = {
            let (client, users, secrets) = (client.clone(), users.clone(), secrets.clone());
            Arc::new(move |t: usize, i: usize| {
                let totp = client.create_totp(&users[t][i], None).unwrap();
                *secrets[t][i].lock().unwrap() = totp.secret.expose().to_owned();
            })
        };
        let (latencies, wall) = measure(threads, per_thread, create);
        rows.push(row(store, "create", threads, &latencies, wall, before));

        // Three correct codes per TOTP: the steps before, at and after now.
        let codes: Arc<Vec<Vec<[String; 3]>>> = Arc::new(
            secrets
                .iter()
                .map(|thread| {
                    thread
                        .iter()
                        .map(|secret| {
                            let generator =
                                CodeGenerator::from_base32(&secret.lock().unwrap()).unwrap();
                            [-30, 0, 30].map(|dt| {
                                String::from_utf8(generator.code_at(T + dt).to_vec()).unwrap()
                            })
                        })
                        .collect()
                })
                .collect(),
        );
        let before = round_trips();
        let authenticate = {
            let (client, users) = (client.clone(), users.clone());
            Arc::new(move |t: usize, i: usize| {
                let (user, step) = (i / 3, i % 3);
                client
                    .authenticate_totp(&users[t][user], &codes[t][user][step])
                    .unwrap();
            })
        };
        let (latencies, wall) = measure(threads, per_thread * 3, authenticate);
        rows.push(row(
            store,
            "authenticate",
            threads,
            &latencies,
            wall,
            before,
        ));
    }
}

fn row(
    store: &'static str,
    operation: &'static str,
    threads: usize,
    latencies: &[Duration],
    wall: Duration,
    trips_before: u64,
) -> Row {
    let row = Row {
        store,
        operation,
        threads,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        per_second: latencies.len() as f64 / wall.as_secs_f64(),
        round_trips: (round_trips() - trips_before) as f64 / latencies.len() as f64,
    };
    eprintln!(
        "{store:>10} {operation:>12} x{threads:<2}: p50 {:?} p99 {:?} {:.0}/s",
        row.p50, row.p99, row.per_second
    );
    row
}

fn micros(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    match us {
        us if us >= 1000.0 => format!("{:.2} ms", us / 1000.0),
        us => format!("{us:.0} µs"),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let creates: usize = std::env::var("STYTCH_TOTP_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(480);
    let url = std::env::var("STYTCH_TOTP_TEST_POSTGRES").unwrap_or_else(|_| {
        eprintln!(
            "STYTCH_TOTP_TEST_POSTGRES is not set: run `make bench-stores`, or set it to \
             a PostgreSQL URL where this benchmark may create a schema"
        );
        std::process::exit(2);
    });
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("bench.db");
    let schema = format!("bench_{}", std::process::id());
    let mut rows = Vec::new();
    bench_store("memory", r#"{"database": ":memory:"}"#, creates, &mut rows);
    let config = serde_json::json!({"database": sqlite.to_str().unwrap()}).to_string();
    bench_store("SQLite", &config, creates, &mut rows);
    let config = serde_json::json!({"database": url, "postgres": {"schema": schema}}).to_string();
    bench_store("PostgreSQL", &config, creates, &mut rows);
    if let Ok(mut admin) = postgres::Client::connect(&url, postgres::NoTls) {
        let _ = admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
    }

    println!("| store | operation | threads | p50 | p99 | calls/s | round trips/call |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        let trips = match r.store {
            "PostgreSQL" => format!("{:.2}", r.round_trips),
            _ => "–".to_owned(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {} |",
            r.store,
            r.operation,
            r.threads,
            micros(r.p50),
            micros(r.p99),
            r.per_second,
            trips
        );
    }
}
