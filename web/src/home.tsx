// Home is the role-aware first screen: a teacher's lessons of the day, a parent's or student's diary.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, type Me } from './api';
import { t } from './i18n';
import { addDays, className, dayTitle, loadDirectory, subjectName, termOf, today, type Directory, type Lesson } from './model';
import { Diary } from './diary';
import { menuItems } from './menu';

export function Home({ me, date }: { me: Me; date?: string }) {
  const teaches = me.roles.includes('teacher') || me.assignments.length > 0;
  if (teaches) {
    return (
      <>
        <TodayLessons me={me} start={date} />
        {me.class_teacher_of.length > 0 && (
          <section class="card">
            <h2>{t('myClasses')}</h2>
            <p>{me.class_teacher_of.map((c) => c.name).join(', ')}</p>
          </section>
        )}
      </>
    );
  }
  if (me.roles.includes('parent') && me.children.length) return <Diary me={me} studentID={me.children[0].id} />;
  if (me.roles.includes('student')) return <Diary me={me} studentID={me.id} />;
  return <FirstSection me={me} />;
}

/** FirstSection sends the administration, clerks and HR to their first section (the dashboard, people…). */
function FirstSection({ me }: { me: Me }) {
  const first = menuItems(me).find((i) => i.id !== '');
  useEffect(() => {
    if (first) location.replace(first.href);
  }, [first?.href]);
  return (
    <section class="card">
      <h2>{t('hello')}, {me.full_name}</h2>
      <p>{t('notYet')}</p>
    </section>
  );
}

/** TodayLessons lists a teacher's lessons of a day, each opening its class journal. */
function TodayLessons({ me, start }: { me: Me; start?: string }) {
  const [date, setDate] = useState(start && /^\d{4}-\d{2}-\d{2}$/.test(start) ? start : today());
  const [lessons, setLessons] = useState<Lesson[] | null>(null);
  const [dir, setDir] = useState<Directory>();
  const [error, setError] = useState('');

  useEffect(() => {
    loadDirectory().then(setDir, () => undefined);
  }, []);

  useEffect(() => {
    setLessons(null);
    setError('');
    get<{ items: Lesson[] }>(`v1/teachers/${encodeURIComponent(me.id)}/lessons?date=${date}`).then(
      (r) => setLessons(r.items.sort((a, b) => (a.period ?? 0) - (b.period ?? 0))),
      (e) => setError(e instanceof ApiError && e.offline ? t('networkError') : String(e.message ?? e)),
    );
  }, [date]);

  const term = dir && termOf(dir, date);
  return (
    <section class="card">
      <div class="daynav">
        <button type="button" class="icon" onClick={() => setDate(addDays(date, -1))} aria-label={t('prevDay')}>‹</button>
        <h2>{t('todayLessons')}: {dayTitle(date)}</h2>
        <button type="button" class="icon" onClick={() => setDate(addDays(date, 1))} aria-label={t('nextDay')}>›</button>
        {date !== today() && <button type="button" class="link" onClick={() => setDate(today())}>{t('today')}</button>}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!lessons && !error && <p role="status">{t('loading')}</p>}
      {lessons && lessons.length === 0 && <p>{t('noLessons')}</p>}
      {lessons && lessons.length > 0 && (
        <ul class="lessons">
          {lessons.map((l) => (
            <li key={l.id}>
              <a
                class="lesson"
                href={term ? `#/journal/${encodeURIComponent(l.class_id)}/${encodeURIComponent(l.subject_id)}/${encodeURIComponent(term.id)}?lesson=${encodeURIComponent(l.id)}` : undefined}
              >
                <span class="period">{l.period ?? '–'}</span>
                <span class="what">
                  <strong>{className(dir, l.class_id)}</strong> {subjectName(dir, l.subject_id)}
                  {l.topic && <small>{l.topic}</small>}
                </span>
                {l.room && <span class="room">{l.room}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
