// Reports are the class teacher's term reports of a class: the class teacher's report (the class's figures,
// each subject's, the students one mark short of a better category, the failing marks) and the summary sheet
// (students × subjects term marks), each downloadable as XLSX, PDF or CSV.
import type { Directory } from '../model';
import { DownloadButtons, fmtNum, useLoad, Wait } from '../ui';
import { currentTerm, goPart, Scroll, TermSelect, tr, yearOf } from './common';

interface Figures {
  roll: number;
  students: number;
  marks: number;
  n: number;
  n5: number;
  n4: number;
  n3: number;
  n2: number;
  na: number;
  exempt: number;
  no_mark: number;
  incomplete: number;
  excellent: number;
  good: number;
  satisfactory: number;
  failing: number;
  success?: number;
  quality?: number;
  sou?: number;
  average?: number;
}

interface SubjectFigures { subject_id: string; subject_name?: string; figures: Figures }
interface StudentSubject { student_id: string; name: string; subject_id: string; value: string }

interface ClassTeacherReport {
  class_id: string;
  period: string;
  end: string;
  definition_text: string;
  figures: Figures;
  subjects: SubjectFigures[];
  one_three: StudentSubject[];
  one_four: StudentSubject[];
  failing: StudentSubject[];
}

interface SummarySheet {
  class_id: string;
  period: string;
  definition_text: string;
  subjects: SubjectFigures[];
  rows: { student_id: string; name: string; arrived?: string; marks: string[]; average?: number; category?: string }[];
  figures: Figures;
}

const failing = (m: string) => m === '2' || m === 'н/а';

export function Reports({ classID, dir, query }: { classID: string; dir: Directory; query: URLSearchParams }) {
  const year = yearOf(dir, classID);
  const period = query.get('period') ?? currentTerm(year)?.id ?? 'year';
  const base = `v1/classes/${encodeURIComponent(classID)}/reports`;
  const q = `period=${encodeURIComponent(period)}${year ? `&year_id=${encodeURIComponent(year.id)}` : ''}`;
  const report = useLoad<ClassTeacherReport>(`${base}/class-teacher?${q}`);
  const sheet = useLoad<SummarySheet>(`${base}/summary-sheet?${q}`);
  const short = (s: SubjectFigures) => dir.subjects.get(s.subject_id)?.short_name ?? s.subject_name ?? s.subject_id;

  return (
    <>
      <div class="card">
        <div class="filters">
          <TermSelect terms={year?.terms ?? []} value={period} year onChange={(p) => goPart(classID, 'reports', { period: p })} />
        </div>
        <Wait l={report}>{(r) => <ClassTeacher r={r} path={`${base}/class-teacher?${q}`} short={short} />}</Wait>
      </div>
      {!report.error && (
        <div class="card">
          <Wait l={sheet}>{(s) => <Sheet s={s} path={`${base}/summary-sheet?${q}`} short={short} />}</Wait>
        </div>
      )}
    </>
  );
}

function ClassTeacher({ r, path, short }: { r: ClassTeacherReport; path: string; short: (s: SubjectFigures) => string }) {
  const f = r.figures;
  const subject = new Map(r.subjects.map((s) => [s.subject_id, s.subject_name ?? s.subject_id]));
  const rows: [string, string | number][] = [
    [tr('roll'), f.roll],
    [tr('attested'), f.students],
    [tr('excellent'), f.excellent],
    [tr('good'), f.good],
    [tr('satisfactory'), f.satisfactory],
    [tr('failing'), f.failing],
    [tr('na'), f.na],
    [tr('success'), fmtNum(f.success)],
    [tr('quality'), fmtNum(f.quality)],
    [tr('sou'), fmtNum(f.sou)],
    [tr('average'), fmtNum(f.average)],
  ];
  const list = (title: string, items: StudentSubject[]) => (
    <>
      <h4>{title}</h4>
      {items.length === 0 ? (
        <p class="muted">{tr('nobody')}</p>
      ) : (
        <ul class="ct-list">
          {items.map((x) => (
            <li key={`${x.student_id}-${x.subject_id}`}>
              {x.name} — {subject.get(x.subject_id) ?? x.subject_id}
              {x.value && x.value !== '3' && x.value !== '4' ? <> (<span class="bad">{x.value}</span>)</> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
  return (
    <section aria-labelledby="ct-report-h">
      <div class="ct-title">
        <h3 id="ct-report-h">{tr('ctReport')}</h3>
        <DownloadButtons path={path} />
      </div>
      <div class="ct-cols">
        <div>
          <table class="data ct-figures">
            <caption class="ct-cap">{tr('figures')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('figure')}</th>
                <th scope="col" class="num">{tr('value')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td class="num">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          {list(tr('oneThree'), r.one_three)}
          {list(tr('oneFour'), r.one_four)}
          {list(tr('failingMarks'), r.failing)}
        </div>
      </div>
      <h4>{tr('bySubject')}</h4>
      <Scroll label={tr('bySubject')}>
        <table class="data ct-grid">
          <thead>
            <tr>
              <th scope="col">{tr('subject')}</th>
              <th scope="col" class="num">N</th>
              <th scope="col" class="num">«5»</th>
              <th scope="col" class="num">«4»</th>
              <th scope="col" class="num">«3»</th>
              <th scope="col" class="num">«2»</th>
              <th scope="col" class="num">{tr('na')}</th>
              <th scope="col" class="num">{tr('success')}</th>
              <th scope="col" class="num">{tr('quality')}</th>
              <th scope="col" class="num">{tr('sou')}</th>
              <th scope="col" class="num">{tr('average')}</th>
            </tr>
          </thead>
          <tbody>
            {r.subjects.map((s) => (
              <tr key={s.subject_id}>
                <th scope="row" class="who" title={s.subject_name}>{short(s)}</th>
                <td class="num">{s.figures.n}</td>
                <td class="num">{s.figures.n5}</td>
                <td class="num">{s.figures.n4}</td>
                <td class="num">{s.figures.n3}</td>
                <td class={`num${s.figures.n2 ? ' fail' : ''}`}>{s.figures.n2}</td>
                <td class={`num${s.figures.na ? ' fail' : ''}`}>{s.figures.na}</td>
                <td class="num">{fmtNum(s.figures.success)}</td>
                <td class="num">{fmtNum(s.figures.quality)}</td>
                <td class="num">{fmtNum(s.figures.sou)}</td>
                <td class="num">{fmtNum(s.figures.average)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <details class="ct-def">
        <summary>{tr('definition')}</summary>
        <p>{r.definition_text}</p>
      </details>
    </section>
  );
}

function Sheet({ s, path, short }: { s: SummarySheet; path: string; short: (s: SubjectFigures) => string }) {
  const category = (c?: string) => (c === 'excellent' || c === 'good' || c === 'satisfactory' || c === 'failing' ? tr(`cat${c}`) : '—');
  return (
    <section aria-labelledby="ct-sheet-h">
      <div class="ct-title">
        <h3 id="ct-sheet-h">{tr('sheet')}</h3>
        <DownloadButtons path={path} />
      </div>
      {s.rows.length === 0 ? (
        <p>{tr('noStudents')}</p>
      ) : (
        <Scroll label={tr('sheet')}>
          <table class="data ct-grid ct-sheet">
            <thead>
              <tr>
                <th scope="col">{tr('student')}</th>
                {s.subjects.map((x) => (
                  <th scope="col" class="num" key={x.subject_id}>
                    <abbr title={x.subject_name}>{short(x)}</abbr>
                  </th>
                ))}
                <th scope="col" class="num">{tr('average')}</th>
                <th scope="col">{tr('category')}</th>
              </tr>
            </thead>
            <tbody>
              {s.rows.map((row) => (
                <tr key={row.student_id} data-student={row.student_id}>
                  <th scope="row" class="who">{row.name}</th>
                  {row.marks.map((m, i) => (
                    <td key={s.subjects[i]?.subject_id ?? i} class={`num${failing(m) ? ' fail' : ''}`}>{m || <span class="muted">—</span>}</td>
                  ))}
                  <td class="num">{fmtNum(row.average)}</td>
                  <td class={row.category === 'failing' ? 'fail' : undefined}>{category(row.category)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{tr('success')}</th>
                {s.subjects.map((x) => <td class="num" key={x.subject_id}>{fmtNum(x.figures.success)}</td>)}
                <td class="num">{fmtNum(s.figures.success)}</td>
                <td />
              </tr>
              <tr>
                <th scope="row">{tr('quality')}</th>
                {s.subjects.map((x) => <td class="num" key={x.subject_id}>{fmtNum(x.figures.quality)}</td>)}
                <td class="num">{fmtNum(s.figures.quality)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </Scroll>
      )}
    </section>
  );
}
