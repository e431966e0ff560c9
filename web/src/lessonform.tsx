// LessonForm edits the topic and homework of the journal's current lesson (PATCH /v1/lessons/{id}). The topic
// may be picked from the class's calendar-thematic plan (КТП), the next topic not yet taught first, or typed.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, get } from './api';
import { strings, t } from './i18n';
import { loadDirectory, type Lesson } from './model';

const tr = strings({
  ru: {
    fromPlan: 'Из КТП',
    pick: '— выберите —',
    next: 'следующая',
    planLoading: 'Загрузка КТП…',
    noPlan: 'КТП для этого класса и предмета нет — тему можно ввести.',
    planError: 'КТП не загрузился: {message}',
  },
  en: {
    fromPlan: 'From the plan (КТП)',
    pick: '— choose —',
    next: 'next',
    planLoading: 'Loading the plan…',
    noPlan: 'No plan for this class and subject — type the topic.',
    planError: 'The plan did not load: {message}',
  },
});

interface PlanTopic { id: string; section?: string; title: string; hours: number }
interface Plan { id: string; class_id: string; subject_id: string; group_id?: string; topics: PlanTopic[] }
interface Progress { next_topic?: PlanTopic | null; topics: { id: string; held: number; scheduled: number }[] }

/** Choice is a plan topic as the list offers it: its number in the plan, and whether its hours are taught. */
interface Choice { topic: PlanTopic; n: number; done: boolean; next: boolean }

interface Props {
  lessonID: string;
  classID: string;
  subjectID: string;
  groupID?: string;
  date: string;
  topic?: string;
  homework?: string;
  /** taught are the topics of the journal's other lessons, which count as taught besides the plan's own count. */
  taught: string[];
  onSaved: (topic: string, homework: string) => void;
}

// planChoices reads the plan of the class and subject (of the group, if the lesson is a group's) and orders its
// topics for the list: the first topic with fewer lessons than its hours comes first, then the others in order.
async function planChoices(classID: string, subjectID: string, groupID: string | undefined, date: string, taught: string[]): Promise<Choice[]> {
  const dir = await loadDirectory();
  const year = dir.years.find((y) => y.start <= date && date <= y.end);
  if (!year) return [];
  const base = `v1/years/${encodeURIComponent(year.id)}/plans`;
  const { items } = await get<{ items: Plan[] }>(`${base}?class_id=${encodeURIComponent(classID)}`);
  const mine = items.filter((p) => p.subject_id === subjectID);
  const plan = mine.find((p) => (p.group_id ?? '') === (groupID ?? '')) ?? mine[0];
  if (!plan) return [];
  const progress = await get<Progress>(`${base}/${encodeURIComponent(plan.id)}/progress`).catch(() => null);
  const held = new Map(progress?.topics.map((x) => [x.id, x.held + x.scheduled]) ?? []);
  const byTitle = new Map<string, number>();
  for (const title of taught) {
    const k = title.trim().toLowerCase();
    if (k) byTitle.set(k, (byTitle.get(k) ?? 0) + 1);
  }
  const all = plan.topics.map((topic, i) => {
    const lessons = Math.max(held.get(topic.id) ?? 0, byTitle.get(topic.title.trim().toLowerCase()) ?? 0);
    return { topic, n: i + 1, done: lessons >= topic.hours, next: false };
  });
  const next = all.find((c) => !c.done);
  if (!next) return all;
  next.next = true;
  return [next, ...all.filter((c) => c !== next)];
}

export function LessonForm({ lessonID, classID, subjectID, groupID, date, topic = '', homework = '', taught, onSaved }: Props) {
  const [open, setOpen] = useState(false);
  const [tp, setTopic] = useState(topic);
  const [hw, setHomework] = useState(homework);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [planError, setPlanError] = useState('');

  // The plan is read when the form opens (and kept on the device by get, for offline use).
  useEffect(() => {
    if (!open || choices) return;
    let live = true;
    setPlanError('');
    planChoices(classID, subjectID, groupID, date, taught).then(
      (c) => live && setChoices(c),
      (e) => live && (setChoices([]), setPlanError(e instanceof ApiError && e.offline ? t('networkError') : String(e.message ?? e))),
    );
    return () => {
      live = false;
    };
  }, [open]);

  if (!open) {
    return <button type="button" class="link" onClick={() => setOpen(true)}>{t('editLesson')}</button>;
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    setBusy(true);
    setError('');
    try {
      const path = `v1/lessons/${encodeURIComponent(lessonID)}`;
      const current = await get<Lesson & { version: number }>(path);
      await call('PATCH', path, { topic: tp.trim(), homework: hw.trim(), version: current.version });
      onSaved(tp.trim(), hw.trim());
      setOpen(false);
    } catch (e) {
      setError(e instanceof ApiError && e.offline ? t('networkError') : e instanceof ApiError ? Object.values(e.fields ?? {})[0] ?? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const picked = choices?.find((c) => c.topic.title === tp.trim());
  return (
    <form class="form lesson-form" onSubmit={submit}>
      {choices === null && <span class="muted" role="status">{tr('planLoading')}</span>}
      {choices !== null && choices.length === 0 && <span class="muted">{planError ? tr('planError', { message: planError }) : tr('noPlan')}</span>}
      {choices !== null && choices.length > 0 && (
        <label>
          {tr('fromPlan')}
          <select
            class="plan-topics"
            value={picked?.topic.id ?? ''}
            onChange={(e) => {
              const c = choices.find((x) => x.topic.id === e.currentTarget.value);
              if (c) setTopic(c.topic.title);
            }}
          >
            <option value="">{tr('pick')}</option>
            {choices.map((c) => (
              <option key={c.topic.id} value={c.topic.id}>
                {c.n}. {c.topic.title}{c.done ? ' ✓' : ''}{c.next ? ` — ${tr('next')}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('topic')}
        <input value={tp} maxLength={500} onInput={(e) => setTopic(e.currentTarget.value)} />
      </label>
      <label>
        {t('homeworkFull')}
        <textarea value={hw} maxLength={2000} rows={2} onInput={(e) => setHomework(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>{t('save')}</button>
        <button type="button" class="link" onClick={() => setOpen(false)}>{t('cancel')}</button>
      </div>
    </form>
  );
}
