// Shared pieces of every screen: the screen props, loading data, errors, downloads and small widgets.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, fetchFile, get, type Me } from './api';
import { lang, t } from './i18n';

/** ScreenProps are what every routed screen gets: who is signed in and the parsed hash route
 * (#/name/arg0/arg1?query). */
export interface ScreenProps {
  me: Me;
  args: string[];
  query: URLSearchParams;
}

/** errorText is what to show for a failed request: the API's own message (already in the user's language),
 * or the network error. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.offline ? t('networkError') : e.message || `${t('error')} ${e.status}`;
  return String((e as Error)?.message ?? e);
}

/** Loaded is the state of a GET: data once it came, error if it failed, reload to read it again. */
export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** useLoad GETs path (relative, e.g. 'v1/classes') whenever it changes; a null path loads nothing. */
export function useLoad<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return setState({ loading: false });
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    get<T>(path).then(
      (data) => live && setState({ data, loading: false }),
      (e) => live && setState({ error: errorText(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Wait shows a Loaded's progress or error; its children render once data is there. */
export function Wait<T>({ l, children }: { l: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (l.error) return <p class="error" role="alert">{l.error}</p>;
  if (l.data === undefined) return <p role="status">{t('loading')}</p>;
  return <>{children(l.data)}</>;
}

/** ErrorNote shows an error message (nothing when empty). */
export function ErrorNote({ error }: { error?: string }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}

/** download fetches an authorised file (an export) and saves it under the server's file name. */
export async function download(path: string): Promise<void> {
  const { blob, name } = await fetchFile(path);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** DownloadButtons offers a report's exports: XLSX, PDF and CSV of path (which may have a query already). */
export function DownloadButtons({ path, formats = ['xlsx', 'pdf', 'csv'] }: { path: string; formats?: string[] }) {
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  async function get(f: string) {
    setBusy(f);
    setError('');
    try {
      await download(`${path}${path.includes('?') ? '&' : '?'}format=${f}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy('');
    }
  }
  return (
    <div class="downloads">
      {formats.map((f) => (
        <button type="button" key={f} onClick={() => get(f)} disabled={busy !== ''}>
          {busy === f ? t('loading') : f.toUpperCase()}
        </button>
      ))}
      <ErrorNote error={error} />
    </div>
  );
}

/** can says whether the person holds a permission (any scope, or the given one). */
export function can(me: Me, permission: string, scope?: string): boolean {
  const s = me.permissions[permission];
  return !!s && (scope === undefined || s.includes(scope));
}

/** fmtDate is "28.11.2026" (or "28/11/2026" in English) for a YYYY-MM-DD or RFC 3339 date. */
export function fmtDate(s: string): string {
  const d = s.length === 10 ? new Date(`${s}T00:00:00`) : new Date(s);
  return d.toLocaleDateString(lang() === 'en' ? 'en-GB' : 'ru-RU');
}

/** fmtTime is a date and time in the user's language. */
export function fmtTime(s: string): string {
  return new Date(s).toLocaleString(lang() === 'en' ? 'en-GB' : 'ru-RU', { dateStyle: 'short', timeStyle: 'short' });
}

/** fmtNum shows a number with the user's decimal separator ("4,33"); absent as a dash. */
export function fmtNum(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString(lang() === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: digits });
}

/** Tabs is a row of links between a screen's parts (hash routes), the current one marked. */
export function Tabs({ items, current, label }: { items: { href: string; label: string; id: string }[]; current: string; label?: string }) {
  return (
    <nav class="tabs" aria-label={label}>
      {items.map((i) => (
        <a key={i.id} href={i.href} aria-current={i.id === current ? 'page' : undefined}>{i.label}</a>
      ))}
    </nav>
  );
}
