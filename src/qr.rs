//! otpauth URI -> QR code -> 1-bit PNG -> `data:` URI.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use qrcode::{Color, EcLevel, QrCode};

/// Prefix of every `qr_code` value, as in Stytch's documentation (with its space).
pub const DATA_URI_PREFIX: &str = "data:image/png;base64, ";
/// Blank modules around the symbol (ISO/IEC 18004 asks for at least 4).
pub const QUIET_ZONE: usize = 4;
/// The image is at least this wide, so that phone cameras read it at a distance.
pub const MIN_WIDTH_PX: usize = 200;

/// A QR code of `text` as a PNG `data:` URI: black on white, 1 bit per pixel,
/// whole pixels per module, at least `MIN_WIDTH_PX` wide.
pub fn qr_data_uri(text: &str) -> Result<String, String> {
    let png = qr_png(text)?;
    let mut uri = String::with_capacity(DATA_URI_PREFIX.len() + png.len().div_ceil(3) * 4);
    uri.push_str(DATA_URI_PREFIX);
    STANDARD.encode_string(&png, &mut uri);
    Ok(uri)
}

/// The PNG bytes of a QR code of `text`.
pub fn qr_png(text: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M)
        .map_err(|e| format!("cannot encode the QR code: {e}"))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = modules + 2 * QUIET_ZONE;
    let scale = MIN_WIDTH_PX.div_ceil(side);
    let width = side * scale;
    let row_bytes = width.div_ceil(8);

    // Grayscale at 1 bit: a set bit is white. Start all white, then blacken modules.
    let mut pixels = vec![0xFFu8; row_bytes * width];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * scale..(my + 1) * scale {
            for x in mx * scale..(mx + 1) * scale {
                pixels[y * row_bytes + x / 8] &= !(0x80 >> (x % 8));
            }
        }
    }

    let mut png = Vec::with_capacity(1024);
    let mut encoder = png::Encoder::new(&mut png, width as u32, width as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::High);
    // Every pixel row repeats the one above it `scale` times; the Up filter turns
    // those rows into zeros, which deflate shrinks to almost nothing.
    encoder.set_filter(png::Filter::Up);
    let mut writer = encoder
        .write_header()
        .map_err(|e| format!("cannot write the PNG: {e}"))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| format!("cannot write the PNG: {e}"))?;
    writer
        .finish()
        .map_err(|e| format!("cannot write the PNG: {e}"))?;
    Ok(png)
}
