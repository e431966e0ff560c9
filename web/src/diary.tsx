// Diary is a student's week as a parent or the student sees it: lessons, topics, homework, marks and absences.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, type Me } from './api';
import { dict, t } from './i18n';
import { addDays, dayTitle, monday, parse, today, type Diary as DiaryData } from './model';
import { go } from './nav';

export function Diary({ me, studentID, week }: { me: Me; studentID: string; week?: string }) {
  const from = monday(week && /^\d{4}-\d{2}-\d{2}$/.test(week) ? week : today());
  const to = addDays(from, 6);
  const [diary, setDiary] = useState<DiaryData | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    setDiary(null);
    setError('');
    get<DiaryData>(`v1/students/${encodeURIComponent(studentID)}/diary?from=${from}&to=${to}`).then(setDiary, (e) =>
      setError(e instanceof ApiError && e.offline ? t('networkError') : String(e.message ?? e)),
    );
  }, [studentID, from]);

  // Sunday is shown only when it has lessons.
  const days = diary?.days.filter((d) => d.lessons.length > 0 || parse(d.date).getDay() !== 0) ?? [];
  return (
    <section class="diary">
      <div class="card head">
        {me.children.length > 1 && (
          <label class="switch">
            {t('child')}
            <select value={studentID} onChange={(e) => go('diary', e.currentTarget.value, from)}>
              {me.children.map((c) => <option key={c.id} value={c.id}>{c.full_name}</option>)}
            </select>
          </label>
        )}
        <h2>{t('diary')}{me.children.length === 1 ? `: ${me.children[0].full_name}` : ''}</h2>
        <div class="daynav">
          <button type="button" class="icon" onClick={() => go('diary', studentID, addDays(from, -7))} aria-label={t('prevWeek')}>‹</button>
          <span class="range">{dayTitle(from)} — {dayTitle(to)}</span>
          <button type="button" class="icon" onClick={() => go('diary', studentID, addDays(from, 7))} aria-label={t('nextWeek')}>›</button>
          {from !== monday(today()) && <button type="button" class="link" onClick={() => go('diary', studentID, monday(today()))}>{t('thisWeek')}</button>}
        </div>
        {diary && diary.attendance.missed > 0 && <p>{t('missedTotal', { n: diary.attendance.missed })}</p>}
      </div>
      {error && <p class="error card" role="alert">{error}</p>}
      {!diary && !error && <p role="status" class="card">{t('loading')}</p>}
      {days.map((d) => (
        <article class="card day" key={d.date} data-date={d.date}>
          <h3>{dayTitle(d.date)}</h3>
          {d.lessons.length === 0 && <p class="muted">{t('noLessonsDay')}</p>}
          <ol class="day-lessons">
            {d.lessons.map((l) => (
              <li key={l.lesson_id} data-lesson={l.lesson_id}>
                <span class="period">{l.period ?? ''}</span>
                <div class="what">
                  <strong>{l.subject ?? l.subject_id}</strong>
                  {l.topic && <div><span class="muted">{t('topic')}:</span> {l.topic}</div>}
                  {l.homework && <div><span class="muted">{t('homework')}:</span> {l.homework}</div>}
                  {l.homework_links?.map((u) => <div key={u}><a href={u} rel="noopener noreferrer" target="_blank">{u}</a></div>)}
                </div>
                <div class="marks">
                  {l.attendance && <span class={`att att-${l.attendance}`} title={dict().absence[l.attendance]}>{l.attendance}</span>}
                  {l.marks.map((m) => <span key={m.id} class={`mark m${m.value}`} title={m.comment ?? ''}>{m.value}</span>)}
                </div>
              </li>
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}
