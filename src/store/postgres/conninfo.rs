//! The `database` setting of a PostgreSQL store: libpq's URL form
//! (`postgres://…`, `postgresql://…`) or its key=value form (`host=… dbname=…`).
//!
//! rust-postgres parses both forms but knows neither `sslmode=verify-ca` /
//! `verify-full` nor `sslrootcert`; those two are taken out here and the rest
//! is handed over unchanged.

use percent_encoding::percent_decode_str;
use std::path::PathBuf;
use tokio_postgres::config::SslMode as WireSslMode;

/// libpq's `sslmode`, as far as a client without OpenSSL can honour it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disable,
    /// TLS when the server offers it, else plain; the certificate is not checked.
    Prefer,
    /// TLS; the certificate is not checked (unless a CA file is given: then as `VerifyCa`).
    Require,
    /// TLS; the certificate must chain to the CA file.
    VerifyCa,
    /// TLS; the certificate must chain to the CA file and name the host.
    VerifyFull,
}

/// A parsed connection string.
pub struct ConnInfo {
    pub config: tokio_postgres::Config,
    pub ssl_mode: SslMode,
    /// `sslrootcert`: a PEM file of trusted CA certificates.
    pub root_cert: Option<PathBuf>,
}

/// libpq's connection keywords that rust-postgres understands, plus the two
/// handled here. A key=value string must start with one of them.
const KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "options",
    "application_name",
    "sslmode",
    "sslrootcert",
    "sslnegotiation",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

const URL_PREFIXES: [&str; 2] = ["postgres://", "postgresql://"];

/// Whether `database` names a PostgreSQL server rather than an SQLite file: a
/// URL starting with `postgres://` or `postgresql://`, or a key=value string
/// whose first word is `<libpq keyword>=` (`host=db.internal dbname=app`). An
/// SQLite file whose name looks like that is written with a directory, as in
/// `./host=x`.
pub fn is_postgres(database: &str) -> bool {
    if URL_PREFIXES.iter().any(|p| database.starts_with(p)) {
        return true;
    }
    let first = database.trim_start();
    let key_end = first
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(first.len());
    let rest = first[key_end..].trim_start();
    KEYWORDS.contains(&&first[..key_end]) && rest.starts_with('=')
}

/// Parses a connection string. Errors say what is wrong without repeating
/// the string (it may hold a password).
pub fn parse(database: &str) -> Result<ConnInfo, String> {
    let mut ssl_mode = None;
    let mut root_cert = None;
    let mut take = |key: &str, value: &str| -> Result<bool, String> {
        match key {
            "sslmode" => {
                ssl_mode = Some(match value {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    _ => {
                        return Err(
                            "sslmode must be disable, prefer, require, verify-ca or verify-full"
                                .into(),
                        );
                    }
                })
            }
            "sslrootcert" if value.is_empty() => return Err("sslrootcert is empty".into()),
            "sslrootcert" => root_cert = Some(PathBuf::from(value)),
            _ => return Ok(false),
        }
        Ok(true)
    };
    let rest = match URL_PREFIXES.iter().any(|p| database.starts_with(p)) {
        true => strip_url_params(database, &mut take)?,
        false => strip_key_values(database, &mut take)?,
    };
    let mut config: tokio_postgres::Config = rest
        .parse()
        .map_err(|e| format!("not a PostgreSQL connection string ({})", source_text(&e)))?;
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        return Err("the PostgreSQL connection string names no host".into());
    }
    let ssl_mode = match (ssl_mode.unwrap_or(SslMode::Prefer), &root_cert) {
        // libpq: a CA file turns `require` into `verify-ca`.
        (SslMode::Require, Some(_)) => SslMode::VerifyCa,
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(
                "sslmode verify-ca and verify-full need sslrootcert=<file of CA certificates>"
                    .into(),
            );
        }
        (mode, _) => mode,
    };
    config.ssl_mode(match ssl_mode {
        SslMode::Disable => WireSslMode::Disable,
        SslMode::Prefer => WireSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => WireSslMode::Require,
    });
    if config.get_application_name().is_none() {
        config.application_name("stytch_totp");
    }
    Ok(ConnInfo {
        config,
        ssl_mode,
        root_cert,
    })
}

/// rust-postgres's parse errors name the option at fault in their source.
fn source_text(e: &tokio_postgres::Error) -> String {
    match std::error::Error::source(e) {
        Some(source) => source.to_string(),
        None => e.to_string(),
    }
}

/// Removes the parameters `take` claims from a URL's query string.
fn strip_url_params(
    url: &str,
    take: &mut impl FnMut(&str, &str) -> Result<bool, String>,
) -> Result<String, String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(url.to_owned());
    };
    let mut kept = Vec::new();
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| "the URL has a parameter that is not UTF-8".to_owned())
        };
        if !take(&decode(key)?, &decode(value)?)? {
            kept.push(param);
        }
    }
    Ok(match kept.is_empty() {
        true => base.to_owned(),
        false => format!("{base}?{}", kept.join("&")),
    })
}

/// Removes the pairs `take` claims from a key=value string, re-quoting the rest.
fn strip_key_values(
    text: &str,
    take: &mut impl FnMut(&str, &str) -> Result<bool, String>,
) -> Result<String, String> {
    let mut kept = Vec::new();
    for (key, value) in key_values(text)? {
        if !take(&key, &value)? {
            let quoted = value.replace('\\', "\\\\").replace('\'', "\\'");
            kept.push(format!("{key}='{quoted}'"));
        }
    }
    Ok(kept.join(" "))
}

/// libpq's key=value syntax: `key = value` pairs separated by whitespace; a
/// value may be single-quoted; a backslash escapes the next character.
fn key_values(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    let skip_spaces = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
    };
    loop {
        skip_spaces(&mut chars);
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        skip_spaces(&mut chars);
        if chars.next() != Some('=') {
            return Err(format!("`{key}` in the connection string has no `=value`"));
        }
        skip_spaces(&mut chars);
        let mut value = String::new();
        let quoted = chars.next_if_eq(&'\'').is_some();
        loop {
            match chars.next() {
                Some('\\') => match chars.next() {
                    Some(c) => value.push(c),
                    None => return Err(format!("the value of `{key}` ends with a backslash")),
                },
                Some('\'') if quoted => break,
                Some(c) if !quoted && c.is_whitespace() => break,
                Some(c) => value.push(c),
                None if quoted => return Err(format!("the value of `{key}` has no closing quote")),
                None => break,
            }
        }
        pairs.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_key_values_are_recognised_and_paths_are_not() {
        for db in [
            "postgres://u@h/db",
            "postgresql://h",
            "host=h dbname=d",
            "  dbname = d host=h",
            "user='a b' host=h",
        ] {
            assert!(is_postgres(db), "{db}");
        }
        for db in [
            "stytch_totp.db",
            "./host=x",
            "hostname=x",
            "/var/lib/host=x",
            "host",
            ":memory:",
            "file:postgres://",
        ] {
            assert!(!is_postgres(db), "{db}");
        }
    }

    #[test]
    fn ssl_options_are_taken_out_of_both_forms() {
        let url = parse("postgres://u:p%40ss@h:5433/db?sslmode=verify-full&sslrootcert=%2Fca.pem&application_name=x").unwrap();
        assert_eq!(url.ssl_mode, SslMode::VerifyFull);
        assert_eq!(url.root_cert, Some(PathBuf::from("/ca.pem")));
        assert_eq!(url.config.get_password(), Some(&b"p@ss"[..]));
        assert_eq!(url.config.get_ports(), &[5433]);
        assert_eq!(url.config.get_application_name(), Some("x"));
        assert_eq!(url.config.get_ssl_mode(), WireSslMode::Require);

        let kv = parse(r"host=h password='it\'s a \\secret' sslmode = require sslrootcert=/ca.pem")
            .unwrap();
        assert_eq!(
            kv.ssl_mode,
            SslMode::VerifyCa,
            "a CA file makes require verify-ca"
        );
        assert_eq!(kv.config.get_password(), Some(&br"it's a \secret"[..]));
        assert_eq!(kv.config.get_application_name(), Some("stytch_totp"));

        let default = parse("postgresql://h/db").unwrap();
        assert_eq!(default.ssl_mode, SslMode::Prefer);
        assert_eq!(
            parse("host=h sslmode=disable").unwrap().ssl_mode,
            SslMode::Disable
        );
    }

    #[test]
    fn bad_strings_are_refused_without_echoing_them() {
        for (db, says) in [
            ("postgres://u:hunter2@h/db?sslmode=allow", "sslmode"),
            (
                "postgres://u:hunter2@h/db?sslmode=verify-full",
                "sslrootcert",
            ),
            ("postgres://u:hunter2@h/db?sslrootcert=", "sslrootcert"),
            ("postgres://u:hunter2@h/db?colour=blue", "colour"),
            ("postgres://u:hunter2@h:port/db", "port"),
            ("host=h password='hunter2", "quote"),
            ("host=h password=hunter2 dbname", "dbname"),
            ("dbname=x password=hunter2", "no host"),
        ] {
            let Err(e) = parse(db) else {
                panic!("{db} was accepted")
            };
            assert!(e.contains(says), "{db}: {e}");
            assert!(!e.contains("hunter2"), "{db}: {e}");
        }
    }
}
