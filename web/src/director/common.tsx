// Shared pieces of the director's and head teacher's screens (dashboard, reports, early warnings): the report
// models the API answers, loading a report (with the whole-school 413), the background job flow, the filters kept
// in the hash route, and hand-made SVG charts with a table as their text alternative.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, type Me } from '../api';
import { strings } from '../i18n';
import { loadDirectory, today, type Directory, type SchoolClass, type Year } from '../model';
import { download, errorText, fmtNum } from '../ui';
import './director.css';

export const tr = strings({
  ru: {
    year: 'Учебный год',
    period: 'Период',
    wholeYear: 'Год',
    cls: 'Класс',
    grade: 'Параллель',
    gradeN: '{n} кл.',
    subject: 'Предмет',
    teacher: 'Учитель',
    definition: 'Определение',
    byStudents: 'по ученикам',
    byMarks: 'по отметкам',
    on: 'На дату',
    from: 'С',
    to: 'По',
    all: 'Все',
    allSchool: 'Вся школа',
    success: 'Успеваемость',
    quality: 'Качество знаний',
    sou: 'СОУ',
    average: 'Средний балл',
    attendance: 'Посещаемость',
    roll: 'Учеников',
    counted: 'С отметками',
    noData: 'Нет данных за выбранный период.',
    table: 'Таблица',
    jobIntro: 'Можно сформировать отчёт в фоне: это займёт до нескольких минут, страницу можно не закрывать.',
    jobFormat: 'Результат',
    onScreen: 'на экране',
    runJob: 'Сформировать в фоне',
    jobQueued: 'Отчёт в очереди…',
    jobRunning: 'Отчёт формируется…',
    jobDone: 'Готово: {name}',
    jobShown: 'Отчёт сформирован и показан ниже.',
    jobFailed: 'Отчёт не сформирован: {error}',
    downloadAgain: 'Скачать',
    retry: 'Повторить',
    schoolTotal: 'Вся школа',
    pct: '{v} %',
    loadingReport: 'Отчёт загружается…',
    more: 'Показать ещё {n}',
    shown: 'Показано {n} из {total}',
  },
  en: {
    year: 'School year',
    period: 'Period',
    wholeYear: 'Year',
    cls: 'Class',
    grade: 'Grade',
    gradeN: 'Grade {n}',
    subject: 'Subject',
    teacher: 'Teacher',
    definition: 'Definition',
    byStudents: 'by students',
    byMarks: 'by marks',
    on: 'On',
    from: 'From',
    to: 'To',
    all: 'All',
    allSchool: 'Whole school',
    success: 'Success',
    quality: 'Quality',
    sou: 'SOU',
    average: 'Average mark',
    attendance: 'Attendance',
    roll: 'Students',
    counted: 'With marks',
    noData: 'No data for the chosen period.',
    table: 'Table',
    jobIntro: 'The report can be built in the background: it may take a few minutes; keep this page open.',
    jobFormat: 'Result',
    onScreen: 'on screen',
    runJob: 'Build in the background',
    jobQueued: 'The report is queued…',
    jobRunning: 'The report is being built…',
    jobDone: 'Done: {name}',
    jobShown: 'The report is built and shown below.',
    jobFailed: 'The report was not built: {error}',
    downloadAgain: 'Download',
    retry: 'Retry',
    schoolTotal: 'Whole school',
    pct: '{v} %',
    loadingReport: 'Loading the report…',
    more: 'Show {n} more',
    shown: 'Showing {n} of {total}',
  },
});

// ---- Report models (internal/ejournal reports.go, forecast.go, analysis.go, records.go). Figures are numbers
// with two decimals, absent where their base is 0.

export interface Figures {
  roll: number; students: number; marks: number; n: number;
  n5: number; n4: number; n3: number; n2: number; na: number; exempt: number; no_mark: number;
  incomplete: number; excellent: number; good: number; satisfactory: number; failing: number;
  success?: number; quality?: number; sou?: number; average?: number;
}
export interface SubjectFigures { subject_id: string; subject_name?: string; figures: Figures }
export interface Performance {
  period: string; end: string; definition: string; definition_text: string; rounding: string;
  school: Figures;
  classes: { class_id: string; class_name?: string; grade?: number; figures: Figures; subjects: SubjectFigures[] }[];
  parallels: { grade: number; class_ids: string[]; figures: Figures; subjects: SubjectFigures[] }[];
  subjects: SubjectFigures[];
  teachers: { teacher_id: string; figures: Figures; lines: { class_id: string; subject_id: string; figures: Figures }[] }[];
}
export interface AttFigures { held: number; missed: number; ill: number; excused: number; unexcused: number; late: number; unrecorded: number; percent?: number }
export interface Attendance {
  from: string; to: string; school: AttFigures;
  classes: { class_id: string; class_name?: string; lessons: number; figures: AttFigures; students: { student_id: string; name: string; arrived?: string; figures: AttFigures }[] }[];
}
export interface TermFigures { period: string; figures: Figures; quality_change?: number; success_change?: number }
export interface Trend {
  subject_id: string; definition: string; school: TermFigures[];
  parallels: { grade: number; terms: TermFigures[] }[];
  classes: { class_id: string; class_name?: string; terms: TermFigures[] }[];
}
export interface RiskFlag { kind: string; severity: string; subject_id?: string; reason: string; numbers: Record<string, unknown> }
export interface SubjectForecast {
  student_id: string; subject_id: string; average: { count: number; value: number }; remaining: number;
  projected?: string; confirmed?: string; attendance: AttFigures; flags: RiskFlag[];
}
export interface Forecast {
  term: string; on: string; definition: string; settings: { min_marks?: number; min_attendance?: number; absence_run?: number };
  students: { student_id: string; name: string; class_id: string; subjects: SubjectForecast[]; flags: RiskFlag[] }[];
  classes: { class_id: string; class_name?: string; figures: Figures; subjects: SubjectFigures[] }[];
}

/** Job is a report built in the background (GET /v1/reports/jobs/{id}). */
export interface Job {
  id: string; kind: string; params: Record<string, string>; format: string;
  state: 'queued' | 'running' | 'done' | 'failed'; error?: string; file_name?: string; size?: number; file_url?: string;
}

// ---- Formatting.

/** pct is "85,5 %", or a dash when the figure is absent. */
export function pct(v: number | undefined): string {
  return v === undefined || v === null ? '—' : tr('pct', { v: fmtNum(v) });
}

/** signed is a change with its sign: "+5", "−2,5". */
export function signed(v: number | undefined): string {
  if (v === undefined || v === null) return '';
  return v > 0 ? `+${fmtNum(v)}` : v < 0 ? `−${fmtNum(-v)}` : '0';
}

/** byClassOrder sorts classes by grade, then letter. */
export function byClassOrder(a: SchoolClass, b: SchoolClass): number {
  return a.grade - b.grade || a.letter.localeCompare(b.letter, 'ru');
}

// ---- The directory: years, classes, subjects (shared with the app) and the staff's names.

export interface Staff { id: string; full_name: string; last_name?: string; first_name?: string; middle_name?: string; roles?: string[] }

/** Dir is what the filters and tables name: the app's directory and the staff. */
export interface Dir extends Directory { staff: Map<string, Staff> }

let staff: { who: string; list: Promise<Staff[]> } | null = null;

/** loadDir reads the directory and the staff (once per person signed in; the staff's names may be refused: then
 * the tables show ids). */
export function loadDir(me: Me): Promise<Dir> {
  const who = `${me.school_id}/${me.id}`;
  if (staff?.who !== who) {
    const list = call<{ items: Staff[] }>('GET', 'v1/staff').then((r) => r.items, () => {
      staff = null;
      return [] as Staff[];
    });
    staff = { who, list };
  }
  return Promise.all([loadDirectory(), staff.list]).then(([d, s]) => ({ ...d, staff: new Map(s.map((x) => [x.id, x])) }));
}

/** useDir loads the directory for a screen. */
export function useDir(me: Me): { dir?: Dir; error?: string } {
  const [state, setState] = useState<{ dir?: Dir; error?: string }>({});
  useEffect(() => {
    loadDir(me).then((dir) => setState({ dir }), (e) => setState({ error: errorText(e) }));
  }, [me.id]);
  return state;
}

/** shortName is "Леонова А. В." for a staff member, or the id when unknown. */
export function staffName(d: Dir, id: string): string {
  const s = d.staff.get(id);
  if (!s) return id;
  if (!s.last_name) return s.full_name;
  return [s.last_name, s.first_name ? `${s.first_name[0]}.` : '', s.middle_name ? `${s.middle_name[0]}.` : ''].filter(Boolean).join(' ');
}

/** yearOf is the chosen year, else the one that holds today, else the last. */
export function yearOf(d: Dir, id: string | null): Year | undefined {
  const t = today();
  return d.years.find((y) => y.id === id) ?? d.years.find((y) => y.start <= t && t <= y.end) ?? d.years[d.years.length - 1];
}

/** currentTerm is the term of y that holds today, else the last one begun, else the first. */
export function currentTerm(y: Year | undefined): string {
  if (!y || y.terms.length === 0) return 'year';
  const t = today();
  let id = y.terms[0].id;
  for (const x of y.terms) if (x.start <= t) id = x.id;
  return id;
}

/** classesOf are the year's classes in grade and letter order. */
export function classesOf(d: Dir, y: Year | undefined): SchoolClass[] {
  return [...d.classes.values()].filter((c) => !y || c.year_id === y.id).sort(byClassOrder);
}

/** periodName is the term's name, or "Год". */
export function periodName(y: Year | undefined, id: string): string {
  if (id === 'year') return tr('wholeYear');
  return y?.terms.find((t) => t.id === id)?.name ?? id;
}

// ---- The hash route's query as the report's filters.

/** setRoute moves to #/<name>/<args…>?<params> without the empty params. */
export function setRoute(name: string, args: string[], params: Record<string, string>): void {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
  const s = q.toString();
  location.hash = `#/${[name, ...args].map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

/** queryOf is a URLSearchParams as a plain object. */
export function queryOf(q: URLSearchParams): Record<string, string> {
  return Object.fromEntries(q.entries());
}

/** apiQuery keeps the given parameters that have a value, as a query string with its "?". */
export function apiQuery(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export type Field = 'year_id' | 'period' | 'class_id' | 'grade' | 'subject_id' | 'teacher_id' | 'definition' | 'on' | 'from' | 'to';

/** Filters are the selects and dates of a report; each change moves to a new hash route (so a reload or a link
 * keeps them). values are the effective ones (defaults filled in); errors are the API's, next to their field. */
export function Filters(p: {
  dir: Dir;
  fields: Field[];
  values: Record<string, string>;
  onChange: (name: Field, value: string) => void;
  periodYear?: boolean;
  required?: Field[];
  allClasses?: string;
  errors?: Record<string, string>;
  children?: ComponentChildren;
}) {
  const y = yearOf(p.dir, p.values.year_id ?? null);
  const classes = classesOf(p.dir, y);
  const grades = [...new Set(classes.map((c) => c.grade))];
  const subjects = [...p.dir.subjects.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  const teachers = [...p.dir.staff.values()].filter((s) => !s.roles || s.roles.some((r) => r.includes('teacher'))).sort((a, b) => a.full_name.localeCompare(b.full_name, 'ru'));
  const req = (f: Field) => p.required?.includes(f);
  const field = (f: Field, label: string, control: ComponentChildren) => (
    <label key={f} class={p.errors?.[f] ? 'bad' : undefined}>
      {label}
      {control}
      {p.errors?.[f] && <span class="error field-error" role="alert">{p.errors[f]}</span>}
    </label>
  );
  const select = (f: Field, options: [string, string][], all?: string) => (
    <select name={f} value={p.values[f] ?? ''} onChange={(e) => p.onChange(f, e.currentTarget.value)} aria-invalid={p.errors?.[f] ? true : undefined}>
      {!req(f) && all !== undefined && <option value="">{all}</option>}
      {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
    </select>
  );
  const date = (f: Field) => (
    <input type="date" name={f} value={p.values[f] ?? ''} onChange={(e) => p.onChange(f, e.currentTarget.value)} aria-invalid={p.errors?.[f] ? true : undefined} />
  );
  const controls: Record<Field, () => ComponentChildren> = {
    year_id: () => p.dir.years.length > 1 && field('year_id', tr('year'), select('year_id', p.dir.years.map((x) => [x.id, x.name]))),
    period: () => field('period', tr('period'), select('period', [...(y?.terms ?? []).map((t): [string, string] => [t.id, t.name]), ...(p.periodYear ? [['year', tr('wholeYear')] as [string, string]] : [])])),
    class_id: () => field('class_id', tr('cls'), select('class_id', classes.map((c) => [c.id, `${c.grade}${c.letter}`]), p.allClasses ?? tr('all'))),
    grade: () => field('grade', tr('grade'), select('grade', grades.map((g) => [String(g), tr('gradeN', { n: g })]), tr('all'))),
    subject_id: () => field('subject_id', tr('subject'), select('subject_id', subjects.map((s) => [s.id, s.name]), tr('all'))),
    teacher_id: () => field('teacher_id', tr('teacher'), select('teacher_id', teachers.map((s) => [s.id, staffName(p.dir, s.id)]), tr('all'))),
    definition: () => field('definition', tr('definition'), select('definition', [['students', tr('byStudents')], ['marks', tr('byMarks')]])),
    on: () => field('on', tr('on'), date('on')),
    from: () => field('from', tr('from'), date('from')),
    to: () => field('to', tr('to'), date('to')),
  };
  return (
    <div class="filters">
      {p.fields.map((f) => controls[f]())}
      {p.children}
    </div>
  );
}

// ---- Loading a report.

/** Rep is the state of a report's GET: tooLarge holds the API's message when the whole-school report must be
 * built in the background (413); fields the API's errors per filter. */
export interface Rep<T> { data?: T; error?: string; fields?: Record<string, string>; tooLarge?: string; loading: boolean }

/** useReport GETs a report whenever path changes (null: nothing). Reports are not kept on the device (they can
 * be large and would crowd out the journal's offline copies). */
export function useReport<T>(path: string | null): Rep<T> {
  const [rep, setRep] = useState<Rep<T>>({ loading: path !== null });
  useEffect(() => {
    if (path === null) return setRep({ loading: false });
    let live = true;
    setRep({ loading: true }); // never the previous filters' figures under the new ones
    call<T>('GET', path).then(
      (data) => live && setRep({ data, loading: false }),
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 413) setRep({ tooLarge: e.message, loading: false });
        else setRep({ error: errorText(e), fields: e instanceof ApiError ? e.fields : undefined, loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, [path]);
  return rep;
}

/** RepState shows a report's loading or error (the data, or a 413, is the caller's to show). */
export function RepState({ rep }: { rep: Rep<unknown> }) {
  if (rep.error) return <p class="error" role="alert">{rep.error}</p>;
  if (rep.loading) return <p role="status" class="muted">{tr('loadingReport')}</p>;
  return null;
}

// ---- Background jobs.

const jobsKey = 'ej.director.jobs';

function remembered(key: string): string | undefined {
  try {
    return (JSON.parse(sessionStorage.getItem(jobsKey) ?? '{}') as Record<string, string>)[key];
  } catch {
    return undefined;
  }
}

function remember(key: string, id: string | undefined): void {
  try {
    const all = JSON.parse(sessionStorage.getItem(jobsKey) ?? '{}') as Record<string, string>;
    if (id) all[key] = id;
    else delete all[key];
    sessionStorage.setItem(jobsKey, JSON.stringify(all));
  } catch {
    // No session storage: the job is simply not resumed after leaving the screen.
  }
}

/** jobKey names a report request: its kind and its parameters in a stable order. */
export function jobKey(kind: string, params: Record<string, string>): string {
  return `${kind}?${Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** JobPanel offers to build a whole-school report in the background after the API refused it with 413 (message):
 * POST /v1/reports/jobs, then GET /v1/reports/jobs/{id} until done, then the file: shown on screen (onResult, for
 * JSON) or downloaded. A JSON job of this tab for the same report is picked up again when the screen reopens. */
export function JobPanel<T>(p: { kind: string; params: Record<string, string>; message: string; onResult?: (data: T) => void }) {
  const key = jobKey(p.kind, p.params);
  const [format, setFormat] = useState(p.onResult ? 'json' : 'xlsx');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState('');
  const [shown, setShown] = useState(false);
  const run = useRef(0);

  useEffect(() => {
    setJob(null);
    setError('');
    setShown(false);
    const id = p.onResult ? remembered(`${key}|json`) : undefined;
    if (id) follow(id, 'json', false);
    return () => {
      run.current++;
    };
  }, [key]);

  async function follow(id: string, f: string, fresh: boolean) {
    const mine = ++run.current;
    try {
      for (;;) {
        const j = await call<Job>('GET', `v1/reports/jobs/${encodeURIComponent(id)}`);
        if (mine !== run.current) return;
        setJob(j);
        if (j.state === 'failed') return remember(`${key}|${f}`, undefined);
        if (j.state === 'done' && j.file_url) {
          if (f === 'json') {
            const data = await call<T>('GET', j.file_url);
            if (mine !== run.current) return;
            p.onResult?.(data);
            setShown(true);
          } else if (fresh) {
            await download(j.file_url);
          }
          return;
        }
        await sleep(1500);
        if (mine !== run.current) return;
      }
    } catch (e) {
      if (mine !== run.current) return;
      if (e instanceof ApiError && e.status === 404 && !fresh) {
        remember(`${key}|${f}`, undefined);
        setJob(null);
        return;
      }
      setError(errorText(e));
    }
  }

  async function start() {
    setError('');
    setShown(false);
    setJob(null);
    try {
      const j = await call<Job>('POST', 'v1/reports/jobs', { kind: p.kind, params: p.params, format });
      setJob(j);
      remember(`${key}|${format}`, j.id);
      await follow(j.id, format, true);
    } catch (e) {
      setError(errorText(e));
    }
  }

  const busy = job !== null && (job.state === 'queued' || job.state === 'running');
  const formats = [...(p.onResult ? [['json', tr('onScreen')]] : []), ['xlsx', 'XLSX'], ['pdf', 'PDF'], ['csv', 'CSV']];
  return (
    <div class="job">
      <p class="note">{p.message}</p>
      <p class="muted">{tr('jobIntro')}</p>
      <div class="filters">
        <label>
          {tr('jobFormat')}
          <select value={format} onChange={(e) => setFormat(e.currentTarget.value)} disabled={busy}>
            {formats.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <button type="button" class="primary" onClick={start} disabled={busy}>{tr('runJob')}</button>
      </div>
      <div role="status">
        {busy && <p>{tr(job.state === 'queued' ? 'jobQueued' : 'jobRunning')}</p>}
        {job?.state === 'done' && (shown ? <p class="ok">{tr('jobShown')}</p> : job.format !== 'json' && (
          <p class="ok">
            {tr('jobDone', { name: job.file_name ?? '' })}{' '}
            <button type="button" class="btn" onClick={() => job.file_url && download(job.file_url).catch((e) => setError(errorText(e)))}>{tr('downloadAgain')}</button>
          </p>
        ))}
      </div>
      {job?.state === 'failed' && <p class="error" role="alert">{tr('jobFailed', { error: job.error ?? '' })}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

// ---- Charts: hand-made SVG drawn at the width they get, so their text keeps its size on a phone.

function useWidth(): [{ current: HTMLDivElement | null }, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    const ro = new ResizeObserver((es) => setW(Math.floor(es[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

let chartSeq = 0;

function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}${++chartSeq}`);
  return id;
}

/** Series is one measure of a chart: its name (legend, table header) and its CSS class (colour). */
export interface Series { name: string; cls: string }

/** Legend names a chart's series beside their colours. */
export function Legend({ series }: { series: Series[] }) {
  return (
    <ul class="legend">
      {series.map((s) => <li key={s.cls}><span class={`swatch ${s.cls}`} aria-hidden="true" />{s.name}</li>)}
    </ul>
  );
}

/** scroll are the attributes of a table's scrolling box: keyboard users can focus it to scroll, and it is named
 * for screen readers. */
export function scroll(label: string) {
  return { class: 'table-wrap', tabIndex: 0, role: 'region' as const, 'aria-label': label };
}

/** DataTable is a chart's text alternative: the same numbers as a table, folded under the chart. */
function DataTable({ title, head, series, rows }: { title: string; head: string; series: Series[]; rows: { label: string; values: (number | undefined)[] }[] }) {
  return (
    <details class="chart-table">
      <summary>{tr('table')}</summary>
      <div {...scroll(`${tr('table')}: ${title}`)}>
        <table class="data">
          <thead><tr><th scope="col">{head}</th>{series.map((s) => <th scope="col" class="num" key={s.cls}>{s.name}</th>)}</tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}><th scope="row">{r.label}</th>{r.values.map((v, i) => <td class="num" key={i}>{pct(v)}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** BarChart draws horizontal bars from 0 to 100 %: a group of one bar per series for each row. Each bar is a
 * rect.bar.<series class>; the SVG is an image named by title and described by desc, and the table under it
 * holds the same numbers. */
export function BarChart(p: { title: string; desc: string; head: string; series: Series[]; rows: { label: string; values: (number | undefined)[] }[] }) {
  const [ref, w] = useWidth();
  const id = useId('bars');
  const labelW = 52;
  const valueW = 56;
  const barH = 12;
  const rowH = p.series.length * (barH + 3) + 10;
  const axisH = 18;
  const area = Math.max(40, w - labelW - valueW);
  const h = p.rows.length * rowH + axisH;
  const x = (v: number) => labelW + (Math.max(0, Math.min(100, v)) / 100) * area;
  return (
    <figure class="chart">
      <Legend series={p.series} />
      <div ref={ref} class="chart-box">
        {w > 0 && (
          <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={`${id}t ${id}d`}>
            <title id={`${id}t`}>{p.title}</title>
            <desc id={`${id}d`}>{p.desc}</desc>
            {[0, 25, 50, 75, 100].map((v) => (
              <g key={v}>
                <line class="grid" x1={x(v)} x2={x(v)} y1={0} y2={h - axisH} />
                <text class="tick" x={x(v)} y={h - 4} text-anchor="middle">{v}</text>
              </g>
            ))}
            {p.rows.map((r, i) => {
              const y0 = i * rowH + 5;
              return (
                <g key={r.label}>
                  <text class="label" x={labelW - 6} y={y0 + (rowH - 10) / 2 + 4} text-anchor="end">{r.label}</text>
                  {p.series.map((s, j) => {
                    const v = r.values[j];
                    const y = y0 + j * (barH + 3);
                    return (
                      <g key={s.cls}>
                        {v !== undefined && <rect class={`bar ${s.cls}`} x={labelW} y={y} width={Math.max(1, x(v) - labelW)} height={barH} rx={2} />}
                        <text class="value" x={(v === undefined ? labelW : x(v)) + 4} y={y + barH - 2}>{pct(v)}</text>
                      </g>
                    );
                  })}
                </g>
              );
            })}
          </svg>
        )}
      </div>
      <DataTable title={p.title} head={p.head} series={p.series} rows={p.rows} />
    </figure>
  );
}

/** LineChart draws one line per series over labels (terms), 0 to 100 %; a missing value breaks the line. */
export function LineChart(p: { title: string; desc: string; head: string; labels: string[]; series: (Series & { values: (number | undefined)[] })[] }) {
  const [ref, w] = useWidth();
  const id = useId('line');
  const padL = 34;
  const padR = 16;
  const padT = 10;
  const padB = 26;
  const h = 200;
  const n = p.labels.length;
  // Points sit inside the plot by half a label's width, so the terms' names under the first and last fit.
  const inset = Math.min(44, (w - padL - padR) / (2 * Math.max(1, n)));
  const x = (i: number) => (n <= 1 ? (padL + w - padR) / 2 : padL + inset + (i * (w - padL - padR - 2 * inset)) / (n - 1));
  const y = (v: number) => padT + ((100 - Math.max(0, Math.min(100, v))) / 100) * (h - padT - padB);
  // On a phone the terms' names are cut ("1 четв.") so that they do not run into each other.
  const narrow = (w - padL - padR) / Math.max(1, n) < 80;
  return (
    <figure class="chart">
      <Legend series={p.series} />
      <div ref={ref} class="chart-box">
        {w > 0 && (
          <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={`${id}t ${id}d`}>
            <title id={`${id}t`}>{p.title}</title>
            <desc id={`${id}d`}>{p.desc}</desc>
            {[0, 25, 50, 75, 100].map((v) => (
              <g key={v}>
                <line class="grid" x1={padL} x2={w - padR} y1={y(v)} y2={y(v)} />
                <text class="tick" x={padL - 4} y={y(v) + 4} text-anchor="end">{v}</text>
              </g>
            ))}
            {p.labels.map((l, i) => (
              <text key={l} class="tick" x={x(i)} y={h - 8} text-anchor="middle">{narrow && l.length > 7 ? `${l.slice(0, 6).trimEnd()}.` : l}</text>
            ))}
            {p.series.map((s) => {
              const segs: string[] = [];
              let cur: string[] = [];
              s.values.forEach((v, i) => {
                if (v === undefined) {
                  if (cur.length > 1) segs.push(cur.join(' '));
                  cur = [];
                } else cur.push(`${x(i)},${y(v)}`);
              });
              if (cur.length > 1) segs.push(cur.join(' '));
              return (
                <g key={s.cls} class={`series ${s.cls}`}>
                  {segs.map((pts) => <polyline key={pts} class={`line ${s.cls}`} points={pts} />)}
                  {s.values.map((v, i) => v !== undefined && <circle key={i} class={`pt ${s.cls}`} cx={x(i)} cy={y(v)} r={s.cls === 'quality' ? 5 : 3.5} />)}
                </g>
              );
            })}
          </svg>
        )}
      </div>
      <DataTable title={p.title} head={p.head} series={p.series} rows={p.labels.map((l, i) => ({ label: l, values: p.series.map((s) => s.values[i]) }))} />
    </figure>
  );
}

/** useMore pages a long list: how many rows to show (reset to one page when reset changes), and the "show more"
 * line to put under the list. */
export function useMore(reset: string, step = 50): [number, (total: number) => ComponentChildren] {
  const [n, setN] = useState(step);
  useEffect(() => setN(step), [reset]);
  return [
    n,
    (total: number) =>
      total > n && (
        <p class="more">
          <span class="muted">{tr('shown', { n, total })}</span>{' '}
          <button type="button" class="btn" onClick={() => setN(n + step)}>{tr('more', { n: Math.min(step, total - n) })}</button>
        </p>
      ),
  ];
}

// ---- Tables of figures.

const figTexts = strings({
  ru: { n5: '«5»', n4: '«4»', n3: '«3»', n2: '«2»', na: 'н/а', exempt: 'осв.', noMark: 'Без отметки', excellent: 'Отличников', good: 'Хорошистов', satisfactory: 'С «3»', failing: 'Неуспев.', n: 'N', successP: 'Успев., %', qualityP: 'Кач., %', souP: 'СОУ, %', avg: 'Ср. балл', roll: 'Учеников' },
  en: { n5: '“5”', n4: '“4”', n3: '“3”', n2: '“2”', na: 'n/a', exempt: 'exempt', noMark: 'No mark', excellent: 'Excellent', good: 'Good', satisfactory: 'With a 3', failing: 'Failing', n: 'N', successP: 'Success, %', qualityP: 'Quality, %', souP: 'SOU, %', avg: 'Average', roll: 'Students' },
});

/** FiguresTable shows performance figures, one row per class, parallel, subject or teacher (label may be a link);
 * total is the footer row. */
export function FiguresTable(p: { head: string; rows: { key: string; label: ComponentChildren; figures: Figures }[]; total?: { label: string; figures: Figures }; caption?: string }) {
  const cols: [string, (f: Figures) => string][] = [
    [figTexts('roll'), (f) => String(f.roll)],
    [figTexts('n'), (f) => String(f.n)],
    [figTexts('n5'), (f) => String(f.n5)],
    [figTexts('n4'), (f) => String(f.n4)],
    [figTexts('n3'), (f) => String(f.n3)],
    [figTexts('n2'), (f) => String(f.n2)],
    [figTexts('na'), (f) => String(f.na)],
    [figTexts('excellent'), (f) => String(f.excellent)],
    [figTexts('good'), (f) => String(f.good)],
    [figTexts('satisfactory'), (f) => String(f.satisfactory)],
    [figTexts('failing'), (f) => String(f.failing)],
    [figTexts('successP'), (f) => fmtNum(f.success)],
    [figTexts('qualityP'), (f) => fmtNum(f.quality)],
    [figTexts('souP'), (f) => fmtNum(f.sou)],
    [figTexts('avg'), (f) => fmtNum(f.average)],
  ];
  return (
    <div {...scroll(p.caption ?? p.head)}>
      <table class="data figures">
        {p.caption && <caption>{p.caption}</caption>}
        <thead><tr><th scope="col">{p.head}</th>{cols.map(([h]) => <th scope="col" class="num" key={h}>{h}</th>)}</tr></thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.key}><th scope="row">{r.label}</th>{cols.map(([h, f]) => <td class="num" key={h}>{f(r.figures)}</td>)}</tr>
          ))}
        </tbody>
        {p.total && (
          <tfoot><tr><th scope="row">{p.total.label}</th>{cols.map(([h, f]) => <td class="num" key={h}>{f(p.total!.figures)}</td>)}</tr></tfoot>
        )}
      </table>
    </div>
  );
}

/** Tiles are a few headline figures. */
export function Tiles({ items }: { items: [string, string][] }) {
  return (
    <dl class="tiles">
      {items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  );
}
