// Attendance is a class's attendance for a period (a term by default): each student's lessons, missed ones (ill,
// excused, without reason) and late arrivals, and the class's absences (GET /v1/classes/{id}/absences). The class
// teacher justifies an absence on a parent's note or a doctor's certificate (POST …/justify): ill (б) or excused
// (у), with the reason and a document; a justified one can be changed (у → б when the certificate comes). The row
// moves to the justified list at once, and the totals and the list are read again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { t } from '../i18n';
import { today, type Directory, type Term } from '../model';
import { ErrorNote, errorText, fmtDate, fmtNum, fmtTime, useLoad, Wait } from '../ui';
import { codeText, currentTerm, goPart, Scroll, TermSelect, tr, yearOf } from './common';
import type { Totals } from './overview';

interface ClassTotals {
  from: string;
  to: string;
  totals: Totals;
  students: { student_id: string; totals: Totals }[];
}

interface Person { id: string; full_name: string }

/** Absence is one missed lesson of the class, as GET /v1/classes/{id}/absences gives it. */
interface Absence {
  lesson_id: string;
  date: string;
  period: number;
  subject_id: string;
  subject_name?: string;
  student_id: string;
  student_name?: string;
  code: string;
  reason?: string;
  document?: string;
  justified_by?: string;
  justified_by_name?: string;
  justified_at?: string;
  version: number;
}

interface ClassAbsences { from: string; to: string; items: Absence[] }

/** AttendanceRecord is the answer of POST …/justify. */
interface AttendanceRecord {
  lesson_id: string;
  student_id: string;
  code: string;
  reason?: string;
  document?: string;
  justified_by?: string;
  justified_by_name?: string;
  justified_at?: string;
  version: number;
}

const zero: Totals = { lessons: 0, present: 0, missed: 0, ill: 0, excused: 0, unexcused: 0, late: 0, percent: 0 };
const key = (a: { lesson_id: string; student_id: string }) => `${a.lesson_id}|${a.student_id}`;
const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** termEnd is a term's last day, or today while the term goes on. */
function termEnd(term: Term): string {
  const d = today();
  return term.start <= d && d < term.end ? d : term.end;
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
  const absences = useLoad<ClassAbsences>(`v1/classes/${enc}/absences?from=${from}&to=${to}`);
  const roster = useLoad<{ items: Person[] }>(`v1/classes/${enc}/students`);
  // Records justified here, until the list read again has them (an index may lag a moment behind).
  const [justified, setJustified] = useState<Record<string, AttendanceRecord>>({});
  const [saved, setSaved] = useState('');

  useEffect(() => setSaved(''), [from, to]);

  const names = new Map((roster.data?.items ?? []).map((p) => [p.id, p.full_name]));
  const name = (id: string) => names.get(id) ?? id;
  const who = (a: Absence) => a.student_name ?? name(a.student_id);

  function done(a: Absence, r: AttendanceRecord) {
    setJustified((m) => ({ ...m, [key(a)]: r }));
    setSaved(tr('saved', { name: who(a), date: fmtDate(a.date), code: codeText(r.code) }));
    totals.reload();
    absences.reload();
  }

  function stale() {
    totals.reload();
    absences.reload();
  }

  const list = absences.data?.items
    .map((a) => {
      const r = justified[key(a)];
      return r && r.version > a.version ? { ...a, ...r } : a;
    })
    .sort((x, y) => y.date.localeCompare(x.date) || x.period - y.period || who(x).localeCompare(who(y)));
  const open = list?.filter((a) => a.code === 'н') ?? [];
  const excused = list?.filter((a) => a.code !== 'н') ?? [];

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
      <div class="card" id="ct-unexcused">
        <h3>{tr('toJustify')}</h3>
        <p class="muted">{tr('toJustifyHint')}</p>
        <p role="status" class="ct-saved">{saved}</p>
        {!list && <Wait l={absences}>{() => null}</Wait>}
        {list && open.length === 0 && <p>{tr('noneToJustify')}</p>}
        {open.length > 0 && (
          <ul class="ct-absences">
            {open.map((a) => (
              <li key={key(a)} data-lesson={a.lesson_id} data-student={a.student_id}>
                <AbsenceText a={a} name={who(a)} />
                <Justify a={a} name={who(a)} onDone={done} onStale={stale} />
              </li>
            ))}
          </ul>
        )}
        <datalist id="ct-reasons">
          {(['reasonIll', 'reasonParents', 'reasonDoctor', 'reasonCompetition', 'reasonSchool'] as const).map((k) => <option key={k} value={tr(k)} />)}
        </datalist>
        <datalist id="ct-documents">
          {(['docCertificate', 'docParents', 'docOrder'] as const).map((k) => <option key={k} value={tr(k)} />)}
        </datalist>
      </div>
      <div class="card" id="ct-excused">
        <h3>{tr('justified')}</h3>
        {list && excused.length === 0 && <p>{tr('noneJustified')}</p>}
        {excused.length > 0 && (
          <ul class="ct-absences">
            {excused.map((a) => (
              <li key={key(a)} data-lesson={a.lesson_id} data-student={a.student_id} data-code={a.code}>
                <AbsenceText a={a} name={who(a)} />
                <Justify a={a} name={who(a)} onDone={done} onStale={stale} again={!!a.justified_by} />
              </li>
            ))}
          </ul>
        )}
      </div>
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
        {a.period ? `, ${tr('periodNo', { n: a.period })}` : ''}, {a.subject_name ?? a.subject_id}
      </div>
      <div class="muted">
        <span class={`att att-${a.code}`}>{a.code}</span> {codeText(a.code)}
        {a.reason ? `: ${a.reason}` : ''}
        {a.document ? ` (${tr('documentShort')}: ${a.document})` : ''}
      </div>
      {a.justified_by && (
        <div class="muted ct-by">
          {tr('justifiedBy', { name: a.justified_by_name || a.justified_by, when: a.justified_at ? fmtTime(a.justified_at) : '' })}
        </div>
      )}
    </div>
  );
}

type Field = 'code' | 'reason' | 'document';

/** Justify is the "justify" button of an absence (with again, "change" on one justified before), opening a form: ill or
 * excused, the reason and an optional document. The API's refusal shows next to its field and keeps what was typed;
 * a conflict (someone changed the record) shows the API's message and reads the lists again. */
function Justify({ a, name, onDone, onStale, again }: {
  a: Absence;
  name: string;
  onDone: (a: Absence, r: AttendanceRecord) => void;
  onStale: () => void;
  again?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState(a.code === 'б' ? 'б' : 'у');
  const [reason, setReason] = useState(a.reason ?? '');
  const [doc, setDoc] = useState(a.document ?? '');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<{ fields?: Partial<Record<Field, string>>; text?: string }>({});
  const input = useRef<HTMLInputElement>(null);
  const id = `ct-j-${key(a).replace(/[^\w-]/g, '_')}`;
  const label = tr(again ? 'changeAbsence' : 'justifyAbsence', { name, date: fmtDate(a.date) });

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  if (!open) {
    return (
      <button type="button" class="btn" onClick={() => setOpen(true)} aria-label={label}>
        {tr(again ? 'change' : 'justify')}
      </button>
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErr({});
    try {
      const r = await call<AttendanceRecord>(
        'POST',
        `v1/lessons/${encodeURIComponent(a.lesson_id)}/attendance/${encodeURIComponent(a.student_id)}/justify`,
        { code, reason: reason.trim(), document: doc.trim(), version: a.version },
      );
      setOpen(false);
      onDone(a, r);
    } catch (x) {
      const f = x instanceof ApiError ? x.fields ?? {} : {};
      const fields: Partial<Record<Field, string>> = {};
      for (const k of ['code', 'reason', 'document'] as const) if (f[k]) fields[k] = f[k];
      const stale = x instanceof ApiError && (x.status === 409 || x.status === 404 || (x.status === 400 && !!f.code));
      setErr(Object.keys(fields).length && !stale ? { fields } : { text: errorText(x) });
      if (stale) onStale();
    } finally {
      setBusy(false);
    }
  }

  const described = (f: Field) => (err.fields?.[f] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${f}` } : {});
  const note = (f: Field) => err.fields?.[f] && <p class="error" role="alert" id={`${id}-${f}`}>{err.fields[f]}</p>;

  return (
    <form class="ct-justify" onSubmit={submit} aria-label={label}>
      <fieldset class="ct-codes" aria-describedby={err.fields?.code ? `${id}-code` : undefined}>
        <legend>{tr('justifyAs')}</legend>
        {(['б', 'у'] as const).map((c) => (
          <label key={c}>
            <input type="radio" name={`${id}-code`} value={c} checked={code === c} onChange={() => setCode(c)} />
            <span class={`att att-${c}`}>{c}</span> {codeText(c)}
          </label>
        ))}
      </fieldset>
      {note('code')}
      <label>
        {tr('reason')}
        <input ref={input} list="ct-reasons" value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} {...described('reason')} />
      </label>
      {note('reason')}
      <label>
        {tr('document')}
        <input list="ct-documents" value={doc} maxLength={200} onInput={(e) => setDoc(e.currentTarget.value)} {...described('document')} />
      </label>
      {note('document')}
      <div class="ct-row">
        <button type="submit" class="primary" disabled={busy}>{busy ? t('saving') : tr('save')}</button>
        <button type="button" class="btn" onClick={() => setOpen(false)}>{tr('cancel')}</button>
      </div>
      <ErrorNote error={err.text} />
    </form>
  );
}
