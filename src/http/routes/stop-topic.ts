// GET/POST /stop-topic/:token/:topic: the "stop this topic" link beside each section of an issue.
// As with unsubscribe, GET only shows a button (link scanners follow GETs) and the POST acts; the
// token proves the mailbox and allows nothing but dropping topics.
import { messagePage, originAllowed, page, type RouteContext, type WebContext, type WebHono } from '../context.js';

export function registerStopTopic(app: WebHono, rc: RouteContext): void {
  const invalid = (c: WebContext) =>
    page(
      rc,
      c,
      'link-invalid',
      {
        title: 'Link not recognised',
        heading: 'This link is not recognised',
        message: 'It may have been copied incompletely, or the topic no longer exists. Use the links at the bottom of your latest issue to choose your topics.',
      },
      400,
    );

  app.get('/stop-topic/:token/:topic', (c) => {
    const { token, topic } = c.req.param();
    const view = rc.subs.stopTopicPage(token, topic);
    if (!view) return invalid(c);
    return page(rc, c, 'stop-topic', {
      title: `Stop ${view.topicName}`,
      token,
      topic,
      topicName: view.topicName,
      preferencesUrl: `${rc.base}/preferences/${view.preferencesToken}`,
    });
  });

  app.post('/stop-topic/:token/:topic', async (c) => {
    const { token, topic } = c.req.param();
    if (!originAllowed(rc, c)) return messagePage(rc, c, 403, 'Form sent from another site', 'Open the link from your email and press the button there.');
    const view = rc.subs.stopTopicPage(token, topic);
    if (!view) return invalid(c);
    const outcome = await rc.subs.stopTopic(token, topic);
    if (outcome === 'invalid') return invalid(c);
    const links = { preferencesUrl: `${rc.base}/preferences/${view.preferencesToken}`, unsubscribeUrl: `${rc.base}/unsubscribe/${view.unsubscribeToken}` };
    const said = { dropped: outcome === 'dropped', notChosen: outcome === 'not-chosen', lastTopic: outcome === 'last-topic', notActive: outcome === 'not-active' };
    return page(rc, c, 'topic-stopped', { title: `${view.topicName} stopped`, topicName: view.topicName, ...said, ...links });
  });
}
