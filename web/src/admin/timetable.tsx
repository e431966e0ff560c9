// TimetableEditor is the year's timetable of one class as a week grid (#/timetable-edit/<class>?date=…): add, change,
// change from a date and delete entries, substitutions of single lessons, and making the journal's lessons of a term
// from the timetable. The API refuses a clash (a teacher, room or class taken in that period) naming the clashing
// lesson: the message is shown at the entry's field and that lesson is marked in the grid when it is this class's.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, type Me } from '../api';
import { strings } from '../i18n';
import { can, errorText, fmtDate, useLoad, Wait, type ScreenProps } from '../ui';
import './school.css';

const tr = strings({
  ru: {
    title: 'Составление расписания', refused: 'Составлять расписание могут завуч и администратор. У вас нет на это прав.',
    year: 'Учебный год', klass: 'Класс', chooseClass: 'Выберите класс.', onDate: 'На дату', noYears: 'Учебных годов нет.',
    period: 'Урок', day1: 'Понедельник', day2: 'Вторник', day3: 'Среда', day4: 'Четверг', day5: 'Пятница', day6: 'Суббота',
    add: 'Добавить урок: {day}, урок {n}', free: '+', newEntry: 'Новый урок', editEntry: 'Урок расписания',
    subject: 'Предмет', group: 'Группа', wholeClass: 'весь класс', teacher: 'Учитель', room: 'Кабинет', weekday: 'День недели',
    from: 'Действует с', until: 'Действует по', save: 'Сохранить', saving: 'Сохранение…', saved: 'Сохранено', cancel: 'Закрыть',
    remove: 'Удалить урок', removed: 'Урок удалён из расписания.', confirmRemove: 'Удалить этот урок из расписания?',
    changeFrom: 'Изменить с даты', changeDate: 'С какой даты', changed: 'С {date} действует новая запись; прежняя закончилась накануне.',
    clashWith: 'Пересечение отмечено в сетке.', limited: 'с {from} по {until}',
    subs: 'Замены', subsOf: 'Замены этого урока', noSubs: 'Замен нет.', subDate: 'Дата урока', substitute: 'Замещает',
    cancelled: 'Урок отменён', reason: 'Причина', addSub: 'Записать замену', subAdded: 'Замена записана.', removeSub: 'Удалить замену',
    subRemoved: 'Замена удалена.', upcoming: 'Ближайшие замены в классе', lessonOf: '{subject}, {day}, урок {n}',
    generate: 'Уроки журнала из расписания', term: 'Четверть', onlyClass: 'Только этот класс', run: 'Создать уроки', running: 'Создание…',
    generated: 'Готово ({from} — {to}): создано {created}, изменено {updated}, удалено {deleted}, без изменений {unchanged}, сохранено с отметками {kept}, пропущено {skipped}.',
    generateHelp: 'Повторный запуск ничего не дублирует: уроки приводятся в соответствие с расписанием, календарём и заменами.',
  },
  en: {
    title: 'Timetable editor', refused: 'The head teacher and the administrator edit the timetable. You have no right to.',
    year: 'School year', klass: 'Class', chooseClass: 'Choose a class.', onDate: 'On date', noYears: 'No school years.',
    period: 'Period', day1: 'Monday', day2: 'Tuesday', day3: 'Wednesday', day4: 'Thursday', day5: 'Friday', day6: 'Saturday',
    add: 'Add a lesson: {day}, period {n}', free: '+', newEntry: 'New lesson', editEntry: 'Timetable lesson',
    subject: 'Subject', group: 'Group', wholeClass: 'whole class', teacher: 'Teacher', room: 'Room', weekday: 'Weekday',
    from: 'From', until: 'Until', save: 'Save', saving: 'Saving…', saved: 'Saved', cancel: 'Close',
    remove: 'Delete the lesson', removed: 'The lesson was deleted from the timetable.', confirmRemove: 'Delete this lesson from the timetable?',
    changeFrom: 'Change from a date', changeDate: 'From date', changed: 'A new entry holds from {date}; the old one ended the day before.',
    clashWith: 'The clash is marked in the grid.', limited: '{from} to {until}',
    subs: 'Substitutions', subsOf: 'Substitutions of this lesson', noSubs: 'No substitutions.', subDate: 'Lesson date', substitute: 'Substitute',
    cancelled: 'Lesson cancelled', reason: 'Reason', addSub: 'Record the substitution', subAdded: 'Substitution recorded.', removeSub: 'Delete the substitution',
    subRemoved: 'Substitution deleted.', upcoming: 'Coming substitutions in the class', lessonOf: '{subject}, {day}, period {n}',
    generate: 'Journal lessons from the timetable', term: 'Term', onlyClass: 'This class only', run: 'Make lessons', running: 'Working…',
    generated: 'Done ({from} — {to}): created {created}, updated {updated}, deleted {deleted}, unchanged {unchanged}, kept with entries {kept}, skipped {skipped}.',
    generateHelp: 'Running it again duplicates nothing: lessons are brought in line with the timetable, calendar and substitutions.',
  },
});

type DayKey = 'day1' | 'day2' | 'day3' | 'day4' | 'day5' | 'day6';
const dayName = (d: number) => tr(`day${d}` as DayKey);

interface Term { id: string; name: string; start: string; end: string }
interface Year { id: string; name: string; start: string; end: string; terms: Term[] }
interface Klass { id: string; grade: number; letter: string }
interface Subject { id: string; name: string; short_name: string; grades?: number[] }
interface Staff { id: string; full_name: string; employment?: { dismissed_on?: string } }
interface Group { id: string; class_id: string; name: string }
interface Assignment { class_id: string; subject_id: string; teacher_id: string; group_id?: string }
interface Entry {
  id: string;
  class_id: string;
  group_id?: string;
  subject_id: string;
  teacher_id: string;
  room?: string;
  weekday: number;
  period: number;
  from: string;
  until?: string;
  version: number;
}
interface Substitution { id: string; entry_id: string; date: string; teacher_id?: string; room?: string; cancelled?: boolean; reason?: string; version: number }
interface Calendar { working_days: number; bells: { id: string; periods: { period: number; start: string; end: string }[] }[] }
interface GenerateResult { from: string; to: string; created: number; updated: number; deleted: number; unchanged: number; kept: number; skipped: number }
type List<T> = { items: T[] };
type Fields = Record<string, string> | undefined;

interface Values { subject_id: string; group_id: string; teacher_id: string; room: string; weekday: number; period: number; from: string; until: string }

const enc = encodeURIComponent;

function localDate(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** shortName is "Леонова Е. В." for a full name. */
function shortName(full = ''): string {
  const [last, ...rest] = full.split(' ');
  return [last, ...rest.map((p) => `${p[0]}.`)].join(' ');
}

/** clashOf finds the entry a conflict message names (the longest id it contains). */
function clashOf(message: string, entries: Entry[]): string | undefined {
  let best: string | undefined;
  for (const e of entries) if (message.includes(e.id) && (!best || e.id.length > best.length)) best = e.id;
  return best;
}

/** Write is one change being sent: busy, its success text, or the API's error with fields. */
function useWrite(onError?: (e: ApiError) => void) {
  const [s, set] = useState<{ busy: boolean; ok?: string; error?: string; fields?: Fields }>({ busy: false });
  async function run<T>(f: () => Promise<T>, ok: string | ((v: T) => string) = tr('saved')): Promise<T | undefined> {
    set({ busy: true });
    try {
      const v = await f();
      set({ busy: false, ok: typeof ok === 'string' ? ok : ok(v) });
      return v;
    } catch (e) {
      set({ busy: false, error: errorText(e), fields: e instanceof ApiError ? e.fields : undefined });
      if (e instanceof ApiError) onError?.(e);
      return undefined;
    }
  }
  return { ...s, run, clear: () => set({ busy: false }) };
}
type Write = ReturnType<typeof useWrite>;

function Outcome({ w }: { w: Write }) {
  if (w.error) return <p class="error" role="alert">{w.error}</p>;
  if (w.ok) return <p class="ok" role="status">{w.ok}</p>;
  return null;
}

export default function TimetableEditor({ me, args, query }: ScreenProps) {
  const allowed = can(me, 'timetable.write');
  const years = useLoad<List<Year>>(allowed ? 'v1/years' : null);
  if (!allowed) {
    return (
      <section class="card refusal">
        <h2>{tr('title')}</h2>
        <p class="error" role="alert">{tr('refused')}</p>
      </section>
    );
  }
  return (
    <section class="school">
      <Wait l={years}>
        {(d) => {
          const today = localDate();
          const year = d.items.find((y) => y.id === query.get('year')) ?? d.items.find((y) => y.start <= today && today <= y.end) ?? d.items[d.items.length - 1];
          if (!year) return <p class="card muted">{tr('noYears')}</p>;
          return <Editor key={year.id} me={me} year={year} years={d.items} classID={args[0] ?? ''} date={query.get('date') ?? ''} />;
        }}
      </Wait>
    </section>
  );
}

function Editor({ me, year, years, classID, date: asked }: { me: Me; year: Year; years: Year[]; classID: string; date: string }) {
  const y = enc(year.id);
  const classes = useLoad<List<Klass>>(`v1/classes?year_id=${y}`);
  const subjects = useLoad<List<Subject>>('v1/subjects');
  const staff = useLoad<List<Staff>>('v1/staff');
  const timetable = useLoad<List<Entry>>(`v1/years/${y}/timetable`);
  const calendar = useLoad<Calendar>(`v1/years/${y}/calendar`);
  const subs = useLoad<List<Substitution>>(`v1/years/${y}/substitutions`);
  const groups = useLoad<List<Group>>(classID ? `v1/groups?class_id=${enc(classID)}` : null);
  const assignments = useLoad<List<Assignment>>(classID ? `v1/assignments?year_id=${y}&class_id=${enc(classID)}` : null);
  // sel is the open panel: an entry (id) or a free slot; key stays when a new entry is saved, so the panel keeps its state.
  const [sel, setSel] = useState<{ key: string; id?: string; entry?: Entry; weekday: number; period: number } | null>(null);
  const [clash, setClash] = useState<string | undefined>();
  const [notice, setNotice] = useState('');
  const today = localDate();
  const clamp = (d: string) => (d < year.start ? year.start : d > year.end ? year.end : d);
  const date = clamp(/^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : today);
  const href = (c: string, d = date) => `#/timetable-edit/${enc(c)}?year=${y}${d !== clamp(today) ? `&date=${d}` : ''}`;

  const klass = classes.data?.items.find((c) => c.id === classID);
  const entries = (timetable.data?.items ?? []).filter((e) => e.class_id === classID);
  const inForce = entries.filter((e) => e.from <= date && (!e.until || date <= e.until));
  const bells = calendar.data?.bells[0]?.periods ?? [];
  const maxPeriod = Math.max(bells.length, ...inForce.map((e) => e.period), 1);
  const days = calendar.data?.working_days === 6 || inForce.some((e) => e.weekday === 6) ? 6 : 5;
  const subjectOf = (id: string) => subjects.data?.items.find((s) => s.id === id);
  const staffOf = (id?: string) => staff.data?.items.find((s) => s.id === id)?.full_name ?? id ?? '';
  const groupOf = (id?: string) => groups.data?.items.find((g) => g.id === id)?.name ?? id ?? '';
  const selected = sel?.id ? timetable.data?.items.find((e) => e.id === sel.id) ?? sel.entry : undefined;

  function pick(s: { id?: string; weekday: number; period: number } | null) {
    setSel(s && { ...s, key: s.id ?? `new-${s.weekday}-${s.period}-${Date.now()}` });
    setClash(undefined);
    setNotice('');
  }

  return (
    <>
      <div class="card">
        <h2>{tr('title')}</h2>
        <div class="filters">
          {years.length > 1 && (
            <label>
              {tr('year')}
              <select value={year.id} onChange={(e) => (location.hash = `#/timetable-edit/${enc(classID)}?year=${enc(e.currentTarget.value)}`)}>
                {years.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
              </select>
            </label>
          )}
          <label>
            {tr('klass')}
            <select value={classID} onChange={(e) => { pick(null); location.hash = href(e.currentTarget.value); }}>
              <option value="">{tr('chooseClass')}</option>
              {classes.data?.items.map((c) => <option key={c.id} value={c.id}>{c.grade}{c.letter}</option>)}
            </select>
          </label>
          <label>
            {tr('onDate')}
            <input type="date" min={year.start} max={year.end} value={date} onChange={(e) => e.currentTarget.value && (location.hash = href(classID, e.currentTarget.value))} />
          </label>
        </div>
        {classes.error && <p class="error" role="alert">{classes.error}</p>}
        {!classID && <p class="muted">{tr('chooseClass')}</p>}
      </div>

      {classID && (
        <div class="card">
          {notice && <p class="ok" role="status">{notice}</p>}
          <Wait l={timetable}>
            {() => (
              <div class="table-wrap">
                <table class="tt-grid">
                  <caption class="sr">{tr('title')}: {klass ? `${klass.grade}${klass.letter}` : classID}, {fmtDate(date)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tr('period')}</th>
                      {Array.from({ length: days }, (_, i) => <th key={i} scope="col">{dayName(i + 1)}</th>)}
                    </tr>
                  </thead>
                  <tbody>
                    {Array.from({ length: maxPeriod }, (_, pi) => {
                      const p = pi + 1;
                      const bell = bells.find((b) => b.period === p);
                      return (
                        <tr key={p}>
                          <th scope="row">{p}{bell && <small>{bell.start}–{bell.end}</small>}</th>
                          {Array.from({ length: days }, (_, di) => {
                            const wd = di + 1;
                            const here = inForce.filter((e) => e.weekday === wd && e.period === p);
                            return (
                              <td key={wd} data-slot={`${wd}-${p}`}>
                                {here.map((e) => (
                                  <button
                                    type="button"
                                    key={e.id}
                                    data-entry={e.id}
                                    class={`tt-entry${e.id === clash ? ' clash' : ''}${e.until || e.from > year.start ? ' limited' : ''}`}
                                    aria-pressed={sel?.id === e.id}
                                    onClick={() => pick({ id: e.id, weekday: e.weekday, period: e.period })}
                                  >
                                    <strong>{subjectOf(e.subject_id)?.short_name ?? e.subject_id}</strong>
                                    {e.group_id && <small>{groupOf(e.group_id)}</small>}
                                    <small>{shortName(staffOf(e.teacher_id))}{e.room ? `, ${e.room}` : ''}</small>
                                    {(e.until || e.from > year.start) && <small>{tr('limited', { from: fmtDate(e.from), until: e.until ? fmtDate(e.until) : '…' })}</small>}
                                  </button>
                                ))}
                                <button type="button" class="tt-add" aria-label={tr('add', { day: dayName(wd), n: p })} onClick={() => pick({ weekday: wd, period: p })}>
                                  {tr('free')}
                                </button>
                              </td>
                            );
                          })}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </Wait>
        </div>
      )}

      {clash && inForce.some((e) => e.id === clash) && <p class="card muted">{tr('clashWith')}</p>}

      {classID && sel && (!sel.id || selected) && (
        <EntryPanel
          key={sel.key}
          year={year}
          classID={classID}
          grade={klass?.grade}
          entry={selected}
          slot={sel}
          days={days}
          subjects={subjects.data?.items ?? []}
          staff={(staff.data?.items ?? []).filter((s) => !s.employment?.dismissed_on)}
          groups={groups.data?.items ?? []}
          assignments={assignments.data?.items ?? []}
          subs={(subs.data?.items ?? []).filter((s) => s.entry_id === sel.id)}
          staffOf={staffOf}
          onClash={(m) => {
            setClash(clashOf(m, timetable.data?.items ?? []));
            timetable.reload();
          }}
          onSaved={(entry) => {
            timetable.reload();
            setSel({ ...sel, id: entry.id, entry, weekday: entry.weekday, period: entry.period });
            setClash(undefined);
          }}
          onDeleted={() => {
            timetable.reload();
            pick(null);
            setNotice(tr('removed'));
          }}
          onSubs={subs.reload}
          onClose={() => pick(null)}
        />
      )}

      {classID && <Upcoming entries={entries} subs={subs.data?.items ?? []} today={today} subjectOf={subjectOf} staffOf={staffOf} onChanged={subs.reload} year={year} />}

      {can(me, 'timetable.write', 'school') && <Generate year={year} classID={classID} className={klass ? `${klass.grade}${klass.letter}` : ''} today={today} />}
    </>
  );
}

function EntryPanel(p: {
  year: Year;
  classID: string;
  grade?: number;
  entry?: Entry;
  slot: { weekday: number; period: number };
  days: number;
  subjects: Subject[];
  staff: Staff[];
  groups: Group[];
  assignments: Assignment[];
  subs: Substitution[];
  staffOf: (id?: string) => string;
  onClash: (message: string) => void;
  onSaved: (e: Entry) => void;
  onDeleted: () => void;
  onSubs: () => void;
  onClose: () => void;
}) {
  const e = p.entry;
  const [v, setV] = useState<Values>({
    subject_id: e?.subject_id ?? '',
    group_id: e?.group_id ?? '',
    teacher_id: e?.teacher_id ?? '',
    room: e?.room ?? '',
    weekday: e?.weekday ?? p.slot.weekday,
    period: e?.period ?? p.slot.period,
    from: e?.from ?? '',
    until: e?.until ?? '',
  });
  const [changeDate, setChangeDate] = useState(() => {
    const t = localDate();
    return t < p.year.start ? p.year.start : t > p.year.end ? p.year.end : t;
  });
  // A 409 names the clashing lesson (or says the entry changed meanwhile): mark it and read the timetable again.
  const w = useWrite((err) => err.status === 409 && p.onClash(err.message));
  const f = w.fields;
  const base = `v1/years/${enc(p.year.id)}/timetable`;
  const subjects = p.subjects.filter((s) => !p.grade || !s.grades?.length || s.grades.includes(p.grade));

  function body(extra: Record<string, unknown>) {
    return {
      class_id: p.classID,
      subject_id: v.subject_id,
      teacher_id: v.teacher_id,
      weekday: v.weekday,
      period: v.period,
      ...(v.group_id ? { group_id: v.group_id } : {}),
      ...(v.room.trim() ? { room: v.room.trim() } : {}),
      ...(v.from ? { from: v.from } : {}),
      ...(v.until ? { until: v.until } : {}),
      ...extra,
    };
  }

  async function save(ev: Event) {
    ev.preventDefault();
    const r = e
      ? await w.run(() => call<Entry>('PUT', `${base}/${enc(e.id)}`, body({ version: e.version })))
      : await w.run(() => call<Entry>('POST', base, body({})));
    if (r) p.onSaved(r);
  }

  async function changeFrom() {
    if (!e) return;
    const r = await w.run(() => call<{ entry: Entry }>('POST', `${base}/${enc(e.id)}/change`, body({ from: changeDate, version: e.version })), tr('changed', { date: fmtDate(changeDate) }));
    if (r) p.onSaved(r.entry);
  }

  async function remove() {
    if (!e || !confirm(tr('confirmRemove'))) return;
    if (await w.run(() => call('DELETE', `${base}/${enc(e.id)}?version=${e.version}`), tr('removed'))) p.onDeleted();
  }

  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.scrollIntoView({ block: 'nearest' }), []);

  const subject = p.subjects.find((s) => s.id === v.subject_id);
  return (
    <div class="card" id="entry-panel" ref={panel}>
      <h3>{e ? `${tr('editEntry')}: ${subject?.name ?? ''}` : tr('newEntry')} — {dayName(v.weekday)}, {tr('period').toLowerCase()} {v.period}</h3>
      <form class="form" onSubmit={save}>
        <div class="row">
          <label>
            {tr('subject')}
            <select
              value={v.subject_id}
              required
              onChange={(ev) => {
                const s = ev.currentTarget.value;
                const a = p.assignments.find((x) => x.subject_id === s);
                setV({ ...v, subject_id: s, teacher_id: v.teacher_id || a?.teacher_id || '', group_id: v.group_id || a?.group_id || '' });
              }}
            >
              <option value="" />
              {subjects.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
            {f?.subject_id && <span class="field-error">{f.subject_id}</span>}
          </label>
          <label>
            {tr('group')}
            <select value={v.group_id} onChange={(ev) => setV({ ...v, group_id: ev.currentTarget.value })}>
              <option value="">{tr('wholeClass')}</option>
              {p.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
            {f?.group_id && <span class="field-error">{f.group_id}</span>}
          </label>
          <label>
            {tr('teacher')}
            <select value={v.teacher_id} required onChange={(ev) => setV({ ...v, teacher_id: ev.currentTarget.value })}>
              <option value="" />
              {p.staff.map((s) => <option key={s.id} value={s.id}>{s.full_name}</option>)}
            </select>
            {f?.teacher_id && <span class="field-error">{f.teacher_id}</span>}
          </label>
          <label>
            {tr('room')}
            <input value={v.room} maxLength={20} onInput={(ev) => setV({ ...v, room: ev.currentTarget.value })} />
            {f?.room && <span class="field-error">{f.room}</span>}
          </label>
        </div>
        <div class="row">
          <label>
            {tr('weekday')}
            <select value={String(v.weekday)} onChange={(ev) => setV({ ...v, weekday: Number(ev.currentTarget.value) })}>
              {Array.from({ length: 6 }, (_, i) => <option key={i} value={String(i + 1)}>{dayName(i + 1)}</option>)}
            </select>
            {f?.weekday && <span class="field-error">{f.weekday}</span>}
          </label>
          <label>
            {tr('period')}
            <select value={String(v.period)} onChange={(ev) => setV({ ...v, period: Number(ev.currentTarget.value) })}>
              {Array.from({ length: 12 }, (_, i) => <option key={i} value={String(i + 1)}>{i + 1}</option>)}
            </select>
            {f?.period && <span class="field-error">{f.period}</span>}
          </label>
          <label>
            {tr('from')}
            <input type="date" min={p.year.start} max={p.year.end} value={v.from} onInput={(ev) => setV({ ...v, from: ev.currentTarget.value })} />
            {f?.from && <span class="field-error">{f.from}</span>}
          </label>
          <label>
            {tr('until')}
            <input type="date" min={p.year.start} max={p.year.end} value={v.until} onInput={(ev) => setV({ ...v, until: ev.currentTarget.value })} />
            {f?.until && <span class="field-error">{f.until}</span>}
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={w.busy}>{w.busy ? tr('saving') : tr('save')}</button>
          {e && <button type="button" class="btn danger" onClick={remove} disabled={w.busy}>{tr('remove')}</button>}
          <button type="button" class="btn" onClick={p.onClose}>{tr('cancel')}</button>
        </div>
        {e && (
          <div class="row">
            <label>
              {tr('changeDate')}
              <input type="date" min={p.year.start} max={p.year.end} value={changeDate} onInput={(ev) => setChangeDate(ev.currentTarget.value)} />
            </label>
            <button type="button" class="btn" onClick={changeFrom} disabled={w.busy || !changeDate}>{tr('changeFrom')}</button>
          </div>
        )}
        <Outcome w={w} />
      </form>
      {e && <Substitutions year={p.year} entry={e} subs={p.subs} staff={p.staff} staffOf={p.staffOf} onChanged={p.onSubs} />}
    </div>
  );
}

/** nextDate is the first date on or after from that falls on weekday (1 = Monday). */
function nextDate(from: string, weekday: number): string {
  const d = new Date(`${from}T00:00:00`);
  while (((d.getDay() + 6) % 7) + 1 !== weekday) d.setDate(d.getDate() + 1);
  return localDate(d);
}

function Substitutions({ year, entry, subs, staff, staffOf, onChanged }: { year: Year; entry: Entry; subs: Substitution[]; staff: Staff[]; staffOf: (id?: string) => string; onChanged: () => void }) {
  const today = localDate();
  const [v, setV] = useState({ date: nextDate(today < entry.from ? entry.from : today, entry.weekday), teacher_id: '', cancelled: false, room: '', reason: '' });
  const w = useWrite();
  const f = w.fields;
  const base = `v1/years/${enc(year.id)}/substitutions`;
  async function add(ev: Event) {
    ev.preventDefault();
    const body = {
      entry_id: entry.id,
      date: v.date,
      ...(v.cancelled ? { cancelled: true } : { teacher_id: v.teacher_id }),
      ...(v.room.trim() ? { room: v.room.trim() } : {}),
      ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
    };
    if (await w.run(() => call('POST', base, body), tr('subAdded'))) onChanged();
  }
  async function remove(s: Substitution) {
    if (await w.run(() => call('DELETE', `${base}/${enc(s.id)}?version=${s.version}`), tr('subRemoved'))) onChanged();
  }
  return (
    <>
      <h3>{tr('subsOf')}</h3>
      {subs.length === 0 ? <p class="muted">{tr('noSubs')}</p> : (
        <ul class="event-list">
          {subs.map((s) => (
            <li key={s.id} class="actions">
              <span>{fmtDate(s.date)}: {s.cancelled ? tr('cancelled') : shortName(staffOf(s.teacher_id))}{s.room ? `, ${s.room}` : ''}{s.reason ? ` (${s.reason})` : ''}</span>
              <button type="button" class="btn danger" onClick={() => remove(s)} aria-label={`${tr('removeSub')}: ${fmtDate(s.date)}`}>{tr('removeSub')}</button>
            </li>
          ))}
        </ul>
      )}
      <form class="form" onSubmit={add}>
        <div class="row">
          <label>
            {tr('subDate')}
            <input type="date" min={year.start} max={year.end} value={v.date} required onInput={(ev) => setV({ ...v, date: ev.currentTarget.value })} />
            {f?.date && <span class="field-error">{f.date}</span>}
          </label>
          <label>
            {tr('substitute')}
            <select value={v.teacher_id} disabled={v.cancelled} onChange={(ev) => setV({ ...v, teacher_id: ev.currentTarget.value })}>
              <option value="" />
              {staff.filter((s) => s.id !== entry.teacher_id).map((s) => <option key={s.id} value={s.id}>{s.full_name}</option>)}
            </select>
            {f?.teacher_id && <span class="field-error">{f.teacher_id}</span>}
          </label>
          <label>
            {tr('room')}
            <input value={v.room} maxLength={20} onInput={(ev) => setV({ ...v, room: ev.currentTarget.value })} />
          </label>
          <label>
            {tr('reason')}
            <input value={v.reason} maxLength={200} onInput={(ev) => setV({ ...v, reason: ev.currentTarget.value })} />
          </label>
        </div>
        <div class="actions">
          <span class="checks"><label><input type="checkbox" checked={v.cancelled} onChange={(ev) => setV({ ...v, cancelled: ev.currentTarget.checked })} />{tr('cancelled')}</label></span>
          <button type="submit" class="btn" disabled={w.busy}>{tr('addSub')}</button>
        </div>
        <Outcome w={w} />
      </form>
    </>
  );
}

function Upcoming({ entries, subs, today, subjectOf, staffOf, onChanged, year }: {
  entries: Entry[];
  subs: Substitution[];
  today: string;
  subjectOf: (id: string) => Subject | undefined;
  staffOf: (id?: string) => string;
  onChanged: () => void;
  year: Year;
}) {
  const w = useWrite();
  const byID = new Map(entries.map((e) => [e.id, e]));
  const list = subs.filter((s) => byID.has(s.entry_id) && s.date >= today).sort((a, b) => a.date.localeCompare(b.date));
  async function remove(s: Substitution) {
    if (await w.run(() => call('DELETE', `v1/years/${enc(year.id)}/substitutions/${enc(s.id)}?version=${s.version}`), tr('subRemoved'))) onChanged();
  }
  return (
    <div class="card">
      <h3>{tr('upcoming')}</h3>
      {list.length === 0 ? <p class="muted">{tr('noSubs')}</p> : (
        <ul class="event-list">
          {list.map((s) => {
            const e = byID.get(s.entry_id)!;
            return (
              <li key={s.id} class="actions">
                <span>
                  {fmtDate(s.date)} — {tr('lessonOf', { subject: subjectOf(e.subject_id)?.name ?? e.subject_id, day: dayName(e.weekday), n: e.period })}:{' '}
                  {s.cancelled ? tr('cancelled') : shortName(staffOf(s.teacher_id))}{s.reason ? ` (${s.reason})` : ''}
                </span>
                <button type="button" class="btn danger" onClick={() => remove(s)} aria-label={`${tr('removeSub')}: ${fmtDate(s.date)}`}>{tr('removeSub')}</button>
              </li>
            );
          })}
        </ul>
      )}
      <Outcome w={w} />
    </div>
  );
}

function Generate({ year, classID, className, today }: { year: Year; classID: string; className: string; today: string }) {
  const current = year.terms.find((t) => t.start <= today && today <= t.end) ?? year.terms.find((t) => t.start > today) ?? year.terms[0];
  const [term, setTerm] = useState(current?.id ?? '');
  const [only, setOnly] = useState(true);
  const w = useWrite();
  async function run(ev: Event) {
    ev.preventDefault();
    await w.run(
      () => call<GenerateResult>('POST', `v1/years/${enc(year.id)}/lessons/generate`, { term, ...(only && classID ? { class_id: classID } : {}) }),
      (r) => tr('generated', { ...r, from: fmtDate(r.from), to: fmtDate(r.to) } as unknown as Record<string, string | number>),
    );
  }
  return (
    <div class="card">
      <h3>{tr('generate')}</h3>
      <p class="muted">{tr('generateHelp')}</p>
      <form class="form" onSubmit={run}>
        <div class="row">
          <label>
            {tr('term')}
            <select value={term} onChange={(e) => setTerm(e.currentTarget.value)}>
              {year.terms.map((t) => <option key={t.id} value={t.id}>{t.name} ({fmtDate(t.start)} — {fmtDate(t.end)})</option>)}
            </select>
          </label>
        </div>
        {classID && (
          <div class="checks">
            <label><input type="checkbox" checked={only} onChange={(e) => setOnly(e.currentTarget.checked)} />{tr('onlyClass')} {className}</label>
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={w.busy || !term}>{w.busy ? tr('running') : tr('run')}</button>
        </div>
        <Outcome w={w} />
      </form>
    </div>
  );
}
