//! otpauth URI -> QR code (qrcodegen-no-heap) -> 1-bit PNG -> `data:` URI.

use crate::otp::SecretString;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use miniz_oxide::DataFormat;
use miniz_oxide::deflate::core::{CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output};
use qrcodegen_no_heap::{Mask, QrCode, QrCodeEcc, Version};
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

/// The PNG bytes of a QR code of `text` (byte mode, level M, mask 7, the
/// smallest version that holds it).
pub fn qr_png(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
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
    let side = code.size() as usize + 2 * QUIET_ZONE;
    let scale = MIN_WIDTH_PX.div_ceil(side);
    let width = side * scale;
    let rows = filtered_rows(side, scale, |x, y| {
        // Outside the symbol (the quiet zone) `get_module` answers light.
        let offset = QUIET_ZONE as i32;
        code.get_module(x as i32 - offset, y as i32 - offset)
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
