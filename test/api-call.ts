// One Manage API call for tests and scripts that drive a running backend: the token in its header,
// JSON in and out, an Idempotency-Key (so ticket calls are accepted), the status and body back.
export interface ApiAnswer {
  status: number;
  json: unknown;
}

export async function callApi(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const res = await fetch(`${base}/manage${path}`, {
    method,
    headers: {
      'X-KBC-ManageApiToken': token,
      'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}
