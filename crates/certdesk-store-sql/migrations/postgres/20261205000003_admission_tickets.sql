-- O4: venues (考点) of a city, and the admission tickets (准考证) that seat a period's
-- candidates in them. Keep in step with ../sqlite (same file name, same tables, columns and
-- constraints; tests/schema.rs compares them).

-- A venue belongs to a city, not to a period: every period held in that city seats its
-- candidates in the city's venues, in the operators' order (position).
CREATE TABLE venues (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    address    TEXT    NOT NULL,
    seats      BIGINT  NOT NULL CHECK (seats > 0),
    position   BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL,
    CONSTRAINT venues_city_name_unique UNIQUE (city, name)
);
CREATE INDEX venues_city ON venues (city, position);

-- One ticket per registration and sitting. Its number is unique by construction (period and
-- sequence, TicketNumber); a seat of a venue is given once per period.
CREATE TABLE admission_tickets (
    registration_id BIGINT  PRIMARY KEY REFERENCES registrations (id),
    period_id       BIGINT  NOT NULL REFERENCES exam_periods (id),
    number          TEXT    NOT NULL CONSTRAINT admission_tickets_number_unique UNIQUE,
    sequence        BIGINT  NOT NULL CHECK (sequence > 0),
    venue_id        BIGINT  NOT NULL REFERENCES venues (id),
    seat            BIGINT  NOT NULL CHECK (seat > 0),
    issued_at       BIGINT  NOT NULL,
    -- set once, at the venue's check-in desk
    checked_in_at   BIGINT,
    CONSTRAINT admission_tickets_sequence_unique UNIQUE (period_id, sequence),
    CONSTRAINT admission_tickets_seat_unique UNIQUE (period_id, venue_id, seat)
);

-- Issuing and seating read a period's registrations by status.
CREATE INDEX registrations_period ON registrations (period_id, status);
