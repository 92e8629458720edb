//! `users get|delete|unlock` and `totps list|delete`: each a call of the
//! engine on a client of the store.

use crate::args::{TotpsCommand, UsersCommand};
use crate::failure::{Exit, Failure, Outcome};
use crate::output::Output;
use crate::settings::Settings;
use serde::Serialize;
use std::fmt::Write as _;
use stytch_totp::engine::models::{User, UserTotp};
use stytch_totp::engine::{Client, ErrorResponse};

pub fn users(out: &Output, settings: &Settings, command: UsersCommand) -> Outcome<()> {
    let client = Client::new(settings.config()?)?;
    match command {
        UsersCommand::Get { user_id } => {
            let body = client.get_user(&user_id).map_err(on(&user_id))?;
            out.print(&body, |b| describe(&b.user));
        }
        UsersCommand::Delete { user_id } => {
            let body = client.delete_user(&user_id).map_err(on(&user_id))?;
            out.print(&body, |b| format!("deleted {} and its TOTPs\n", b.user_id));
        }
        UsersCommand::Unlock { user_id } => {
            let body = client.unlock_user(&user_id).map_err(on(&user_id))?;
            out.print(&body, |b| {
                let what = match b.was_locked {
                    true => "lifted its lock",
                    false => "it was not locked",
                };
                format!(
                    "unlocked {}: {what}; {} counted failure(s) cleared\n",
                    b.user_id, b.failed_attempts_cleared
                )
            });
        }
    }
    Ok(())
}

/// `totps list`: the user's TOTPs.
#[derive(Serialize)]
struct TotpList {
    user_id: String,
    totps: Vec<UserTotp>,
}

/// `totps delete`: what was deleted, and the user afterwards.
#[derive(Serialize)]
struct TotpsDeleted {
    user_id: String,
    deleted_totp_ids: Vec<String>,
    user: User,
}

pub fn totps(out: &Output, settings: &Settings, command: TotpsCommand) -> Outcome<()> {
    let client = Client::new(settings.config()?)?;
    match command {
        TotpsCommand::List { user_id } => {
            let user = client.get_user(&user_id).map_err(on(&user_id))?.user;
            let body = TotpList {
                user_id: user.user_id,
                totps: user.totps,
            };
            out.print(&body, |b| match b.totps.is_empty() {
                true => format!("{} has no TOTP\n", b.user_id),
                false => b.totps.iter().map(totp_line).collect(),
            });
        }
        TotpsCommand::Delete { user_id, totp_id } => {
            let mut user = client.get_user(&user_id).map_err(on(&user_id))?.user;
            let ids: Vec<String> = match totp_id {
                Some(id) if user.totps.iter().any(|t| t.totp_id == id) => vec![id],
                Some(_) => {
                    return Err(Failure::new(
                        Exit::NotFound,
                        "totp_not_found",
                        format!("{} has no such TOTP", user.user_id),
                    ));
                }
                None => user.totps.iter().map(|t| t.totp_id.clone()).collect(),
            };
            if ids.is_empty() {
                return Err(Failure::new(
                    Exit::NotFound,
                    "totp_not_found",
                    format!("{} has no TOTP to delete", user.user_id),
                ));
            }
            for id in &ids {
                user = client.delete_totp(id).map_err(on(id))?.user;
            }
            let body = TotpsDeleted {
                user_id: user.user_id.clone(),
                deleted_totp_ids: ids,
                user,
            };
            out.print(&body, |b| {
                b.deleted_totp_ids
                    .iter()
                    .map(|id| format!("deleted {id}\n"))
                    .collect()
            });
        }
    }
    Ok(())
}

/// An engine error, saying which user or TOTP it is about.
fn on(id: &str) -> impl FnOnce(ErrorResponse) -> Failure + '_ {
    move |e| Failure::from(e).about(id)
}

fn totp_line(totp: &UserTotp) -> String {
    let state = match totp.verified {
        true => "verified",
        false => "pending (not yet authenticated)",
    };
    format!("{}  {state}\n", totp.totp_id)
}

/// The user as a few aligned lines.
fn describe(user: &User) -> String {
    let mut text = String::new();
    let mut line = |name: &str, value: &str| {
        let _ = writeln!(text, "{name:<12} {value}");
    };
    line("user_id", &user.user_id);
    if let Some(external_id) = &user.external_id {
        line("external_id", external_id);
    }
    let full_name = [
        &user.name.first_name,
        &user.name.middle_name,
        &user.name.last_name,
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(" ");
    if !full_name.is_empty() {
        line("name", &full_name);
    }
    for email in &user.emails {
        line(
            "email",
            &format!("{} ({})", email.email, verified(email.verified)),
        );
    }
    for phone in &user.phone_numbers {
        let state = verified(phone.verified);
        line("phone", &format!("{} ({state})", phone.phone_number));
    }
    line("created_at", user.created_at.as_deref().unwrap_or("-"));
    let locked = match (&user.lock_created_at, &user.lock_expires_at) {
        (Some(since), Some(until)) if user.is_locked => format!("yes, since {since} until {until}"),
        _ => "no".to_owned(),
    };
    line("locked", &locked);
    if user.totps.is_empty() {
        line("totps", "none");
    }
    for totp in &user.totps {
        line("totp", totp_line(totp).trim_end());
    }
    text
}

fn verified(yes: bool) -> &'static str {
    match yes {
        true => "verified",
        false => "unverified",
    }
}
