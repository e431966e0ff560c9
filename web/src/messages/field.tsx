// Field is a labelled form control of the messages and settings screens, with its hint and the API's error
// below it (outside the label, so they are the control's description rather than part of its name).
import type { ComponentChildren } from 'preact';

/** described is the aria attributes of control id: its hint and error as the description. */
export function described(id: string, hint?: boolean, error?: string) {
  const ids = [hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined };
}

export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && <span class="muted hint" id={`${id}-hint`}>{hint}</span>}
      {error && <span class="error" id={`${id}-err`}>{error}</span>}
    </div>
  );
}
