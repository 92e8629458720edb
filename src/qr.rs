//! otpauth URI -> QR code (qrcodegen-no-heap) -> 1-bit PNG -> `data:` URI;
//! the same symbol as an SVG, and the PNG written to a private file.

use crate::otp::SecretString;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use miniz_oxide::DataFormat;
use miniz_oxide::deflate::core::{CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output};
use qrcodegen_no_heap::{Mask, QrCode, QrCodeEcc, Version};
use std::cell::RefCell;
use std::fmt;
use std::io::Write as _;
use std::path::Path;
use zeroize::Zeroizing;

/// Prefix of every `qr_code` value, as in Stytch's documentation (with its space).
pub const DATA_URI_PREFIX: &str = "data:image/png;base64, ";
/// Blank modules around the symbol (ISO/IEC 18004 asks for at least 4).
pub const QUIET_ZONE: usize = 4;
/// The image is at least this wide, so that phone cameras read it at a distance.
pub const MIN_WIDTH_PX: usize = 200;
/// Deflate level: level 1 already packs the repeated rows into well under 1 KB.
const DEFLATE_LEVEL: u8 = 1;
/// Error correction level M: about 15 % of the symbol may be damaged.
const ECC: QrCodeEcc = QrCodeEcc::Medium;
/// Every symbol uses data mask 7. Any of the eight masks makes a valid
/// ISO/IEC 18004 symbol; scoring all eight with the standard's penalty rules
/// cost more than the rest of enrolment. On 1,000 random secrets, mask 7
/// scanned from blurred and shrunken images at least as often as
/// penalty-chosen masks, and zxing saw no stray 1D barcode in it (it did in
/// masks 0, 3 and 5).
const MASK: u8 = 7;
/// Bytes each of the encoder's two work buffers needs for any version.
const BUFFER_LEN: usize = Version::MAX.buffer_len();

thread_local! {
    // A deflate compressor holds ~300 KB of tables; making and zeroing one per
    // image cost more than the compression itself, so each thread keeps one.
    static COMPRESSOR: RefCell<Box<CompressorOxide>> = RefCell::new(Box::default());
}

/// A QR code of `text` as a PNG `data:` URI: black on white, 1 bit per pixel,
/// whole pixels per module, at least `MIN_WIDTH_PX` wide. The image encodes a
/// secret, so it and every buffer on the way are wiped when dropped.
pub fn qr_data_uri(text: &str) -> Result<SecretString, String> {
    let png = qr_png(text)?;
    let mut uri = String::with_capacity(DATA_URI_PREFIX.len() + png.len().div_ceil(3) * 4);
    uri.push_str(DATA_URI_PREFIX);
    STANDARD.encode_string(&png[..], &mut uri);
    Ok(SecretString::from(uri))
}

/// Encodes `text` (byte mode, level M, mask 7, the smallest version that
/// holds it) and hands the symbol to `draw`.
fn with_symbol<R>(
    text: &str,
    draw: impl FnOnce(&QrCode<'_>) -> Result<R, String>,
) -> Result<R, String> {
    // The encoder works only in these two buffers (the text, its codewords,
    // the module bits), so wiping them leaves no copy of the secret behind.
    let mut data_and_temp = Zeroizing::new([0u8; BUFFER_LEN]);
    let mut modules = Zeroizing::new([0u8; BUFFER_LEN]);
    let input = data_and_temp
        .get_mut(..text.len())
        .ok_or("cannot encode the QR code: the text is too long")?;
    input.copy_from_slice(text.as_bytes());
    let code = QrCode::encode_binary(
        &mut *data_and_temp,
        text.len(),
        &mut *modules,
        ECC,
        Version::MIN,
        Version::MAX,
        Some(Mask::new(MASK)),
        false,
    )
    .map_err(|e| format!("cannot encode the QR code: {e}"))?;
    draw(&code)
}

/// Whether the module at (`x`, `y`) of the image, quiet zone included, is dark.
fn is_dark(code: &QrCode<'_>, x: usize, y: usize) -> bool {
    // Outside the symbol (the quiet zone) `get_module` answers light.
    let offset = QUIET_ZONE as i32;
    code.get_module(x as i32 - offset, y as i32 - offset)
}

/// Modules per side of the image, quiet zone included, and pixels per module.
fn layout(code: &QrCode<'_>) -> (usize, usize) {
    let side = code.size() as usize + 2 * QUIET_ZONE;
    (side, MIN_WIDTH_PX.div_ceil(side))
}

/// The modules of a QR code, quiet zone included: `side` rows of `side`.
/// It encodes a secret, so it is wiped when dropped.
pub struct QrModules {
    pub side: usize,
    dark: Zeroizing<Vec<bool>>,
}

impl QrModules {
    /// Whether the module in column `x` of row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.side && y < self.side && self.dark[y * self.side + x]
    }
}

/// The modules of the same QR code as [`qr_png`] draws, for renderings
/// other than the PNG and SVG (a terminal).
pub fn qr_modules(text: &str) -> Result<QrModules, String> {
    with_symbol(text, |code| {
        let (side, _) = layout(code);
        let dark = (0..side * side)
            .map(|i| is_dark(code, i % side, i / side))
            .collect();
        Ok(QrModules {
            side,
            dark: Zeroizing::new(dark),
        })
    })
}

/// The PNG bytes of a QR code of `text`.
pub fn qr_png(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    with_symbol(text, png_of)
}

fn png_of(code: &QrCode<'_>) -> Result<Zeroizing<Vec<u8>>, String> {
    let (side, scale) = layout(code);
    let width = side * scale;
    let rows = filtered_rows(side, scale, |x, y| is_dark(code, x, y));
    let idat = zlib(&rows)?;

    // PNG signature, IHDR, IDAT and IEND headers: 57 bytes around the data.
    let mut png = Zeroizing::new(Vec::with_capacity(idat.len() + 64));
    let mut encoder = png::Encoder::new(&mut *png, width as u32, width as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder
        .write_header()
        .map_err(|e| format!("cannot write the PNG: {e}"))?;
    writer
        .write_chunk(png::chunk::IDAT, &idat)
        .and_then(|()| writer.finish())
        .map_err(|e| format!("cannot write the PNG: {e}"))?;
    Ok(png)
}

/// The same QR code of `text` as the PNG, as an SVG image of the same size:
/// a white square and one path of the dark runs of each row.
pub fn qr_svg(text: &str) -> Result<Zeroizing<String>, String> {
    with_symbol(text, |code| {
        // Measured first, so that the text is written once into a buffer of
        // its exact size: no reallocation leaves a copy of the secret behind.
        let mut length = Length(0);
        write_svg(code, &mut length).map_err(|e| e.to_string())?;
        let mut svg = Zeroizing::new(String::with_capacity(length.0));
        write_svg(code, &mut *svg).map_err(|e| e.to_string())?;
        Ok(svg)
    })
}

/// Counts the bytes written to it.
struct Length(usize);

impl fmt::Write for Length {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

fn write_svg(code: &QrCode<'_>, out: &mut impl fmt::Write) -> fmt::Result {
    let (side, scale) = layout(code);
    let width = side * scale;
    write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{width}\" \
         viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    )?;
    for y in 0..side {
        let mut x = 0;
        while x < side {
            if !is_dark(code, x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < side && is_dark(code, x, y) {
                x += 1;
            }
            write!(out, "M{start},{y}h{}v1H{start}z", x - start)?;
        }
    }
    out.write_str("\"/></svg>\n")
}

/// Writes the PNG of a QR code of `text` to `path`, readable and writable by
/// its owner only (0600 on Unix). The image goes to a new private file beside
/// `path`, which then replaces `path` in one rename: a reader never sees half
/// an image, and an existing file's wider permissions are not kept.
pub fn write_qr_png(text: &str, path: &Path) -> Result<(), String> {
    let png = qr_png(text)?;
    let shown = path.display();
    let name = path
        .file_name()
        .ok_or_else(|| format!("cannot write the QR code to {shown}: the path names no file"))?;
    let mut suffix = [0u8; 8];
    crate::random::fill(&mut suffix);
    let mut temporary = std::ffi::OsString::from(".");
    temporary.push(name);
    temporary.push(format!(".{:016x}.tmp", u64::from_le_bytes(suffix)));
    let temporary = path.with_file_name(temporary);
    write_new_private(&temporary, &png)
        .and_then(|()| {
            std::fs::rename(&temporary, path).inspect_err(|_| {
                let _ = std::fs::remove_file(&temporary);
            })
        })
        .map_err(|e| format!("cannot write the QR code to {shown}: {e}"))
}

/// Creates `path` (never an existing file) with owner-only permissions and
/// writes `bytes` to disk; removes it again if that fails.
fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .inspect_err(|_| {
            let _ = std::fs::remove_file(path);
        })
}

/// PNG scanlines of a square of `side` modules, `scale` pixels each, 1 bit
/// per pixel (a set bit is white). The first pixel row of each module row is
/// written out; the rows that repeat it use the Up filter, as zeros, which
/// deflate shrinks to almost nothing.
fn filtered_rows(
    side: usize,
    scale: usize,
    is_dark: impl Fn(usize, usize) -> bool,
) -> Zeroizing<Vec<u8>> {
    const FILTER_NONE: u8 = 0;
    const FILTER_UP: u8 = 2;
    let width = side * scale;
    let line_len = 1 + width.div_ceil(8);
    let mut rows = Zeroizing::new(vec![0u8; line_len * width]);
    let light_run = (1u32 << scale) - 1;
    for (y, line) in rows.chunks_exact_mut(line_len).enumerate() {
        if y % scale != 0 {
            line[0] = FILTER_UP;
            continue;
        }
        line[0] = FILTER_NONE;
        // Pixels enter `bits` a module at a time and leave it a byte at a time.
        let (mut bits, mut pending, mut out) = (0u32, 0, 1);
        for x in 0..side {
            let run = if is_dark(x, y / scale) { 0 } else { light_run };
            bits = (bits << scale) | run;
            pending += scale;
            while pending >= 8 {
                pending -= 8;
                line[out] = (bits >> pending) as u8;
                out += 1;
            }
        }
        if pending > 0 {
            line[out] = (bits << (8 - pending)) as u8;
        }
    }
    rows
}

/// zlib-compresses `data` with this thread's compressor, which is reset
/// afterwards so that its dictionary does not keep the image.
fn zlib(data: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    COMPRESSOR.with(|compressor| {
        let mut compressor = compressor.borrow_mut();
        compressor.set_format_and_level(DataFormat::Zlib, DEFLATE_LEVEL);
        // Sized for the worst case (stored blocks), so the buffer never moves.
        let mut out = Zeroizing::new(Vec::with_capacity(data.len() + data.len() / 1000 * 5 + 64));
        let (status, _) = compress_to_output(&mut compressor, data, TDEFLFlush::Finish, |chunk| {
            out.extend_from_slice(chunk);
            true
        });
        compressor.reset();
        match status {
            TDEFLStatus::Done => Ok(out),
            other => Err(format!("cannot compress the PNG: {other:?}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules of a PNG from `qr_png`, row by row.
    fn png_modules(png: &[u8], side: usize) -> Vec<Vec<bool>> {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let scale = info.width as usize / side;
        assert_eq!(scale * side, info.width as usize);
        let dark = |x: usize, y: usize| pixels[y * info.line_size + x / 8] & (0x80 >> (x % 8)) == 0;
        (0..side)
            .map(|y| (0..side).map(|x| dark(x * scale, y * scale)).collect())
            .collect()
    }

    /// The dark modules the SVG's path draws, read back from its `M..z` runs.
    fn svg_modules(svg: &str, side: usize) -> Vec<Vec<bool>> {
        let mut grid = vec![vec![false; side]; side];
        let path = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for run in path.split('z').filter(|r| !r.is_empty()) {
            let numbers: Vec<usize> = run
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let [x, y, len, _one, back] = numbers[..] else {
                panic!("unexpected run {run}")
            };
            assert_eq!(back, x);
            grid[y][x..x + len].iter_mut().for_each(|m| *m = true);
        }
        grid
    }

    #[test]
    fn the_svg_draws_the_pngs_modules() {
        for text in [
            "otpauth://totp/i:a?secret=JBSWY3DPEHPK3PXP",
            &"x".repeat(1000),
        ] {
            let (side, _) = with_symbol(text, |code| Ok(layout(code))).unwrap();
            let from_png = png_modules(&qr_png(text).unwrap(), side);
            let svg = qr_svg(text).unwrap();
            assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
            assert_eq!(svg_modules(&svg, from_png.len()), from_png);
            assert!(from_png.iter().flatten().any(|&dark| dark));
        }
        let error = qr_svg(&"x".repeat(3000)).unwrap_err();
        assert!(error.starts_with("cannot encode the QR code"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn the_png_file_is_private_and_replaces_what_was_there() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = std::env::temp_dir().join(format!("stytch-qr-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("elsewhere");
        std::fs::write(&target, b"keep").unwrap();
        let path = dir.join("qr.png");
        symlink(&target, &path).unwrap();
        write_qr_png("text", &path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), *qr_png("text").unwrap());
        let mode = std::fs::symlink_metadata(&path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"keep",
            "the link was not followed"
        );
        let names = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(names, 2, "no temporary file is left");
        let missing = dir.join("missing").join("qr.png");
        let error = write_qr_png("text", &missing).unwrap_err();
        assert!(
            error.contains("missing/qr.png") && error.contains("No such file"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
