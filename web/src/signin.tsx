// Sign-in with a login and password, and the password change a one-time password requires.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, changePassword, providers, providerURL, signIn, type Provider } from './api';
import { t } from './i18n';

// The password just typed, kept in memory only, so the first-sign-in change need not ask for it again.
let lastPassword = '';

function message(e: unknown): string {
  if (e instanceof ApiError) return e.offline ? t('networkError') : e.message;
  return String(e);
}

export function SignIn({ onDone, failure }: { onDone: (mustChange: boolean) => void; failure?: string }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(failure ?? '');
  const [external, setExternal] = useState<Provider[]>([]);

  useEffect(() => {
    providers().then(setExternal);
  }, []);

  async function submit(ev: Event) {
    ev.preventDefault();
    setBusy(true);
    setError('');
    try {
      const tokens = await signIn(login.trim(), password);
      lastPassword = password;
      onDone(tokens.must_change_password);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" onSubmit={submit}>
      <label>
        {t('login')}
        <input name="login" autocomplete="username" autocapitalize="none" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('signingIn') : t('signIn')}</button>
      {external.map((p) => (
        <a key={p.id} class="external" href={providerURL(p)}>{t('signInWith', { name: p.name })}</a>
      ))}
    </form>
  );
}

export function ChangePassword({ onDone }: { onDone: () => void }) {
  const [old, setOld] = useState(lastPassword);
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const askOld = lastPassword === '';

  async function submit(ev: Event) {
    ev.preventDefault();
    if (next !== repeat) return setError(t('passwordsDiffer'));
    setBusy(true);
    setError('');
    try {
      await changePassword(old, next);
      lastPassword = '';
      onDone();
    } catch (e) {
      setError(e instanceof ApiError && e.fields?.new_password ? e.fields.new_password : message(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" onSubmit={submit}>
      <h2>{t('changePassword')}</h2>
      <p>{t('changePasswordIntro')}</p>
      {askOld && (
        <label>
          {t('password')}
          <input type="password" autocomplete="current-password" required value={old} onInput={(e) => setOld(e.currentTarget.value)} />
        </label>
      )}
      <label>
        {t('newPassword')}
        <input type="password" autocomplete="new-password" minLength={8} required value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      </label>
      <label>
        {t('repeatPassword')}
        <input type="password" autocomplete="new-password" minLength={8} required value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{t('save')}</button>
    </form>
  );
}
