// Setup is the administration of the school's set-up (#/setup/<part>?year=…): the school itself, school years
// and terms, the year's calendar (holidays, working week, bells), classes, subjects, groups, teacher assignments
// and the grading settings. Every change sends the version it was based on; a 409 shows the API's message and
// reloads, keeping what the user typed.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call, type Me } from '../api';
import { strings } from '../i18n';
import { can, errorText, fmtDate, Tabs, useLoad, Wait, type Loaded, type ScreenProps } from '../ui';
import './school.css';

const tr = strings({
  ru: {
    title: 'Школа', refused: 'Этот раздел доступен администрации школы. У вас нет прав на настройку школы.',
    school: 'Школа', years: 'Годы и периоды', calendar: 'Календарь', classes: 'Классы', subjects: 'Предметы',
    groups: 'Группы', assignments: 'Нагрузка', grading: 'Оценивание', year: 'Учебный год', noYears: 'Учебных годов нет.',
    name: 'Название', shortName: 'Краткое название', timeZone: 'Часовой пояс', save: 'Сохранить', saving: 'Сохранение…',
    saved: 'Сохранено', cancel: 'Отмена', edit: 'Изменить', editOf: 'Изменить: {name}', add: 'Добавить', remove: 'Удалить',
    readOnly: 'Только просмотр: изменять может администратор.', empty: 'Пока ничего нет.',
    start: 'Начало', end: 'Конец', termKind: 'Деление года', quarters: 'четверти', trimesters: 'триместры', halves: 'полугодия',
    terms: 'Периоды', term: 'Период {n}', newYear: 'Новый учебный год', editYear: 'Учебный год {name}',
    workingDays: 'Рабочая неделя', five: 'пятидневная (пн–пт)', six: 'шестидневная (пн–сб)', holidays: 'Каникулы и выходные',
    holiday: 'Каникулы {n}', addHoliday: 'Добавить каникулы', extraDays: 'Рабочие дни вне недели', extraDay: 'Рабочий день {n}',
    addExtraDay: 'Добавить рабочий день', bells: 'Звонки', schedule: 'Расписание звонков {n}', addSchedule: 'Добавить расписание звонков',
    removeSchedule: 'Удалить расписание звонков', period: 'Урок', addPeriod: 'Добавить урок', removePeriod: 'Удалить последний урок',
    periodStart: 'Начало урока {n}', periodEnd: 'Конец урока {n}', dayBells: 'Особые дни', dayBell: 'Особый день {n}',
    addDayBell: 'Добавить особый день', date: 'Дата', bellSchedule: 'Звонки', calendarDefault: 'Календарь ещё не сохранялся: показаны значения по умолчанию.',
    klass: 'Класс', grade: 'Параллель', letter: 'Буква', classTeacher: 'Классный руководитель', none: '— нет —',
    newClass: 'Новый класс', grades: 'Параллели (пусто — все)', gradesCol: 'Параллели', allGrades: 'все', newSubject: 'Новый предмет',
    group: 'Группа', wholeClass: 'весь класс', newGroup: 'Новая группа', chooseClass: 'Выберите класс.',
    subject: 'Предмет', teacher: 'Учитель', hours: 'Часов в неделю', newAssignment: 'Новое назначение',
    workTypes: 'Виды работ', weight: 'Вес', isDefault: 'по умолчанию', defaultOf: 'По умолчанию: {name}', addWorkType: 'Добавить вид работы',
    workTypeId: 'Код', allowOne: 'Используется отметка 1', averaging: 'Средний балл', weighted: 'взвешенный', plain: 'простой',
    roundUp: 'Округлять вверх от (доля)', editWindow: 'Дней на исправление', minMarks: 'Отметок для итоговой не меньше',
    gradingDefault: 'Настройки ещё не сохранялись: показаны значения по умолчанию.',
    weekday1: 'пн', weekday6: 'сб',
  },
  en: {
    title: 'School', refused: 'This section is for the school administration. You have no right to set up the school.',
    school: 'School', years: 'Years and terms', calendar: 'Calendar', classes: 'Classes', subjects: 'Subjects',
    groups: 'Groups', assignments: 'Assignments', grading: 'Grading', year: 'School year', noYears: 'No school years.',
    name: 'Name', shortName: 'Short name', timeZone: 'Time zone', save: 'Save', saving: 'Saving…',
    saved: 'Saved', cancel: 'Cancel', edit: 'Edit', editOf: 'Edit: {name}', add: 'Add', remove: 'Remove',
    readOnly: 'View only: the administrator may change this.', empty: 'Nothing yet.',
    start: 'Start', end: 'End', termKind: 'Division of the year', quarters: 'quarters', trimesters: 'trimesters', halves: 'halves',
    terms: 'Terms', term: 'Term {n}', newYear: 'New school year', editYear: 'School year {name}',
    workingDays: 'Working week', five: 'five days (Mon–Fri)', six: 'six days (Mon–Sat)', holidays: 'Holidays and days off',
    holiday: 'Holiday {n}', addHoliday: 'Add a holiday', extraDays: 'Extra working days', extraDay: 'Working day {n}',
    addExtraDay: 'Add a working day', bells: 'Bells', schedule: 'Bell schedule {n}', addSchedule: 'Add a bell schedule',
    removeSchedule: 'Remove the bell schedule', period: 'Period', addPeriod: 'Add a period', removePeriod: 'Remove the last period',
    periodStart: 'Start of period {n}', periodEnd: 'End of period {n}', dayBells: 'Special days', dayBell: 'Special day {n}',
    addDayBell: 'Add a special day', date: 'Date', bellSchedule: 'Bells', calendarDefault: 'The calendar was never saved: these are the defaults.',
    klass: 'Class', grade: 'Grade', letter: 'Letter', classTeacher: 'Class teacher', none: '— none —',
    newClass: 'New class', grades: 'Grades (empty: all)', gradesCol: 'Grades', allGrades: 'all', newSubject: 'New subject',
    group: 'Group', wholeClass: 'whole class', newGroup: 'New group', chooseClass: 'Choose a class.',
    subject: 'Subject', teacher: 'Teacher', hours: 'Hours a week', newAssignment: 'New assignment',
    workTypes: 'Work types', weight: 'Weight', isDefault: 'default', defaultOf: 'Default: {name}', addWorkType: 'Add a work type',
    workTypeId: 'Code', allowOne: 'The mark 1 is used', averaging: 'Average', weighted: 'weighted', plain: 'plain',
    roundUp: 'Round up from (fraction)', editWindow: 'Days to correct marks', minMarks: 'Fewest marks for a term mark',
    gradingDefault: 'The settings were never saved: these are the defaults.',
    weekday1: 'Mon', weekday6: 'Sat',
  },
});

interface School { id: string; name: string; short_name?: string; time_zone: string; version: number }
interface Term { id: string; name: string; start: string; end: string }
type TermKind = 'quarters' | 'trimesters' | 'halves';
interface Year { id: string; name: string; start: string; end: string; term_kind: TermKind; terms: Term[]; version: number }
interface Klass { id: string; year_id: string; grade: number; letter: string; class_teacher_id?: string; version: number }
interface Subject { id: string; name: string; short_name: string; grades?: number[]; version: number }
interface Group { id: string; class_id: string; name: string; version: number }
interface Assignment { id: string; class_id: string; subject_id: string; teacher_id: string; group_id?: string; hours_per_week?: number; version: number }
interface Staff { id: string; full_name: string; roles: string[]; employment?: { dismissed_on?: string } }
interface Bell { period: number; start: string; end: string }
interface Schedule { id: string; name: string; periods: Bell[] }
interface Calendar {
  working_days: number;
  holidays: { start: string; end: string; name: string }[];
  extra_working_days?: string[];
  bells: Schedule[];
  day_bells?: Record<string, string>;
  version: number;
}
interface WorkType { id: string; name: string; weight: number; default?: boolean }
interface Grading {
  work_types: WorkType[];
  allow_one: boolean;
  averaging: 'weighted' | 'plain';
  round_up_from: number;
  edit_window_days: number;
  min_marks_for_term: number;
  version: number;
}
type List<T> = { items: T[] };
type Fields = Record<string, string> | undefined;

const parts = ['school', 'years', 'calendar', 'classes', 'subjects', 'groups', 'assignments', 'grading'] as const;
type Part = (typeof parts)[number];
const yearParts: Part[] = ['calendar', 'classes', 'groups', 'assignments', 'grading'];

/** Write is the state of one change being sent: busy, done, or the API's error with its fields. */
interface Write {
  busy: boolean;
  ok?: string;
  error?: string;
  fields?: Fields;
  run: <T>(f: () => Promise<T>, onConflict?: () => void) => Promise<T | undefined>;
  clear: () => void;
}

function useWrite(): Write {
  const [s, set] = useState<{ busy: boolean; ok?: string; error?: string; fields?: Fields }>({ busy: false });
  async function run<T>(f: () => Promise<T>, onConflict?: () => void): Promise<T | undefined> {
    set({ busy: true });
    try {
      const v = await f();
      set({ busy: false, ok: tr('saved') });
      return v;
    } catch (e) {
      set({ busy: false, error: errorText(e), fields: e instanceof ApiError ? e.fields : undefined });
      if (e instanceof ApiError && e.status === 409) onConflict?.();
      return undefined;
    }
  }
  return { ...s, run, clear: () => set({ busy: false }) };
}

/** Outcome shows a write's success (status) or error (alert). */
function Outcome({ w }: { w: Write }) {
  if (w.error) return <p class="error" role="alert">{w.error}</p>;
  if (w.ok) return <p class="ok" role="status">{w.ok}</p>;
  return null;
}

/** Field is a labelled input with the API's message for it underneath. */
function Field({ label, error, children }: { label: string; error?: string; children: ComponentChildren }) {
  return (
    <label>
      {label}
      {children}
      {error && <span class="field-error">{error}</span>}
    </label>
  );
}

function SaveButtons({ w, onCancel }: { w: Write; onCancel?: () => void }) {
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={w.busy}>{w.busy ? tr('saving') : tr('save')}</button>
      {onCancel && <button type="button" class="btn" onClick={onCancel}>{tr('cancel')}</button>}
    </div>
  );
}

const enc = encodeURIComponent;
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const className = (c?: Klass) => (c ? `${c.grade}${c.letter}` : '');
const staffName = (s: Staff[], id?: string) => s.find((x) => x.id === id)?.full_name ?? id ?? '';

/** currentYear is the year holding today, else the last one. */
function currentYear(years: Year[]): Year | undefined {
  const d = today();
  return years.find((y) => y.start <= d && d <= y.end) ?? years[years.length - 1];
}

function activeStaff(s: Staff[]): Staff[] {
  return s.filter((x) => !x.employment?.dismissed_on);
}

export default function Setup({ me, args, query }: ScreenProps) {
  const part: Part = (parts as readonly string[]).includes(args[0]) ? (args[0] as Part) : 'school';
  const allowed = can(me, 'school.write') || can(me, 'directory.write') || can(me, 'timetable.write');
  const years = useLoad<List<Year>>(allowed ? 'v1/years' : null);
  if (!allowed) {
    return (
      <section class="card refusal">
        <h2>{tr('title')}</h2>
        <p class="error" role="alert">{tr('refused')}</p>
      </section>
    );
  }
  const yearID = query.get('year') ?? (years.data ? currentYear(years.data.items)?.id : undefined);
  const q = yearID ? `?year=${enc(yearID)}` : '';
  const year = years.data?.items.find((y) => y.id === yearID);
  return (
    <section class="school">
      <div class="card">
        <h2>{tr('title')}</h2>
        <Tabs current={part} items={parts.map((p) => ({ id: p, href: `#/setup/${p}${q}`, label: tr(p) }))} />
        {yearParts.includes(part) && years.data && (
          <div class="filters">
            <label>
              {tr('year')}
              <select value={yearID} onChange={(e) => (location.hash = `#/setup/${part}?year=${enc(e.currentTarget.value)}`)}>
                {years.data.items.map((y) => <option key={y.id} value={y.id}>{y.name}</option>)}
              </select>
            </label>
          </div>
        )}
      </div>
      {part === 'school' && <SchoolPart me={me} />}
      {part === 'years' && <YearsPart me={me} years={years} />}
      {yearParts.includes(part) && (
        <Wait l={years}>
          {() =>
            !year ? (
              <p class="card muted">{tr('noYears')}</p>
            ) : (
              <>
                {part === 'calendar' && <CalendarPart key={year.id} me={me} year={year} />}
                {part === 'classes' && <ClassesPart me={me} year={year} />}
                {part === 'groups' && <GroupsPart me={me} year={year} classID={query.get('class') ?? ''} />}
                {part === 'assignments' && <AssignmentsPart me={me} year={year} classID={query.get('class') ?? ''} />}
                {part === 'grading' && <GradingPart key={year.id} me={me} year={year} />}
              </>
            )
          }
        </Wait>
      )}
      {part === 'subjects' && <SubjectsPart me={me} />}
    </section>
  );
}

// ---- The school ----

function SchoolPart({ me }: { me: Me }) {
  const l = useLoad<School>(`v1/schools/${enc(me.school_id)}`);
  const w = useWrite();
  const [draft, setDraft] = useState<Partial<School>>({});
  const editable = can(me, 'school.write', 'school');
  return (
    <div class="card">
      <h3>{tr('school')}</h3>
      <Wait l={l}>
        {(s) => {
          const v = { ...s, ...draft };
          const set = (k: keyof School) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
          const save = async (e: Event) => {
            e.preventDefault();
            const r = await w.run(() => call<School>('PATCH', `v1/schools/${enc(s.id)}`, { name: v.name, short_name: v.short_name ?? '', time_zone: v.time_zone, version: s.version }), l.reload);
            if (r) {
              setDraft({});
              l.reload();
            }
          };
          return (
            <form class="form" onSubmit={save}>
              <fieldset class="bare" disabled={!editable}>
                <div class="form">
                  <Field label={tr('name')} error={w.fields?.name}><input value={v.name} onInput={set('name')} maxLength={200} required /></Field>
                  <Field label={tr('shortName')} error={w.fields?.short_name}><input value={v.short_name ?? ''} onInput={set('short_name')} maxLength={60} /></Field>
                  <Field label={tr('timeZone')} error={w.fields?.time_zone}><input value={v.time_zone} onInput={set('time_zone')} required /></Field>
                </div>
              </fieldset>
              {editable ? <SaveButtons w={w} /> : <p class="muted">{tr('readOnly')}</p>}
              <Outcome w={w} />
            </form>
          );
        }}
      </Wait>
    </div>
  );
}

// ---- Years and terms ----

const termCount: Record<TermKind, number> = { quarters: 4, trimesters: 3, halves: 2 };
const termPrefix: Record<TermKind, string> = { quarters: 'q', trimesters: 't', halves: 'h' };

function YearsPart({ me, years }: { me: Me; years: Loaded<List<Year>> }) {
  const [editing, setEditing] = useState<string | null>(null);
  const w = useWrite();
  const editable = can(me, 'directory.write', 'school');
  const open = (id: string | null) => {
    w.clear();
    setEditing(id);
  };
  return (
    <div class="card">
      <h3>{tr('years')}</h3>
      <Wait l={years}>
        {(d) => {
          const rec = d.items.find((y) => y.id === editing);
          const save = async (v: Omit<Year, 'id' | 'version'>) => {
            const r = await w.run(
              () => (rec ? call('PATCH', `v1/years/${enc(rec.id)}`, { ...v, version: rec.version }) : call('POST', 'v1/years', v)),
              years.reload,
            );
            if (r) {
              setEditing(null);
              years.reload();
            }
          };
          return (
            <>
              {d.items.length === 0 && <p class="muted">{tr('noYears')}</p>}
              {d.items.length > 0 && (
                <div class="table-wrap">
                  <table class="data">
                    <thead><tr><th>{tr('year')}</th><th>{tr('start')}</th><th>{tr('end')}</th><th>{tr('terms')}</th>{editable && <th><span class="sr">{tr('edit')}</span></th>}</tr></thead>
                    <tbody>
                      {d.items.map((y) => (
                        <tr key={y.id}>
                          <td>{y.name}</td>
                          <td>{fmtDate(y.start)}</td>
                          <td>{fmtDate(y.end)}</td>
                          <td>{y.terms.map((t) => <div key={t.id}>{t.name}: {fmtDate(t.start)} — {fmtDate(t.end)}</div>)}</td>
                          {editable && <td><button type="button" class="btn" onClick={() => open(y.id)} aria-label={tr('editOf', { name: y.name })}>{tr('edit')}</button></td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {editable && editing === null && <div class="actions"><button type="button" class="btn" onClick={() => open('')}>{tr('newYear')}</button></div>}
              {editable && editing !== null && <YearForm key={editing} rec={rec} w={w} onSave={save} onCancel={() => open(null)} />}
              <Outcome w={w} />
            </>
          );
        }}
      </Wait>
    </div>
  );
}

function YearForm({ rec, w, onSave, onCancel }: { rec?: Year; w: Write; onSave: (v: Omit<Year, 'id' | 'version'>) => void; onCancel: () => void }) {
  const [v, setV] = useState<Omit<Year, 'id' | 'version'>>(
    rec ? { name: rec.name, start: rec.start, end: rec.end, term_kind: rec.term_kind, terms: rec.terms.map((t) => ({ ...t })) } : { name: '', start: '', end: '', term_kind: 'quarters', terms: resize([], 'quarters') },
  );
  const f = w.fields;
  const setTerm = (i: number, k: keyof Term, value: string) => setV({ ...v, terms: v.terms.map((t, j) => (j === i ? { ...t, [k]: value } : t)) });
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); onSave(v); }}>
      <h3>{rec ? tr('editYear', { name: rec.name }) : tr('newYear')}</h3>
      <div class="row">
        <Field label={tr('name')} error={f?.name}><input value={v.name} onInput={(e) => setV({ ...v, name: e.currentTarget.value })} maxLength={40} required /></Field>
        <Field label={tr('start')} error={f?.start}><input type="date" value={v.start} onInput={(e) => setV({ ...v, start: e.currentTarget.value })} required /></Field>
        <Field label={tr('end')} error={f?.end}><input type="date" value={v.end} onInput={(e) => setV({ ...v, end: e.currentTarget.value })} required /></Field>
        <Field label={tr('termKind')} error={f?.term_kind}>
          <select value={v.term_kind} onChange={(e) => { const k = e.currentTarget.value as TermKind; setV({ ...v, term_kind: k, terms: resize(v.terms, k) }); }}>
            {(['quarters', 'trimesters', 'halves'] as const).map((k) => <option key={k} value={k}>{tr(k)}</option>)}
          </select>
        </Field>
      </div>
      {f?.terms && <p class="field-error">{f.terms}</p>}
      {v.terms.map((t, i) => (
        <fieldset key={t.id}>
          <legend>{tr('term', { n: i + 1 })}</legend>
          <div class="row">
            <Field label={tr('name')} error={f?.[`terms[${i}].name`]}><input value={t.name} onInput={(e) => setTerm(i, 'name', e.currentTarget.value)} maxLength={40} required /></Field>
            <Field label={tr('start')} error={f?.[`terms[${i}].start`]}><input type="date" value={t.start} onInput={(e) => setTerm(i, 'start', e.currentTarget.value)} required /></Field>
            <Field label={tr('end')} error={f?.[`terms[${i}].end`]}><input type="date" value={t.end} onInput={(e) => setTerm(i, 'end', e.currentTarget.value)} required /></Field>
          </div>
        </fieldset>
      ))}
      <SaveButtons w={w} onCancel={onCancel} />
    </form>
  );
}

/** resize gives a year the number of terms its division needs, keeping those already typed. */
function resize(terms: Term[], kind: TermKind): Term[] {
  const out = terms.slice(0, termCount[kind]);
  for (let i = out.length; i < termCount[kind]; i++) {
    let id = `${termPrefix[kind]}${i + 1}`;
    while (out.some((t) => t.id === id)) id += 'x';
    out.push({ id, name: '', start: '', end: '' });
  }
  return out;
}

// ---- The calendar ----

function CalendarPart({ me, year }: { me: Me; year: Year }) {
  const l = useLoad<Calendar>(`v1/years/${enc(year.id)}/calendar`);
  return (
    <div class="card">
      <h3>{tr('calendar')}: {year.name}</h3>
      <Wait l={l}>{(c) => <CalendarForm cal={c} year={year} editable={can(me, 'timetable.write', 'school')} reload={l.reload} />}</Wait>
    </div>
  );
}

function CalendarForm({ cal, year, editable, reload }: { cal: Calendar; year: Year; editable: boolean; reload: () => void }) {
  const [v, setV] = useState<Calendar>(() => JSON.parse(JSON.stringify({ ...cal, extra_working_days: cal.extra_working_days ?? [], day_bells: cal.day_bells ?? {} })));
  const [dayBells, setDayBells] = useState<[string, string][]>(Object.entries(cal.day_bells ?? {}));
  const w = useWrite();
  const f = w.fields;
  const put = (p: Partial<Calendar>) => setV({ ...v, ...p });
  const setSchedule = (i: number, s: Schedule) => put({ bells: v.bells.map((b, j) => (j === i ? s : b)) });
  const extra = v.extra_working_days ?? [];
  async function save(e: Event) {
    e.preventDefault();
    const body = { working_days: v.working_days, holidays: v.holidays, extra_working_days: extra, bells: v.bells, day_bells: Object.fromEntries(dayBells.filter(([d]) => d)), version: cal.version };
    if (await w.run(() => call('PUT', `v1/years/${enc(year.id)}/calendar`, body), reload)) reload();
  }
  return (
    <form class="form" onSubmit={save}>
      {cal.version === 0 && <p class="muted">{tr('calendarDefault')}</p>}
      <fieldset class="bare" disabled={!editable}>
        <div class="form">
          <Field label={tr('workingDays')} error={f?.working_days}>
            <select value={String(v.working_days)} onChange={(e) => put({ working_days: Number(e.currentTarget.value) })}>
              <option value="5">{tr('five')}</option>
              <option value="6">{tr('six')}</option>
            </select>
          </Field>

          <fieldset>
            <legend>{tr('holidays')}</legend>
            {f?.holidays && <p class="field-error">{f.holidays}</p>}
            {v.holidays.map((h, i) => {
              const setH = (k: 'start' | 'end' | 'name', value: string) => put({ holidays: v.holidays.map((x, j) => (j === i ? { ...x, [k]: value } : x)) });
              return (
                <div class="row" key={i} role="group" aria-label={tr('holiday', { n: i + 1 })}>
                  <Field label={tr('name')} error={f?.[`holidays[${i}].name`]}><input value={h.name} onInput={(e) => setH('name', e.currentTarget.value)} maxLength={100} required /></Field>
                  <Field label={tr('start')} error={f?.[`holidays[${i}].start`]}><input type="date" min={year.start} max={year.end} value={h.start} onInput={(e) => setH('start', e.currentTarget.value)} required /></Field>
                  <Field label={tr('end')} error={f?.[`holidays[${i}].end`]}><input type="date" min={year.start} max={year.end} value={h.end} onInput={(e) => setH('end', e.currentTarget.value)} required /></Field>
                  <button type="button" class="btn danger" onClick={() => put({ holidays: v.holidays.filter((_, j) => j !== i) })} aria-label={`${tr('remove')}: ${tr('holiday', { n: i + 1 })}`}>{tr('remove')}</button>
                </div>
              );
            })}
            <button type="button" class="btn" onClick={() => put({ holidays: [...v.holidays, { name: '', start: '', end: '' }] })}>{tr('addHoliday')}</button>
          </fieldset>

          <fieldset>
            <legend>{tr('extraDays')}</legend>
            {extra.map((d, i) => (
              <div class="row" key={i}>
                <Field label={tr('extraDay', { n: i + 1 })} error={f?.[`extra_working_days[${i}]`]}>
                  <input type="date" min={year.start} max={year.end} value={d} onInput={(e) => { const val = e.currentTarget.value; put({ extra_working_days: extra.map((x, j) => (j === i ? val : x)) }); }} required />
                </Field>
                <button type="button" class="btn danger" onClick={() => put({ extra_working_days: extra.filter((_, j) => j !== i) })} aria-label={`${tr('remove')}: ${tr('extraDay', { n: i + 1 })}`}>{tr('remove')}</button>
              </div>
            ))}
            <button type="button" class="btn" onClick={() => put({ extra_working_days: [...extra, ''] })}>{tr('addExtraDay')}</button>
          </fieldset>

          <fieldset>
            <legend>{tr('bells')}</legend>
            {f?.bells && <p class="field-error">{f.bells}</p>}
            {v.bells.map((s, i) => (
              <BellEditor key={s.id} s={s} i={i} f={f} onChange={(x) => setSchedule(i, x)} onRemove={i > 0 ? () => put({ bells: v.bells.filter((_, j) => j !== i) }) : undefined} />
            ))}
            <button
              type="button"
              class="btn"
              onClick={() => {
                let n = v.bells.length + 1;
                while (v.bells.some((b) => b.id === `bells-${n}`)) n++;
                put({ bells: [...v.bells, { id: `bells-${n}`, name: '', periods: v.bells[0].periods.map((p) => ({ ...p })) }] });
              }}
            >
              {tr('addSchedule')}
            </button>
          </fieldset>

          <fieldset>
            <legend>{tr('dayBells')}</legend>
            {f?.day_bells && <p class="field-error">{f.day_bells}</p>}
            {dayBells.map(([d, id], i) => (
              <div class="row" key={i} role="group" aria-label={tr('dayBell', { n: i + 1 })}>
                <Field label={tr('date')} error={d ? f?.[`day_bells.${d}`] : undefined}>
                  <input type="date" min={year.start} max={year.end} value={d} onInput={(e) => { const val = e.currentTarget.value; setDayBells(dayBells.map((x, j) => (j === i ? [val, x[1]] : x))); }} />
                </Field>
                <Field label={tr('bellSchedule')}>
                  <select value={id} onChange={(e) => { const val = e.currentTarget.value; setDayBells(dayBells.map((x, j) => (j === i ? [x[0], val] : x))); }}>
                    {v.bells.map((b) => <option key={b.id} value={b.id}>{b.name || b.id}</option>)}
                  </select>
                </Field>
                <button type="button" class="btn danger" onClick={() => setDayBells(dayBells.filter((_, j) => j !== i))} aria-label={`${tr('remove')}: ${tr('dayBell', { n: i + 1 })}`}>{tr('remove')}</button>
              </div>
            ))}
            <button type="button" class="btn" onClick={() => setDayBells([...dayBells, ['', v.bells[v.bells.length - 1].id]])}>{tr('addDayBell')}</button>
          </fieldset>
        </div>
      </fieldset>
      {editable ? <SaveButtons w={w} /> : <p class="muted">{tr('readOnly')}</p>}
      <Outcome w={w} />
    </form>
  );
}

function BellEditor({ s, i, f, onChange, onRemove }: { s: Schedule; i: number; f: Fields; onChange: (s: Schedule) => void; onRemove?: () => void }) {
  const setP = (j: number, k: 'start' | 'end', value: string) => onChange({ ...s, periods: s.periods.map((p, n) => (n === j ? { ...p, [k]: value } : p)) });
  const at = `bells[${i}]`;
  return (
    <fieldset>
      <legend>{tr('schedule', { n: i + 1 })}</legend>
      <Field label={tr('name')} error={f?.[`${at}.name`]}><input value={s.name} onInput={(e) => onChange({ ...s, name: e.currentTarget.value })} maxLength={60} required /></Field>
      {f?.[`${at}.periods`] && <p class="field-error">{f[`${at}.periods`]}</p>}
      <div class="table-wrap">
        <table class="data">
          <thead><tr><th>{tr('period')}</th><th>{tr('start')}</th><th>{tr('end')}</th></tr></thead>
          <tbody>
            {s.periods.map((p, j) => (
              <tr key={j}>
                <th scope="row">{p.period}</th>
                <td>
                  <input type="time" aria-label={tr('periodStart', { n: p.period })} value={p.start} onInput={(e) => setP(j, 'start', e.currentTarget.value)} required />
                  {f?.[`${at}.periods[${j}].start`] && <span class="field-error">{f[`${at}.periods[${j}].start`]}</span>}
                </td>
                <td>
                  <input type="time" aria-label={tr('periodEnd', { n: p.period })} value={p.end} onInput={(e) => setP(j, 'end', e.currentTarget.value)} required />
                  {f?.[`${at}.periods[${j}].end`] && <span class="field-error">{f[`${at}.periods[${j}].end`]}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="actions">
        {s.periods.length < 12 && (
          <button type="button" class="btn" onClick={() => {
            const last = s.periods[s.periods.length - 1];
            onChange({ ...s, periods: [...s.periods, { period: (last?.period ?? 0) + 1, start: '', end: '' }] });
          }}>{tr('addPeriod')}</button>
        )}
        {s.periods.length > 1 && <button type="button" class="btn" onClick={() => onChange({ ...s, periods: s.periods.slice(0, -1) })}>{tr('removePeriod')}</button>}
        {onRemove && <button type="button" class="btn danger" onClick={onRemove}>{tr('removeSchedule')}</button>}
      </div>
    </fieldset>
  );
}

// ---- Classes ----

function ClassesPart({ me, year }: { me: Me; year: Year }) {
  const classes = useLoad<List<Klass>>(`v1/classes?year_id=${enc(year.id)}`);
  const staff = useLoad<List<Staff>>('v1/staff');
  const [editing, setEditing] = useState<string | null>(null);
  const w = useWrite();
  const editable = can(me, 'directory.write', 'school');
  const open = (id: string | null) => {
    w.clear();
    setEditing(id);
  };
  return (
    <div class="card">
      <h3>{tr('classes')}: {year.name}</h3>
      <Wait l={classes}>
        {(d) => {
          const people = staff.data?.items ?? [];
          const rec = d.items.find((c) => c.id === editing);
          const save = async (v: { grade: number; letter: string; class_teacher_id: string }) => {
            const r = await w.run(
              () =>
                rec
                  ? call('PATCH', `v1/classes/${enc(rec.id)}`, { ...v, version: rec.version })
                  : call('POST', 'v1/classes', { year_id: year.id, grade: v.grade, letter: v.letter, ...(v.class_teacher_id ? { class_teacher_id: v.class_teacher_id } : {}) }),
              classes.reload,
            );
            if (r) {
              setEditing(null);
              classes.reload();
            }
          };
          return (
            <>
              {d.items.length === 0 ? <p class="muted">{tr('empty')}</p> : (
                <div class="table-wrap">
                  <table class="data">
                    <thead><tr><th>{tr('klass')}</th><th>{tr('classTeacher')}</th>{editable && <th><span class="sr">{tr('edit')}</span></th>}</tr></thead>
                    <tbody>
                      {d.items.map((c) => (
                        <tr key={c.id}>
                          <td>{className(c)}</td>
                          <td>{c.class_teacher_id ? staffName(people, c.class_teacher_id) : '—'}</td>
                          {editable && <td><button type="button" class="btn" onClick={() => open(c.id)} aria-label={tr('editOf', { name: className(c) })}>{tr('edit')}</button></td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {editable && editing === null && <div class="actions"><button type="button" class="btn" onClick={() => open('')}>{tr('newClass')}</button></div>}
              {editable && editing !== null && (
                <ClassForm key={editing} rec={rec} staff={activeStaff(people)} w={w} onSave={save} onCancel={() => open(null)} />
              )}
              <Outcome w={w} />
            </>
          );
        }}
      </Wait>
    </div>
  );
}

function ClassForm({ rec, staff, w, onSave, onCancel }: { rec?: Klass; staff: Staff[]; w: Write; onSave: (v: { grade: number; letter: string; class_teacher_id: string }) => void; onCancel: () => void }) {
  const [v, setV] = useState({ grade: rec?.grade ?? 1, letter: rec?.letter ?? '', class_teacher_id: rec?.class_teacher_id ?? '' });
  const f = w.fields;
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); onSave(v); }}>
      <h3>{rec ? tr('editOf', { name: className(rec) }) : tr('newClass')}</h3>
      <div class="row">
        <Field label={tr('grade')} error={f?.grade}>
          <select value={String(v.grade)} onChange={(e) => setV({ ...v, grade: Number(e.currentTarget.value) })}>
            {Array.from({ length: 11 }, (_, i) => <option key={i} value={String(i + 1)}>{i + 1}</option>)}
          </select>
        </Field>
        <Field label={tr('letter')} error={f?.letter}><input value={v.letter} onInput={(e) => setV({ ...v, letter: e.currentTarget.value.toUpperCase() })} maxLength={2} required /></Field>
        <Field label={tr('classTeacher')} error={f?.class_teacher_id}>
          <select value={v.class_teacher_id} onChange={(e) => setV({ ...v, class_teacher_id: e.currentTarget.value })}>
            <option value="">{tr('none')}</option>
            {staff.map((s) => <option key={s.id} value={s.id}>{s.full_name}</option>)}
          </select>
        </Field>
      </div>
      <SaveButtons w={w} onCancel={onCancel} />
    </form>
  );
}

// ---- Subjects ----

function SubjectsPart({ me }: { me: Me }) {
  const subjects = useLoad<List<Subject>>('v1/subjects');
  const [editing, setEditing] = useState<string | null>(null);
  const w = useWrite();
  const editable = can(me, 'directory.write', 'school');
  const open = (id: string | null) => {
    w.clear();
    setEditing(id);
  };
  return (
    <div class="card">
      <h3>{tr('subjects')}</h3>
      {editable && editing === null && <div class="actions"><button type="button" class="btn" onClick={() => open('')}>{tr('newSubject')}</button></div>}
      <Wait l={subjects}>
        {(d) => {
          const rec = d.items.find((s) => s.id === editing);
          const save = async (v: { name: string; short_name: string; grades: number[] }) => {
            const r = await w.run(
              () => (rec ? call('PATCH', `v1/subjects/${enc(rec.id)}`, { ...v, version: rec.version }) : call('POST', 'v1/subjects', v)),
              subjects.reload,
            );
            if (r) {
              setEditing(null);
              subjects.reload();
            }
          };
          return (
            <>
              {editable && editing !== null && <SubjectForm key={editing} rec={rec} w={w} onSave={save} onCancel={() => open(null)} />}
              <Outcome w={w} />
              {d.items.length === 0 ? <p class="muted">{tr('empty')}</p> : (
                <div class="table-wrap">
                  <table class="data">
                    <thead><tr><th>{tr('name')}</th><th>{tr('shortName')}</th><th>{tr('gradesCol')}</th>{editable && <th><span class="sr">{tr('edit')}</span></th>}</tr></thead>
                    <tbody>
                      {d.items.map((s) => (
                        <tr key={s.id}>
                          <td>{s.name}</td>
                          <td>{s.short_name}</td>
                          <td>{s.grades?.length ? s.grades.join(', ') : tr('allGrades')}</td>
                          {editable && <td><button type="button" class="btn" onClick={() => open(s.id)} aria-label={tr('editOf', { name: s.name })}>{tr('edit')}</button></td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </Wait>
    </div>
  );
}

function SubjectForm({ rec, w, onSave, onCancel }: { rec?: Subject; w: Write; onSave: (v: { name: string; short_name: string; grades: number[] }) => void; onCancel: () => void }) {
  const [v, setV] = useState({ name: rec?.name ?? '', short_name: rec?.short_name ?? '', grades: rec?.grades ?? [] });
  const f = w.fields;
  const toggle = (g: number) => setV({ ...v, grades: v.grades.includes(g) ? v.grades.filter((x) => x !== g) : [...v.grades, g].sort((a, b) => a - b) });
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); onSave(v); }}>
      <h3>{rec ? tr('editOf', { name: rec.name }) : tr('newSubject')}</h3>
      <div class="row">
        <Field label={tr('name')} error={f?.name}><input value={v.name} onInput={(e) => setV({ ...v, name: e.currentTarget.value })} maxLength={100} required /></Field>
        <Field label={tr('shortName')} error={f?.short_name}><input value={v.short_name} onInput={(e) => setV({ ...v, short_name: e.currentTarget.value })} maxLength={12} required /></Field>
      </div>
      <fieldset>
        <legend>{tr('grades')}</legend>
        <div class="checks">
          {Array.from({ length: 11 }, (_, i) => i + 1).map((g) => (
            <label key={g}><input type="checkbox" checked={v.grades.includes(g)} onChange={() => toggle(g)} />{g}</label>
          ))}
        </div>
        {f?.grades && <span class="field-error">{f.grades}</span>}
      </fieldset>
      <SaveButtons w={w} onCancel={onCancel} />
    </form>
  );
}

// ---- Groups and assignments (per class) ----

function ClassPicker({ part, year, classes, classID }: { part: Part; year: Year; classes: Klass[]; classID: string }) {
  return (
    <div class="filters">
      <label>
        {tr('klass')}
        <select value={classID} onChange={(e) => (location.hash = `#/setup/${part}?year=${enc(year.id)}&class=${enc(e.currentTarget.value)}`)}>
          <option value="">{tr('chooseClass')}</option>
          {classes.map((c) => <option key={c.id} value={c.id}>{className(c)}</option>)}
        </select>
      </label>
    </div>
  );
}

function GroupsPart({ me, year, classID }: { me: Me; year: Year; classID: string }) {
  const classes = useLoad<List<Klass>>(`v1/classes?year_id=${enc(year.id)}`);
  const groups = useLoad<List<Group>>(classID ? `v1/groups?class_id=${enc(classID)}` : null);
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState('');
  const w = useWrite();
  const editable = can(me, 'directory.write', 'school');
  const open = (g: Group | null | '') => {
    w.clear();
    setEditing(g === null ? null : g === '' ? '' : g.id);
    setName(g ? g.name : '');
  };
  return (
    <div class="card">
      <h3>{tr('groups')}</h3>
      <Wait l={classes}>{(d) => <ClassPicker part="groups" year={year} classes={d.items} classID={classID} />}</Wait>
      {!classID && <p class="muted">{tr('chooseClass')}</p>}
      {classID && (
        <Wait l={groups}>
          {(d) => {
            const rec = d.items.find((g) => g.id === editing);
            const save = async (e: Event) => {
              e.preventDefault();
              const r = await w.run(
                () => (rec ? call('PATCH', `v1/groups/${enc(rec.id)}`, { name, version: rec.version }) : call('POST', 'v1/groups', { class_id: classID, name })),
                groups.reload,
              );
              if (r) {
                setEditing(null);
                groups.reload();
              }
            };
            return (
              <>
                {d.items.length === 0 ? <p class="muted">{tr('empty')}</p> : (
                  <ul class="event-list">
                    {d.items.map((g) => (
                      <li key={g.id} class="actions">
                        <span>{g.name}</span>
                        {editable && <button type="button" class="btn" onClick={() => open(g)} aria-label={tr('editOf', { name: g.name })}>{tr('edit')}</button>}
                      </li>
                    ))}
                  </ul>
                )}
                {editable && editing === null && <div class="actions"><button type="button" class="btn" onClick={() => open('')}>{tr('newGroup')}</button></div>}
                {editable && editing !== null && (
                  <form class="form" onSubmit={save}>
                    <h3>{rec ? tr('editOf', { name: rec.name }) : tr('newGroup')}</h3>
                    <Field label={tr('name')} error={w.fields?.name}><input value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={60} required /></Field>
                    <SaveButtons w={w} onCancel={() => open(null)} />
                  </form>
                )}
                <Outcome w={w} />
              </>
            );
          }}
        </Wait>
      )}
    </div>
  );
}

interface AssignmentValues { subject_id: string; teacher_id: string; group_id: string; hours_per_week: number }

function AssignmentsPart({ me, year, classID }: { me: Me; year: Year; classID: string }) {
  const classes = useLoad<List<Klass>>(`v1/classes?year_id=${enc(year.id)}`);
  const list = useLoad<List<Assignment>>(classID ? `v1/assignments?year_id=${enc(year.id)}&class_id=${enc(classID)}` : null);
  const subjects = useLoad<List<Subject>>('v1/subjects');
  const staff = useLoad<List<Staff>>('v1/staff');
  const groups = useLoad<List<Group>>(classID ? `v1/groups?class_id=${enc(classID)}` : null);
  const [editing, setEditing] = useState<string | null>(null);
  const w = useWrite();
  const editable = can(me, 'directory.write', 'school');
  const open = (id: string | null) => {
    w.clear();
    setEditing(id);
  };
  const klass = classes.data?.items.find((c) => c.id === classID);
  const subjectsOf = (subjects.data?.items ?? []).filter((s) => !klass || !s.grades?.length || s.grades.includes(klass.grade));
  const subjectName = (id: string) => subjects.data?.items.find((s) => s.id === id)?.name ?? id;
  const groupName = (id?: string) => (id ? groups.data?.items.find((g) => g.id === id)?.name ?? id : tr('wholeClass'));
  return (
    <div class="card">
      <h3>{tr('assignments')}</h3>
      <Wait l={classes}>{(d) => <ClassPicker part="assignments" year={year} classes={d.items} classID={classID} />}</Wait>
      {!classID && <p class="muted">{tr('chooseClass')}</p>}
      {classID && (
        <Wait l={list}>
          {(d) => {
            const people = staff.data?.items ?? [];
            const rec = d.items.find((a) => a.id === editing);
            const save = async (v: AssignmentValues) => {
              const r = await w.run(
                () =>
                  rec
                    ? call('PATCH', `v1/assignments/${enc(rec.id)}`, { ...v, version: rec.version })
                    : call('POST', 'v1/assignments', { year_id: year.id, class_id: classID, subject_id: v.subject_id, teacher_id: v.teacher_id, hours_per_week: v.hours_per_week, ...(v.group_id ? { group_id: v.group_id } : {}) }),
                list.reload,
              );
              if (r) {
                setEditing(null);
                list.reload();
              }
            };
            return (
              <>
                {d.items.length === 0 ? <p class="muted">{tr('empty')}</p> : (
                  <div class="table-wrap">
                    <table class="data">
                      <thead><tr><th>{tr('subject')}</th><th>{tr('group')}</th><th>{tr('teacher')}</th><th class="num">{tr('hours')}</th>{editable && <th><span class="sr">{tr('edit')}</span></th>}</tr></thead>
                      <tbody>
                        {d.items.map((a) => (
                          <tr key={a.id}>
                            <td>{subjectName(a.subject_id)}</td>
                            <td>{groupName(a.group_id)}</td>
                            <td>{staffName(people, a.teacher_id)}</td>
                            <td class="num">{a.hours_per_week ?? '—'}</td>
                            {editable && <td><button type="button" class="btn" onClick={() => open(a.id)} aria-label={tr('editOf', { name: `${subjectName(a.subject_id)}, ${groupName(a.group_id)}` })}>{tr('edit')}</button></td>}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                {editable && editing === null && <div class="actions"><button type="button" class="btn" onClick={() => open('')}>{tr('newAssignment')}</button></div>}
                {editable && editing !== null && (
                  <AssignmentForm key={editing} rec={rec} w={w} subjects={subjectsOf} staff={activeStaff(people)} groups={groups.data?.items ?? []} onSave={save} onCancel={() => open(null)} />
                )}
                <Outcome w={w} />
              </>
            );
          }}
        </Wait>
      )}
    </div>
  );
}

function AssignmentForm(p: { rec?: Assignment; w: Write; subjects: Subject[]; staff: Staff[]; groups: Group[]; onSave: (v: AssignmentValues) => void; onCancel: () => void }) {
  const { rec, w } = p;
  const [v, setV] = useState<AssignmentValues>({ subject_id: rec?.subject_id ?? '', teacher_id: rec?.teacher_id ?? '', group_id: rec?.group_id ?? '', hours_per_week: rec?.hours_per_week ?? 1 });
  const f = w.fields;
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); p.onSave(v); }}>
      <h3>{rec ? tr('edit') : tr('newAssignment')}</h3>
      <div class="row">
        <Field label={tr('subject')} error={f?.subject_id}>
          <select value={v.subject_id} onChange={(e) => setV({ ...v, subject_id: e.currentTarget.value })} required>
            <option value="" />
            {p.subjects.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </Field>
        <Field label={tr('group')} error={f?.group_id}>
          <select value={v.group_id} onChange={(e) => setV({ ...v, group_id: e.currentTarget.value })}>
            <option value="">{tr('wholeClass')}</option>
            {p.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        </Field>
        <Field label={tr('teacher')} error={f?.teacher_id}>
          <select value={v.teacher_id} onChange={(e) => setV({ ...v, teacher_id: e.currentTarget.value })} required>
            <option value="" />
            {p.staff.map((s) => <option key={s.id} value={s.id}>{s.full_name}</option>)}
          </select>
        </Field>
        <Field label={tr('hours')} error={f?.hours_per_week}>
          <input type="number" min={0} max={40} value={v.hours_per_week} onInput={(e) => setV({ ...v, hours_per_week: Number(e.currentTarget.value) })} />
        </Field>
      </div>
      <SaveButtons w={w} onCancel={p.onCancel} />
    </form>
  );
}

// ---- Grading settings ----

function GradingPart({ me, year }: { me: Me; year: Year }) {
  const l = useLoad<Grading>(`v1/grading-settings?year_id=${enc(year.id)}`);
  const editable = can(me, 'directory.write', 'school') || can(me, 'school.write', 'school');
  return (
    <div class="card">
      <h3>{tr('grading')}: {year.name}</h3>
      <Wait l={l}>{(g) => <GradingForm g={g} year={year} editable={editable} reload={l.reload} />}</Wait>
    </div>
  );
}

function GradingForm({ g, year, editable, reload }: { g: Grading; year: Year; editable: boolean; reload: () => void }) {
  const [v, setV] = useState<Grading>(() => JSON.parse(JSON.stringify(g)));
  const w = useWrite();
  const f = w.fields;
  const setType = (i: number, t: Partial<WorkType>) => setV({ ...v, work_types: v.work_types.map((x, j) => (j === i ? { ...x, ...t } : x)) });
  async function save(e: Event) {
    e.preventDefault();
    const body = { ...v, version: g.version, work_types: v.work_types.map((t) => ({ id: t.id, name: t.name, weight: t.weight, ...(t.default ? { default: true } : {}) })) };
    if (await w.run(() => call('PUT', `v1/grading-settings?year_id=${enc(year.id)}`, body), reload)) reload();
  }
  return (
    <form class="form" onSubmit={save}>
      {g.version === 0 && <p class="muted">{tr('gradingDefault')}</p>}
      <fieldset class="bare" disabled={!editable}>
        <div class="form">
          <fieldset>
            <legend>{tr('workTypes')}</legend>
            {f?.work_types && <p class="field-error">{f.work_types}</p>}
            <div class="table-wrap">
              <table class="data work-types">
                <thead><tr><th>{tr('workTypeId')}</th><th>{tr('name')}</th><th>{tr('weight')}</th><th>{tr('isDefault')}</th><th><span class="sr">{tr('remove')}</span></th></tr></thead>
                <tbody>
                  {v.work_types.map((t, i) => {
                    const label = t.name || t.id || String(i + 1);
                    const e = (k: string) => f?.[`work_types[${i}].${k}`] && <span class="field-error">{f[`work_types[${i}].${k}`]}</span>;
                    return (
                      <tr key={i}>
                        <td><input value={t.id} aria-label={`${tr('workTypeId')}: ${label}`} onInput={(ev) => setType(i, { id: ev.currentTarget.value })} pattern="[A-Za-z0-9_-]{1,64}" size={10} required />{e('id')}</td>
                        <td><input value={t.name} aria-label={`${tr('name')}: ${label}`} onInput={(ev) => setType(i, { name: ev.currentTarget.value })} maxLength={60} required />{e('name')}</td>
                        <td><input type="number" aria-label={`${tr('weight')}: ${label}`} min={0.1} max={10} step={0.1} value={t.weight} onInput={(ev) => setType(i, { weight: Number(ev.currentTarget.value) })} required />{e('weight')}</td>
                        <td><input type="radio" name="default-type" checked={!!t.default} aria-label={tr('defaultOf', { name: label })} onChange={() => setV({ ...v, work_types: v.work_types.map((x, j) => ({ ...x, default: j === i })) })} /></td>
                        <td><button type="button" class="btn danger" onClick={() => setV({ ...v, work_types: v.work_types.filter((_, j) => j !== i) })} aria-label={`${tr('remove')}: ${label}`}>{tr('remove')}</button></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <button type="button" class="btn" onClick={() => setV({ ...v, work_types: [...v.work_types, { id: `type-${v.work_types.length + 1}`, name: '', weight: 1 }] })}>{tr('addWorkType')}</button>
          </fieldset>
          <div class="checks"><label><input type="checkbox" checked={v.allow_one} onChange={(e) => setV({ ...v, allow_one: e.currentTarget.checked })} />{tr('allowOne')}</label></div>
          <div class="row">
            <Field label={tr('averaging')} error={f?.averaging}>
              <select value={v.averaging} onChange={(e) => setV({ ...v, averaging: e.currentTarget.value as Grading['averaging'] })}>
                <option value="weighted">{tr('weighted')}</option>
                <option value="plain">{tr('plain')}</option>
              </select>
            </Field>
            <Field label={tr('roundUp')} error={f?.round_up_from}><input type="number" min={0.5} max={0.99} step={0.01} value={v.round_up_from} onInput={(e) => setV({ ...v, round_up_from: Number(e.currentTarget.value) })} /></Field>
            <Field label={tr('editWindow')} error={f?.edit_window_days}><input type="number" min={0} max={365} value={v.edit_window_days} onInput={(e) => setV({ ...v, edit_window_days: Number(e.currentTarget.value) })} /></Field>
            <Field label={tr('minMarks')} error={f?.min_marks_for_term}><input type="number" min={1} max={50} value={v.min_marks_for_term} onInput={(e) => setV({ ...v, min_marks_for_term: Number(e.currentTarget.value) })} /></Field>
          </div>
        </div>
      </fieldset>
      {editable ? <SaveButtons w={w} /> : <p class="muted">{tr('readOnly')}</p>}
      <Outcome w={w} />
    </form>
  );
}
