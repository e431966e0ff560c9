// Shared pieces of the family screens (marks, homework, debts, timetable): which student a route is about,
// the child switcher, the school directory and ISO weeks.
import { useEffect, useState } from 'preact/hooks';
import { get, type Me } from '../api';
import { strings } from '../i18n';
import { loadDirectory, parse, today, type Directory, type Year } from '../model';
import { go } from '../nav';
import './family.css';

const tr = strings({
  ru: { child: 'Ребёнок', noStudent: 'Не выбран ученик.' },
  en: { child: 'Child', noStudent: 'No student chosen.' },
});

/** Student is whom a family screen shows: the id from the route, and the name and class when known. */
export interface Student { id: string; name?: string; classID?: string }

/** useStudent resolves the route's student: the signed-in student, a parent's child, or (for staff, who reach
 * these screens from a class) the student's record. Another family's child stays a bare id: the API refuses it. */
export function useStudent(me: Me, arg: string | undefined): Student | null {
  const id = arg || (me.kind === 'student' ? me.id : me.children[0]?.id);
  const child = me.children.find((c) => c.id === id);
  const known: Student | undefined = !id ? undefined
    : id === me.id ? { id, name: me.full_name, classID: me.class_id }
    : child ? { id, name: child.full_name, classID: child.class_id } : undefined;
  const [fetched, setFetched] = useState<Student | null>(null);
  useEffect(() => {
    setFetched(null);
    if (!id || known || me.kind !== 'staff') return;
    let live = true;
    get<{ full_name: string; class_id?: string }>(`v1/students/${encodeURIComponent(id)}`).then(
      (p) => live && setFetched({ id, name: p.full_name, classID: p.class_id }),
      () => undefined, // the screen's own request shows the refusal
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (!id) return null;
  if (known) return known;
  return fetched?.id === id ? fetched : { id };
}

/** NoStudent is shown when a route names no student and the person has none. */
export function NoStudent() {
  return <p class="card muted" role="status">{tr('noStudent')}</p>;
}

/** ChildSwitch lets a parent of several children switch to another child on the same screen. */
export function ChildSwitch({ me, id, route, rest = [] }: { me: Me; id: string; route: string; rest?: string[] }) {
  if (me.children.length < 2) return null;
  return (
    <label class="switch">
      {tr('child')}
      <select value={id} onChange={(e) => go(route, e.currentTarget.value, ...rest)}>
        {me.children.map((c) => <option key={c.id} value={c.id}>{c.full_name}</option>)}
      </select>
    </label>
  );
}

/** useDirectory gives the school directory (years, subjects, classes), read once per sign-in. */
export function useDirectory(): { dir?: Directory; error?: unknown } {
  const [state, setState] = useState<{ dir?: Directory; error?: unknown }>({});
  useEffect(() => {
    let live = true;
    loadDirectory().then(
      (dir) => live && setState({ dir }),
      (error) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** yearOf is the school year of a class (when known), else the year containing today, else the last one. */
export function yearOf(dir: Directory, classID?: string): Year | undefined {
  const yid = classID ? dir.classes.get(classID)?.year_id : undefined;
  const d = today();
  return dir.years.find((y) => y.id === yid) ?? dir.years.find((y) => y.start <= d && d <= y.end) ?? dir.years[dir.years.length - 1];
}

/** isoWeek is the ISO week (YYYY-Www) of a YYYY-MM-DD date. */
export function isoWeek(s: string): string {
  const d = parse(s);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + 3); // the week's Thursday decides its year
  const year = d.getFullYear();
  const first = new Date(year, 0, 4);
  first.setDate(first.getDate() - ((first.getDay() + 6) % 7) + 3); // Thursday of week 1
  const week = 1 + Math.round((d.getTime() - first.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** withName is "Title: name" when the name is known. */
export function withName(title: string, s: Student): string {
  return s.name ? `${title}: ${s.name}` : title;
}

/** markClass is the colour class of a mark or a term mark (5…1, н/а, осв.). */
export function markClass(v: string | number): string {
  return /^[1-5]$/.test(String(v)) ? `mark m${v}` : v === 'н/а' ? 'mark m2' : 'mark';
}
