// ClassScreen is the class teacher's screen (#/class/<class>/<part>): the overview of every subject's marks,
// the attendance totals with justifying absences, and the term reports. Another class shows the API's refusal.
import { className } from '../model';
import { Tabs, type ScreenProps } from '../ui';
import { tr, useDirectory } from './common';
import { Overview } from './overview';
import { Attendance } from './attendance';
import { Reports } from './reports';
import './classteacher.css';

const parts = ['overview', 'attendance', 'reports'] as const;
type Part = (typeof parts)[number];

export default function ClassScreen({ me, args, query }: ScreenProps) {
  const { dir, error } = useDirectory();
  const classID = args[0] ?? me.class_teacher_of[0]?.id;
  if (!classID) {
    return (
      <section class="card">
        <h2>{tr('title')}</h2>
        <p>{tr('noClass')}</p>
      </section>
    );
  }
  const part: Part = (parts as readonly string[]).includes(args[1]) ? (args[1] as Part) : 'overview';
  const name = me.class_teacher_of.find((c) => c.id === classID)?.name ?? className(dir, classID);
  const base = `#/class/${encodeURIComponent(classID)}`;
  return (
    <section class="ct">
      <div class="card ct-head">
        <h2>{tr('classTitle', { name })}</h2>
        <Tabs current={part} items={parts.map((p) => ({ id: p, href: `${base}/${p}`, label: tr(p) }))} />
      </div>
      {error && <p class="error card" role="alert">{error}</p>}
      {dir && part === 'overview' && <Overview classID={classID} dir={dir} query={query} />}
      {dir && part === 'attendance' && <Attendance classID={classID} dir={dir} query={query} />}
      {dir && part === 'reports' && <Reports classID={classID} dir={dir} query={query} />}
    </section>
  );
}
