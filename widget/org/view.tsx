// The Auto Join switch: a real `role="switch"`, the meaning of its state in the product's words,
// a confirmation before switching on (outsiders then get in without approval; off is the safe way), and a read-only view with the reason for non-members.
import type { ComponentType } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { errorText } from '../common/errors.ts';
import { format as fmt } from '../common/format.ts';
import { useSignals } from '../common/hooks.ts';
import type { Locale } from '../common/locale.ts';
import { Confirm } from '../users/confirm.tsx';
import type { OrganizationModel } from './model.ts';
import type { OrganizationStrings } from './strings.ts';

type WebhooksProps = { client: OrganizationModel['client']; organizationId: number; locale: Locale };

/** The Webhooks section, a chunk of its own: loaded only for the organization's own users. */
function Webhooks({ model, locale }: { model: OrganizationModel; locale: Locale }) {
  const [Section, setSection] = useState<ComponentType<WebhooksProps> | null>(null);
  useEffect(() => {
    void import('./webhooks.tsx').then((m) => setSection(() => m.WebhooksSection));
  }, []);
  return Section ? (
    <Section client={model.client} organizationId={model.organizationId} locale={locale} />
  ) : null;
}

export function OrganizationView({
  model,
  s,
  locale = 'en',
}: {
  model: OrganizationModel;
  s: OrganizationStrings;
  locale?: Locale;
}) {
  useSignals(model.track);
  const id = useId();
  const [asking, setAsking] = useState(false);
  const sw = useRef<HTMLButtonElement>(null);
  const o = model.organization;
  const problem = model.problem;
  const names = { org: o?.name ?? '', maintainer: o?.maintainer?.name ?? '' };
  const on = !!o?.allowAutoJoin;
  return (
    <div class="sk">
      <h2>{s.title}</h2>
      {problem && (
        <div class="alert" role="alert">
          <p>
            {fmt(problem.action === 'load' ? s.failedLoad : s.failed, {
              message: errorText(problem.error, s),
            })}
          </p>
          {/* Trying again cannot change a refusal (403): no button for it. */}
          {!(
            problem.action === 'load' &&
            problem.error.kind === 'http' &&
            problem.error.httpStatus === 403
          ) && (
            <button
              type="button"
              class="btn"
              onClick={problem.action === 'load' ? () => model.refresh() : model.dismiss}
            >
              {problem.action === 'load' ? s.retry : s.dismiss}
            </button>
          )}
        </div>
      )}
      {!model.loaded && <p class="mut">{s.loading}</p>}
      {o && model.isOutsider && (
        // A support user sees the state and why it is not theirs to change: no switch they cannot use.
        <>
          <p class="name">{s.label}</p>
          <p class="expl">{on ? s.on : s.off}</p>
          <p class="expl mut">{on ? s.off : s.on}</p>
          <p class="note">{fmt(s.readOnlyOutsider, names)}</p>
        </>
      )}
      {o && !model.isOutsider && (
        <>
          <button
            ref={sw}
            type="button"
            role="switch"
            class="sw"
            aria-checked={on}
            aria-describedby={`${id}e${model.isMember ? '' : ` ${id}r`}`}
            disabled={!model.isMember || model.saving}
            onClick={() => (on ? model.setAutoJoin(false) : setAsking(true))}
          >
            <span aria-hidden="true" />
            <span>{s.label}</span>
          </button>
          <p class="expl" id={`${id}e`}>
            {on ? s.on : s.off}
          </p>
          {/* The other state's meaning too, muted: what switching would change. */}
          <p class="expl mut">{on ? s.off : s.on}</p>
          {!model.isMember && (
            <p class="note" id={`${id}r`}>
              {fmt(s.readOnly, names)}
            </p>
          )}
        </>
      )}
      <p class="ok" role="status">
        {model.changed === null ? '' : model.changed ? s.nowOn : s.nowOff}
      </p>
      {o && model.isMember && !model.isOutsider && <Webhooks model={model} locale={locale} />}
      {asking && (
        <Confirm
          title={s.confirmOnTitle}
          body={fmt(s.confirmOnBody, names)}
          confirm={s.turnOn}
          cancel={s.cancel}
          opener={sw.current}
          onClose={(yes) => {
            setAsking(false);
            if (yes) model.setAutoJoin(true);
          }}
        />
      )}
    </div>
  );
}
