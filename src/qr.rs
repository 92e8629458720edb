//! otpauth URI -> QR code (fast_qr) -> 1-bit PNG -> `data:` URI.

use crate::otp::SecretString;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fast_qr::{ECL, QRBuilder};
use miniz_oxide::DataFormat;
use miniz_oxide::deflate::core::{CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output};
use std::cell::RefCell;
use zeroize::Zeroizing;

/// Prefix of every `qr_code` value, as in Stytch's documentation (with its space).
pub const DATA_URI_PREFIX: &str = "data:image/png;base64, ";
/// Blank modules around the symbol (ISO/IEC 18004 asks for at least 4).
pub const QUIET_ZONE: usize = 4;
/// The image is at least this wide, so that phone cameras read it at a distance.
pub const MIN_WIDTH_PX: usize = 200;
/// Deflate level: level 1 already packs the repeated rows into well under 1 KB.
const DEFLATE_LEVEL: u8 = 1;

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

/// The PNG bytes of a QR code of `text`.
pub fn qr_png(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    // The builder keeps its own copy of `text` (the URI, with the secret) and
    // frees it unwiped; hand it a buffer we can wipe before it is dropped.
    let mut input = text.as_bytes().to_vec();
    let (input_ptr, input_len) = (input.as_mut_ptr(), input.len());
    let mut builder = QRBuilder::new(std::mem::take(&mut input));
    let built = builder.ecl(ECL::M).build();
    // SAFETY: `Vec<u8>: Into<Vec<u8>>` is a move, so the builder owns exactly
    // that allocation, alive until the builder drops below; nothing borrows it now.
    unsafe { zeroize::Zeroize::zeroize(std::slice::from_raw_parts_mut(input_ptr, input_len)) };
    drop(builder);
    let code = built.map_err(|e| format!("cannot encode the QR code: {e:?}"))?;
    let modules = code.size;
    let side = modules + 2 * QUIET_ZONE;
    let scale = MIN_WIDTH_PX.div_ceil(side);
    let width = side * scale;
    let rows = filtered_rows(width, scale, |x, y| {
        let (x, y) = (x.wrapping_sub(QUIET_ZONE), y.wrapping_sub(QUIET_ZONE));
        x < modules && y < modules && code.data[y * modules + x].value()
    });
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

/// PNG scanlines of a `width`-pixel square, 1 bit per pixel (a set bit is
/// white), each module `scale` pixels. A row that repeats the one above it is
/// written with the Up filter, as zeros, which deflate shrinks to almost nothing.
fn filtered_rows(
    width: usize,
    scale: usize,
    is_dark: impl Fn(usize, usize) -> bool,
) -> Zeroizing<Vec<u8>> {
    const FILTER_NONE: u8 = 0;
    const FILTER_UP: u8 = 2;
    let row_bytes = width.div_ceil(8);
    let mut rows = Zeroizing::new(Vec::with_capacity((row_bytes + 1) * width));
    let mut row = Zeroizing::new(vec![0u8; row_bytes]);
    for y in 0..width {
        if y % scale != 0 {
            rows.push(FILTER_UP);
            let len = rows.len();
            rows.resize(len + row_bytes, 0);
            continue;
        }
        row.fill(0xFF);
        for module in (0..width / scale).filter(|&m| is_dark(m, y / scale)) {
            for x in module * scale..(module + 1) * scale {
                row[x / 8] &= !(0x80 >> (x % 8));
            }
        }
        rows.push(FILTER_NONE);
        rows.extend_from_slice(&row);
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
