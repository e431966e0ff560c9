// Dashboard is the director's and head teacher's overview of a period: the school's headline figures, quality and
// success per class, attendance per class (a whole-school attendance report is built in the background when the
// API asks so) and a subject's trend across the terms, each chart with a table as its text alternative.
import { useState } from 'preact/hooks';
import { strings } from '../i18n';
import { fmtNum, type ScreenProps } from '../ui';
import {
  apiQuery, BarChart, currentTerm, Filters, jobKey, JobPanel, LineChart, pct, periodName, queryOf, RepState, setRoute, Tiles, tr as common,
  useDir, useReport, yearOf, type Attendance, type Dir, type Field, type Performance, type Trend,
} from './common';

const tr = strings({
  ru: {
    title: 'Обзор',
    perfTitle: 'Качество и успеваемость по классам',
    perfDesc: 'Качество знаний и успеваемость в процентах по {n} классам с итоговыми отметками за период «{period}». Те же числа — в таблице под диаграммой.',
    perfNone: 'За этот период итоговые отметки ещё не выставлены.',
    noMarkClasses: 'Классов без итоговых отметок: {n}.',
    attTitle: 'Посещаемость по классам',
    attDesc: 'Доля посещённых уроков в процентах по {n} классам за {from} — {to}. Те же числа — в таблице под диаграммой.',
    attNone: 'Уроков за период ещё не было.',
    trendTitle: 'Динамика по предмету',
    trendDesc: 'Качество знаний и успеваемость по предмету «{subject}» по четвертям ({scope}). Те же числа — в таблице под диаграммой.',
    trendYear: 'За год: качество {q}, успеваемость {s}.',
    trendNone: 'По предмету нет итоговых отметок ни за одну четверть.',
    counted: '{n} из {roll}',
    allReports: 'Все отчёты',
    warnings: 'Группа риска',
    howCounted: 'Как считаются показатели',
  },
  en: {
    title: 'Dashboard',
    perfTitle: 'Quality and success per class',
    perfDesc: 'Quality and success in per cent for the {n} classes with term marks for “{period}”. The same numbers are in the table under the chart.',
    perfNone: 'No term marks have been given for this period yet.',
    noMarkClasses: 'Classes without term marks: {n}.',
    attTitle: 'Attendance per class',
    attDesc: 'Share of lessons attended, in per cent, for {n} classes from {from} to {to}. The same numbers are in the table under the chart.',
    attNone: 'No lessons have been held in the period yet.',
    trendTitle: 'Subject trend',
    trendDesc: 'Quality and success in “{subject}” term by term ({scope}). The same numbers are in the table under the chart.',
    trendYear: 'For the year: quality {q}, success {s}.',
    trendNone: 'The subject has no term marks in any term.',
    counted: '{n} of {roll}',
    allReports: 'All reports',
    warnings: 'At risk',
    howCounted: 'How the figures are counted',
  },
});

export default function Dashboard(p: ScreenProps) {
  const { dir, error } = useDir(p.me);
  return (
    <section class="dash">
      {dir ? <Board dir={dir} query={p.query} /> : (
        <div class="card wide">
          <h2>{tr('title')}</h2>
          {error ? <p class="error" role="alert">{error}</p> : <p role="status">{common('loadingReport')}</p>}
        </div>
      )}
    </section>
  );
}

function Board({ dir, query }: { dir: Dir; query: URLSearchParams }) {
  const q = queryOf(query);
  const y = yearOf(dir, q.year_id ?? null);
  const values: Record<string, string> = { year_id: y?.id ?? '', period: q.period ?? currentTerm(y), grade: q.grade ?? '', subject_id: q.subject_id ?? '' };
  const base = { year_id: values.year_id, period: values.period, grade: values.grade };
  const perf = useReport<Performance>(`v1/reports/performance${apiQuery(base)}`);
  const att = useReport<Attendance>(`v1/reports/attendance${apiQuery(base)}`);
  const [attJob, setAttJob] = useState<{ key: string; data: Attendance } | null>(null);
  const attParams = Object.fromEntries(Object.entries(base).filter(([, v]) => v)) as Record<string, string>;
  const attKey = jobKey('attendance', attParams);
  const attData = att.data ?? (attJob?.key === attKey ? attJob.data : undefined);

  // The trend's subject: the chosen one, else the first with term marks in the period, else the first.
  const subjects = [...dir.subjects.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  const subject = values.subject_id || perf.data?.subjects.find((s) => s.figures.n > 0)?.subject_id || (perf.loading ? '' : subjects[0]?.id ?? '');
  const trend = useReport<Trend>(subject ? `v1/reports/subjects/${encodeURIComponent(subject)}/trend${apiQuery({ year_id: values.year_id, grade: values.grade })}` : null);

  const change = (f: Field, v: string) => setRoute('dashboard', [], { ...q, [f]: v, ...(f === 'year_id' ? { period: '' } : {}) });
  const periodLabel = periodName(y, values.period);
  const s = perf.data?.school;
  const withMarks = perf.data?.classes.filter((c) => c.figures.n > 0) ?? [];
  const attRows = attData?.classes.filter((c) => c.figures.percent !== undefined) ?? [];

  const trendTerms = trend.data ? (values.grade ? trend.data.parallels.find((g) => String(g.grade) === values.grade)?.terms : trend.data.school) ?? trend.data.school : [];
  const terms = trendTerms.filter((t) => t.period !== 'year');
  const yearFig = trendTerms.find((t) => t.period === 'year')?.figures;
  const subjectName = dir.subjects.get(subject)?.name ?? subject;
  const reportsLink = `#/reports/performance${apiQuery(base)}`;

  return (
    <>
      <div class="card wide">
        <h2>{tr('title')}</h2>
        <Filters dir={dir} fields={['year_id', 'period', 'grade']} values={values} onChange={change} periodYear />
        <p class="links"><a href={reportsLink}>{tr('allReports')}</a> · <a href="#/warnings">{tr('warnings')}</a></p>
        <RepState rep={perf} />
        {s && (
          <Tiles
            items={[
              [common('success'), pct(s.success)],
              [common('quality'), pct(s.quality)],
              [common('sou'), pct(s.sou)],
              [common('average'), fmtNum(s.average)],
              [common('counted'), tr('counted', { n: s.n, roll: s.roll })],
              [common('attendance'), attData ? pct(attData.school.percent) : att.loading ? '…' : '—'],
            ]}
          />
        )}
      </div>
      {perf.error ? null : <>
      {perf.data && (
        <article class="card chart-card" aria-labelledby="perf-h">
          <h3 id="perf-h">{tr('perfTitle')}: {periodLabel}</h3>
          {withMarks.length === 0 ? (
            <p class="muted">{tr('perfNone')}</p>
          ) : (
            <BarChart
              title={tr('perfTitle')}
              desc={tr('perfDesc', { n: withMarks.length, period: periodLabel })}
              head={common('cls')}
              series={[{ name: common('quality'), cls: 'quality' }, { name: common('success'), cls: 'success' }]}
              rows={withMarks.map((c) => ({ label: c.class_name ?? c.class_id, values: [c.figures.quality, c.figures.success] }))}
            />
          )}
          {withMarks.length > 0 && withMarks.length < perf.data.classes.length && (
            <p class="muted">{tr('noMarkClasses', { n: perf.data.classes.length - withMarks.length })}</p>
          )}
          <details class="notes">
            <summary>{tr('howCounted')}</summary>
            <p>{perf.data.definition_text}</p>
          </details>
        </article>
      )}
      <article class="card chart-card" aria-labelledby="att-h">
        <h3 id="att-h">{tr('attTitle')}: {periodLabel}</h3>
        <RepState rep={att} />
        {att.tooLarge && <JobPanel<Attendance> kind="attendance" params={attParams} message={att.tooLarge} onResult={(data) => setAttJob({ key: attKey, data })} />}
        {attData && (attRows.length === 0 ? (
          <p class="muted">{tr('attNone')}</p>
        ) : (
          <BarChart
            title={tr('attTitle')}
            desc={tr('attDesc', { n: attRows.length, from: attData.from, to: attData.to })}
            head={common('cls')}
            series={[{ name: common('attendance'), cls: 'att' }]}
            rows={attRows.map((c) => ({ label: c.class_name ?? c.class_id, values: [c.figures.percent] }))}
          />
        ))}
      </article>
      <article class="card chart-card wide" aria-labelledby="trend-h">
        <h3 id="trend-h">{tr('trendTitle')}</h3>
        <Filters dir={dir} fields={['subject_id']} required={['subject_id']} values={{ ...values, subject_id: subject }} onChange={change} />
        <RepState rep={trend} />
        {trend.data && (terms.every((t) => t.figures.n === 0) ? (
          <p class="muted">{tr('trendNone')}</p>
        ) : (
          <>
            <LineChart
              title={`${tr('trendTitle')}: ${subjectName}`}
              desc={tr('trendDesc', { subject: subjectName, scope: values.grade ? common('gradeN', { n: values.grade }) : common('allSchool') })}
              head={common('period')}
              labels={terms.map((t) => periodName(y, t.period))}
              series={[
                { name: common('quality'), cls: 'quality', values: terms.map((t) => t.figures.quality) },
                { name: common('success'), cls: 'success', values: terms.map((t) => t.figures.success) },
              ]}
            />
            {yearFig && yearFig.n > 0 && <p>{tr('trendYear', { q: pct(yearFig.quality), s: pct(yearFig.success) })}</p>}
          </>
        ))}
      </article>
      </>}
    </>
  );
}
