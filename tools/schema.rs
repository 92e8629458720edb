//! Prints the JSON Schema of every body the library returns, as the engine's
//! models describe them: the one source that the bindings' declarations are
//! generated from (`make schema`, then `make bindings`).

use schemars::generate::{Contract, SchemaSettings};
use serde_json::{Map, Value, json};
use stytch_totp::engine::models::{
    ErrorResponse, JwksResponse, SessionsAuthenticateResponse, SessionsGetResponse,
    SessionsRevokeResponse, TotpAuthenticateResponse, TotpCreateResponse, TotpRecoverResponse,
    TotpRecoveryCodesResponse, UsersCreateResponse, UsersDeleteResponse, UsersDeleteTotpResponse,
    UsersGetResponse, UsersSearchResponse,
};

fn main() {
    let mut settings = SchemaSettings::draft2020_12();
    // The bodies as the library writes them: every field present.
    settings.contract = Contract::Serialize;
    let mut generator = settings.into_generator();
    let mut routes = Map::new();
    let mut add = |route: &str, schema: schemars::Schema| {
        routes.insert(route.to_owned(), schema.to_value());
    };
    add(
        "users.create",
        generator.subschema_for::<UsersCreateResponse>(),
    );
    add("users.get", generator.subschema_for::<UsersGetResponse>());
    add(
        "users.search",
        generator.subschema_for::<UsersSearchResponse>(),
    );
    add(
        "users.delete",
        generator.subschema_for::<UsersDeleteResponse>(),
    );
    add(
        "users.delete_totp",
        generator.subschema_for::<UsersDeleteTotpResponse>(),
    );
    add(
        "totps.create",
        generator.subschema_for::<TotpCreateResponse>(),
    );
    add(
        "totps.authenticate",
        generator.subschema_for::<TotpAuthenticateResponse>(),
    );
    add(
        "totps.recovery_codes",
        generator.subschema_for::<TotpRecoveryCodesResponse>(),
    );
    add(
        "totps.recover",
        generator.subschema_for::<TotpRecoverResponse>(),
    );
    add(
        "sessions.authenticate",
        generator.subschema_for::<SessionsAuthenticateResponse>(),
    );
    add(
        "sessions.revoke",
        generator.subschema_for::<SessionsRevokeResponse>(),
    );
    add(
        "sessions.get",
        generator.subschema_for::<SessionsGetResponse>(),
    );
    add(
        "sessions.get_jwks",
        generator.subschema_for::<JwksResponse>(),
    );
    let error = generator.subschema_for::<ErrorResponse>().to_value();
    let definitions: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated from src/engine/models.rs by `make schema`; do not edit.",
        "responses": routes,
        "error": error,
        "$defs": definitions,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("a schema is JSON")
    );
}
