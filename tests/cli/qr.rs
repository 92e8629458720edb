//! `qr`: the terminal, PNG and SVG renderings scan (rqrr) to the otpauth URI.

use crate::harness::*;
use std::os::unix::fs::PermissionsExt;

const SECRET: &str = "JBSWY3DPEHPK3PXP";
const URI: &str = "otpauth://totp/Acme%20Corp:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Corp&algorithm=SHA1&digits=6&period=30";

/// Scans a square grid of modules (true: dark), drawn 4 px per module.
fn scan(dark: &[Vec<bool>]) -> String {
    let px = 4;
    let side = dark.len() * px;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        match dark[y / px][x / px] {
            true => 0,
            false => 255,
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

/// The terminal rendering back into modules: two rows per line.
fn terminal_modules(text: &str) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: String = line
            .strip_prefix("\x1b[30;107m")
            .and_then(|l| l.strip_suffix("\x1b[0m"))
            .unwrap_or_else(|| panic!("not black on white: {line:?}"))
            .to_owned();
        let (top, bottom): (Vec<bool>, Vec<bool>) = cells
            .chars()
            .map(|c| match c {
                ' ' => (false, false),
                '▀' => (true, false),
                '▄' => (false, true),
                '█' => (true, true),
                other => panic!("unexpected {other:?}"),
            })
            .unzip();
        rows.push(top);
        rows.push(bottom);
    }
    let side = rows[0].len();
    rows.truncate(side);
    rows
}

#[test]
fn the_terminal_qr_code_scans_to_the_otpauth_uri() {
    let lower = SECRET.to_lowercase();
    let args = [
        "qr",
        &lower,
        "--account",
        "ada@example.com",
        "--issuer",
        "Acme Corp",
    ];
    let run = run(&args).expect(0);
    assert_eq!(scan(&terminal_modules(&run.stdout)), URI);

    let body = run_with(
        &[
            "qr",
            "-",
            "--user",
            "ada@example.com",
            "--issuer",
            "Acme Corp",
            "--json",
        ],
        &[],
        SECRET,
    )
    .expect(0)
    .json();
    assert_eq!(body["otpauth_uri"], URI);
    assert!(
        body["qr_code"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64, ")
    );
}

#[test]
fn png_and_svg_files_are_private_and_scan() {
    let dir = tempfile::tempdir().unwrap();
    let png_path = dir.path().join("ada.png");
    let png = png_path.to_str().unwrap();
    let args = [
        "qr",
        SECRET,
        "--account",
        "ada@example.com",
        "--issuer",
        "Acme Corp",
    ];
    let wrote = run(&[&args[..], &["--output", png]].concat()).expect(0);
    assert!(wrote.stdout.contains("mode 0600"), "{}", wrote.stdout);
    let mode = std::fs::metadata(png).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let mut decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let w = info.width as usize;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| pixels[y * w + x]);
    assert_eq!(image.detect_grids()[0].decode().unwrap().1, URI);

    let svg_path = dir.path().join("ada.svg");
    let svg = svg_path.to_str().unwrap();
    let body = run(&[&args[..], &["--output", svg, "--json"]].concat())
        .expect(0)
        .json();
    assert_eq!(body["format"], "svg");
    let text = std::fs::read_to_string(svg).unwrap();
    let side: usize = text
        .split("viewBox=\"0 0 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut dark = vec![vec![false; side]; side];
    let path = text
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    // One run of dark modules per `M{x},{y}h{run}v1H{x}z`.
    for run in path.split('M').filter(|s| !s.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (length, rest) = rest.split_once("v1H").unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        assert_eq!(rest, format!("{x}z"));
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let length: usize = length.parse().unwrap();
        dark[y][x..x + length].fill(true);
    }
    assert_eq!(scan(&dark), URI);
    assert_eq!(
        std::fs::metadata(svg).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn an_existing_file_is_never_overwritten_and_bad_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let taken = file(dir.path(), "taken.png", "keep me", 0o644);
    let taken = taken.to_str().unwrap();
    run(&["qr", SECRET, "--account", "a", "--output", taken]).expect(1);
    assert_eq!(std::fs::read_to_string(taken).unwrap(), "keep me");

    let other = dir.path().join("qr.gif");
    let run1 = run(&[
        "qr",
        SECRET,
        "--account",
        "a",
        "--output",
        other.to_str().unwrap(),
    ])
    .expect(2);
    assert!(run1.stderr.contains(".png or .svg"));
    assert!(!other.exists());
    run(&["qr", "NOT-A-SECRET1", "--account", "a"])
        .expect(2)
        .hides("NOT-A-SECRET1");
    let run2 = run(&["qr", SECRET, "--account", "a", "--issuer", "bad\nissuer"]).expect(2);
    assert!(run2.stderr.contains("issuer"), "{}", run2.stderr);
}
