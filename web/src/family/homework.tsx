// Homework: what a student has to do for the coming days and what was due in the past week
// (#/homework/<student>), from the diary: homework is set on a lesson and due on the subject's next lesson.
import { strings } from '../i18n';
import { addDays, dayTitle, today, type Diary } from '../model';
import { useLoad, type ScreenProps } from '../ui';
import { ChildSwitch, NoStudent, useStudent, withName } from './common';

const tr = strings({
  ru: {
    title: 'Задания', loading: 'Загрузка…', upcoming: 'На ближайшие дни', past: 'Прошлая неделя',
    noneUpcoming: 'Заданий на ближайшие дни нет.', nonePast: 'На прошлой неделе заданий не было.',
    later: 'К следующему уроку', set: 'задано {day}', today: 'сегодня', tomorrow: 'завтра', diary: 'Дневник недели',
    hint: 'Задание к уроку — то, что задали на предыдущем уроке этого предмета.', links: 'Материалы',
  },
  en: {
    title: 'Homework', loading: 'Loading…', upcoming: 'For the coming days', past: 'Past week',
    noneUpcoming: 'No homework for the coming days.', nonePast: 'No homework was due in the past week.',
    later: 'For the next lesson', set: 'set {day}', today: 'today', tomorrow: 'tomorrow', diary: 'The week in the diary',
    hint: 'Homework for a lesson is what the previous lesson of the subject set.', links: 'Materials',
  },
});

/** Task is one lesson's homework with the day it is due (the subject's next lesson), when known. */
interface Task { lessonID: string; subject: string; text?: string; links: string[]; set: string; due?: string }

function tasks(d: Diary): Task[] {
  const lessons = d.days.flatMap((day) => day.lessons.map((l) => ({ ...l, date: day.date })));
  return lessons
    .filter((l) => l.homework || l.homework_links?.length)
    .map((l) => ({
      lessonID: l.lesson_id,
      subject: l.subject ?? l.subject_id ?? '',
      text: l.homework,
      links: l.homework_links ?? [],
      set: l.date,
      due: lessons.find((n) => n.date > l.date && n.subject_id === l.subject_id)?.date,
    }));
}

/** byDay groups tasks by due day ('' for an unknown one, last). */
function byDay(list: Task[], newestFirst: boolean): [string, Task[]][] {
  const m = new Map<string, Task[]>();
  for (const t of list) m.set(t.due ?? '', [...(m.get(t.due ?? '') ?? []), t]);
  return [...m].sort(([a], [b]) => (!a ? 1 : !b ? -1 : newestFirst ? b.localeCompare(a) : a.localeCompare(b)));
}

export default function Homework({ me, args }: ScreenProps) {
  const student = useStudent(me, args[0]);
  const d = today();
  const weekAgo = addDays(d, -7);
  // Three weeks back find what was set for lessons of the past week; two weeks ahead find when it is due.
  const diary = useLoad<Diary>(student ? `v1/students/${encodeURIComponent(student.id)}/diary?from=${addDays(d, -21)}&to=${addDays(d, 14)}` : null);
  if (!student) return <NoStudent />;

  const data = !diary.loading && diary.data?.student_id === student.id ? diary.data : undefined;
  const all = data ? tasks(data) : [];
  const upcoming = all.filter((t) => (t.due ? t.due >= d : t.set >= weekAgo));
  const past = all.filter((t) => t.due && t.due >= weekAgo && t.due < d);
  const dayName = (day: string) =>
    !day ? tr('later') : `${dayTitle(day)}${day === d ? ` (${tr('today')})` : day === addDays(d, 1) ? ` (${tr('tomorrow')})` : ''}`;

  const section = (title: string, list: Task[], none: string, newestFirst: boolean) => (
    <div class="card homework">
      <h3>{title}</h3>
      {list.length === 0 && <p class="muted">{none}</p>}
      {byDay(list, newestFirst).map(([day, items]) => (
        <div class="hw-day" key={day} data-due={day}>
          <h4>{dayName(day)}</h4>
          <ul>
            {items.map((t) => (
              <li key={t.lessonID} data-lesson={t.lessonID}>
                <strong>{t.subject}</strong>
                {t.text && <p class="hw-text">{t.text}</p>}
                {t.links.length > 0 && (
                  <ul class="links" aria-label={tr('links')}>
                    {t.links.map((u) => <li key={u}><a href={u} rel="noopener noreferrer" target="_blank">{u}</a></li>)}
                  </ul>
                )}
                <a class="muted small" href={`#/diary/${encodeURIComponent(student.id)}/${t.set}`}>{tr('set', { day: dayTitle(t.set) })}</a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );

  return (
    <section class="family">
      <div class="card">
        <ChildSwitch me={me} id={student.id} route="homework" />
        <h2>{withName(tr('title'), student)}</h2>
        <p class="muted small">{tr('hint')}</p>
      </div>
      {diary.error && <p class="error card" role="alert">{diary.error}</p>}
      {!diary.error && !data && <p class="card" role="status">{tr('loading')}</p>}
      {data && section(tr('upcoming'), upcoming, tr('noneUpcoming'), false)}
      {data && section(tr('past'), past, tr('nonePast'), true)}
    </section>
  );
}
