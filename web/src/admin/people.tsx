// People (#/people/<students|parents|staff>/<id|new>): the lists of students (by class), parents and staff with
// a search, and a person's card for clerks, HR and administrators: the data the API gives this role, editing with
// the version lock, creating, parents of a student, dismissal, the account and its one-time password, the
// person's roles and external (Gosuslugi) accounts.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, type Me } from '../api';
import { strings } from '../i18n';
import { className, loadDirectory, today, type Directory, type SchoolClass } from '../model';
import { can, ErrorNote, errorText, fmtDate, fmtTime, Tabs, useLoad, Wait, type ScreenProps } from '../ui';
import './people.css';

const tr = strings({
  ru: {
    title: 'Люди', students: 'Ученики', parents: 'Родители', staff: 'Сотрудники', refused: 'Недостаточно прав для этого раздела.',
    allClasses: 'Все классы', klass: 'Класс', search: 'Поиск по ФИО', name: 'ФИО', position: 'Должность', roles: 'Роли',
    status: 'Статус', left: 'выбыл', dismissed: 'уволен', none: 'Никого не нашлось.', shown: 'Показаны {n} из {total}: уточните поиск.',
    count: 'Всего: {n}', add: 'Добавить', newStudent: 'Новый ученик', newParent: 'Новый родитель', newStaff: 'Новый сотрудник',
    lastName: 'Фамилия', firstName: 'Имя', middleName: 'Отчество', birthDate: 'Дата рождения', phone: 'Телефон',
    email: 'Эл. почта', address: 'Адрес', sms: 'Согласие на SMS', documents: 'Документы', docKind: 'Вид документа',
    docNumber: 'Серия и номер', docIssuedOn: 'Дата выдачи', docIssuedBy: 'Кем выдан', addDoc: 'Добавить документ',
    removeDoc: 'Убрать документ {n}', hiredOn: 'Дата приёма', hireOrder: 'Приказ о приёме', noClass: 'без класса',
    save: 'Сохранить', create: 'Создать', saving: 'Сохранение…', saved: 'Сохранено', nothing: 'Изменений нет.',
    back: 'К списку', data: 'Данные', noPersonal: 'Персональные данные этой роли не показываются.',
    student: 'Ученик', parent: 'Родитель', staffOne: 'Сотрудник', relation: 'Кем приходится', mother: 'мать',
    father: 'отец', guardian: 'опекун', link: 'Привязать', unlink: 'Отвязать', noParents: 'Родители не указаны.',
    findParent: 'Найти родителя', parentPick: 'Родитель', typeToSearch: 'Введите хотя бы 2 буквы фамилии.',
    noMatch: 'Не найдено.', newParentLink: 'Добавить нового родителя', linkParent: 'Привязать родителя',
    movements: 'Движение', noMovements: 'Приказов о движении нет.', order: 'Приказ №{no}', newOrder: 'Оформить приказ',
    enrol: 'зачисление', transfer: 'перевод', leave: 'выбытие', dismissal: 'Увольнение', dismissDate: 'Последний рабочий день',
    orderNo: 'Номер приказа', dismiss: 'Уволить', confirmDismiss: 'Уволить {name}? Войти в систему он больше не сможет.',
    dismissedOn: 'Уволен {date}, приказ №{no}.', account: 'Учётная запись', login: 'Логин', createAccount: 'Выдать логин',
    reset: 'Сбросить пароль', confirmReset: 'Выдать новый одноразовый пароль? Все сеансы человека завершатся.',
    otp: 'Одноразовый пароль', otpNote: 'Передайте логин и пароль человеку: пароль показывается только сейчас, при первом входе его нужно сменить.',
    hide: 'Скрыть', accountHint: 'Если логина ещё нет, выдайте его; если есть — сбросьте пароль.',
    identities: 'Вход через Госуслуги', noIdentities: 'Внешние учётные записи не привязаны.', subject: 'Идентификатор на Госуслугах',
    linked: 'привязан {date}', audit: 'Журнал изменений записи', created: 'Создано',
    admin: 'Администратор системы', assistant_admin: 'Помощник администратора', director: 'Директор', head_teacher: 'Завуч',
    teacher: 'Учитель', class_teacher: 'Классный руководитель', hr: 'Специалист по кадрам', clerk: 'Делопроизводитель',
    studentRole: 'Ученик', parentRole: 'Родитель', rolesSaved: 'Роли сохранены', pickRoles: 'Роли человека в школе', permCount: 'Прав: {n}',
  },
  en: {
    title: 'People', students: 'Students', parents: 'Parents', staff: 'Staff', refused: 'You have no access to this section.',
    allClasses: 'All classes', klass: 'Class', search: 'Search by name', name: 'Name', position: 'Position', roles: 'Roles',
    status: 'Status', left: 'left', dismissed: 'dismissed', none: 'Nobody found.', shown: '{n} of {total} shown: narrow the search.',
    count: 'Total: {n}', add: 'Add', newStudent: 'New student', newParent: 'New parent', newStaff: 'New staff member',
    lastName: 'Last name', firstName: 'First name', middleName: 'Middle name', birthDate: 'Date of birth', phone: 'Phone',
    email: 'E-mail', address: 'Address', sms: 'Consent to SMS', documents: 'Documents', docKind: 'Document kind',
    docNumber: 'Series and number', docIssuedOn: 'Issued on', docIssuedBy: 'Issued by', addDoc: 'Add a document',
    removeDoc: 'Remove document {n}', hiredOn: 'Hired on', hireOrder: 'Hiring order', noClass: 'no class',
    save: 'Save', create: 'Create', saving: 'Saving…', saved: 'Saved', nothing: 'Nothing changed.',
    back: 'Back to the list', data: 'Data', noPersonal: 'Personal data is not shown to this role.',
    student: 'Student', parent: 'Parent', staffOne: 'Staff member', relation: 'Relation', mother: 'mother',
    father: 'father', guardian: 'guardian', link: 'Link', unlink: 'Unlink', noParents: 'No parents recorded.',
    findParent: 'Find a parent', parentPick: 'Parent', typeToSearch: 'Type at least 2 letters of the last name.',
    noMatch: 'Not found.', newParentLink: 'Add a new parent', linkParent: 'Link a parent',
    movements: 'Movement', noMovements: 'No movement orders.', order: 'Order No. {no}', newOrder: 'Record an order',
    enrol: 'enrolment', transfer: 'transfer', leave: 'leaving', dismissal: 'Dismissal', dismissDate: 'Last working day',
    orderNo: 'Order number', dismiss: 'Dismiss', confirmDismiss: 'Dismiss {name}? They will no longer be able to sign in.',
    dismissedOn: 'Dismissed on {date}, order No. {no}.', account: 'Account', login: 'Login', createAccount: 'Give a login',
    reset: 'Reset the password', confirmReset: 'Give a new one-time password? All of the person\'s sessions end.',
    otp: 'One-time password', otpNote: 'Hand the login and password to the person: the password is shown only now and must be changed at the first sign-in.',
    hide: 'Hide', accountHint: 'Give a login if there is none yet; otherwise reset the password.',
    identities: 'Gosuslugi sign-in', noIdentities: 'No external accounts linked.', subject: 'Gosuslugi account id',
    linked: 'linked {date}', audit: 'Audit trail of the record', created: 'Created',
    admin: 'System administrator', assistant_admin: 'Assistant administrator', director: 'Director', head_teacher: 'Head teacher',
    teacher: 'Teacher', class_teacher: 'Class teacher', hr: 'HR specialist', clerk: 'Clerk',
    studentRole: 'Student', parentRole: 'Parent', rolesSaved: 'Roles saved', pickRoles: 'The person\'s roles in the school', permCount: 'Permissions: {n}',
  },
});

type Kind = 'students' | 'parents' | 'staff';
const kinds: Kind[] = ['students', 'parents', 'staff'];
const allRoles = ['admin', 'assistant_admin', 'director', 'head_teacher', 'teacher', 'class_teacher', 'hr', 'clerk', 'student', 'parent'];

interface Doc { kind: string; number: string; issued_on?: string; issued_by?: string }
interface Personal { birth_date?: string; address?: string; phone?: string; sms_consent?: boolean; email?: string; documents?: Doc[] }
interface Employment { position: string; hired_on: string; hire_order?: string; dismissed_on?: string; dismiss_order?: string }
interface Person {
  id: string;
  kind: 'staff' | 'student' | 'parent';
  last_name: string;
  first_name: string;
  middle_name?: string;
  full_name: string;
  class_id?: string;
  left?: boolean;
  roles?: string[];
  employment?: Employment;
  personal?: Personal;
  version: number;
  created_at: string;
}
interface Link { parent_id: string; child_id: string; relation: string; parent_full_name?: string }
interface Movement { id: string; kind: string; from_class_id?: string; to_class_id?: string; date: string; order_no: string; order_date?: string; reason?: string }

const enc = encodeURIComponent;

/** roleName is a role's name in the interface language. */
function roleName(r: string): string {
  return tr(r === 'student' ? 'studentRole' : r === 'parent' ? 'parentRole' : (r as 'admin'));
}

/** fold makes a name comparable in a search: lower case, ё as е. */
function fold(s: string): string {
  return s.toLowerCase().replaceAll('ё', 'е');
}

function useDirectory(): Directory | undefined {
  const [d, setD] = useState<Directory>();
  useEffect(() => {
    loadDirectory().then(setD, () => undefined);
  }, []);
  return d;
}

/** currentClasses are the classes of the school year containing today, by grade and letter. */
function currentClasses(d: Directory | undefined): SchoolClass[] {
  if (!d) return [];
  const t = today();
  const y = d.years.find((x) => x.start <= t && t <= x.end) ?? d.years[d.years.length - 1];
  return [...d.classes.values()].filter((c) => !y || c.year_id === y.id).sort((a, b) => a.grade - b.grade || a.letter.localeCompare(b.letter));
}

function canWrite(me: Me, kind: Kind): boolean {
  return can(me, kind === 'staff' ? 'staff.write' : 'students.write');
}

export default function People(p: ScreenProps) {
  const { me } = p;
  if (!can(me, 'people.read', 'school') && !can(me, 'staff.read', 'school')) {
    return (
      <section class="card adm">
        <h2>{tr('title')}</h2>
        <p class="error" role="alert">{tr('refused')}</p>
      </section>
    );
  }
  const fallback: Kind = can(me, 'staff.write') && !can(me, 'students.write') ? 'staff' : 'students';
  const kind = kinds.includes(p.args[0] as Kind) ? (p.args[0] as Kind) : fallback;
  const id = p.args[1];
  return (
    <div class="adm">
      <Tabs current={kind} items={kinds.map((k) => ({ id: k, href: `#/people/${k}`, label: tr(k) }))} />
      {id === 'new' ? (
        <CreatePerson kind={kind} me={me} child={p.query.get('child') ?? undefined} />
      ) : id ? (
        <PersonCard key={`${kind}/${id}`} kind={kind} id={id} me={me} />
      ) : (
        <PeopleList key={kind} kind={kind} me={me} />
      )}
    </div>
  );
}

// The list filters survive opening a card and coming back.
const filters: Record<Kind, { cls: string; q: string }> = { students: { cls: '', q: '' }, parents: { cls: '', q: '' }, staff: { cls: '', q: '' } };
const maxRows = 100;

function PeopleList({ kind, me }: { kind: Kind; me: Me }) {
  const [cls, setCls] = useState(filters[kind].cls);
  const [q, setQ] = useState(filters[kind].q);
  const dir = useDirectory();
  const path = kind === 'students' && cls ? `v1/students?class_id=${enc(cls)}` : `v1/${kind}`;
  const l = useLoad<{ items: Person[] }>(path);
  filters[kind] = { cls, q };
  const needle = fold(q.trim());
  return (
    <section class="card">
      <div class="head">
        <h2>{tr(kind)}</h2>
        {canWrite(me, kind) && <a class="btn" href={`#/people/${kind}/new`}>{tr('add')}</a>}
      </div>
      <div class="filters">
        {kind === 'students' && (
          <label>
            {tr('klass')}
            <select value={cls} onChange={(e) => setCls(e.currentTarget.value)}>
              <option value="">{tr('allClasses')}</option>
              {currentClasses(dir).map((c) => (
                <option key={c.id} value={c.id}>{className(dir, c.id)}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          {tr('search')}
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
      </div>
      <Wait l={l}>
        {(d) => {
          const all = needle ? d.items.filter((x) => fold(x.full_name).includes(needle)) : d.items;
          const rows = all.slice(0, maxRows);
          if (!all.length) return <p>{tr('none')}</p>;
          return (
            <>
              <p class="muted" role="status">{all.length > maxRows ? tr('shown', { n: maxRows, total: all.length }) : tr('count', { n: all.length })}</p>
              <div class="table-wrap">
                <table class="data">
                  <thead>
                    <tr>
                      <th>{tr('name')}</th>
                      {kind === 'students' && <th>{tr('klass')}</th>}
                      {kind === 'staff' && <th>{tr(rows.some((x) => x.employment) ? 'position' : 'roles')}</th>}
                      <th>{tr('status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((x) => (
                      <tr key={x.id}>
                        <td><a href={`#/people/${kind}/${enc(x.id)}`}>{x.full_name}</a></td>
                        {kind === 'students' && <td>{x.class_id ? className(dir, x.class_id) : '—'}</td>}
                        {kind === 'staff' && <td>{x.employment?.position ?? (x.roles ?? []).map(roleName).join(', ')}</td>}
                        <td>
                          {x.left && <span class="pill bad">{tr('left')}</span>}
                          {x.employment?.dismissed_on && <span class="pill bad">{tr('dismissed')}</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Wait>
    </section>
  );
}

/** Vals are a person form's inputs. */
interface Vals {
  last_name: string;
  first_name: string;
  middle_name: string;
  birth_date: string;
  phone: string;
  email: string;
  address: string;
  sms_consent: boolean;
  docs: Doc[];
  position: string;
  hired_on: string;
  hire_order: string;
  class_id: string;
  relation: string;
}

function valsOf(c?: Person): Vals {
  const p = c?.personal ?? {};
  const e = c?.employment;
  return {
    last_name: c?.last_name ?? '',
    first_name: c?.first_name ?? '',
    middle_name: c?.middle_name ?? '',
    birth_date: p.birth_date ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    address: p.address ?? '',
    sms_consent: p.sms_consent ?? false,
    docs: p.documents ?? [],
    position: e?.position ?? '',
    hired_on: e?.hired_on ?? '',
    hire_order: e?.hire_order ?? '',
    class_id: c?.class_id ?? '',
    relation: 'mother',
  };
}

const personalKeys = ['birth_date', 'phone', 'email', 'address'] as const;
const nameKeys = ['last_name', 'first_name', 'middle_name'] as const;
const employmentKeys = ['position', 'hired_on', 'hire_order'] as const;

/** createBody is the POST body of a new person: the fields filled in. */
function createBody(kind: Kind, v: Vals): Record<string, unknown> {
  const b: Record<string, unknown> = { last_name: v.last_name, first_name: v.first_name };
  if (v.middle_name) b.middle_name = v.middle_name;
  const p: Record<string, unknown> = {};
  for (const k of personalKeys) if (v[k]) p[k] = v[k];
  if (v.sms_consent) p.sms_consent = true;
  if (v.docs.length) p.documents = v.docs;
  if (Object.keys(p).length) b.personal = p;
  if (kind === 'students' && v.class_id) b.class_id = v.class_id;
  if (kind === 'staff') {
    const e: Record<string, string> = { position: v.position, hired_on: v.hired_on };
    if (v.hire_order) e.hire_order = v.hire_order;
    b.employment = e;
  }
  return b;
}

/** patchBody is the PATCH body of a card: only the fields changed, and the version; null when nothing changed. */
function patchBody(c: Person, v: Vals): Record<string, unknown> | null {
  const b: Record<string, unknown> = {};
  for (const k of nameKeys) if (v[k] !== (c[k] ?? '')) b[k] = v[k];
  if (c.personal) {
    const old = c.personal;
    const p: Record<string, unknown> = {};
    for (const k of personalKeys) if (v[k] !== (old[k] ?? '')) p[k] = v[k];
    if (v.sms_consent !== (old.sms_consent ?? false)) p.sms_consent = v.sms_consent;
    if (JSON.stringify(v.docs) !== JSON.stringify(old.documents ?? [])) p.documents = v.docs;
    if (Object.keys(p).length) b.personal = p;
  }
  if (c.employment) {
    const old = c.employment;
    const e: Record<string, string> = {};
    for (const k of employmentKeys) if (v[k] !== (old[k] ?? '')) e[k] = v[k];
    if (Object.keys(e).length) b.employment = e;
  }
  return Object.keys(b).length ? { ...b, version: c.version } : null;
}

interface FormProps {
  kind: Kind;
  card?: Person;
  dir?: Directory;
  child?: string;
  /** submit sends the values; it throws an ApiError to show. */
  submit: (v: Vals) => Promise<void>;
  label: string;
}

/** PersonForm edits a person's names, the personal data and the employment the API gave (or all, when new). */
function PersonForm({ kind, card, dir, child, submit, label }: FormProps) {
  const [v, setV] = useState<Vals>(() => valsOf(card));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const isNew = !card;
  const personal = isNew || card.personal !== undefined;
  const employment = kind === 'staff' && (isNew || card.employment !== undefined);
  const set = (k: keyof Vals, x: string | boolean | Doc[]) => setV((o) => ({ ...o, [k]: x }));

  async function onSubmit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    setFields({});
    try {
      await submit(v);
    } catch (x) {
      setError(errorText(x));
      if (x instanceof ApiError && x.fields) setFields(x.fields);
    } finally {
      setBusy(false);
    }
  }

  const input = (k: 'last_name' | 'first_name' | 'middle_name' | 'birth_date' | 'phone' | 'email' | 'address' | 'position' | 'hired_on' | 'hire_order', text: string, api: string, type: 'text' | 'date' | 'tel' | 'email' = 'text', required = false) => {
    const err = fields[api];
    const id = `pf-${k}`;
    return (
      <label>
        <span>{text}{required && <span aria-hidden="true"> *</span>}</span>
        <input
          name={k}
          type={type as 'text'}
          value={v[k]}
          required={required}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-err` : undefined}
          autocomplete="off"
          onInput={(e) => set(k, e.currentTarget.value)}
        />
        {err && <span class="field-error" id={`${id}-err`}>{err}</span>}
      </label>
    );
  };

  const doc = (i: number, k: keyof Doc, x: string) => set('docs', v.docs.map((d, j) => (j === i ? { ...d, [k]: x } : d)));
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <div class="grid2">
        {input('last_name', tr('lastName'), 'last_name', 'text', true)}
        {input('first_name', tr('firstName'), 'first_name', 'text', true)}
        {input('middle_name', tr('middleName'), 'middle_name')}
        {kind === 'students' && isNew && (
          <label>
            {tr('klass')}
            <select value={v.class_id} onChange={(e) => set('class_id', e.currentTarget.value)}>
              <option value="">{tr('noClass')}</option>
              {currentClasses(dir).map((c) => (
                <option key={c.id} value={c.id}>{className(dir, c.id)}</option>
              ))}
            </select>
            {fields.class_id && <span class="field-error">{fields.class_id}</span>}
          </label>
        )}
        {employment && input('position', tr('position'), 'employment.position', 'text', true)}
        {employment && input('hired_on', tr('hiredOn'), 'employment.hired_on', 'date', true)}
        {employment && input('hire_order', tr('hireOrder'), 'employment.hire_order')}
        {personal && input('birth_date', tr('birthDate'), 'personal.birth_date', 'date')}
        {personal && input('phone', tr('phone'), 'personal.phone', 'tel')}
        {personal && input('email', tr('email'), 'personal.email', 'email')}
        {personal && input('address', tr('address'), 'personal.address')}
        {personal && (
          <label class="check">
            <input type="checkbox" checked={v.sms_consent} onChange={(e) => set('sms_consent', e.currentTarget.checked)} />
            {tr('sms')}
          </label>
        )}
        {child && kind === 'parents' && (
          <label>
            {tr('relation')}
            <select value={v.relation} onChange={(e) => set('relation', e.currentTarget.value)}>
              {['mother', 'father', 'guardian'].map((r) => <option key={r} value={r}>{tr(r as 'mother')}</option>)}
            </select>
          </label>
        )}
      </div>
      {fields['personal.sms_consent'] && <p class="field-error">{fields['personal.sms_consent']}</p>}
      {personal && (
        <fieldset>
          <legend>{tr('documents')}</legend>
          {v.docs.map((d, i) => (
            <div class="doc grid2" key={i}>
              <label>{tr('docKind')}<input value={d.kind} onInput={(e) => doc(i, 'kind', e.currentTarget.value)} /></label>
              <label>{tr('docNumber')}<input value={d.number} onInput={(e) => doc(i, 'number', e.currentTarget.value)} /></label>
              <label>{tr('docIssuedOn')}<input type="date" value={d.issued_on ?? ''} onInput={(e) => doc(i, 'issued_on', e.currentTarget.value)} /></label>
              <label>{tr('docIssuedBy')}<input value={d.issued_by ?? ''} onInput={(e) => doc(i, 'issued_by', e.currentTarget.value)} /></label>
              <button type="button" class="btn" onClick={() => set('docs', v.docs.filter((_, j) => j !== i))}>{tr('removeDoc', { n: i + 1 })}</button>
            </div>
          ))}
          {fields['personal.documents'] && <p class="field-error">{fields['personal.documents']}</p>}
          <button type="button" class="btn" onClick={() => set('docs', [...v.docs, { kind: '', number: '' }])}>{tr('addDoc')}</button>
        </fieldset>
      )}
      {!personal && <p class="muted">{tr('noPersonal')}</p>}
      <ErrorNote error={error} />
      <div class="actions">
        <button class="primary" type="submit" disabled={busy}>{busy ? tr('saving') : label}</button>
      </div>
    </form>
  );
}

function CreatePerson({ kind, me, child }: { kind: Kind; me: Me; child?: string }) {
  const dir = useDirectory();
  const title = tr(kind === 'students' ? 'newStudent' : kind === 'parents' ? 'newParent' : 'newStaff');
  if (!canWrite(me, kind)) {
    return <section class="card"><h2>{title}</h2><p class="error" role="alert">{tr('refused')}</p></section>;
  }
  async function submit(v: Vals) {
    const c = await call<Person>('POST', `v1/${kind}`, createBody(kind, v));
    if (child && kind === 'parents') await call('POST', `v1/students/${enc(child)}/parents`, { parent_id: c.id, relation: v.relation });
    location.hash = child ? `#/people/students/${enc(child)}` : `#/people/${kind}/${enc(c.id)}`;
  }
  return (
    <section class="card">
      <h2>{title}</h2>
      <p><a href={child ? `#/people/students/${enc(child)}` : `#/people/${kind}`}>{tr('back')}</a></p>
      <PersonForm kind={kind} dir={dir} child={child} submit={submit} label={tr('create')} />
    </section>
  );
}

function PersonCard({ kind, id, me }: { kind: Kind; id: string; me: Me }) {
  const l = useLoad<Person>(`v1/${kind}/${enc(id)}`);
  const dir = useDirectory();
  const [note, setNote] = useState<{ ok?: string; error?: string }>({});
  return (
    <>
      <p><a href={`#/people/${kind}`}>{tr('back')}</a></p>
      <Wait l={l}>
        {(c) => {
          const writable = canWrite(me, kind) && !c.employment?.dismissed_on;
          async function submit(v: Vals) {
            setNote({});
            const body = patchBody(c, v);
            if (!body) return setNote({ ok: tr('nothing') });
            try {
              await call<Person>('PATCH', `v1/${kind}/${enc(id)}`, body);
              setNote({ ok: tr('saved') });
              l.reload();
            } catch (e) {
              if (e instanceof ApiError && e.status === 409) {
                setNote({ error: errorText(e) });
                l.reload();
                return;
              }
              throw e;
            }
          }
          return (
            <>
              <section class="card">
                <h2>{c.full_name}</h2>
                <p class="sub">
                  {tr(kind === 'students' ? 'student' : kind === 'parents' ? 'parent' : 'staffOne')}
                  {c.class_id && ` · ${tr('klass')} ${className(dir, c.class_id)}`}
                  {c.left && <span class="pill bad">{tr('left')}</span>}
                  {c.employment?.dismissed_on && <span class="pill bad">{tr('dismissed')}</span>}
                  {!!c.roles?.length && ` · ${c.roles.map(roleName).join(', ')}`}
                </p>
                {note.ok && <p class="ok" role="status">{note.ok}</p>}
                <ErrorNote error={note.error} />
                {writable ? (
                  <PersonForm key={c.version} kind={kind} card={c} dir={dir} submit={submit} label={tr('save')} />
                ) : (
                  <ReadOnly c={c} />
                )}
                {can(me, 'audit.read') && <p><a href={`#/audit?entity=person&id=${enc(c.id)}`}>{tr('audit')}</a></p>}
              </section>
              {kind === 'students' && <Parents id={c.id} write={can(me, 'students.write')} />}
              {kind === 'students' && can(me, 'movement.read') && <History id={c.id} dir={dir} write={can(me, 'students.write')} />}
              {kind === 'staff' && c.employment && can(me, 'staff.write') && <Dismiss c={c} onDone={l.reload} />}
              {can(me, 'accounts.manage') && <Account id={c.id} onDone={l.reload} />}
              {can(me, 'roles.manage', 'school') && <PersonRoles id={c.id} version={c.version} onDone={l.reload} />}
              {can(me, 'accounts.manage') && <Identities id={c.id} />}
            </>
          );
        }}
      </Wait>
    </>
  );
}

/** ReadOnly shows a card to those who may read but not change it. */
function ReadOnly({ c }: { c: Person }) {
  const p = c.personal;
  const e = c.employment;
  const rows: [string, string | undefined][] = [
    [tr('position'), e?.position],
    [tr('hiredOn'), e?.hired_on && fmtDate(e.hired_on)],
    [tr('hireOrder'), e?.hire_order],
    [tr('dismissal'), e?.dismissed_on && tr('dismissedOn', { date: fmtDate(e.dismissed_on), no: e.dismiss_order ?? '' })],
    [tr('birthDate'), p?.birth_date && fmtDate(p.birth_date)],
    [tr('phone'), p?.phone],
    [tr('email'), p?.email],
    [tr('address'), p?.address],
    [tr('documents'), p?.documents?.map((d) => `${d.kind} ${d.number}`).join('; ')],
    [tr('created'), fmtTime(c.created_at)],
  ];
  return (
    <>
      <dl>
        {rows.filter(([, x]) => x).map(([k, x]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{x}</dd>
          </Fragment>
        ))}
      </dl>
      {!p && <p class="muted">{tr('noPersonal')}</p>}
    </>
  );
}

function Parents({ id, write }: { id: string; write: boolean }) {
  const l = useLoad<{ items: Link[] }>(`v1/students/${enc(id)}/parents`);
  const [q, setQ] = useState('');
  const [pick, setPick] = useState('');
  const [relation, setRelation] = useState('mother');
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const all = useLoad<{ items: Person[] }>(write && q.trim().length >= 2 ? 'v1/parents' : null);
  const matches = (all.data?.items ?? []).filter((x) => fold(x.full_name).includes(fold(q.trim()))).slice(0, 50);
  const chosen = matches.some((x) => x.id === pick) ? pick : matches[0]?.id ?? '';

  async function act(f: () => Promise<unknown>) {
    setError('');
    setOk('');
    try {
      await f();
      setOk(tr('saved'));
      l.reload();
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <section class="card">
      <h3>{tr('parents')}</h3>
      <Wait l={l}>
        {(d) => d.items.length ? (
          <ul class="plain">
            {d.items.map((x) => (
              <li key={x.parent_id}>
                <span><a href={`#/people/parents/${enc(x.parent_id)}`}>{x.parent_full_name ?? x.parent_id}</a> <span class="muted">({tr(x.relation as 'mother')})</span></span>
                {write && (
                  <button type="button" class="btn" aria-label={`${tr('unlink')} ${x.parent_full_name ?? x.parent_id}`} onClick={() => act(() => call('DELETE', `v1/students/${enc(id)}/parents/${enc(x.parent_id)}`))}>
                    {tr('unlink')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : <p>{tr('noParents')}</p>}
      </Wait>
      {ok && <p class="ok" role="status">{ok}</p>}
      <ErrorNote error={error} />
      {write && (
        <form class="form" onSubmit={(e) => { e.preventDefault(); if (chosen) act(() => call('POST', `v1/students/${enc(id)}/parents`, { parent_id: chosen, relation })); }}>
          <fieldset>
            <legend>{tr('linkParent')}</legend>
            <div class="grid2">
              <label>{tr('findParent')}<input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} /></label>
              <label>
                {tr('parentPick')}
                <select value={chosen} onChange={(e) => setPick(e.currentTarget.value)} disabled={!matches.length}>
                  {matches.map((x) => <option key={x.id} value={x.id}>{x.full_name}</option>)}
                </select>
              </label>
              <label>
                {tr('relation')}
                <select value={relation} onChange={(e) => setRelation(e.currentTarget.value)}>
                  {['mother', 'father', 'guardian'].map((r) => <option key={r} value={r}>{tr(r as 'mother')}</option>)}
                </select>
              </label>
            </div>
            <p class="muted">{q.trim().length < 2 ? tr('typeToSearch') : all.loading ? '…' : !matches.length ? tr('noMatch') : ''}</p>
            <div class="actions">
              <button class="primary" type="submit" disabled={!chosen}>{tr('link')}</button>
              <a href={`#/people/parents/new?child=${enc(id)}`}>{tr('newParentLink')}</a>
            </div>
          </fieldset>
        </form>
      )}
    </section>
  );
}

function History({ id, dir, write }: { id: string; dir?: Directory; write: boolean }) {
  const l = useLoad<{ items: Movement[] }>(`v1/students/${enc(id)}/movements`);
  return (
    <section class="card">
      <h3>{tr('movements')}</h3>
      <Wait l={l}>
        {(d) => d.items.length ? (
          <ul class="plain">
            {d.items.map((m) => (
              <li key={m.id}>
                <span>
                  {fmtDate(m.date)} — {tr(m.kind as 'enrol')}
                  {m.from_class_id && ` ${className(dir, m.from_class_id)}`}
                  {m.to_class_id && ` → ${className(dir, m.to_class_id)}`}
                </span>
                <span class="muted">{tr('order', { no: m.order_no })}{m.order_date && ` (${fmtDate(m.order_date)})`}</span>
              </li>
            ))}
          </ul>
        ) : <p>{tr('noMovements')}</p>}
      </Wait>
      {write && <p><a href={`#/movements/${enc(id)}`}>{tr('newOrder')}</a></p>}
    </section>
  );
}

function Dismiss({ c, onDone }: { c: Person; onDone: () => void }) {
  const [date, setDate] = useState(today());
  const [no, setNo] = useState('');
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const e = c.employment;
  if (e?.dismissed_on) {
    return <section class="card"><h3>{tr('dismissal')}</h3><p>{tr('dismissedOn', { date: fmtDate(e.dismissed_on), no: e.dismiss_order ?? '' })}</p></section>;
  }
  async function submit(ev: Event) {
    ev.preventDefault();
    if (!confirm(tr('confirmDismiss', { name: c.full_name }))) return;
    setError('');
    setFields({});
    try {
      await call('POST', `v1/staff/${enc(c.id)}/dismiss`, { date, order_no: no });
      onDone();
    } catch (x) {
      setError(errorText(x));
      if (x instanceof ApiError && x.fields) setFields(x.fields);
    }
  }
  return (
    <section class="card">
      <h3>{tr('dismissal')}</h3>
      <form class="form" onSubmit={submit} noValidate>
        <div class="grid2">
          <label>{tr('dismissDate')}<input type="date" value={date} onInput={(x) => setDate(x.currentTarget.value)} />{fields.date && <span class="field-error">{fields.date}</span>}</label>
          <label>{tr('orderNo')}<input value={no} onInput={(x) => setNo(x.currentTarget.value)} />{fields.order_no && <span class="field-error">{fields.order_no}</span>}</label>
        </div>
        <ErrorNote error={error} />
        <div class="actions"><button class="btn" type="submit">{tr('dismiss')}</button></div>
      </form>
    </section>
  );
}

// Giving or resetting an account changes the person's record (its version): onDone reads the card again.
function Account({ id, onDone }: { id: string; onDone: () => void }) {
  const [login, setLogin] = useState('');
  const [otp, setOtp] = useState<{ login: string; one_time_password: string } | null>(null);
  const [error, setError] = useState('');
  const [field, setField] = useState('');
  async function act(f: () => Promise<{ login: string; one_time_password: string }>) {
    setError('');
    setField('');
    setOtp(null);
    try {
      setOtp(await f());
      onDone();
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError) setField(e.fields?.login ?? '');
    }
  }
  return (
    <section class="card">
      <h3>{tr('account')}</h3>
      <p class="muted">{tr('accountHint')}</p>
      {otp && (
        <div role="status" class="card">
          <p>{tr('login')}: <strong>{otp.login}</strong></p>
          <p>{tr('otp')}: <span class="secret">{otp.one_time_password}</span></p>
          <p class="muted">{tr('otpNote')}</p>
          <button type="button" class="btn" onClick={() => setOtp(null)}>{tr('hide')}</button>
        </div>
      )}
      <form class="form" onSubmit={(e) => { e.preventDefault(); act(() => call('POST', `v1/people/${enc(id)}/account`, { login })); }}>
        <label>
          {tr('login')}
          <input value={login} autocomplete="off" autocapitalize="none" spellcheck={false} onInput={(e) => setLogin(e.currentTarget.value)} aria-invalid={field ? true : undefined} />
          {field && <span class="field-error">{field}</span>}
        </label>
        <ErrorNote error={error} />
        <div class="actions">
          <button class="primary" type="submit">{tr('createAccount')}</button>
          <button class="btn" type="button" onClick={() => confirm(tr('confirmReset')) && act(() => call('POST', `v1/people/${enc(id)}/account/reset`))}>{tr('reset')}</button>
        </div>
      </form>
    </section>
  );
}

interface RolesOf { person_id: string; roles: string[]; permissions: Record<string, string[]>; version: number }

// The roles carry the person's record version: they are read again when the card's version changes, and
// saving them changes the card's version (onDone reads the card again).
function PersonRoles({ id, version, onDone }: { id: string; version: number; onDone: () => void }) {
  const l = useLoad<RolesOf>(`v1/people/${enc(id)}/roles`);
  const [note, setNote] = useState<{ ok?: string; error?: string }>({});
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current !== version) l.reload();
    seen.current = version;
  }, [version]);
  return (
    <section class="card">
      <h3>{tr('roles')}</h3>
      {note.ok && <p class="ok" role="status">{note.ok}</p>}
      <ErrorNote error={note.error} />
      <Wait l={l}>
        {(d) => (
          <RolesForm
            key={d.version}
            d={d}
            save={async (roles) => {
              setNote({});
              try {
                await call('PUT', `v1/people/${enc(id)}/roles`, { roles, version: d.version });
                setNote({ ok: tr('rolesSaved') });
              } catch (e) {
                setNote({ error: errorText(e) });
              }
              l.reload();
              onDone();
            }}
          />
        )}
      </Wait>
    </section>
  );
}

function RolesForm({ d, save }: { d: RolesOf; save: (roles: string[]) => Promise<void> }) {
  const [sel, setSel] = useState(new Set(d.roles));
  const [busy, setBusy] = useState(false);
  const toggle = (r: string, on: boolean) => {
    const s = new Set(sel);
    if (on) s.add(r);
    else s.delete(r);
    setSel(s);
  };
  return (
    <form class="form" onSubmit={async (e) => { e.preventDefault(); setBusy(true); await save(allRoles.filter((r) => sel.has(r))); setBusy(false); }}>
      <fieldset>
        <legend>{tr('pickRoles')}</legend>
        <div class="grid2">
          {allRoles.map((r) => (
            <label class="check" key={r}>
              <input type="checkbox" checked={sel.has(r)} onChange={(e) => toggle(r, e.currentTarget.checked)} />
              {roleName(r)}
            </label>
          ))}
        </div>
      </fieldset>
      <p class="muted">{tr('permCount', { n: Object.keys(d.permissions).length })}</p>
      <div class="actions"><button class="primary" type="submit" disabled={busy}>{busy ? tr('saving') : tr('save')}</button></div>
    </form>
  );
}

interface Identity { issuer: string; subject: string; created_at: string }

function Identities({ id }: { id: string }) {
  const l = useLoad<{ items: Identity[] }>(`v1/people/${enc(id)}/external-identities`);
  const [subject, setSubject] = useState('');
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  async function act(f: () => Promise<unknown>, clear = false) {
    setError('');
    setOk('');
    try {
      await f();
      setOk(tr('saved'));
      if (clear) setSubject('');
      l.reload();
    } catch (e) {
      // The provider's absence comes as a field message (issuer): show it with the general one.
      const more = e instanceof ApiError && e.fields ? Object.values(e.fields).join(' ') : '';
      setError(more ? `${errorText(e)} ${more}` : errorText(e));
    }
  }
  return (
    <section class="card">
      <h3>{tr('identities')}</h3>
      <Wait l={l}>
        {(d) => d.items.length ? (
          <ul class="plain">
            {d.items.map((x) => (
              <li key={x.subject}>
                <span>{x.subject} <span class="muted">{tr('linked', { date: fmtDate(x.created_at) })} · {x.issuer}</span></span>
                <button type="button" class="btn" aria-label={`${tr('unlink')} ${x.subject}`} onClick={() => act(() => call('DELETE', `v1/people/${enc(id)}/external-identities/${enc(x.subject)}`))}>
                  {tr('unlink')}
                </button>
              </li>
            ))}
          </ul>
        ) : <p>{tr('noIdentities')}</p>}
      </Wait>
      {ok && <p class="ok" role="status">{ok}</p>}
      <ErrorNote error={error} />
      <form class="form" onSubmit={(e) => { e.preventDefault(); act(() => call('POST', `v1/people/${enc(id)}/external-identities`, { subject }), true); }}>
        <label>{tr('subject')}<input value={subject} autocomplete="off" onInput={(e) => setSubject(e.currentTarget.value)} /></label>
        <div class="actions"><button class="btn" type="submit" disabled={!subject.trim()}>{tr('link')}</button></div>
      </form>
    </section>
  );
}
