// Audit trail (#/audit?date=YYYY-MM-DD, #/audit?entity=person&id=…): the school's audit log of a day with
// filters by who and what was done, and one record's whole trail: who, when, what, old → new.
import { useState } from 'preact/hooks';
import { strings } from '../i18n';
import { today } from '../model';
import { can, fmtTime, Tabs, useLoad, Wait, type ScreenProps } from '../ui';
import './people.css';

const tr = strings({
  ru: {
    title: 'Журнал изменений', refused: 'Недостаточно прав для просмотра журнала изменений.', byDay: 'За день', byRecord: 'По записи',
    date: 'День (UTC)', who: 'Кто', action: 'Действие', all: 'Все', hideReads: 'Скрыть просмотры персональных данных',
    when: 'Когда', record: 'Запись', changes: 'Изменения', create: 'создание', update: 'изменение', delete: 'удаление',
    read: 'просмотр', readNote: 'просмотр персональных данных', entity: 'Вид записи', id: 'Идентификатор записи',
    find: 'Поиск человека', person: 'Человек', show: 'Показать', none: 'Записей нет.', system: 'система',
    count: 'Записей: {n}', shown: 'Показаны {n} из {total}: сузьте фильтр.', trailOf: 'История записи: {name}', reason: 'причина',
    e_person: 'человек', e_movement: 'движение', e_class: 'класс', e_role: 'роль', e_mark: 'отметка', e_attendance: 'посещаемость',
    e_lesson: 'урок', e_account: 'учётная запись', e_school: 'школа', e_year: 'учебный год', e_subject: 'предмет',
    e_group: 'подгруппа', e_assignment: 'нагрузка', e_event: 'событие', e_plan: 'КТП', e_timetable: 'расписание',
    e_calendar: 'календарь', e_grading: 'правила оценивания', e_notify_settings: 'уведомления школы',
    f_last_name: 'Фамилия', f_first_name: 'Имя', f_middle_name: 'Отчество', f_class_id: 'Класс', f_birth_date: 'Дата рождения',
    f_address: 'Адрес', f_phone: 'Телефон', f_email: 'Эл. почта', f_sms_consent: 'Согласие на SMS', f_documents: 'Документы',
    f_position: 'Должность', f_hired_on: 'Дата приёма', f_roles: 'Роли', f_relation: 'Кем приходится', f_parent_id: 'Родитель',
    f_value: 'Отметка', f_code: 'Посещаемость', f_topic: 'Тема', f_homework: 'Домашнее задание', f_order_no: 'Приказ',
  },
  en: {
    title: 'Audit trail', refused: 'You have no right to read the audit trail.', byDay: 'By day', byRecord: 'By record',
    date: 'Day (UTC)', who: 'Who', action: 'Action', all: 'All', hideReads: 'Hide reads of personal data',
    when: 'When', record: 'Record', changes: 'Changes', create: 'created', update: 'changed', delete: 'deleted',
    read: 'read', readNote: 'read the personal data', entity: 'Kind of record', id: 'Record id',
    find: 'Find a person', person: 'Person', show: 'Show', none: 'No entries.', system: 'system',
    count: 'Entries: {n}', shown: '{n} of {total} shown: narrow the filter.', trailOf: 'History of the record: {name}', reason: 'reason',
    e_person: 'person', e_movement: 'movement', e_class: 'class', e_role: 'role', e_mark: 'mark', e_attendance: 'attendance',
    e_lesson: 'lesson', e_account: 'account', e_school: 'school', e_year: 'school year', e_subject: 'subject',
    e_group: 'group', e_assignment: 'assignment', e_event: 'event', e_plan: 'plan', e_timetable: 'timetable',
    e_calendar: 'calendar', e_grading: 'grading rules', e_notify_settings: 'school notifications',
    f_last_name: 'Last name', f_first_name: 'First name', f_middle_name: 'Middle name', f_class_id: 'Class', f_birth_date: 'Date of birth',
    f_address: 'Address', f_phone: 'Phone', f_email: 'E-mail', f_sms_consent: 'Consent to SMS', f_documents: 'Documents',
    f_position: 'Position', f_hired_on: 'Hired on', f_roles: 'Roles', f_relation: 'Relation', f_parent_id: 'Parent',
    f_value: 'Mark', f_code: 'Attendance', f_topic: 'Topic', f_homework: 'Homework', f_order_no: 'Order',
  },
});

const entities = ['person', 'movement', 'class', 'role', 'mark', 'attendance', 'lesson', 'account', 'school', 'year', 'subject', 'group', 'assignment', 'event', 'plan', 'timetable', 'calendar', 'grading', 'notify_settings'];
const actions = ['create', 'update', 'delete', 'read'] as const;

interface Entry { id: string; at: string; actor_id: string; action: (typeof actions)[number]; entity: string; entity_id: string; reason?: string; old?: unknown; new?: unknown }
interface Person { id: string; full_name: string }

const enc = encodeURIComponent;
const fold = (s: string) => s.toLowerCase().replaceAll('ё', 'е');
const maxRows = 100;
// Fields that change with every write and say nothing to a reader.
const noise = new Set(['version', 'updated_at', 'created_at', 'school_id', 'id']);

function entityName(e: string): string {
  const s = tr(`e_${e}` as 'e_person');
  return s.startsWith('e_') ? e : s;
}

function fieldName(path: string): string {
  const last = path.split('.').pop() ?? path;
  const s = tr(`f_${last}` as 'f_last_name');
  return s.startsWith('f_') ? path : s;
}

/** flat turns a record into "a.b" → text pairs (lists as JSON). */
function flat(o: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) flat(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (o !== undefined && o !== null && !noise.has(prefix)) {
    out[prefix] = Array.isArray(o) ? (o.every((x) => typeof x !== 'object') ? o.join(', ') : JSON.stringify(o)) : String(o);
  }
  return out;
}

function Changes({ e }: { e: Entry }) {
  if (e.action === 'read') return <span class="muted">{tr('readNote')}</span>;
  const a = flat(e.old);
  const b = flat(e.new);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
  return (
    <ul class="diff">
      {keys.map((k) => (
        <li key={k}>
          {fieldName(k)}: {e.action !== 'create' && <><del>{a[k] || '—'}</del> → </>}<ins>{b[k] || '—'}</ins>
        </li>
      ))}
      {e.reason && <li class="muted">{tr('reason')}: {e.reason}</li>}
    </ul>
  );
}

export default function Audit({ me, query }: ScreenProps) {
  const allowed = can(me, 'audit.read');
  const staff = useLoad<{ items: Person[] }>(allowed ? 'v1/staff' : null);
  const students = useLoad<{ items: Person[] }>(allowed ? 'v1/students' : null);
  if (!allowed) {
    return <section class="card adm"><h2>{tr('title')}</h2><p class="error" role="alert">{tr('refused')}</p></section>;
  }
  const people = [...(staff.data?.items ?? []), ...(students.data?.items ?? [])];
  const names = new Map(people.map((p) => [p.id, p.full_name]));
  const entity = query.get('entity');
  const id = query.get('id') ?? '';
  const date = query.get('date') ?? today();
  const mode = entity !== null ? 'record' : 'day';
  return (
    <section class="card adm">
      <h2>{tr('title')}</h2>
      <Tabs
        current={mode}
        items={[
          { id: 'day', href: `#/audit?date=${date}`, label: tr('byDay') },
          { id: 'record', href: '#/audit?entity=person', label: tr('byRecord') },
        ]}
      />
      {mode === 'day' ? (
        <DayLog key={date} date={date} names={names} />
      ) : (
        <RecordTrail key={`${entity}/${id}`} entity={entity || 'person'} id={id} names={names} people={people} />
      )}
    </section>
  );
}

function who(names: Map<string, string>, id: string): string {
  return id === 'system' ? tr('system') : names.get(id) ?? id;
}

function EntryTable({ items, names, showRecord }: { items: Entry[]; names: Map<string, string>; showRecord: boolean }) {
  const rows = items.slice(0, maxRows);
  if (!items.length) return <p>{tr('none')}</p>;
  return (
    <>
      <p class="muted" role="status">{items.length > maxRows ? tr('shown', { n: maxRows, total: items.length }) : tr('count', { n: items.length })}</p>
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>{tr('when')}</th><th>{tr('who')}</th><th>{tr('action')}</th>{showRecord && <th>{tr('record')}</th>}<th>{tr('changes')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td>{fmtTime(e.at)}</td>
                <td>{who(names, e.actor_id)}</td>
                <td>{tr(e.action)}</td>
                {showRecord && (
                  <td>
                    {entityName(e.entity)}{' '}
                    <a href={`#/audit?entity=${enc(e.entity)}&id=${enc(e.entity_id)}`}>{names.get(e.entity_id) ?? e.entity_id}</a>
                  </td>
                )}
                <td><Changes e={e} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Filtered shows entries with filters by who and what was done. */
function Filtered({ items, names, showRecord }: { items: Entry[]; names: Map<string, string>; showRecord: boolean }) {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [hideReads, setHideReads] = useState(false);
  return (
    <>
      <div class="filters">
        <label>
          {tr('who')}
          <select value={actor} onChange={(e) => setActor(e.currentTarget.value)}>
            <option value="">{tr('all')}</option>
            {[...new Set(items.map((e) => e.actor_id))].map((a) => <option key={a} value={a}>{who(names, a)}</option>)}
          </select>
        </label>
        <label>
          {tr('action')}
          <select value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">{tr('all')}</option>
            {actions.map((a) => <option key={a} value={a}>{tr(a)}</option>)}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={hideReads} onChange={(e) => setHideReads(e.currentTarget.checked)} />
          {tr('hideReads')}
        </label>
      </div>
      <EntryTable
        names={names}
        showRecord={showRecord}
        items={items.filter((e) => (!actor || e.actor_id === actor) && (!action || e.action === action) && !(hideReads && e.action === 'read'))}
      />
    </>
  );
}

function DayLog({ date, names }: { date: string; names: Map<string, string> }) {
  const l = useLoad<{ items: Entry[] }>(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `v1/audit/log?date=${date}&limit=1000` : null);
  return (
    <>
      <div class="filters">
        <label>
          {tr('date')}
          <input type="date" value={date} onChange={(e) => { if (e.currentTarget.value) location.hash = `#/audit?date=${e.currentTarget.value}`; }} />
        </label>
      </div>
      <Wait l={l}>{(d) => <Filtered items={d.items} names={names} showRecord />}</Wait>
    </>
  );
}

function RecordTrail({ entity, id, names, people }: { entity: string; id: string; names: Map<string, string>; people: Person[] }) {
  const [kind, setKind] = useState(entity);
  const [q, setQ] = useState('');
  const [pick, setPick] = useState(id);
  const needle = fold(q.trim());
  const matches = needle.length >= 2 ? people.filter((p) => fold(p.full_name).includes(needle)).slice(0, 50) : people.filter((p) => p.id === pick);
  const chosen = kind === 'person' ? (matches.some((p) => p.id === pick) ? pick : matches[0]?.id ?? pick) : pick;
  const l = useLoad<{ items: Entry[] }>(id ? `v1/audit?entity=${enc(entity)}&id=${enc(id)}` : null);
  return (
    <>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); if (chosen.trim()) location.hash = `#/audit?entity=${enc(kind)}&id=${enc(chosen.trim())}`; }}>
        <label>
          {tr('entity')}
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {entities.map((x) => <option key={x} value={x}>{entityName(x)}</option>)}
          </select>
        </label>
        {kind === 'person' ? (
          <>
            <label>{tr('find')}<input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} /></label>
            <label>
              {tr('person')}
              <select class="wide" value={chosen} onChange={(e) => setPick(e.currentTarget.value)}>
                {!matches.some((p) => p.id === chosen) && <option value={chosen}>{chosen || '—'}</option>}
                {matches.map((p) => <option key={p.id} value={p.id}>{p.full_name}</option>)}
              </select>
            </label>
          </>
        ) : (
          <label>{tr('id')}<input value={pick} onInput={(e) => setPick(e.currentTarget.value)} /></label>
        )}
        <button class="btn" type="submit">{tr('show')}</button>
      </form>
      {id && (
        <>
          <h3>{tr('trailOf', { name: `${entityName(entity)} ${names.get(id) ?? id}` })}</h3>
          <Wait l={l}>{(d) => <Filtered items={[...d.items].reverse()} names={names} showRecord={false} />}</Wait>
        </>
      )}
    </>
  );
}
