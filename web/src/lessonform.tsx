// LessonForm edits the topic and homework of the journal's current lesson (PATCH /v1/lessons/{id}). The topic
// may be picked from the class's calendar-thematic plan (КТП), the next topic not yet taught first, or typed.
// A topic of the lesson's own plan (picked, or typed as the plan words it) links the lesson to that topic
// (plan_topic_id), so it counts in the plan's progress; other text unlinks it; an unchanged topic keeps the link.
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

/** Choices are the plan's topics as the list offers them; own says the plan is the lesson's own (its class,
 * subject and group), whose topics the lesson may be linked to. */
interface Choices { list: Choice[]; own: boolean }

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
  /** onSaved gets the lesson's topic and homework as the server saved them. */
  onSaved: (topic: string, homework: string) => void;
}

// planChoices reads the plan of the class and subject (of the group, if the lesson is a group's) and orders its
// topics for the list: the first topic with fewer lessons than its hours comes first, then the others in order.
async function planChoices(classID: string, subjectID: string, groupID: string | undefined, date: string, taught: string[]): Promise<Choices> {
  const dir = await loadDirectory();
  const year = dir.years.find((y) => y.start <= date && date <= y.end);
  if (!year) return { list: [], own: false };
  const base = `v1/years/${encodeURIComponent(year.id)}/plans`;
  const { items } = await get<{ items: Plan[] }>(`${base}?class_id=${encodeURIComponent(classID)}`);
  const mine = items.filter((p) => p.subject_id === subjectID);
  const own = mine.find((p) => (p.group_id ?? '') === (groupID ?? ''));
  const plan = own ?? mine[0];
  if (!plan) return { list: [], own: false };
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
  if (!next) return { list: all, own: !!own };
  next.next = true;
  return { list: [next, ...all.filter((c) => c !== next)], own: !!own };
}

export function LessonForm({ lessonID, classID, subjectID, groupID, date, topic = '', homework = '', taught, onSaved }: Props) {
  const [open, setOpen] = useState(false);
  const [tp, setTopic] = useState(topic);
  const [hw, setHomework] = useState(homework);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [plan, setPlan] = useState<Choices | null>(null);
  const [pickedID, setPickedID] = useState('');
  const [planError, setPlanError] = useState('');

  // The plan is read when the form opens (and kept on the device by get, for offline use).
  useEffect(() => {
    if (!open || plan) return;
    let live = true;
    setPlanError('');
    planChoices(classID, subjectID, groupID, date, taught).then(
      (c) => live && setPlan(c),
      (e) => live && (setPlan({ list: [], own: false }), setPlanError(e instanceof ApiError && e.offline ? t('networkError') : String(e.message ?? e))),
    );
    return () => {
      live = false;
    };
  }, [open]);

  if (!open) {
    return <button type="button" class="link" onClick={() => setOpen(true)}>{t('editLesson')}</button>;
  }

  const choices = plan?.list ?? null;
  // picked is the plan topic the topic field holds: the one chosen from the list, else the first with that title.
  const chosen = choices?.find((c) => c.topic.id === pickedID && c.topic.title === tp.trim());
  const picked = chosen ?? choices?.find((c) => c.topic.title === tp.trim());

  async function submit(ev: Event) {
    ev.preventDefault();
    setBusy(true);
    setError('');
    try {
      const path = `v1/lessons/${encodeURIComponent(lessonID)}`;
      const current = await call<Lesson & { version: number; plan_topic_id?: string }>('GET', path);
      const body: Record<string, unknown> = { topic: tp.trim(), homework: hw.trim(), version: current.version };
      // The link changes only when the topic does (or a topic is picked from the list): an edit of the homework
      // alone keeps a topic the lesson took from the plan.
      if (chosen || tp.trim() !== (current.topic ?? '')) {
        const linked = choices?.find((c) => c.topic.id === current.plan_topic_id && c.topic.title === tp.trim());
        const topic = chosen ?? linked ?? picked;
        body.plan_topic_id = plan?.own && topic ? topic.topic.id : '';
      }
      const saved = await call<Lesson>('PATCH', path, body);
      onSaved(saved.topic ?? '', saved.homework ?? '');
      setOpen(false);
    } catch (e) {
      setError(e instanceof ApiError && e.offline ? t('networkError') : e instanceof ApiError ? Object.values(e.fields ?? {})[0] ?? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

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
              if (c) {
                setTopic(c.topic.title);
                setPickedID(c.topic.id);
              }
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
