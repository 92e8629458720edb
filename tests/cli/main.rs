//! `stytch-totp`, the built binary, run as an operator would: every
//! subcommand on SQLite files (and PostgreSQL, under tests/pg/with-postgres.sh),
//! with its errors and exit codes. Stores are made and checked through the
//! library; the command line changes them only through the engine.

mod harness;

mod code;
mod copy;
mod doctor;
mod keys;
mod qr;
mod sessions;
mod users;
