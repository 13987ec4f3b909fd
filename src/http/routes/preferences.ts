// GET/POST /preferences/:token: topics and name, through the signed link in every issue. The token in
// the URL is the capability (no session, no cookie), and a foreign Origin is refused on POST.
import { selectableTopicIds } from '../../services/web-subscriptions.js';
import type { PreferencesView } from '../../services/web-subscriptions.js';
import { formErrors, messagePage, originAllowed, page, readForm, type RouteContext, type WebContext, type WebHono } from '../context.js';
import { preferencesForm, singleValues } from '../forms.js';
import { topicOptions } from './topics-view.js';

export function registerPreferences(app: WebHono, rc: RouteContext): void {
  const { taxonomy } = rc.deps;
  const schema = preferencesForm(selectableTopicIds(taxonomy));

  const invalid = (c: WebContext) =>
    page(
      rc,
      c,
      'link-invalid',
      {
        title: 'Link not recognised',
        heading: 'This preferences link is not recognised',
        message: 'It may have been copied incompletely. Use the link at the bottom of your latest issue.',
      },
      400,
    );
  const notActive = (c: WebContext) =>
    messagePage(rc, c, 200, 'Not subscribed', 'This address is not subscribed at the moment, so there is nothing to change.', { path: '/', text: 'Subscribe again' });
  const show = (c: WebContext, token: string, view: PreferencesView, extra: Record<string, unknown> = {}, status: 200 | 400 = 200) =>
    page(
      rc,
      c,
      'preferences',
      { title: 'Your subscription', token, email: view.email, name: view.name ?? '', topics: topicOptions(taxonomy, view.topics), unsubscribeToken: view.unsubscribeToken, ...extra },
      status,
    );

  app.get('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const view = await rc.subs.preferences(token);
    if (!view) return invalid(c);
    if (!view.active) return notActive(c);
    return show(c, token, view);
  });

  app.post('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    if (!originAllowed(rc, c)) return messagePage(rc, c, 403, 'Form sent from another site', 'Open the preferences link from your email and change your topics there.');
    const view = await rc.subs.preferences(token);
    if (!view) return invalid(c);
    if (!view.active) return notActive(c);
    const form = await readForm(c);
    if (!form) return messagePage(rc, c, 400, 'That did not look like the preferences form', 'Open the preferences link from your email and use the form there.');
    const parsed = schema.safeParse(singleValues(form, ['name']));
    if (!parsed.success) {
      const picked = ([] as string[]).concat(form.topics ?? []);
      const typed = { ...view, name: typeof form.name === 'string' ? form.name : view.name, topics: picked };
      return show(c, token, typed, { errors: formErrors(parsed.error) }, 400);
    }
    const outcome = await rc.subs.savePreferences(token, parsed.data);
    if (outcome === 'invalid') return invalid(c);
    if (outcome === 'not-active') return notActive(c);
    const saved = await rc.subs.preferences(token);
    return show(c, token, saved ?? view, { saved: true });
  });
}
