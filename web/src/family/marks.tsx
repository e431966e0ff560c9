// Marks: a student's marks by subject for a term with the averages and term marks the API computes
// (#/marks/<student>/<term>), and the term marks of the whole school year.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { strings } from '../i18n';
import { shortDate, today, type Term, type ViewMark } from '../model';
import { errorText, fmtDate, fmtNum, Tabs, useLoad, type ScreenProps } from '../ui';
import { ChildSwitch, markClass, NoStudent, useDirectory, useStudent, withName, yearOf } from './common';

const tr = strings({
  ru: {
    title: 'Оценки', loading: 'Загрузка…', noMarks: 'Отметок за этот период нет.', average: 'ср.', termMark: 'итог',
    suggested: 'предв.', year: 'Итоговые отметки за год', subject: 'Предмет', noTerm: 'Учебный год не найден.',
    legend: 'Маленькая цифра после отметки — её вес. Средний балл считает школа (взвешенный: вес контрольной больше). «итог» — выставленная отметка за период, «предв.» — предлагаемая по среднему.',
    yearLegend: '— — отметка за период ещё не выставлена.', weight: 'вес {w}', debts: 'Академических задолженностей: {n}.',
    debtsLink: 'Подробнее', marksOf: 'Отметки по предмету {name}',
  },
  en: {
    title: 'Marks', loading: 'Loading…', noMarks: 'No marks in this term.', average: 'avg', termMark: 'term',
    suggested: 'suggested', year: 'Term marks of the year', subject: 'Subject', noTerm: 'No school year found.',
    legend: 'The small figure after a mark is its weight. The school counts the average (weighted: a test weighs more). "term" is the term mark given, "suggested" the one the average suggests.',
    yearLegend: '— — no term mark given yet.', weight: 'weight {w}', debts: 'Academic debts: {n}.',
    debtsLink: 'Details', marksOf: 'Marks in {name}',
  },
});

interface SummarySubject {
  id: string;
  name: string;
  marks: ViewMark[];
  marks_count: number;
  average?: number;
  suggested: string;
  suggested_explain: string;
  term_mark?: string;
}

/** Summary is GET /v1/students/{id}/summary. */
interface Summary {
  student_id: string;
  term: Term;
  subjects: SummarySubject[];
  debts: { subject_id: string; subject: string; period: string; value: string; closed: boolean }[];
}

export default function Marks({ me, args }: ScreenProps) {
  const student = useStudent(me, args[0]);
  const { dir, error: dirError } = useDirectory();
  const workTypes = useLoad<{ items: { id: string; name: string }[] }>('v1/work-types');
  const year = dir ? yearOf(dir, student?.classID) : undefined;
  const d = today();
  const started = year?.terms.filter((t) => t.start <= d) ?? [];
  const terms = started.length ? started : year?.terms.slice(0, 1) ?? [];
  const current = terms.find((t) => t.id === args[1]) ?? terms.find((t) => t.start <= d && d <= t.end) ?? terms[terms.length - 1];

  // The summaries of every term begun so far, for the key (student and terms) they were read for.
  const [loaded, setLoaded] = useState<{ key: string; sums?: Record<string, Summary>; error?: string }>({ key: '' });
  const key = student && terms.length ? `${student.id}|${terms.map((t) => t.id).join(',')}` : '';
  useEffect(() => {
    if (!key || !student) return;
    let live = true;
    const base = `v1/students/${encodeURIComponent(student.id)}/summary?term_id=`;
    Promise.all(terms.map((t) => get<Summary>(base + encodeURIComponent(t.id)))).then(
      (list) => live && setLoaded({ key, sums: Object.fromEntries(list.map((s) => [s.term.id, s])) }),
      (e) => live && setLoaded({ key, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  if (!student) return <NoStudent />;
  const sums = loaded.key === key ? loaded.sums ?? {} : {};
  const error = loaded.key === key ? loaded.error : '';
  const sid = encodeURIComponent(student.id);
  const sum = current ? sums[current.id] : undefined;
  const typeName = (id: string) => workTypes.data?.items.find((w) => w.id === id)?.name ?? id;
  const openDebts = sum?.debts.filter((x) => !x.closed).length ?? 0;
  const failed = error || (dirError ? errorText(dirError) : '');

  return (
    <section class="family">
      <div class="card">
        <ChildSwitch me={me} id={student.id} route="marks" rest={current ? [current.id] : []} />
        <h2>{withName(tr('title'), student)}</h2>
        {terms.length > 1 && (
          <Tabs items={terms.map((t) => ({ id: t.id, href: `#/marks/${sid}/${encodeURIComponent(t.id)}`, label: t.name }))} current={current?.id ?? ''} />
        )}
      </div>
      {failed && <p class="error card" role="alert">{failed}</p>}
      {!failed && dir && !year && <p class="card muted" role="status">{tr('noTerm')}</p>}
      {!failed && (!dir || (year && !sum)) && <p class="card" role="status">{tr('loading')}</p>}
      {sum && current && (
        <div class="card">
          <h3>{current.name} <span class="muted">({fmtDate(current.start)} — {fmtDate(current.end)})</span></h3>
          {sum.subjects.length === 0 && <p class="muted">{tr('noMarks')}</p>}
          <ul class="subjects by-subject">
            {sum.subjects.map((s) => (
              <li key={s.id} data-subject={s.id}>
                <div class="subject-head">
                  <strong>{s.name}</strong>
                  <span class="figures">
                    <span>{tr('average')} <b class="average">{fmtNum(s.average)}</b></span>
                    {s.term_mark
                      ? <span>{tr('termMark')} <b class={markClass(s.term_mark)}>{s.term_mark}</b></span>
                      : <span class="muted">{tr('suggested')} <b>{s.suggested}</b></span>}
                  </span>
                </div>
                <ul class="chips" aria-label={tr('marksOf', { name: s.name })}>
                  {s.marks.map((m) => (
                    <li key={m.id} title={`${fmtDate(m.date)} · ${typeName(m.work_type)} · ${tr('weight', { w: fmtNum(m.weight) })}${m.comment ? ` · ${m.comment}` : ''}`}>
                      <span><span class={`mark m${m.value}`}>{m.value}</span>{m.weight !== 1 && <sup class="weight">{fmtNum(m.weight)}</sup>}</span>
                      <span class="when">{shortDate(m.date)}</span>
                    </li>
                  ))}
                </ul>
                <p class="explain muted">{s.suggested_explain}</p>
              </li>
            ))}
          </ul>
          {openDebts > 0 && <p class="error">{tr('debts', { n: openDebts })} <a href={`#/debts/${sid}`}>{tr('debtsLink')}</a></p>}
          {sum.subjects.length > 0 && <p class="muted small">{tr('legend')}</p>}
        </div>
      )}
      {year && Object.keys(sums).length > 0 && <YearTable terms={year.terms} sums={sums} />}
    </section>
  );
}

/** YearTable shows the term marks given in each subject, term by term. */
function YearTable({ terms, sums }: { terms: Term[]; sums: Record<string, Summary> }) {
  const names = new Map<string, string>();
  for (const t of terms) for (const s of sums[t.id]?.subjects ?? []) names.set(s.id, s.name);
  const subjects = [...names].sort((a, b) => a[1].localeCompare(b[1]));
  if (!subjects.length) return null;
  const mark = (term: string, subject: string) => sums[term]?.subjects.find((s) => s.id === subject)?.term_mark;
  return (
    <div class="card">
      <h3>{tr('year')}</h3>
      <div class="table-wrap">
        <table class="data year">
          <thead>
            <tr>
              <th scope="col">{tr('subject')}</th>
              {terms.map((t, i) => (
                <th scope="col" class="num" key={t.id}><span aria-hidden="true">{i + 1}</span><span class="sr">{t.name}</span></th>
              ))}
            </tr>
          </thead>
          <tbody>
            {subjects.map(([id, name]) => (
              <tr key={id}>
                <th scope="row">{name}</th>
                {terms.map((t) => {
                  const v = mark(t.id, id);
                  return <td class="num" key={t.id}>{v ? <b class={markClass(v)}>{v}</b> : '—'}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">{tr('yearLegend')}</p>
    </div>
  );
}
