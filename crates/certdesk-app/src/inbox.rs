//! The candidate's inbox (站内信): only ever their own messages; another account's message is
//! simply not found (E2: never a leak).

use certdesk_domain::MessageId;
use certdesk_store::{Account, InboxMessage, Page, PageRequest};

use crate::App;
use crate::error::AppResult;

impl App {
    /// The actor's messages, newest first.
    pub async fn list_messages(
        &self,
        actor: &Account,
        page: PageRequest,
    ) -> AppResult<Page<InboxMessage>> {
        Ok(self.store.list_inbox_messages(actor.id, page).await?)
    }

    /// Marks one of the actor's messages read; `not_found` for anyone else's.
    pub async fn mark_message_read(&self, actor: &Account, id: MessageId) -> AppResult<()> {
        Ok(self
            .store
            .mark_message_read(actor.id, id, self.now())
            .await?)
    }

    /// How many of the actor's messages are unread (the badge in the header).
    pub async fn unread_messages(&self, actor: &Account) -> AppResult<u64> {
        Ok(self.store.count_unread_messages(actor.id).await?)
    }
}
