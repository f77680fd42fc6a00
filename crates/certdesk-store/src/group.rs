//! Group commit, the same for both databases: for register-and-pay (O5) and for the records
//! of what notifications delivered (P2).
//!
//! Under a rush every buyer of a city takes the same seat-pool row, so commits are serialised
//! on that row, and each one waits for the disk; senders of notifications each record what a
//! provider accepted before their job is done, one small commit per message. Such calls
//! therefore queue here; one task takes whatever has queued (up to [`MAX_GROUP`]) and hands it
//! to the database's [`GroupWrite`], which writes the group in ONE transaction and commits
//! once; only then is every caller answered. A refused item writes nothing and does not
//! disturb the others; a failed commit answers every caller of the group with the error, so
//! no caller is ever told "paid" (or "recorded") for something that is not on disk. Under no
//! load a group is one item and nothing waits.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot};

use crate::{Order, PaidRegistration, Registration, StoreError, StoreResult};

/// At most this many items share a commit (bounds every caller's wait).
pub const MAX_GROUP: usize = 64;
/// Callers queued beyond this wait for room (back-pressure instead of unbounded memory).
const QUEUE: usize = 4_096;

/// What one registration of a group came to.
pub type Outcome = StoreResult<(Order, Registration)>;

/// A database's way of writing a group of `T`, each coming to an `O`.
#[async_trait]
pub trait GroupWrite<T, O = (Order, Registration)>: Send + Sync + 'static {
    /// Writes `group` in one transaction and commits it: one outcome per item, in order,
    /// each refusal having written nothing. `Err` means the group as a whole failed and
    /// every caller is told so.
    async fn write_group(&self, group: &[T]) -> StoreResult<Vec<StoreResult<O>>>;
}

type Reply<O> = oneshot::Sender<StoreResult<O>>;

/// The queue in front of a group-commit task; by default, register-and-pay's.
pub struct GroupCommit<T = PaidRegistration, O = (Order, Registration)> {
    queue: mpsc::Sender<(T, Reply<O>)>,
    writer: Arc<dyn GroupWrite<T, O>>,
}

impl<T, O> Clone for GroupCommit<T, O> {
    fn clone(&self) -> Self {
        GroupCommit {
            queue: self.queue.clone(),
            writer: Arc::clone(&self.writer),
        }
    }
}

impl<T, O> std::fmt::Debug for GroupCommit<T, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

impl<T: Send + Sync + 'static, O: Send + 'static> GroupCommit<T, O> {
    /// Starts the task on the current runtime; it ends when the last `GroupCommit` is dropped.
    pub fn start(writer: Arc<dyn GroupWrite<T, O>>) -> GroupCommit<T, O> {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(Arc::clone(&writer), rx));
        GroupCommit { queue, writer }
    }

    /// Queues an item and waits until its group is committed (or it is refused).
    pub async fn commit(&self, item: T) -> StoreResult<O> {
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError(item)) = self.queue.send((item, reply)).await {
            // The task is gone (its runtime ended): nothing was written, so write this one
            // item here, as a group of one.
            commit_group(self.writer.as_ref(), &mut vec![item]).await;
        }
        // Dropped unanswered: the task died mid-group, and whether it committed is unknown.
        answer.await.map_err(|_| {
            StoreError::Other(anyhow::anyhow!(
                "the group-commit task stopped before answering"
            ))
        })?
    }
}

async fn run<T: Send + Sync + 'static, O: Send + 'static>(
    writer: Arc<dyn GroupWrite<T, O>>,
    mut rx: mpsc::Receiver<(T, Reply<O>)>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while rx.recv_many(&mut group, MAX_GROUP).await > 0 {
        commit_group(writer.as_ref(), &mut group).await;
        group.clear();
    }
}

async fn commit_group<T: Send + Sync + 'static, O: Send + 'static>(
    writer: &dyn GroupWrite<T, O>,
    group: &mut Vec<(T, Reply<O>)>,
) {
    let (items, replies): (Vec<_>, Vec<_>) = group.drain(..).unzip();
    match writer.write_group(&items).await {
        Ok(outcomes) if outcomes.len() == replies.len() => {
            tracing::debug!(size = replies.len(), "group committed");
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                // A caller that went away still had its item committed.
                let _ = reply.send(outcome);
            }
        }
        Ok(outcomes) => {
            // A store bug; the group did commit, but nobody can be told what became of
            // their item, so every caller gets an error (the ledger stays right).
            tracing::error!(
                size = replies.len(),
                outcomes = outcomes.len(),
                "group commit answered the wrong number of outcomes"
            );
            for reply in replies {
                let _ = reply.send(Err(StoreError::Other(anyhow::anyhow!(
                    "group commit answered the wrong number of outcomes"
                ))));
            }
        }
        Err(e) => {
            tracing::warn!(size = replies.len(), error = %e, "group commit failed");
            let busy = matches!(e, StoreError::Busy);
            for reply in replies {
                let _ = reply.send(Err(if busy {
                    StoreError::Busy
                } else {
                    StoreError::Other(anyhow::anyhow!("group commit failed: {e}"))
                }));
            }
        }
    }
}
