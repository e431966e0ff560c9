// SaveStatus is the header's saving indicator: saving / saved / failed, and the count of unsent entries.
// SaveBadge is the same kind of note for a save that does not go through the outbox (a term mark).
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import * as queue from './queue';

export function SaveStatus() {
  const [s, setS] = useState<queue.Status>(queue.status());
  useEffect(() => queue.subscribe(setS), []);

  let text = '';
  let cls = 'status';
  if (s.sending) {
    text = t('saving');
    cls += ' saving';
  } else if (s.pending) {
    text = `${t('pending', { n: s.pending })}${s.state === 'offline' ? ` — ${t('waitingNetwork')}` : ''}`;
    cls += ' pending';
  } else if (s.state === 'failed') {
    text = t('failed');
    cls += ' failed';
  } else if (s.state === 'saved') {
    text = t('saved');
    cls += ' saved';
  }
  return (
    <div class={cls} role="status" aria-live="polite" data-pending={s.pending} data-state={s.sending ? 'saving' : s.state}>
      {text}
      {s.pending > 0 && !s.sending && <button type="button" class="link" onClick={queue.retryNow}>{t('retry')}</button>}
    </div>
  );
}

/** FailedList shows entries the server refused, so nothing is dropped silently. */
export function FailedList({ describe }: { describe: (e: queue.Entry) => string }) {
  const [s, setS] = useState<queue.Status>(queue.status());
  useEffect(() => queue.subscribe(setS), []);
  if (!s.failed.length) return null;
  return (
    <section class="card failed-list" aria-label={t('failedItems')}>
      <h2>{t('failedItems')}</h2>
      <ul>
        {s.failed.map((f) => (
          <li key={f.entry.id}>
            <span>{describe(f.entry)}: {f.message}</span>
            <button type="button" class="link" onClick={() => queue.dismiss(f.entry.id)}>{t('dismiss')}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** SaveState is where a direct save stands ('' before any). */
export type SaveState = 'saving' | 'saved' | 'failed' | '';

/** SaveBadge announces a direct save's result; it stays in the page (empty) so screen readers hear each change. */
export function SaveBadge({ state, text }: { state: SaveState; text: string }) {
  return (
    <p class={`save-badge ${text ? state : ''}`} role="status" aria-live="polite" data-state={state}>
      {text}
    </p>
  );
}
