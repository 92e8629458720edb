//! A request body, read for a route whose fields are known in advance.
//!
//! The body is parsed once, in one pass, with serde_json's parser: each known
//! field's string is borrowed from the body (copied only if it has escapes),
//! other values become `serde_json::Value`s, and unknown fields are kept by
//! name for the error that names them. It is the same parse, with the same
//! errors, as reading the body into a `Value` first: every value the parser
//! meets is deserialised, none skipped, and a body that is not an object is
//! read to its end before it is refused, so that bad JSON anywhere wins.

use super::error::ApiError;
use super::request::{
    Fields, Input, body_text, not_an_object, not_valid_json, shape_error, unknown_field,
};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::fmt;

/// Most fields a route's body has.
const MAX_FIELDS: usize = 6;

/// A request body's fields, read in place by the route's request.
pub struct Body<'a> {
    known: &'static [&'static str],
    /// Each known field's value, in `known`'s order; the last one given wins.
    values: [Option<Slot<'a>>; MAX_FIELDS],
    /// The other fields, in the order a `serde_json::Map` keeps.
    unknown: Map<String, Value>,
}

/// A field's value: text, or any other JSON value (`null` included).
#[derive(Debug, PartialEq)]
enum Slot<'a> {
    Text(Cow<'a, str>),
    Json(Value),
}

/// A field as a request reads it; `null` is absent.
enum Field<'f> {
    Text(&'f str),
    Json(&'f Value),
}

impl<'a> Body<'a> {
    /// Parses a request body whose fields are `known`; an empty body is an
    /// empty object.
    pub fn parse(body: Option<&'a str>, known: &'static [&'static str]) -> Result<Self, ApiError> {
        assert!(
            known.len() <= MAX_FIELDS,
            "a body of at most {MAX_FIELDS} fields"
        );
        let mut fields = Self {
            known,
            values: Default::default(),
            unknown: Map::new(),
        };
        let Some(body) = body_text(body)? else {
            return Ok(fields);
        };
        let mut parser = serde_json::Deserializer::from_str(body);
        let is_object = parser
            .deserialize_any(&mut fields)
            .and_then(|is_object| parser.end().map(|()| is_object))
            .map_err(not_valid_json)?;
        match is_object {
            true => Ok(fields),
            false => Err(not_an_object("request body", ApiError::bad_request)),
        }
    }

    fn field(&self, key: &str) -> Option<Field<'_>> {
        let value = match self.known.iter().position(|k| *k == key) {
            Some(i) => self.values[i].as_ref()?,
            None => return self.unknown.get(key).and_then(Field::of_value),
        };
        match value {
            Slot::Text(text) => Some(Field::Text(text)),
            Slot::Json(value) => Field::of_value(value),
        }
    }

    /// A string field as the request layer's [`Input`].
    pub fn input(&self, key: &str) -> Input<'_> {
        match self.field(key) {
            None => Input::Absent,
            Some(Field::Text(text)) => Input::Text(text),
            Some(Field::Json(_)) => Input::WrongType("a string"),
        }
    }

    /// A field's JSON value (`null` is absent).
    pub fn value(&self, key: &str) -> Option<Value> {
        match self.field(key)? {
            Field::Text(text) => Some(Value::String(text.to_owned())),
            Field::Json(value) => Some(value.clone()),
        }
    }

    /// An optional integer field (`null` is absent).
    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        let given = self.field(key).map(|field| match field {
            Field::Json(value) => value.as_i64(),
            Field::Text(_) => None,
        });
        Fields::integer(key, given, ApiError::bad_request)
    }

    /// An optional integer that must lie in `min..=max`.
    pub fn int_in(&self, key: &str, range: (i64, i64)) -> Result<Option<i64>, ApiError> {
        Fields::in_range(key, self.int(key)?, range, ApiError::bad_request)
    }

    /// An optional nested object, copied out to be read field by field.
    pub fn nested(&self, key: &str) -> Result<Option<Fields>, ApiError> {
        match self.field(key) {
            None => Ok(None),
            Some(Field::Json(value @ Value::Object(_))) => {
                Fields::new(value.clone(), key, ApiError::bad_request).map(Some)
            }
            Some(_) => Err(shape_error(key, Input::WrongType("an object"))),
        }
    }

    /// Refuses a parameter this library accepts in Stytch's API but does not
    /// implement (even given as `null`).
    pub fn refuse(&self, key: &str, why: &str) -> Result<(), ApiError> {
        let given = match self.known.iter().position(|k| *k == key) {
            Some(i) => self.values[i].is_some(),
            None => self.unknown.contains_key(key),
        };
        match given {
            true => Err(ApiError::bad_request(format!(
                "{key} is not supported: {why}"
            ))),
            false => Ok(()),
        }
    }

    /// Fails for a field the route does not know.
    pub fn only_known(&self) -> Result<(), ApiError> {
        match self.unknown.keys().next() {
            Some(key) => Err(unknown_field(key, "request body", ApiError::bad_request)),
            None => Ok(()),
        }
    }
}

impl<'f> Field<'f> {
    fn of_value(value: &'f Value) -> Option<Self> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(Field::Text(text)),
            value => Some(Field::Json(value)),
        }
    }
}

/// Reads the body into its fields if it is an object (true), else to its end
/// (false).
impl<'de> Visitor<'de> for &mut Body<'de> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while let Some(Text(key)) = map.next_key()? {
            match self.known.iter().position(|k| *k == key) {
                Some(i) => self.values[i] = Some(map.next_value()?),
                None => {
                    let value = map.next_value()?;
                    self.unknown.insert(key.into_owned(), value);
                }
            }
        }
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<Value>()?.is_some() {}
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(false)
    }
}

/// A string, borrowed from the body unless it had escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(SlotVisitor)? {
            Slot::Text(text) => Ok(Text(text)),
            Slot::Json(_) => Err(de::Error::custom("a key is a string")),
        }
    }
}

impl<'de> Deserialize<'de> for Slot<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SlotVisitor)
    }
}

/// Reads a value as `serde_json::Value` reads it, but keeps strings borrowed.
struct SlotVisitor;

impl<'de> Visitor<'de> for SlotVisitor {
    type Value = Slot<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Slot<'de>, E> {
        Ok(Slot::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Slot<'de>, E> {
        Ok(Slot::Text(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E>(self, text: String) -> Result<Slot<'de>, E> {
        Ok(Slot::Text(Cow::Owned(text)))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Slot<'de>, E> {
        Ok(Slot::Json(Value::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Slot<'de>, E> {
        Ok(Slot::Json(Value::Number(n.into())))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Slot<'de>, E> {
        Ok(Slot::Json(Value::Number(n.into())))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Slot<'de>, E> {
        Ok(Slot::Json(
            Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_unit<E>(self) -> Result<Slot<'de>, E> {
        Ok(Slot::Json(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Slot<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Slot::Json)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Slot<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Slot::Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["a", "b", "c", "n"];

    #[test]
    fn fields_are_read_as_a_json_value_would_give_them() {
        let body = Body::parse(
            Some(r#" {"a":"x","b":null,"c":5,"a":"y\n","z":[{}]} "#),
            KNOWN,
        );
        let body = body.unwrap();
        assert_eq!(body.input("a"), Input::Text("y\n"));
        assert_eq!(body.input("b"), Input::Absent);
        assert_eq!(body.input("n"), Input::Absent);
        assert_eq!(body.input("c"), Input::WrongType("a string"));
        assert_eq!(body.int("c").unwrap(), Some(5));
        assert!(body.int("a").is_err());
        assert_eq!(body.value("z"), Some(serde_json::json!([{}])));
        assert!(body.refuse("b", "no").is_err() && body.refuse("n", "no").is_ok());
        let unknown = body.only_known().unwrap_err();
        assert!(
            unknown
                .error_message
                .ends_with("unknown field \"z\" in the request body")
        );
        assert!(Body::parse(Some(" "), KNOWN).unwrap().only_known().is_ok());
    }

    #[test]
    fn strings_without_escapes_are_borrowed_from_the_body() {
        let text = r#"{"a":"plain","b":"esc\"aped"}"#;
        let body = Body::parse(Some(text), KNOWN).unwrap();
        assert!(matches!(
            body.values[0],
            Some(Slot::Text(Cow::Borrowed("plain")))
        ));
        assert!(matches!(&body.values[1], Some(Slot::Text(Cow::Owned(s))) if s == "esc\"aped"));
    }

    /// The error a body gets, or the fields of `Value` it would be read as.
    fn outcome(text: &str) -> Result<Vec<(String, Value)>, String> {
        let body = Body::parse(Some(text), KNOWN).map_err(|e| e.error_message)?;
        let mut fields: Vec<_> = (body.known.iter().zip(&body.values))
            .filter_map(|(k, v)| Some((k.to_string(), v.as_ref()?)))
            .map(|(k, v)| match v {
                Slot::Text(t) => (k, Value::String(t.to_string())),
                Slot::Json(v) => (k, v.clone()),
            })
            .chain(body.unknown.clone())
            .collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(fields)
    }

    /// The same, by way of `serde_json::Value`, as bodies were read before.
    fn through_value(text: &str) -> Result<Vec<(String, Value)>, String> {
        let fields = Fields::parse(Some(text)).map_err(|e| e.error_message)?;
        Ok(fields.into_map().into_iter().collect())
    }

    #[test]
    fn every_body_reads_or_fails_exactly_as_through_a_json_value() {
        for text in [
            r#"{"a":"\ud800"}"#,
            r#"{"z":"\ud800"}"#,
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"[1,"\ud800"]"#,
            r#"[1,2"#,
            r#"[1,2]"#,
            r#""text""#,
            "12",
            "1e999",
            r#"{"a":1e999}"#,
            r#"{"n":-0.0,"c":18446744073709551615,"b":-9223372036854775808}"#,
            r#"{"a":{"b":[1,{"c":"\u00e9"}]},"k\u0041":true}"#,
            r#"{"a" 1}"#,
            r#"{"a":tru}"#,
            r#"{"a":"x","a":2}"#,
            r#"{"\ud83d\ude00":null}"#,
            &format!("{}1{}", "[".repeat(200), "]".repeat(200)),
            &format!(r#"{{"a":{}1{}}}"#, "[".repeat(126), "]".repeat(126)),
            &format!(r#"{{"a":{}1{}}}"#, "[".repeat(127), "]".repeat(127)),
            &format!(r#"{{"z":{}1{}}}"#, "[".repeat(127), "]".repeat(127)),
        ] {
            assert_eq!(outcome(text), through_value(text), "{text}");
        }
    }
}
