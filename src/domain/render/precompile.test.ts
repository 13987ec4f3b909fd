import { describe, expect, it } from 'vitest';
import { inlinePartials, prepareForMjml } from './precompile.js';

describe('prepareForMjml', () => {
  it('wraps blocks between components in mj-raw and leaves blocks inside content alone', () => {
    const src = '<mj-body>{{#each s}}<mj-section><mj-column>{{#if x}}<mj-text>{{#if y}}<b>{{y}}</b>{{/if}}</mj-text>{{else}}<mj-divider />{{/if}}</mj-column></mj-section>{{/each}}</mj-body>';
    expect(prepareForMjml(src)).toBe(
      '<mj-body><mj-raw>{{#each s}}</mj-raw><mj-section><mj-column><mj-raw>{{#if x}}</mj-raw><mj-text>\u0003{{#if y}}<b>{{y}}</b>{{/if}}\u0004</mj-text><mj-raw>{{else}}</mj-raw><mj-divider /><mj-raw>{{/if}}</mj-raw></mj-column></mj-section><mj-raw>{{/each}}</mj-raw></mj-body>',
    );
  });

  it('fences only content that holds mustaches, skips comments and mustaches in attributes', () => {
    expect(prepareForMjml('<mj-text css-class="{{c}}">plain</mj-text><!-- {{#x}} --><mj-title>{{subject}}</mj-title>')).toBe(
      '<mj-text css-class="{{c}}">plain</mj-text><!-- {{#x}} --><mj-title>\u0003{{subject}}\u0004</mj-title>',
    );
  });

  it('refuses an expression between components', () => {
    expect(() => prepareForMjml('<mj-column>{{name}}<mj-text>x</mj-text></mj-column>')).toThrow(/between MJML components/);
  });
});

describe('inlinePartials', () => {
  it('inlines nested partials and refuses arguments or unknown names', () => {
    const partials = new Map([
      ['a', '<x>{{> b}}</x>'],
      ['b', '{{y}}'],
    ]);
    expect(inlinePartials('{{> a}} {{>b}}', partials)).toBe('<x>{{y}}</x> {{y}}');
    expect(() => inlinePartials('{{~> b}}', partials)).toThrow(/whitespace control/);
    expect(() => inlinePartials('{{> a ctx}}', partials)).toThrow(/arguments/);
    expect(() => inlinePartials('{{> nope}}', partials)).toThrow(/unknown/);
  });
});
