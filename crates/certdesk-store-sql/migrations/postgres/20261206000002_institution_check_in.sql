-- I3: when institution staff checked the candidate in at the test centre (the official
-- channel checks in by admission ticket, O4). Keep in step with the other folder.
ALTER TABLE registrations ADD COLUMN checked_in_at BIGINT;
