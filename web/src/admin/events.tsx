// Events are the school's, the staff's and classes' events of a date range (#/events?from=…&to=…), with creating,
// changing and deleting them for those with timetable.write (the whole school, or their classes' events).
import { useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { strings } from '../i18n';
import { can, errorText, fmtDate, useLoad, Wait, type ScreenProps } from '../ui';
import './school.css';

const tr = strings({
  ru: {
    title: 'События', from: 'С', to: 'По', none: 'Событий в эти дни нет.', add: 'Новое событие', edit: 'Изменить',
    editOf: 'Изменить: {name}', remove: 'Удалить', removeOf: 'Удалить: {name}', confirmRemove: 'Удалить событие «{name}»?',
    removed: 'Событие удалено.', saved: 'Сохранено', save: 'Сохранить', saving: 'Сохранение…', cancel: 'Отмена',
    name: 'Название', date: 'Дата', endDate: 'Последний день (если несколько дней)', start: 'Начало', end: 'Окончание',
    place: 'Место', description: 'Описание', audience: 'Для кого', school: 'вся школа', classes: 'классы', staff: 'сотрудники',
    classList: 'Классы', forClasses: 'классы: {list}', newTitle: 'Новое событие', editTitle: 'Событие: {name}',
  },
  en: {
    title: 'Events', from: 'From', to: 'To', none: 'No events on these days.', add: 'New event', edit: 'Edit',
    editOf: 'Edit: {name}', remove: 'Delete', removeOf: 'Delete: {name}', confirmRemove: 'Delete the event “{name}”?',
    removed: 'The event was deleted.', saved: 'Saved', save: 'Save', saving: 'Saving…', cancel: 'Cancel',
    name: 'Title', date: 'Date', endDate: 'Last day (for several days)', start: 'Starts', end: 'Ends',
    place: 'Place', description: 'Description', audience: 'For', school: 'the whole school', classes: 'classes', staff: 'staff',
    classList: 'Classes', forClasses: 'classes: {list}', newTitle: 'New event', editTitle: 'Event: {name}',
  },
});

type Audience = 'school' | 'classes' | 'staff';
interface EventRec {
  id: string;
  title: string;
  date: string;
  end_date?: string;
  start?: string;
  end?: string;
  place?: string;
  description?: string;
  audience: Audience;
  class_ids?: string[];
  version: number;
}
type Values = Omit<EventRec, 'id' | 'version'>;
interface Klass { id: string; year_id: string; grade: number; letter: string }
interface Year { id: string; start: string; end: string }
type List<T> = { items: T[] };

const enc = encodeURIComponent;
const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const plus = (s: string, days: number) => {
  const d = new Date(`${s}T00:00:00`);
  d.setDate(d.getDate() + days);
  return iso(d);
};
const valid = (s: string | null) => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

export default function Events({ me, query }: ScreenProps) {
  const from = valid(query.get('from')) ? query.get('from')! : iso(new Date());
  const to = valid(query.get('to')) ? query.get('to')! : plus(from, 30);
  const events = useLoad<List<EventRec>>(`v1/events?from=${from}&to=${to}`);
  const classes = useLoad<List<Klass>>('v1/classes');
  const years = useLoad<List<Year>>('v1/years');
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState('');
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string> | undefined>();
  const mayWrite = can(me, 'timetable.write');
  const today = iso(new Date());
  const year = years.data?.items.find((y) => y.start <= today && today <= y.end);
  const pickable = (classes.data?.items ?? []).filter((c) => !year || c.year_id === year.id);
  const className = (id: string) => {
    const c = classes.data?.items.find((x) => x.id === id);
    return c ? `${c.grade}${c.letter}` : id;
  };
  const go = (f: string, t: string) => (location.hash = `#/events?from=${enc(f)}&to=${enc(t)}`);

  function open(id: string | null) {
    setEditing(id);
    setOk('');
    setError('');
    setFields(undefined);
  }

  async function write(f: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true);
    setOk('');
    setError('');
    setFields(undefined);
    try {
      await f();
      setOk(done);
      events.reload();
      return true;
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError) {
        setFields(e.fields);
        if (e.status === 409) events.reload();
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function save(v: Values, rec?: EventRec) {
    const body = clean(v);
    const done = await write(() => (rec ? call('PUT', `v1/events/${enc(rec.id)}`, { ...body, version: rec.version }) : call('POST', 'v1/events', body)), tr('saved'));
    if (done) setEditing(null);
  }

  async function remove(e: EventRec) {
    if (!confirm(tr('confirmRemove', { name: e.title }))) return;
    await write(() => call('DELETE', `v1/events/${enc(e.id)}?version=${e.version}`), tr('removed'));
  }

  const audience = (e: EventRec) => (e.audience === 'classes' ? tr('forClasses', { list: (e.class_ids ?? []).map(className).join(', ') }) : tr(e.audience));
  const when = (e: EventRec) =>
    `${fmtDate(e.date)}${e.end_date && e.end_date !== e.date ? ` — ${fmtDate(e.end_date)}` : ''}${e.start ? `, ${e.start}${e.end ? `–${e.end}` : ''}` : ''}`;

  return (
    <section class="school">
      <div class="card">
        <h2>{tr('title')}</h2>
        <div class="filters">
          <label>{tr('from')}<input type="date" value={from} onChange={(e) => valid(e.currentTarget.value) && go(e.currentTarget.value, to < e.currentTarget.value ? plus(e.currentTarget.value, 30) : to)} /></label>
          <label>{tr('to')}<input type="date" value={to} min={from} onChange={(e) => valid(e.currentTarget.value) && go(from, e.currentTarget.value)} /></label>
        </div>
        {mayWrite && editing === null && <div class="actions"><button type="button" class="btn" onClick={() => open('')}>{tr('add')}</button></div>}
        {mayWrite && editing === '' && <EventForm classes={pickable} busy={busy} fields={fields} error={error} onSave={(v) => save(v)} onCancel={() => open(null)} start={from} />}
        {error && editing === null && <p class="error" role="alert">{error}</p>}
        {ok && <p class="ok" role="status">{ok}</p>}
      </div>
      <div class="card">
        <Wait l={events}>
          {(d) =>
            d.items.length === 0 ? (
              <p class="muted">{tr('none')}</p>
            ) : (
              <ul class="event-list" id="events">
                {d.items.map((e) => (
                  <li key={e.id} data-event={e.id}>
                    {editing === e.id ? (
                      <EventForm rec={e} classes={pickable} busy={busy} fields={fields} error={error} onSave={(v) => save(v, e)} onCancel={() => open(null)} start={from} />
                    ) : (
                      <>
                        <h3>{e.title}</h3>
                        <p>{when(e)}{e.place ? ` · ${e.place}` : ''}</p>
                        <p class="muted">{audience(e)}</p>
                        {e.description && <p>{e.description}</p>}
                        {mayWrite && (
                          <div class="actions">
                            <button type="button" class="btn" onClick={() => open(e.id)} aria-label={tr('editOf', { name: e.title })}>{tr('edit')}</button>
                            <button type="button" class="btn danger" disabled={busy} onClick={() => remove(e)} aria-label={tr('removeOf', { name: e.title })}>{tr('remove')}</button>
                          </div>
                        )}
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </Wait>
      </div>
    </section>
  );
}

/** clean drops empty optional fields, and the classes of an event that is not a class event. */
function clean(v: Values): Partial<Values> {
  const out: Record<string, unknown> = { title: v.title.trim(), date: v.date, audience: v.audience };
  for (const k of ['end_date', 'start', 'end', 'place', 'description'] as const) if (v[k]?.trim()) out[k] = v[k]!.trim();
  if (v.audience === 'classes') out.class_ids = v.class_ids ?? [];
  return out as Partial<Values>;
}

function EventForm({ rec, classes, busy, fields: f, error, onSave, onCancel, start }: {
  rec?: EventRec;
  error: string;
  classes: Klass[];
  busy: boolean;
  fields?: Record<string, string>;
  onSave: (v: Values) => void;
  onCancel: () => void;
  start: string;
}) {
  const [v, setV] = useState<Values>(
    rec
      ? { title: rec.title, date: rec.date, end_date: rec.end_date ?? '', start: rec.start ?? '', end: rec.end ?? '', place: rec.place ?? '', description: rec.description ?? '', audience: rec.audience, class_ids: rec.class_ids ?? [] }
      : { title: '', date: start, end_date: '', start: '', end: '', place: '', description: '', audience: 'school', class_ids: [] },
  );
  const text = (k: keyof Values) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const err = (k: string) => f?.[k] && <span class="field-error">{f[k]}</span>;
  const ids = v.class_ids ?? [];
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); onSave(v); }}>
      <h3>{rec ? tr('editTitle', { name: rec.title }) : tr('newTitle')}</h3>
      <label>{tr('name')}<input value={v.title} onInput={text('title')} maxLength={200} required />{err('title')}</label>
      <div class="row">
        <label>{tr('date')}<input type="date" value={v.date} onInput={text('date')} required />{err('date')}</label>
        <label>{tr('endDate')}<input type="date" value={v.end_date} min={v.date} onInput={text('end_date')} />{err('end_date')}</label>
      </div>
      <div class="row">
        <label>{tr('start')}<input type="time" value={v.start} onInput={text('start')} />{err('start')}</label>
        <label>{tr('end')}<input type="time" value={v.end} onInput={text('end')} />{err('end')}</label>
        <label>{tr('place')}<input value={v.place} onInput={text('place')} maxLength={200} />{err('place')}</label>
      </div>
      <label>{tr('description')}<textarea rows={3} value={v.description} onInput={text('description')} maxLength={2000} />{err('description')}</label>
      <label>
        {tr('audience')}
        <select value={v.audience} onChange={(e) => setV({ ...v, audience: e.currentTarget.value as Audience })}>
          <option value="school">{tr('school')}</option>
          <option value="classes">{tr('classes')}</option>
          <option value="staff">{tr('staff')}</option>
        </select>
        {err('audience')}
      </label>
      {v.audience === 'classes' && (
        <fieldset>
          <legend>{tr('classList')}</legend>
          <div class="checks">
            {classes.map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={ids.includes(c.id)} onChange={() => setV({ ...v, class_ids: ids.includes(c.id) ? ids.filter((x) => x !== c.id) : [...ids, c.id] })} />
                {c.grade}{c.letter}
              </label>
            ))}
          </div>
          {err('class_ids')}
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? tr('saving') : tr('save')}</button>
        <button type="button" class="btn" onClick={onCancel}>{tr('cancel')}</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
