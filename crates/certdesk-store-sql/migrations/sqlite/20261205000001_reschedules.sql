-- certdesk O7 (SQLite): every move of a registration to another exam period, oldest first.
-- The first row's `from_starts_at` is the start of the sitting first bought, from which O7's
-- horizon counts (read by the registrations' SELECT as `original_exam_starts_at`). Keep in
-- step with ../postgres (same file name, same tables and columns). Times: BIGINT UTC
-- microseconds.

CREATE TABLE reschedules (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id   INTEGER NOT NULL REFERENCES registrations (id),
    from_period_id    INTEGER NOT NULL REFERENCES exam_periods (id),
    from_seat_pool_id INTEGER NOT NULL REFERENCES seat_pools (id),
    from_city         TEXT    NOT NULL,
    from_starts_at    BIGINT  NOT NULL,
    to_period_id      INTEGER NOT NULL REFERENCES exam_periods (id),
    to_seat_pool_id   INTEGER NOT NULL REFERENCES seat_pools (id),
    to_city           TEXT    NOT NULL,
    to_starts_at      BIGINT  NOT NULL,
    at                BIGINT  NOT NULL,
    -- O7: a reschedule moves to another sitting.
    CHECK (to_period_id <> from_period_id)
);
-- A registration's history in order: its first row gives the original start.
CREATE INDEX reschedules_registration ON reschedules (registration_id, id);
