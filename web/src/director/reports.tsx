// Reports are every Step 6 report of the school as tables with their filters (kept in the hash route:
// #/reports/<kind>?period=q1&class_id=…) and their exports (XLSX, PDF, CSV). A whole-school report the API will not
// answer at once (413) is offered as a background job, shown on screen or downloaded when done.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { strings } from '../i18n';
import { today, type Year } from '../model';
import { can, DownloadButtons, fmtDate, fmtNum, Tabs, type ScreenProps } from '../ui';
import {
  apiQuery, classesOf, currentTerm, Filters, FiguresTable, jobKey, JobPanel, pct, periodName, queryOf, RepState, scroll, setRoute, signed, staffName,
  Tiles, tr as common, useDir, useMore, useReport, yearOf,
  type Attendance, type AttFigures, type Dir, type Field, type Figures, type Forecast, type Performance, type SubjectFigures, type Trend,
} from './common';

const tr = strings({
  ru: {
    title: 'Отчёты',
    performance: 'Успеваемость',
    attendance: 'Посещаемость',
    teachers: 'Работа учителей',
    trend: 'Динамика по предмету',
    forecast: 'Прогноз',
    movement: 'Движение учащихся',
    summary: 'Сводная ведомость',
    classTeacher: 'Отчёт классного руководителя',
    by: 'Разрез',
    byClasses: 'по классам',
    byParallels: 'по параллелям',
    bySubjects: 'по предметам',
    byTeachers: 'по учителям',
    export: 'Скачать',
    cls: 'Класс',
    parallel: 'Параллель',
    subject: 'Предмет',
    teacher: 'Учитель',
    student: 'Ученик',
    school: 'Школа',
    lessons: 'Уроков',
    held: 'Ученико-уроков',
    missed: 'Пропущено',
    ill: 'По болезни',
    excused: 'Уважит.',
    unexcused: 'Без причины',
    late: 'Опозданий',
    unrecorded: 'Не отмечено',
    attPct: 'Посещ., %',
    withoutTopic: 'Без темы',
    withoutHomework: 'Без д/з',
    lateHomework: 'Д/з позже урока',
    noAttendance: 'Посещ. не отмечена',
    rate: 'Отметок на ученика за урок',
    share: 'Доля «{m}», %',
    diff: 'разница со школой',
    planLag: 'Отставание от КТП, ч',
    schoolShares: 'По школе: «5» {s5}, «4» {s4}, «3» {s3}, «2» {s2} (всего отметок {n}).',
    loads: 'Нагрузка по классам и предметам',
    marks: 'Отметок',
    checks: 'Уроки с недочётами',
    date: 'Дата',
    problems: 'Недочёты',
    pNoTopic: 'нет темы',
    pNoHomework: 'нет д/з',
    pLateHomework: 'д/з внесено позже',
    pNoAttendance: 'не отмечена посещаемость',
    term: 'Период',
    qualityP: 'Кач., %',
    successP: 'Успев., %',
    changeNote: 'В скобках — изменение по сравнению с предыдущим периодом, в процентных пунктах.',
    atStart: 'На начало',
    arrived: 'Прибыло',
    left: 'Выбыло',
    transIn: 'Переведено в класс',
    transOut: 'Переведено из класса',
    atEnd: 'На конец',
    total: 'Итого',
    orders: 'Приказы',
    orderNo: 'Приказ №',
    orderDate: 'Дата',
    students: 'Учеников',
    noOrders: 'Приказов за период нет.',
    average: 'Ср. балл',
    category: 'Категория',
    excellent: 'отличник',
    good: 'хорошист',
    satisfactory: 'с «3»',
    failing: 'неуспевающий',
    arrivedOn: 'прибыл {d}',
    oneThree: 'С одной «3»',
    oneFour: 'С одной «4»',
    failingList: 'Неуспевающие («2» и н/а)',
    mark: 'Отметка',
    none: 'Нет.',
    projected: 'Прогноз итогов по классам на {d}',
    flagged: 'Учеников с рисками: {n}',
    toWarnings: 'Список группы риска',
    period: 'Период: {from} — {to}',
    chooseClass: 'Выберите класс.',
    chooseSubject: 'Выберите предмет.',
    empty: 'Нет данных.',
    subjectsOfClass: 'Предметы класса',
    figuresOf: 'Итоги класса',
  },
  en: {
    title: 'Reports',
    performance: 'Performance',
    attendance: 'Attendance',
    teachers: "Teachers' work",
    trend: 'Subject trend',
    forecast: 'Forecast',
    movement: 'Movement of students',
    summary: 'Summary sheet',
    classTeacher: "Class teacher's report",
    by: 'Rows',
    byClasses: 'by class',
    byParallels: 'by grade',
    bySubjects: 'by subject',
    byTeachers: 'by teacher',
    export: 'Download',
    cls: 'Class',
    parallel: 'Grade',
    subject: 'Subject',
    teacher: 'Teacher',
    student: 'Student',
    school: 'School',
    lessons: 'Lessons',
    held: 'Student-lessons',
    missed: 'Missed',
    ill: 'Ill',
    excused: 'Excused',
    unexcused: 'No reason',
    late: 'Late',
    unrecorded: 'Not recorded',
    attPct: 'Attended, %',
    withoutTopic: 'No topic',
    withoutHomework: 'No homework',
    lateHomework: 'Homework late',
    noAttendance: 'Attendance not taken',
    rate: 'Marks per student per lesson',
    share: 'Share of “{m}”, %',
    diff: 'difference from the school',
    planLag: 'Plan lag, h',
    schoolShares: 'School: “5” {s5}, “4” {s4}, “3” {s3}, “2” {s2} ({n} marks).',
    loads: 'Load per class and subject',
    marks: 'Marks',
    checks: 'Lessons with gaps',
    date: 'Date',
    problems: 'Gaps',
    pNoTopic: 'no topic',
    pNoHomework: 'no homework',
    pLateHomework: 'homework entered late',
    pNoAttendance: 'attendance not taken',
    term: 'Period',
    qualityP: 'Quality, %',
    successP: 'Success, %',
    changeNote: 'In brackets: the change from the previous period, in percentage points.',
    atStart: 'At start',
    arrived: 'Arrived',
    left: 'Left',
    transIn: 'Transferred in',
    transOut: 'Transferred out',
    atEnd: 'At end',
    total: 'Total',
    orders: 'Orders',
    orderNo: 'Order no.',
    orderDate: 'Date',
    students: 'Students',
    noOrders: 'No orders in the period.',
    average: 'Average',
    category: 'Category',
    excellent: 'excellent',
    good: 'good',
    satisfactory: 'with a 3',
    failing: 'failing',
    arrivedOn: 'arrived {d}',
    oneThree: 'With one “3”',
    oneFour: 'With one “4”',
    failingList: 'Failing (“2” and n/a)',
    mark: 'Mark',
    none: 'None.',
    projected: 'Projected term figures per class on {d}',
    flagged: 'Students at risk: {n}',
    toWarnings: 'The at-risk list',
    period: 'Period: {from} – {to}',
    chooseClass: 'Choose a class.',
    chooseSubject: 'Choose a subject.',
    empty: 'No data.',
    subjectsOfClass: 'Subjects of the class',
    figuresOf: 'The class in total',
  },
});

type Key = Parameters<typeof tr>[0];

/** Kind is one report: its route name (also the job's kind), the filters it takes, and its API path. */
interface Kind {
  id: string;
  label: Key;
  fields: Field[];
  periodYear?: boolean;
  required?: Field[];
  path: (v: Record<string, string>) => string;
}

const perfFields: Field[] = ['year_id', 'period', 'class_id', 'grade', 'subject_id', 'teacher_id', 'definition'];

const kinds: Kind[] = [
  { id: 'performance', label: 'performance', fields: perfFields, periodYear: true, path: () => 'v1/reports/performance' },
  { id: 'attendance', label: 'attendance', fields: ['year_id', 'period', 'class_id', 'grade', 'subject_id', 'teacher_id'], periodYear: true, path: () => 'v1/reports/attendance' },
  { id: 'teachers', label: 'teachers', fields: ['year_id', 'period', 'class_id', 'grade', 'subject_id', 'teacher_id'], periodYear: true, path: () => 'v1/reports/teachers' },
  { id: 'trend', label: 'trend', fields: ['subject_id', 'year_id', 'class_id', 'grade', 'teacher_id', 'definition'], required: ['subject_id'], path: (v) => `v1/reports/subjects/${encodeURIComponent(v.subject_id)}/trend` },
  { id: 'forecast', label: 'forecast', fields: ['year_id', 'period', 'on', 'class_id', 'grade', 'subject_id', 'teacher_id', 'definition'], path: () => 'v1/reports/forecast' },
  { id: 'movement', label: 'movement', fields: ['from', 'to'], path: () => 'v1/reports/movement' },
  { id: 'summary-sheet', label: 'summary', fields: ['class_id', 'year_id', 'period', 'subject_id', 'teacher_id', 'definition'], periodYear: true, required: ['class_id'], path: (v) => `v1/classes/${encodeURIComponent(v.class_id)}/reports/summary-sheet` },
  { id: 'class-teacher', label: 'classTeacher', fields: ['class_id', 'year_id', 'period', 'definition'], periodYear: true, required: ['class_id'], path: (v) => `v1/classes/${encodeURIComponent(v.class_id)}/reports/class-teacher` },
];

// Parameters the path carries: not repeated in the query (but given to a background job).
const inPath: Partial<Record<string, Field>> = { trend: 'subject_id', 'summary-sheet': 'class_id', 'class-teacher': 'class_id' };

export default function Reports(p: ScreenProps) {
  const { dir, error } = useDir(p.me);
  const kind = kinds.find((k) => k.id === p.args[0]) ?? kinds[0];
  const qs = p.query.toString();
  return (
    <section class="card reports">
      <h2>{tr('title')}</h2>
      <Tabs items={kinds.map((k) => ({ id: k.id, label: tr(k.label), href: `#/reports/${k.id}${qs ? `?${qs}` : ''}` }))} current={kind.id} />
      {error && <p class="error" role="alert">{error}</p>}
      {!dir && !error && <p role="status">{common('loadingReport')}</p>}
      {dir && <Report key={kind.id} kind={kind} dir={dir} query={p.query} me={p.me} />}
    </section>
  );
}

function Report({ kind, dir, query, me }: { kind: Kind; dir: Dir; query: URLSearchParams; me: ScreenProps['me'] }) {
  const q = queryOf(query);
  const y = yearOf(dir, q.year_id ?? null);
  const classes = classesOf(dir, y);
  const ownClass = can(me, 'reports.read', 'school') ? undefined : me.class_teacher_of[0]?.id;
  const subjects = [...dir.subjects.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  const to = y && today() > y.end ? y.end : today();
  const defaults: Record<string, string> = {
    year_id: y?.id ?? '',
    period: currentTerm(y),
    class_id: kind.required?.includes('class_id') ? ownClass ?? classes[0]?.id ?? '' : ownClass ?? '',
    subject_id: kind.required?.includes('subject_id') ? subjects[0]?.id ?? '' : '',
    definition: 'students',
    from: y?.start ?? '',
    to,
  };
  const values: Record<string, string> = {};
  for (const f of kind.fields) values[f] = q[f] ?? defaults[f] ?? '';
  if (values.period === 'year' && !kind.periodYear) values.period = defaults.period;
  const params = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) as Record<string, string>;
  const missing = kind.required?.find((f) => !values[f]);
  const skip = inPath[kind.id];
  const path = missing ? null : `${kind.path(values)}${apiQuery(Object.fromEntries(Object.entries(params).filter(([k]) => k !== skip)))}`;
  const rep = useReport<unknown>(path);
  const key = jobKey(kind.id, params);
  const [job, setJob] = useState<{ key: string; data: unknown } | null>(null);
  const data = rep.data ?? (job?.key === key ? job.data : undefined);

  const change = (f: Field, v: string) => setRoute('reports', [kind.id], { ...q, [f]: v, ...(f === 'year_id' ? { period: '', class_id: '', from: '', to: '' } : {}) });
  const by = q.by ?? (values.class_id ? 'subjects' : 'classes');
  const ctx: Ctx = { dir, y, values, by, setBy: (v) => setRoute('reports', [kind.id], { ...q, by: v }) };

  return (
    <div class="report">
      <Filters dir={dir} fields={kind.fields} values={values} onChange={change} periodYear={kind.periodYear} required={kind.required} errors={rep.fields} />
      {missing && <p class="muted">{tr(missing === 'class_id' ? 'chooseClass' : 'chooseSubject')}</p>}
      {path && !rep.tooLarge && !rep.error && (
        <div class="export">
          <span class="muted">{tr('export')}:</span>
          <DownloadButtons path={path} />
        </div>
      )}
      {rep.tooLarge && <JobPanel kind={kind.id} params={params} message={rep.tooLarge} onResult={(d) => setJob({ key, data: d })} />}
      <RepState rep={rep} />
      {data !== undefined && <div class="report-body">{render(kind.id, data, ctx)}</div>}
    </div>
  );
}

interface Ctx { dir: Dir; y?: Year; values: Record<string, string>; by: string; setBy: (v: string) => void }

function render(kind: string, data: unknown, c: Ctx): ComponentChildren {
  switch (kind) {
    case 'performance':
      return <PerformanceView r={data as Performance} c={c} />;
    case 'attendance':
      return <AttendanceView r={data as Attendance} c={c} />;
    case 'teachers':
      return <TeachersView r={data as TeacherReport} c={c} />;
    case 'trend':
      return <TrendView r={data as Trend} c={c} />;
    case 'forecast':
      return <ForecastView r={data as Forecast} c={c} />;
    case 'movement':
      return <MovementView r={data as Movement} />;
    case 'summary-sheet':
      return <SummaryView r={data as SummarySheet} c={c} />;
    default:
      return <ClassTeacherView r={data as ClassTeacherReport} c={c} />;
  }
}

const link = (kind: string, params: Record<string, string>) => `#/reports/${kind}${apiQuery(params)}`;

function className(c: Ctx, id: string, name?: string): string {
  if (name) return name;
  const x = c.dir.classes.get(id);
  return x ? `${x.grade}${x.letter}` : id;
}

function subjectName(c: Ctx, id: string, name?: string): string {
  return name ?? c.dir.subjects.get(id)?.name ?? id;
}

// ---- Performance.

function PerformanceView({ r, c }: { r: Performance; c: Ctx }) {
  const drill = { year_id: c.values.year_id, period: c.values.period, definition: c.values.definition };
  const rows: { key: string; label: ComponentChildren; figures: Figures }[] =
    c.by === 'parallels'
      ? r.parallels.map((g) => ({ key: String(g.grade), label: <a href={link('performance', { ...drill, grade: String(g.grade) })}>{common('gradeN', { n: g.grade })}</a>, figures: g.figures }))
      : c.by === 'subjects'
        ? r.subjects.map((s) => ({ key: s.subject_id, label: subjectName(c, s.subject_id, s.subject_name), figures: s.figures }))
        : c.by === 'teachers'
          ? r.teachers.map((t) => ({ key: t.teacher_id, label: staffName(c.dir, t.teacher_id), figures: t.figures }))
          : r.classes.map((x) => ({ key: x.class_id, label: <a href={link('summary-sheet', { ...drill, class_id: x.class_id })}>{className(c, x.class_id, x.class_name)}</a>, figures: x.figures }));
  const head = { parallels: tr('parallel'), subjects: tr('subject'), teachers: tr('teacher') }[c.by] ?? tr('cls');
  return (
    <>
      <div class="filters">
        <label>
          {tr('by')}
          <select value={c.by} onChange={(e) => c.setBy(e.currentTarget.value)}>
            <option value="classes">{tr('byClasses')}</option>
            <option value="parallels">{tr('byParallels')}</option>
            <option value="subjects">{tr('bySubjects')}</option>
            <option value="teachers">{tr('byTeachers')}</option>
          </select>
        </label>
      </div>
      <h3>{tr('performance')}: {periodName(c.y, r.period)}</h3>
      {rows.length === 0 ? <p class="muted">{tr('empty')}</p> : <FiguresTable head={head} rows={rows} total={{ label: tr('school'), figures: r.school }} />}
      <p class="notes">{r.definition_text}</p>
      <p class="notes">{r.rounding}</p>
    </>
  );
}

// ---- Attendance.

function AttRow({ label, f, lessons }: { label: ComponentChildren; f: AttFigures; lessons?: number }) {
  return (
    <>
      <th scope="row">{label}</th>
      {lessons !== undefined && <td class="num">{lessons}</td>}
      {[f.held, f.missed, f.ill, f.excused, f.unexcused, f.late, f.unrecorded].map((v, i) => <td class="num" key={i}>{v}</td>)}
      <td class="num">{fmtNum(f.percent)}</td>
    </>
  );
}

function AttHead({ first, lessons }: { first: string; lessons?: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {lessons && <th scope="col" class="num">{tr('lessons')}</th>}
        {(['held', 'missed', 'ill', 'excused', 'unexcused', 'late', 'unrecorded', 'attPct'] as Key[]).map((k) => <th scope="col" class="num" key={k}>{tr(k)}</th>)}
      </tr>
    </thead>
  );
}

function AttendanceView({ r, c }: { r: Attendance; c: Ctx }) {
  const one = r.classes.length === 1 ? r.classes[0] : undefined;
  const drill = { year_id: c.values.year_id, period: c.values.period };
  return (
    <>
      <h3>{tr('attendance')}</h3>
      <p class="muted">{tr('period', { from: fmtDate(r.from), to: fmtDate(r.to) })}</p>
      {r.classes.length === 0 ? <p class="muted">{tr('empty')}</p> : (
        <div {...scroll(tr('attendance'))}>
          <table class="data">
            <AttHead first={tr('cls')} lessons />
            <tbody>
              {r.classes.map((x) => (
                <tr key={x.class_id}><AttRow label={<a href={link('attendance', { ...drill, class_id: x.class_id })}>{className(c, x.class_id, x.class_name)}</a>} f={x.figures} lessons={x.lessons} /></tr>
              ))}
            </tbody>
            <tfoot><tr><AttRow label={tr('total')} f={r.school} lessons={r.classes.reduce((n, x) => n + x.lessons, 0)} /></tr></tfoot>
          </table>
        </div>
      )}
      {one && one.students.length > 0 && (
        <>
          <h3>{className(c, one.class_id, one.class_name)}</h3>
          <div {...scroll(className(c, one.class_id, one.class_name))}>
            <table class="data">
              <AttHead first={tr('student')} />
              <tbody>
                {one.students.map((s) => (
                  <tr key={s.student_id}><AttRow label={<>{s.name}{s.arrived && <small class="muted"> ({tr('arrivedOn', { d: fmtDate(s.arrived) })})</small>}</>} f={s.figures} /></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

// ---- Teachers' work.

interface Distribution { marks: number; n5: number; n4: number; n3: number; n2: number; n1: number; share5?: number; share4?: number; share3?: number; share2?: number; share1?: number; average?: number }
interface Load { class_id: string; subject_id: string; lessons: number; student_lessons: number; marks: number; rate?: number }
interface TeacherReport {
  from: string; to: string; school: Distribution;
  teachers: {
    teacher_id: string; lessons: number; without_topic: number; without_homework: number; late_homework: number; attendance_not_taken: number;
    checks: { lesson_id: string; date: string; class_id: string; subject_id: string; no_topic?: boolean; no_homework?: boolean; late_homework?: boolean; no_attendance?: boolean }[];
    total: Load; loads: Load[]; distribution: Distribution; difference: { share5?: number; share4?: number; share3?: number; share2?: number }; plan_lag?: number;
  }[];
}

function TeachersView({ r, c }: { r: TeacherReport; c: Ctx }) {
  const one = r.teachers.length === 1 ? r.teachers[0] : undefined;
  const [n, more] = useMore(one?.teacher_id ?? '');
  const drill = { year_id: c.values.year_id, period: c.values.period };
  const shares = ['5', '4', '3', '2'] as const;
  return (
    <>
      <h3>{tr('teachers')}</h3>
      <p class="muted">{tr('period', { from: fmtDate(r.from), to: fmtDate(r.to) })}</p>
      <p class="notes">{tr('schoolShares', { s5: pct(r.school.share5), s4: pct(r.school.share4), s3: pct(r.school.share3), s2: pct(r.school.share2), n: r.school.marks })}</p>
      {r.teachers.length === 0 ? <p class="muted">{tr('empty')}</p> : (
        <div {...scroll(tr('teachers'))}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{tr('teacher')}</th>
                {(['lessons', 'withoutTopic', 'withoutHomework', 'lateHomework', 'noAttendance', 'rate'] as Key[]).map((k) => <th scope="col" class="num" key={k}>{tr(k)}</th>)}
                {shares.map((m) => <th scope="col" class="num" key={m}>{tr('share', { m })} <small>({tr('diff')})</small></th>)}
                <th scope="col" class="num">{tr('planLag')}</th>
              </tr>
            </thead>
            <tbody>
              {r.teachers.map((t) => (
                <tr key={t.teacher_id}>
                  <th scope="row"><a href={link('teachers', { ...drill, teacher_id: t.teacher_id })}>{staffName(c.dir, t.teacher_id)}</a></th>
                  {[t.lessons, t.without_topic, t.without_homework, t.late_homework, t.attendance_not_taken].map((v, i) => <td class="num" key={i}>{v}</td>)}
                  <td class="num">{fmtNum(t.total.rate)}</td>
                  {shares.map((m) => (
                    <td class="num" key={m}>{fmtNum(t.distribution[`share${m}`])}{t.difference[`share${m}`] !== undefined && <small> ({signed(t.difference[`share${m}`])})</small>}</td>
                  ))}
                  <td class="num">{t.plan_lag ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {one && (
        <>
          <h3>{tr('loads')}</h3>
          <div {...scroll(tr('loads'))}>
            <table class="data">
              <thead><tr><th scope="col">{tr('cls')}</th><th scope="col">{tr('subject')}</th><th scope="col" class="num">{tr('lessons')}</th><th scope="col" class="num">{tr('marks')}</th><th scope="col" class="num">{tr('rate')}</th></tr></thead>
              <tbody>
                {one.loads.map((l) => (
                  <tr key={`${l.class_id}/${l.subject_id}`}><th scope="row">{className(c, l.class_id)}</th><td>{subjectName(c, l.subject_id)}</td><td class="num">{l.lessons}</td><td class="num">{l.marks}</td><td class="num">{fmtNum(l.rate)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{tr('checks')}</h3>
          {one.checks.length === 0 ? <p class="muted">{tr('none')}</p> : (
            <div {...scroll(tr('checks'))}>
              <table class="data">
                <thead><tr><th scope="col">{tr('date')}</th><th scope="col">{tr('cls')}</th><th scope="col">{tr('subject')}</th><th scope="col">{tr('problems')}</th></tr></thead>
                <tbody>
                  {one.checks.slice(0, n).map((k) => (
                    <tr key={k.lesson_id}>
                      <th scope="row">{fmtDate(k.date)}</th><td>{className(c, k.class_id)}</td><td>{subjectName(c, k.subject_id)}</td>
                      <td>{[k.no_topic && tr('pNoTopic'), k.no_homework && tr('pNoHomework'), k.late_homework && tr('pLateHomework'), k.no_attendance && tr('pNoAttendance')].filter(Boolean).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {more(one.checks.length)}
        </>
      )}
    </>
  );
}

// ---- Subject trend.

function TrendView({ r, c }: { r: Trend; c: Ctx }) {
  const periods = r.school.map((t) => t.period);
  const rows: { key: string; label: string; terms: Trend['school'] }[] = [
    { key: 'school', label: tr('school'), terms: r.school },
    ...r.parallels.map((g) => ({ key: `g${g.grade}`, label: common('gradeN', { n: g.grade }), terms: g.terms })),
    ...r.classes.map((x) => ({ key: x.class_id, label: className(c, x.class_id, x.class_name), terms: x.terms })),
  ];
  const cell = (v?: number, d?: number) => <>{fmtNum(v)}{d !== undefined && <small> ({signed(d)})</small>}</>;
  return (
    <>
      <h3>{tr('trend')}: {subjectName(c, r.subject_id)}</h3>
      <div {...scroll(tr('trend'))}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>{tr('cls')}</th>
              {periods.map((p) => <th scope="colgroup" colSpan={2} key={p}>{periodName(c.y, p)}</th>)}
            </tr>
            <tr>{periods.map((p) => [<th scope="col" class="num" key={`${p}q`}>{tr('qualityP')}</th>, <th scope="col" class="num" key={`${p}s`}>{tr('successP')}</th>])}</tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {periods.map((p) => {
                  const t = row.terms.find((x) => x.period === p);
                  return [<td class="num" key={`${p}q`}>{cell(t?.figures.quality, t?.quality_change)}</td>, <td class="num" key={`${p}s`}>{cell(t?.figures.success, t?.success_change)}</td>];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="notes">{tr('changeNote')}</p>
    </>
  );
}

// ---- Forecast.

function ForecastView({ r, c }: { r: Forecast; c: Ctx }) {
  const flagged = r.students.filter((s) => s.flags.length > 0 || s.subjects.some((x) => x.flags.length > 0)).length;
  const warn = { period: r.term, ...(c.values.class_id ? { class_id: c.values.class_id } : {}), ...(c.values.on ? { on: c.values.on } : {}) };
  return (
    <>
      <h3>{tr('projected', { d: fmtDate(r.on) })}</h3>
      <p>{tr('flagged', { n: flagged })} · <a href={`#/warnings${apiQuery(warn)}`}>{tr('toWarnings')}</a></p>
      {r.classes.length === 0 ? <p class="muted">{tr('empty')}</p> : (
        <FiguresTable head={tr('cls')} rows={r.classes.map((x) => ({ key: x.class_id, label: <a href={`#/warnings${apiQuery({ ...warn, class_id: x.class_id })}`}>{className(c, x.class_id, x.class_name)}</a>, figures: x.figures }))} />
      )}
    </>
  );
}

// ---- Movement.

interface Counts { at_start: number; arrived: number; left: number; transferred_in: number; transferred_out: number; at_end: number }
interface Movement { from: string; to: string; classes: (Counts & { class_id: string; class_name?: string })[]; total: Counts; orders: { order_no: string; order_date?: string; student_ids: string[] }[] }

function MovementView({ r }: { r: Movement }) {
  const cols = (x: Counts) => [x.at_start, x.arrived, x.left, x.transferred_in, x.transferred_out, x.at_end].map((v, i) => <td class="num" key={i}>{v}</td>);
  return (
    <>
      <h3>{tr('movement')}</h3>
      <p class="muted">{tr('period', { from: fmtDate(r.from), to: fmtDate(r.to) })}</p>
      <div {...scroll(tr('movement'))}>
        <table class="data">
          <thead><tr><th scope="col">{tr('cls')}</th>{(['atStart', 'arrived', 'left', 'transIn', 'transOut', 'atEnd'] as Key[]).map((k) => <th scope="col" class="num" key={k}>{tr(k)}</th>)}</tr></thead>
          <tbody>{r.classes.map((x) => <tr key={x.class_id}><th scope="row">{x.class_name ?? x.class_id}</th>{cols(x)}</tr>)}</tbody>
          <tfoot><tr><th scope="row">{tr('total')}</th>{cols(r.total)}</tr></tfoot>
        </table>
      </div>
      <h3>{tr('orders')}</h3>
      {r.orders.length === 0 ? <p class="muted">{tr('noOrders')}</p> : (
        <div {...scroll(tr('orders'))}>
          <table class="data">
            <thead><tr><th scope="col">{tr('orderNo')}</th><th scope="col">{tr('orderDate')}</th><th scope="col" class="num">{tr('students')}</th></tr></thead>
            <tbody>{r.orders.map((o) => <tr key={o.order_no}><th scope="row">{o.order_no}</th><td>{o.order_date ? fmtDate(o.order_date) : '—'}</td><td class="num">{o.student_ids.length}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

// ---- Summary sheet and the class teacher's report.

interface SummarySheet {
  class_id: string; class_name?: string; period: string; end: string; definition_text: string;
  subjects: SubjectFigures[]; rows: { student_id: string; name: string; arrived?: string; marks: string[]; average?: number; category?: string }[]; figures: Figures;
}

const category = (k?: string) => (k === 'excellent' || k === 'good' || k === 'satisfactory' || k === 'failing' ? tr(k) : '');

function figureTiles(f: Figures): [string, string][] {
  return [
    [common('success'), pct(f.success)],
    [common('quality'), pct(f.quality)],
    [common('sou'), pct(f.sou)],
    [common('average'), fmtNum(f.average)],
    [common('counted'), `${f.n} / ${f.roll}`],
  ];
}

function SummaryView({ r, c }: { r: SummarySheet; c: Ctx }) {
  const short = (s: SubjectFigures) => c.dir.subjects.get(s.subject_id)?.short_name ?? s.subject_name ?? s.subject_id;
  const foot: [string, (f: Figures) => string][] = [[tr('successP'), (f) => fmtNum(f.success)], [tr('qualityP'), (f) => fmtNum(f.quality)], [tr('average'), (f) => fmtNum(f.average)]];
  return (
    <>
      <h3>{tr('summary')}: {className(c, r.class_id, r.class_name)}, {periodName(c.y, r.period)}</h3>
      <Tiles items={figureTiles(r.figures)} />
      {r.rows.length === 0 ? <p class="muted">{tr('empty')}</p> : (
        <div {...scroll(tr('summary'))}>
          <table class="data sheet">
            <thead>
              <tr>
                <th scope="col">{tr('student')}</th>
                {r.subjects.map((s) => <th scope="col" class="num" key={s.subject_id} title={s.subject_name}>{short(s)}</th>)}
                <th scope="col" class="num">{tr('average')}</th>
                <th scope="col">{tr('category')}</th>
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row) => (
                <tr key={row.student_id}>
                  <th scope="row">{row.name}{row.arrived && <small class="muted"> ({tr('arrivedOn', { d: fmtDate(row.arrived) })})</small>}</th>
                  {row.marks.map((m, i) => <td class={`mark-cell${m === '2' || m === 'н/а' ? ' error' : ''}`} key={i}>{m}</td>)}
                  <td class="num">{fmtNum(row.average)}</td>
                  <td>{category(row.category)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {foot.map(([label, f]) => (
                <tr key={label}><th scope="row">{label}</th>{r.subjects.map((s) => <td class="num" key={s.subject_id}>{f(s.figures)}</td>)}<td class="num">{f(r.figures)}</td><td /></tr>
              ))}
            </tfoot>
          </table>
        </div>
      )}
      <p class="notes">{r.definition_text}</p>
    </>
  );
}

interface StudentSubject { student_id: string; name: string; subject_id: string; value: string }
interface ClassTeacherReport { class_id: string; class_name?: string; period: string; definition_text: string; figures: Figures; subjects: SubjectFigures[]; one_three: StudentSubject[]; one_four: StudentSubject[]; failing: StudentSubject[] }

function StudentList({ title, items, c }: { title: string; items: StudentSubject[]; c: Ctx }) {
  return (
    <>
      <h4>{title}</h4>
      {items.length === 0 ? <p class="muted">{tr('none')}</p> : (
        <div {...scroll(title)}>
          <table class="data">
            <thead><tr><th scope="col">{tr('student')}</th><th scope="col">{tr('subject')}</th><th scope="col" class="num">{tr('mark')}</th></tr></thead>
            <tbody>
              {items.map((x) => (
                <tr key={`${x.student_id}/${x.subject_id}`}><th scope="row"><a href={`#/marks/${encodeURIComponent(x.student_id)}`}>{x.name}</a></th><td>{subjectName(c, x.subject_id)}</td><td class="num">{x.value}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ClassTeacherView({ r, c }: { r: ClassTeacherReport; c: Ctx }) {
  return (
    <>
      <h3>{tr('classTeacher')}: {className(c, r.class_id, r.class_name)}, {periodName(c.y, r.period)}</h3>
      <Tiles items={figureTiles(r.figures)} />
      <FiguresTable caption={tr('subjectsOfClass')} head={tr('subject')} rows={r.subjects.map((s) => ({ key: s.subject_id, label: subjectName(c, s.subject_id, s.subject_name), figures: s.figures }))} total={{ label: tr('figuresOf'), figures: r.figures }} />
      <StudentList title={tr('oneThree')} items={r.one_three} c={c} />
      <StudentList title={tr('oneFour')} items={r.one_four} c={c} />
      <StudentList title={tr('failingList')} items={r.failing} c={c} />
      <p class="notes">{r.definition_text}</p>
    </>
  );
}
