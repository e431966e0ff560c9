// Timetable: a class's or a teacher's week (#/timetable/class/<class>/<week>, #/timetable/teacher/<teacher>/<week>)
// with bells, rooms, substitutions, holidays and the week's events; days as a list on a phone, a grid when wider.
import { useEffect, useState } from 'preact/hooks';
import { dict, strings } from '../i18n';
import { addDays, className, dayTitle, parse, shortDate, today } from '../model';
import { go } from '../nav';
import { can, fmtDate, useLoad, type ScreenProps } from '../ui';
import { isoWeek, useDirectory } from './common';

const tr = strings({
  ru: {
    classTitle: 'Расписание {name}', teacherTitle: 'Расписание: {name}', myTitle: 'Моё расписание', loading: 'Загрузка…',
    prevWeek: 'Предыдущая неделя', nextWeek: 'Следующая неделя', thisWeek: 'Эта неделя', week: 'Неделя',
    period: 'Урок', dayOff: 'Выходной', noLessons: 'Уроков нет', holiday: 'Каникулы: {name}', cancelled: 'Урок отменён',
    substitute: 'Замена: {name}', replaces: 'Замена вместо {name}', room: 'Кабинет изменён: {room}', events: 'События недели',
    noEvents: 'Событий на этой неделе нет.', child: 'Ребёнок', noSubject: 'Не выбран класс или учитель.', today: 'сегодня',
    bell: '{n}-й урок', badWeek: 'Неделя «{week}» не понятна: нужна запись вида 2026-W48.',
  },
  en: {
    classTitle: 'Timetable of {name}', teacherTitle: 'Timetable: {name}', myTitle: 'My timetable', loading: 'Loading…',
    prevWeek: 'Previous week', nextWeek: 'Next week', thisWeek: 'This week', week: 'Week',
    period: 'Lesson', dayOff: 'Day off', noLessons: 'No lessons', holiday: 'Holidays: {name}', cancelled: 'Cancelled',
    substitute: 'Substitute: {name}', replaces: 'Substituting for {name}', room: 'Room changed: {room}', events: 'Events of the week',
    noEvents: 'No events this week.', child: 'Child', noSubject: 'No class or teacher chosen.', today: 'today',
    bell: 'lesson {n}', badWeek: 'The week "{week}" is not understood: it should look like 2026-W48.',
  },
});

interface Slot {
  period: number;
  start?: string;
  end?: string;
  entry_id: string;
  class_id: string;
  class_name?: string;
  group_id?: string;
  group_name?: string;
  subject_id: string;
  subject_name?: string;
  teacher_id: string;
  teacher_name?: string;
  room?: string;
  substitution?: { id: string; teacher_id?: string; teacher_name?: string; room?: string; cancelled?: boolean; reason?: string };
}

interface Day { date: string; weekday: number; school_day: boolean; holiday?: string; slots: Slot[] }

interface Event { id: string; title: string; date: string; end_date?: string; start?: string; end?: string; place?: string }

/** Week is GET /v1/classes/{id}/timetable or /v1/teachers/{id}/timetable. */
interface Week { week: string; from: string; to: string; class_id?: string; teacher_id?: string; days: Day[]; events: Event[] }

type Kind = 'class' | 'teacher';

const wideQuery = '(min-width: 48rem)';

/** useWide follows whether the screen is wide enough for the week as a grid. */
function useWide(): boolean {
  const [wide, setWide] = useState(() => matchMedia(wideQuery).matches);
  useEffect(() => {
    const q = matchMedia(wideQuery);
    const on = () => setWide(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  return wide;
}

export default function Timetable({ me, args }: ScreenProps) {
  const kind: Kind = args[0] === 'teacher' || args[0] === 'class' ? args[0] : me.kind === 'staff' ? 'teacher' : 'class';
  const id = args[1] || (kind === 'teacher' ? me.id : me.class_id ?? me.children[0]?.class_id);
  const week = args[2];
  const badWeek = !!week && !/^\d{4}-W\d{2}$/.test(week);
  const path = id && !badWeek ? `v1/${kind === 'teacher' ? 'teachers' : 'classes'}/${encodeURIComponent(id)}/timetable${week ? `?week=${encodeURIComponent(week)}` : ''}` : null;
  const l = useLoad<Week>(path);
  const { dir } = useDirectory();
  const wide = useWide();
  if (!id) return <p class="card muted" role="status">{tr('noSubject')}</p>;

  // What an earlier route loaded (another week, class or teacher) is not shown while the new one loads.
  const w = l.data && !l.loading && l.data[kind === 'teacher' ? 'teacher_id' : 'class_id'] === id && (!week || l.data.week === week) ? l.data : undefined;
  const staff = can(me, 'timetable.read', 'school');
  const slots = w?.days.flatMap((d) => d.slots) ?? [];
  const title = kind === 'class'
    ? tr('classTitle', { name: slots.find((s) => s.class_id === id)?.class_name ?? className(dir, id) })
    : id === me.id ? tr('myTitle') : tr('teacherTitle', { name: slots.find((s) => s.teacher_id === id)?.teacher_name ?? id });
  const thisWeek = isoWeek(today());
  const move = (n: number) => w && go('timetable', kind, id, isoWeek(addDays(w.from, 7 * n)));
  // Saturday is shown when it is a school day or has lessons; Sunday only with lessons.
  const days = w?.days.filter((d) => d.weekday <= 5 || d.slots.length > 0 || (d.weekday === 6 && d.school_day)) ?? [];
  const children = me.children.filter((c) => c.class_id);

  return (
    <section class="family timetable">
      <div class="card">
        {kind === 'class' && children.length > 1 && (
          <label class="switch">
            {tr('child')}
            <select value={children.find((c) => c.class_id === id)?.id} onChange={(e) => go('timetable', 'class', children.find((c) => c.id === e.currentTarget.value)?.class_id ?? id, ...(week ? [week] : []))}>
              {children.map((c) => <option key={c.id} value={c.id}>{c.full_name}</option>)}
            </select>
          </label>
        )}
        <h2>{title}</h2>
        <div class="daynav">
          {!l.error && !badWeek && <button type="button" class="icon" onClick={() => move(-1)} disabled={!w} aria-label={tr('prevWeek')}>‹</button>}
          <span class="range">{w ? range(w.from, w.to) : week ?? ''}</span>
          {!l.error && !badWeek && <button type="button" class="icon" onClick={() => move(1)} disabled={!w} aria-label={tr('nextWeek')}>›</button>}
          {week && w?.week !== thisWeek && <button type="button" class="link" onClick={() => go('timetable', kind, id)}>{tr('thisWeek')}</button>}
        </div>
      </div>
      {badWeek && <p class="error card" role="alert">{tr('badWeek', { week })}</p>}
      {l.error && <p class="error card" role="alert">{l.error}</p>}
      {!l.error && !badWeek && !w && <p class="card" role="status">{tr('loading')}</p>}
      {w && (wide ? <Grid w={w} days={days} kind={kind} id={id} staff={staff} /> : <List days={days} kind={kind} id={id} staff={staff} week={w.week} />)}
      {w && (
        <div class="card events">
          <h3>{tr('events')}</h3>
          {w.events.length === 0 ? <p class="muted">{tr('noEvents')}</p> : (
            <ul>
              {w.events.map((e) => (
                <li key={e.id}>
                  <strong>{e.title}</strong>
                  <div class="muted">
                    {fmtDate(e.date)}{e.end_date && e.end_date !== e.date ? ` — ${fmtDate(e.end_date)}` : ''}
                    {e.start ? `, ${e.start}${e.end ? `–${e.end}` : ''}` : ''}{e.place ? ` · ${e.place}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** range is a week's dates: "7–13 декабря", "30 ноября — 6 декабря". */
function range(from: string, to: string): string {
  const a = parse(from);
  const b = parse(to);
  const m = dict().months;
  return a.getMonth() === b.getMonth()
    ? `${a.getDate()}–${b.getDate()} ${m[b.getMonth()]}`
    : `${a.getDate()} ${m[a.getMonth()]} — ${b.getDate()} ${m[b.getMonth()]}`;
}

interface ViewProps { kind: Kind; id: string; staff: boolean }

/** dayNote is what a day without lessons is: holidays or a day off. */
function dayNote(d: Day): string {
  return d.holiday ? tr('holiday', { name: d.holiday }) : !d.school_day ? tr('dayOff') : tr('noLessons');
}

/** List is the week as one card per day (phones). */
function List({ days, week, ...v }: ViewProps & { days: Day[]; week: string }) {
  const now = today();
  return (
    <>
      {days.map((d) => (
        <article class={`card day${d.date === now ? ' today' : ''}`} key={d.date} data-date={d.date} aria-current={d.date === now ? 'date' : undefined}>
          <h3>{dayTitle(d.date)}{d.date === now && <span class="muted"> ({tr('today')})</span>}</h3>
          {d.holiday && d.slots.length > 0 && <p class="muted">{tr('holiday', { name: d.holiday })}</p>}
          {d.slots.length === 0 ? <p class="muted">{dayNote(d)}</p> : (
            <ol class="tt-day">
              {d.slots.map((s) => (
                <li key={s.entry_id}>
                  <span class="period" title={tr('bell', { n: s.period })}>{s.period}</span>
                  {s.start && <span class="bell">{s.start}<br />{s.end}</span>}
                  <SlotView s={s} week={week} {...v} />
                </li>
              ))}
            </ol>
          )}
        </article>
      ))}
    </>
  );
}

/** Grid is the week as a table: periods down, days across (wide screens). */
function Grid({ w, days, ...v }: ViewProps & { w: Week; days: Day[] }) {
  const now = today();
  const periods = [...new Set(days.flatMap((d) => d.slots.map((s) => s.period)))].sort((a, b) => a - b);
  // A row's bell is the most common one of that period; a lesson at another time shows its own.
  const bell = (p: number) => {
    const count = new Map<string, number>();
    for (const s of days.flatMap((d) => d.slots)) if (s.period === p && s.start) count.set(`${s.start}–${s.end}`, (count.get(`${s.start}–${s.end}`) ?? 0) + 1);
    return [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
  };
  return (
    <div class="card">
      <div class="table-wrap">
        <table class="data tt-grid">
          <thead>
            <tr>
              <th scope="col">{tr('period')}</th>
              {days.map((d) => (
                <th scope="col" key={d.date} class={d.date === now ? 'today' : undefined} aria-current={d.date === now ? 'date' : undefined}>
                  {dayTitle(d.date).split(',')[0]} {shortDate(d.date)}
                  {(d.holiday || d.slots.length === 0) && <div class="muted small">{dayNote(d)}</div>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => {
              const b = bell(p);
              return (
                <tr key={p}>
                  <th scope="row"><span class="period">{p}</span>{b && <div class="bell">{b}</div>}</th>
                  {days.map((d) => (
                    <td key={d.date} data-date={d.date} class={d.date === now ? 'today' : undefined}>
                      {d.slots.filter((s) => s.period === p).map((s) => (
                        <div class="tt-cell" key={s.entry_id}>
                          {s.start && `${s.start}–${s.end}` !== b && <div class="bell">{s.start}–{s.end}</div>}
                          <SlotView s={s} week={w.week} {...v} />
                        </div>
                      ))}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** SlotView is one lesson: subject (and group), the teacher or the class, the room, and a substitution. */
function SlotView({ s, kind, id, staff, week }: ViewProps & { s: Slot; week: string }) {
  const sub = s.substitution;
  const group = s.group_name && s.subject_name && s.group_name.startsWith(`${s.subject_name}, `) ? s.group_name.slice(s.subject_name.length + 2) : s.group_name;
  const link = (href: string, text: string) => (staff ? <a href={href}>{text}</a> : <>{text}</>);
  const who = kind === 'class'
    ? s.teacher_name && link(`#/timetable/teacher/${encodeURIComponent(s.teacher_id)}/${week}`, s.teacher_name)
    : link(`#/timetable/class/${encodeURIComponent(s.class_id)}/${week}`, s.class_name ?? s.class_id);
  let note = '';
  if (sub?.cancelled) note = tr('cancelled');
  else if (sub && kind === 'teacher' && s.teacher_id !== id) note = tr('replaces', { name: s.teacher_name ?? s.teacher_id });
  else if (sub?.teacher_name) note = tr('substitute', { name: sub.teacher_name });
  return (
    <div class={`slot${sub ? ' changed' : ''}${sub?.cancelled ? ' cancelled' : ''}`} data-entry={s.entry_id}>
      <strong class="subj">{s.subject_name ?? s.subject_id}</strong>
      {group && <span class="muted"> · {group}</span>}
      <div class="tt-who">
        {who}
        {s.room && (!sub?.room || sub.room === s.room) && <span class="room"> · {s.room}</span>}
      </div>
      {sub?.room && sub.room !== s.room && <div class="subnote">{tr('room', { room: sub.room })}</div>}
      {note && <div class="subnote">{note}{sub?.reason ? ` (${sub.reason})` : ''}</div>}
    </div>
  );
}
