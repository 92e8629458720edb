//! `code`, and the help of every subcommand.

use crate::harness::*;

/// RFC 6238's SHA-1 key, "12345678901234567890", in base32.
const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn the_code_at_a_time_is_rfc_6238s() {
    // RFC 6238, appendix B (the last six of its eight digits).
    for (time, expected) in [
        ("59", "287082"),
        ("1111111109", "081804"),
        ("2000000000", "279037"),
    ] {
        let run = run(&["code", RFC_SECRET, "--time", time]).expect(0);
        assert_eq!(run.stdout, format!("{expected}\n"));
    }
    // Lower case and padding, as people paste secrets.
    let pasted = format!("{}====", RFC_SECRET.to_lowercase());
    let run = run(&["code", &pasted, "--time", "59"]).expect(0);
    assert_eq!(run.stdout, "287082\n");
}

#[test]
fn the_code_comes_as_json_with_its_validity_and_from_stdin() {
    let run = run_with(
        &["code", "-", "--time", "59", "--json"],
        &[],
        &format!("{RFC_SECRET}\n"),
    );
    let body = run.expect(0).json();
    assert_eq!(body["code"], "287082");
    assert_eq!(body["unix_time"], 59);
    assert_eq!(body["valid_from"], 30);
    assert_eq!(body["valid_until"], 60);
}

#[test]
fn the_code_now_is_the_librarys() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = run(&["code", RFC_SECRET, "--json"]).expect(0).json();
    let at = body["unix_time"].as_i64().unwrap();
    assert!((before..before + 60).contains(&at), "{at} is not now");
    assert_eq!(body["code"], code(RFC_SECRET, at));
}

#[test]
fn a_bad_secret_is_a_usage_error_that_does_not_repeat_it() {
    for bad in ["not-base32-s3cr3t!", "ABC1=X", ""] {
        let run = run(&["code", bad]).expect(2);
        assert!(run.stderr.contains("not base32"), "{}", run.stderr);
        if !bad.is_empty() {
            run.hides(bad);
        }
    }
    let run = run(&["code", "-", "--json"]).expect(2);
    assert_eq!(run.json()["error_type"], "usage");
    assert_eq!(run.json()["exit_code"], 2);
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for args in [
        &["code", "--help"][..],
        &["qr", "--help"],
        &["users", "get", "--help"],
        &["users", "delete", "--help"],
        &["users", "unlock", "--help"],
        &["totps", "list", "--help"],
        &["totps", "delete", "--help"],
        &["doctor", "--help"],
        &["keys", "check", "--help"],
        &["keys", "rotate", "--help"],
        &["store", "copy", "--help"],
    ] {
        let run = run(args).expect(0);
        assert!(
            run.stdout.contains("stytch-totp ") && run.stdout.contains("xample"),
            "{args:?} has no example:\n{}",
            run.stdout
        );
    }
    let run = run(&["--help"]).expect(0);
    assert!(run.stdout.contains("Exit codes"));
    // A bad command line is exit 2.
    run_with(&["users", "frobnicate"], &[], "").expect(2);
    run_with(&["code"], &[], "").expect(2);
}
