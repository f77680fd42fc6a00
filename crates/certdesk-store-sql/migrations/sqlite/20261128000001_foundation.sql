-- certdesk foundation schema (SQLite). Keep in step with certdesk-store-postgres/migrations:
-- same file names, same tables and columns; a test compares the folders' file names.
-- Times are UTC microseconds since the Unix epoch (BIGINT); money is integer fen; `now` always
-- comes from the application's clock, never from SQL.

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT    NOT NULL,
    -- lower-cased email: addresses are unique case-insensitively
    email_key      TEXT    NOT NULL CONSTRAINT accounts_email_key_unique UNIQUE,
    phone          TEXT,
    password_hash  TEXT    NOT NULL,
    roles          TEXT    NOT NULL,            -- JSON array of role names
    institution_id BIGINT,
    wechat_openid  TEXT,
    opted_out      TEXT    NOT NULL DEFAULT '[]', -- JSON array of channel names
    created_at     BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('api', 'web')),
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE login_throttle (
    login_key        TEXT    PRIMARY KEY,
    failures         BIGINT  NOT NULL,
    first_failure_at BIGINT  NOT NULL,
    locked_until     BIGINT
);

-- One row per person (A2): found by the keyed blind index, never by the ID number itself.
CREATE TABLE identities (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    blind_index          BLOB    NOT NULL CONSTRAINT identities_blind_index_unique UNIQUE,
    id_number_ciphertext BLOB    NOT NULL,
    id_number_masked     TEXT    NOT NULL,
    created_at           BIGINT  NOT NULL
);

-- One submission per account (A4); a new submission replaces a pending or rejected one.
CREATE TABLE account_identities (
    account_id   INTEGER PRIMARY KEY REFERENCES accounts (id),
    identity_id  INTEGER NOT NULL REFERENCES identities (id),
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    real_name    TEXT    NOT NULL,
    reason       TEXT,
    submitted_at BIGINT  NOT NULL,
    decided_at   BIGINT,
    decided_by   INTEGER REFERENCES accounts (id)
);
CREATE INDEX account_identities_identity ON account_identities (identity_id, status);
CREATE INDEX account_identities_status ON account_identities (status, account_id);

CREATE TABLE certifications (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT    NOT NULL CONSTRAINT certifications_code_unique UNIQUE,
    name_zh          TEXT    NOT NULL,
    name_en          TEXT    NOT NULL,
    family           TEXT    NOT NULL,
    track            TEXT,
    level            TEXT,
    fee_fen          BIGINT  NOT NULL CHECK (fee_fen >= 0),
    duration_minutes BIGINT  NOT NULL,
    pass_mark        BIGINT  NOT NULL,
    validity_months  BIGINT  NOT NULL,
    retired          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);

-- Append-only: nobody can edit or remove an entry, not even with raw SQL.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id    BIGINT,
    action      TEXT    NOT NULL,
    target_kind TEXT    NOT NULL,
    target_id   TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    at          BIGINT  NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE settings (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The outbox and every scheduled piece of work (P2). Payloads carry ids, not data.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,                -- JSON
    channel      TEXT,
    dedup_key    TEXT    CONSTRAINT jobs_dedup_key_unique UNIQUE,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'done', 'dead')),
    attempts     BIGINT  NOT NULL DEFAULT 0,
    max_attempts BIGINT  NOT NULL,
    run_at       BIGINT  NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT,
    last_error   TEXT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
-- Claiming: due pending jobs by run_at, and running jobs whose lease expired.
CREATE INDEX jobs_pending_due ON jobs (run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_running_lease ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_status ON jobs (status, id);

CREATE TABLE inbox_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind       TEXT    NOT NULL,
    title_zh   TEXT    NOT NULL,
    body_zh    TEXT    NOT NULL,
    title_en   TEXT    NOT NULL,
    body_en    TEXT    NOT NULL,
    -- the delivering job: delivery is idempotent per job
    source_job BIGINT  CONSTRAINT inbox_messages_source_job_unique UNIQUE,
    created_at BIGINT  NOT NULL,
    read_at    BIGINT
);
CREATE INDEX inbox_messages_account ON inbox_messages (account_id, id);
CREATE INDEX inbox_messages_unread ON inbox_messages (account_id) WHERE read_at IS NULL;
