// The outbox of marks, attendance and the journal columns' work types: every entry is kept in localStorage first
// and sent from there, so nothing typed is lost when the network drops; what failed for good stays visible until
// dismissed.
import { ApiError, call } from './api';
import type { ViewMark } from './model';

/** Entry is one change a teacher made, waiting to be sent. A mark's work_type is the column's type when it was
 * typed, so a later change of the column leaves it as it is; entries stored before work types existed have none
 * and get the lesson's type on the server. 'worktype' sets a lesson's (a column's) work type, 'retype' changes a
 * saved mark's type; their student_id is '' and the mark's student's. */
export type Entry =
  | { id: string; kind: 'mark'; lesson_id: string; student_id: string; value: number; date: string; work_type?: string }
  | { id: string; kind: 'unmark'; lesson_id: string; student_id: string; mark_id: string; version: number }
  | { id: string; kind: 'attendance'; lesson_id: string; student_id: string; code: string }
  | { id: string; kind: 'worktype'; lesson_id: string; student_id: ''; work_type: string }
  | { id: string; kind: 'retype'; lesson_id: string; student_id: string; mark_id: string; version: number; work_type: string };

/** Failed is an entry the server refused, with its message. */
export interface Failed { entry: Entry; message: string }

/** Status is what the saving indicator shows. */
export interface Status {
  pending: number;
  sending: boolean;
  /** state of the last attempt: idle (nothing yet), saved, offline (waiting for the network), failed. */
  state: 'idle' | 'saved' | 'offline' | 'failed';
  failed: Failed[];
}

/** Applied tells a screen that an entry reached the server; mark is the saved mark of a 'mark' or 'retype' entry. */
export interface Applied { entry: Entry; mark?: ViewMark }

interface MarkOut { id: string; lesson_id: string; student_id: string; value: number; work_type: string; weight: number; date: string; version: number }

function viewMark(m: MarkOut): ViewMark {
  return { id: m.id, lesson_id: m.lesson_id, date: m.date, value: m.value, work_type: m.work_type, weight: m.weight, version: m.version };
}

let key = '';
let sending = false;
let state: Status['state'] = 'idle';
let timer: ReturnType<typeof setTimeout> | undefined;
let backoff = 2000;
const listeners = new Set<(s: Status) => void>();
const appliedListeners = new Set<(a: Applied) => void>();

// The stored queue is the only copy: every change reads it, changes it and writes it back at once, so two tabs
// of the same person never overwrite each other's entries.
interface Stored { entries: Entry[]; failed: Failed[] }

function read(): Stored {
  try {
    const v = JSON.parse((key && localStorage.getItem(key)) || '{}') as Partial<Stored>;
    return { entries: v.entries ?? [], failed: v.failed ?? [] };
  } catch {
    return { entries: [], failed: [] };
  }
}

function update(f: (q: Stored) => void): void {
  if (!key) return;
  const q = read();
  f(q);
  localStorage.setItem(key, JSON.stringify(q));
  notify();
}

function notify(): void {
  const s = status();
  listeners.forEach((f) => f(s));
}

/** status is the queue's state now. */
export function status(): Status {
  const q = read();
  return { pending: q.entries.length, sending, state, failed: q.failed };
}

/** open loads the queue of a person on this device and sends what is left from last time. */
export function open(personID: string): void {
  key = `ej.queue.${personID}`;
  state = 'idle';
  notify();
  schedule(0);
}

/** close stops sending (at sign-out); the entries stay stored for the next sign-in. */
export function close(): void {
  clearTimeout(timer);
  key = '';
  state = 'idle';
  notify();
}

/** subscribe calls f with every change of the status; it returns the unsubscribe function. */
export function subscribe(f: (s: Status) => void): () => void {
  listeners.add(f);
  f(status());
  return () => listeners.delete(f);
}

/** onApplied calls f for every entry the server accepted. */
export function onApplied(f: (a: Applied) => void): () => void {
  appliedListeners.add(f);
  return () => appliedListeners.delete(f);
}

/** pendingEntries lists what is still to be sent. */
export function pendingEntries(): Entry[] {
  return read().entries;
}

function newID(): string {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
}

/** addMark queues a mark of a work type (the school's default type when absent). */
export function addMark(lessonID: string, studentID: string, value: number, date: string, workType?: string): void {
  update((q) => q.entries.push({ id: newID(), kind: 'mark', lesson_id: lessonID, student_id: studentID, value, date, ...(workType ? { work_type: workType } : {}) }));
  changed();
}

/** removeMark takes back a queued mark, or queues the removal of a saved one. */
export function removeMark(lessonID: string, studentID: string, markID: string, version = 1): void {
  update((q) => {
    const queued = q.entries.findIndex((e) => e.id === markID && e.kind === 'mark');
    if (queued >= 0 && !inFlight.has(markID)) q.entries.splice(queued, 1);
    else q.entries.push({ id: newID(), kind: 'unmark', lesson_id: lessonID, student_id: studentID, mark_id: markID, version });
  });
  changed();
}

/** setAttendance queues a student's attendance code at a lesson ("" for present); a later code replaces an unsent one. */
export function setAttendance(lessonID: string, studentID: string, code: string): void {
  update((q) => {
    q.entries = q.entries.filter((e) => !(e.kind === 'attendance' && e.lesson_id === lessonID && e.student_id === studentID && !inFlight.has(e.id)));
    q.entries.push({ id: newID(), kind: 'attendance', lesson_id: lessonID, student_id: studentID, code });
  });
  changed();
}

/** setLessonWorkType queues the work type of a lesson's column ('' for the school's default); a later choice
 * replaces an unsent one. */
export function setLessonWorkType(lessonID: string, workType: string): void {
  update((q) => {
    q.entries = q.entries.filter((e) => !(e.kind === 'worktype' && e.lesson_id === lessonID && !inFlight.has(e.id)));
    q.entries.push({ id: newID(), kind: 'worktype', lesson_id: lessonID, student_id: '', work_type: workType });
  });
  changed();
}

/** retypeMark queues a change of a saved mark's work type (version is the mark's as read); a later change of the
 * same mark replaces an unsent one. */
export function retypeMark(lessonID: string, studentID: string, markID: string, version: number, workType: string): void {
  update((q) => {
    q.entries = q.entries.filter((e) => !(e.kind === 'retype' && e.mark_id === markID && !inFlight.has(e.id)));
    q.entries.push({ id: newID(), kind: 'retype', lesson_id: lessonID, student_id: studentID, mark_id: markID, version, work_type: workType });
  });
  changed();
}

/** dismiss forgets a failed entry. */
export function dismiss(id: string): void {
  update((q) => {
    q.failed = q.failed.filter((f) => f.entry.id !== id);
  });
}

/** retryNow sends at once (after the network is back, or on the user's request). */
export function retryNow(): void {
  backoff = 2000;
  schedule(0);
}

function changed(): void {
  schedule(300);
}

function schedule(ms: number): void {
  clearTimeout(timer);
  if (key && read().entries.length) timer = setTimeout(flush, ms);
}

const inFlight = new Set<string>();

// flush sends the queue in order, one request per lesson and kind. Only one tab sends at a time.
async function flush(): Promise<void> {
  if (sending || !key) return;
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  const stop = await (locks ? locks.request('ej-queue', sendAll) : sendAll());
  if (stop) {
    state = stop.status === 0 ? 'offline' : 'failed';
    notify();
    backoff = Math.min(backoff * 2, 60_000);
    schedule(backoff);
    return;
  }
  backoff = 2000;
  state = read().failed.length ? 'failed' : 'saved';
  notify();
}

// sendAll sends until the queue is empty; it answers the error that stopped it (the network, the server, the session).
async function sendAll(): Promise<ApiError | null> {
  sending = true;
  notify();
  try {
    for (let q = read().entries; q.length && key; q = read().entries) {
      const first = q[0];
      // Attendance goes up to 50 at once; everything else one entry per request, in the order it was made
      // (marks are keyed by their entry, see send).
      const batch = q.filter((e) => e.lesson_id === first.lesson_id && e.kind === first.kind).slice(0, first.kind === 'attendance' ? 50 : 1);
      batch.forEach((e) => inFlight.add(e.id));
      try {
        await send(first.kind, first.lesson_id, batch);
        done(batch);
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(0, 'offline', String(err));
        if (e.retryable || e.status === 401) return e;
        refuse(batch, e);
      } finally {
        batch.forEach((e) => inFlight.delete(e.id));
      }
    }
    return null;
  } finally {
    sending = false;
  }
}

async function send(kind: Entry['kind'], lessonID: string, batch: Entry[]): Promise<void> {
  const path = `v1/lessons/${encodeURIComponent(lessonID)}`;
  if (kind === 'mark') {
    // One request per queued mark, keyed by the entry's id: sent again after a lost answer, it gives
    // the mark once (the server derives the mark's id from the key).
    for (const entry of batch) {
      const e = entry as Extract<Entry, { kind: 'mark' }>;
      const marks = [{ student_id: e.student_id, value: e.value, ...(e.work_type ? { work_type: e.work_type } : {}) }];
      const r = await call<{ marks: MarkOut[] }>('POST', `${path}/marks`, { marks }, { 'Idempotency-Key': entry.id });
      const m = r.marks[0];
      appliedListeners.forEach((f) => f({ entry, mark: m && viewMark(m) }));
    }
    return;
  }
  if (kind === 'attendance') {
    const records = batch.map((e) => ({ student_id: e.student_id, code: (e as Extract<Entry, { kind: 'attendance' }>).code }));
    await call('PUT', `${path}/attendance`, { records });
    batch.forEach((entry) => appliedListeners.forEach((f) => f({ entry })));
    return;
  }
  if (kind === 'worktype') {
    // The lesson's version is read just before the change, which takes the column's type as chosen last.
    for (const entry of batch) {
      const w = entry as Extract<Entry, { kind: 'worktype' }>;
      const current = await call<{ version: number }>('GET', path);
      await call('PATCH', path, { work_type: w.work_type, version: current.version });
      done([entry]);
      appliedListeners.forEach((f) => f({ entry }));
    }
    return;
  }
  if (kind === 'retype') {
    for (const entry of batch) {
      const r = entry as Extract<Entry, { kind: 'retype' }>;
      const m = await call<MarkOut>('PATCH', `v1/marks/${encodeURIComponent(r.mark_id)}`, { work_type: r.work_type, version: r.version });
      // Later changes of the same mark were queued against the version before this one.
      update((q) => {
        q.entries = q.entries.filter((e) => e.id !== entry.id);
        for (const e of q.entries) if ((e.kind === 'retype' || e.kind === 'unmark') && e.mark_id === r.mark_id) e.version = m.version;
      });
      appliedListeners.forEach((f) => f({ entry, mark: viewMark(m) }));
    }
    return;
  }
  for (const entry of batch) {
    const u = entry as Extract<Entry, { kind: 'unmark' }>;
    await call('DELETE', `v1/marks/${encodeURIComponent(u.mark_id)}?version=${u.version}`);
    done([entry]);
    appliedListeners.forEach((f) => f({ entry }));
  }
}

function done(batch: Entry[]): void {
  const ids = new Set(batch.map((e) => e.id));
  update((q) => {
    q.entries = q.entries.filter((e) => !ids.has(e.id));
  });
}

function refuse(batch: Entry[], e: ApiError): void {
  update((q) => {
    batch.forEach((entry, i) => {
      if (!q.entries.some((x) => x.id === entry.id)) return;
      const own = e.fields && Object.entries(e.fields).find(([f]) => f.startsWith(`marks[${i}]`) || f.startsWith(`records[${i}]`));
      q.failed.push({ entry, message: own ? own[1] : e.message });
    });
    const ids = new Set(batch.map((x) => x.id));
    q.entries = q.entries.filter((x) => !ids.has(x.id));
  });
}

addEventListener('online', () => retryNow());
// Another tab changed the queue: show it, and send what it left.
addEventListener('storage', (e: StorageEvent) => {
  if (key && e.key === key) {
    notify();
    schedule(300);
  }
});
