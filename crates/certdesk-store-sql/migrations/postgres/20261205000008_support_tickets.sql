-- O11: support tickets (工单) and their threads. Keep in step with ../sqlite (same file
-- name, same tables, columns and constraints; tests/schema.rs compares them).

-- A candidate's ticket. A linked registration or order is the account's own (checked by the
-- use case); `queued_at` is since when it has waited as it stands (the operators' queue
-- serves the longest wait first); `last_operator_id` is who answered last (a candidate's
-- reply tells them).
CREATE TABLE support_tickets (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       BIGINT  NOT NULL REFERENCES accounts (id),
    category         TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    registration_id  BIGINT  REFERENCES registrations (id),
    order_id         BIGINT  REFERENCES orders (id),
    last_operator_id BIGINT  REFERENCES accounts (id),
    created_at       BIGINT  NOT NULL,
    last_activity_at BIGINT  NOT NULL,
    queued_at        BIGINT  NOT NULL,
    CHECK (status IN ('open', 'waiting_for_candidate', 'resolved', 'closed')),
    CHECK (category IN ('registration', 'payment_refund', 'exam_day', 'results_certificate',
                        'account_identity', 'other')),
    CHECK (last_activity_at >= created_at)
);
CREATE INDEX support_tickets_account ON support_tickets (account_id, id);
CREATE INDEX support_tickets_queue ON support_tickets (status, queued_at, id);

-- One message of a ticket's thread, by the candidate or an operator.
CREATE TABLE support_messages (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  BIGINT  NOT NULL REFERENCES support_tickets (id),
    author_id  BIGINT  NOT NULL REFERENCES accounts (id),
    side       TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    CHECK (side IN ('candidate', 'operator'))
);
CREATE INDEX support_messages_ticket ON support_messages (ticket_id, id);
