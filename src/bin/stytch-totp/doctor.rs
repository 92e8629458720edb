//! `doctor`: the store's files, whether it opens, its schema, its integrity
//! and the keys, each reported pass, fail or skip. Writes nothing.

use crate::failure::{Exit, Outcome};
use crate::keys::describe_report;
use crate::output::Output;
use crate::settings::{Settings, describe};
use serde::Serialize;
use std::path::Path;
use stytch_totp::engine::config::IN_MEMORY;
use stytch_totp::engine::{Config, ErrorType, KeyReport, key_report};
use stytch_totp::store::postgres::is_postgres;
use stytch_totp::store::{self, OpenError, SqliteStore, Store, StoreError, Survey};

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Pass,
    Fail,
    Skip,
}

#[derive(Serialize)]
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
}

#[derive(Serialize)]
struct DoctorBody {
    ok: bool,
    store: String,
    checks: Vec<Check>,
    survey: Option<Survey>,
    keys: Option<KeyReport>,
}

/// The checks made so far, and whether the store could not be reached.
#[derive(Default)]
struct Checks {
    list: Vec<Check>,
    unreachable: bool,
}

impl Checks {
    fn add(&mut self, name: &'static str, status: Status, detail: impl Into<String>) {
        let detail = detail.into();
        self.list.push(Check {
            name,
            status,
            detail,
        });
    }

    /// A failed storage operation; an unreachable store is noted as such.
    fn store_failed(&mut self, name: &'static str, e: &StoreError) {
        self.unreachable |= matches!(e, StoreError::Unavailable(_));
        self.add(name, Status::Fail, e.to_string());
    }
}

pub fn run(out: &Output, settings: &Settings) -> Outcome<Exit> {
    let database = settings.store()?.to_owned();
    let config = settings.config_for(&database)?;
    let mut checks = Checks::default();
    let is_file = database != IN_MEMORY && !is_postgres(&database);
    let mut store = None;
    if is_file && !Path::new(&database).exists() {
        checks.unreachable = true;
        checks.add(
            "files",
            Status::Fail,
            format!("there is no file {database}"),
        );
    } else {
        if is_file {
            check_files(&mut checks, &database);
        } else {
            checks.add("files", Status::Skip, "not a file");
        }
        store = open(&mut checks, &config);
    }
    let survey = store.as_deref().and_then(|s| survey(&mut checks, s));
    let keys = store.as_deref().and_then(|s| keys(&mut checks, s, &config));
    let ok = checks.list.iter().all(|c| c.status != Status::Fail);
    let exit = match (ok, checks.unreachable) {
        (true, _) => Exit::Ok,
        (false, true) => Exit::Unavailable,
        (false, false) => Exit::Failed,
    };
    let body = DoctorBody {
        ok,
        store: describe(&database),
        checks: checks.list,
        survey,
        keys,
    };
    out.print(&body, human);
    Ok(exit)
}

fn check_files(checks: &mut Checks, path: &str) {
    let files = SqliteStore::check_files(path);
    let mut problems = Vec::new();
    let mut modes = Vec::new();
    for (file, outcome) in files {
        match outcome {
            Ok(Some(mode)) => modes.push(format!("{file} {mode:04o}")),
            Ok(None) => modes.push(format!("{file} absent")),
            Err(why) => problems.push(why),
        }
    }
    match problems.is_empty() {
        true => checks.add("files", Status::Pass, modes.join(", ")),
        false => checks.add("files", Status::Fail, problems.join("; ")),
    }
}

fn open(checks: &mut Checks, config: &Config) -> Option<Box<dyn Store>> {
    match store::open(config) {
        Ok(store) => {
            checks.add("open", Status::Pass, describe(&config.database));
            Some(store)
        }
        Err(OpenError::Refused(why)) => {
            checks.add("open", Status::Fail, why);
            None
        }
        Err(OpenError::Failed(e)) => {
            checks.store_failed("open", &e);
            None
        }
    }
}

fn survey(checks: &mut Checks, store: &dyn Store) -> Option<Survey> {
    let survey = match store.survey() {
        Ok(survey) => survey,
        // The survey reads the whole storage: what stops it is damage, or
        // the server going away.
        Err(e) => {
            checks.add("schema", Status::Skip, "the store could not be read");
            checks.store_failed("integrity", &e);
            return None;
        }
    };
    match (survey.schema_version, survey.supported_schema_version) {
        (Some(found), Some(supported)) if found == supported => {
            checks.add("schema", Status::Pass, format!("version {found}"))
        }
        (Some(found), supported) => checks.add(
            "schema",
            Status::Fail,
            format!("version {found}; this tool supports {supported:?}"),
        ),
        (None, _) => checks.add("schema", Status::Skip, "the store has no schema"),
    }
    let held = format!("{} users, {} TOTPs", survey.users, survey.totps);
    match &survey.integrity_problems {
        Some(problems) if problems.is_empty() => {
            checks.add("integrity", Status::Pass, format!("ok ({held})"))
        }
        Some(problems) => {
            let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
            let more = problems.len().saturating_sub(shown.len());
            let detail = format!("{} ({more} more)", shown.join("; "));
            checks.add("integrity", Status::Fail, detail)
        }
        None => checks.add(
            "integrity",
            Status::Skip,
            format!("no integrity check for this store ({held})"),
        ),
    }
    Some(survey)
}

fn keys(checks: &mut Checks, store: &dyn Store, config: &Config) -> Option<KeyReport> {
    let report = match key_report(store, config) {
        Ok(report) => report,
        Err(e) => {
            checks.unreachable |= e.code == ErrorType::DatabaseUnavailable;
            checks.add("keys", Status::Fail, e.error_message);
            return None;
        }
    };
    let summary = describe_report(&report).replace('\n', "; ");
    let summary = summary.trim_end_matches("; ");
    match (config.encryption_keys.is_empty(), report.fits()) {
        (_, false) => checks.add("keys", Status::Fail, summary),
        (true, true) => checks.add(
            "keys",
            Status::Skip,
            "no encryption keys given, and the store has no value sealed under a key",
        ),
        (false, true) => checks.add("keys", Status::Pass, summary),
    }
    Some(report)
}

fn human(body: &DoctorBody) -> String {
    let mut text = format!("{}\n", body.store);
    for check in &body.checks {
        let status = match check.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "skip",
        };
        text.push_str(&format!("{status}  {:<9}  {}\n", check.name, check.detail));
    }
    let failed = body
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .count();
    text.push_str(&match failed {
        0 => "no problem found\n".to_owned(),
        n => format!("{n} check(s) failed\n"),
    });
    text
}
