// The API client: the base URL from config.json, the session's tokens, renewal and typed errors.
import { lang } from './i18n';

/** Tokens is a session as POST /v1/auth/login and /v1/auth/refresh give it. */
export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  must_change_password: boolean;
  /** expires_at is when the access token expires, in ms since the epoch (set by this client). */
  expires_at?: number;
}

/** Me is GET /v1/me. */
export interface Me {
  id: string;
  school_id: string;
  full_name: string;
  kind?: 'staff' | 'student' | 'parent';
  login?: string;
  roles: string[];
  permissions: Record<string, string[]>;
  class_id?: string;
  assignments: { id: string; class_id: string; subject_id: string; group_id?: string }[];
  children: { id: string; full_name: string; class_id?: string }[];
  class_teacher_of: { id: string; name: string }[];
}

/** ApiError is an answer of the API with an error envelope, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }

  /** offline is true when the request never got an answer. */
  get offline(): boolean {
    return this.status === 0;
  }

  /** retryable is true when sending the same request later may succeed. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const storageKey = 'ej.tokens';
let base = '/';
let tokens: Tokens | null = load();
let onSignedOut: () => void = () => {};

function load(): Tokens | null {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Tokens | null;
  } catch {
    return null;
  }
}

function store(t: Tokens | null): void {
  tokens = t;
  if (t) {
    localStorage.setItem(storageKey, JSON.stringify(t));
  } else {
    localStorage.removeItem(storageKey);
    forgetCache();
  }
}

/** configure reads config.json (next to index.html): {"apiBase": "/"} or an absolute URL. */
export async function configure(): Promise<void> {
  try {
    const r = await fetch('config.json', { cache: 'no-cache' });
    const c = (await r.json()) as { apiBase?: string };
    base = c.apiBase ?? '/';
  } catch {
    base = '/';
  }
  if (!base.endsWith('/')) base += '/';
}

/** whenSignedOut sets what happens when the session ends (sign-out, or a refresh token refused). */
export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

/** signedIn is true while this device holds a session. */
export function signedIn(): boolean {
  return tokens !== null;
}

/** mustChangePassword is true when the session may do nothing but change the password. */
export function mustChangePassword(): boolean {
  return tokens?.must_change_password === true;
}

function url(path: string): string {
  return base + path.replace(/^\//, '');
}

/** FileBody is a request body sent as it is (an import's CSV or XLSX file) instead of as JSON. */
export class FileBody {
  constructor(readonly body: Blob | string, readonly contentType: string) {}
}

async function raw(method: string, path: string, body?: unknown, token?: string, extra?: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (lang() === 'en') headers['Accept-Language'] = 'en';
  let payload: BodyInit | undefined;
  if (body instanceof FileBody) {
    headers['Content-Type'] = body.contentType;
    payload = body.body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(url(path), { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'offline', '');
  }
}

async function decode<T>(r: Response): Promise<T> {
  const text = await r.text();
  const data = text ? JSON.parse(text) : {};
  if (!r.ok) {
    const e = data.error ?? {};
    throw new ApiError(r.status, e.code ?? 'internal', e.message ?? r.statusText, e.fields);
  }
  return data as T;
}

function keep(t: Tokens): Tokens {
  store({ ...t, expires_at: Date.now() + t.expires_in * 1000 });
  return t;
}

/** signIn signs in with a login and password. */
export async function signIn(login: string, password: string): Promise<Tokens> {
  return keep(await decode<Tokens>(await raw('POST', 'v1/auth/login', { login, password })));
}

/** changePassword changes one's own password; the session gets new tokens. */
export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  keep(await call<Tokens>('POST', 'v1/auth/password', { old_password: oldPassword, new_password: newPassword }));
}

/** signOut ends the session on the server (when reachable) and on this device. */
export async function signOut(): Promise<void> {
  const t = tokens;
  store(null);
  if (t) await raw('POST', 'v1/auth/logout', undefined, t.access_token).catch(() => undefined);
  onSignedOut();
}

let renewing: Promise<void> | null = null;

// renew exchanges the refresh token once, even with several tabs open: a refresh token presented
// twice ends the whole session, so the tabs take a lock and reuse what another tab already got.
function renew(): Promise<void> {
  renewing ??= (async () => {
    const work = async () => {
      const stored = load();
      if (stored && stored.refresh_token !== tokens?.refresh_token && (stored.expires_at ?? 0) > Date.now() + 30_000) {
        tokens = stored;
        return;
      }
      const current = stored ?? tokens;
      if (!current) throw new ApiError(401, 'unauthorized', '');
      const r = await raw('POST', 'v1/auth/refresh', { refresh_token: current.refresh_token });
      if (r.status === 401 || r.status === 400) {
        store(null);
        onSignedOut();
      }
      keep(await decode<Tokens>(r));
    };
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    await (locks ? locks.request('ej-refresh', work) : work());
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

/** authorised sends a request with the access token, renewing it when it is about to expire or was refused. */
async function authorised(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<Response> {
  if (!tokens) throw new ApiError(401, 'unauthorized', '');
  if ((tokens.expires_at ?? 0) < Date.now() + 30_000) await renew();
  let r = await raw(method, path, body, tokens?.access_token, extra);
  if (r.status === 401 && tokens) {
    await renew();
    r = await raw(method, path, body, tokens?.access_token, extra);
  }
  return r;
}

/** fetchFile GETs an export (XLSX, PDF, CSV…) and gives its bytes and the file name the server chose
 * (Content-Disposition's filename*, else filename, else the last part of the path). */
export async function fetchFile(path: string): Promise<{ blob: Blob; name: string }> {
  const r = await authorised('GET', path, undefined, { Accept: '*/*' });
  if (!r.ok) return decode(r);
  const cd = r.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : path.split('?')[0].split('/').pop() ?? 'file';
  return { blob: await r.blob(), name };
}

/** call sends an authorised request (body as JSON, or a FileBody) and decodes the JSON answer.
 * extra are more headers (an Idempotency-Key, say). */
export async function call<T>(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
  return decode<T>(await authorised(method, path, body, extra));
}

const cachePrefix = 'ej.cache:';

/** get is call with GET. The last answer is kept on the device, and given back while the network is down,
 * so a teacher can open the journal and keep entering marks offline. */
export async function get<T>(path: string): Promise<T> {
  try {
    const v = await call<T>('GET', path);
    try {
      localStorage.setItem(cachePrefix + path, JSON.stringify(v));
    } catch {
      // The device's storage is full: the screen still works online.
    }
    return v;
  } catch (e) {
    const kept = e instanceof ApiError && e.offline ? localStorage.getItem(cachePrefix + path) : null;
    if (kept) return JSON.parse(kept) as T;
    throw e;
  }
}

function forgetCache(): void {
  Object.keys(localStorage)
    .filter((k) => k.startsWith(cachePrefix))
    .forEach((k) => localStorage.removeItem(k));
}

/** Provider is an external sign-in provider (Gosuslugi) as GET /v1/auth/providers lists it. */
export interface Provider { id: string; name: string; start_url: string }

/** providers lists the external sign-in providers the sign-in screen offers (none when not configured). */
export async function providers(): Promise<Provider[]> {
  try {
    return (await decode<{ items: Provider[] | null }>(await raw('GET', 'v1/auth/providers'))).items ?? [];
  } catch {
    return [];
  }
}

/** providerURL is where the browser goes to sign in through a provider; it comes back to this page. */
export function providerURL(p: Provider): string {
  return url(p.start_url) + '?redirect=' + encodeURIComponent('/');
}

/** externalReturn says whether the provider sent the browser back here (?state=… with a code or an error). */
export function externalReturn(): boolean {
  return new URLSearchParams(location.search).has('state');
}

/** finishExternalSignIn passes the provider's code and state to the API, which signs the person in;
 * the query is removed from the address either way, so a reload does not replay it. */
export async function finishExternalSignIn(): Promise<Tokens> {
  const q = new URLSearchParams(location.search);
  history.replaceState(null, '', location.pathname + location.hash);
  const pass = new URLSearchParams();
  for (const k of ['code', 'state', 'error', 'error_description']) if (q.has(k)) pass.set(k, q.get(k)!);
  return keep(await decode<Tokens>(await raw('GET', `v1/auth/oidc/callback?${pass}`)));
}
