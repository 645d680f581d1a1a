-- A Storage token made by an outsider dies with the membership that made it (membershipId); a token
-- is looked up by its hash when used, the deciders list a project's tokens, a membership's end takes
-- its tokens, and the sweep deletes expired ones. The access history is filtered by action.
ALTER TABLE "storageTokens" ADD COLUMN "membershipId" BIGINT;
CREATE INDEX "i_storageTokens_tokenHash" ON "storageTokens" ("tokenHash");
CREATE INDEX "i_storageTokens_projectId" ON "storageTokens" ("projectId");
CREATE INDEX "i_storageTokens_membershipId" ON "storageTokens" ("membershipId");
CREATE INDEX "i_storageTokens_expires" ON "storageTokens" ("expires");
CREATE INDEX "i_accessLog_projectId_action" ON "accessLog" ("projectId", "action");

-- Tokens made by outsiders before this migration (the access log names each one: only an outsider's
-- token is logged) are tied to the membership that made them: the user's membership of the project
-- if it began no later than the token. One whose membership has ended (or was replaced by a later
-- one) is deleted: it would have died with it.
UPDATE "storageTokens" AS t SET "membershipId" = m.id
  FROM "projectMembers" AS m
 WHERE m."projectId" = t."projectId" AND m."userId" = t."userId" AND m.created <= t.created
   AND t.id IN (SELECT (details->>'tokenId')::bigint FROM "accessLog" WHERE action = 'storageTokenCreated');
DELETE FROM "storageTokens"
 WHERE "membershipId" IS NULL
   AND id IN (SELECT (details->>'tokenId')::bigint FROM "accessLog" WHERE action = 'storageTokenCreated');
