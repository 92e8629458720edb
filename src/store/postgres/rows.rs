//! Records to statement parameters and result rows back to records, in the
//! column order of `schema::USER_COLUMNS` and `schema::TOTP_COLUMNS`.

use super::conn::Conn;
use crate::store::{Contact, Lock, Sealed, SessionRecord, TotpRecord, UserRecord};
use tokio_postgres::Row;

type PgResult<T> = Result<T, tokio_postgres::Error>;

/// A write waiting to be sent with the next round trip.
pub enum Write {
    PutUser(UserRecord),
    DeleteUser(String),
    PutTotp(TotpRecord),
    DeleteTotp(String),
    PutMeta(String, Vec<u8>),
    PutSession(SessionRecord),
    DeleteSession(String),
}

impl Write {
    pub async fn send(&self, conn: &Conn) -> PgResult<u64> {
        let (client, st) = (&conn.client, conn.statements());
        match self {
            Write::PutUser(u) => {
                let (email_id, email, email_verified) = contact_columns(&u.email);
                let (phone_id, phone, phone_verified) = contact_columns(&u.phone);
                let failed_attempts = i64::from(u.failed_attempts);
                let lock_created_at = u.lock.map(|l| l.created_at);
                let lock_expires_at = u.lock.map(|l| l.expires_at);
                client
                    .execute(
                        &st.put_user,
                        &[
                            &u.user_id,
                            &u.external_id,
                            &u.first_name,
                            &u.middle_name,
                            &u.last_name,
                            &email_id,
                            &email,
                            &email_verified,
                            &phone_id,
                            &phone,
                            &phone_verified,
                            &u.trusted_metadata,
                            &u.untrusted_metadata,
                            &u.created_at,
                            &failed_attempts,
                            &lock_created_at,
                            &lock_expires_at,
                        ],
                    )
                    .await
            }
            Write::DeleteUser(id) => client.execute(&st.delete_user, &[id]).await,
            Write::PutTotp(t) => {
                let secret = t.secret.as_bytes();
                let recovery_codes = t.recovery_codes.as_bytes();
                client
                    .execute(
                        &st.put_totp,
                        &[
                            &t.totp_id,
                            &t.user_id,
                            &secret,
                            &t.verified,
                            &t.created_at,
                            &t.expires_at,
                            &t.last_step,
                            &recovery_codes,
                        ],
                    )
                    .await
            }
            Write::DeleteTotp(id) => client.execute(&st.delete_totp, &[id]).await,
            // Exclusive: waits for the transactions that read the records
            // (they hold the lock shared) to end.
            Write::PutMeta(key, value) => {
                let (owned, put) = futures_util::future::join(
                    client.execute(&st.own_meta, &[]),
                    client.execute(&st.put_meta, &[key, value]),
                )
                .await;
                owned?;
                put
            }
            Write::PutSession(r) => {
                let token_hash = &r.token_hash[..];
                client
                    .execute(
                        &st.put_session,
                        &[
                            &r.session_id,
                            &r.user_id,
                            &token_hash,
                            &r.started_at,
                            &r.last_accessed_at,
                            &r.expires_at,
                            &r.attributes,
                            &r.authentication_factors,
                            &r.custom_claims,
                        ],
                    )
                    .await
            }
            Write::DeleteSession(id) => client.execute(&st.delete_session, &[id]).await,
        }
    }
}

/// A contact's three columns: its ID, its value, whether it is verified.
fn contact_columns(c: &Option<Contact>) -> (Option<&str>, Option<&str>, bool) {
    let c = c.as_ref();
    (
        c.map(|c| c.id.as_str()),
        c.map(|c| c.value.as_str()),
        c.is_some_and(|c| c.verified),
    )
}

fn contact(id: Option<String>, value: Option<String>, verified: bool) -> Option<Contact> {
    Some(Contact {
        id: id?,
        value: value?,
        verified,
    })
}

pub fn user(row: &Row) -> Result<UserRecord, String> {
    let column = |e: tokio_postgres::Error| format!("a users row cannot be read: {e}");
    let lock = match (
        row.try_get(15).map_err(column)?,
        row.try_get(16).map_err(column)?,
    ) {
        (Some(created_at), Some(expires_at)) => Some(Lock {
            created_at,
            expires_at,
        }),
        _ => None,
    };
    let failed_attempts: i64 = row.try_get(14).map_err(column)?;
    Ok(UserRecord {
        user_id: row.try_get(0).map_err(column)?,
        external_id: row.try_get(1).map_err(column)?,
        first_name: row.try_get(2).map_err(column)?,
        middle_name: row.try_get(3).map_err(column)?,
        last_name: row.try_get(4).map_err(column)?,
        email: contact(
            row.try_get(5).map_err(column)?,
            row.try_get(6).map_err(column)?,
            row.try_get(7).map_err(column)?,
        ),
        phone: contact(
            row.try_get(8).map_err(column)?,
            row.try_get(9).map_err(column)?,
            row.try_get(10).map_err(column)?,
        ),
        trusted_metadata: row.try_get(11).map_err(column)?,
        untrusted_metadata: row.try_get(12).map_err(column)?,
        created_at: row.try_get(13).map_err(column)?,
        failed_attempts: u32::try_from(failed_attempts)
            .map_err(|_| format!("failed_attempts {failed_attempts} is out of range"))?,
        lock,
    })
}

pub fn totp(row: &Row) -> Result<TotpRecord, String> {
    let column = |e: tokio_postgres::Error| format!("a totps row cannot be read: {e}");
    let secret: &[u8] = row.try_get(2).map_err(column)?;
    let codes: &[u8] = row.try_get(7).map_err(column)?;
    Ok(TotpRecord {
        totp_id: row.try_get(0).map_err(column)?,
        user_id: row.try_get(1).map_err(column)?,
        secret: Sealed::from(secret.to_vec()),
        verified: row.try_get(3).map_err(column)?,
        created_at: row.try_get(4).map_err(column)?,
        expires_at: row.try_get(5).map_err(column)?,
        last_step: row.try_get(6).map_err(column)?,
        recovery_codes: Sealed::from(codes.to_vec()),
    })
}

pub fn users(rows: &[Row]) -> Result<Vec<UserRecord>, String> {
    rows.iter().map(user).collect()
}

pub fn totps(rows: &[Row]) -> Result<Vec<TotpRecord>, String> {
    rows.iter().map(totp).collect()
}

pub fn session(row: &Row) -> Result<SessionRecord, String> {
    let column = |e: tokio_postgres::Error| format!("a sessions row cannot be read: {e}");
    let hash: &[u8] = row.try_get(2).map_err(column)?;
    Ok(SessionRecord {
        session_id: row.try_get(0).map_err(column)?,
        user_id: row.try_get(1).map_err(column)?,
        token_hash: hash
            .try_into()
            .map_err(|_| "a session token hash is not 32 bytes".to_owned())?,
        started_at: row.try_get(3).map_err(column)?,
        last_accessed_at: row.try_get(4).map_err(column)?,
        expires_at: row.try_get(5).map_err(column)?,
        attributes: row.try_get(6).map_err(column)?,
        authentication_factors: row.try_get(7).map_err(column)?,
        custom_claims: row.try_get(8).map_err(column)?,
    })
}

pub fn sessions(rows: &[Row]) -> Result<Vec<SessionRecord>, String> {
    rows.iter().map(session).collect()
}

pub fn optional_session(rows: &[Row]) -> Result<Option<SessionRecord>, String> {
    rows.first().map(session).transpose()
}
