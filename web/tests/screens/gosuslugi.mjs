// Sign-in through Gosuslugi (an OpenID Connect provider): the sign-in screen offers the button only when a
// provider is configured; with the test provider TestWebBrowser starts (OIDC_ISSUER, OIDC_SUBJECT), the demo
// parent, linked to the provider's account by the administrator, signs in with one click and lands in the
// child's diary; the provider's code and state do not stay in the address.
import { check } from '../lib.mjs';

export default async function gosuslugi(ctx) {
  const issuer = process.env.OIDC_ISSUER;
  const subject = process.env.OIDC_SUBJECT;
  const { context, page } = await ctx.session({ width: 360, height: 740 });
  await page.goto(`${ctx.base}/`);
  await page.getByLabel('Логин').waitFor();
  await page.waitForLoadState('networkidle');
  const button = page.getByRole('link', { name: 'Войти через Госуслуги' });
  const providers = (await (await fetch(`${ctx.base}/v1/auth/providers`)).json()).items ?? [];
  if (!issuer) {
    check(providers.length > 0 || (await button.count()) === 0, 'no Gosuslugi button when no provider is configured');
    await context.close();
    return;
  }
  check(providers.length === 1, 'the server offers the configured provider');
  const admin = await ctx.api('admin');
  const linked = await admin.send('POST', '/v1/people/parent-136-1/external-identities', { subject });
  check(linked.status === 201 || linked.status === 409, `the administrator links the parent to the Gosuslugi account (${linked.status})`);

  await button.waitFor();
  await ctx.axe(page, 'sign-in with the Gosuslugi button');
  await ctx.shot(page, 'sign-in-gosuslugi-360');
  await button.click();
  await page.getByRole('button', { name: 'Выйти' }).waitFor();
  await page.locator('.diary h2').waitFor();
  check(!/[?&](code|state)=/.test(page.url()), `the provider's code and state are gone from the address (${page.url()})`);
  const me = await page.evaluate(async () => {
    const t = JSON.parse(localStorage.getItem('ej.tokens'));
    return (await fetch('v1/me', { headers: { Authorization: `Bearer ${t.access_token}` } })).json();
  });
  check(me.id === 'parent-136-1', `signed in through Gosuslugi as the linked parent (${me.id})`);
  await context.close();
}
