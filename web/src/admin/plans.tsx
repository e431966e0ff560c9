// Plans are the calendar-thematic plans (КТП) of a school year (#/plans, #/plans/<plan_id>): the list per class
// and subject, one plan's topics with planned against taught hours and the lag, the import of a CSV or XLSX file
// with a dry run that reports every problem by row and column, the XLSX export and a copy to a parallel class.
// A teacher sees and imports the plans of the classes and subjects she teaches; the head teacher any.
import { useState } from 'preact/hooks';
import { ApiError, call, FileBody, type Me } from '../api';
import { strings } from '../i18n';
import { can, download, errorText, fmtDate, useLoad, Wait, type ScreenProps } from '../ui';
import './school.css';

const tr = strings({
  ru: {
    title: 'КТП', refused: 'Календарно-тематические планы ведут учителя и завуч. У вас нет доступа к ним.',
    year: 'Учебный год', noYears: 'Учебных годов нет.', plans: 'Планы', noPlans: 'Планов пока нет.',
    klass: 'Класс', subject: 'Предмет', group: 'Группа', wholeClass: 'весь класс', topics: 'Тем', hours: 'Часов', open: 'Открыть',
    openOf: 'Открыть план: {name}', importTitle: 'Загрузка КТП из файла', target: 'Класс и предмет', choose: '— выберите —',
    file: 'Файл CSV или XLSX', fileHelp: 'Столбцы: Раздел, Тема, Часы, Дата (ДД.ММ.ГГГГ). Первая строка — заголовки.',
    check: 'Проверить', checking: 'Проверка…', upload: 'Загрузить', uploading: 'Загрузка…', noFile: 'Выберите файл.', noTarget: 'Выберите класс и предмет.',
    valid: 'Ошибок нет: тем {topics}, часов {hours}. Можно загружать.', invalid: 'В файле ошибок: {n}. Ничего не записано.',
    imported: 'Сохранено: тем {topics}, часов {hours}.', row: 'Строка', column: 'Столбец', problem: 'Ошибка', whole: 'весь файл',
    section: 'Раздел', topic: 'Тема', date: 'Дата по плану', held: 'Проведено', scheduled: 'Впереди', n: '№',
    preview: 'Темы из файла', back: 'Все планы', planTitle: 'КТП: {name}', progress: 'Выполнение',
    planned: 'Часов по плану', heldLessons: 'Проведено уроков', taught: 'Пройдено часов', due: 'Должно быть пройдено',
    lag: 'Отставание', behind: 'отстаёт на {n} ч', ahead: 'опережает на {n} ч', onTrack: 'идёт по плану',
    unplanned: 'Уроков вне плана', next: 'Следующая тема', byDates: 'по датам плана', byOrder: 'по порядку тем', asOf: 'на {date}',
    export: 'Скачать XLSX', copyTo: 'Копировать в класс', copy: 'Копировать', copied: 'План скопирован в {name}.',
    remove: 'Удалить план', confirmRemove: 'Удалить этот план? Уроки сохранят свои темы.', removed: 'План удалён.',
    reimport: 'Загрузить новую версию из файла', dueMark: 'должна быть пройдена',
  },
  en: {
    title: 'Plans', refused: 'Teachers and the head teacher keep the calendar-thematic plans. You have no access to them.',
    year: 'School year', noYears: 'No school years.', plans: 'Plans', noPlans: 'No plans yet.',
    klass: 'Class', subject: 'Subject', group: 'Group', wholeClass: 'whole class', topics: 'Topics', hours: 'Hours', open: 'Open',
    openOf: 'Open the plan: {name}', importTitle: 'Import a plan from a file', target: 'Class and subject', choose: '— choose —',
    file: 'CSV or XLSX file', fileHelp: 'Columns: Раздел (section), Тема (topic), Часы (hours), Дата (DD.MM.YYYY). The first row holds the headers.',
    check: 'Check', checking: 'Checking…', upload: 'Import', uploading: 'Importing…', noFile: 'Choose a file.', noTarget: 'Choose a class and subject.',
    valid: 'No problems: {topics} topics, {hours} hours. Ready to import.', invalid: 'Problems in the file: {n}. Nothing was written.',
    imported: 'Saved: {topics} topics, {hours} hours.', row: 'Row', column: 'Column', problem: 'Problem', whole: 'whole file',
    section: 'Section', topic: 'Topic', date: 'Planned date', held: 'Held', scheduled: 'Ahead', n: 'No.',
    preview: 'Topics in the file', back: 'All plans', planTitle: 'Plan: {name}', progress: 'Progress',
    planned: 'Planned hours', heldLessons: 'Lessons held', taught: 'Hours taught', due: 'Hours due',
    lag: 'Lag', behind: '{n} h behind', ahead: '{n} h ahead', onTrack: 'on track',
    unplanned: 'Lessons outside the plan', next: 'Next topic', byDates: 'by planned dates', byOrder: 'by the order of topics', asOf: 'as of {date}',
    export: 'Download XLSX', copyTo: 'Copy to class', copy: 'Copy', copied: 'The plan was copied to {name}.',
    remove: 'Delete the plan', confirmRemove: 'Delete this plan? Lessons keep their topics.', removed: 'The plan was deleted.',
    reimport: 'Import a new version from a file', dueMark: 'due',
  },
});

interface Year { id: string; name: string; start: string; end: string }
interface Klass { id: string; grade: number; letter: string }
interface Subject { id: string; name: string; grades?: number[] }
interface Group { id: string; class_id: string; name: string }
interface Topic { id?: string; section?: string; title: string; hours: number; planned_date?: string }
interface Plan { id: string; class_id: string; subject_id: string; group_id?: string; topics: Topic[]; version: number }
interface TopicProgress extends Topic { held: number; scheduled: number; due: boolean }
interface Progress {
  today: string;
  by_dates: boolean;
  planned_hours: number;
  held_lessons: number;
  unplanned_lessons: number;
  taught_hours: number;
  due_hours: number;
  lag: number;
  next_topic?: Topic;
  topics: TopicProgress[];
}
interface Problem { line: number; column: string; message: string }
interface Report { valid: boolean; rows: number; errors: Problem[]; summary: { topics: number; hours: number }; topics: Topic[]; plan?: Plan }
type List<T> = { items: T[] };

/** Target is what an import or a copy writes to: a class, a subject and maybe a group. */
interface Target { class_id: string; subject_id: string; group_id?: string }

const enc = encodeURIComponent;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const targetKey = (t: Target) => [t.class_id, t.subject_id, t.group_id].filter(Boolean).join('.');

function localDate(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Names resolves class, subject and group ids to what the user reads. */
interface Names {
  classes: Klass[];
  subjects: Subject[];
  groups: Group[];
  klass: (id: string) => string;
  subject: (id: string) => string;
  group: (id?: string) => string;
  plan: (t: Target) => string;
}

function useNames(year: Year): { names: Names; error?: string } {
  const classes = useLoad<List<Klass>>(`v1/classes?year_id=${enc(year.id)}`);
  const subjects = useLoad<List<Subject>>('v1/subjects');
  const groups = useLoad<List<Group>>('v1/groups');
  const c = classes.data?.items ?? [];
  const s = subjects.data?.items ?? [];
  const g = groups.data?.items ?? [];
  const klass = (id: string) => {
    const x = c.find((k) => k.id === id);
    return x ? `${x.grade}${x.letter}` : id;
  };
  const subject = (id: string) => s.find((x) => x.id === id)?.name ?? id;
  const group = (id?: string) => (id ? g.find((x) => x.id === id)?.name ?? id : '');
  const names: Names = {
    classes: c,
    subjects: s,
    groups: g,
    klass,
    subject,
    group,
    plan: (t) => `${klass(t.class_id)}, ${subject(t.subject_id)}${t.group_id ? ` (${group(t.group_id)})` : ''}`,
  };
  return { names, error: classes.error ?? subjects.error };
}

export default function Plans({ me, args, query }: ScreenProps) {
  const allowed = can(me, 'plans.write') || can(me, 'journal.read');
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
          return args[0] ? <PlanView key={args[0]} me={me} year={year} planID={args[0]} /> : <PlanList me={me} year={year} years={d.items} query={query} />;
        }}
      </Wait>
    </section>
  );
}

function planHref(year: Year, id: string) {
  return `#/plans/${enc(id)}?year=${enc(year.id)}`;
}

/** targets are the class × subject (× group) a person may write plans for: all for the school's scope,
 * else the person's own assignments. */
function ownTargets(me: Me): Target[] {
  return me.assignments.map((a) => ({ class_id: a.class_id, subject_id: a.subject_id, ...(a.group_id ? { group_id: a.group_id } : {}) }));
}

function PlanList({ me, year, years, query }: { me: Me; year: Year; years: Year[]; query: URLSearchParams }) {
  const plans = useLoad<List<Plan>>(`v1/years/${enc(year.id)}/plans`);
  const { names, error } = useNames(year);
  const mayWrite = can(me, 'plans.write');
  const preset: Target | undefined = query.get('class') && query.get('subject')
    ? { class_id: query.get('class')!, subject_id: query.get('subject')!, ...(query.get('group') ? { group_id: query.get('group')! } : {}) }
    : undefined;
  return (
    <>
      <div class="card">
        <h2>{tr('title')}</h2>
        {years.length > 1 && (
          <div class="filters">
            <label>
              {tr('year')}
              <select value={year.id} onChange={(e) => (location.hash = `#/plans?year=${enc(e.currentTarget.value)}`)}>
                {years.map((y) => <option key={y.id} value={y.id}>{y.name}</option>)}
              </select>
            </label>
          </div>
        )}
        {error && <p class="error" role="alert">{error}</p>}
        <h3>{tr('plans')}</h3>
        <Wait l={plans}>
          {(d) =>
            d.items.length === 0 ? (
              <p class="muted">{tr('noPlans')}</p>
            ) : (
              <div class="table-wrap">
                <table class="data" id="plan-list">
                  <thead>
                    <tr><th>{tr('klass')}</th><th>{tr('subject')}</th><th>{tr('group')}</th><th class="num">{tr('topics')}</th><th class="num">{tr('hours')}</th><th><span class="sr">{tr('open')}</span></th></tr>
                  </thead>
                  <tbody>
                    {d.items.map((p) => (
                      <tr key={p.id} data-plan={p.id}>
                        <td>{names.klass(p.class_id)}</td>
                        <td>{names.subject(p.subject_id)}</td>
                        <td>{p.group_id ? names.group(p.group_id) : tr('wholeClass')}</td>
                        <td class="num">{p.topics.length}</td>
                        <td class="num">{p.topics.reduce((n, t) => n + t.hours, 0)}</td>
                        <td><a href={planHref(year, p.id)} aria-label={tr('openOf', { name: names.plan(p) })}>{tr('open')}</a></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Wait>
      </div>
      {mayWrite && <Import me={me} year={year} names={names} preset={preset} onImported={plans.reload} />}
    </>
  );
}

function Import({ me, year, names, preset, onImported }: { me: Me; year: Year; names: Names; preset?: Target; onImported: () => void }) {
  const school = can(me, 'plans.write', 'school');
  const own = ownTargets(me);
  const [target, setTarget] = useState<Target>(preset ?? (own.length === 1 ? own[0] : { class_id: '', subject_id: '' }));
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const klass = names.classes.find((c) => c.id === target.class_id);
  const groups = names.groups.filter((g) => g.class_id === target.class_id);

  async function send(dry: boolean) {
    setError('');
    setDone('');
    setProblems([]);
    setReport(null);
    if (!target.class_id || !target.subject_id) return setError(tr('noTarget'));
    if (!file) return setError(tr('noFile'));
    const type = /\.xlsx$/i.test(file.name) ? xlsxType : /\.csv$/i.test(file.name) ? 'text/csv' : file.type || 'text/csv';
    const q = new URLSearchParams({ class_id: target.class_id, subject_id: target.subject_id, ...(target.group_id ? { group_id: target.group_id } : {}), ...(dry ? { dry_run: 'true' } : {}) });
    setBusy(dry ? 'check' : 'upload');
    try {
      const r = await call<Report>('POST', `v1/years/${enc(year.id)}/plan-import?${q}`, new FileBody(file, type));
      setReport(r);
      if (!dry) {
        setDone(tr('imported', { topics: r.summary.topics, hours: r.summary.hours }));
        onImported();
      }
    } catch (e) {
      setError(errorText(e));
      // An invalid file: the problems come as fields "row:column".
      if (e instanceof ApiError && e.fields) {
        setProblems(Object.entries(e.fields).map(([k, message]) => {
          const [line, ...col] = k.split(':');
          return { line: Number(line) || 0, column: col.join(':'), message };
        }));
      }
    } finally {
      setBusy('');
    }
  }

  const shown = report && !report.valid ? report.errors : problems;
  return (
    <div class="card" id="plan-import">
      <h3>{tr('importTitle')}</h3>
      <form class="form" onSubmit={(e) => { e.preventDefault(); send(true); }}>
        {school ? (
          <div class="row">
            <label>
              {tr('klass')}
              <select value={target.class_id} onChange={(e) => setTarget({ class_id: e.currentTarget.value, subject_id: target.subject_id })}>
                <option value="">{tr('choose')}</option>
                {names.classes.map((c) => <option key={c.id} value={c.id}>{c.grade}{c.letter}</option>)}
              </select>
            </label>
            <label>
              {tr('subject')}
              <select value={target.subject_id} onChange={(e) => setTarget({ ...target, subject_id: e.currentTarget.value })}>
                <option value="">{tr('choose')}</option>
                {names.subjects.filter((s) => !klass || !s.grades?.length || s.grades.includes(klass.grade)).map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </select>
            </label>
            <label>
              {tr('group')}
              <select value={target.group_id ?? ''} onChange={(e) => setTarget({ class_id: target.class_id, subject_id: target.subject_id, ...(e.currentTarget.value ? { group_id: e.currentTarget.value } : {}) })}>
                <option value="">{tr('wholeClass')}</option>
                {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
              </select>
            </label>
          </div>
        ) : (
          <label>
            {tr('target')}
            <select value={targetKey(target)} onChange={(e) => setTarget(own.find((t) => targetKey(t) === e.currentTarget.value) ?? { class_id: '', subject_id: '' })}>
              <option value="">{tr('choose')}</option>
              {own.map((t) => <option key={targetKey(t)} value={targetKey(t)}>{names.plan(t)}</option>)}
            </select>
          </label>
        )}
        <label>
          {tr('file')}
          <input type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setReport(null); setDone(''); setError(''); setProblems([]); }} />
          <span class="muted">{tr('fileHelp')}</span>
        </label>
        <div class="actions">
          <button type="submit" class="btn" disabled={busy !== ''}>{busy === 'check' ? tr('checking') : tr('check')}</button>
          <button type="button" class="primary" disabled={busy !== '' || (report !== null && !report.valid)} onClick={() => send(false)}>
            {busy === 'upload' ? tr('uploading') : tr('upload')}
          </button>
        </div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {report && !report.valid && <p class="error" role="alert">{tr('invalid', { n: report.errors.length })}</p>}
      {report?.valid && !done && <p class="ok" role="status">{tr('valid', { topics: report.summary.topics, hours: report.summary.hours })}</p>}
      {done && (
        <p class="ok" role="status">
          {done} {report?.plan && <a href={planHref(year, report.plan.id)}>{tr('openOf', { name: names.plan(report.plan) })}</a>}
        </p>
      )}
      {shown.length > 0 && (
        <div class="table-wrap">
          <table class="data" id="import-problems">
            <thead><tr><th class="num">{tr('row')}</th><th>{tr('column')}</th><th>{tr('problem')}</th></tr></thead>
            <tbody>
              {shown.map((p, i) => (
                <tr key={i}>
                  <td class="num">{p.line || tr('whole')}</td>
                  <td>{p.column}</td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report?.valid && report.topics.length > 0 && (
        <>
          <h3>{tr('preview')}</h3>
          <TopicTable topics={report.topics} />
        </>
      )}
    </div>
  );
}

function TopicTable({ topics, progress }: { topics: Topic[]; progress?: TopicProgress[] }) {
  return (
    <div class="table-wrap">
      <table class="data topics">
        <thead>
          <tr>
            <th class="num">{tr('n')}</th><th>{tr('section')}</th><th>{tr('topic')}</th><th class="num">{tr('hours')}</th><th>{tr('date')}</th>
            {progress && <><th class="num">{tr('held')}</th><th class="num">{tr('scheduled')}</th></>}
          </tr>
        </thead>
        <tbody>
          {topics.map((t, i) => {
            const p = progress?.find((x) => x.id === t.id);
            const late = p && p.due && p.held < p.hours;
            return (
              <tr key={t.id ?? i} class={late ? 'due' : undefined}>
                <td class="num">{i + 1}</td>
                <td>{t.section ?? ''}</td>
                <td>{t.title}{late && <span class="sr"> ({tr('dueMark')})</span>}</td>
                <td class="num">{t.hours}</td>
                <td>{t.planned_date ? fmtDate(t.planned_date) : ''}</td>
                {progress && <><td class="num">{p?.held ?? 0}</td><td class="num">{p?.scheduled ?? 0}</td></>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PlanView({ me, year, planID }: { me: Me; year: Year; planID: string }) {
  const base = `v1/years/${enc(year.id)}/plans/${enc(planID)}`;
  const plan = useLoad<Plan>(base);
  const progress = useLoad<Progress>(`${base}/progress`);
  const { names } = useNames(year);
  const [copyTo, setCopyTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState('');
  const [error, setError] = useState('');
  const mayWrite = can(me, 'plans.write');

  async function act(f: () => Promise<unknown>, done: string) {
    setBusy(true);
    setOk('');
    setError('');
    try {
      await f();
      setOk(done);
      return true;
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError && e.status === 409) plan.reload();
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p><a href={`#/plans?year=${enc(year.id)}`}>← {tr('back')}</a></p>
      <Wait l={plan}>
        {(p) => {
          const grade = names.classes.find((c) => c.id === p.class_id)?.grade;
          const targets: Target[] = (can(me, 'plans.write', 'school') ? names.classes.map((c) => ({ class_id: c.id, subject_id: p.subject_id })) : ownTargets(me).filter((t) => t.subject_id === p.subject_id))
            .filter((t) => t.class_id !== p.class_id && names.classes.find((c) => c.id === t.class_id)?.grade === grade);
          const reimport = `#/plans?year=${enc(year.id)}&class=${enc(p.class_id)}&subject=${enc(p.subject_id)}${p.group_id ? `&group=${enc(p.group_id)}` : ''}`;
          return (
            <>
              <div class="card">
                <h2>{tr('planTitle', { name: names.plan(p) })}</h2>
                <div class="actions">
                  <button type="button" class="btn" disabled={busy} onClick={() => act(() => download(`${base}/export`), '')}>{tr('export')}</button>
                  {mayWrite && <a class="btn" href={reimport}>{tr('reimport')}</a>}
                  {mayWrite && (
                    <button type="button" class="btn danger" disabled={busy} onClick={async () => {
                      if (confirm(tr('confirmRemove')) && (await act(() => call('DELETE', `${base}?version=${p.version}`), tr('removed')))) location.hash = `#/plans?year=${enc(year.id)}`;
                    }}>{tr('remove')}</button>
                  )}
                </div>
                {mayWrite && targets.length > 0 && (
                  <form class="row" onSubmit={(e) => { e.preventDefault(); if (copyTo) act(() => call('POST', `${base}/copy`, { class_id: copyTo }), tr('copied', { name: names.klass(copyTo) })); }}>
                    <label>
                      {tr('copyTo')}
                      <select value={copyTo} onChange={(e) => setCopyTo(e.currentTarget.value)}>
                        <option value="">{tr('choose')}</option>
                        {targets.map((t) => <option key={t.class_id} value={t.class_id}>{names.klass(t.class_id)}</option>)}
                      </select>
                    </label>
                    <button type="submit" class="btn" disabled={busy || !copyTo}>{tr('copy')}</button>
                  </form>
                )}
                {error && <p class="error" role="alert">{error}</p>}
                {ok && <p class="ok" role="status">{ok}</p>}
              </div>
              <div class="card">
                <h3>{tr('progress')}</h3>
                <Wait l={progress}>
                  {(g) => (
                    <>
                      <p class="muted">{tr('asOf', { date: fmtDate(g.today) })}, {g.by_dates ? tr('byDates') : tr('byOrder')}</p>
                      <ul class="figures">
                        <li>{tr('planned')}: <strong>{g.planned_hours}</strong></li>
                        <li>{tr('heldLessons')}: <strong>{g.held_lessons}</strong></li>
                        <li>{tr('taught')}: <strong>{g.taught_hours}</strong></li>
                        <li>{tr('due')}: <strong>{g.due_hours}</strong></li>
                        <li>
                          {tr('lag')}:{' '}
                          <strong class={g.lag > 0 ? 'behind' : g.lag < 0 ? 'ahead' : undefined} id="plan-lag">
                            {g.lag > 0 ? tr('behind', { n: g.lag }) : g.lag < 0 ? tr('ahead', { n: -g.lag }) : tr('onTrack')}
                          </strong>
                        </li>
                        {g.unplanned_lessons > 0 && <li>{tr('unplanned')}: <strong>{g.unplanned_lessons}</strong></li>}
                      </ul>
                      {g.next_topic && <p>{tr('next')}: <strong>{g.next_topic.title}</strong></p>}
                    </>
                  )}
                </Wait>
                <TopicTable topics={p.topics} progress={progress.data?.topics} />
              </div>
            </>
          );
        }}
      </Wait>
    </>
  );
}
