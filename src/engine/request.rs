//! Reading request bodies: each field checked for its type, with errors that
//! name the field.

use super::error::ApiError;
use serde_json::{Map, Value};

/// Largest request body or config accepted, in bytes.
pub const MAX_BODY_LEN: usize = 64 * 1024;

/// A JSON object whose fields are taken one by one; `finish` rejects the rest.
pub struct Fields {
    map: Map<String, Value>,
    what: String,
    error: fn(String) -> ApiError,
}

impl Fields {
    /// `what` names the object in errors ("request body", "lockout", …), and
    /// `error` makes them (`ApiError::bad_request` for requests).
    pub fn new(value: Value, what: &str, error: fn(String) -> ApiError) -> Result<Self, ApiError> {
        match value {
            Value::Object(map) => Ok(Self {
                map,
                what: what.to_owned(),
                error,
            }),
            _ => Err(error(format!("the {what} must be a JSON object"))),
        }
    }

    /// Parses a request body; an empty body is an empty object.
    pub fn parse(body: Option<&str>) -> Result<Self, ApiError> {
        let body = body
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or("{}");
        if body.len() > MAX_BODY_LEN {
            return Err(ApiError::bad_request(format!(
                "the request body is larger than {MAX_BODY_LEN} bytes"
            )));
        }
        let value = serde_json::from_str(body).map_err(|e| {
            ApiError::bad_request(format!("the request body is not valid JSON ({e})"))
        })?;
        Self::new(value, "request body", |detail| {
            ApiError::bad_request(detail)
        })
    }

    /// An optional field; JSON `null` counts as absent.
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    pub fn opt_str(&mut self, key: &str) -> Result<Option<String>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err((self.error)(format!("{key} must be a string"))),
        }
    }

    pub fn str(&mut self, key: &str) -> Result<String, ApiError> {
        self.opt_str(key)?
            .ok_or_else(|| (self.error)(format!("{key} is required")))
    }

    pub fn opt_int(&mut self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| (self.error)(format!("{key} must be an integer"))),
        }
    }

    /// An optional integer that must lie in `min..=max`.
    pub fn opt_int_in(
        &mut self,
        key: &str,
        (min, max): (i64, i64),
    ) -> Result<Option<i64>, ApiError> {
        match self.opt_int(key)? {
            Some(n) if !(min..=max).contains(&n) => Err((self.error)(format!(
                "{key} must be between {min} and {max}, got {n}"
            ))),
            n => Ok(n),
        }
    }

    pub fn opt_bool(&mut self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err((self.error)(format!("{key} must be true or false"))),
        }
    }

    pub fn opt_array(&mut self, key: &str) -> Result<Option<Vec<Value>>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err((self.error)(format!("{key} must be an array"))),
        }
    }

    pub fn opt_object(&mut self, key: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err((self.error)(format!("{key} must be an object"))),
        }
    }

    /// An optional nested object, read field by field like this one.
    pub fn opt_fields(&mut self, key: &str) -> Result<Option<Fields>, ApiError> {
        let error = self.error;
        self.opt_object(key)?
            .map(|map| Fields::new(Value::Object(map), key, error))
            .transpose()
    }

    /// Refuses a parameter this library accepts in Stytch's API but does not implement.
    pub fn refuse(&mut self, key: &str, why: &str) -> Result<(), ApiError> {
        match self.map.contains_key(key) {
            true => Err((self.error)(format!("{key} is not supported: {why}"))),
            false => Ok(()),
        }
    }

    /// Fails if any field was not taken.
    pub fn finish(self) -> Result<(), ApiError> {
        match self.map.keys().next() {
            Some(key) => Err((self.error)(format!(
                "unknown field {} in the {}",
                echo(key),
                self.what
            ))),
            None => Ok(()),
        }
    }
}

/// What an error message may repeat of a word the caller sent (a field name,
/// a method): the word itself, quoted, when it is 1 to 24 ASCII letters and
/// underscores, else a placeholder. No secret this library issues has that
/// form (codes have digits or dashes; a key is 32 characters), and a caller's
/// own secrets rarely do.
pub fn echo(word: &str) -> String {
    let plain = (1..=24).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_');
    match plain {
        true => format!("\"{word}\""),
        false => "(not shown)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_words_are_echoed() {
        assert_eq!(echo("user_id"), "\"user_id\"");
        assert_eq!(echo("POST"), "\"POST\"");
        for hidden in [
            "",
            "abcd-efgh-ijkl",
            "123456",
            "/v1/totps/recover/abcd",
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZDGNBVGYTQOJQGEZDGNBVGYTQOJQA",
            "a\"b",
        ] {
            assert_eq!(echo(hidden), "(not shown)", "{hidden:?}");
        }
    }
}
