// The app shell: session, language, hash routes and the header with the saving state.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, externalReturn, finishExternalSignIn, get, mustChangePassword, signedIn, signOut, whenSignedOut, type Me } from './api';
import { lang, setLang, t } from './i18n';
import * as queue from './queue';
import { forgetDirectory } from './model';
import { ChangePassword, SignIn } from './signin';
import { Home } from './home';
import { Gradebook } from './gradebook';
import { Diary } from './diary';
import { SaveStatus } from './savestatus';
import { Sessions } from './sessions';
import type { ScreenProps } from './ui';
import { Menu } from './menu';

type Phase = 'loading' | 'signin' | 'password' | 'ready';

/** Route is the parsed location hash: #/journal/<class>/<subject>/<term>?lesson=…, #/diary/<student>/<monday>. */
interface Route { name: string; args: string[]; query: URLSearchParams }

function route(): Route {
  const [path, q] = location.hash.replace(/^#\/?/, '').split('?');
  const [name = '', ...args] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name, args, query: new URLSearchParams(q ?? '') };
}

export function App() {
  const [phase, setPhase] = useState<Phase>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [where, setWhere] = useState(route);
  const [, setLangTick] = useState(lang());
  const [error, setError] = useState('');

  async function start() {
    if (externalReturn()) {
      // Back from Gosuslugi: the API redeems the code and signs the person in.
      try {
        await finishExternalSignIn();
      } catch (e) {
        setError(e instanceof ApiError && e.offline ? t('networkError') : String((e as Error).message ?? e));
        return setPhase('signin');
      }
    }
    if (!signedIn()) return setPhase('signin');
    if (mustChangePassword()) return setPhase('password');
    try {
      ready(await get<Me>('v1/me')); // offline, the last answer kept on the device
    } catch (e) {
      if (e instanceof ApiError && e.offline) setError(t('networkError'));
      else setPhase('signin');
    }
  }

  function ready(m: Me) {
    setMe(m);
    queue.open(m.id);
    setPhase('ready');
  }

  useEffect(() => {
    whenSignedOut(() => {
      queue.close();
      forgetDirectory();
      setMe(null);
      setPhase('signin');
    });
    const onHash = () => setWhere(route());
    addEventListener('hashchange', onHash);
    start();
    return () => removeEventListener('hashchange', onHash);
  }, []);

  function toggleLang() {
    setLang(lang() === 'ru' ? 'en' : 'ru');
    setLangTick(lang());
  }

  async function leave() {
    const n = queue.status().pending;
    if (n && !confirm(t('unsentOnSignOut', { n }))) return;
    await signOut();
    location.hash = '';
  }

  const langButton = (
    <button type="button" class="link" onClick={toggleLang} aria-label={t('languageLabel')} lang={lang() === 'ru' ? 'en' : 'ru'}>
      {t('language')}
    </button>
  );

  if (phase !== 'ready' || !me) {
    return (
      <div class="page narrow">
        <header class="bar plain"><h1>{t('appName')}</h1>{langButton}</header>
        <main>
          {phase === 'loading' && <p role="status">{error || t('loading')}</p>}
          {phase === 'signin' && <SignIn failure={error} onDone={(mustChange) => (mustChange ? setPhase('password') : start())} />}
          {phase === 'password' && <ChangePassword onDone={start} />}
        </main>
      </div>
    );
  }

  return (
    <div class="page" data-lang={lang()} key={lang()}>
      <header class="bar">
        <a href="#/" class="brand">{t('appName')}</a>
        <SaveStatus />
        <nav class="tools">
          {langButton}
          <a href="#/sessions">{t('sessions')}</a>
          <button type="button" class="link" onClick={leave}>{t('signOut')}</button>
        </nav>
      </header>
      <Menu me={me} current={where.name} />
      <main>{screen(where, me)}</main>
      <footer class="who">{me.full_name}</footer>
    </div>
  );
}

type Module = { default: ComponentType<ScreenProps> };

// Screens beyond the first ones are loaded when first opened, each in its own chunk (with its own texts),
// so the first screen stays small. The service worker caches every chunk for offline use.
const lazyScreens: Record<string, () => Promise<Module>> = {
  messages: () => import('./messages/messages'),
  settings: () => import('./messages/settings'),
  marks: () => import('./family/marks'),
  homework: () => import('./family/homework'),
  debts: () => import('./family/debts'),
  timetable: () => import('./family/timetable'),
  class: () => import('./classteacher/class'),
  dashboard: () => import('./director/dashboard'),
  reports: () => import('./director/reports'),
  warnings: () => import('./director/warnings'),
  people: () => import('./admin/people'),
  import: () => import('./admin/import'),
  roles: () => import('./admin/roles'),
  movements: () => import('./admin/movements'),
  audit: () => import('./admin/audit'),
  setup: () => import('./admin/setup'),
  'timetable-edit': () => import('./admin/timetable'),
  plans: () => import('./admin/plans'),
  events: () => import('./admin/events'),
};

const loaded = new Map<string, ComponentType<ScreenProps>>();

/** Lazy renders a lazily loaded screen, loading its chunk first. */
function Lazy({ name, props }: { name: string; props: ScreenProps }) {
  const [, setTick] = useState(0);
  const [error, setError] = useState('');
  const C = loaded.get(name);
  useEffect(() => {
    if (C) return;
    setError('');
    lazyScreens[name]().then(
      (m) => {
        loaded.set(name, m.default);
        setTick((n) => n + 1);
      },
      () => setError(t('networkError')),
    );
  }, [name]);
  if (C) return <C {...props} />;
  return error ? <p class="error card" role="alert">{error}</p> : <p role="status" class="card">{t('loading')}</p>;
}

function screen(r: Route, me: Me) {
  if (lazyScreens[r.name]) return <Lazy name={r.name} props={{ me, args: r.args, query: r.query }} />;
  switch (r.name) {
    case 'journal':
      return <Gradebook classID={r.args[0]} subjectID={r.args[1]} termID={r.args[2]} focusLesson={r.query.get('lesson') ?? undefined} />;
    case 'sessions':
      return <Sessions />;
    case 'diary':
      return <Diary me={me} studentID={r.args[0]} week={r.args[1]} />;
    default:
      return <Home me={me} date={r.query.get('date') ?? undefined} />;
  }
}
