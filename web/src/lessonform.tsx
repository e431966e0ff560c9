// LessonForm edits the topic and homework of the journal's current lesson (PATCH /v1/lessons/{id}).
import { useState } from 'preact/hooks';
import { ApiError, call, get } from './api';
import { t } from './i18n';
import type { Lesson } from './model';

interface Props {
  lessonID: string;
  topic?: string;
  homework?: string;
  onSaved: (topic: string, homework: string) => void;
}

export function LessonForm({ lessonID, topic = '', homework = '', onSaved }: Props) {
  const [open, setOpen] = useState(false);
  const [tp, setTopic] = useState(topic);
  const [hw, setHomework] = useState(homework);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

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

  return (
    <form class="form lesson-form" onSubmit={submit}>
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
