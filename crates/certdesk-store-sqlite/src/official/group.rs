//! Group commit for register-and-pay (O5) on the single writer.
//!
//! With `synchronous=FULL` every commit waits for the disk (fsync), and under a rush that wait
//! dominates. Calls of `commit_paid_registration` therefore queue here; one task takes
//! whatever has queued (up to `MAX_GROUP`), writes each registration in its own savepoint
//! (`paid.rs`) inside ONE `BEGIN IMMEDIATE` transaction, commits once, and only then answers
//! every caller. A refused registration rolls back to its savepoint without disturbing the
//! others; a failed commit answers every caller of the group with the error, so no caller is
//! ever told "paid" for a registration that is not on disk. Under no load a group is one
//! registration and nothing waits.

use certdesk_store::{Order, PaidRegistration, Registration, StoreError, StoreResult};
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use crate::error::DbResultExt as _;

/// At most this many registrations share a commit (bounds every caller's wait).
const MAX_GROUP: usize = 64;
/// Callers queued beyond this wait for room (back-pressure instead of unbounded memory).
const QUEUE: usize = 4_096;

type Reply = oneshot::Sender<StoreResult<(Order, Registration)>>;

/// The queue in front of the group-commit task.
#[derive(Debug, Clone)]
pub(crate) struct GroupWriter {
    queue: mpsc::Sender<(PaidRegistration, Reply)>,
    writer: SqlitePool,
}

impl GroupWriter {
    /// Starts the task on the current runtime; it ends when the last `GroupWriter` is dropped.
    pub(crate) fn start(writer: SqlitePool) -> GroupWriter {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer.clone(), rx));
        GroupWriter { queue, writer }
    }

    /// Queues a registration and waits until its group is committed (or it is refused).
    pub(crate) async fn commit(
        &self,
        paid: PaidRegistration,
    ) -> StoreResult<(Order, Registration)> {
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError(item)) = self.queue.send((paid, reply)).await {
            // The task is gone (its runtime ended): nothing was written, so write this one
            // registration here, as a group of one.
            commit_group(&self.writer, &mut vec![item]).await;
        }
        // Dropped unanswered: the task died mid-group, and whether it committed is unknown.
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Other(anyhow::anyhow!(
        "the SQLite group-commit task stopped before answering"
    ))
}

async fn run(writer: SqlitePool, mut rx: mpsc::Receiver<(PaidRegistration, Reply)>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while rx.recv_many(&mut group, MAX_GROUP).await > 0 {
        commit_group(&writer, &mut group).await;
        group.clear();
    }
}

async fn commit_group(writer: &SqlitePool, group: &mut Vec<(PaidRegistration, Reply)>) {
    match write_group(writer, group).await {
        Ok(outcomes) => {
            for ((_, reply), outcome) in group.drain(..).zip(outcomes) {
                // A caller that went away still had its registration committed.
                let _ = reply.send(outcome);
            }
        }
        Err(e) => {
            tracing::warn!(size = group.len(), error = %e, "group commit failed");
            let busy = matches!(e, StoreError::Busy);
            for (_, reply) in group.drain(..) {
                let _ = reply.send(Err(if busy {
                    StoreError::Busy
                } else {
                    StoreError::Other(anyhow::anyhow!("group commit failed: {e}"))
                }));
            }
        }
    }
}

async fn write_group(
    writer: &SqlitePool,
    group: &[(PaidRegistration, Reply)],
) -> StoreResult<Vec<StoreResult<(Order, Registration)>>> {
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await.db()?;
    let mut outcomes = Vec::with_capacity(group.len());
    // Whether the previous registration's savepoint is still open (it succeeded).
    let mut open = false;
    for (paid, _) in group {
        let outcome = super::paid::write_one(&mut tx, paid, open).await?;
        open = outcome.is_ok();
        outcomes.push(outcome);
    }
    tx.commit().await.db()?;
    tracing::debug!(size = group.len(), "registrations committed");
    Ok(outcomes)
}
