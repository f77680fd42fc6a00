//! Deliveries (P2): what each notification job delivered, first record wins; the outbox's
//! figures per channel; the recipient's language.

use std::collections::BTreeMap;

use async_trait::async_trait;
use certdesk_domain::{AccountId, JobId, Locale};
use certdesk_store::{
    ChannelFigures, Delivery, DeliveryStore, NewDelivery, StoreError, StoreResult,
};

use crate::SqlStore;
use crate::convert::{from_ts, from_ts_opt, parse, ts};
use crate::db::{Row, query};

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
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO deliveries (job_id, channel, account_id, kind, status, provider_id, detail, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (job_id) DO NOTHING",
        )
        .bind(delivery.job_id.get())
        .bind(&delivery.channel)
        .bind(delivery.account_id.get())
        .bind(&delivery.kind)
        .bind(delivery.status.as_str())
        .bind(&delivery.provider_id)
        .bind(&delivery.detail)
        .bind(ts(delivery.created_at))
        .execute(&mut tx)
        .await
        .map_err(crate::db::missing_reference)?;
        let row = query(&by_job())
            .bind(delivery.job_id.get())
            .fetch_one(&mut tx)
            .await?;
        let stored = delivery_from_row(&row)?;
        tx.commit().await?;
        Ok(stored)
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
