//! The store operations the engine's key records, purge and re-sealing rest
//! on, run against each store directly: named meta values, the purge of
//! expired pending TOTPs, pages in ID order, and rollback of all of them.

use stytch_totp::store::{
    Access, MemoryStore, Sealed, SqliteStore, Store, StoreError, StoreTx, TotpRecord, UserRecord,
};

fn user(id: &str) -> UserRecord {
    UserRecord {
        user_id: id.into(),
        external_id: None,
        first_name: String::new(),
        middle_name: String::new(),
        last_name: String::new(),
        email: None,
        phone: None,
        trusted_metadata: "{}".into(),
        untrusted_metadata: "{}".into(),
        created_at: 0,
        failed_attempts: 0,
        lock: None,
    }
}

fn totp(id: &str, user_id: &str, verified: bool, expires_at: i64) -> TotpRecord {
    TotpRecord {
        totp_id: id.into(),
        user_id: user_id.into(),
        secret: Sealed::from(vec![0, 1, 2]),
        verified,
        created_at: 0,
        expires_at,
        last_step: None,
        recovery_codes: Sealed::from(vec![0]),
    }
}

fn write(store: &dyn Store, work: impl Fn(&mut dyn StoreTx) -> Result<(), StoreError>) {
    store
        .transaction(Access::Write, &mut |tx| work(tx))
        .unwrap();
}

fn each_store(test: impl Fn(&dyn Store)) {
    test(&MemoryStore::new());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trait.db");
    test(&SqliteStore::open(path.to_str().unwrap()).unwrap());
}

#[test]
fn meta_values_are_kept_replaced_and_rolled_back() {
    each_store(|store| {
        write(store, |tx| {
            assert_eq!(tx.meta("policy")?, None);
            tx.put_meta("policy", b"one")?;
            tx.put_meta("policy", b"two")?;
            tx.put_meta("empty", b"")?;
            Ok(())
        });
        let failed = store.transaction(Access::Write, &mut |tx| {
            tx.put_meta("policy", b"three")?;
            tx.put_meta("new", b"x")?;
            Err(StoreError::Failed("undo".into()))
        });
        assert!(failed.is_err());
        write(store, |tx| {
            assert_eq!(tx.meta("policy")?.as_deref(), Some(&b"two"[..]));
            assert_eq!(tx.meta("empty")?.as_deref(), Some(&b""[..]));
            assert_eq!(tx.meta("new")?, None);
            Ok(())
        });
    });
}

#[test]
fn purge_takes_only_expired_pending_totps() {
    each_store(|store| {
        write(store, |tx| {
            tx.put_user(&user("u1"))?;
            tx.put_totp(&totp("t-expired", "u1", false, 100))?;
            tx.put_totp(&totp("t-at-now", "u1", false, 200))?;
            tx.put_totp(&totp("t-pending", "u1", false, 201))?;
            tx.put_totp(&totp("t-verified", "u1", true, 50))?;
            Ok(())
        });
        write(store, |tx| {
            assert_eq!(tx.purge_expired_totps(200)?, 2);
            let left: Vec<String> = tx
                .totps_of_user("u1")?
                .into_iter()
                .map(|t| t.totp_id)
                .collect();
            assert_eq!(left.len(), 2);
            assert!(left.contains(&"t-pending".into()) && left.contains(&"t-verified".into()));
            assert_eq!(tx.purge_expired_totps(200)?, 0);
            Ok(())
        });
    });
}

#[test]
fn pages_walk_every_record_once_in_id_order() {
    each_store(|store| {
        write(store, |tx| {
            for u in ["u3", "u1", "u2"] {
                tx.put_user(&user(u))?;
            }
            for (t, u) in [
                ("t5", "u1"),
                ("t1", "u2"),
                ("t3", "u3"),
                ("t2", "u1"),
                ("t4", "u2"),
            ] {
                tx.put_totp(&totp(t, u, true, 0))?;
            }
            Ok(())
        });
        write(store, |tx| {
            let mut seen = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = tx.totps_page(after.as_deref(), 2)?;
                if page.is_empty() {
                    break;
                }
                after = page.last().map(|t| t.totp_id.clone());
                seen.extend(page.into_iter().map(|t| t.totp_id));
            }
            assert_eq!(seen, ["t1", "t2", "t3", "t4", "t5"]);
            let users: Vec<String> = tx
                .users_page(Some("u1"), 10)?
                .into_iter()
                .map(|u| u.user_id)
                .collect();
            assert_eq!(users, ["u2", "u3"]);
            assert!(tx.users_page(None, 0)?.is_empty());
            Ok(())
        });
    });
}
