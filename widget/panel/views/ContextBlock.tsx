// A ticket's context (page, browser, the error…) as a list of the rows that have a value: the ticket
// form shows what it will send, a thread what was sent.
export function ContextBlock(p: { id: string; title: string; rows: [string, string | undefined][] }) {
  return (
    <section class="context" aria-labelledby={p.id}>
      <h3 id={p.id}>{p.title}</h3>
      <dl>
        {p.rows
          .filter((r): r is [string, string] => Boolean(r[1]))
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
