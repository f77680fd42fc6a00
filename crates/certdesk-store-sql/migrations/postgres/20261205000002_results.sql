-- certdesk exam results (PostgreSQL): O6's score and pass/fail, released by an operator's
-- import (P1: the score promise is kept when it is released). Keep in step with
-- migrations/sqlite (same file name, same tables and constraints). Times: BIGINT UTC
-- microseconds.

-- One result per registration (the primary key refuses a second). An absentee has no score
-- and never passes; whoever sat the exam has a score of 0–100.
CREATE TABLE exam_results (
    registration_id BIGINT  PRIMARY KEY REFERENCES registrations (id),
    score           BIGINT  CHECK (score >= 0 AND score <= 100),
    absent          BOOLEAN NOT NULL,
    passed          BOOLEAN NOT NULL,
    released_at     BIGINT  NOT NULL,
    imported_by     BIGINT  NOT NULL REFERENCES accounts (id),
    CHECK ((absent AND score IS NULL AND NOT passed) OR (NOT absent AND score IS NOT NULL))
);
