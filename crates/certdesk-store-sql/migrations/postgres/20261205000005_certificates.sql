-- O9: certificates earned by a pass, their paper copies' shipments, and the mailing address a
-- paper copy goes to. Keep in step with ../sqlite (same file name, same tables, columns and
-- constraints; tests/schema.rs compares them).

-- An e-certificate per passed registration. The holder's name is the verified legal name at
-- issue; the public sees it masked. A revocation keeps the row: the public page says why.
CREATE TABLE certificates (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number           TEXT    NOT NULL CONSTRAINT certificates_number_unique UNIQUE,
    registration_id  BIGINT  NOT NULL CONSTRAINT certificates_registration_unique UNIQUE
                             REFERENCES registrations (id),
    identity_id      BIGINT  NOT NULL REFERENCES identities (id),
    certification_id BIGINT  NOT NULL REFERENCES certifications (id),
    holder_name      TEXT    NOT NULL,
    issued_at        BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    revoked_at       BIGINT,
    revoked_reason   TEXT,
    CHECK (expires_at > issued_at),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX certificates_identity ON certificates (identity_id, id);

-- O9: the paper copy of each certificate, shipped within 30 days of the exam's end. The
-- address is copied at shipment (a later change of address does not rewrite history).
CREATE TABLE paper_certificates (
    certificate_id  BIGINT  PRIMARY KEY REFERENCES certificates (id),
    due_at          BIGINT  NOT NULL,
    recipient       TEXT,
    phone           TEXT,
    province        TEXT,
    city            TEXT,
    address         TEXT,
    postcode        TEXT,
    carrier         TEXT,
    tracking_number TEXT,
    shipped_at      BIGINT,
    CHECK ((shipped_at IS NULL) = (tracking_number IS NULL)),
    CHECK ((shipped_at IS NULL) = (carrier IS NULL)),
    CHECK (shipped_at IS NULL OR address IS NOT NULL)
);
CREATE INDEX paper_certificates_pending ON paper_certificates (due_at) WHERE shipped_at IS NULL;

-- Where an account's paper certificates go (PUT /api/v1/me/mailing-address).
CREATE TABLE mailing_addresses (
    account_id BIGINT  PRIMARY KEY REFERENCES accounts (id),
    recipient  TEXT    NOT NULL,
    phone      TEXT    NOT NULL,
    province   TEXT    NOT NULL,
    city       TEXT    NOT NULL,
    address    TEXT    NOT NULL,
    postcode   TEXT,
    updated_at BIGINT  NOT NULL
);
