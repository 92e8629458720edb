//! Why a command failed, and the exit code scripts read from it.

use serde::Serialize;
use stytch_totp::engine::{ApiError, ErrorResponse, ErrorType};
use stytch_totp::store::{OpenError, StoreError};

/// The exit codes (docs/CLI.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// The operation was refused or failed, or a check failed.
    Failed = 1,
    /// A bad command line, configuration or input (clap uses 2 as well).
    Usage = 2,
    /// The user or TOTP does not exist.
    NotFound = 3,
    /// The store is not there or cannot be reached.
    Unavailable = 4,
    /// The encryption keys do not fit the store.
    KeyMismatch = 5,
}

/// A failed command: its exit code, and a message that never holds a secret.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    /// The engine's error body, when the engine refused.
    pub body: Option<Box<ErrorResponse>>,
    pub error_type: String,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, error_type: &str, message: impl Into<String>) -> Self {
        Self {
            exit,
            body: None,
            error_type: error_type.to_owned(),
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, "usage", message)
    }

    pub fn failed(error_type: &str, message: impl Into<String>) -> Self {
        Self::new(Exit::Failed, error_type, message)
    }

    /// The message, saying what it is about (a user ID, never a secret).
    pub fn about(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// The JSON document printed for it with `--json`: the engine's error
    /// body when there is one.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Body<'a> {
            error_type: &'a str,
            error_message: &'a str,
            exit_code: i32,
        }
        match &self.body {
            Some(body) => serde_json::to_string(body),
            None => serde_json::to_string(&Body {
                error_type: &self.error_type,
                error_message: &self.message,
                exit_code: self.exit as i32,
            }),
        }
        .unwrap_or_default()
    }
}

/// The exit code for an engine error type.
fn exit_for(code: ErrorType) -> Exit {
    match code {
        ErrorType::UserNotFound | ErrorType::TotpNotFound => Exit::NotFound,
        ErrorType::DatabaseUnavailable => Exit::Unavailable,
        ErrorType::EncryptionKeyMismatch => Exit::KeyMismatch,
        ErrorType::InvalidConfig | ErrorType::InvalidUserId | ErrorType::BadRequest => Exit::Usage,
        _ => Exit::Failed,
    }
}

impl From<ErrorResponse> for Failure {
    fn from(e: ErrorResponse) -> Self {
        Self {
            exit: exit_for(e.error_type),
            error_type: e.error_type.as_str().to_owned(),
            message: e.error_message.clone(),
            body: Some(Box::new(e)),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Self::new(exit_for(e.code), e.error_type(), e.error_message)
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// A store that did not open: its own words, which never repeat a connection string.
impl From<OpenError> for Failure {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Refused(why) => Self::failed("database_refused", why),
            OpenError::Failed(StoreError::Unavailable(why)) => {
                Self::new(Exit::Unavailable, "database_unavailable", why)
            }
            OpenError::Failed(StoreError::Failed(why)) => Self::failed("database_failed", why),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::from(OpenError::Failed(e))
    }
}
