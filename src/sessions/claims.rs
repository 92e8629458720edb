//! `session_custom_claims`: Stytch's merge rules and limits.
//!
//! A request's claims are merged into the session's: a value replaces the
//! old one, `null` deletes the key, and an object merges into an object the
//! same way, level by level. The claims become top-level JWT claims, so
//! registered JWT names and `https://stytch.com/` names are refused (Stytch's
//! guide: "reserved and will result in an error"), and the merged claims may
//! not exceed four kilobytes of JSON.

use super::error::SessionError;
use serde_json::{Map, Value};

/// The largest custom-claims object, in bytes of compact JSON.
pub const MAX_CUSTOM_CLAIMS_BYTES: usize = 4096;

/// Registered JWT claim names a custom claim may not use.
pub const RESERVED_CLAIMS: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// Claim names Stytch keeps for itself (the session claim among them).
pub const STYTCH_CLAIM_PREFIX: &str = "https://stytch.com/";

/// The claims `current` becomes once `update` (a request's
/// `session_custom_claims`) is applied. `current` is left as it was when the
/// update is refused.
pub fn merge_custom_claims(
    current: &Map<String, Value>,
    update: &Value,
) -> Result<Map<String, Value>, SessionError> {
    let Value::Object(update) = update else {
        return Err(SessionError::ClaimsNotAnObject);
    };
    for name in update.keys() {
        if RESERVED_CLAIMS.contains(&name.as_str()) {
            return Err(SessionError::ReservedClaim(name.clone()));
        }
        if name.starts_with(STYTCH_CLAIM_PREFIX) {
            return Err(SessionError::StytchClaim(name.clone()));
        }
    }
    let mut merged = current.clone();
    merge_into(&mut merged, update);
    let size = serde_json::to_vec(&merged).map_or(usize::MAX, |json| json.len());
    if size > MAX_CUSTOM_CLAIMS_BYTES {
        return Err(SessionError::ClaimsTooLarge);
    }
    Ok(merged)
}

fn merge_into(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(inner) => {
                let slot = target
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(existing) = slot {
                    merge_into(existing, inner);
                }
            }
            other => {
                target.insert(key.clone(), other.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn merge(current: Value, update: Value) -> Result<Value, SessionError> {
        merge_custom_claims(&map(current), &update).map(Value::Object)
    }

    #[test]
    fn values_replace_and_null_deletes() {
        assert_eq!(
            merge(json!({}), json!({"key_1": 1, "key_2": 2})).unwrap(),
            json!({"key_1": 1, "key_2": 2})
        );
        assert_eq!(
            merge(json!({"key_1": 1, "key_2": 2}), json!({"key_1": 9})).unwrap(),
            json!({"key_1": 9, "key_2": 2})
        );
        assert_eq!(
            merge(json!({"key_1": 1, "key_2": 2}), json!({"key_1": null})).unwrap(),
            json!({"key_2": 2})
        );
        assert_eq!(
            merge(json!({"a": 1}), json!({"missing": null})).unwrap(),
            json!({"a": 1})
        );
    }

    /// The nested example of Stytch's custom-claims guide, step by step.
    #[test]
    fn objects_merge_level_by_level() {
        let step1 = merge(
            json!({"a": 1, "b": 2, "d": 4}),
            json!({"a": null, "b": null, "c": 3.5, "e": {"nested1": "val1", "nested2": "val2"}}),
        )
        .unwrap();
        assert_eq!(
            step1,
            json!({"c": 3.5, "d": 4, "e": {"nested1": "val1", "nested2": "val2"}})
        );
        let step2 = merge(step1, json!({"e": {"nested1": null, "nested3": "val3"}})).unwrap();
        assert_eq!(
            step2,
            json!({"c": 3.5, "d": 4, "e": {"nested2": "val2", "nested3": "val3"}})
        );
        // An object replacing a scalar starts empty; its nulls vanish.
        assert_eq!(
            merge(json!({"x": 1}), json!({"x": {"y": null, "z": [1, null]}})).unwrap(),
            json!({"x": {"z": [1, null]}})
        );
        // Arrays are values: replaced whole.
        assert_eq!(
            merge(json!({"x": [1, 2]}), json!({"x": [3]})).unwrap(),
            json!({"x": [3]})
        );
    }

    #[test]
    fn reserved_and_stytch_names_are_refused_at_the_top_level_only() {
        for name in RESERVED_CLAIMS {
            assert_eq!(
                merge(json!({}), json!({"ok": 1, name: "x"})),
                Err(SessionError::ReservedClaim(name.into()))
            );
            assert_eq!(
                merge(json!({}), json!({name: null})),
                Err(SessionError::ReservedClaim(name.into())),
                "deleting {name} is setting it too"
            );
        }
        assert_eq!(
            merge(json!({}), json!({"https://stytch.com/session": {}})),
            Err(SessionError::StytchClaim(
                "https://stytch.com/session".into()
            ))
        );
        assert_eq!(
            merge(json!({}), json!({"https://stytch.com/anything": 1})),
            Err(SessionError::StytchClaim(
                "https://stytch.com/anything".into()
            ))
        );
        // Nested names are the application's own; look-alikes are not reserved.
        assert_eq!(
            merge(
                json!({}),
                json!({"user": {"iss": 1, "sub": 2}, "issuer": 3, "https://stytch.co/x": 4})
            )
            .unwrap(),
            json!({"user": {"iss": 1, "sub": 2}, "issuer": 3, "https://stytch.co/x": 4})
        );
    }

    #[test]
    fn only_objects_are_claims() {
        for bad in [json!(null), json!([1]), json!("x"), json!(1), json!(true)] {
            assert_eq!(merge(json!({}), bad), Err(SessionError::ClaimsNotAnObject));
        }
    }

    #[test]
    fn the_merged_claims_are_capped_at_four_kilobytes() {
        // {"k":"<v>"} is 8 bytes of JSON around the value.
        let fits = "v".repeat(MAX_CUSTOM_CLAIMS_BYTES - 8);
        let merged = merge(json!({}), json!({"k": fits})).unwrap();
        assert_eq!(
            serde_json::to_vec(&merged).unwrap().len(),
            MAX_CUSTOM_CLAIMS_BYTES
        );
        let over = "v".repeat(MAX_CUSTOM_CLAIMS_BYTES - 7);
        assert_eq!(
            merge(json!({}), json!({"k": over})),
            Err(SessionError::ClaimsTooLarge)
        );
        // The cap is on the result: a large session can shrink, and a small
        // update cannot push it over.
        let big = json!({"k": fits});
        assert_eq!(
            merge(big.clone(), json!({"more": 1})),
            Err(SessionError::ClaimsTooLarge)
        );
        assert_eq!(merge(big, json!({"k": null})).unwrap(), json!({}));
    }
}
