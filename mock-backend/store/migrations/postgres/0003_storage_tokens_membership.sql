-- A Storage token made by an outsider dies with the membership that made it (membershipId); a token
-- is looked up by its hash when used, the deciders list a project's tokens, a membership's end takes
-- its tokens, and the sweep deletes expired ones. The access history is filtered by action.
ALTER TABLE "storageTokens" ADD COLUMN "membershipId" BIGINT;
CREATE INDEX "i_storageTokens_tokenHash" ON "storageTokens" ("tokenHash");
CREATE INDEX "i_storageTokens_projectId" ON "storageTokens" ("projectId");
CREATE INDEX "i_storageTokens_membershipId" ON "storageTokens" ("membershipId");
CREATE INDEX "i_storageTokens_expires" ON "storageTokens" ("expires");
CREATE INDEX "i_accessLog_projectId_action" ON "accessLog" ("projectId", "action");
