// Overview is the class teacher's view of a term: every subject × every student with the term mark (given or
// suggested) and the average, failing marks in red, each student's missed lessons, and links to their diary
// and marks.
import { t } from '../i18n';
import type { Directory, Term } from '../model';
import { fmtNum, useLoad, Wait } from '../ui';
import { currentTerm, goPart, Scroll, TermSelect, tr, yearOf } from './common';

/** Grade is one student's result in one subject (ViewGrade). */
interface Grade {
  marks_count: number;
  average?: number;
  suggested: string;
  suggested_explain: string;
  term_mark?: string;
}

/** Totals are attendance totals (ViewAttendanceTotals / AttendanceTotals). */
export interface Totals {
  lessons: number;
  present: number;
  missed: number;
  ill: number;
  excused: number;
  unexcused: number;
  late: number;
  percent: number;
}

interface ViewOverview {
  class_id: string;
  term: Term;
  subjects: { id: string; name: string }[];
  students: { id: string; full_name: string; subjects: Record<string, Grade>; attendance: Totals }[];
}

const failing = (m?: string) => m === '2' || m === 'н/а';

/** mean is the mean of the numbers given, undefined without any. */
export function mean(xs: (number | undefined)[]): number | undefined {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 : undefined;
}

export function Overview({ classID, dir, query }: { classID: string; dir: Directory; query: URLSearchParams }) {
  const year = yearOf(dir, classID);
  const termID = query.get('term') ?? currentTerm(year)?.id ?? '';
  const l = useLoad<ViewOverview>(termID ? `v1/classes/${encodeURIComponent(classID)}/overview?term_id=${encodeURIComponent(termID)}` : null);
  const short = (id: string, name: string) => dir.subjects.get(id)?.short_name ?? name;

  return (
    <div class="card">
      <div class="filters">
        <TermSelect terms={year?.terms ?? []} value={termID} onChange={(t) => goPart(classID, 'overview', { term: t })} />
      </div>
      <Wait l={l}>
        {(v) => (
          <>
            <h3>{tr('overviewTitle', { term: v.term.name })}</h3>
            {l.loading && <p role="status" class="muted">{t('loading')}</p>}
            {v.students.length === 0 ? (
              <p>{tr('noStudents')}</p>
            ) : v.subjects.length === 0 ? (
              <p>{tr('noSubjects')}</p>
            ) : (
              <>
                <p class="muted ct-legend">{tr('legend')}</p>
                <Scroll label={tr('overviewTitle', { term: v.term.name })}>
                  <table class="data ct-grid">
                    <thead>
                      <tr>
                        <th scope="col">{tr('student')}</th>
                        {v.subjects.map((s) => (
                          <th scope="col" key={s.id} class="num" title={s.name}>
                            <abbr title={s.name}>{short(s.id, s.name)}</abbr>
                          </th>
                        ))}
                        <th scope="col" class="num">{tr('avgAll')}</th>
                        <th scope="col" class="num">{tr('missedOf')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {v.students.map((st) => (
                        <tr key={st.id} data-student={st.id}>
                          <th scope="row" class="who">
                            {st.full_name}
                            <span class="ct-links">
                              <a href={`#/marks/${encodeURIComponent(st.id)}`} aria-label={tr('marksOf', { name: st.full_name })}>{tr('marksLink')}</a>
                              <a href={`#/diary/${encodeURIComponent(st.id)}`} aria-label={tr('diaryOf', { name: st.full_name })}>{tr('diaryLink')}</a>
                            </span>
                          </th>
                          {v.subjects.map((s) => <GradeCell key={s.id} g={st.subjects[s.id]} />)}
                          <td class="num">{fmtNum(mean(v.subjects.map((s) => st.subjects[s.id]?.average)))}</td>
                          <td class="num">
                            {st.attendance.missed}
                            {st.attendance.unexcused > 0 && <> ({st.attendance.unexcused})</>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">{tr('classAvg')}</th>
                        {v.subjects.map((s) => <td key={s.id} class="num">{fmtNum(mean(v.students.map((st) => st.subjects[s.id]?.average)))}</td>)}
                        <td class="num">{fmtNum(mean(v.students.map((st) => mean(v.subjects.map((s) => st.subjects[s.id]?.average)))))}</td>
                        <td class="num">{v.students.reduce((n, st) => n + st.attendance.missed, 0)}</td>
                      </tr>
                    </tfoot>
                  </table>
                </Scroll>
              </>
            )}
          </>
        )}
      </Wait>
    </div>
  );
}

/** GradeCell shows a student's term mark in a subject (given in bold, else the suggested one once there are
 * marks) over the average; 2 and н/а in red. */
function GradeCell({ g }: { g?: Grade }) {
  if (!g) return <td class="num muted">—</td>;
  const mark = g.term_mark ?? (g.marks_count > 0 ? g.suggested : undefined);
  return (
    <td class={`num${failing(mark) ? ' fail' : ''}`} title={g.suggested_explain}>
      {mark ? <span class={g.term_mark ? 'tm' : 'sug'}>{mark}</span> : <span class="muted">—</span>}
      {g.average !== undefined && <small>{fmtNum(g.average)}</small>}
    </td>
  );
}
