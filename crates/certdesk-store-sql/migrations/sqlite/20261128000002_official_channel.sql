-- certdesk official channel (SQLite): exam periods and seats (O1–O3), wallet ledger and
-- vouchers (O5), gateway payments, orders and registrations (O5, A2), refunds (O10) and
-- promises (P1). Keep in step with certdesk-store-postgres/migrations (same file name, same
-- tables and columns). Times: BIGINT UTC microseconds; money: BIGINT fen.

CREATE TABLE exam_periods (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    certification_id       INTEGER NOT NULL REFERENCES certifications (id),
    starts_at              BIGINT  NOT NULL,
    ends_at                BIGINT  NOT NULL,
    registration_opens_at  BIGINT  NOT NULL,
    registration_closes_at BIGINT  NOT NULL,
    created_at             BIGINT  NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (registration_closes_at > registration_opens_at)
);
CREATE INDEX exam_periods_start ON exam_periods (starts_at, id);
CREATE INDEX exam_periods_certification ON exam_periods (certification_id, starts_at);

-- O3: one pool per (period, city); `taken` never exceeds `capacity`, whatever the concurrency:
-- seats are taken with `UPDATE … SET taken = taken + 1 WHERE … AND taken < capacity`.
CREATE TABLE seat_pools (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES exam_periods (id),
    city      TEXT    NOT NULL,
    position  BIGINT  NOT NULL,              -- the operator's order of cities
    capacity  BIGINT  NOT NULL CHECK (capacity >= 0),
    taken     BIGINT  NOT NULL DEFAULT 0 CHECK (taken >= 0),
    CHECK (taken <= capacity),
    CONSTRAINT seat_pools_period_city_unique UNIQUE (period_id, city)
);

-- O5: balances, kept equal to the sum of the account's ledger entries in every transaction.
-- Rows are created lazily by the first credit; never negative, never above Fen::MAX.
CREATE TABLE wallets (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
    cash       BIGINT  NOT NULL DEFAULT 0 CHECK (cash >= 0 AND cash <= 1000000000000),
    gift       BIGINT  NOT NULL DEFAULT 0 CHECK (gift >= 0 AND gift <= 1000000000000)
);

CREATE TABLE vouchers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT    NOT NULL CONSTRAINT vouchers_code_unique UNIQUE,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    face_value    BIGINT  NOT NULL CHECK (face_value > 0),
    min_spend     BIGINT  NOT NULL CHECK (min_spend >= 0),
    expires_at    BIGINT  NOT NULL,
    -- single use: set once, by `UPDATE … WHERE used_by_order IS NULL`
    used_by_order INTEGER REFERENCES orders (id),
    issued_by     INTEGER NOT NULL REFERENCES accounts (id),
    issued_at     BIGINT  NOT NULL
);
CREATE INDEX vouchers_account ON vouchers (account_id, id);

-- Cash top-ups through a payment gateway.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    gateway      TEXT    NOT NULL,
    amount       BIGINT  NOT NULL CHECK (amount > 0),
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'succeeded', 'cancelled')),
    gateway_ref  TEXT,
    created_at   BIGINT  NOT NULL,
    completed_at BIGINT
);
CREATE INDEX payments_account ON payments (account_id, id);

-- O5: an order is paid in the transaction that creates it. Its registration points at it
-- (registrations.order_id), so the pair is written without a circular update.
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    status          TEXT    NOT NULL CHECK (status IN ('paid', 'refunded')),
    total           BIGINT  NOT NULL CHECK (total >= 0),
    voucher_id      INTEGER REFERENCES vouchers (id),
    voucher         BIGINT  NOT NULL CHECK (voucher >= 0),
    gift            BIGINT  NOT NULL CHECK (gift >= 0),
    cash            BIGINT  NOT NULL CHECK (cash >= 0),
    pay_first       TEXT    NOT NULL CHECK (pay_first IN ('gift', 'cash')),
    paid_at         BIGINT  NOT NULL,
    idempotency_key TEXT,
    request_hash    TEXT,
    CHECK (voucher + gift + cash = total),
    CONSTRAINT orders_idempotency_unique UNIQUE (account_id, idempotency_key)
);

-- O5: append-only; signed amounts (credits positive, debits negative).
CREATE TABLE ledger_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    balance    TEXT    NOT NULL CHECK (balance IN ('cash', 'gift')),
    kind       TEXT    NOT NULL CHECK (kind IN ('top_up', 'operator_credit', 'order_debit', 'refund')),
    amount     BIGINT  NOT NULL CHECK (amount <> 0),
    reason     TEXT    NOT NULL,
    order_id   INTEGER REFERENCES orders (id),
    payment_id INTEGER REFERENCES payments (id),
    actor_id   INTEGER REFERENCES accounts (id),
    at         BIGINT  NOT NULL,
    -- the kind gives the sign; gift credit is never topped up
    CHECK ((kind = 'order_debit') = (amount < 0)),
    CHECK (kind <> 'top_up' OR balance = 'cash')
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;

CREATE TABLE registrations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    identity_id      INTEGER NOT NULL REFERENCES identities (id),
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    certification_id INTEGER NOT NULL REFERENCES certifications (id),
    channel          TEXT    NOT NULL CHECK (channel IN ('official', 'institution')),
    attempt          TEXT    NOT NULL CHECK (attempt IN ('first', 'retake')),
    status           TEXT    NOT NULL
        CHECK (status IN ('confirmed', 'ticket_issued', 'passed', 'failed', 'absent', 'cancelled')),
    period_id        INTEGER REFERENCES exam_periods (id),
    seat_pool_id     INTEGER REFERENCES seat_pools (id),
    city             TEXT,
    exam_starts_at   BIGINT  NOT NULL,
    exam_ends_at     BIGINT  NOT NULL,
    reschedules_used BIGINT  NOT NULL DEFAULT 0,
    order_id         INTEGER CONSTRAINT registrations_order_unique UNIQUE REFERENCES orders (id),
    created_at       BIGINT  NOT NULL,
    cancelled_at     BIGINT
);
-- A2: no person holds two live registrations for one certification, under any concurrency.
CREATE UNIQUE INDEX registrations_live_unique ON registrations (identity_id, certification_id)
    WHERE status IN ('confirmed', 'ticket_issued');
CREATE INDEX registrations_identity ON registrations (identity_id, id);

-- O10: at most one refund per order (the primary key refuses a second).
CREATE TABLE refunds (
    order_id          INTEGER PRIMARY KEY REFERENCES orders (id),
    cash              BIGINT  NOT NULL CHECK (cash >= 0),
    gift              BIGINT  NOT NULL CHECK (gift >= 0),
    voucher_forfeited BIGINT  NOT NULL CHECK (voucher_forfeited >= 0),
    requested_at      BIGINT  NOT NULL,
    completed_at      BIGINT  NOT NULL
);

-- P1: every timed promise with its due time, and when it was kept. A promise of a cancelled
-- registration is voided (it is owed no more) and leaves the summary.
CREATE TABLE promises (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    registration_id INTEGER REFERENCES registrations (id),
    due_at          BIGINT  NOT NULL,
    kept_at         BIGINT,
    voided_at       BIGINT,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX promises_registration ON promises (registration_id);
-- The operators' summary and the overdue list: open promises by kind and due time.
CREATE INDEX promises_open ON promises (kind, due_at) WHERE kept_at IS NULL AND voided_at IS NULL;

-- P1: completing a job keeps its promise in the same transaction.
ALTER TABLE jobs ADD COLUMN promise_id INTEGER REFERENCES promises (id);
