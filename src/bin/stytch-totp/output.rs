//! Where results go: one JSON document (`--json`) or text, on stdout; errors
//! and progress on stderr.

use crate::failure::Failure;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use stytch_totp::engine::models::to_json;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `body` as JSON, or the text `human` makes of it.
    pub fn print<T: Serialize>(&self, body: &T, human: impl FnOnce(&T) -> String) {
        match self.json {
            // Bodies may hold a secret the operator asked for: built in a
            // buffer that is wiped.
            true => println!("{}", to_json(body).as_str()),
            false => print!("{}", human(body)),
        }
    }

    /// Reports a failure: on stderr, and as the JSON document with `--json`.
    pub fn fail(&self, failure: &Failure) {
        if self.json {
            println!("{}", failure.to_json());
        }
        eprintln!("stytch-totp: {}", failure.message);
    }
}

/// A progress bar of `total` steps on stderr, drawn only when stderr is a
/// terminal (never in logs or pipes).
pub fn progress_bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    ProgressBar::new(total)
        .with_style(style)
        .with_message(what.to_owned())
}
