// Warnings is the early-warning list: from the forecast of a term (GET /v1/reports/forecast, per class, or for the
// whole school as a background job), every student × subject at risk with the projected term mark and each risk's
// reason in words; filtered by class, subject and day (the API) and by kind and urgency of risk (here).
import { useMemo, useState } from 'preact/hooks';
import { strings } from '../i18n';
import { DownloadButtons, fmtDate, fmtNum, type ScreenProps } from '../ui';
import {
  apiQuery, classesOf, currentTerm, Filters, jobKey, JobPanel, queryOf, RepState, scroll, setRoute, tr as common, useDir, useMore, useReport, yearOf,
  type Dir, type Field, type Forecast, type RiskFlag,
} from './common';

const tr = strings({
  ru: {
    title: 'Группа риска',
    kind: 'Вид риска',
    severity: 'Срочность',
    all: 'Все',
    projected_fail: 'Прогноз «2»',
    certain_fail: '«2» неизбежна',
    few_marks: 'Мало отметок',
    low_attendance: 'Низкая посещаемость',
    absence_run: 'Пропуски подряд',
    open_debt: 'Задолженность',
    critical: 'срочно',
    warning: 'внимание',
    info: 'к сведению',
    student: 'Ученик',
    subject: 'Предмет',
    average: 'Ср. балл (отметок)',
    projected: 'Прогноз',
    confirmed: 'выставлена',
    risks: 'Риски и причины',
    wholeStudent: 'в целом',
    on: 'Прогноз на {d}, период «{term}».',
    settings: 'Пороги: не меньше {m} отметок за период, посещаемость не ниже {a} %, пропусков без причины подряд — {r}.',
    counts: 'Рисков по видам',
    none: 'Учеников с такими рисками нет.',
    found: 'Учеников: {n}, строк: {rows}',
    export: 'Скачать прогноз',
  },
  en: {
    title: 'At risk',
    kind: 'Kind of risk',
    severity: 'Urgency',
    all: 'All',
    projected_fail: 'Projected “2”',
    certain_fail: 'Certain “2”',
    few_marks: 'Too few marks',
    low_attendance: 'Low attendance',
    absence_run: 'Absences in a row',
    open_debt: 'Open debt',
    critical: 'urgent',
    warning: 'attention',
    info: 'for information',
    student: 'Student',
    subject: 'Subject',
    average: 'Average (marks)',
    projected: 'Projected',
    confirmed: 'confirmed',
    risks: 'Risks and reasons',
    wholeStudent: 'overall',
    on: 'Forecast on {d}, period “{term}”.',
    settings: 'Thresholds: at least {m} marks in the period, attendance of {a} % or more, {r} absences without reason in a row.',
    counts: 'Risks by kind',
    none: 'No student has such risks.',
    found: 'Students: {n}, rows: {rows}',
    export: 'Download the forecast',
  },
});

const kinds = ['certain_fail', 'projected_fail', 'few_marks', 'low_attendance', 'absence_run', 'open_debt'] as const;
const severities = ['critical', 'warning', 'info'] as const;
const rank: Record<string, number> = { critical: 3, warning: 2, info: 1 };

type Kind = (typeof kinds)[number];
const kindName = (k: string) => ((kinds as readonly string[]).includes(k) ? tr(k as Kind) : k);
const severityName = (s: string) => ((severities as readonly string[]).includes(s) ? tr(s as (typeof severities)[number]) : s);

export default function Warnings(p: ScreenProps) {
  const { dir, error } = useDir(p.me);
  return (
    <section class="card warnings">
      <h2>{tr('title')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!dir && !error && <p role="status">{common('loadingReport')}</p>}
      {dir && <List dir={dir} query={p.query} />}
    </section>
  );
}

/** Row is one student × subject with risks (subject '' for the student's own risks). */
interface Row { student: string; name: string; classID: string; subject: string; average?: { count: number; value: number }; projected?: string; confirmed?: string; flags: RiskFlag[] }

function List({ dir, query }: { dir: Dir; query: URLSearchParams }) {
  const q = queryOf(query);
  const y = yearOf(dir, q.year_id ?? null);
  const values: Record<string, string> = { year_id: y?.id ?? '', period: q.period && q.period !== 'year' ? q.period : currentTerm(y), class_id: q.class_id ?? '', subject_id: q.subject_id ?? '', on: q.on ?? '' };
  const kind = q.kind ?? '';
  const severity = q.severity ?? '';
  const params = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) as Record<string, string>;
  const path = `v1/reports/forecast${apiQuery(params)}`;
  const rep = useReport<Forecast>(path);
  const key = jobKey('forecast', params);
  const [job, setJob] = useState<{ key: string; data: Forecast } | null>(null);
  const data = rep.data ?? (job?.key === key ? job.data : undefined);
  const [n, more] = useMore(`${key}|${kind}|${severity}`, 30);

  const change = (f: Field | 'kind' | 'severity', v: string) => setRoute('warnings', [], { ...q, [f]: v, ...(f === 'year_id' ? { period: '', class_id: '' } : {}) });
  const { counts, shown } = useMemo(() => {
    const order = new Map(classesOf(dir, y).map((c, i) => [c.id, i]));
    const coll = new Intl.Collator('ru');
    const all = data ? rows(data) : [];
    const counts = new Map<string, number>();
    for (const r of all) for (const f of r.flags) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    const rowsShown = all
      .map((r) => ({ ...r, flags: r.flags.filter((f) => (!kind || f.kind === kind) && (!severity || f.severity === severity)) }))
      .filter((r) => r.flags.length > 0);
    // One group per student: the most urgent first, then by class and name; inside, subjects by urgency and name.
    const groups = new Map<string, Row[]>();
    for (const r of rowsShown) groups.set(r.student, [...(groups.get(r.student) ?? []), r]);
    const shown = [...groups.values()]
      .map((g) => g.sort((a, b) => top(b) - top(a) || coll.compare(subjectOf(dir, a.subject), subjectOf(dir, b.subject))))
      .sort((a, b) => top(b[0]) - top(a[0]) || (order.get(a[0].classID) ?? 99) - (order.get(b[0].classID) ?? 99) || coll.compare(a[0].name, b[0].name));
    return { counts, shown };
  }, [data, kind, severity, dir, y]);

  return (
    <>
      <Filters dir={dir} fields={['year_id', 'period', 'on', 'class_id', 'subject_id']} values={values} onChange={change} allClasses={common('allSchool')} errors={rep.fields}>
        <label>
          {tr('kind')}
          <select name="kind" value={kind} onChange={(e) => change('kind', e.currentTarget.value)}>
            <option value="">{tr('all')}</option>
            {kinds.map((k) => <option key={k} value={k}>{tr(k)}</option>)}
          </select>
        </label>
        <label>
          {tr('severity')}
          <select name="severity" value={severity} onChange={(e) => change('severity', e.currentTarget.value)}>
            <option value="">{tr('all')}</option>
            {severities.map((s) => <option key={s} value={s}>{tr(s)}</option>)}
          </select>
        </label>
      </Filters>
      {rep.tooLarge && <JobPanel<Forecast> kind="forecast" params={params} message={rep.tooLarge} onResult={(d) => setJob({ key, data: d })} />}
      <RepState rep={rep} />
      {rep.data && (
        <div class="export">
          <span class="muted">{tr('export')}:</span>
          <DownloadButtons path={path} />
        </div>
      )}
      {data && (
        <>
          <p class="muted">
            {tr('on', { d: fmtDate(data.on), term: y?.terms.find((t) => t.id === data.term)?.name ?? data.term })}{' '}
            {tr('settings', { m: data.settings.min_marks ?? '—', a: fmtNum(data.settings.min_attendance), r: data.settings.absence_run ?? '—' })}
          </p>
          {counts.size > 0 && (
            <ul class="counts" aria-label={tr('counts')}>
              {kinds.filter((k) => counts.has(k)).map((k) => <li key={k}>{tr(k)}: <strong>{counts.get(k)}</strong></li>)}
            </ul>
          )}
          {shown.length === 0 ? <p class="muted" role="status">{tr('none')}</p> : (
            <>
              <p class="muted" role="status">{tr('found', { n: shown.length, rows: shown.reduce((n, g) => n + g.length, 0) })}</p>
              <div {...scroll(tr('title'))}>
                <table class="data warn-table">
                  <thead>
                    <tr>
                      <th scope="col">{tr('student')}</th>
                      <th scope="col">{tr('subject')}</th>
                      <th scope="col" class="num">{tr('average')}</th>
                      <th scope="col" class="num">{tr('projected')}</th>
                      <th scope="col">{tr('risks')}</th>
                    </tr>
                  </thead>
                  {shown.slice(0, n).map((g) => (
                    <tbody key={g[0].student} data-student={g[0].student}>
                      {g.map((r, i) => (
                        <tr key={r.subject}>
                          {i === 0 && (
                            <th scope="rowgroup" rowSpan={g.length} class="who">
                              <a href={`#/marks/${encodeURIComponent(r.student)}`}>{r.name}</a>
                              <span class="muted">{className(dir, r.classID)}</span>
                            </th>
                          )}
                          <td>{r.subject ? subjectOf(dir, r.subject) : <span class="muted">{tr('wholeStudent')}</span>}</td>
                          <td class="num">{r.average && r.average.count > 0 ? `${fmtNum(r.average.value)} (${r.average.count})` : '—'}</td>
                          <td class="num">{r.projected ?? '—'}{r.confirmed && <small class="muted"> ({tr('confirmed')})</small>}</td>
                          <td class="reason">
                            <ul class="flags">
                              {r.flags.map((f, j) => (
                                <li key={j} data-kind={f.kind}>
                                  <span class={`risk ${f.severity}`}>{kindName(f.kind)} · {severityName(f.severity)}</span>
                                  <span class="why">{f.reason}</span>
                                </li>
                              ))}
                            </ul>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  ))}
                </table>
              </div>
              {more(shown.length)}
            </>
          )}
        </>
      )}
    </>
  );
}

function rows(f: Forecast): Row[] {
  const out: Row[] = [];
  for (const s of f.students) {
    if (s.flags.length > 0) out.push({ student: s.student_id, name: s.name, classID: s.class_id, subject: '', flags: s.flags });
    for (const x of s.subjects) {
      if (x.flags.length === 0) continue;
      out.push({ student: s.student_id, name: s.name, classID: s.class_id, subject: x.subject_id, average: x.average, projected: x.projected, confirmed: x.confirmed, flags: x.flags });
    }
  }
  return out;
}

const top = (r: Row) => Math.max(...r.flags.map((f) => rank[f.severity] ?? 0));

function className(d: Dir, id: string): string {
  const c = d.classes.get(id);
  return c ? `${c.grade}${c.letter}` : id;
}

function subjectOf(d: Dir, id: string): string {
  return d.subjects.get(id)?.name ?? id;
}
