// The load generator, run in its own process by bench/backend.ts so it does not share the server's
// event loop. Reads a job from argv, prints autocannon's figures as one JSON line.
import autocannon from 'autocannon';

interface Job {
  kind: 'get' | 'cycle';
  url: string;
  path: string;
  token?: string;
  adminToken?: string;
  requesterTokens?: string[];
  requesterIds?: number[];
  projectId?: number;
  seconds: number;
  connections: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;

type Ctx = { k?: number; requestId?: number };
// autocannon resets a connection's context after each sequence, so requesters come from a pool:
// taken when a cycle starts, given back when it ends (one per connection, never shared).
const free = (job.requesterTokens ?? []).map((_, i) => i);

const options: autocannon.Options =
  job.kind === 'get'
    ? {
        url: job.url,
        connections: job.connections,
        duration: job.seconds,
        requests: [
          { method: 'GET', path: job.path, headers: job.token ? { 'X-KBC-ManageApiToken': job.token } : {} },
        ],
      }
    : {
        url: job.url,
        connections: job.connections,
        duration: job.seconds,
        // One cycle per connection at a time: request access, approve it, leave (so the next request is allowed).
        requests: [
          {
            method: 'POST',
            path: `/manage/projects/${job.projectId}/request-access`,
            setupRequest: (req, context: Ctx) => {
              context.k = free.shift() ?? 0;
              const token = job.requesterTokens?.[context.k] ?? '';
              return {
                ...req,
                headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json' },
                body: JSON.stringify({ reason: 'bench', expirationSeconds: 3600 }),
              };
            },
            onResponse: (_status, body, context: Ctx) => {
              context.requestId = (JSON.parse(body) as { id: number }).id;
            },
          },
          {
            method: 'PUT',
            setupRequest: (req, context: Ctx) => ({
              ...req,
              path: `/manage/projects/${job.projectId}/join-requests/${context.requestId}`,
              headers: { 'X-KBC-ManageApiToken': job.adminToken ?? '', 'Content-Type': 'application/json' },
              body: '{}',
            }),
          },
          {
            method: 'DELETE',
            setupRequest: (req, context: Ctx) => ({
              ...req,
              path: `/manage/projects/${job.projectId}/users/${job.requesterIds?.[context.k ?? 0]}`,
              headers: { 'X-KBC-ManageApiToken': job.requesterTokens?.[context.k ?? 0] ?? '' },
            }),
            onResponse: (_status, _body, context: Ctx) => {
              if (context.k !== undefined) free.push(context.k);
            },
          },
        ],
      };

const result = await autocannon(options);
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  })}\n`,
);
