//! Figures and the correctness verdict: exactly S confirmed orders, wallets equal ledgers.

use crate::load::{Outcome, Sample};
use crate::seed::{GIFT_FEN, Seeded, open_app};
use crate::{Args, Scenario};
use anyhow::{anyhow, bail};
use certdesk_store::PageRequest;
use std::collections::BTreeMap;
use std::time::Duration;

pub struct Verdict {
    pub confirmed_in_db: u32,
    pub wallets_checked: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub async fn verify(
    args: &Args,
    database_url: &str,
    secret_hex: &str,
    seeded: &Seeded,
    outcome: &Outcome,
) -> anyhow::Result<Verdict> {
    let created = outcome.samples.iter().filter(|s| s.status == 201).count();
    let expected = args
        .capacity()
        .min(u32::try_from(args.candidates).unwrap_or(u32::MAX)) as usize;
    let bad: Vec<&Sample> = outcome
        .samples
        .iter()
        .filter(|s| {
            s.status != 201 && !(s.status == 409 && s.code.as_deref() == Some("no_seats_left"))
        })
        .collect();
    if let Some(s) = bad.first() {
        bail!(
            "{} unexpected answers, e.g. status {} {:?}",
            bad.len(),
            s.status,
            s.code
        );
    }
    if created != expected {
        bail!("{created} registrations confirmed over HTTP, expected exactly {expected}");
    }

    let app = open_app(database_url, secret_hex).await?;
    let store = app.store();
    let period = store.get_exam_period(seeded.period_id).await?;
    let taken: u32 = period.cities.iter().map(|c| c.taken).sum();
    if taken as usize != expected {
        bail!("{taken} seats taken in the database, expected {expected}");
    }
    // Every wallet equals its ledger; together they lost exactly `created` fees.
    let mut spent = 0i64;
    let mut confirmed_inboxes = 0usize;
    for (account, _) in &seeded.candidates {
        let balance = store.wallet_balance(*account).await?;
        let mut ledger = (0i64, 0i64);
        let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
        loop {
            let p = store.list_ledger(*account, page).await?;
            for e in &p.items {
                match e.balance {
                    certdesk_domain::Balance::Cash => ledger.0 += e.amount,
                    certdesk_domain::Balance::Gift => ledger.1 += e.amount,
                }
            }
            match p.next_cursor {
                Some(c) => page.cursor = Some(c),
                None => break,
            }
        }
        if (balance.cash.get(), balance.gift.get()) != ledger {
            bail!("account {account}: wallet {balance:?} differs from its ledger {ledger:?}");
        }
        let paid = seeded.price.get() + GIFT_FEN - balance.cash.get() - balance.gift.get();
        spent += paid;
        // O6: the confirmation is in the inbox of exactly those who paid (same commit).
        let inbox = store
            .list_inbox_messages(*account, PageRequest::first(10))
            .await?;
        let confirmations = inbox
            .items
            .iter()
            .filter(|m| m.kind == "registration_confirmed")
            .count();
        if confirmations != usize::from(paid > 0) {
            bail!(
                "account {account}: paid {paid} fen but has {confirmations} confirmation messages"
            );
        }
        confirmed_inboxes += confirmations;
    }
    if confirmed_inboxes != created {
        bail!("{confirmed_inboxes} confirmation messages, expected {created}");
    }
    if spent != created as i64 * seeded.price.get() {
        return Err(anyhow!(
            "candidates spent {spent} fen in all, expected {} × {}",
            created,
            seeded.price.get()
        ));
    }
    Ok(Verdict {
        confirmed_in_db: taken,
        wallets_checked: seeded.candidates.len(),
    })
}

/// The server's CPU seconds (user + system) during a rush.
pub struct ServerCpu {
    /// From the first request to the last answer.
    pub answering: Option<f64>,
    /// From the last answer until every outside-channel notification arrived (`--channels`).
    pub delivering: Option<f64>,
}

pub fn print(
    args: &Args,
    outcome: &Outcome,
    peak_rss_kib: Option<u64>,
    server_cpu: ServerCpu,
    verdict: &anyhow::Result<Verdict>,
) {
    let mut all: Vec<Duration> = outcome.samples.iter().map(|s| s.latency).collect();
    all.sort();
    let mut won: Vec<&Sample> = outcome.samples.iter().filter(|s| s.status == 201).collect();
    won.sort_by_key(|s| s.done_at);
    let mut won_lat: Vec<Duration> = won.iter().map(|s| s.latency).collect();
    won_lat.sort();
    let last_seat = won.last().map_or(Duration::ZERO, |s| s.done_at);
    let mut statuses: BTreeMap<(u16, Option<String>), usize> = BTreeMap::new();
    for s in &outcome.samples {
        *statuses.entry((s.status, s.code.clone())).or_default() += 1;
    }

    println!(
        "requests            {} in {:.2} s ({:.0}/s)",
        outcome.samples.len(),
        outcome.elapsed.as_secs_f64(),
        outcome.samples.len() as f64 / outcome.elapsed.as_secs_f64()
    );
    for ((status, code), n) in &statuses {
        println!("  {status} {:<16} {n}", code.as_deref().unwrap_or(""));
    }
    let label = match args.scenario {
        Scenario::Contended => "while seats remain",
        Scenario::Uncontended | Scenario::Verify => "overall",
    };
    println!(
        "registrations/s     {:.0} ({label}: {} confirmed by {:.2} s)",
        won.len() as f64 / last_seat.as_secs_f64().max(1e-9),
        won.len(),
        last_seat.as_secs_f64()
    );
    println!(
        "latency, all        p50 {}  p95 {}  p99 {}  max {}",
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 95.0)),
        ms(percentile(&all, 99.0)),
        ms(percentile(&all, 100.0))
    );
    println!(
        "latency, confirmed  p50 {}  p95 {}  p99 {}",
        ms(percentile(&won_lat, 50.0)),
        ms(percentile(&won_lat, 95.0)),
        ms(percentile(&won_lat, 99.0))
    );
    if let Some(cpu) = server_cpu.answering {
        println!(
            "server CPU          {cpu:.2} s up to the last answer ({:.0} µs per request; the machine has 2 cores, the load generator shares them)",
            cpu * 1e6 / outcome.samples.len().max(1) as f64
        );
    }
    if let Some(cpu) = server_cpu.delivering {
        println!("server CPU, sending {cpu:.2} s more until every notification arrived");
    }
    match peak_rss_kib {
        Some(k) => println!("server peak memory  {:.1} MB (VmHWM)", k as f64 / 1024.0),
        None => println!("server peak memory  unknown"),
    }
    match verdict {
        Ok(v) => println!(
            "verified            {} seats taken = confirmed orders = confirmation messages; {} wallets equal their ledgers",
            v.confirmed_in_db, v.wallets_checked
        ),
        Err(e) => println!("VERIFICATION FAILED: {e:#}"),
    }
}
