// GET /confirm/:token shows a button; only POST confirms, because mail security scanners follow
// GET links in every message they inspect.
import { clientIp, messagePage, originAllowed, page, type RouteContext, type WebContext, type WebHono } from '../context.js';

export function registerConfirm(app: WebHono, rc: RouteContext): void {
  const invalid = (c: WebContext) =>
    page(
      rc,
      c,
      'link-invalid',
      {
        title: 'Link expired',
        heading: 'This confirmation link no longer works',
        message: `It has expired (links work for ${rc.deps.config.signup.confirmTtlHours} hours), has already been used, was replaced by a newer sign-up for the same address (only the link in the newest email works), or was copied incompletely. If you pressed the button before, you are subscribed.`,
      },
      400,
    );

  app.get('/confirm/:token', async (c) => {
    const token = c.req.param('token');
    const request = await rc.subs.checkConfirm(token);
    if (!request) return invalid(c);
    // What the button confirms: the sign-up may have been typed by someone else than the mailbox's owner.
    return page(rc, c, 'confirm', { title: 'Confirm your subscription', token, ...request });
  });

  app.post('/confirm/:token', async (c) => {
    if (!originAllowed(rc, c)) return messagePage(rc, c, 403, 'Form sent from another site', 'Open the link from your email and press the button there.');
    const outcome = await rc.subs.confirm(c.req.param('token'), clientIp(c, rc.deps.config.trustProxy));
    if (outcome !== 'confirmed') return invalid(c);
    return page(rc, c, 'confirmed', { title: 'Subscribed' });
  });
}
