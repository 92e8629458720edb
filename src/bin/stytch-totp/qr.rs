//! `qr`: a secret's otpauth URI as a QR code, drawn by the library's QR
//! encoder: in the terminal, or as a PNG or SVG file.

use crate::args::ImageFormat;
use crate::code::{generator, read_secret};
use crate::failure::{Failure, Outcome};
use crate::output::Output;
use serde::Serialize;
use serde_json::json;
use std::io::Write as _;
use std::path::Path;
use stytch_totp::engine::Config;
use stytch_totp::otp::{SecretKey, SecretString, otpauth_uri};
use stytch_totp::qr::{QrModules, qr_data_uri, qr_modules, qr_png, qr_svg};
use zeroize::Zeroizing;

/// Where the QR code goes, and of what.
pub struct QrRequest<'a> {
    pub secret: &'a str,
    pub account: &'a str,
    pub issuer: &'a str,
    pub output: Option<&'a Path>,
    pub format: Option<ImageFormat>,
}

/// With `--json` and no file: the URI and the code as Stytch's `qr_code`.
#[derive(Serialize)]
struct TerminalBody {
    otpauth_uri: SecretString,
    qr_code: SecretString,
}

#[derive(Serialize)]
struct FileBody {
    path: String,
    format: &'static str,
    bytes: usize,
}

pub fn run(out: &Output, request: QrRequest<'_>) -> Outcome<()> {
    let uri = otpauth(&request)?;
    let failed = |e: String| Failure::failed("qr_failed", e);
    let Some(path) = request.output else {
        if out.json {
            let qr_code = qr_data_uri(uri.expose()).map_err(failed)?;
            let body = TerminalBody {
                otpauth_uri: uri,
                qr_code,
            };
            out.print(&body, |_| String::new());
        } else {
            let modules = qr_modules(uri.expose()).map_err(failed)?;
            print!("{}", terminal(&modules).as_str());
        }
        return Ok(());
    };
    let format = match (request.format, extension(path).as_deref()) {
        (Some(format), _) => format,
        (None, Some("png")) => ImageFormat::Png,
        (None, Some("svg")) => ImageFormat::Svg,
        (None, _) => {
            return Err(Failure::usage(
                "name a .png or .svg file, or give --format png|svg",
            ));
        }
    };
    let (bytes, name) = match format {
        ImageFormat::Png => (qr_png(uri.expose()).map_err(failed)?, "png"),
        ImageFormat::Svg => {
            let svg = qr_svg(uri.expose()).map_err(failed)?;
            (Zeroizing::new(svg.as_bytes().to_vec()), "svg")
        }
    };
    write_private(path, &bytes)?;
    let body = FileBody {
        path: path.display().to_string(),
        format: name,
        bytes: bytes.len(),
    };
    out.print(&body, |b| {
        format!(
            "wrote {} ({}, {} bytes, mode 0600)\n",
            b.path, b.format, b.bytes
        )
    });
    Ok(())
}

/// The otpauth URI, built by the library from the checked inputs.
fn otpauth(request: &QrRequest<'_>) -> Outcome<SecretString> {
    let secret = read_secret(request.secret)?;
    generator(&secret)?;
    let key = SecretKey::from_base32_any_case(secret.expose())
        .ok_or_else(|| Failure::usage("the secret is not base32"))?;
    // The issuer rule is the configuration's.
    Config::from_json(Some(&json!({ "issuer": request.issuer }).to_string()))?;
    if request.account.is_empty() || request.account.chars().any(char::is_control) {
        return Err(Failure::usage("--account must be printable text"));
    }
    Ok(otpauth_uri(
        request.issuer,
        request.account,
        key.to_base32().expose(),
    ))
}

fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

/// Two module rows per text line in half blocks, black on white whatever
/// the terminal's colours (scanners need dark modules on a light ground).
fn terminal(modules: &QrModules) -> Zeroizing<String> {
    const BLACK_ON_WHITE: &str = "\x1b[30;107m";
    const RESET: &str = "\x1b[0m";
    let side = modules.side;
    let mut text = Zeroizing::new(String::with_capacity((side + 12) * side * 2));
    for y in (0..side).step_by(2) {
        text.push_str(BLACK_ON_WHITE);
        for x in 0..side {
            text.push(match (modules.is_dark(x, y), modules.is_dark(x, y + 1)) {
                (false, false) => ' ',
                (true, false) => '▀',
                (false, true) => '▄',
                (true, true) => '█',
            });
        }
        text.push_str(RESET);
        text.push('\n');
    }
    text
}

/// Creates `path` (which must not exist) readable by its owner alone.
fn write_private(path: &Path, bytes: &[u8]) -> Outcome<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write = |e: std::io::Error| {
        Failure::failed(
            "cannot_write",
            format!("cannot write {}: {e}", path.display()),
        )
    };
    let mut file = options.open(path).map_err(write)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(write)
}
