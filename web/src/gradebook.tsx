// Gradebook is a class's journal of one subject for a term, filled in from the keyboard like a paper journal:
// 5 4 3 2 (1) add a mark (several per cell), н б у о set attendance, Backspace takes the last entry back,
// arrows, Tab and Enter move. Every entry goes through the outbox (queue.ts) and is saved at once.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from './api';
import { t } from './i18n';
import { className, loadDirectory, shortDate, subjectName, type Directory, type Journal, type ViewMark } from './model';
import * as queue from './queue';
import { FailedList } from './savestatus';
import { LessonForm } from './lessonform';

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
  | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
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

export function Gradebook({ classID, subjectID, termID, focusLesson }: Props) {
  const [journal, setJournal] = useState<Journal | null>(null);
  const [dir, setDir] = useState<Directory>();
  const [error, setError] = useState('');
  const [pos, setPos] = useState({ r: 0, c: 0 });
  const [status, setStatus] = useState(queue.status());
  const [saved, setSaved] = useState<Set<string>>(new Set());
  const grid = useRef<HTMLTableElement>(null);
  const moved = useRef(false);

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

  useEffect(() => {
    setJournal(null);
    setError('');
    load().then(
      (j) => {
        setJournal(j);
        const c = focusLesson ? j.lessons.findIndex((l) => l.id === focusLesson) : j.lessons.length - 1;
        setPos({ r: 0, c: Math.max(c, 0) });
        moved.current = true;
      },
      (e) => setError(e instanceof ApiError && e.offline ? t('networkError') : String(e.message ?? e)),
    );
  }, [classID, subjectID, termID]);

  // Merge what the server accepted into the grid, and flash the cell as saved.
  useEffect(
    () =>
      queue.onApplied(({ entry, mark }) => {
        setJournal((j) => {
          if (!j) return j;
          const s = j.students.find((x) => x.id === entry.student_id);
          if (!s) return j;
          const cell = (s.cells[entry.lesson_id] ??= { marks: [] });
          if (entry.kind === 'mark' && mark) cell.marks = [...cell.marks, mark];
          if (entry.kind === 'unmark') cell.marks = cell.marks.filter((m) => m.id !== entry.mark_id);
          if (entry.kind === 'attendance') cell.attendance = entry.code || undefined;
          return { ...j };
        });
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

  function cellView(studentID: string, lessonID: string) {
    const base = journal!.students.find((s) => s.id === studentID)?.cells[lessonID];
    const mine = pending.filter((e) => e.student_id === studentID && e.lesson_id === lessonID);
    const removed = new Set(mine.flatMap((e) => (e.kind === 'unmark' ? [e.mark_id] : [])));
    const marks: { id: string; value: number; pending: boolean }[] = [
      ...(base?.marks ?? []).filter((m: ViewMark) => !removed.has(m.id)).map((m) => ({ id: m.id, value: m.value, pending: false })),
      ...mine.flatMap((e) => (e.kind === 'mark' ? [{ id: e.id, value: e.value, pending: true }] : [])),
    ];
    const att = [...mine].reverse().find((e) => e.kind === 'attendance');
    const attendance = att && att.kind === 'attendance' ? att.code : base?.attendance ?? '';
    return { marks, attendance, pending: mine.length > 0 };
  }

  function act(e: KeyboardEvent) {
    const a = keyAction(e);
    if (!a || !journal) return;
    const student = journal.students[pos.r];
    const lesson = journal.lessons[pos.c];
    if (a.kind === 'move') {
      let r = pos.r + a.dr;
      let c = pos.c + a.dc;
      if (a.wrap && c >= cols) { c = 0; r += 1; }
      if (a.wrap && c < 0) { c = cols - 1; r -= 1; }
      if (a.wrap && (r < 0 || r >= rows)) return; // Tab leaves the grid at its ends.
      e.preventDefault();
      moved.current = true;
      setPos({ r: Math.min(Math.max(r, 0), rows - 1), c: Math.min(Math.max(c, 0), cols - 1) });
      return;
    }
    if (a.kind === 'edge') {
      e.preventDefault();
      moved.current = true;
      setPos({ r: pos.r, c: a.end ? cols - 1 : 0 });
      return;
    }
    if (!student || !lesson) return;
    e.preventDefault();
    apply(a, student.id, lesson.id, lesson.date);
  }

  function apply(a: { kind: 'mark'; value: number } | { kind: 'code'; code: string } | { kind: 'clear' }, studentID: string, lessonID: string, date: string) {
    const view = cellView(studentID, lessonID);
    if (a.kind === 'mark') queue.addMark(lessonID, studentID, a.value, date);
    if (a.kind === 'code') queue.setAttendance(lessonID, studentID, view.attendance === a.code ? '' : a.code);
    if (a.kind === 'clear') {
      const last = view.marks[view.marks.length - 1];
      if (last) queue.removeMark(lessonID, studentID, last.id);
      else if (view.attendance) queue.setAttendance(lessonID, studentID, '');
    }
  }

  function press(a: { kind: 'mark'; value: number } | { kind: 'code'; code: string } | { kind: 'clear' }) {
    const student = journal!.students[pos.r];
    const lesson = journal!.lessons[pos.c];
    if (student && lesson) apply(a, student.id, lesson.id, lesson.date);
    moved.current = true;
    setPos({ ...pos });
  }

  const current = journal.lessons[pos.c];
  const describe = (e: queue.Entry) => {
    const s = journal.students.find((x) => x.id === e.student_id);
    const l = journal.lessons.find((x) => x.id === e.lesson_id);
    const what = e.kind === 'mark' ? String(e.value) : e.kind === 'attendance' ? e.code || '✓' : '⌫';
    return `${s ? shortName(s.full_name) : e.student_id}, ${l ? shortDate(l.date) : e.lesson_id}: ${what}`;
  };

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
            <LessonForm
              key={current.id}
              lessonID={current.id}
              topic={current.topic}
              homework={current.homework}
              onSaved={(topic, homework) =>
                setJournal((j) => j && { ...j, lessons: j.lessons.map((l) => (l.id === current.id ? { ...l, topic, homework } : l)) })
              }
            />
          </div>
        )}
        <p class="hint">{t('journalHelp')}</p>
      </div>
      <div class="grid-wrap">
        <table ref={grid} class="grid" role="grid" aria-label={t('journal')} onKeyDown={act}>
          <thead>
            <tr>
              <th scope="col" class="name">{t('student')}</th>
              {journal.lessons.map((l, c) => (
                <th scope="col" key={l.id} class={c === pos.c ? 'current' : ''} title={l.topic ?? ''}>
                  {shortDate(l.date)}
                  <small>{l.period}</small>
                </th>
              ))}
              <th scope="col">{t('average')}</th>
              <th scope="col" title={t('suggested')}>{t('suggested')}</th>
            </tr>
          </thead>
          <tbody>
            {journal.students.map((s, r) => (
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
                          <span class={`mark m${m.value}${m.pending ? ' pending' : ''}`}>{m.value}</span>
                        </Fragment>
                      ))}
                    </td>
                  );
                })}
                <td class="avg">{s.average?.toFixed(2) ?? ''}</td>
                <td class="avg" title={s.suggested_explain}>{s.term_mark ?? s.suggested}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
