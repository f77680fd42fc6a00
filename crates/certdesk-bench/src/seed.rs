//! Seeds the benchmark's candidates: verified identities, API sessions and balances.
//!
//! Seeding goes straight to the store, written as the use cases write it but without their
//! notice jobs (60 000 inbox messages would take minutes and measure nothing): accounts share
//! one precomputed argon2id hash, identities are encrypted with the server's key, sessions
//! are created directly so no log-in is needed, and balances are operator credits.

use crate::Args;
use anyhow::{Context, anyhow};
use certdesk_app::crypto::{PURPOSE_ID_NUMBER, PiiCipher};
use certdesk_app::{App, AppParts, PeriodInput, SecretKey, passwords};
use certdesk_domain::{
    AccountId, Balance, CityDraft, ExamPeriodId, Fen, IdNumber, IdentityStatus, Phone, Role,
    SystemClock, check_character, time,
};
use certdesk_store::{
    ContactUpdate, IdentitySubmission, NewAccount, NewAuditEntry, NewCredit, NewSession,
    SessionKind, Store,
};
use futures::StreamExt;
use jiff::SignedDuration;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Instant;

pub const CITY: &str = "深圳";
pub const CERTIFICATION: &str = "TCCA-ARC-A";
/// Gift credit each candidate holds; the rest of the fee is paid in cash (two ledger debits).
pub const GIFT_FEN: i64 = 20_000;

pub struct Seeded {
    pub period_id: ExamPeriodId,
    pub price: Fen,
    /// (account, bearer token), one per candidate.
    pub candidates: Vec<(AccountId, String)>,
}

pub async fn open_app(database_url: &str, secret_hex: &str) -> anyhow::Result<App> {
    let store: Arc<dyn Store> = Arc::new(certdesk_store_sql::SqlStore::open(database_url).await?);
    Ok(App::new(AppParts {
        store,
        clock: Arc::new(SystemClock),
        secret_key: SecretKey::from_encoded(secret_hex)?,
        policy: Default::default(),
        sandbox_payments: false,
    }))
}

fn app_err(e: certdesk_app::AppError) -> anyhow::Error {
    anyhow!("{e}")
}

/// A distinct, valid, SYNTHETIC resident ID number for candidate `i` (fictitious people).
pub fn synthetic_id_number(i: usize) -> String {
    let birth = jiff::civil::date(1980, 1, 1) + SignedDuration::from_hours(24 * (i / 1000) as i64);
    let first17 = format!("110101{}{:03}", birth.strftime("%Y%m%d"), i % 1000);
    let check = check_character(&first17).expect("17 digits");
    format!("{first17}{check}")
}

pub async fn seed(args: &Args, database_url: &str, secret_hex: &str) -> anyhow::Result<Seeded> {
    let started = Instant::now();
    let app = Arc::new(open_app(database_url, secret_hex).await?);
    let store = app.store().clone();
    app.seed_default_catalogue().await.map_err(app_err)?;
    let hash = passwords::hash_password("rush-benchmark-password")
        .await
        .map_err(app_err)?;
    let now = app.now();

    let admin = store
        .commit_account(account("admin@rush.bench", &hash, Role::Admin, now), vec![])
        .await
        .context("admin account")?;
    let cert = app
        .get_certification(CERTIFICATION)
        .await
        .map_err(app_err)?;
    let price = cert.data.fee;
    let starts_at = now + SignedDuration::from_hours(24 * 30);
    let period = app
        .create_exam_period(
            &admin,
            PeriodInput {
                certification: CERTIFICATION.into(),
                starts_at,
                ends_at: Some(starts_at + SignedDuration::from_hours(2)),
                cities: vec![CityDraft {
                    city: CITY.into(),
                    capacity: i64::from(args.capacity()),
                }],
                registration_opens_at: None,
                registration_closes_at: None,
            },
        )
        .await
        .map_err(app_err)?;

    let cipher = Arc::new(PiiCipher::new(&SecretKey::from_encoded(secret_hex)?));
    let channels = args.channels;
    let today = time::local_date(now);
    let candidates: Vec<anyhow::Result<(AccountId, String)>> =
        futures::stream::iter(0..args.candidates)
            .map(|i| {
                let (store, hash, cipher, admin) =
                    (store.clone(), hash.clone(), cipher.clone(), admin.id);
                async move {
                    let email = format!("candidate{i}@rush.bench");
                    let mut new = account(&email, &hash, Role::Candidate, now);
                    if channels {
                        new.phone = Some(Phone::parse(&format!("138{i:08}"))?);
                    }
                    let acc = store.commit_account(new, vec![]).await?;
                    if channels {
                        let contacts = ContactUpdate {
                            phone: acc.phone.clone(),
                            wechat_openid: Some(format!("o-rush-{i}")),
                            opted_out: Vec::new(),
                        };
                        store.update_contacts(acc.id, contacts).await?;
                    }
                    let id = IdNumber::parse(&synthetic_id_number(i), today)
                        .map_err(|e| anyhow!("{e:?}"))?;
                    store
                        .commit_identity_submission(IdentitySubmission {
                            account_id: acc.id,
                            real_name: "测试考生".into(),
                            blind_index: cipher.blind_index(id.as_str()),
                            id_number_ciphertext: cipher
                                .encrypt(PURPOSE_ID_NUMBER, id.as_str().as_bytes())?,
                            id_number_masked: id.masked(),
                            status: IdentityStatus::Verified,
                            max_accounts_per_identity: 3,
                            submitted_at: now,
                            jobs: vec![],
                        })
                        .await?;
                    let token = hex::encode(rand::random::<[u8; 32]>());
                    store
                        .create_session(NewSession {
                            token_hash: Sha256::digest(token.as_bytes()).to_vec(),
                            account_id: acc.id,
                            kind: SessionKind::Api,
                            created_at: now,
                            expires_at: now + SignedDuration::from_hours(24),
                        })
                        .await?;
                    for (balance, fen) in [(Balance::Gift, GIFT_FEN), (Balance::Cash, price.get())]
                    {
                        store
                    .commit_credit(NewCredit {
                        account_id: acc.id,
                        balance,
                        amount: Fen::new(fen)?,
                        reason: "rush benchmark".into(),
                        actor: admin,
                        at: now,
                        audit: NewAuditEntry {
                            actor: Some(admin),
                            action: "wallet.credit".into(),
                            target_kind: "account".into(),
                            target_id: acc.id.to_string(),
                            before: None,
                            after: Some(
                                serde_json::json!({ "balance": balance, "amount_fen": fen }),
                            ),
                            at: now,
                        },
                        jobs: vec![],
                    })
                    .await?;
                    }
                    Ok((acc.id, token))
                }
            })
            .buffer_unordered(16)
            .collect()
            .await;
    let candidates = candidates.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    println!(
        "# seeded {} candidates in {:.1} s",
        candidates.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(Seeded {
        period_id: period.id,
        price,
        candidates,
    })
}

fn account(email: &str, hash: &str, role: Role, now: jiff::Timestamp) -> NewAccount {
    NewAccount {
        email: certdesk_domain::Email::parse(email).expect("valid email"),
        phone: None,
        password_hash: hash.to_string(),
        roles: vec![role],
        institution_id: None,
        created_at: now,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_id_numbers_are_valid_and_distinct() {
        let today = jiff::civil::date(2026, 11, 28);
        let ids: std::collections::HashSet<_> = (0..3000).map(super::synthetic_id_number).collect();
        assert_eq!(ids.len(), 3000);
        for id in ids.iter().take(200) {
            certdesk_domain::IdNumber::parse(id, today).expect("valid");
        }
    }
}
