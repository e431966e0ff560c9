// Types of the API's answers the screens use, the school directory, and date helpers.
import { get } from './api';
import { dict } from './i18n';

export interface Term { id: string; name: string; start: string; end: string }
export interface Year { id: string; name: string; start: string; end: string; terms: Term[] }
export interface Subject { id: string; name: string; short_name?: string }
export interface SchoolClass { id: string; grade: number; letter: string; year_id: string }

export interface Lesson {
  id: string;
  date: string;
  class_id: string;
  subject_id: string;
  group_id?: string;
  teacher_id: string;
  period?: number;
  room?: string;
  topic?: string;
  homework?: string;
}

export interface ViewMark { id: string; lesson_id: string; date: string; value: number; work_type: string; weight: number; comment?: string; version?: number }

export interface JournalCell { marks: ViewMark[]; attendance?: string }

export interface Journal {
  class_id: string;
  subject_id: string;
  term: Term;
  /** work_type is the type marks given on the lesson get: the lesson's own, else the school's default. */
  lessons: { id: string; date: string; period: number; group_id?: string; topic?: string; homework?: string; control_work: boolean; work_type?: string }[];
  students: {
    id: string;
    full_name: string;
    cells: Record<string, JournalCell>;
    average?: number;
    suggested: string;
    suggested_explain: string;
    term_mark?: string;
  }[];
}

export interface DiaryLesson {
  lesson_id: string;
  period?: number;
  subject_id?: string;
  subject?: string;
  topic?: string;
  homework?: string;
  homework_links?: string[];
  control_work: boolean;
  marks: ViewMark[];
  attendance?: string;
}

export interface Diary {
  student_id: string;
  from: string;
  to: string;
  attendance: { lessons: number; missed: number };
  days: { date: string; lessons: DiaryLesson[] }[];
}

/** Directory holds the names the screens show for ids. */
export interface Directory {
  years: Year[];
  subjects: Map<string, Subject>;
  classes: Map<string, SchoolClass>;
}

let directory: Promise<Directory> | null = null;

/** loadDirectory reads years, subjects and classes once per sign-in. */
export function loadDirectory(): Promise<Directory> {
  directory ??= Promise.all([
    get<{ items: Year[] }>('v1/years'),
    get<{ items: Subject[] }>('v1/subjects'),
    get<{ items: SchoolClass[] }>('v1/classes'),
  ]).then(([y, s, c]) => ({
    years: y.items,
    subjects: new Map(s.items.map((x) => [x.id, x])),
    classes: new Map(c.items.map((x) => [x.id, x])),
  }));
  directory.catch(() => {
    directory = null;
  });
  return directory;
}

/** forgetDirectory drops the cached directory (at sign-out). */
export function forgetDirectory(): void {
  directory = null;
}

/** className is "5А" for a class id, or the id itself when unknown. */
export function className(d: Directory | undefined, id: string): string {
  const c = d?.classes.get(id);
  return c ? `${c.grade}${c.letter}` : id;
}

/** subjectName is the subject's name, or its id when unknown. */
export function subjectName(d: Directory | undefined, id: string): string {
  return d?.subjects.get(id)?.name ?? id;
}

/** termOf is the term containing a date, or the last term before it. */
export function termOf(d: Directory, date: string): Term | undefined {
  const year = d.years.find((y) => y.start <= date && date <= y.end) ?? d.years[d.years.length - 1];
  if (!year) return undefined;
  return year.terms.find((t) => t.start <= date && date <= t.end) ?? [...year.terms].reverse().find((t) => t.start <= date) ?? year.terms[0];
}

/** today is the local date as YYYY-MM-DD. */
export function today(): string {
  return iso(new Date());
}

/** iso formats a local date as YYYY-MM-DD. */
export function iso(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** parse reads YYYY-MM-DD as a local date. */
export function parse(s: string): Date {
  const [y, m, d] = s.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** addDays shifts a YYYY-MM-DD date. */
export function addDays(s: string, n: number): string {
  const d = parse(s);
  d.setDate(d.getDate() + n);
  return iso(d);
}

/** monday is the Monday of the week of a date. */
export function monday(s: string): string {
  const d = parse(s);
  return addDays(s, -((d.getDay() + 6) % 7));
}

/** dayTitle is "Пн, 30 ноября". */
export function dayTitle(s: string): string {
  const d = parse(s);
  const w = dict().weekdays[(d.getDay() + 6) % 7];
  return `${w}, ${d.getDate()} ${dict().months[d.getMonth()]}`;
}

/** shortDate is "30.11". */
export function shortDate(s: string): string {
  return `${s.slice(8, 10)}.${s.slice(5, 7)}`;
}
