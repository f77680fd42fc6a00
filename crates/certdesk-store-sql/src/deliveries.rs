//! Deliveries (P2): what each notification job delivered, first record wins; the outbox's
//! figures per channel; the recipient's language.
//!
//! Every sender records what a provider accepted before its job is done, so that a job run
//! again never sends twice: one small commit per message sent. Those records therefore share
//! commits (`certdesk_store::group`): while one group is being written, the next queues, and
//! a drain of thousands of notifications waits for the disk once per group instead of once
//! per message.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use certdesk_domain::{AccountId, JobId, Locale};
use certdesk_store::group::{GroupCommit, GroupWrite};
use certdesk_store::{
    ChannelFigures, Delivery, DeliveryStore, NewDelivery, StoreError, StoreResult,
};

use crate::convert::{from_ts, from_ts_opt, parse, ts};
use crate::db::{Row, Tx, query};
use crate::{Db, SqlStore};

const COLUMNS: &str = "job_id, channel, account_id, kind, status, provider_id, detail, created_at";

fn delivery_from_row(row: &Row) -> StoreResult<Delivery> {
    Ok(Delivery {
        job_id: JobId(row.get("job_id")?),
        channel: row.get("channel")?,
        account_id: AccountId(row.get("account_id")?),
        kind: row.get("kind")?,
        status: parse(&row.text("status")?, "delivery status")?,
        provider_id: row.get("provider_id")?,
        detail: row.get("detail")?,
        created_at: from_ts(row.get("created_at")?)?,
    })
}

fn count(row: &Row, column: &str) -> StoreResult<u64> {
    u64::try_from(row.int(column)?)
        .map_err(|_| crate::convert::corrupt(format!("negative {column}")))
}

fn slot(figures: &mut BTreeMap<String, ChannelFigures>, channel: String) -> &mut ChannelFigures {
    figures
        .entry(channel.clone())
        .or_insert_with(|| ChannelFigures {
            channel,
            ..ChannelFigures::default()
        })
}

fn by_job() -> String {
    format!("SELECT {COLUMNS} FROM deliveries WHERE job_id = $1")
}

/// The group-commit queue of delivery records, on the store's database.
pub(crate) fn group_commit(db: Db) -> GroupCommit<NewDelivery, Delivery> {
    GroupCommit::start(Arc::new(DeliveryGroupWrite { db }))
}

struct DeliveryGroupWrite {
    db: Db,
}

#[async_trait]
impl GroupWrite<NewDelivery, Delivery> for DeliveryGroupWrite {
    async fn write_group(&self, group: &[NewDelivery]) -> StoreResult<Vec<StoreResult<Delivery>>> {
        // A record that cannot be written (its job or account gone) fails the shared
        // transaction, and on PostgreSQL every statement after it: so then each is written
        // alone, and only that one fails.
        if group.len() > 1
            && let Ok(recorded) = self.write_together(group).await
        {
            return Ok(recorded.into_iter().map(Ok).collect());
        }
        let mut outcomes = Vec::with_capacity(group.len());
        for delivery in group {
            outcomes.push(
                self.write_together(std::slice::from_ref(delivery))
                    .await
                    .map(|mut recorded| recorded.pop().expect("one record for one delivery")),
            );
        }
        Ok(outcomes)
    }
}

impl DeliveryGroupWrite {
    /// All of `group` in one transaction, or nothing.
    async fn write_together(&self, group: &[NewDelivery]) -> StoreResult<Vec<Delivery>> {
        let mut tx = self.db.begin().await?;
        let mut recorded = Vec::with_capacity(group.len());
        for delivery in group {
            recorded.push(record(&mut tx, delivery).await?);
        }
        tx.commit().await?;
        Ok(recorded)
    }
}

/// One record, or the one recorded before for the same job (the first wins).
async fn record(tx: &mut Tx, delivery: &NewDelivery) -> StoreResult<Delivery> {
    static INSERT: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO deliveries (job_id, channel, account_id, kind, status, provider_id,
                                     detail, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (job_id) DO NOTHING
             RETURNING {COLUMNS}"
        )
    });
    let inserted = query(INSERT.as_str())
        .bind(delivery.job_id.get())
        .bind(&delivery.channel)
        .bind(delivery.account_id.get())
        .bind(&delivery.kind)
        .bind(delivery.status.as_str())
        .bind(&delivery.provider_id)
        .bind(&delivery.detail)
        .bind(ts(delivery.created_at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(crate::db::missing_reference)?;
    let row = match inserted {
        Some(row) => row,
        None => {
            query(&by_job())
                .bind(delivery.job_id.get())
                .fetch_one(&mut *tx)
                .await?
        }
    };
    delivery_from_row(&row)
}

#[async_trait]
impl DeliveryStore for SqlStore {
    async fn find_delivery(&self, job: JobId) -> StoreResult<Option<Delivery>> {
        query(&by_job())
            .bind(job.get())
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(delivery_from_row)
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %delivery.job_id))]
    async fn commit_delivery(&self, delivery: NewDelivery) -> StoreResult<Delivery> {
        self.deliveries.commit(delivery).await
    }

    async fn channel_figures(&self) -> StoreResult<Vec<ChannelFigures>> {
        let mut figures: BTreeMap<String, ChannelFigures> = BTreeMap::new();
        let delivered =
            query("SELECT channel, status, COUNT(*) AS n FROM deliveries GROUP BY channel, status")
                .fetch_all(self.read())
                .await?;
        for row in &delivered {
            let f = slot(&mut figures, row.get("channel")?);
            let n = count(row, "n")?;
            match row.text("status")?.as_str() {
                "sent" => f.sent = n,
                "skipped" => f.skipped = n,
                _ => f.undeliverable += n,
            }
        }
        let open = query(
            "SELECT channel, status, COUNT(*) AS n, MIN(created_at) AS oldest,
                    SUM(CASE WHEN attempts > 0 AND status = 'pending' THEN 1 ELSE 0 END) AS tried
             FROM jobs WHERE kind = 'notify' AND channel IS NOT NULL
                AND status IN ('pending', 'running', 'dead')
             GROUP BY channel, status",
        )
        .fetch_all(self.read())
        .await?;
        for row in &open {
            let f = slot(&mut figures, row.get("channel")?);
            let n = count(row, "n")?;
            if row.text("status")? == "dead" {
                f.dead = n;
            } else {
                f.waiting += n;
                f.retrying += u64::try_from(row.int_opt("tried")?.unwrap_or(0)).unwrap_or(0);
                let oldest = from_ts_opt(row.int_opt("oldest")?)?;
                f.oldest_waiting_since = match (f.oldest_waiting_since, oldest) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        Ok(figures.into_values().collect())
    }

    async fn find_account_locale(&self, account: AccountId) -> StoreResult<Locale> {
        let row = query("SELECT locale FROM accounts WHERE id = $1")
            .bind(account.get())
            .fetch_optional(self.read())
            .await?
            .ok_or(StoreError::NotFound)?;
        let tag = row.text("locale")?;
        Locale::from_tag(&tag)
            .ok_or_else(|| crate::convert::corrupt(format!("unknown locale {tag:?}")))
    }

    async fn set_account_locale(&self, account: AccountId, locale: Locale) -> StoreResult<()> {
        let changed = query("UPDATE accounts SET locale = $2 WHERE id = $1")
            .bind(account.get())
            .bind(locale.as_tag())
            .execute(self.write())
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
