-- certdesk O8 (SQLite): a retake registration (attempt 'retake', no order of its own) names the
-- failed first attempt it follows. A first attempt gives at most one retake, under any
-- concurrency: the unique index refuses a second. The first attempt's `retake_used` is read
-- from it (a retake row that names it), so the two can never disagree. Keep in step with
-- ../postgres (same file name, same tables and columns).

ALTER TABLE registrations ADD COLUMN retake_of INTEGER REFERENCES registrations (id);
-- O8: one retake per first attempt; also how a first attempt finds its retake.
CREATE UNIQUE INDEX registrations_retake_of_unique ON registrations (retake_of)
    WHERE retake_of IS NOT NULL;
