// Gradebook is a class's journal of one subject for a term, filled in from the keyboard like a paper journal:
// 5 4 3 2 (1) add a mark (several per cell), н б у о set attendance, Backspace takes the last entry back,
// arrows, Tab and Enter move. Every entry goes through the outbox (queue.ts) and is saved at once.
// Each lesson column has a work type, the lesson's on the server (F2 picks it): the marks typed into it get it,
// and when it changes, the column's saved marks of the type it had follow (marks still queued keep theirs).
// The column at the right holds the term mark, set from the keyboard or its list ("—" or Backspace removes it),
// beside the mark the server suggests.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, get } from './api';
import { lang, strings, t } from './i18n';
import { className, loadDirectory, shortDate, subjectName, type Directory, type Journal, type ViewMark } from './model';
import * as queue from './queue';
import { FailedList, SaveBadge, type SaveState } from './savestatus';
import { LessonForm } from './lessonform';
import './teacher.css';

const tr = strings({
  ru: {
    workType: 'Вид работы',
    workTypeOf: 'Вид работы колонки {date}',
    keysMore: 'F2 — вид работы колонки (отметки колонки этого вида переходят на новый). В столбце «Итог»: 5 4 3 2, н — н/а, о — осв., Backspace или «—» — убрать.',
    suggestedShort: 'Предл.',
    suggestedLong: 'Предлагаемая итоговая отметка',
    termMark: 'Итог',
    termMarkOf: 'Итоговая отметка: {name}',
    termSaved: 'Итоговая отметка сохранена: {name} — {value}',
    termRemoved: 'Итоговая отметка убрана: {name}',
    termFailed: 'Итоговая отметка не сохранена: {name}',
    termReloaded: 'Показана отметка, сохранённая сейчас; выберите снова.',
    suggestedFor: '{name}: предложено {mark}. {explain}',
    none: '—',
    weight: 'вес {w}',
  },
  en: {
    workType: 'Work type',
    workTypeOf: 'Work type of the column {date}',
    keysMore: 'F2 — the column’s work type (the column’s marks of its type follow). In the “Term” column: 5 4 3 2, н — н/а, о — осв., Backspace or “—” — remove.',
    suggestedShort: 'Sugg.',
    suggestedLong: 'Suggested term mark',
    termMark: 'Term',
    termMarkOf: 'Term mark: {name}',
    termSaved: 'Term mark saved: {name} — {value}',
    termRemoved: 'Term mark removed: {name}',
    termFailed: 'Term mark not saved: {name}',
    termReloaded: 'The mark saved now is shown; choose again.',
    suggestedFor: '{name}: suggested {mark}. {explain}',
    none: '—',
    weight: 'weight {w}',
  },
});

/** WorkType is one of the school's work types (GET /v1/work-types, WorkTypes for a school year). */
interface WorkType { id: string; name: string; weight: number; default?: boolean }
interface WorkTypes { year_id: string; items: WorkType[] }

// Short column labels of the usual work types; others get their name's initials.
const shortTypes: Record<'ru' | 'en', Record<string, string>> = {
  ru: { classwork: 'Ур', oral: 'Уст', homework: 'ДЗ', independent: 'СР', check: 'ПрР', test: 'КР', dictation: 'Дикт', essay: 'Соч', lab: 'ЛР', practical: 'ПР', project: 'Прж' },
  en: { classwork: 'CW', oral: 'Or', homework: 'HW', independent: 'IW', check: 'Qz', test: 'T', dictation: 'Dict', essay: 'Ess', lab: 'Lab', practical: 'Pr', project: 'Proj' },
};

function shortType(wt: WorkType | undefined, id: string): string {
  const known = shortTypes[lang()][id];
  if (known) return known;
  const words = (wt?.name ?? id).split(/\s+/).filter((w) => w.length > 2);
  return words.length > 1 ? words.map((w) => w[0].toUpperCase()).join('').slice(0, 4) : (words[0] ?? id).slice(0, 4);
}

/** termValues are the term marks the API takes, in the order the list offers them. */
const termValues = ['5', '4', '3', '2', 'н/а', 'осв.'];

interface TermRow { student_id: string; confirmed: { value: string; version: number } | null }

// Attendance codes by the key typed: Cyrillic letters, their Latin look-alikes, and the same keys of a Latin layout.
const codeByKey: Record<string, string> = { н: 'н', б: 'б', у: 'у', о: 'о', п: 'о', n: 'н', b: 'б', u: 'у', o: 'о', p: 'о' };
const codeByPhysicalKey: Record<string, string> = { KeyY: 'н', Comma: 'б', KeyE: 'у', KeyJ: 'о', KeyG: 'о' };

/** keyAction turns a key press into what it does in a cell, or null for keys the grid leaves alone. */
export function keyAction(e: Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>):
  | { kind: 'mark'; value: number }
  | { kind: 'code'; code: string }
  | { kind: 'clear' }
  | { kind: 'move'; dr: number; dc: number; wrap?: boolean }
  | { kind: 'edge'; end: boolean }
  | { kind: 'worktype' }
  | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === 'F2') return { kind: 'worktype' };
  const k = e.key.toLowerCase();
  if (/^[1-5]$/.test(k)) return { kind: 'mark', value: Number(k) };
  if (codeByKey[k]) return { kind: 'code', code: codeByKey[k] };
  if (!/[а-яё]/.test(k) && codeByPhysicalKey[e.code]) return { kind: 'code', code: codeByPhysicalKey[e.code] };
  switch (e.key) {
    case 'Backspace':
    case 'Delete':
      return { kind: 'clear' };
    case ' ':
    case '-':
      return { kind: 'code', code: '' };
    case 'ArrowLeft':
      return { kind: 'move', dr: 0, dc: -1 };
    case 'ArrowRight':
      return { kind: 'move', dr: 0, dc: 1 };
    case 'ArrowUp':
      return { kind: 'move', dr: -1, dc: 0 };
    case 'ArrowDown':
      return { kind: 'move', dr: 1, dc: 0 };
    case 'Enter':
      return { kind: 'move', dr: e.shiftKey ? -1 : 1, dc: 0 };
    case 'Tab':
      return { kind: 'move', dr: 0, dc: e.shiftKey ? -1 : 1, wrap: true };
    case 'Home':
      return { kind: 'edge', end: false };
    case 'End':
      return { kind: 'edge', end: true };
  }
  return null;
}

function shortName(full: string): string {
  const [last, first = '', middle = ''] = full.split(' ');
  return `${last} ${first.slice(0, 1)}.${middle ? middle.slice(0, 1) + '.' : ''}`;
}

const cellKey = (studentID: string, lessonID: string) => `${studentID}|${lessonID}`;

interface Props { classID: string; subjectID: string; termID: string; focusLesson?: string }

type Action = { kind: 'mark'; value: number } | { kind: 'code'; code: string } | { kind: 'clear' };

export function Gradebook({ classID, subjectID, termID, focusLesson }: Props) {
  const [journal, setJournal] = useState<Journal | null>(null);
  const [dir, setDir] = useState<Directory>();
  const [error, setError] = useState('');
  const [pos, setPos] = useState({ r: 0, c: 0 });
  const [status, setStatus] = useState(queue.status());
  const [saved, setSaved] = useState<Set<string>>(new Set());
  const [types, setTypes] = useState<WorkType[]>([]);
  const [versions, setVersions] = useState<Record<string, number>>({});
  const [terms, setTerms] = useState<Record<string, { state: SaveState; value: string; message?: string }>>({});
  const [termNote, setTermNote] = useState('');
  const grid = useRef<HTMLTableElement>(null);
  const typeSelect = useRef<HTMLSelectElement>(null);
  const moved = useRef(false);
  const lessonCol = useRef(0);
  const sheetPath = `v1/classes/${encodeURIComponent(classID)}/term-marks?subject_id=${encodeURIComponent(subjectID)}&term_id=${encodeURIComponent(termID)}`;

  // Once everything is saved, read the journal again for the server's averages and suggested marks.
  useEffect(() => {
    let later: ReturnType<typeof setTimeout> | undefined;
    const off = queue.subscribe((s) => {
      setStatus(s);
      clearTimeout(later);
      if (s.state === 'saved' && !s.pending && !s.sending) later = setTimeout(() => load().then(setJournal, () => undefined), 500);
    });
    return () => {
      clearTimeout(later);
      off();
    };
  }, [classID, subjectID, termID]);
  useEffect(() => {
    loadDirectory().then(setDir, () => undefined);
  }, []);

  async function load(): Promise<Journal> {
    const j = await get<Journal>(`v1/classes/${encodeURIComponent(classID)}/journal?subject_id=${encodeURIComponent(subjectID)}&term_id=${encodeURIComponent(termID)}`);
    j.lessons.sort((a, b) => (a.date + String(a.period).padStart(2, '0')).localeCompare(b.date + String(b.period).padStart(2, '0')));
    return j;
  }

  // The term marks' versions, which a change of a confirmed term mark must send.
  async function loadVersions(): Promise<TermRow[]> {
    const sheet = await get<{ items: TermRow[] }>(sheetPath);
    setVersions(Object.fromEntries(sheet.items.flatMap((r) => (r.confirmed ? [[r.student_id, r.confirmed.version]] : []))));
    return sheet.items;
  }

  useEffect(() => {
    setJournal(null);
    setError('');
    setTerms({});
    setTermNote('');
    load().then(
      (j) => {
        setJournal(j);
        const c = focusLesson ? j.lessons.findIndex((l) => l.id === focusLesson) : j.lessons.length - 1;
        setPos({ r: 0, c: Math.max(c, 0) });
        moved.current = true;
      },
      (e) => setError(e instanceof ApiError && e.offline ? t('networkError') : String(e.message ?? e)),
    );
    loadVersions().catch(() => undefined);
  }, [classID, subjectID, termID]);

  // The school's work types of the journal's year: those of the current year are read at once, beside the journal
  // (F2 works as soon as the grid shows), and read again when the journal is of another year.
  const termStart = journal?.term.start;
  const typesYear = useRef('');
  useEffect(() => {
    get<WorkTypes>('v1/work-types').then((r) => {
      if (!typesYear.current) {
        typesYear.current = r.year_id;
        setTypes(r.items);
      }
    }, () => undefined);
  }, []);
  useEffect(() => {
    if (!termStart || !dir) return;
    const year = dir.years.find((y) => y.start <= termStart && termStart <= y.end);
    if (!year || year.id === typesYear.current) return;
    get<WorkTypes>(`v1/work-types?year_id=${encodeURIComponent(year.id)}`).then((r) => {
      typesYear.current = r.year_id;
      setTypes(r.items);
    }, () => undefined);
  }, [termStart, dir]);

  // Merge what the server accepted into the grid, and flash the cell as saved.
  useEffect(
    () =>
      queue.onApplied(({ entry, mark }) => {
        setJournal((j) => {
          if (!j) return j;
          if (entry.kind === 'worktype') {
            return { ...j, lessons: j.lessons.map((l) => (l.id === entry.lesson_id ? { ...l, work_type: entry.work_type || undefined } : l)) };
          }
          const s = j.students.find((x) => x.id === entry.student_id);
          if (!s) return j;
          const cell = (s.cells[entry.lesson_id] ??= { marks: [] });
          if (entry.kind === 'mark' && mark) cell.marks = [...cell.marks, mark];
          if (entry.kind === 'retype' && mark) cell.marks = cell.marks.map((m) => (m.id === mark.id ? mark : m));
          if (entry.kind === 'unmark') cell.marks = cell.marks.filter((m) => m.id !== entry.mark_id);
          if (entry.kind === 'attendance') cell.attendance = entry.code || undefined;
          return { ...j };
        });
        if (entry.kind === 'worktype') return;
        const k = cellKey(entry.student_id, entry.lesson_id);
        setSaved((prev) => new Set(prev).add(k));
        setTimeout(() => setSaved((prev) => { const n = new Set(prev); n.delete(k); return n; }), 1500);
      }),
    [],
  );

  useEffect(() => {
    if (!moved.current || !grid.current) return;
    moved.current = false;
    const el = grid.current.querySelector<HTMLElement>(`[data-r="${pos.r}"][data-c="${pos.c}"]`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [pos, journal]);

  if (error) return <p class="error card" role="alert">{error}</p>;
  if (!journal) return <p role="status" class="card">{t('loading')}</p>;

  const pending = queue.pendingEntries();
  const failedCells = new Set(status.failed.map((f) => cellKey(f.entry.student_id, f.entry.lesson_id)));
  const rows = journal.students.length;
  const cols = journal.lessons.length;
  const termCol = cols; // the term marks' column follows the lessons
  const typeByID = new Map(types.map((w) => [w.id, w]));
  const defaultType = types.find((w) => w.default) ?? types[0];

  /** columnType is the work type the marks typed into a lesson's column get: the one chosen last on this device
   * while it waits in the outbox, else the server's ('' before either is known). */
  function columnType(l: Journal['lessons'][number]): string {
    const chosen = [...pending].reverse().find((e) => e.kind === 'worktype' && e.lesson_id === l.id);
    if (chosen && chosen.kind === 'worktype') return chosen.work_type || defaultType?.id || '';
    return l.work_type || defaultType?.id || '';
  }

  function typeTitle(id: string | undefined, weight?: number): string {
    const w = typeByID.get(id || defaultType?.id || '');
    if (!w) return '';
    return `${w.name}, ${tr('weight', { w: weight ?? w.weight })}`;
  }

  function cellView(studentID: string, lessonID: string) {
    const base = journal!.students.find((s) => s.id === studentID)?.cells[lessonID];
    const mine = pending.filter((e) => e.student_id === studentID && e.lesson_id === lessonID);
    const removed = new Set(mine.flatMap((e) => (e.kind === 'unmark' ? [e.mark_id] : [])));
    const retyped = new Map(mine.flatMap((e) => (e.kind === 'retype' ? [[e.mark_id, e.work_type] as const] : [])));
    // saved marks are on the server (a change of their type may be waiting); the others wait in the outbox.
    const marks: { id: string; value: number; pending: boolean; saved: boolean; workType?: string; weight?: number; version?: number }[] = [
      ...(base?.marks ?? [])
        .filter((m: ViewMark) => !removed.has(m.id))
        .map((m) => {
          const wt = retyped.get(m.id);
          return wt
            ? { id: m.id, value: m.value, pending: true, saved: true, workType: wt, weight: typeByID.get(wt)?.weight, version: m.version }
            : { id: m.id, value: m.value, pending: false, saved: true, workType: m.work_type, weight: m.weight, version: m.version };
        }),
      ...mine.flatMap((e) => (e.kind === 'mark' ? [{ id: e.id, value: e.value, pending: true, saved: false, workType: e.work_type, weight: typeByID.get(e.work_type ?? defaultType?.id ?? '')?.weight }] : [])),
    ];
    const att = [...mine].reverse().find((e) => e.kind === 'attendance');
    const attendance = att && att.kind === 'attendance' ? att.code : base?.attendance ?? '';
    return { marks, attendance, pending: mine.length > 0 };
  }

  // focusCell puts the focus back on the current cell at once, so keys typed right after go to the grid.
  function focusCell() {
    grid.current?.querySelector<HTMLElement>(`[data-r="${pos.r}"][data-c="${pos.c}"]`)?.focus();
    moved.current = true;
    setPos({ ...pos });
  }

  function act(e: KeyboardEvent) {
    const a = keyAction(e);
    if (!a || !journal) return;
    const student = journal.students[pos.r];
    const lesson = journal.lessons[pos.c];
    const last = termCol; // the rightmost column the keys reach
    if (a.kind === 'move') {
      let r = pos.r + a.dr;
      let c = pos.c + a.dc;
      if (a.wrap && c > last) { c = 0; r += 1; }
      if (a.wrap && c < 0) { c = last; r -= 1; }
      if (a.wrap && (r < 0 || r >= rows)) return; // Tab leaves the grid at its ends.
      e.preventDefault();
      moved.current = true;
      setPos({ r: Math.min(Math.max(r, 0), rows - 1), c: Math.min(Math.max(c, 0), last) });
      return;
    }
    if (a.kind === 'edge') {
      e.preventDefault();
      moved.current = true;
      setPos({ r: pos.r, c: a.end ? Math.max(cols - 1, 0) : 0 });
      return;
    }
    if (a.kind === 'worktype') {
      e.preventDefault();
      typeSelect.current?.focus();
      return;
    }
    if (pos.c === termCol) {
      // Space opens the list; other keys set the term mark.
      if (a.kind === 'code' && a.code === '') return;
      e.preventDefault();
      if (student) termKey(a, student.id);
      return;
    }
    if (!student || !lesson) return;
    e.preventDefault();
    apply(a, student.id, lesson);
  }

  function apply(a: Action, studentID: string, lesson: Journal['lessons'][number]) {
    const view = cellView(studentID, lesson.id);
    if (a.kind === 'mark') queue.addMark(lesson.id, studentID, a.value, lesson.date, columnType(lesson) || undefined);
    if (a.kind === 'code') queue.setAttendance(lesson.id, studentID, view.attendance === a.code ? '' : a.code);
    if (a.kind === 'clear') {
      const last = view.marks[view.marks.length - 1];
      if (last) queue.removeMark(lesson.id, studentID, last.id, last.version ?? 1);
      else if (view.attendance) queue.setAttendance(lesson.id, studentID, '');
    }
  }

  // termKey sets a term mark from a key: 5 4 3 2, н for н/а, о for осв.; Backspace and Delete remove it.
  function termKey(a: Action, studentID: string) {
    if (a.kind === 'clear') {
      setTerm(studentID, '');
      return;
    }
    const value = a.kind === 'mark' ? String(a.value) : a.kind === 'code' ? ({ н: 'н/а', о: 'осв.' } as Record<string, string>)[a.code] : undefined;
    if (value && termValues.includes(value)) setTerm(studentID, value);
  }

  // setTerm confirms a student's term mark, or removes it when value is ''.
  async function setTerm(studentID: string, value: string) {
    const s = journal!.students.find((x) => x.id === studentID);
    if (!s || ((s.term_mark ?? '') === value && terms[studentID]?.state !== 'failed')) return;
    const name = shortName(s.full_name);
    setTerms((m) => ({ ...m, [studentID]: { state: 'saving', value } }));
    try {
      let version: number | undefined = versions[studentID];
      let saved = '';
      if (value === '') {
        version ??= (await loadVersions()).find((x) => x.student_id === studentID)?.confirmed?.version;
        const path = `v1/term-marks/${encodeURIComponent(studentID)}/${encodeURIComponent(subjectID)}/${encodeURIComponent(termID)}`;
        await call('DELETE', `${path}?version=${version ?? 0}`);
        setVersions((v) => Object.fromEntries(Object.entries(v).filter(([id]) => id !== studentID)));
      } else {
        const r = await call<{ value: string; version: number }>('PUT', 'v1/term-marks', {
          student_id: studentID, subject_id: subjectID, term_id: termID, value, ...(version ? { version } : {}),
        });
        setVersions((v) => ({ ...v, [studentID]: r.version }));
        saved = r.value;
      }
      setJournal((j) => j && { ...j, students: j.students.map((x) => (x.id === studentID ? { ...x, term_mark: saved || undefined } : x)) });
      setTerms((m) => ({ ...m, [studentID]: { state: 'saved', value: saved } }));
      setTermNote(saved ? tr('termSaved', { name, value: saved }) : tr('termRemoved', { name }));
      setTimeout(() => setTerms((m) => (m[studentID]?.state === 'saved' ? { ...m, [studentID]: { ...m[studentID], state: '' } } : m)), 2000);
    } catch (e) {
      let message = e instanceof ApiError ? (e.offline ? t('networkError') : Object.values(e.fields ?? {})[0] ?? e.message) : String(e);
      const stale = e instanceof ApiError && (e.status === 409 || (e.status === 404 && value === ''));
      if (stale) message += ` ${tr('termReloaded')}`;
      setTerms((m) => ({ ...m, [studentID]: { state: 'failed', value, message } }));
      setTermNote('');
      // Someone else set or removed it meanwhile: show what the server holds now, with its version.
      if (stale) {
        loadVersions().then((items) => {
          const now = items.find((x) => x.student_id === studentID)?.confirmed?.value;
          setJournal((j) => j && { ...j, students: j.students.map((x) => (x.id === studentID ? { ...x, term_mark: now } : x)) });
        }, () => undefined);
      }
    }
  }

  function press(a: Action) {
    const student = journal!.students[pos.r];
    const lesson = journal!.lessons[pos.c];
    if (student && pos.c === termCol) termKey(a, student.id);
    else if (student && lesson) apply(a, student.id, lesson);
    focusCell();
  }

  // chooseType sets a column's work type on the server (through the outbox); the column's saved marks of the type
  // it had follow, so the column stays one kind of work. Marks of another type, and marks still queued, stay.
  function chooseType(lesson: Journal['lessons'][number], typeID: string) {
    const was = columnType(lesson);
    if (!typeID || typeID === was) return;
    queue.setLessonWorkType(lesson.id, typeID);
    for (const s of journal!.students) {
      for (const m of cellView(s.id, lesson.id).marks) {
        if (m.saved && m.workType === was) queue.retypeMark(lesson.id, s.id, m.id, m.version ?? 1, typeID);
      }
    }
  }

  // The lesson the card above the grid is about: the current column's, or the last one visited while in the term column.
  if (pos.c < cols) lessonCol.current = pos.c;
  const current = journal.lessons[Math.min(lessonCol.current, cols - 1)];
  const currentType = current ? columnType(current) : '';
  const row = journal.students[pos.r];
  const describe = (e: queue.Entry) => {
    const s = journal.students.find((x) => x.id === e.student_id);
    const l = journal.lessons.find((x) => x.id === e.lesson_id);
    const typeName = (id: string) => typeByID.get(id)?.name ?? id;
    const what =
      e.kind === 'mark' ? `${e.value}${e.work_type ? ` (${shortType(typeByID.get(e.work_type), e.work_type)})` : ''}`
      : e.kind === 'attendance' ? e.code || '✓'
      : e.kind === 'worktype' || e.kind === 'retype' ? `${tr('workType')}: ${typeName(e.work_type)}`
      : '⌫';
    const where = l ? shortDate(l.date) : e.lesson_id;
    return e.kind === 'worktype' ? `${where}: ${what}` : `${s ? shortName(s.full_name) : e.student_id}, ${where}: ${what}`;
  };
  const termFailures = journal.students.flatMap((s) => (terms[s.id]?.state === 'failed' ? [{ s, message: terms[s.id].message ?? '' }] : []));

  return (
    <section class="gradebook">
      <div class="card head">
        <h2>{t('journal')}: {className(dir, classID)}, {subjectName(dir, subjectID)} — {journal.term.name}</h2>
        {current && (
          <div class="lesson-info">
            <p>
              {shortDate(current.date)}, {current.period} {t('period')}{current.topic ? ` — ${current.topic}` : ''}
              {current.homework ? ` · ${t('homework')}: ${current.homework}` : ''}
            </p>
            <div class="lesson-tools">
              {/* Shown (disabled) before the types arrive, so the grid below does not move when they do. */}
              <label class="wt-pick">
                <span>{tr('workType')}</span>
                <select
                  ref={typeSelect}
                  value={currentType}
                  disabled={types.length === 0}
                  aria-label={tr('workTypeOf', { date: `${shortDate(current.date)}, ${current.period}` })}
                  onChange={(e) => chooseType(current, e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape' || e.key === 'Enter') {
                      e.preventDefault();
                      focusCell();
                    }
                  }}
                >
                  {types.length === 0 && <option value={currentType}>{t('loading')}</option>}
                  {types.map((w) => (
                    <option key={w.id} value={w.id}>{w.name} (×{w.weight})</option>
                  ))}
                </select>
              </label>
              <LessonForm
                key={current.id}
                lessonID={current.id}
                classID={classID}
                subjectID={subjectID}
                groupID={current.group_id}
                date={current.date}
                topic={current.topic}
                homework={current.homework}
                taught={journal.lessons.filter((l) => l.id !== current.id).map((l) => l.topic ?? '')}
                onSaved={(topic, homework) =>
                  setJournal((j) => j && { ...j, lessons: j.lessons.map((l) => (l.id === current.id ? { ...l, topic, homework } : l)) })
                }
              />
            </div>
          </div>
        )}
        <p class="hint">{t('journalHelp')} {tr('keysMore')}</p>
      </div>
      <div class="grid-wrap">
        <table ref={grid} class="grid" role="grid" aria-label={t('journal')} onKeyDown={act}>
          <thead>
            <tr>
              <th scope="col" class="name">{t('student')}</th>
              {journal.lessons.map((l, c) => {
                const wt = columnType(l);
                return (
                  <th scope="col" key={l.id} class={c === pos.c ? 'current' : ''} title={[l.topic, typeTitle(wt)].filter(Boolean).join('\n')} data-wt={wt}>
                    {shortDate(l.date)}
                    <small>{l.period}</small>
                    {wt && <small class={`wt${wt === defaultType?.id ? ' plain' : ''}`}>{shortType(typeByID.get(wt), wt)}</small>}
                  </th>
                );
              })}
              <th scope="col">{t('average')}</th>
              <th scope="col" title={tr('suggestedLong')}>{tr('suggestedShort')}</th>
              <th scope="col" class={`term${pos.c === termCol ? ' current' : ''}`}>{tr('termMark')}</th>
            </tr>
          </thead>
          <tbody>
            {journal.students.map((s, r) => {
              const term = terms[s.id];
              const termValue = term && term.state === 'saving' ? term.value : s.term_mark ?? '';
              return (
                <tr key={s.id}>
                  <th scope="row" class="name">{shortName(s.full_name)}</th>
                  {journal.lessons.map((l, c) => {
                    const v = cellView(s.id, l.id);
                    const k = cellKey(s.id, l.id);
                    const state = failedCells.has(k) ? 'failed' : v.pending ? (status.sending ? 'saving' : 'pending') : saved.has(k) ? 'saved' : '';
                    const here = r === pos.r && c === pos.c;
                    return (
                      <td
                        key={l.id}
                        role="gridcell"
                        tabIndex={here ? 0 : -1}
                        data-r={r}
                        data-c={c}
                        data-student={s.id}
                        data-lesson={l.id}
                        data-state={state}
                        aria-selected={here}
                        class={`cell ${state}`}
                        onClick={() => setPos({ r, c })}
                        onFocus={() => (here ? undefined : setPos({ r, c }))}
                      >
                        {v.attendance && <span class={`att att-${v.attendance}`}>{v.attendance}</span>}
                        {v.marks.map((m) => (
                          <Fragment key={m.id}>
                            {' '}
                            <span
                              class={`mark m${m.value}${m.pending ? ' pending' : ''}${(m.weight ?? 1) > 1 ? ' heavy' : ''}`}
                              title={typeTitle(m.workType, m.weight)}
                              data-wt={m.workType ?? ''}
                            >
                              {m.value}
                            </span>
                          </Fragment>
                        ))}
                      </td>
                    );
                  })}
                  <td class="avg">{s.average?.toFixed(2) ?? ''}</td>
                  <td class="avg sug" title={s.suggested_explain}>{s.suggested}</td>
                  <td role="gridcell" class={`term ${term?.state ?? ''}`} data-term={s.id} aria-selected={r === pos.r && pos.c === termCol}>
                    <select
                      tabIndex={r === pos.r && pos.c === termCol ? 0 : -1}
                      data-r={r}
                      data-c={termCol}
                      value={termValue}
                      aria-label={tr('termMarkOf', { name: shortName(s.full_name) })}
                      aria-describedby={r === pos.r && pos.c === termCol ? 'term-explain' : undefined}
                      onFocus={() => (r === pos.r && pos.c === termCol ? undefined : setPos({ r, c: termCol }))}
                      onChange={(e) => setTerm(s.id, e.currentTarget.value)}
                    >
                      <option value="">{tr('none')}</option>
                      {termValues.map((v) => (
                        <option key={v} value={v}>{v}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pos.c === termCol && row && (
        <p class="hint term-explain" id="term-explain">
          {tr('suggestedFor', { name: shortName(row.full_name), mark: row.suggested, explain: row.suggested_explain })}
        </p>
      )}
      <SaveBadge state={termFailures.length ? 'failed' : termNote ? 'saved' : ''} text={termNote} />
      {termFailures.map(({ s, message }) => (
        <p key={s.id} class="error" role="alert">{tr('termFailed', { name: shortName(s.full_name) })}: {message}</p>
      ))}
      <div class="palette" role="toolbar" aria-label={t('entryButtons')}>
        {[5, 4, 3, 2].map((v) => (
          <button type="button" key={v} onClick={() => press({ kind: 'mark', value: v })}>{v}</button>
        ))}
        {['н', 'б', 'у', 'о'].map((code) => (
          <button type="button" key={code} onClick={() => press({ kind: 'code', code })}>{code}</button>
        ))}
        <button type="button" onClick={() => press({ kind: 'clear' })} aria-label={t('remove')}>⌫</button>
      </div>
      <FailedList describe={describe} />
    </section>
  );
}
