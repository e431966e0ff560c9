// Notification settings (#/settings): a parent's choice per child (immediately, a daily digest or off; SMS
// and/or in-app) and their SMS consent; what applies to a student; the school's settings for the administration
// (#/settings/school) and the month's SMS delivery report (#/settings/report).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, get, type Me } from '../api';
import { strings, t } from '../i18n';
import { today } from '../model';
import { can, errorText, ErrorNote, fmtNum, Tabs, useLoad, Wait, type ScreenProps } from '../ui';
import { described, Field } from './field';
import './messages.css';

const tr = strings({
  ru: {
    title: 'Уведомления', mine: 'Мои уведомления', school: 'Настройки школы', report: 'Отчёт по SMS',
    nothing: 'Для вашей роли настроек уведомлений нет. Сообщения приходят в раздел «Сообщения».',
    noChildren: 'К вашей учётной записи не привязаны дети.',
    schoolDefault: 'Сейчас действуют настройки школы.',
    how: 'Как сообщать', immediate: 'Сразу', digest: 'Раз в день, сводкой', off: 'Не сообщать',
    digestTime: 'Время сводки', digestHint: 'Пусто — время, принятое в школе.',
    channels: 'Куда', sms: 'SMS', inApp: 'В приложении',
    save: 'Сохранить', saving: 'Сохранение…', saved: 'Сохранено',
    consent: 'Согласие на SMS', consentOn: 'Вы согласны получать SMS-уведомления.', consentOff: 'Вы не давали согласия на SMS: SMS не приходят.',
    phone: 'Телефон: {p}', noPhone: 'В вашей карточке нет телефона, SMS прийти не могут. Сообщите номер в школу.',
    give: 'Дать согласие на SMS', withdraw: 'Отозвать согласие на SMS', consentUnknown: 'Не удалось узнать, дано ли согласие.',
    studentInfo: 'Уведомления об отметках и пропусках получают твои родители. Сообщения учителей и школы приходят в раздел «Сообщения». SMS ученикам не отправляются, настраивать здесь нечего.',
    toInbox: 'Открыть сообщения',
    quiet: 'Тихие часы (SMS не отправляются)', quietFrom: 'С', quietTo: 'До',
    defaults: 'Для родителей по умолчанию', defMode: 'Как сообщать', defDigest: 'Время сводки',
    budget: 'Бюджет SMS в месяц, частей (0 — без SMS)', cost: 'Цена одной части SMS, ₽', correction: 'Окно исправления отметки, минут',
    correctionHint: 'Если отметку изменили в течение этого времени, родитель получит одно уведомление, а не два.',
    readOnly: 'Менять настройки может только администратор.', conflict: 'Показаны сохранённые настройки.',
    month: 'Месяц', sent: 'Отправлено SMS', failed: 'Не доставлено', pending: 'Ждут отправки',
    suppressed: 'Не отправлено: {why}', segments: 'Частей отправлено', spend: 'Расходы, ₽', budgetRow: 'Бюджет, частей',
    used: 'Израсходовано частей', share: 'Использовано бюджета', warning: 'Израсходовано больше 80 % бюджета. После 100 % SMS не отправляются, уведомления в приложении продолжают приходить.',
    figure: 'Показатель', value: 'Значение', noSuppressed: 'Не отправлено (все причины)',
    no_consent: 'нет согласия', no_phone: 'нет телефона', opted_out: 'родитель отключил SMS', budget_reason: 'бюджет исчерпан',
  },
  en: {
    title: 'Notifications', mine: 'My notifications', school: 'School settings', report: 'SMS report',
    nothing: 'Your role has no notification settings. Messages arrive under “Messages”.',
    noChildren: 'No children are linked to your account.',
    schoolDefault: 'The school’s defaults apply now.',
    how: 'How to notify', immediate: 'Immediately', digest: 'Once a day, as a digest', off: 'Off',
    digestTime: 'Digest time', digestHint: 'Empty: the school’s time.',
    channels: 'Where', sms: 'SMS', inApp: 'In the app',
    save: 'Save', saving: 'Saving…', saved: 'Saved',
    consent: 'SMS consent', consentOn: 'You agree to get SMS notices.', consentOff: 'You have not consented to SMS: no SMS are sent to you.',
    phone: 'Phone: {p}', noPhone: 'Your record has no phone number, so no SMS can reach you. Give the school your number.',
    give: 'Consent to SMS', withdraw: 'Withdraw SMS consent', consentUnknown: 'Could not find out whether consent was given.',
    studentInfo: 'Your parents hear about your marks and absences. Messages from teachers and the school arrive under “Messages”. Students get no SMS: there is nothing to set here.',
    toInbox: 'Open messages',
    quiet: 'Quiet hours (no SMS)', quietFrom: 'From', quietTo: 'To',
    defaults: 'Parents’ defaults', defMode: 'How to notify', defDigest: 'Digest time',
    budget: 'Monthly SMS budget, parts (0: no SMS)', cost: 'Price of one SMS part, ₽', correction: 'Mark correction window, minutes',
    correctionHint: 'A mark changed again within this time gives the parent one notice, not two.',
    readOnly: 'Only the administrator changes these settings.', conflict: 'The stored settings are shown.',
    month: 'Month', sent: 'SMS sent', failed: 'Failed', pending: 'Waiting to be sent',
    suppressed: 'Not sent: {why}', segments: 'Parts sent', spend: 'Spend, ₽', budgetRow: 'Budget, parts',
    used: 'Parts spent', share: 'Budget used', warning: 'Over 80% of the budget is spent. At 100% no SMS are sent; in-app notices continue.',
    figure: 'Figure', value: 'Value', noSuppressed: 'Not sent (any reason)',
    no_consent: 'no consent', no_phone: 'no phone', opted_out: 'parent turned SMS off', budget_reason: 'budget spent',
  },
});

type Mode = 'immediate' | 'digest' | 'off';
const modes: Mode[] = ['immediate', 'digest', 'off'];
interface Pref { child_id: string; child_name?: string; mode: Mode; digest_time?: string; sms: boolean; in_app: boolean; version: number; default: boolean }
interface Settings {
  quiet_start: string; quiet_end: string; default_mode: Mode; default_digest_time: string; default_sms: boolean; default_in_app: boolean;
  monthly_sms_budget: number; segment_cost: number; correction_minutes: number; version: number;
}
interface Report { month: string; sent: number; failed: number; pending: number; suppressed: Record<string, number>; segments: number; spend: number; budget: number; used: number; share: number; warning: boolean }

type Part = 'mine' | 'school' | 'report';

export default function NotificationSettings({ me, args }: ScreenProps) {
  const parent = me.kind === 'parent' && can(me, 'notify.settings', 'self');
  const student = me.kind === 'student';
  const school = can(me, 'reports.read', 'school') || can(me, 'school.write', 'school');
  const tabs: { id: Part; href: string; label: string }[] = [];
  if (parent || student) tabs.push({ id: 'mine', href: '#/settings', label: tr('mine') });
  if (school) tabs.push({ id: 'school', href: '#/settings/school', label: tr('school') }, { id: 'report', href: '#/settings/report', label: tr('report') });
  const part = tabs.find((x) => x.id === args[0])?.id ?? tabs[0]?.id;
  return (
    <section class="card notify">
      <h2>{tr('title')}</h2>
      {tabs.length > 1 && <Tabs items={tabs} current={part ?? ''} />}
      {!part && <p class="error" role="alert">{tr('nothing')}</p>}
      {part === 'mine' && parent && <Parent me={me} />}
      {part === 'mine' && student && !parent && (
        <p>{tr('studentInfo')} <a href="#/messages">{tr('toInbox')}</a></p>
      )}
      {part === 'school' && <SchoolSettings writable={can(me, 'school.write', 'school')} />}
      {part === 'report' && <DeliveryReport />}
    </section>
  );
}

function Parent({ me }: { me: Me }) {
  const l = useLoad<{ items: Pref[] }>('v1/notify/preferences');
  const [note, setNote] = useState('');
  const conflict = (message: string) => {
    setNote(message);
    l.reload();
  };
  return (
    <>
      {note && <p class="error" role="alert">{note}</p>}
      <Wait l={l}>
        {(d) => (d.items.length === 0 ? <p class="muted">{tr('noChildren')}</p> : <>{d.items.map((p) => <PrefForm key={`${p.child_id}:${p.version}`} pref={p} conflict={conflict} />)}</>)}
      </Wait>
      <Consent me={me} />
    </>
  );
}

function PrefForm({ pref, conflict }: { pref: Pref; conflict: (message: string) => void }) {
  const [f, setF] = useState({ mode: pref.mode, digest_time: pref.digest_time ?? '', sms: pref.sms, in_app: pref.in_app });
  const [version, setVersion] = useState(pref.version);
  const [isDefault, setDefault] = useState(pref.default);
  const [state, setState] = useState<'' | 'saving' | 'saved'>('');
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const id = `pref-${pref.child_id}`;
  const edit = (patch: Partial<typeof f>) => {
    setF((x) => ({ ...x, ...patch }));
    setState('');
  };

  async function save(e: Event) {
    e.preventDefault();
    setState('saving');
    setError('');
    setFields({});
    try {
      const r = await call<Pref>('PUT', `v1/notify/preferences/${encodeURIComponent(pref.child_id)}`, { ...f, version });
      setVersion(r.version);
      setDefault(r.default);
      setState('saved');
    } catch (x) {
      setState('');
      // Another device changed the preference: say so (the API's words) and show the stored one.
      if (x instanceof ApiError && x.status === 409) return conflict(errorText(x));
      setError(errorText(x));
      setFields(x instanceof ApiError && x.fields ? x.fields : {});
    }
  }

  return (
    <form class="form pref card" onSubmit={save} data-child={pref.child_id}>
      <h3>{pref.child_name ?? pref.child_id}</h3>
      {isDefault && <p class="muted">{tr('schoolDefault')}</p>}
      <fieldset>
        <legend>{tr('how')}</legend>
        <div class="choices">
          {modes.map((m) => (
            <label key={m} class="choice">
              <input type="radio" name={`${id}-mode`} value={m} checked={f.mode === m} onChange={() => edit({ mode: m })} />
              {tr(m)}
            </label>
          ))}
        </div>
        {fields.mode && <p class="error">{fields.mode}</p>}
      </fieldset>
      {f.mode === 'digest' && (
        <Field id={`${id}-time`} label={tr('digestTime')} hint={tr('digestHint')} error={fields.digest_time}>
          <input type="time" {...described(`${id}-time`, true, fields.digest_time)} value={f.digest_time} onInput={(e) => edit({ digest_time: e.currentTarget.value })} />
        </Field>
      )}
      {f.mode !== 'off' && (
        <fieldset>
          <legend>{tr('channels')}</legend>
          <div class="choices">
            <label class="choice"><input type="checkbox" checked={f.sms} onChange={(e) => edit({ sms: e.currentTarget.checked })} />{tr('sms')}</label>
            <label class="choice"><input type="checkbox" checked={f.in_app} onChange={(e) => edit({ in_app: e.currentTarget.checked })} />{tr('inApp')}</label>
          </div>
          {(fields.sms || fields.in_app) && <p class="error">{fields.sms ?? fields.in_app}</p>}
        </fieldset>
      )}
      <ErrorNote error={error} />
      <button type="submit" class="primary" disabled={state === 'saving'}>{state === 'saving' ? tr('saving') : tr('save')}</button>
      <p class="ok" role="status">{state === 'saved' ? tr('saved') : ''}</p>
    </form>
  );
}

function Consent({ me }: { me: Me }) {
  const [c, setC] = useState<{ sms_consent: boolean; phone: string; has_phone: boolean } | null>(null);
  const [loadError, setLoadError] = useState('');
  const [error, setError] = useState('');
  const [state, setState] = useState<'' | 'saving' | 'saved'>('');
  useEffect(() => {
    get<{ personal?: { phone?: string; sms_consent?: boolean } }>(`v1/parents/${encodeURIComponent(me.id)}`).then(
      (p) => setC({ sms_consent: !!p.personal?.sms_consent, phone: p.personal?.phone ?? '', has_phone: !!p.personal?.phone }),
      (e) => setLoadError(errorText(e)),
    );
  }, [me.id]);

  async function set(on: boolean) {
    setState('saving');
    setError('');
    try {
      const r = await call<{ sms_consent: boolean; has_phone: boolean }>('PUT', 'v1/notify/consent', { sms_consent: on });
      setC((x) => ({ phone: x?.phone ?? '', ...r }));
      setState('saved');
    } catch (e) {
      setState('');
      setError(errorText(e));
    }
  }

  return (
    <div class="card consent">
      <h3>{tr('consent')}</h3>
      {loadError && <p class="muted">{tr('consentUnknown')}</p>}
      {!c && !loadError && <p role="status">{t('loading')}</p>}
      {c && <p>{c.sms_consent ? tr('consentOn') : tr('consentOff')}</p>}
      {c && (c.has_phone ? c.phone && <p class="muted">{tr('phone', { p: c.phone })}</p> : <p class="warn">{tr('noPhone')}</p>)}
      <ErrorNote error={error} />
      {(c || loadError) && (
        <div class="actions">
          {(loadError || !c?.sms_consent) && <button type="button" class="btn" disabled={state === 'saving'} onClick={() => set(true)}>{tr('give')}</button>}
          {(loadError || c?.sms_consent) && <button type="button" class="btn" disabled={state === 'saving'} onClick={() => set(false)}>{tr('withdraw')}</button>}
        </div>
      )}
      <p class="ok" role="status">{state === 'saved' ? tr('saved') : ''}</p>
    </div>
  );
}

function SchoolSettings({ writable }: { writable: boolean }) {
  const l = useLoad<Settings>('v1/notify/settings');
  const [note, setNote] = useState('');
  return (
    <>
      {note && <p class="error" role="alert">{note}</p>}
      <Wait l={l}>
        {(s) => <SettingsForm key={s.version} s={s} writable={writable} conflict={(m) => { setNote(m); l.reload(); }} />}
      </Wait>
    </>
  );
}

function SettingsForm({ s, writable, conflict }: { s: Settings; writable: boolean; conflict: (message: string) => void }) {
  const text = (n: number) => String(n);
  const [f, setF] = useState({ ...s, monthly_sms_budget: text(s.monthly_sms_budget), segment_cost: text(s.segment_cost), correction_minutes: text(s.correction_minutes) });
  const [version, setVersion] = useState(s.version);
  const [state, setState] = useState<'' | 'saving' | 'saved'>('');
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const edit = (patch: Partial<typeof f>) => {
    setF((x) => ({ ...x, ...patch }));
    setState('');
  };
  const num = (v: string) => (v.trim() === '' ? null : Number(v.replace(',', '.')));

  async function save(e: Event) {
    e.preventDefault();
    setState('saving');
    setError('');
    setFields({});
    try {
      const r = await call<Settings>('PUT', 'v1/notify/settings', {
        quiet_start: f.quiet_start, quiet_end: f.quiet_end, default_mode: f.default_mode, default_digest_time: f.default_digest_time,
        default_sms: f.default_sms, default_in_app: f.default_in_app, monthly_sms_budget: num(f.monthly_sms_budget),
        segment_cost: num(f.segment_cost), correction_minutes: num(f.correction_minutes), version,
      });
      setVersion(r.version);
      setState('saved');
    } catch (x) {
      setState('');
      if (x instanceof ApiError && x.status === 409) return conflict(`${errorText(x)} ${tr('conflict')}`);
      setError(errorText(x));
      setFields(x instanceof ApiError && x.fields ? x.fields : {});
    }
  }

  const at = (k: string, hint = false) => described(`ns-${k}`, hint, fields[k]);
  return (
    <form class="form school-settings" onSubmit={save}>
      {!writable && <p class="muted">{tr('readOnly')}</p>}
      <fieldset disabled={!writable}>
        <legend>{tr('quiet')}</legend>
        <div class="row">
          <Field id="ns-quiet_start" label={tr('quietFrom')} error={fields.quiet_start}>
            <input type="time" required {...at('quiet_start')} value={f.quiet_start} onInput={(e) => edit({ quiet_start: e.currentTarget.value })} />
          </Field>
          <Field id="ns-quiet_end" label={tr('quietTo')} error={fields.quiet_end}>
            <input type="time" required {...at('quiet_end')} value={f.quiet_end} onInput={(e) => edit({ quiet_end: e.currentTarget.value })} />
          </Field>
        </div>
      </fieldset>
      <fieldset disabled={!writable}>
        <legend>{tr('defaults')}</legend>
        <Field id="ns-default_mode" label={tr('defMode')} error={fields.default_mode}>
          <select {...at('default_mode')} value={f.default_mode} onChange={(e) => edit({ default_mode: e.currentTarget.value as Mode })}>
            {modes.map((m) => <option key={m} value={m}>{tr(m)}</option>)}
          </select>
        </Field>
        <Field id="ns-default_digest_time" label={tr('defDigest')} error={fields.default_digest_time}>
          <input type="time" required {...at('default_digest_time')} value={f.default_digest_time} onInput={(e) => edit({ default_digest_time: e.currentTarget.value })} />
        </Field>
        <div class="choices">
          <label class="choice"><input type="checkbox" checked={f.default_sms} onChange={(e) => edit({ default_sms: e.currentTarget.checked })} />{tr('sms')}</label>
          <label class="choice"><input type="checkbox" checked={f.default_in_app} onChange={(e) => edit({ default_in_app: e.currentTarget.checked })} />{tr('inApp')}</label>
        </div>
      </fieldset>
      <fieldset disabled={!writable}>
        <legend>SMS</legend>
        <Field id="ns-monthly_sms_budget" label={tr('budget')} error={fields.monthly_sms_budget}>
          <input type="number" inputMode="numeric" min="0" step="1" {...at('monthly_sms_budget')} value={f.monthly_sms_budget} onInput={(e) => edit({ monthly_sms_budget: e.currentTarget.value })} />
        </Field>
        <Field id="ns-segment_cost" label={tr('cost')} error={fields.segment_cost}>
          <input type="number" inputMode="decimal" min="0" step="0.01" {...at('segment_cost')} value={f.segment_cost} onInput={(e) => edit({ segment_cost: e.currentTarget.value })} />
        </Field>
        <Field id="ns-correction_minutes" label={tr('correction')} hint={tr('correctionHint')} error={fields.correction_minutes}>
          <input type="number" inputMode="numeric" min="0" step="1" {...at('correction_minutes', true)} value={f.correction_minutes} onInput={(e) => edit({ correction_minutes: e.currentTarget.value })} />
        </Field>
      </fieldset>
      <ErrorNote error={error} />
      {writable && <button type="submit" class="primary" disabled={state === 'saving'}>{state === 'saving' ? tr('saving') : tr('save')}</button>}
      <p class="ok" role="status">{state === 'saved' ? tr('saved') : ''}</p>
    </form>
  );
}

function DeliveryReport() {
  const [month, setMonth] = useState(today().slice(0, 7));
  const l = useLoad<Report>(/^\d{4}-\d{2}$/.test(month) ? `v1/notifications/report?month=${month}` : null);
  const reasons = (r: Report) => Object.entries(r.suppressed).filter(([, n]) => n > 0);
  const why = (k: string) => (k === 'budget' ? tr('budget_reason') : ['no_consent', 'no_phone', 'opted_out'].includes(k) ? tr(k as 'no_consent') : k);
  return (
    <div class="report">
      <div class="filters">
        <Field id="ns-month" label={tr('month')} error={l.error}>
          <input type="month" {...described('ns-month', false, l.error)} aria-busy={l.loading} value={month} onInput={(e) => setMonth(e.currentTarget.value)} />
        </Field>
      </div>
      {!l.error && !l.data && <p role="status">{t('loading')}</p>}
      {!l.error && l.data && ((r: Report) => (
          <>
            {r.warning && <p class="warn" role="alert">{tr('warning')}</p>}
            <svg class="budget-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true">
              <rect width="100" height="4" class="track" />
              <rect width={Math.min(100, Math.max(0, r.share))} height="4" class={r.warning ? 'over' : 'used'} />
            </svg>
            <div class="table-wrap">
              <table class="data">
                <thead><tr><th scope="col">{tr('figure')}</th><th scope="col" class="num">{tr('value')}</th></tr></thead>
                <tbody>
                  <tr><th scope="row">{tr('sent')}</th><td class="num">{r.sent}</td></tr>
                  <tr><th scope="row">{tr('failed')}</th><td class="num">{r.failed}</td></tr>
                  <tr><th scope="row">{tr('pending')}</th><td class="num">{r.pending}</td></tr>
                  {reasons(r).length === 0 && <tr><th scope="row">{tr('noSuppressed')}</th><td class="num">0</td></tr>}
                  {reasons(r).map(([k, n]) => <tr key={k}><th scope="row">{tr('suppressed', { why: why(k) })}</th><td class="num">{n}</td></tr>)}
                  <tr><th scope="row">{tr('segments')}</th><td class="num">{r.segments}</td></tr>
                  <tr><th scope="row">{tr('spend')}</th><td class="num">{fmtNum(r.spend, 2)}</td></tr>
                  <tr><th scope="row">{tr('budgetRow')}</th><td class="num">{r.budget}</td></tr>
                  <tr><th scope="row">{tr('used')}</th><td class="num">{r.used}</td></tr>
                  <tr><th scope="row">{tr('share')}</th><td class="num">{fmtNum(r.share, 1)} %</td></tr>
                </tbody>
              </table>
            </div>
          </>
        ))(l.data)}
    </div>
  );
}
