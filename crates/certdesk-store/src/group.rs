//! Group commit for register-and-pay (O5), the same for both databases.
//!
//! Under a rush every buyer of a city takes the same seat-pool row, so commits are serialised
//! on that row, and each one waits for the disk. Calls of `commit_paid_registration`
//! therefore queue here; one task takes whatever has queued (up to [`MAX_GROUP`]) and hands it
//! to the database's [`GroupWrite`], which writes the group in ONE transaction and commits
//! once; only then is every caller answered. A refused registration writes nothing and does
//! not disturb the others; a failed commit answers every caller of the group with the error,
//! so no caller is ever told "paid" for a registration that is not on disk. Under no load a
//! group is one registration and nothing waits.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot};

use crate::{Order, PaidRegistration, Registration, StoreError, StoreResult};

/// At most this many registrations share a commit (bounds every caller's wait).
pub const MAX_GROUP: usize = 64;
/// Callers queued beyond this wait for room (back-pressure instead of unbounded memory).
const QUEUE: usize = 4_096;

/// What one registration of a group came to.
pub type Outcome = StoreResult<(Order, Registration)>;

/// A database's way of writing a group.
#[async_trait]
pub trait GroupWrite: Send + Sync + 'static {
    /// Writes `group` in one transaction and commits it: one outcome per registration, in
    /// order, each refusal having written nothing. `Err` means the group as a whole failed
    /// and every caller is told so.
    async fn write_group(&self, group: &[PaidRegistration]) -> StoreResult<Vec<Outcome>>;
}

type Reply = oneshot::Sender<Outcome>;

/// The queue in front of the group-commit task.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<(PaidRegistration, Reply)>,
    writer: Arc<dyn GroupWrite>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// Starts the task on the current runtime; it ends when the last `GroupCommit` is dropped.
    pub fn start(writer: Arc<dyn GroupWrite>) -> GroupCommit {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(Arc::clone(&writer), rx));
        GroupCommit { queue, writer }
    }

    /// Queues a registration and waits until its group is committed (or it is refused).
    pub async fn commit(&self, paid: PaidRegistration) -> Outcome {
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError(item)) = self.queue.send((paid, reply)).await {
            // The task is gone (its runtime ended): nothing was written, so write this one
            // registration here, as a group of one.
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

async fn run(writer: Arc<dyn GroupWrite>, mut rx: mpsc::Receiver<(PaidRegistration, Reply)>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while rx.recv_many(&mut group, MAX_GROUP).await > 0 {
        commit_group(writer.as_ref(), &mut group).await;
        group.clear();
    }
}

async fn commit_group(writer: &dyn GroupWrite, group: &mut Vec<(PaidRegistration, Reply)>) {
    let (paid, replies): (Vec<_>, Vec<_>) = group.drain(..).unzip();
    match writer.write_group(&paid).await {
        Ok(outcomes) if outcomes.len() == replies.len() => {
            tracing::debug!(size = replies.len(), "registrations committed");
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                // A caller that went away still had its registration committed.
                let _ = reply.send(outcome);
            }
        }
        Ok(outcomes) => {
            // A store bug; the group did commit, but nobody can be told what became of
            // their registration, so every caller gets an error (the ledger stays right).
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
