// Roles and rights (#/roles/<role>): the school's permissions of each role as capabilities × scopes checkboxes,
// the differences from the role's defaults, saving, and returning a role to its defaults.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { lang, strings } from '../i18n';
import { can, ErrorNote, errorText, Tabs, useLoad, Wait, type ScreenProps } from '../ui';
import './people.css';

const tr = strings({
  ru: {
    title: 'Роли и права', refused: 'Недостаточно прав: роли меняет администратор системы.', capability: 'Право',
    customized: 'изменена школой', defaults: 'по умолчанию', save: 'Сохранить', saving: 'Сохранение…', saved: 'Сохранено',
    undo: 'Отменить изменения', restore: 'Вернуть права по умолчанию', confirmRestore: 'Вернуть роли «{role}» права по умолчанию?',
    restored: 'Права по умолчанию восстановлены', unsaved: 'Несохранённых изменений: {n}', diff: 'Отличия от прав по умолчанию',
    noDiff: 'Права совпадают с правами по умолчанию.', added: 'добавлено', removed: 'убрано', applies: 'Изменения действуют для всех людей с этой ролью в течение минуты.',
    legend: 'Жёлтым отмечены клетки, отличающиеся от прав по умолчанию.',
  },
  en: {
    title: 'Roles and rights', refused: 'No access: roles are changed by the system administrator.', capability: 'Capability',
    customized: 'changed by the school', defaults: 'defaults', save: 'Save', saving: 'Saving…', saved: 'Saved',
    undo: 'Undo the changes', restore: 'Return to the defaults', confirmRestore: 'Return the role "{role}" to its default rights?',
    restored: 'Default rights restored', unsaved: 'Unsaved changes: {n}', diff: 'Differences from the defaults',
    noDiff: 'The rights are the defaults.', added: 'added', removed: 'removed', applies: 'Changes apply to everyone with this role within a minute.',
    legend: 'Cells that differ from the defaults are yellow.',
  },
});

interface Names { ru: string; en: string }
interface Entry { id: string; name: Names }
type Perms = Record<string, string[]>;
interface RoleView { role: string; name: Names; permissions: Perms; defaults: Perms; customized: boolean }
interface Catalogue { items: RoleView[]; capabilities: Entry[]; scopes: Entry[] }

const nm = (n: Names) => (lang() === 'en' ? n.en : n.ru);
const has = (p: Perms, c: string, s: string) => (p[c] ?? []).includes(s);

export default function Roles({ me, args }: ScreenProps) {
  const l = useLoad<Catalogue>(can(me, 'roles.manage', 'school') ? 'v1/roles' : null);
  const [note, setNote] = useState<{ ok?: string; error?: string }>({});
  useEffect(() => setNote({}), [args[0]]);
  if (!can(me, 'roles.manage', 'school')) {
    return <section class="card adm"><h2>{tr('title')}</h2><p class="error" role="alert">{tr('refused')}</p></section>;
  }
  return (
    <section class="card adm">
      <h2>{tr('title')}</h2>
      <Wait l={l}>
        {(cat) => {
          const role = cat.items.find((r) => r.role === args[0]) ?? cat.items[0];
          return (
            <>
              <Tabs current={role.role} items={cat.items.map((r) => ({ id: r.role, href: `#/roles/${r.role}`, label: nm(r.name) + (r.customized ? ' *' : '') }))} />
              {note.ok && <p class="ok" role="status">{note.ok}</p>}
              <ErrorNote error={note.error} />
              <Editor
                key={role.role + JSON.stringify(role.permissions)}
                cat={cat}
                role={role}
                onSaved={(ok) => { setNote({ ok }); l.reload(); }}
                onError={(error) => setNote({ error })}
              />
            </>
          );
        }}
      </Wait>
    </section>
  );
}

interface EditorProps {
  cat: Catalogue;
  role: RoleView;
  onSaved: (message: string) => void;
  onError: (message: string) => void;
}

function Editor({ cat, role, onSaved, onError }: EditorProps) {
  const [perms, setPerms] = useState<Perms>(role.permissions);
  const [busy, setBusy] = useState(false);
  const scopes = cat.scopes.map((s) => s.id);
  const unsaved = cat.capabilities.reduce((n, c) => n + scopes.filter((s) => has(perms, c.id, s) !== has(role.permissions, c.id, s)).length, 0);
  const diff = cat.capabilities.flatMap((c) =>
    cat.scopes.filter((s) => has(perms, c.id, s.id) !== has(role.defaults, c.id, s.id)).map((s) => ({ c, s, on: has(perms, c.id, s.id) })),
  );

  function toggle(c: string, s: string, on: boolean) {
    const next = { ...perms };
    const set = new Set(next[c] ?? []);
    if (on) set.add(s);
    else set.delete(s);
    const list = scopes.filter((x) => set.has(x));
    if (list.length) next[c] = list;
    else delete next[c];
    setPerms(next);
  }

  async function act(f: () => Promise<unknown>, ok: string) {
    setBusy(true);
    try {
      await f();
      onSaved(ok);
    } catch (e) {
      const fields = e instanceof ApiError && e.fields ? Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join('; ') : '';
      onError(errorText(e) + (fields ? ` (${fields})` : ''));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); act(() => call('PUT', `v1/roles/${role.role}`, { permissions: perms }), tr('saved')); }}>
      <h3>
        {nm(role.name)}
        <span class={`pill ${role.customized ? 'warn' : ''}`}>{tr(role.customized ? 'customized' : 'defaults')}</span>
      </h3>
      <p class="muted">{tr('legend')} {tr('applies')}</p>
      <div class="table-wrap">
        <table class="data perm">
          <thead>
            <tr>
              <th scope="col">{tr('capability')}</th>
              {cat.scopes.map((s) => <th scope="col" key={s.id}>{nm(s.name)}</th>)}
            </tr>
          </thead>
          <tbody>
            {cat.capabilities.map((c) => (
              <tr key={c.id}>
                <th scope="row">{nm(c.name)}</th>
                {cat.scopes.map((s) => {
                  const on = has(perms, c.id, s.id);
                  return (
                    <td key={s.id} class={on !== has(role.defaults, c.id, s.id) ? 'changed' : undefined}>
                      <input
                        type="checkbox"
                        name={`${c.id}:${s.id}`}
                        checked={on}
                        aria-label={`${nm(c.name)} — ${nm(s.name)}`}
                        onChange={(e) => toggle(c.id, s.id, e.currentTarget.checked)}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h4>{tr('diff')}</h4>
        {diff.length ? (
          <ul class="diff">
            {diff.map((d) => (
              <li key={d.c.id + d.s.id}>
                {d.on ? <ins>+ {nm(d.c.name)}: {nm(d.s.name)} ({tr('added')})</ins> : <del>− {nm(d.c.name)}: {nm(d.s.name)} ({tr('removed')})</del>}
              </li>
            ))}
          </ul>
        ) : <p class="muted">{tr('noDiff')}</p>}
      </div>
      <p role="status" class={unsaved ? 'pill warn' : undefined}>{unsaved ? tr('unsaved', { n: unsaved }) : ''}</p>
      <div class="actions">
        <button class="primary" type="submit" disabled={busy || !unsaved}>{busy ? tr('saving') : tr('save')}</button>
        <button class="btn" type="button" disabled={!unsaved} onClick={() => setPerms(role.permissions)}>{tr('undo')}</button>
        {role.customized && (
          <button class="btn" type="button" disabled={busy} onClick={() => confirm(tr('confirmRestore', { role: nm(role.name) })) && act(() => call('DELETE', `v1/roles/${role.role}/permissions`), tr('restored'))}>
            {tr('restore')}
          </button>
        )}
      </div>
    </form>
  );
}
