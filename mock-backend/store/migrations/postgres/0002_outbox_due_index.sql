-- The mail worker claims unsent, due e-mails soonest first (smtpSentAt IS NULL AND nextAttemptAt <= now):
-- one index serves that and the retention sweep (smtpSentAt <= cutoff), which the old one served alone.
DROP INDEX "i_outbox_smtpSentAt";
CREATE INDEX "i_outbox_smtpSentAt_nextAttemptAt" ON "outbox" ("smtpSentAt", "nextAttemptAt");
