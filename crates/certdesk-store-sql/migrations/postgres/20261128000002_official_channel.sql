-- certdesk official channel (PostgreSQL): exam periods and seats (O1–O3), wallet ledger and
-- vouchers (O5), gateway payments, orders and registrations (O5, A2), refunds (O10) and
-- promises (P1). Keep in step with certdesk-store-sqlite/migrations (same file name, same
-- tables and columns). Times: BIGINT UTC microseconds; money: BIGINT fen.

CREATE TABLE exam_periods (
    id                     BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    certification_id       BIGINT  NOT NULL REFERENCES certifications (id),
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
    id        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT  NOT NULL REFERENCES exam_periods (id),
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
    account_id BIGINT  PRIMARY KEY REFERENCES accounts (id),
    cash       BIGINT  NOT NULL DEFAULT 0 CHECK (cash >= 0 AND cash <= 1000000000000),
    gift       BIGINT  NOT NULL DEFAULT 0 CHECK (gift >= 0 AND gift <= 1000000000000)
);

CREATE TABLE vouchers (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT    NOT NULL CONSTRAINT vouchers_code_unique UNIQUE,
    account_id    BIGINT  NOT NULL REFERENCES accounts (id),
    face_value    BIGINT  NOT NULL CHECK (face_value > 0),
    min_spend     BIGINT  NOT NULL CHECK (min_spend >= 0),
    expires_at    BIGINT  NOT NULL,
    -- single use: set once, by `UPDATE … WHERE used_by_order IS NULL`
    used_by_order BIGINT,     -- REFERENCES orders (id), added below (orders follows)
    issued_by     BIGINT  NOT NULL REFERENCES accounts (id),
    issued_at     BIGINT  NOT NULL
);
CREATE INDEX vouchers_account ON vouchers (account_id, id);

-- Cash top-ups through a payment gateway.
CREATE TABLE payments (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id),
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
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      BIGINT  NOT NULL REFERENCES accounts (id),
    status          TEXT    NOT NULL CHECK (status IN ('paid', 'refunded')),
    total           BIGINT  NOT NULL CHECK (total >= 0),
    voucher_id      BIGINT  REFERENCES vouchers (id),
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

ALTER TABLE vouchers ADD CONSTRAINT vouchers_used_by_order_fkey
    FOREIGN KEY (used_by_order) REFERENCES orders (id);

-- O5: append-only; signed amounts (credits positive, debits negative).
CREATE TABLE ledger_entries (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES accounts (id),
    balance    TEXT    NOT NULL CHECK (balance IN ('cash', 'gift')),
    kind       TEXT    NOT NULL CHECK (kind IN ('top_up', 'operator_credit', 'order_debit', 'refund')),
    amount     BIGINT  NOT NULL CHECK (amount <> 0),
    reason     TEXT    NOT NULL,
    order_id   BIGINT  REFERENCES orders (id),
    payment_id BIGINT  REFERENCES payments (id),
    actor_id   BIGINT  REFERENCES accounts (id),
    at         BIGINT  NOT NULL,
    -- the kind gives the sign; gift credit is never topped up
    CHECK ((kind = 'order_debit') = (amount < 0)),
    CHECK (kind <> 'top_up' OR balance = 'cash')
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ledger_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();

CREATE TABLE registrations (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity_id      BIGINT  NOT NULL REFERENCES identities (id),
    account_id       BIGINT  NOT NULL REFERENCES accounts (id),
    certification_id BIGINT  NOT NULL REFERENCES certifications (id),
    channel          TEXT    NOT NULL CHECK (channel IN ('official', 'institution')),
    attempt          TEXT    NOT NULL CHECK (attempt IN ('first', 'retake')),
    status           TEXT    NOT NULL
        CHECK (status IN ('confirmed', 'ticket_issued', 'passed', 'failed', 'absent', 'cancelled')),
    period_id        BIGINT  REFERENCES exam_periods (id),
    seat_pool_id     BIGINT  REFERENCES seat_pools (id),
    city             TEXT,
    exam_starts_at   BIGINT  NOT NULL,
    exam_ends_at     BIGINT  NOT NULL,
    reschedules_used BIGINT  NOT NULL DEFAULT 0,
    order_id         BIGINT  CONSTRAINT registrations_order_unique UNIQUE REFERENCES orders (id),
    created_at       BIGINT  NOT NULL,
    cancelled_at     BIGINT
);
-- A2: no person holds two live registrations for one certification, under any concurrency.
CREATE UNIQUE INDEX registrations_live_unique ON registrations (identity_id, certification_id)
    WHERE status IN ('confirmed', 'ticket_issued');
CREATE INDEX registrations_identity ON registrations (identity_id, id);

-- O10: at most one refund per order (the primary key refuses a second).
CREATE TABLE refunds (
    order_id          BIGINT  PRIMARY KEY REFERENCES orders (id),
    cash              BIGINT  NOT NULL CHECK (cash >= 0),
    gift              BIGINT  NOT NULL CHECK (gift >= 0),
    voucher_forfeited BIGINT  NOT NULL CHECK (voucher_forfeited >= 0),
    requested_at      BIGINT  NOT NULL,
    completed_at      BIGINT  NOT NULL
);

-- P1: every timed promise with its due time, and when it was kept. A promise of a cancelled
-- registration is voided (it is owed no more) and leaves the summary.
CREATE TABLE promises (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT    NOT NULL,
    registration_id BIGINT  REFERENCES registrations (id),
    due_at          BIGINT  NOT NULL,
    kept_at         BIGINT,
    voided_at       BIGINT,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX promises_registration ON promises (registration_id);
-- The operators' summary and the overdue list: open promises by kind and due time.
CREATE INDEX promises_open ON promises (kind, due_at) WHERE kept_at IS NULL AND voided_at IS NULL;

-- P1: completing a job keeps its promise in the same transaction.
ALTER TABLE jobs ADD COLUMN promise_id BIGINT REFERENCES promises (id);

-- Register-and-pay runs as ONE statement (src/official/paid.rs). A step that finds nothing to
-- do (no seat left, balance too low, voucher spent) calls this to abort the whole statement,
-- naming the refusal as the error's constraint: it is recognised by SQLSTATE and constraint
-- name like any other constraint, never by message text. VOLATILE, so it is never folded.
CREATE FUNCTION certdesk_refuse(refusal TEXT) RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'refused: %', refusal
        USING ERRCODE = 'check_violation', CONSTRAINT = refusal;
END;
$$;
