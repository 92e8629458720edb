//! The command line: subcommands, options and their help.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Environment:
  STYTCH_TOTP_STORE       the store, as --store
  STYTCH_TOTP_CONFIG      a configuration file, as --config
  STYTCH_TOTP_KEYS        encryption_keys as JSON: [{\"id\": \"2026-11\", \"key\": \"<base64>\"}]
  STYTCH_TOTP_KEYS_FILE   a private file (chmod 600) holding that JSON, as --keys-file

Exit codes: 0 ok, 1 failed (or a check failed), 2 usage or configuration,
3 user or TOTP not found, 4 store unavailable (no such file, server not
reachable), 5 encryption keys do not fit the store. See docs/CLI.md.";

/// Operate a stytch-totp store: users, TOTPs, keys, health, copies.
#[derive(Parser)]
#[command(name = "stytch-totp", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Args)]
pub struct Global {
    /// The store: an SQLite file path, ":memory:", or a PostgreSQL URL or key=value string
    #[arg(long, global = true, env = "STYTCH_TOTP_STORE", hide_env_values = true)]
    pub store: Option<String>,
    /// A JSON file in the library's configuration format (stytch_client_new); --store replaces its "database"
    #[arg(
        long,
        global = true,
        env = "STYTCH_TOTP_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,
    /// A private file (chmod 600) holding encryption_keys as JSON; or set STYTCH_TOTP_KEYS
    #[arg(
        long,
        global = true,
        env = "STYTCH_TOTP_KEYS_FILE",
        hide_env_values = true
    )]
    pub keys_file: Option<PathBuf>,
    /// Print one JSON document instead of text (errors too, on stdout)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// The code of a base32 secret, now or at a given time
    #[command(after_help = "Examples:
  stytch-totp code JBSWY3DPEHPK3PXP
  stytch-totp code JBSWY3DPEHPK3PXP --time 1700000000
  stytch-totp code - < secret.txt          (the secret from standard input)")]
    Code {
        /// The base32 secret (either case, padding allowed), or - to read it from standard input
        secret: String,
        /// Unix time in seconds (default: now)
        #[arg(long, allow_negative_numbers = true)]
        time: Option<i64>,
    },

    /// A QR code of a secret's otpauth URI, in the terminal or as a PNG or SVG file
    #[command(after_help = "Examples:
  stytch-totp qr JBSWY3DPEHPK3PXP --account alice@example.com
  stytch-totp qr - --account alice@example.com --issuer Acme --output alice.png < secret.txt
  stytch-totp qr JBSWY3DPEHPK3PXP --account alice@example.com --output alice.svg

The file is created private (0600): the QR code holds the secret.")]
    Qr {
        /// The base32 secret, or - to read it from standard input
        secret: String,
        /// The account shown in authenticator apps (an email, a phone number, a user ID)
        #[arg(long, visible_alias = "user")]
        account: String,
        /// The issuer shown in authenticator apps
        #[arg(long, default_value = stytch_totp::engine::config::DEFAULT_ISSUER)]
        issuer: String,
        /// Write the QR code to this file instead of the terminal (must not exist)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The file's format (default: from its extension, .png or .svg)
        #[arg(long, value_enum)]
        format: Option<ImageFormat>,
    },

    /// Look up, delete or unlock a user
    #[command(subcommand)]
    Users(UsersCommand),

    /// List or delete a user's TOTPs
    #[command(subcommand)]
    Totps(TotpsCommand),

    /// Check a store: files, schema, integrity, keys
    #[command(after_help = "Checks, each reported pass, fail or skip:
  files      the SQLite file, -wal and -shm are private (0600), not symbolic links
  open       the store opens (the server answers, the file is this library's)
  schema     its schema version is the one this library writes
  integrity  SQLite's integrity_check finds nothing wrong
  keys       the keys given are the ones the store knows, and cover every key its values are sealed under

Examples:
  stytch-totp doctor --store /var/lib/app/stytch_totp.db
  STYTCH_TOTP_KEYS_FILE=/etc/app/totp-keys.json stytch-totp doctor --store \"$DATABASE_URL\" --json")]
    Doctor,

    /// Check the encryption keys against a store, or re-seal it under the active key
    #[command(subcommand)]
    Keys(KeysCommand),

    /// Copy a store into another
    #[command(subcommand)]
    Store(StoreCommand),

    /// Maintain the sessions a store holds
    #[command(subcommand)]
    Sessions(SessionsCommand),
}

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Show a user (by user_id or external_id)
    #[command(after_help = "Examples:
  stytch-totp users get user-test-16ae1bd8-e2a8-4a1b-b2c0-0a1d4f3e9c77 --store app.db
  stytch-totp users get crm-42 --json")]
    Get { user_id: String },
    /// Delete a user and every TOTP of theirs
    #[command(after_help = "Example:
  stytch-totp users delete user-test-16ae1bd8-e2a8-4a1b-b2c0-0a1d4f3e9c77 --store app.db")]
    Delete { user_id: String },
    /// Lift a user's lockout and clear their failure count (beyond Stytch's API)
    #[command(after_help = "Example:
  stytch-totp users unlock crm-42 --store \"$DATABASE_URL\"")]
    Unlock { user_id: String },
}

#[derive(Subcommand)]
pub enum TotpsCommand {
    /// List a user's TOTPs (those that can still be used)
    #[command(after_help = "Example:
  stytch-totp totps list user-test-16ae1bd8-e2a8-4a1b-b2c0-0a1d4f3e9c77 --store app.db")]
    List { user_id: String },
    /// Delete a user's TOTPs (all of them, or the one given), so that they can enrol again
    #[command(after_help = "Examples:
  stytch-totp totps delete crm-42 --store app.db
  stytch-totp totps delete crm-42 totp-test-5b1e0f6a-3c9d-4f7e-8a2b-6d4c1e9f0a3b --store app.db")]
    Delete {
        user_id: String,
        /// Only this TOTP (it must be the user's)
        totp_id: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Report whether the keys given fit the store, and what its TOTPs are sealed under
    #[command(after_help = "Example:
  STYTCH_TOTP_KEYS_FILE=/etc/app/totp-keys.json stytch-totp keys check --store app.db

Exits 5 when a key is not the one the store knows by its id, or a key the
store's values are sealed under is missing.")]
    Check,
    /// Re-seal every TOTP under the active (first) key, with a progress bar
    #[command(
        after_help = "Example (the new key first in the keys file, the old ones after it):
  STYTCH_TOTP_KEYS_FILE=/etc/app/totp-keys.json stytch-totp keys rotate --store app.db

When it ends, the older keys are no longer in use: remove them from every
configuration. Running it again is harmless; the service can keep running."
    )]
    Rotate {
        /// TOTPs re-sealed per transaction
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        batch: u64,
    },
}

#[derive(Subcommand)]
pub enum SessionsCommand {
    /// Delete every expired session (live sessions, users and TOTPs are untouched)
    #[command(after_help = "Example:
  stytch-totp sessions purge --store \"$DATABASE_URL\"

Clients already delete a bounded batch of expired sessions as they write;
this deletes the rest, one transaction per batch, while the service runs.")]
    Purge {
        /// Sessions deleted per transaction
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        batch: u64,
    },
}

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Copy every user, TOTP and session of SRC into DST (SQLite to PostgreSQL and back), resumable
    #[command(after_help = "Examples:
  stytch-totp store copy app.db \"postgres://totp@db.internal/app?sslmode=verify-full&sslrootcert=ca.pem\"
  stytch-totp store copy \"$DATABASE_URL\" backup.db

Sealed values are copied as they are: give the source's keys (they are used
for both stores). Stop the applications writing to SRC first. An interrupted
copy resumes where it stopped when run again; copying again is harmless.")]
    Copy {
        /// The store to copy from
        src: String,
        /// The store to copy into (an SQLite file is created if missing)
        dst: String,
        /// Rows per destination transaction
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        batch: u64,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageFormat {
    Png,
    Svg,
}
