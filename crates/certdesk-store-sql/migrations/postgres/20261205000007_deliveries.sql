-- certdesk P2/O6 (PostgreSQL): what each outbox job delivered on its channel. A row is written,
-- with the provider's message id, before the job is marked done, so a job that runs again
-- (a lost lease, a crash after the send) finds it and never sends twice what the provider
-- accepted. Also the recipient's language (notifications are rendered in it) and the index
-- by which the last job of a notification keeps its promise (P1). Keep in step with
-- ../sqlite (same file name, same tables and columns).

CREATE TABLE deliveries (
    job_id      BIGINT PRIMARY KEY REFERENCES jobs (id),
    channel     TEXT    NOT NULL,
    account_id  BIGINT  NOT NULL REFERENCES accounts (id),
    kind        TEXT    NOT NULL,
    -- sent: the provider accepted it; skipped: opted out, no address or no template;
    -- undeliverable: the provider will never take it for this recipient (e.g. WeChat 43004).
    status      TEXT    NOT NULL CHECK (status IN ('sent', 'skipped', 'undeliverable')),
    provider_id TEXT,
    detail      TEXT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX deliveries_channel_status ON deliveries (channel, status);

ALTER TABLE accounts ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en'));

-- P1: a notification's promise is kept when its last channel job ends.
CREATE INDEX jobs_promise ON jobs (promise_id) WHERE promise_id IS NOT NULL;
