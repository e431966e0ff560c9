// Attendance is a class's attendance for a period (a term by default): each student's lessons, missed ones (ill,
// excused, without reason) and late arrivals, and the absences without reason, which the class teacher excuses
// on a parent's note (POST …/justify): the row moves to the excused list and the totals are read again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { t } from '../i18n';
import { addDays, today, type Diary, type Directory, type Term } from '../model';
import { ErrorNote, errorText, fmtDate, fmtNum, useLoad, Wait } from '../ui';
import { codeText, currentTerm, goPart, Scroll, TermSelect, tr, yearOf } from './common';
import type { Totals } from './overview';

interface ClassTotals {
  from: string;
  to: string;
  totals: Totals;
  students: { student_id: string; totals: Totals }[];
}

interface Person { id: string; full_name: string }

/** Absence is one student's missed lesson, found in their diary. */
interface Absence {
  lesson_id: string;
  student_id: string;
  date: string;
  period?: number;
  subject: string;
  code: string;
  reason?: string;
}

interface AttendanceRecord { lesson_id: string; student_id: string; code: string; reason?: string }

const zero: Totals = { lessons: 0, present: 0, missed: 0, ill: 0, excused: 0, unexcused: 0, late: 0, percent: 0 };
const key = (a: { lesson_id: string; student_id: string }) => `${a.lesson_id}|${a.student_id}`;
const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** termEnd is a term's last day, or today while the term goes on. */
function termEnd(term: Term): string {
  const d = today();
  return term.start <= d && d < term.end ? d : term.end;
}

/** loadAbsences reads the diaries of the students given (at most 62 days per request, 4 requests at a time)
 * and keeps their absences: н, б and у. Diaries are not kept on the device (call, not get). */
async function loadAbsences(students: string[], from: string, to: string): Promise<Absence[]> {
  const spans: [string, string][] = [];
  for (let a = from; a <= to; ) {
    const b = addDays(a, 61) < to ? addDays(a, 61) : to;
    spans.push([a, b]);
    a = addDays(b, 1);
  }
  const jobs = students.flatMap((s) => spans.map(([a, b]) => [s, a, b] as const));
  const out: Absence[] = [];
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [s, a, b] = job;
      const d = await call<Diary>('GET', `v1/students/${encodeURIComponent(s)}/diary?from=${a}&to=${b}`);
      for (const day of d.days)
        for (const l of day.lessons)
          if (l.attendance && 'нбу'.includes(l.attendance))
            out.push({ lesson_id: l.lesson_id, student_id: s, date: day.date, period: l.period, subject: l.subject ?? l.subject_id ?? '', code: l.attendance });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out.sort((x, y) => y.date.localeCompare(x.date) || (x.period ?? 0) - (y.period ?? 0) || x.student_id.localeCompare(y.student_id));
}

export function Attendance({ classID, dir, query }: { classID: string; dir: Directory; query: URLSearchParams }) {
  const year = yearOf(dir, classID);
  const terms = year?.terms ?? [];
  const qFrom = query.get('from');
  const qTo = query.get('to');
  const custom = isDate(qFrom) && isDate(qTo);
  const term = terms.find((x) => x.id === query.get('term')) ?? currentTerm(year);
  const from = custom ? qFrom : term?.start ?? today();
  const to = custom ? qTo : term ? termEnd(term) : today();
  const enc = encodeURIComponent(classID);
  const totals = useLoad<ClassTotals>(`v1/classes/${enc}/attendance?from=${from}&to=${to}`);
  const roster = useLoad<{ items: Person[] }>(`v1/classes/${enc}/students`);
  const [abs, setAbs] = useState<{ list?: Absence[]; error?: string }>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState('');

  useEffect(() => setSaved(''), [from, to]);

  // The absences are read again whenever the totals are (a new period, or after an absence was excused).
  useEffect(() => {
    const d = totals.data;
    if (!d || d.from !== from || d.to !== to) return setAbs({});
    let live = true;
    const who = d.students.filter((s) => s.totals.missed > 0).map((s) => s.student_id);
    loadAbsences(who, d.from, d.to).then(
      (list) => live && setAbs({ list }),
      (e) => live && setAbs((s) => ({ list: s.list, error: errorText(e) })),
    );
    return () => {
      live = false;
    };
  }, [totals.data, from, to]);

  const names = new Map((roster.data?.items ?? []).map((p) => [p.id, p.full_name]));
  const name = (id: string) => names.get(id) ?? id;

  function justified(a: Absence, r: AttendanceRecord) {
    setReasons((m) => ({ ...m, [key(a)]: r.reason ?? '' }));
    setAbs((s) => ({ ...s, list: s.list?.map((x) => (key(x) === key(a) ? { ...x, code: r.code } : x)) }));
    setSaved(tr('saved', { name: name(a.student_id), date: fmtDate(a.date) }));
    totals.reload();
  }

  const list = abs.list?.map((a) => ({ ...a, reason: reasons[key(a)] }));
  const open = list?.filter((a) => a.code === 'н') ?? [];
  const done = list?.filter((a) => a.code !== 'н') ?? [];

  return (
    <>
      <div class="card">
        <PeriodForm
          key={`${from}|${to}`}
          terms={terms}
          term={custom ? '' : term?.id ?? ''}
          from={from}
          to={to}
          go={(q) => goPart(classID, 'attendance', q)}
        />
        <Wait l={totals}>
          {(d) => <TotalsTable d={d} people={roster.data?.items ?? []} name={name} />}
        </Wait>
      </div>
      {totals.data && (
        <>
          <div class="card" id="ct-unexcused">
            <h3>{tr('toJustify')}</h3>
            <p class="muted">{tr('toJustifyHint')}</p>
            <p role="status" class="ct-saved">{saved}</p>
            <ErrorNote error={abs.error} />
            {!abs.list && !abs.error && <p role="status">{t('loading')}</p>}
            {abs.list && open.length === 0 && <p>{tr('noneToJustify')}</p>}
            {open.length > 0 && (
              <ul class="ct-absences">
                {open.map((a) => (
                  <li key={key(a)} data-lesson={a.lesson_id} data-student={a.student_id}>
                    <AbsenceText a={a} name={name(a.student_id)} />
                    <Justify a={a} name={name(a.student_id)} onDone={justified} onStale={totals.reload} />
                  </li>
                ))}
              </ul>
            )}
            <datalist id="ct-reasons">
              {(['reasonParents', 'reasonDoctor', 'reasonCompetition', 'reasonSchool'] as const).map((k) => <option key={k} value={tr(k)} />)}
            </datalist>
          </div>
          <div class="card" id="ct-excused">
            <h3>{tr('justified')}</h3>
            {abs.list && done.length === 0 && <p>{tr('noneJustified')}</p>}
            {done.length > 0 && (
              <ul class="ct-absences">
                {done.map((a) => (
                  <li key={key(a)} data-lesson={a.lesson_id} data-student={a.student_id}>
                    <AbsenceText a={a} name={name(a.student_id)} />
                    <span class={`att att-${a.code}`}>{a.code}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </>
  );
}

/** PeriodForm picks a term, or a period of one's own with two dates. */
function PeriodForm({ terms, term, from, to, go }: {
  terms: Term[];
  term: string;
  from: string;
  to: string;
  go: (q: Record<string, string>) => void;
}) {
  const [f, setF] = useState(from);
  const [tt, setT] = useState(to);
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        go({ from: f, to: tt });
      }}
    >
      <TermSelect terms={terms} value={term} other onChange={(id) => go(id ? { term: id } : { from, to })} />
      <label>
        {tr('from')}
        <input type="date" value={f} onInput={(e) => setF(e.currentTarget.value)} />
      </label>
      <label>
        {tr('to')}
        <input type="date" value={tt} onInput={(e) => setT(e.currentTarget.value)} />
      </label>
      <button type="submit" class="btn">{tr('show')}</button>
    </form>
  );
}

/** TotalsTable shows each student's attendance totals and the class's. */
function TotalsTable({ d, people, name }: { d: ClassTotals; people: Person[]; name: (id: string) => string }) {
  const by = new Map(d.students.map((s) => [s.student_id, s.totals]));
  const ids = [...people.map((p) => p.id), ...d.students.map((s) => s.student_id).filter((id) => !people.some((p) => p.id === id))];
  const row = (x: Totals) => (
    <>
      <td class="num">{x.lessons}</td>
      <td class="num">{x.missed}</td>
      <td class="num">{x.ill}</td>
      <td class="num">{x.excused}</td>
      <td class={`num${x.unexcused > 0 ? ' fail' : ''}`}>{x.unexcused}</td>
      <td class="num">{x.late}</td>
      <td class="num">{x.lessons ? fmtNum(x.percent) : '—'}</td>
    </>
  );
  return (
    <>
      <h3>{tr('attTitle', { from: fmtDate(d.from), to: fmtDate(d.to) })}</h3>
      {ids.length === 0 ? (
        <p>{tr('noStudents')}</p>
      ) : (
        <Scroll label={tr('attTitle', { from: fmtDate(d.from), to: fmtDate(d.to) })}>
          <table class="data ct-grid ct-totals">
            <thead>
              <tr>
                <th scope="col">{tr('student')}</th>
                <th scope="col" class="num">{tr('lessons')}</th>
                <th scope="col" class="num">{tr('missed')}</th>
                <th scope="col" class="num">{tr('ill')}</th>
                <th scope="col" class="num">{tr('excused')}</th>
                <th scope="col" class="num">{tr('unexcused')}</th>
                <th scope="col" class="num">{tr('late')}</th>
                <th scope="col" class="num">{tr('percent')}</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((id) => (
                <tr key={id} data-student={id}>
                  <th scope="row" class="who">{name(id)}</th>
                  {row(by.get(id) ?? zero)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-student="">
                <th scope="row">{tr('classTotal')}</th>
                {row(d.totals)}
              </tr>
            </tfoot>
          </table>
        </Scroll>
      )}
    </>
  );
}

function AbsenceText({ a, name }: { a: Absence; name: string }) {
  return (
    <div class="what">
      <strong>{name}</strong>
      <div>
        {fmtDate(a.date)}
        {a.period ? `, ${tr('periodNo', { n: a.period })}` : ''}, {a.subject}
      </div>
      <div class="muted">
        {codeText(a.code)}
        {a.reason ? `: ${a.reason}` : ''}
      </div>
    </div>
  );
}

/** Justify is the "excuse" button of an absence, opening a reason field; the API's refusal shows next to it
 * and keeps what was typed. A conflict (someone changed the record) reads the lists again. */
function Justify({ a, name, onDone, onStale }: {
  a: Absence;
  name: string;
  onDone: (a: Absence, r: AttendanceRecord) => void;
  onStale: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<{ field?: string; text?: string }>({});
  const input = useRef<HTMLInputElement>(null);
  const id = `ct-r-${key(a).replace(/[^\w-]/g, '_')}`;

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  if (!open) {
    return (
      <button type="button" class="btn" onClick={() => setOpen(true)} aria-label={tr('justifyAbsence', { name, date: fmtDate(a.date) })}>
        {tr('justify')}
      </button>
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErr({});
    try {
      const r = await call<AttendanceRecord>('POST', `v1/lessons/${encodeURIComponent(a.lesson_id)}/attendance/${encodeURIComponent(a.student_id)}/justify`, { reason: reason.trim() });
      onDone(a, r);
    } catch (x) {
      if (x instanceof ApiError && x.fields?.reason) {
        setErr({ field: x.fields.reason });
      } else {
        setErr({ text: errorText(x) });
        if (x instanceof ApiError && (x.status === 409 || x.status === 404 || x.fields?.code)) onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="ct-justify" onSubmit={submit} aria-label={tr('justifyAbsence', { name, date: fmtDate(a.date) })}>
      <label>
        {tr('reason')}
        <input
          ref={input}
          list="ct-reasons"
          value={reason}
          maxLength={500}
          onInput={(e) => setReason(e.currentTarget.value)}
          aria-invalid={err.field ? true : undefined}
          aria-describedby={err.field ? id : undefined}
        />
      </label>
      {err.field && <p class="error" role="alert" id={id}>{err.field}</p>}
      <div class="ct-row">
        <button type="submit" class="primary" disabled={busy}>{busy ? t('saving') : tr('save')}</button>
        <button type="button" class="btn" onClick={() => setOpen(false)}>{tr('cancel')}</button>
      </div>
      <ErrorNote error={err.text} />
    </form>
  );
}
