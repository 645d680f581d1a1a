// The fair baseline: the same framework (Hono on @hono/node-server), the same SQLite file layout and
// pragmas, the same query a project's users need (members joined with their users, invitor and
// approver, judged alive by the clock) and the same serialization (the ProjectUser shape through the
// API's own json()), but no domain logic: no token, no access rules, no cache.
// argv: { db }. Also takes writes (POST /bench/write), so its reads run beside writes like the API's,
// and the write cycle's three writes (/bench/cycle/…) as the same rows in the same durable transactions
// as the API's request → approve → leave, without its rules, events, e-mails or access log.

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import type { ProjectUser } from '../api/types.ts';
import { iso, isoOrNull } from '../mock-backend/domain/format.ts';
import { json } from '../mock-backend/http/common.ts';
import { peakMb } from './memory.ts';

const { db: file } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as { db: string };
const db = new Database(file);
db.pragma('locking_mode = EXCLUSIVE');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');

/** One row as an array (better-sqlite3's raw mode, as the API's SQLite store reads it). */
type Row = [
  userId: number,
  name: string | null,
  email: string | null,
  mfaEnabled: number | null,
  created: number,
  expires: number | null,
  reason: string | null,
  role: ProjectUser['role'],
  kind: ProjectUser['kind'],
  invitorId: number | null,
  invitorName: string | null,
  invitorEmail: string | null,
  approverId: number | null,
  approverName: string | null,
  approverEmail: string | null,
];
const users = db
  .prepare(`
  SELECT m.userId, u.name, u.email, u.mfaEnabled, m.created, m.expires, m.reason, m.role, m.kind,
         m.invitorId, i.name AS invitorName, i.email AS invitorEmail,
         m.approverId, a.name AS approverName, a.email AS approverEmail
  FROM projectMembers m
  LEFT JOIN users u ON u.id = m.userId
  LEFT JOIN users i ON i.id = m.invitorId
  LEFT JOIN users a ON a.id = m.approverId
  WHERE m.projectId = ? AND (m.expires IS NULL OR m.expires > ?)
  ORDER BY m.id`)
  // Arrays, not keyed objects: the faster way to read rows, which the API's store uses too.
  .raw(true);
const insert = db.prepare(
  `INSERT INTO projectMembers (projectId, userId, role, kind, reason, created, expires, invitorId, approverId, expiringNotified)
   VALUES (?, ?, 'admin', 'support', 'bench', ?, ?, NULL, ?, 0)`,
);
const remove = db.prepare('DELETE FROM projectMembers WHERE projectId = ? AND userId = ?');
const newRequest = db.prepare(
  `INSERT INTO joinRequests (projectId, userId, reason, created, expires, status, decidedBy, decided)
   VALUES (?, ?, 'bench', ?, ?, 'pending', NULL, NULL)`,
);
const approveRequest = db.prepare(
  `UPDATE joinRequests SET status = 'approved', decidedBy = ?, decided = ? WHERE id = ? AND status = 'pending'
   RETURNING projectId, userId, expires`,
);

const ref = (id: number | null, name: string | null, email: string | null) =>
  id === null ? null : { id, name: name ?? 'Unknown user', email: email ?? '' };

const app = new Hono();
app.get('/manage/projects/:projectId/users', (c) => {
  const rows = users.all(Number(c.req.param('projectId')), Math.floor(Date.now() / 1000)) as Row[];
  const out: ProjectUser[] = rows.map((r) => ({
    id: r[0],
    name: r[1] ?? 'Unknown user',
    email: r[2] ?? '',
    mfaEnabled: r[3] === 1,
    created: iso(r[4]),
    expires: isoOrNull(r[5]),
    reason: r[6],
    role: r[7],
    status: 'active',
    invitor: ref(r[9], r[10], r[11]),
    approver: ref(r[12], r[13], r[14]),
    kind: r[8],
  }));
  return json(out);
});
// One membership in and out again: the baseline's counterpart of the API's write cycle.
app.post('/bench/write/:projectId/:userId', (c) => {
  const [p, u] = [Number(c.req.param('projectId')), Number(c.req.param('userId'))];
  const now = Math.floor(Date.now() / 1000);
  db.transaction(() => {
    remove.run(p, u);
    insert.run(p, u, now, now + 3600, u);
  })();
  remove.run(p, u);
  return new Response(null, { status: 204 });
});

// The write cycle's baseline: request, approve (the request and the membership in one transaction),
// leave. Each is one durable transaction, as the API's are.
app.post('/bench/cycle/:projectId/request/:userId', async (c) => {
  const body = (await c.req.json()) as { expirationSeconds?: number };
  const now = Math.floor(Date.now() / 1000);
  const { lastInsertRowid } = newRequest.run(
    Number(c.req.param('projectId')),
    Number(c.req.param('userId')),
    now,
    now + (body.expirationSeconds ?? 3600),
  );
  return json({ id: Number(lastInsertRowid) }, 201);
});
app.put('/bench/cycle/:projectId/approve/:id', async (c) => {
  await c.req.json();
  const now = Math.floor(Date.now() / 1000);
  const approved = db.transaction(() => {
    const r = approveRequest.get(1, now, Number(c.req.param('id'))) as
      | { projectId: number; userId: number; expires: number }
      | undefined;
    if (r) insert.run(r.projectId, r.userId, now, r.expires, 1);
    return r !== undefined;
  })();
  return approved ? new Response(null, { status: 202 }) : json({ error: 'not pending' }, 409);
});
app.delete('/bench/cycle/:projectId/leave/:userId', (c) => {
  remove.run(Number(c.req.param('projectId')), Number(c.req.param('userId')));
  return new Response(null, { status: 204 });
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
server.once('listening', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
process.on('message', (m) => {
  const type = (m as { type: string }).type;
  if (type === 'rss')
    process.send?.({ type: 'rss', rssMb: process.memoryUsage().rss / 2 ** 20, peakMb: peakMb() });
  else if (type === 'close') server.close(() => process.exit(0));
});
