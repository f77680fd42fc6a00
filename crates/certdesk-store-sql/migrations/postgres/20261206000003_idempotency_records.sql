-- certdesk API (PostgreSQL): the `Idempotency-Key` of every unsafe /api/v1 route but register-and-pay
-- (which keeps its key in `orders`, inside its commit), log-in and log-out, the gateways'
-- callbacks and the test routes. One row per key and scope (the signed-in account, the SHA-256
-- of a bearer token that is no session, or anonymous): the request's fingerprint (SHA-256 of
-- method, path and query, content type and body) and, once answered, its status, content type
-- and body, the body encrypted with the PII key (an answer may hold a phone number or a
-- management token). A row created 24 h or more before a request under its key counts as absent
-- and is replaced. Keep in step with ../sqlite (same file name, same tables and columns).

CREATE TABLE idempotency_records (
    scope           TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    fingerprint     BYTEA   NOT NULL,
    -- pending: the first request under the key is running; done: its answer is recorded.
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'done')),
    status          BIGINT,
    content_type    TEXT,
    body            BYTEA,
    created_at      BIGINT  NOT NULL,
    PRIMARY KEY (scope, idempotency_key),
    CHECK (state = 'pending' OR (status IS NOT NULL AND body IS NOT NULL))
);
