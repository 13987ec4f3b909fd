// Debian's Chromium driven by playwright-core (never a downloaded browser), and the checks a reader's
// phone would fail: content wider than the screen, links too small to tap, anchors that go nowhere,
// text too faint to read. Used by the browser tests and by scripts/screenshots.ts.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface PageReport {
  /** document width beyond the viewport, px (0 = no horizontal scrolling). */
  overflowPx: number;
  /** Links (a[href]) smaller than 24 × 24 px, with their text and size. */
  smallLinks: { text: string; href: string; width: number; height: number }[];
  links: number;
  /** In-page links (#x) whose target (id or a name) is missing. */
  brokenAnchors: string[];
  anchors: number;
  /** Text whose contrast with what is behind it is under WCAG AA (4.5:1, 3:1 for large text). */
  lowContrast: { text: string; ratio: number; color: string; background: string }[];
  textNodes: number;
}

// The page script is a string: tsx and vitest compile functions with helpers (__name) that do not
// exist in the page, so a serialised TypeScript function would not run there.
const INSPECT = String.raw`(() => {
    const doc = document.documentElement;
    const overflowPx = Math.max(0, doc.scrollWidth - doc.clientWidth);
    const smallLinks = [];
    const links = [...document.querySelectorAll('a[href]')];
    for (const a of links) {
      const r = a.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not displayed (a hidden preheader, say)
      if (r.width < 24 || r.height < 24) smallLinks.push({ text: (a.textContent ?? '').trim().slice(0, 60), href: a.getAttribute('href'), width: Math.round(r.width), height: Math.round(r.height) });
    }
    const inPage = links.filter((a) => a.getAttribute('href').startsWith('#'));
    const brokenAnchors = inPage
      .map((a) => decodeURIComponent(a.getAttribute('href').slice(1)))
      .filter((id) => !document.getElementById(id) && document.getElementsByName(id).length === 0);

    const parse = (c) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : [0, 0, 0, 0];
    };
    const lum = ([r, g, b]) => {
      const f = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    /** The first opaque background behind an element (the canvas is white, or dark under color-scheme dark). */
    const backgroundOf = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const [r, g, b, a] = parse(getComputedStyle(e).backgroundColor);
        if (a > 0.5) return [r, g, b];
      }
      return matchMedia('(prefers-color-scheme: dark)').matches && getComputedStyle(doc).colorScheme.includes('dark') ? [18, 18, 18] : [255, 255, 255];
    };
    const lowContrast = [];
    let textNodes = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const t = (n.textContent ?? '').trim();
      if (!el || !t) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      textNodes++;
      const fg = parse(style.color);
      const bg = backgroundOf(el);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) lowContrast.push({ text: t.slice(0, 60), ratio: Math.round(ratio * 100) / 100, color: style.color, background: 'rgb(' + bg.join(', ') + ')' });
    }
    return { overflowPx, smallLinks, links: links.length, brokenAnchors, anchors: inPage.length, lowContrast, textNodes };
})()`;

/** Measures the page as laid out now (after emulateMedia / setViewportSize). */
export async function inspectPage(page: Page): Promise<PageReport> {
  return (await page.evaluate(INSPECT)) as PageReport;
}
