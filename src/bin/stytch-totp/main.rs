//! `stytch-totp`: the operators' command line. Every change goes through the
//! library's engine on a store opened by the library; see docs/CLI.md.

mod args;
mod code;
mod copy;
mod doctor;
mod failure;
mod keys;
mod output;
mod qr;
mod sessions;
mod settings;
mod users;

use args::{Cli, Command, KeysCommand, SessionsCommand, StoreCommand};
use clap::Parser;
use failure::{Exit, Outcome};
use output::Output;
use settings::Settings;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output {
        json: cli.global.json,
    };
    let exit = run(cli, &out).unwrap_or_else(|failure| {
        out.fail(&failure);
        failure.exit
    });
    ExitCode::from(exit as u8)
}

fn run(cli: Cli, out: &Output) -> Outcome<Exit> {
    let settings = || Settings::load(&cli.global);
    match cli.command {
        Command::Code { secret, time } => code::run(out, &secret, time)?,
        Command::Qr {
            secret,
            account,
            issuer,
            output,
            format,
        } => qr::run(
            out,
            qr::QrRequest {
                secret: &secret,
                account: &account,
                issuer: &issuer,
                output: output.as_deref(),
                format,
            },
        )?,
        Command::Users(command) => users::users(out, &settings()?, command)?,
        Command::Totps(command) => users::totps(out, &settings()?, command)?,
        Command::Doctor => return doctor::run(out, &settings()?),
        Command::Keys(KeysCommand::Check) => return keys::check(out, &settings()?),
        Command::Keys(KeysCommand::Rotate { batch }) => keys::rotate(out, &settings()?, batch)?,
        Command::Store(StoreCommand::Copy { src, dst, batch }) => {
            copy::run(out, &settings()?, &src, &dst, batch)?
        }
        Command::Sessions(SessionsCommand::Purge { batch }) => {
            sessions::purge(out, &settings()?, batch)?
        }
    }
    Ok(Exit::Ok)
}
