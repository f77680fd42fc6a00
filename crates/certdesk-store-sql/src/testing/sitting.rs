//! A benchmark's sitting (feature `testing`): `n` verified candidates, each with a paid,
//! confirmed registration for one exam period and its score promise (P1), written straight
//! into a fresh store in a few hundred multi-row statements — creating them through the use
//! cases would take one commit (and one fsync) per account. Used by certdesk-app's
//! `import_results` example to time a 100,000-line results import.

use certdesk_domain::{CertCode, RegistrationId};
use certdesk_store::{CatalogueStore, NewAuditEntry, NewExamPeriod, PeriodStore, StoreResult};
use jiff::Timestamp;

use crate::SqlStore;
use crate::convert::ts;
use crate::db::{Tx, query};
use crate::jobs::placeholders;

/// Rows per INSERT (up to 13 parameters each; see `convert::shared_value_groups` on why not more).
const ROWS: usize = 100;

/// Runs `sql` (a multi-row INSERT … RETURNING id, `VALUES` filled in) for `rows` of `width`
/// arguments each, `bind` binding row `i`; answers the ids in row order.
async fn insert_ids(
    tx: &mut Tx,
    sql: &str,
    n: usize,
    width: usize,
    bind: impl Fn(usize, crate::db::Query<'_>) -> crate::db::Query<'_>,
) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(n);
    for start in (0..n).step_by(ROWS) {
        let len = ROWS.min(n - start);
        let values: Vec<String> = (0..len)
            .map(|i| format!("({})", placeholders(1 + i * width, width)))
            .collect();
        let text = sql.replace("VALUES", &format!("VALUES {}", values.join(", ")));
        let mut q = query(&text);
        for i in start..start + len {
            q = bind(i, q);
        }
        for row in q.fetch_all(&mut *tx).await? {
            ids.push(row.int("id")?);
        }
    }
    assert!(
        ids.len() == n && ids.windows(2).all(|w| w[0] < w[1]),
        "a fresh store answers new ids in order"
    );
    Ok(ids)
}

/// `n` confirmed registrations of certification `code` on one period (one city, `n` seats)
/// that starts at `starts_at` and ends at `ends_at`, each with its score promise due at
/// `score_due`; their ids, ascending.
pub async fn seed_sitting(
    store: &SqlStore,
    code: &CertCode,
    times: (Timestamp, Timestamp, Timestamp),
    n: usize,
) -> StoreResult<Vec<RegistrationId>> {
    seed(store, code, times, None, n).await
}

/// As [`seed_sitting`], each registration with the promises a paid registration has (P1):
/// its confirmation (kept at payment), its admission ticket (open, due at `ticket_due`) and
/// its score. Used by certdesk-app's `issue_tickets` example (O4 at 100,000 registrations).
pub async fn seed_paid_sitting(
    store: &SqlStore,
    code: &CertCode,
    times: (Timestamp, Timestamp, Timestamp),
    ticket_due: Timestamp,
    n: usize,
) -> StoreResult<Vec<RegistrationId>> {
    seed(store, code, times, Some(ticket_due), n).await
}

async fn seed(
    store: &SqlStore,
    code: &CertCode,
    (starts_at, ends_at, score_due): (Timestamp, Timestamp, Timestamp),
    ticket_due: Option<Timestamp>,
    n: usize,
) -> StoreResult<Vec<RegistrationId>> {
    let cert = store
        .find_certification(code)
        .await?
        .expect("the certification is in the catalogue");
    let created = starts_at - jiff::SignedDuration::from_hours(24 * 30);
    let period = store
        .commit_exam_period(
            NewExamPeriod {
                certification_id: cert.id,
                starts_at,
                ends_at,
                registration_opens_at: created,
                registration_closes_at: starts_at,
                cities: vec![("深圳".to_owned(), u32::try_from(n).unwrap_or(u32::MAX))],
                created_at: created,
                jobs: Vec::new(),
            },
            NewAuditEntry {
                actor: None,
                action: "exam_period.create".into(),
                target_kind: "exam_period".into(),
                target_id: "bench".into(),
                before: None,
                after: None,
                at: created,
            },
        )
        .await?;
    let at = ts(created);
    let fee = cert.data.fee.get();
    let mut tx = store.begin().await?;
    let pool = query("SELECT id FROM seat_pools WHERE period_id = $1")
        .bind(period.id.get())
        .fetch_one(&mut tx)
        .await?
        .int("id")?;
    let accounts = insert_ids(
        &mut tx,
        "INSERT INTO accounts (email, email_key, password_hash, roles, created_at) VALUES RETURNING id",
        n,
        5,
        |i, q| {
            let email = format!("bench{i}@example.com");
            q.bind(email.clone())
                .bind(email)
                .bind("not a hash")
                .bind("[\"candidate\"]")
                .bind(at)
        },
    )
    .await?;
    let identities = insert_ids(
        &mut tx,
        "INSERT INTO identities (blind_index, id_number_ciphertext, id_number_masked, created_at)
         VALUES RETURNING id",
        n,
        4,
        |i, q| {
            q.bind(format!("bench-{i}").into_bytes())
                .bind(vec![0_u8])
                .bind("110105********1234")
                .bind(at)
        },
    )
    .await?;
    insert_ids(
        &mut tx,
        "INSERT INTO account_identities (account_id, identity_id, status, real_name, submitted_at)
         VALUES RETURNING account_id AS id",
        n,
        5,
        |i, q| {
            q.bind(accounts[i])
                .bind(identities[i])
                .bind("verified")
                .bind("张三")
                .bind(at)
        },
    )
    .await?;
    let orders = insert_ids(
        &mut tx,
        "INSERT INTO orders (account_id, status, total, voucher, gift, cash, pay_first, paid_at)
         VALUES RETURNING id",
        n,
        8,
        |i, q| {
            q.bind(accounts[i])
                .bind("paid")
                .bind(fee)
                .bind(0_i64)
                .bind(0_i64)
                .bind(fee)
                .bind("gift")
                .bind(at)
        },
    )
    .await?;
    let registrations = insert_ids(
        &mut tx,
        "INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt,
                                    status, period_id, city, exam_starts_at, exam_ends_at,
                                    order_id, seat_pool_id, created_at)
         VALUES RETURNING id",
        n,
        13,
        |i, q| {
            q.bind(identities[i])
                .bind(accounts[i])
                .bind(cert.id.get())
                .bind("official")
                .bind("first")
                .bind("confirmed")
                .bind(period.id.get())
                .bind("深圳")
                .bind(ts(starts_at))
                .bind(ts(ends_at))
                .bind(orders[i])
                .bind(pool)
                .bind(at)
        },
    )
    .await?;
    let mut promises = vec![("score", ts(score_due), None)];
    if let Some(ticket_due) = ticket_due {
        promises.push(("confirmation", at, Some(at)));
        promises.push(("admission_ticket", ts(ticket_due), None));
    }
    for (kind, due, kept) in promises {
        insert_ids(
            &mut tx,
            "INSERT INTO promises (kind, registration_id, due_at, kept_at, created_at)
             VALUES RETURNING id",
            n,
            5,
            |i, q| {
                q.bind(kind)
                    .bind(registrations[i])
                    .bind(due)
                    .bind(kept)
                    .bind(at)
            },
        )
        .await?;
    }
    query("UPDATE seat_pools SET taken = capacity WHERE period_id = $1")
        .bind(period.id.get())
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(registrations.into_iter().map(RegistrationId).collect())
}
