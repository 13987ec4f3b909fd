// GET / (the sign-up form) and POST /subscribe. The answer to a valid request is the same page, in
// the same time, whatever the address's state, its own cap or the honeypot: the form must not reveal
// who subscribes. The IP's cap and the hourly caps, which concern no one address, have pages of their own.
import { describeSchedule, paperRange } from '../../domain/cadence.js';
import { selectableTopicIds } from '../../services/web-subscriptions.js';
import { clientIp, formErrors, messagePage, originAllowed, page, readForm, type RouteContext, type WebHono } from '../context.js';
import { signupForm, singleValues } from '../forms.js';
import { topicOptions } from './topics-view.js';

export function registerSubscribe(app: WebHono, rc: RouteContext): void {
  const { taxonomy, config } = rc.deps;
  const schema = signupForm(selectableTopicIds(taxonomy));

  // What the page says about the issues: when they come, how many papers, and the latest one.
  const about = async () => {
    const issues = await rc.deps.store.listArchive();
    const latest = issues[0];
    return {
      cadence: describeSchedule(config.schedule, config.timezone),
      papers: paperRange(issues.map((i) => i.paperCount)),
      ...(latest ? { latest: { url: `${rc.base}/archive/${latest.issueId}`, subject: latest.subject } } : {}),
    };
  };

  app.get('/', async (c) => page(rc, c, 'signup', { title: 'Subscribe', topics: topicOptions(taxonomy), values: {}, ...(await about()) }));

  app.post('/subscribe', async (c) => {
    if (!originAllowed(rc, c)) return messagePage(rc, c, 403, 'Form sent from another site', 'Please use the form on this page to subscribe.');
    const form = await readForm(c);
    if (!form) return messagePage(rc, c, 400, 'That did not look like the sign-up form', 'Please use the form on the sign-up page.');
    const parsed = schema.safeParse(singleValues(form, ['email', 'name', 'website']));
    if (!parsed.success) {
      const values = { email: typeof form.email === 'string' ? form.email : '', name: typeof form.name === 'string' ? form.name : '' };
      const picked = ([] as string[]).concat(form.topics ?? []);
      return page(rc, c, 'signup', { title: 'Subscribe', errors: formErrors(parsed.error), values, topics: topicOptions(taxonomy, picked), topicsOpen: picked.length > 0, ...(await about()) }, 400);
    }
    const { email, name, topics, website } = parsed.data;
    const result = await rc.subs.requestSignup({ email, name, topics, trap: website }, clientIp(c, config.trustProxy));
    if (result.outcome === 'ip-limited') {
      c.header('Retry-After', '3600');
      return messagePage(rc, c, 429, 'Too many sign-ups', 'Too many sign-up requests came from your network. Please try again in an hour.');
    }
    if (result.outcome === 'busy') {
      c.header('Retry-After', String(result.retryAfterS));
      const whose = result.cap === 'domain' ? 'for addresses at your email provider' : 'in all';
      const minutes = Math.ceil(result.retryAfterS / 60);
      return messagePage(rc, c, 503, 'Too many sign-ups right now', `This list sends a limited number of confirmation emails per hour ${whose}, and that many went out. Nothing was recorded: please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
    }
    return page(rc, c, 'check-inbox', { title: 'Check your inbox', email, ttlHours: config.signup.confirmTtlHours });
  });
}
