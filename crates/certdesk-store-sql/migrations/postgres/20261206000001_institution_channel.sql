-- The institution channel (I1–I9). Keep in step with ../sqlite (same file name, same tables,
-- columns and constraints; tests/schema.rs compares them). SQLite rebuilds `registrations`;
-- here it is altered in place.

-- An authorised exam institution (授权考试机构) and how candidates reach its customer
-- service (I8, I9).
CREATE TABLE institutions (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT    NOT NULL,
    hotline    TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

-- I1: agreements are versioned; the newest version is the current one, and a registration
-- records the version it accepted.
CREATE TABLE agreements (
    institution_id BIGINT  NOT NULL REFERENCES institutions (id),
    version        BIGINT  NOT NULL CHECK (version > 0),
    text           TEXT    NOT NULL,
    published_at   BIGINT  NOT NULL,
    PRIMARY KEY (institution_id, version)
);

-- I2: test centres are public.
CREATE TABLE test_centres (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id BIGINT  NOT NULL REFERENCES institutions (id),
    name           TEXT    NOT NULL,
    city           TEXT    NOT NULL,
    address        TEXT    NOT NULL,
    contact_name   TEXT    NOT NULL,
    contact_phone  TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX test_centres_institution ON test_centres (institution_id, id);
CREATE INDEX test_centres_city ON test_centres (city, id);

-- I3: a centre's dated slots. A booking takes a seat with
-- `UPDATE slots SET taken = taken + 1 WHERE id = ? AND taken < capacity`, as seat pools do.
CREATE TABLE slots (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    test_centre_id BIGINT  NOT NULL REFERENCES test_centres (id),
    starts_at      BIGINT  NOT NULL,
    capacity       BIGINT  NOT NULL CHECK (capacity > 0),
    taken          BIGINT  NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    created_by     BIGINT  NOT NULL REFERENCES accounts (id),
    created_at     BIGINT  NOT NULL,
    CONSTRAINT slots_centre_start_unique UNIQUE (test_centre_id, starts_at)
);

-- I1: a candidate of this channel has no official-site account. Their contact details live
-- in an account row of kind `contact`, which cannot sign in, so notices, results and
-- certificates reach them by the same paths as everyone else.
ALTER TABLE accounts ADD COLUMN kind TEXT NOT NULL DEFAULT 'site'
    CHECK (kind IN ('site', 'contact'));

-- I1: what a payment is for: a cash top-up (O5) or an institution registration.
ALTER TABLE payments ADD COLUMN purpose TEXT NOT NULL DEFAULT 'top_up'
    CHECK (purpose IN ('top_up', 'institution_registration'));

-- An institution registration waits for its payment (`awaiting_payment`) and has no sitting
-- until an appointment is booked (`slot_id`, with the exam times of that slot); an official
-- one always has its sitting.
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('awaiting_payment', 'confirmed', 'ticket_issued', 'passed', 'failed',
                      'absent', 'cancelled'));
ALTER TABLE registrations ALTER COLUMN exam_starts_at DROP NOT NULL;
ALTER TABLE registrations ALTER COLUMN exam_ends_at DROP NOT NULL;
ALTER TABLE registrations ADD COLUMN slot_id BIGINT REFERENCES slots (id);
ALTER TABLE registrations ADD CHECK ((exam_starts_at IS NULL) = (exam_ends_at IS NULL));
ALTER TABLE registrations ADD CHECK (channel = 'institution'
    OR (exam_starts_at IS NOT NULL AND slot_id IS NULL));
ALTER TABLE registrations ADD CHECK (slot_id IS NULL OR exam_starts_at IS NOT NULL);
CREATE INDEX registrations_slot ON registrations (slot_id);

-- I1: what the candidate accepted and paid, for the first attempt (its retake follows from
-- it). I8: `refunded` never exceeds `paid` (the database checks it).
CREATE TABLE institution_registrations (
    registration_id       BIGINT  PRIMARY KEY REFERENCES registrations (id),
    institution_id        BIGINT  NOT NULL REFERENCES institutions (id),
    agreement_version     BIGINT  NOT NULL,
    agreement_accepted_at BIGINT  NOT NULL,
    payment_id            BIGINT  NOT NULL
        CONSTRAINT institution_registrations_payment_unique UNIQUE REFERENCES payments (id),
    paid                  BIGINT  NOT NULL CHECK (paid >= 0),
    refunded              BIGINT  NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= paid)
);
CREATE INDEX institution_registrations_institution ON institution_registrations (institution_id, registration_id);

-- I8: every refund the institution's customer service made, with its reason (the ledger of
-- this channel).
CREATE TABLE institution_refunds (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id BIGINT  NOT NULL REFERENCES institution_registrations (registration_id),
    amount          BIGINT  NOT NULL CHECK (amount > 0),
    reason          TEXT    NOT NULL CHECK (reason <> ''),
    staff_id        BIGINT  NOT NULL REFERENCES accounts (id),
    at              BIGINT  NOT NULL
);
CREATE INDEX institution_refunds_registration ON institution_refunds (registration_id, id);

-- I3/I5: every booking and move of an appointment, by the candidate or by staff (with a
-- reason).
CREATE TABLE appointment_changes (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id BIGINT  NOT NULL REFERENCES registrations (id),
    from_slot_id    BIGINT  REFERENCES slots (id),
    to_slot_id      BIGINT  NOT NULL REFERENCES slots (id),
    staff_id        BIGINT  REFERENCES accounts (id),
    reason          TEXT,
    at              BIGINT  NOT NULL,
    CHECK (staff_id IS NULL OR reason IS NOT NULL)
);
CREATE INDEX appointment_changes_registration ON appointment_changes (registration_id, id);
