//! Exam results (O6, P1): the reads an import checks its lines against, in chunked `IN`
//! lists, and the commit that releases a whole file in ONE transaction, in multi-row
//! statements of a thousand registrations each (a 100,000-line file is ~600 statements).
//!
//! Concurrency: each chunk first reads which of its registrations still await a result —
//! live (`confirmed`/`ticket_issued`), exam ended (so with a sitting, I7), no result — with
//! `locked!`: on PostgreSQL that locks their rows, in id order across the whole file, so a
//! refund (which locks one registration) waits or wins, and two imports naming the same
//! registrations in any order never wait on each other in a cycle; SQLite's single writer
//! already serialises every write transaction. One that does not await a result refuses the
//! commit (`Conflict::NotAwaitingResult`, nothing written). The status UPDATEs repeat the
//! condition, so a commit can never write over a registration that moved.

use std::collections::HashSet;

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, CertCode, ExamOutcome, RegistrationId, RegistrationStatus, ResultSubject, Score,
    TicketNumber,
};
use certdesk_store::{
    Conflict, ExamResult, ResultKeys, ResultRelease, ResultStore, ResultTarget, ResultsCommit,
    StoreError, StoreResult,
};

use crate::SqlStore;
use crate::convert::{corrupt, from_ts_opt, parse, shared_value_groups as rows, ts};
use crate::db::{Row, Sql, Tx, query};
use crate::jobs::placeholders;

/// Registrations per statement. Not more: SQLite finds a `$n` parameter's name by a linear
/// search when the driver binds it, so binding costs grow with the square of the parameters
/// of one statement (measured: 1,000 rows of 7 parameters took 65 ms to bind, 100 rows well
/// under 1 ms); fewer rows a statement cost a round trip each.
const CHUNK: usize = 100;
/// Ids per read of the targets (one parameter each), for the same reason.
const READ_CHUNK: usize = 500;

/// A registration with what an import checks and what its inbox message says.
const TARGET_SELECT: &str = "
SELECT r.id, r.status, r.channel, r.exam_ends_at, r.account_id, c.pass_mark,
       c.code AS certification_code, c.name_zh, c.name_en, x.registration_id AS resulted,
       t.number AS ticket_number
FROM registrations r JOIN certifications c ON c.id = r.certification_id
LEFT JOIN exam_results x ON x.registration_id = r.id
LEFT JOIN admission_tickets t ON t.registration_id = r.id";

/// The result columns of `REGISTRATION_SELECT` (`official/rows.rs`): `None` before release.
pub(crate) fn result_of(row: &Row) -> StoreResult<Option<ExamResult>> {
    let Some(released_at) = from_ts_opt(row.int_opt("result_released_at")?)? else {
        return Ok(None);
    };
    let score = match row.int_opt("result_score")? {
        Some(points) => Some(
            u64::try_from(points)
                .ok()
                .and_then(Score::new)
                .ok_or_else(|| corrupt("score out of range".into()))?,
        ),
        None => None,
    };
    Ok(Some(ExamResult {
        score,
        passed: row.get::<Option<bool>>("result_passed")?.unwrap_or(false),
        absent: row.get::<Option<bool>>("result_absent")?.unwrap_or(false),
        released_at,
    }))
}

fn target(row: &Row) -> StoreResult<ResultTarget> {
    Ok(ResultTarget {
        subject: ResultSubject {
            registration_id: RegistrationId(row.int("id")?),
            status: parse(&row.text("status")?, "status")?,
            channel: parse(&row.text("channel")?, "channel")?,
            exam_ends_at: from_ts_opt(row.int_opt("exam_ends_at")?)?,
            pass_mark: u32::try_from(row.int("pass_mark")?)
                .map_err(|_| corrupt("pass mark out of range".into()))?,
            has_result: row.int_opt("resulted")?.is_some(),
        },
        ticket_number: row
            .text_opt("ticket_number")?
            .map(|n| TicketNumber::parse(&n).map_err(|_| corrupt("ticket number".into())))
            .transpose()?,
        account_id: AccountId(row.int("account_id")?),
        certification_code: CertCode::parse(&row.text("certification_code")?)
            .map_err(|_| corrupt("certification code".into()))?,
        certification_name_zh: row.text("name_zh")?,
        certification_name_en: row.text("name_en")?,
    })
}

/// The statuses a result may replace: A2's live ones.
const AWAITING: &str = "status IN ('confirmed', 'ticket_issued') AND exam_ends_at IS NOT NULL";

/// Locks (PostgreSQL) and reads which of `ids` (ascending) still await a result at `$1`; the
/// first that does not refuses the commit.
async fn check_awaiting(tx: &mut Tx, ids: &[i64], now: i64) -> StoreResult<()> {
    let select = format!(
        "SELECT id FROM registrations WHERE id IN ({}) AND {AWAITING} AND exam_ends_at <= $1
           AND NOT EXISTS (SELECT 1 FROM exam_results x WHERE x.registration_id = registrations.id)
         ORDER BY id",
        placeholders(2, ids.len())
    );
    let locked = format!("{select} FOR NO KEY UPDATE");
    let mut q = query(Sql::per_backend(&select, &locked)).bind(now);
    for id in ids {
        q = q.bind(*id);
    }
    let found: HashSet<i64> = q
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.int("id"))
        .collect::<StoreResult<_>>()?;
    match ids.iter().find(|id| !found.contains(id)) {
        Some(id) => Err(StoreError::Conflict(Conflict::NotAwaitingResult(
            RegistrationId(*id),
        ))),
        None => Ok(()),
    }
}

/// The chunk's new statuses, one conditional UPDATE per status.
async fn set_statuses(tx: &mut Tx, chunk: &[&ResultRelease], now: i64) -> StoreResult<()> {
    for status in [
        RegistrationStatus::Passed,
        RegistrationStatus::Failed,
        RegistrationStatus::Absent,
    ] {
        let ids: Vec<i64> = chunk
            .iter()
            .filter(|r| status_of(r) == status)
            .map(|r| r.registration_id.get())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let sql = format!(
            "UPDATE registrations SET status = $1
             WHERE id IN ({}) AND {AWAITING} AND exam_ends_at <= $2",
            placeholders(3, ids.len())
        );
        let mut q = query(&sql).bind(status.as_str()).bind(now);
        for id in &ids {
            q = q.bind(*id);
        }
        if q.execute(&mut *tx).await? != ids.len() as u64 {
            // `check_awaiting` holds these rows: only a defect gets here.
            return Err(corrupt(format!(
                "a {status} registration moved while locked"
            )));
        }
    }
    Ok(())
}

fn status_of(r: &ResultRelease) -> RegistrationStatus {
    match (r.outcome, r.passed) {
        (ExamOutcome::Absent, _) => RegistrationStatus::Absent,
        (_, true) => RegistrationStatus::Passed,
        (_, false) => RegistrationStatus::Failed,
    }
}

async fn insert_results(
    tx: &mut Tx,
    chunk: &[&ResultRelease],
    commit: &ResultsCommit,
) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO exam_results (registration_id, score, absent, passed, released_at, imported_by)
         VALUES {}",
        rows(3, chunk.len(), 4, "", ", $1, $2")
    );
    let mut q = query(&sql)
        .bind(ts(commit.released_at))
        .bind(commit.imported_by.get());
    for r in chunk {
        q = q
            .bind(r.registration_id.get())
            .bind(r.outcome.score().map(|s| i64::from(s.get())))
            .bind(r.outcome == ExamOutcome::Absent)
            .bind(r.passed);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// P1: the score promise is kept at release; a pass owes an e-certificate (O9). "Open" is
/// spelt `COALESCE(kept_at, voided_at) IS NULL` so that no planner takes the partial index of
/// open promises (`promises_open`, every open score promise of the programme) over the
/// registration's own index: with it, 100,000 results took 4 s here instead of 0.1 s.
async fn promises(tx: &mut Tx, chunk: &[&ResultRelease], now: i64) -> StoreResult<()> {
    let sql = format!(
        "UPDATE promises SET kept_at = $1
         WHERE registration_id IN ({}) AND kind = 'score' AND COALESCE(kept_at, voided_at) IS NULL",
        placeholders(2, chunk.len())
    );
    let mut q = query(&sql).bind(now);
    for r in chunk {
        q = q.bind(r.registration_id.get());
    }
    q.execute(&mut *tx).await?;
    let owed: Vec<(i64, i64)> = chunk
        .iter()
        .filter_map(|r| {
            r.e_certificate_due
                .map(|due| (r.registration_id.get(), ts(due)))
        })
        .collect();
    if !owed.is_empty() {
        let sql = format!(
            "INSERT INTO promises (kind, registration_id, due_at, created_at) VALUES {}",
            rows(2, owed.len(), 2, "'e_certificate', ", ", $1")
        );
        let mut q = query(&sql).bind(now);
        for (id, due) in owed {
            q = q.bind(id).bind(due);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// O6: "成绩已公布" for each, in the same commit (the inbox is always a channel).
async fn inbox(tx: &mut Tx, chunk: &[&ResultRelease]) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO inbox_messages (kind, created_at, account_id, title_zh, body_zh, title_en, body_en)
         VALUES {}",
        rows(3, chunk.len(), 5, "$1, $2, ", "")
    );
    let Some(first) = chunk.first() else {
        return Ok(());
    };
    let messages: Vec<_> = chunk.iter().map(|r| &r.inbox).collect();
    crate::inbox::enqueue_deliveries(tx, &messages).await?;
    let mut q = query(&sql)
        .bind(first.inbox.kind.as_str())
        .bind(ts(first.inbox.created_at));
    for r in chunk {
        let m = &r.inbox;
        if m.kind != first.inbox.kind || m.created_at != first.inbox.created_at {
            return Err(StoreError::Other(anyhow::anyhow!(
                "a results commit's messages share one kind and one time"
            )));
        }
        q = q
            .bind(m.account_id.get())
            .bind(m.title_zh.as_str())
            .bind(m.body_zh.as_str())
            .bind(m.title_en.as_str())
            .bind(m.body_en.as_str());
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

#[async_trait]
impl ResultStore for SqlStore {
    async fn load_result_targets(&self, keys: &ResultKeys) -> StoreResult<Vec<ResultTarget>> {
        let (column, keys): (&str, Vec<crate::db::Arg<'_>>) = match keys {
            ResultKeys::Registrations(ids) => {
                let mut ids: Vec<i64> = ids.iter().map(|id| id.get()).collect();
                ids.sort_unstable();
                ids.dedup();
                ("r.id", ids.into_iter().map(Into::into).collect())
            }
            // O4: a ticket number names its registration through the ticket.
            ResultKeys::Tickets(numbers) => (
                "t.number",
                numbers.iter().map(|n| n.as_str().into()).collect(),
            ),
        };
        let mut out = Vec::with_capacity(keys.len());
        let mut keys = keys.into_iter().peekable();
        while keys.peek().is_some() {
            let chunk: Vec<_> = keys.by_ref().take(READ_CHUNK).collect();
            let sql = format!(
                "{TARGET_SELECT} WHERE {column} IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = query(&sql);
            for key in chunk {
                q = q.bind(key);
            }
            for row in q.fetch_all(self.read()).await? {
                out.push(target(&row)?);
            }
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(results = commit.results.len()))]
    async fn commit_results(&self, commit: ResultsCommit) -> StoreResult<usize> {
        let mut sorted: Vec<&ResultRelease> = commit.results.iter().collect();
        sorted.sort_by_key(|r| r.registration_id);
        if sorted
            .windows(2)
            .any(|w| w[0].registration_id == w[1].registration_id)
        {
            return Err(StoreError::Other(anyhow::anyhow!(
                "a results commit names a registration twice"
            )));
        }
        let now = ts(commit.released_at);
        let mut tx = self.begin().await?;
        for chunk in sorted.chunks(CHUNK) {
            let ids: Vec<i64> = chunk.iter().map(|r| r.registration_id.get()).collect();
            check_awaiting(&mut tx, &ids, now).await?;
            set_statuses(&mut tx, chunk, now).await?;
            insert_results(&mut tx, chunk, &commit).await?;
            promises(&mut tx, chunk, now).await?;
            inbox(&mut tx, chunk).await?;
        }
        crate::audit::insert(&mut tx, &commit.audit).await?;
        crate::jobs::enqueue(&mut tx, &commit.jobs, Some(commit.released_at)).await?;
        tx.commit().await?;
        Ok(sorted.len())
    }
}
