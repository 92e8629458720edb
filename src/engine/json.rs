//! Writes response bodies as JSON: serde_json's compact output, byte for byte,
//! straight into a buffer that wipes what it leaves behind.
//!
//! serde_json looks up every byte of every string (keys included) in its
//! escape table, one at a time, and makes a writer call for each quote, comma
//! and colon. Here a string's plain runs are found eight bytes at a time and
//! copied whole; numbers, and nothing else, are handed to serde_json.

use crate::wipe::wipe;
use serde::Serialize;
use serde::ser::{self, Error as _};
use zeroize::Zeroizing;

type Error = serde_json::Error;

/// Serialises a response body. Bodies can hold secrets, so the text is built
/// in a buffer that wipes what it leaves behind when it grows. Infallible for
/// these types (string keys, no non-finite floats).
pub fn to_json<T: Serialize>(body: &T) -> Zeroizing<String> {
    write_json(body).0
}

/// JSON text with no NUL byte in it (the writer escapes every control
/// character), so that it can become a C string as it is.
pub struct Json(Zeroizing<String>);

impl Json {
    /// The text, NUL-free.
    pub fn into_text(self) -> Zeroizing<String> {
        self.0
    }
}

impl std::ops::Deref for Json {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// As [`to_json`], keeping the knowledge that the text has no NUL.
pub fn write_json<T: Serialize>(body: &T) -> Json {
    // Most bodies fit; a larger one (a QR code) grows the buffer once or twice.
    let mut out = WipingBuffer(Vec::with_capacity(1024));
    Json(Zeroizing::new(match body.serialize(&mut out) {
        // SAFETY: only whole UTF-8 strings and ASCII are written.
        Ok(()) => unsafe { String::from_utf8_unchecked(std::mem::take(&mut out.0)) },
        Err(e) => serialisation_failed(&e),
    }))
}

/// The body of a serialisation error (none is expected), NUL-free as any.
#[cold]
fn serialisation_failed(e: &Error) -> String {
    let e = e.to_string().replace('\0', "");
    format!(
        r#"{{"status_code":500,"error_type":"internal_server_error","error_message":"cannot serialise the response: {e}"}}"#
    )
}

/// A byte buffer that zeroes its old allocation whenever it has to move. Only
/// its text needs wiping: the spare capacity never held any.
struct WipingBuffer(Vec<u8>);

impl WipingBuffer {
    /// Room for `more` bytes, moving to a larger buffer (and wiping the old
    /// one) when needed.
    #[cold]
    fn grow(&mut self, more: usize) {
        let mut bigger = Vec::with_capacity((self.0.len() + more).max(2 * self.0.capacity()));
        bigger.extend_from_slice(&self.0);
        wipe(&mut self.0);
        self.0 = bigger;
    }

    /// Room for `more` bytes, so that the pushes that follow do not move it.
    #[inline]
    fn reserve(&mut self, more: usize) {
        if self.0.capacity() - self.0.len() < more {
            self.grow(more);
        }
    }

    #[inline]
    fn extend(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        self.0.extend_from_slice(bytes);
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        self.reserve(1);
        self.0.push(byte);
    }

    /// A JSON string, escaped exactly as serde_json escapes it.
    #[inline]
    fn string(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if !is_plain(bytes) {
            return self.escaped(bytes);
        }
        self.reserve(bytes.len() + 2);
        self.0.push(b'"');
        self.0.extend_from_slice(bytes);
        self.0.push(b'"');
    }

    /// A struct field's name and its colon, after a comma unless it is the
    /// first. Field names are the models' own (`derive(Serialize)` hands
    /// them over as `&'static str`), never text from outside: they are
    /// written without the escape check, which costs more than the copy.
    /// Tests hold every model's names to needing no escape.
    #[inline]
    fn field_name(&mut self, name: &'static str, first: bool) {
        let name = name.as_bytes();
        debug_assert!(is_plain(name));
        self.reserve(name.len() + 4);
        let comma = usize::from(!first);
        let len = self.0.len();
        // SAFETY: `reserve` made room for a comma, the name and its three
        // bytes of punctuation; every byte up to the new length is written.
        unsafe {
            let at = self.0.as_mut_ptr().add(len);
            at.write(b',');
            at.add(comma).write(b'"');
            std::ptr::copy_nonoverlapping(name.as_ptr(), at.add(comma + 1), name.len());
            at.add(comma + 1 + name.len())
                .cast::<[u8; 2]>()
                .write_unaligned(*b"\":");
            self.0.set_len(len + comma + name.len() + 3);
        }
    }

    /// A string with bytes to escape (rare: response text is mostly IDs).
    #[cold]
    fn escaped(&mut self, bytes: &[u8]) {
        self.push(b'"');
        // `copied`: where the run not yet written starts.
        let mut copied = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            if let Some(escape) = escape(byte) {
                self.extend(&bytes[copied..i]);
                self.extend(escape.as_bytes());
                copied = i + 1;
            }
        }
        self.extend(&bytes[copied..]);
        self.push(b'"');
    }

    /// A number, as serde_json writes it.
    fn number<T: Serialize>(&mut self, n: T) -> Result<(), Error> {
        serde_json::to_writer(self, &n)
    }
}

impl std::io::Write for WipingBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.extend(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for WipingBuffer {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `word` is a control character, a quote
/// or a backslash: the bytes JSON escapes. `x - n * ONES` sets a byte's high
/// bit where that byte of `x` was below `n` (or borrowed from one that was),
/// so with `!word & HIGHS` (bytes below 0x80) the test is exact: a byte
/// below 0x20, or one that XORs to zero with a quote or a backslash.
const fn has_special(word: u64) -> bool {
    let below_space = word.wrapping_sub(0x20 * ONES);
    let quote = (word ^ (b'"' as u64 * ONES)).wrapping_sub(ONES);
    let backslash = (word ^ (b'\\' as u64 * ONES)).wrapping_sub(ONES);
    (below_space | quote | backslash) & !word & HIGHS != 0
}

/// Whether no byte of `bytes` needs escaping: sixteen at a time from 16
/// bytes on (the last sixteen overlap the others when the length is not a
/// multiple of sixteen), eight at a time below that.
#[inline]
fn is_plain(bytes: &[u8]) -> bool {
    if bytes.len() >= 16 {
        let block = |chunk: &[u8]| !has_special_16(chunk.try_into().unwrap_or(&[0; 16]));
        let chunks = bytes.chunks_exact(16);
        return chunks.into_iter().all(block) && block(&bytes[bytes.len() - 16..]);
    }
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    if bytes.len() < 8 {
        return bytes.iter().all(|&b| escape(b).is_none());
    }
    !has_special(word(&bytes[..8])) && !has_special(word(&bytes[bytes.len() - 8..]))
}

/// Whether any of sixteen bytes needs escaping. Branch-free over the block,
/// so that the compiler tests it as one vector.
#[inline]
fn has_special_16(block: &[u8; 16]) -> bool {
    block.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// serde_json's escape of a byte, if it needs one.
fn escape(byte: u8) -> Option<&'static str> {
    const CONTROL: [&str; 32] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010", "\\u0011",
        "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
        "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ];
    match byte {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        0..0x20 => Some(CONTROL[usize::from(byte)]),
        _ => None,
    }
}

/// An open array or object: writes the commas between its items and its
/// closing bytes (`]`, `}`, or `]}` / `}}` for an enum variant's).
struct Compound<'a> {
    out: &'a mut WipingBuffer,
    first: bool,
    close: &'static [u8],
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut WipingBuffer, open: &[u8], close: &'static [u8]) -> Self {
        out.extend(open);
        Self {
            out,
            first: true,
            close,
        }
    }

    /// An enum variant's list or object, inside an object of one key.
    fn variant(
        out: &'a mut WipingBuffer,
        variant: &str,
        open: &[u8],
        close: &'static [u8],
    ) -> Self {
        out.push(b'{');
        out.string(variant);
        Self::open(out, open, close)
    }

    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.out)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.out.field_name(key, std::mem::take(&mut self.first));
        value.serialize(&mut *self.out)
    }

    /// A map key: a string, or a number or boolean written as one (as
    /// serde_json's keys are); anything else is an error.
    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        let start = self.out.0.len();
        key.serialize(&mut *self.out)?;
        match self.out.0.get(start) {
            Some(b'"') => {}
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => {
                // Through `push`, so that a move of the buffer wipes it.
                self.out.push(b'"');
                self.out.0[start..].rotate_right(1);
                self.out.push(b'"');
            }
            _ => return Err(Error::custom("key must be a string")),
        }
        self.out.push(b':');
        Ok(())
    }

    fn close(self) -> Result<(), Error> {
        self.out.extend(self.close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut WipingBuffer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.extend(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut list = Compound::open(self, b"[", b"]");
        v.iter().try_for_each(|byte| list.item(byte))?;
        list.close()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.extend(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut object = Compound::open(self, b"{", b"}");
        object.field(variant, value)?;
        object.close()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, b"[", b"]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(Compound::variant(self, variant, b":[", b"]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, b"{", b"}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, b"{", b"}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(Compound::variant(self, variant, b":{", b"}}"))
    }
}

/// One implementation for every kind of list and object serde distinguishes.
macro_rules! compound {
    ($($trait:ident: $method:ident($($key:ident: $key_type:ty)?) => $how:ident;)*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(
                &mut self,
                $($key: $key_type,)?
                value: &T,
            ) -> Result<(), Error> {
                self.$how($($key,)? value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

compound! {
    SerializeSeq: serialize_element() => item;
    SerializeTuple: serialize_element() => item;
    SerializeTupleStruct: serialize_field() => item;
    SerializeTupleVariant: serialize_field() => item;
    SerializeStruct: serialize_field(key: &'static str) => field;
    SerializeStructVariant: serialize_field(key: &'static str) => field;
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.out)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Both writers, byte for byte.
    fn same_as_serde_json<T: Serialize>(value: &T) {
        let ours = to_json(value);
        let theirs = serde_json::to_string(value).unwrap();
        assert_eq!(ours.as_str(), theirs);
    }

    #[test]
    fn every_field_name_of_every_body_needs_no_escape() {
        // The schema is generated from the models (a drift check keeps it so).
        fn names(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::Object(properties)) = map.get("properties") {
                        out.extend(properties.keys().cloned());
                    }
                    map.values().for_each(|v| names(v, out));
                }
                Value::Array(list) => list.iter().for_each(|v| names(v, out)),
                _ => {}
            }
        }
        let schema = include_str!("../../schema/stytch_totp.schema.json");
        let mut found = Vec::new();
        names(&serde_json::from_str(schema).unwrap(), &mut found);
        assert!(found.len() > 50, "{found:?}");
        for name in found {
            assert!(is_plain(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn the_sixteen_byte_test_finds_every_byte_json_escapes_wherever_it_is() {
        for byte in 0..=u8::MAX {
            for at in 0..16 {
                let mut block = [b'a'; 16];
                block[at] = byte;
                assert_eq!(has_special_16(&block), escape(byte).is_some(), "{byte:#x}");
            }
        }
    }

    #[test]
    fn the_eight_byte_test_finds_every_byte_json_escapes_wherever_it_is() {
        for byte in 0..=u8::MAX {
            for filler in [b'a', b' ', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'] {
                for at in 0..8 {
                    let mut word = [filler; 8];
                    word[at] = byte;
                    assert_eq!(
                        has_special(u64::from_le_bytes(word)),
                        escape(byte).is_some(),
                        "{byte:#x} at {at} among {filler:#x}"
                    );
                }
            }
        }
    }

    #[test]
    fn json_text_never_holds_a_nul_byte() {
        let text = write_json(&("a\0b", '\0', ["\0"; 9].concat()));
        assert_eq!(
            &*text,
            r#"["a\u0000b","\u0000","\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"]"#
        );
        let failed = serialisation_failed(&Error::custom("bad\0key"));
        assert!(failed.contains("badkey"), "{failed}");
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0..=0x7fu8).map(char::from).collect();
        let mut strings = vec![
            String::new(),
            every_ascii.clone(),
            every_ascii.chars().rev().collect(),
            "plain text that is longer than a few words".to_owned(),
            "é\u{2028}\u{1F600}\"\\\u{7f}\u{0}x".to_owned(),
        ];
        // Every ASCII byte at every offset of runs tested a byte, a word
        // and sixteen bytes at a time.
        for len in [4, 11, 17, 31, 40] {
            for byte in 0..=0x7fu8 {
                for at in 0..=len {
                    let mut s = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"[..len].to_owned();
                    s.insert(at, char::from(byte));
                    strings.push(s);
                }
            }
        }
        for s in &strings {
            same_as_serde_json(s);
        }
        same_as_serde_json(&strings);
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        #[derive(Serialize)]
        enum Kind {
            Unit,
            Newtype(u8),
            Tuple(i32, String),
            Struct { a: Option<bool> },
        }
        #[derive(Serialize)]
        struct Flat {
            x: u16,
        }
        #[derive(Serialize)]
        struct All {
            kinds: Vec<Kind>,
            #[serde(flatten)]
            flat: Flat,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            none: Option<String>,
            unit: (),
            tuple: (i64, f64, char),
            empty: Vec<u8>,
            numbers: std::collections::BTreeMap<i32, f32>,
            value: serde_json::Value,
        }
        same_as_serde_json(&All {
            kinds: vec![
                Kind::Unit,
                Kind::Newtype(7),
                Kind::Tuple(-3, "t\n".into()),
                Kind::Struct { a: Some(true) },
                Kind::Struct { a: None },
            ],
            flat: Flat { x: 65535 },
            skipped: None,
            none: None,
            unit: (),
            tuple: (i64::MIN, 1.5e300, '"'),
            empty: vec![],
            numbers: [(-1, 0.1), (2, f32::NAN)].into(),
            value: json!({"b": [1, -2, 3.25, u64::MAX, null, {}, []], "a\"": {"c": "d"}, "e": f64::MIN}),
        });
    }
}
