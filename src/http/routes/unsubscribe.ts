// Unsubscribe. POST /unsubscribe/:token is the RFC 8058 one-click endpoint (List-Unsubscribe-Post)
// and also what the page's button sends: no cookie, no login, no redirect, 200 every time for a
// valid link. GET only shows the button (link scanners follow GETs).
import { page, type RouteContext, type WebContext, type WebHono } from '../context.js';

export function registerUnsubscribe(app: WebHono, rc: RouteContext): void {
  const invalid = (c: WebContext) =>
    page(
      rc,
      c,
      'link-invalid',
      {
        title: 'Link not recognised',
        heading: 'This unsubscribe link is not recognised',
        message: 'It may have been copied incompletely. Use the unsubscribe link at the bottom of any issue, or reply to an issue and ask to be removed.',
      },
      400,
    );

  app.get('/unsubscribe/:token', (c) => {
    const token = c.req.param('token');
    const view = rc.subs.unsubscribePage(token);
    if (!view) return invalid(c);
    return page(rc, c, 'unsubscribe', { title: 'Unsubscribe', token, preferencesUrl: `${rc.base}/preferences/${view.preferencesToken}` });
  });

  app.post('/unsubscribe/:token', async (c) => {
    // The body (List-Unsubscribe=One-Click) is not required: whoever holds the link may use it.
    const outcome = await rc.subs.unsubscribe(c.req.param('token'));
    if (outcome === 'invalid') return invalid(c);
    return page(rc, c, 'unsubscribed', { title: 'Unsubscribed' });
  });
}
