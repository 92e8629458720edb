//! `POST /v1/users/search`: users found by email address, phone number or
//! user ID, a page at a time, in the shape of Stytch's Search Users.
//!
//! The body is Stytch's: `query` {`operator`, `operands`}, `limit`, `cursor`.
//! Of Stytch's filters, `email_address`, `phone_number` and `user_id` are
//! served; any other `filter_name` is refused, never ignored (a filter left
//! out would widen the result). Results come in `user_id` order; the cursor
//! of the next page is opaque to the caller.

use super::body::Body;
use super::error::ApiError;
use super::ids::{self, IdKind};
use super::models::{ResultsMetadata, UsersSearchResponse};
use super::request::{Fields, FromFields, echo};
use super::users::{load_totps, settle_user};
use super::view::user_view;
use super::{Client, ErrorResponse, Failure, Tx};
use crate::store::{Access, StoreTx, UserLookup, UserRecord};
use serde_json::Value;
use std::collections::BTreeMap;

/// Results per page when `limit` is absent or 0 (Stytch's default).
pub const DEFAULT_LIMIT: usize = 100;
/// Results per page at most (Stytch's limit).
pub const MAX_LIMIT: usize = 1000;
/// Filter values in one search at most, over all operands: each is a lookup.
pub const MAX_FILTER_VALUES: usize = 1000;

/// How the operands combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchOperator {
    /// A user must match every operand.
    And,
    /// A user must match one operand at least (deprecated by Stytch, served
    /// all the same).
    Or,
}

/// What an operand compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterField {
    /// The user's email address, compared without regard to ASCII case.
    EmailAddress,
    /// The user's phone number, compared exactly (E.164).
    PhoneNumber,
    UserId,
}

/// One operand: users whose `field` is one of `values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchFilter {
    pub field: FilterField,
    pub values: Vec<String>,
}

/// `POST /v1/users/search` body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchUsersRequest {
    /// `None`, or no operands: every user.
    pub query: Option<(SearchOperator, Vec<SearchFilter>)>,
    /// Results per page, 0..=[`MAX_LIMIT`]; absent or 0 is [`DEFAULT_LIMIT`].
    pub limit: Option<i64>,
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

impl FromFields for SearchUsersRequest {
    const FIELDS: &'static [&'static str] = &["query", "limit", "cursor"];

    /// Unknown filters and wrong types are `bad_request`, naming what is wrong.
    fn from_fields(fields: &Body<'_>) -> Result<Self, ApiError> {
        let limit = fields.int_in("limit", (0, MAX_LIMIT as i64))?;
        let cursor = fields
            .input("cursor")
            .optional("cursor")?
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let query = fields.nested("query")?.map(parse_query).transpose()?;
        let values: usize = query
            .iter()
            .flat_map(|(_, f)| f)
            .map(|f| f.values.len())
            .sum();
        if values > MAX_FILTER_VALUES {
            return Err(ApiError::bad_request(format!(
                "a search takes at most {MAX_FILTER_VALUES} filter values in all, got {values}"
            )));
        }
        Ok(Self {
            query,
            limit,
            cursor,
        })
    }
}

impl SearchUsersRequest {
    fn page_size(&self) -> usize {
        match self.limit {
            Some(n @ 1..) => usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
            _ => DEFAULT_LIMIT,
        }
    }
}

fn parse_query(mut query: Fields) -> Result<(SearchOperator, Vec<SearchFilter>), ApiError> {
    let operator = match query.str("operator")?.as_str() {
        "AND" => SearchOperator::And,
        "OR" => SearchOperator::Or,
        other => {
            return Err(ApiError::bad_request(format!(
                "query.operator must be \"AND\" or \"OR\", got {}",
                echo(other)
            )));
        }
    };
    let operands = query.opt_array("operands")?.unwrap_or_default();
    query.finish()?;
    let filters = operands
        .into_iter()
        .enumerate()
        .map(|(i, operand)| parse_operand(&format!("query.operands[{i}]"), operand))
        .collect::<Result<_, _>>()?;
    Ok((operator, filters))
}

fn parse_operand(what: &str, operand: Value) -> Result<SearchFilter, ApiError> {
    let mut fields = Fields::new(operand, what, ApiError::bad_request)?;
    let name = fields.str("filter_name")?;
    let field = match name.as_str() {
        "email_address" => FilterField::EmailAddress,
        "phone_number" => FilterField::PhoneNumber,
        "user_id" => FilterField::UserId,
        other => {
            return Err(ApiError::bad_request(format!(
                "{what}: filter_name {} is not supported; this library searches by \
                 email_address, phone_number and user_id",
                echo(other)
            )));
        }
    };
    let values: Option<Vec<String>> = fields
        .opt_array("filter_value")?
        .unwrap_or_default()
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Some(s),
            _ => None,
        })
        .collect();
    fields.finish()?;
    match values {
        Some(values) if !values.is_empty() => Ok(SearchFilter { field, values }),
        _ => Err(ApiError::bad_request(format!(
            "{what}: filter_value of {name} must be a non-empty array of strings"
        ))),
    }
}

/// The users one operand finds, in `user_id` order.
fn find(tx: &mut Tx<'_>, filter: &SearchFilter) -> Result<Vec<UserRecord>, Failure> {
    let values: Vec<&str> = filter.values.iter().map(String::as_str).collect();
    let lookup = match filter.field {
        FilterField::EmailAddress => UserLookup {
            emails: &values,
            ..UserLookup::default()
        },
        FilterField::PhoneNumber => UserLookup {
            phone_numbers: &values,
            ..UserLookup::default()
        },
        FilterField::UserId => UserLookup {
            user_ids: &values,
            ..UserLookup::default()
        },
    };
    Ok(tx.users_by_keys(&lookup)?)
}

/// Every user the filters find together, in `user_id` order.
fn matching(
    tx: &mut Tx<'_>,
    operator: SearchOperator,
    filters: &[SearchFilter],
) -> Result<Vec<UserRecord>, Failure> {
    let mut found: Vec<BTreeMap<String, UserRecord>> = Vec::new();
    for filter in filters {
        let users = find(tx, filter)?;
        found.push(users.into_iter().map(|u| (u.user_id.clone(), u)).collect());
    }
    let mut sets = found.into_iter();
    let first = sets.next().unwrap_or_default();
    let combined = sets.fold(first, |mut acc, set| {
        match operator {
            SearchOperator::And => acc.retain(|id, _| set.contains_key(id)),
            SearchOperator::Or => acc.extend(set),
        }
        acc
    });
    Ok(combined.into_values().collect())
}

/// The users after `cursor`, at most `limit`, whether more follow, and the
/// total.
fn page(
    tx: &mut Tx<'_>,
    req: &SearchUsersRequest,
    limit: usize,
) -> Result<(Vec<UserRecord>, bool, u64), Failure> {
    let cursor = req.cursor.as_deref();
    match &req.query {
        Some((operator, filters)) if !filters.is_empty() => {
            let all = matching(tx, *operator, filters)?;
            let start = cursor.map_or(0, |c| all.partition_point(|u| u.user_id.as_str() <= c));
            let more = all.len() - start > limit;
            let total = all.len() as u64;
            Ok((
                all.into_iter().skip(start).take(limit).collect(),
                more,
                total,
            ))
        }
        _ => {
            let total = tx.count_users()?;
            let mut users = tx.users_page(cursor, limit + 1)?;
            let more = users.len() > limit;
            users.truncate(limit);
            Ok((users, more, total))
        }
    }
}

impl Client {
    /// `POST /v1/users/search`: one page of the users `req` finds, each as
    /// `GET /v1/users/{user_id}` shows it, with the total and the cursor of
    /// the next page. A cursor this search did not hand out is `bad_request`.
    pub fn search_users(
        &self,
        req: &SearchUsersRequest,
    ) -> Result<UsersSearchResponse, ErrorResponse> {
        if let Some(cursor) = &req.cursor
            && !ids::is_well_formed(cursor, IdKind::User)
        {
            return Err(self.error(ApiError::bad_request(
                "cursor is not one a search returned: pass results_metadata.next_cursor",
            )));
        }
        let limit = req.page_size();
        self.atomically(Access::Read, |tx, now| {
            let (users, more, total) = page(tx, req, limit)?;
            let next_cursor = more.then(|| users.last().map(|u| u.user_id.clone()));
            let mut results = Vec::with_capacity(users.len());
            for user in users {
                let user = settle_user(tx, Box::new(user), now)?;
                let totps = load_totps(tx, &user.user_id, now)?;
                results.push(user_view(*user, &totps, now));
            }
            Ok(UsersSearchResponse {
                status_code: 200,
                request_id: self.request_id(),
                results,
                results_metadata: ResultsMetadata {
                    total,
                    next_cursor: next_cursor.flatten(),
                },
            })
        })
    }
}
