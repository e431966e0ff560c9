// Messages: everyone's inbox (#/messages), composing a message with a preview of its recipients and SMS cost
// (#/messages/new, for those who may send) and the sent messages with who read them (#/messages/sent).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, get, type Me } from '../api';
import { strings, t } from '../i18n';
import { className, loadDirectory, type Directory } from '../model';
import { can, errorText, ErrorNote, fmtNum, fmtTime, Tabs, type ScreenProps } from '../ui';
import { described, Field } from './field';
import './messages.css';

const tr = strings({
  ru: {
    inbox: 'Входящие', compose: 'Написать', sent: 'Отправленные', title: 'Сообщения',
    unread: 'Непрочитанных: {n}', empty: 'Сообщений нет.', more: 'Показать ещё', isNew: 'новое',
    k_message: 'Сообщение', k_mark: 'Отметка', k_absence: 'Пропуск', k_term_mark: 'Итоговая отметка',
    from: 'От: {name}', alsoSms: 'Копия отправлена по SMS', readAt: 'Прочитано {at}',
    noRight: 'Отправлять сообщения могут учителя, классные руководители и администрация. У вас этого права нет.',
    audience: 'Кому', school: 'Вся школа', class: 'Весь класс', group: 'Группа класса', student: 'Один ученик',
    classLabel: 'Класс', groupLabel: 'Группа', studentLabel: 'Ученик', noGroups: 'В классе нет групп',
    recipients: 'Получатели', parents: 'Родители', students: 'Ученики',
    sms: 'Копия SMS родителям', smsHint: 'SMS получат только родители, давшие согласие, с учётом тихих часов и бюджета школы.',
    subject: 'Тема (необязательно)', body: 'Текст', chars: '{n} из 4000 символов',
    preview: 'Проверить получателей', previewing: 'Проверка…', send: 'Отправить', sending: 'Отправка…',
    previewTitle: 'Перед отправкой', pStudents: 'Учеников: {n}', pParents: 'Родителей: {n}', pTotal: 'Всего получателей: {n}',
    pSms: 'SMS получат: {n}', pSegments: 'Частей в одном SMS: {n}', pCost: 'Стоимость SMS: {cost} ₽', smsText: 'Текст SMS',
    noRecipients: 'Сообщение никому не придёт: получателей нет.',
    done: 'Отправлено. Получателей: {n}.', seeSent: 'Посмотреть в отправленных',
    noSent: 'Вы ещё не отправляли сообщений.', toSchool: 'вся школа', toClass: 'класс {c}', toGroup: 'группа, {c}',
    toStudent: 'ученик, {c}', toParents: 'родителям', toStudents: 'ученикам', and: ' и ',
    counts: 'Получателей: {n}', smsCounts: 'SMS: {n}, частей: {s}, ≈ {cost} ₽', sendingState: 'отправляется',
    readers: 'Прочитали ({n})', notReaders: 'Не прочитали ({n})', nobody: 'никто',
    k_parent: 'родитель', k_student: 'ученик', k_staff: 'сотрудник',
  },
  en: {
    inbox: 'Inbox', compose: 'New message', sent: 'Sent', title: 'Messages',
    unread: 'Unread: {n}', empty: 'No messages.', more: 'Show more', isNew: 'new',
    k_message: 'Message', k_mark: 'Mark', k_absence: 'Absence', k_term_mark: 'Term mark',
    from: 'From: {name}', alsoSms: 'A copy went by SMS', readAt: 'Read {at}',
    noRight: 'Teachers, class teachers and the administration send messages. You do not have this right.',
    audience: 'To', school: 'Whole school', class: 'Whole class', group: 'A group of a class', student: 'One student',
    classLabel: 'Class', groupLabel: 'Group', studentLabel: 'Student', noGroups: 'The class has no groups',
    recipients: 'Recipients', parents: 'Parents', students: 'Students',
    sms: 'SMS copy to parents', smsHint: 'Only parents who consented get an SMS, outside quiet hours and within the school’s budget.',
    subject: 'Subject (optional)', body: 'Text', chars: '{n} of 4000 characters',
    preview: 'Check recipients', previewing: 'Checking…', send: 'Send', sending: 'Sending…',
    previewTitle: 'Before sending', pStudents: 'Students: {n}', pParents: 'Parents: {n}', pTotal: 'Recipients in all: {n}',
    pSms: 'SMS recipients: {n}', pSegments: 'Parts of one SMS: {n}', pCost: 'SMS cost: {cost} ₽', smsText: 'SMS text',
    noRecipients: 'Nobody would get this message: there are no recipients.',
    done: 'Sent. Recipients: {n}.', seeSent: 'See it among sent messages',
    noSent: 'You have not sent any message yet.', toSchool: 'whole school', toClass: 'class {c}', toGroup: 'group, {c}',
    toStudent: 'student, {c}', toParents: 'parents', toStudents: 'students', and: ' and ',
    counts: 'Recipients: {n}', smsCounts: 'SMS: {n}, parts: {s}, ≈ {cost} ₽', sendingState: 'sending',
    readers: 'Read ({n})', notReaders: 'Not read ({n})', nobody: 'nobody',
    k_parent: 'parent', k_student: 'student', k_staff: 'staff',
  },
});

interface Audience {
  school?: boolean;
  class_id?: string;
  group_id?: string;
  student_id?: string;
  to_parents?: boolean;
  to_students?: boolean;
}
interface MessageInput { title?: string; body: string; audience: Audience; sms: boolean }
interface Message {
  id: string;
  sender_name: string;
  title?: string;
  body: string;
  audience: Audience;
  class_id?: string;
  sms: boolean;
  state: 'sending' | 'sent';
  recipients: number;
  sms_recipients: number;
  segments: number;
  cost: number;
  created_at: string;
}
interface Preview { students: number; parents: number; recipients: number; sms_recipients: number; sms_text: string; segments: number; cost: number }
interface InboxItem { id: string; kind: string; sender_name?: string; title?: string; body: string; sms?: boolean; read_at?: string; created_at: string }
interface Reader { person_id: string; name: string; kind?: string; read_at?: string }

type Part = 'inbox' | 'new' | 'sent';

export default function Messages({ me, args }: ScreenProps) {
  const part: Part = args[0] === 'new' || args[0] === 'sent' ? args[0] : 'inbox';
  const sender = can(me, 'messages.send');
  const tabs = [{ id: 'inbox', href: '#/messages', label: tr('inbox') }];
  if (sender) tabs.push({ id: 'new', href: '#/messages/new', label: tr('compose') }, { id: 'sent', href: '#/messages/sent', label: tr('sent') });
  return (
    <section class="card messages">
      <h2>{tr('title')}</h2>
      {tabs.length > 1 && <Tabs items={tabs} current={part} />}
      {part === 'inbox' && <Inbox />}
      {part === 'new' && (sender ? <Compose me={me} /> : <p class="error" role="alert">{tr('noRight')}</p>)}
      {part === 'sent' && <Sent />}
    </section>
  );
}

/** usePages reads a cursor-paged list (items, cursor) and adds the next page on request. */
function usePages<T>(path: string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [page, setPage] = useState<{ cursor?: string; unread?: number }>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function load(cursor?: string) {
    setBusy(true);
    setError('');
    try {
      // The first page is kept on the device for offline reading (get); later pages are not (call).
      type Page = { items: T[]; cursor?: string; unread?: number };
      const r = cursor ? await call<Page>('GET', `${path}?limit=30&cursor=${encodeURIComponent(cursor)}`) : await get<Page>(`${path}?limit=30`);
      setItems((old) => (cursor && old ? [...old, ...r.items] : r.items));
      setPage({ cursor: r.cursor, unread: r.unread });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    load();
  }, [path]);
  return { items, setItems, page, setPage, error, busy, more: () => load(page.cursor) };
}

function MoreButton({ l }: { l: { page: { cursor?: string }; busy: boolean; more: () => void } }) {
  if (!l.page.cursor) return null;
  return <button type="button" class="btn more" disabled={l.busy} onClick={l.more}>{l.busy ? '…' : tr('more')}</button>;
}

function Inbox() {
  const l = usePages<InboxItem>('v1/messages');
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function opened(item: InboxItem, open: boolean) {
    if (!open || item.read_at) return;
    try {
      const read = await call<InboxItem>('POST', `v1/messages/inbox/${encodeURIComponent(item.id)}/read`);
      l.setItems((xs) => xs?.map((x) => (x.id === item.id ? { ...x, read_at: read.read_at ?? new Date().toISOString() } : x)) ?? xs);
      l.setPage((p) => ({ ...p, unread: Math.max(0, (p.unread ?? 1) - 1) }));
    } catch (e) {
      setErrors((m) => ({ ...m, [item.id]: errorText(e) }));
    }
  }

  if (!l.items) return l.error ? <ErrorNote error={l.error} /> : <p role="status">{t('loading')}</p>;
  return (
    <div>
      <p class="unread-count" role="status">{tr('unread', { n: l.page.unread ?? 0 })}</p>
      {l.items.length === 0 && <p class="muted">{tr('empty')}</p>}
      <ul class="msg-list">
        {l.items.map((m) => (
          <li key={m.id} class={m.read_at ? 'read' : 'unread'} data-item={m.id}>
            <details onToggle={(e) => opened(m, (e.currentTarget as HTMLDetailsElement).open)}>
              <summary>
                <span class="line">
                  {!m.read_at && <span class="new-mark">{tr('isNew')}</span>}
                  <span class={`kind kind-${m.kind}`}>{kindLabel(m.kind)}</span>
                  <time class="muted" dateTime={m.created_at}>{fmtTime(m.created_at)}</time>
                </span>
                <span class="subject">{m.title || m.body}</span>
              </summary>
              <div class="msg-body">
                {m.sender_name && <p class="muted">{tr('from', { name: m.sender_name })}</p>}
                {m.title && <p class="text">{m.body}</p>}
                {m.sms && <p class="muted">{tr('alsoSms')}</p>}
                {m.read_at && <p class="muted">{tr('readAt', { at: fmtTime(m.read_at) })}</p>}
                <ErrorNote error={errors[m.id]} />
              </div>
            </details>
          </li>
        ))}
      </ul>
      <ErrorNote error={l.error} />
      <MoreButton l={l} />
    </div>
  );
}

function kindLabel(kind: string): string {
  const k = `k_${kind}` as 'k_message';
  return ['k_message', 'k_mark', 'k_absence', 'k_term_mark'].includes(k) ? tr(k) : kind;
}

type Scope = 'school' | 'class' | 'group' | 'student';
interface Draft { scope: Scope; classID: string; groupID: string; studentID: string; parents: boolean; students: boolean; sms: boolean; title: string; body: string }

function input(d: Draft): MessageInput {
  const a: Audience = { to_parents: d.parents, to_students: d.students };
  if (d.scope === 'school') a.school = true;
  if (d.scope === 'class') a.class_id = d.classID;
  if (d.scope === 'group') a.group_id = d.groupID;
  if (d.scope === 'student') a.student_id = d.studentID;
  return { ...(d.title.trim() ? { title: d.title.trim() } : {}), body: d.body, audience: a, sms: d.sms && d.parents };
}

/** newKey makes an Idempotency-Key for one message. */
function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function byName(d: Directory) {
  return (a: string, b: string) => {
    const x = d.classes.get(a), y = d.classes.get(b);
    return (x?.grade ?? 0) - (y?.grade ?? 0) || className(d, a).localeCompare(className(d, b), 'ru');
  };
}

function Compose({ me }: { me: Me }) {
  const whole = can(me, 'messages.send', 'school');
  const [dir, setDir] = useState<Directory>();
  const [dirError, setDirError] = useState('');
  const [d, setD] = useState<Draft>({
    scope: 'class', classID: me.class_teacher_of[0]?.id ?? me.assignments[0]?.class_id ?? '', groupID: '', studentID: '',
    parents: true, students: false, sms: false, title: '', body: '',
  });
  const [groups, setGroups] = useState<{ id: string; name: string }[] | null>(null);
  const [pupils, setPupils] = useState<{ id: string; full_name: string }[] | null>(null);
  const [preview, setPreview] = useState<{ of: string; key: string; p: Preview } | null>(null);
  const [busy, setBusy] = useState<'' | 'preview' | 'send'>('');
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Message | null>(null);

  useEffect(() => {
    loadDirectory().then(setDir, (e) => setDirError(errorText(e)));
  }, []);

  const classIDs = dir
    ? (whole ? [...dir.classes.keys()] : [...new Set([...me.class_teacher_of.map((c) => c.id), ...me.assignments.map((a) => a.class_id)])]).sort(byName(dir))
    : [];
  const classID = d.classID || classIDs[0] || '';

  useEffect(() => {
    if (!classID || (d.scope !== 'group' && d.scope !== 'student')) return;
    const path = d.scope === 'group' ? `v1/groups?class_id=${encodeURIComponent(classID)}` : `v1/classes/${encodeURIComponent(classID)}/students`;
    const set = d.scope === 'group' ? setGroups : setPupils;
    set(null);
    get<{ items: { id: string; name: string; full_name: string }[] }>(path).then(
      (r) => {
        set(r.items);
        const first = r.items[0]?.id ?? '';
        setD((x) => (d.scope === 'group' ? { ...x, groupID: first } : { ...x, studentID: first }));
      },
      (e) => setError(errorText(e)),
    );
  }, [classID, d.scope]);

  const msg = input({ ...d, classID });
  const current = preview !== null && preview.of === JSON.stringify(msg);
  const edit = (patch: Partial<Draft>) => {
    setD((x) => ({ ...x, ...patch }));
    setDone(null);
  };

  function failed(e: unknown) {
    setError(errorText(e));
    setFields(e instanceof ApiError && e.fields ? e.fields : {});
  }

  async function check() {
    setBusy('preview');
    setError('');
    setFields({});
    try {
      const p = await call<Preview>('POST', 'v1/messages/preview', msg);
      setPreview({ of: JSON.stringify(msg), key: newKey(), p });
    } catch (e) {
      failed(e);
    } finally {
      setBusy('');
    }
  }

  async function send() {
    if (!preview || busy) return;
    setBusy('send');
    setError('');
    setFields({});
    try {
      // The key belongs to this very message: a double click or a retry after a lost answer sends it once.
      const m = await call<Message>('POST', 'v1/messages', msg, { 'Idempotency-Key': preview.key });
      setDone(m);
      setPreview(null);
      setD((x) => ({ ...x, title: '', body: '' }));
    } catch (e) {
      failed(e);
    } finally {
      setBusy('');
    }
  }

  const audienceError = Object.entries(fields).filter(([k]) => k.startsWith('audience')).map(([, v]) => v).join(' ');
  const scopes: Scope[] = whole ? ['school', 'class', 'group', 'student'] : ['class', 'group', 'student'];
  const p = current ? preview.p : null;

  if (dirError) return <ErrorNote error={dirError} />;
  if (!dir) return <p role="status">{t('loading')}</p>;
  return (
    <form class="form compose" onSubmit={(e) => { e.preventDefault(); current ? send() : check(); }}>
      <fieldset aria-describedby={audienceError ? 'aud-err' : undefined}>
        <legend>{tr('audience')}</legend>
        <div class="choices">
          {scopes.map((s) => (
            <label key={s} class="choice">
              <input type="radio" name="scope" value={s} checked={d.scope === s} onChange={() => edit({ scope: s })} />
              {tr(s)}
            </label>
          ))}
        </div>
        {d.scope !== 'school' && (
          <Field id="msg-class" label={tr('classLabel')}>
            <select id="msg-class" value={classID} onChange={(e) => edit({ classID: e.currentTarget.value })}>
              {classIDs.map((c) => <option key={c} value={c}>{className(dir, c)}</option>)}
            </select>
          </Field>
        )}
        {d.scope === 'group' && (
          <Field id="msg-group" label={tr('groupLabel')}>
            <select id="msg-group" value={d.groupID} disabled={!groups?.length} onChange={(e) => edit({ groupID: e.currentTarget.value })}>
              {groups === null && <option value="">…</option>}
              {groups?.length === 0 && <option value="">{tr('noGroups')}</option>}
              {groups?.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </Field>
        )}
        {d.scope === 'student' && (
          <Field id="msg-student" label={tr('studentLabel')}>
            <select id="msg-student" value={d.studentID} disabled={!pupils?.length} onChange={(e) => edit({ studentID: e.currentTarget.value })}>
              {pupils === null && <option value="">…</option>}
              {pupils?.map((s) => <option key={s.id} value={s.id}>{s.full_name}</option>)}
            </select>
          </Field>
        )}
      </fieldset>
      <fieldset aria-describedby={audienceError ? 'aud-err' : undefined}>
        <legend>{tr('recipients')}</legend>
        <div class="choices">
          <label class="choice"><input type="checkbox" checked={d.parents} onChange={(e) => edit({ parents: e.currentTarget.checked })} />{tr('parents')}</label>
          <label class="choice"><input type="checkbox" checked={d.students} onChange={(e) => edit({ students: e.currentTarget.checked })} />{tr('students')}</label>
        </div>
        {audienceError && <p class="error" id="aud-err" role="alert">{audienceError}</p>}
        <label class="choice">
          <input type="checkbox" checked={d.sms && d.parents} disabled={!d.parents} aria-describedby="sms-hint" onChange={(e) => edit({ sms: e.currentTarget.checked })} />
          {tr('sms')}
        </label>
        <p class="muted hint" id="sms-hint">{tr('smsHint')}</p>
      </fieldset>
      <Field id="msg-title" label={tr('subject')} error={fields.title}>
        <input {...described('msg-title', false, fields.title)} value={d.title} maxLength={200} onInput={(e) => edit({ title: e.currentTarget.value })} />
      </Field>
      <Field id="msg-body" label={tr('body')} hint={tr('chars', { n: d.body.length })} error={fields.body}>
        <textarea {...described('msg-body', true, fields.body)} rows={6} value={d.body} maxLength={4000} onInput={(e) => edit({ body: e.currentTarget.value })} />
      </Field>
      <ErrorNote error={error} />
      {!current && <button type="submit" class="primary" disabled={busy !== ''}>{busy === 'preview' ? tr('previewing') : tr('preview')}</button>}
      {p && (
        <div class="preview" role="status">
          <h3>{tr('previewTitle')}</h3>
          <ul>
            {msg.audience.to_students && <li>{tr('pStudents', { n: p.students })}</li>}
            {msg.audience.to_parents && <li>{tr('pParents', { n: p.parents })}</li>}
            <li><strong>{tr('pTotal', { n: p.recipients })}</strong></li>
            {msg.sms && <li>{tr('pSms', { n: p.sms_recipients })}</li>}
            {msg.sms && <li>{tr('pSegments', { n: p.segments })}</li>}
            {msg.sms && <li><strong>{tr('pCost', { cost: fmtNum(p.cost, 2) })}</strong></li>}
          </ul>
          {msg.sms && <p class="sms-text"><span class="muted">{tr('smsText')}:</span> {p.sms_text}</p>}
          {p.recipients === 0 && <p class="error">{tr('noRecipients')}</p>}
        </div>
      )}
      {p && <button type="submit" class="primary" disabled={busy !== '' || p.recipients === 0}>{busy === 'send' ? tr('sending') : tr('send')}</button>}
      {done && (
        <p class="ok" role="status">
          {tr('done', { n: done.recipients })} <a href="#/messages/sent">{tr('seeSent')}</a>
        </p>
      )}
    </form>
  );
}

function audienceText(m: Message, dir?: Directory): string {
  const a = m.audience;
  const c = className(dir, m.class_id ?? a.class_id ?? '');
  const where = a.school ? tr('toSchool') : a.group_id ? tr('toGroup', { c }) : a.student_id ? tr('toStudent', { c }) : tr('toClass', { c });
  const who = [a.to_parents && tr('toParents'), a.to_students && tr('toStudents')].filter(Boolean).join(tr('and'));
  return `${where}: ${who}`;
}

function Sent() {
  const l = usePages<Message>('v1/messages/sent');
  const [dir, setDir] = useState<Directory>();
  useEffect(() => {
    loadDirectory().then(setDir, () => undefined);
  }, []);
  if (!l.items) return l.error ? <ErrorNote error={l.error} /> : <p role="status">{t('loading')}</p>;
  return (
    <div>
      {l.items.length === 0 && <p class="muted">{tr('noSent')}</p>}
      <ul class="msg-list">
        {l.items.map((m) => (
          <li key={m.id} data-message={m.id}>
            <SentItem m={m} dir={dir} />
          </li>
        ))}
      </ul>
      <ErrorNote error={l.error} />
      <MoreButton l={l} />
    </div>
  );
}

function SentItem({ m, dir }: { m: Message; dir?: Directory }) {
  const [readers, setReaders] = useState<{ read: Reader[]; unread: Reader[] } | null>(null);
  const [error, setError] = useState('');
  function toggled(open: boolean) {
    if (!open) return;
    setError('');
    call<{ read: Reader[]; unread: Reader[] }>('GET', `v1/messages/${encodeURIComponent(m.id)}/readers`).then(setReaders, (e) => setError(errorText(e)));
  }
  // The kind of each reader is said only when the message went to more than one kind of person.
  const mixed = readers ? new Set([...readers.read, ...readers.unread].map((r) => r.kind)).size > 1 : false;
  const who = (r: Reader) => (mixed && r.kind ? `${r.name} (${tr(`k_${r.kind}` as 'k_parent')})` : r.name);
  return (
    <details onToggle={(e) => toggled((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <span class="line">
          <span class="kind">{audienceText(m, dir)}</span>
          <time class="muted" dateTime={m.created_at}>{fmtTime(m.created_at)}</time>
        </span>
        <span class="subject">{m.title || m.body}</span>
        <span class="muted small">
          {tr('counts', { n: m.recipients })}
          {m.sms && ` · ${tr('smsCounts', { n: m.sms_recipients, s: m.segments, cost: fmtNum(m.cost, 2) })}`}
          {m.state === 'sending' && ` · ${tr('sendingState')}`}
        </span>
      </summary>
      <div class="msg-body">
        {m.title && <p class="text">{m.body}</p>}
        <ErrorNote error={error} />
        {!readers && !error && <p role="status">{t('loading')}</p>}
        {readers && (
          <div class="readers">
            <h3>{tr('readers', { n: readers.read.length })}</h3>
            {readers.read.length === 0 ? <p class="muted">{tr('nobody')}</p> : (
              <ul class="people">
                {readers.read.map((r) => <li key={r.person_id}>{who(r)} <span class="muted">{r.read_at ? fmtTime(r.read_at) : ''}</span></li>)}
              </ul>
            )}
            <h3>{tr('notReaders', { n: readers.unread.length })}</h3>
            {readers.unread.length === 0 ? <p class="muted">{tr('nobody')}</p> : (
              <ul class="people">{readers.unread.map((r) => <li key={r.person_id}>{who(r)}</li>)}</ul>
            )}
          </div>
        )}
      </div>
    </details>
  );
}
