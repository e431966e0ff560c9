// Sessions lists the person's sign-ins on every device, ends one of them, or all of them.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, get, signOut } from './api';
import { lang, t } from './i18n';

interface Session { id: string; created_at: string; last_used_at: string; expires_at: string; user_agent?: string; current: boolean }

function when(s: string): string {
  return new Date(s).toLocaleString(lang() === 'en' ? 'en-GB' : 'ru-RU', { dateStyle: 'medium', timeStyle: 'short' });
}

export function Sessions() {
  const [items, setItems] = useState<Session[] | null>(null);
  const [error, setError] = useState('');

  const fail = (e: unknown) => setError(e instanceof ApiError && e.offline ? t('networkError') : String((e as Error).message ?? e));
  const load = () => get<{ items: Session[] }>('v1/auth/sessions').then((r) => setItems(r.items), fail);
  useEffect(() => {
    load();
  }, []);

  async function end(id: string) {
    try {
      await call('DELETE', `v1/auth/sessions/${encodeURIComponent(id)}`);
      load();
    } catch (e) {
      fail(e);
    }
  }

  async function endAll() {
    try {
      await call('POST', 'v1/auth/logout-all');
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) return fail(e);
    }
    await signOut();
  }

  return (
    <section class="card">
      <h2>{t('sessions')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!items && !error && <p role="status">{t('loading')}</p>}
      {items && (
        <ul class="sessions">
          {items.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{s.user_agent || '—'}</strong>
                {s.current && <span class="badge">{t('thisDevice')}</span>}
                <div class="muted">{t('signedInAt')}: {when(s.created_at)} · {t('lastUsed')}: {when(s.last_used_at)}</div>
              </div>
              {!s.current && <button type="button" class="link" onClick={() => end(s.id)}>{t('endSession')}</button>}
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="primary" onClick={endAll}>{t('signOutEverywhere')}</button>
    </section>
  );
}
