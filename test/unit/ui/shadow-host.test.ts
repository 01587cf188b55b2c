import { describe, expect, it } from 'vitest';
import { ShadowHost } from '@/lib/ui/shadow-host';

function freshDocument(body: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  doc.body.innerHTML = body;
  return doc;
}

describe('ShadowHost', () => {
  it('sits next to ownCloud’s Download button, marked data-add-to-cloud, with its content out of the page’s reach', () => {
    const doc = freshDocument(
      '<div id="header"><div class="header-right"><span id="details"><a id="download">Download</a></span></div></div>',
    );
    const host = new ShadowHost(doc, '.x{}');
    host.mount((container) => (container.textContent = 'button here'));
    const element = doc.querySelector('[data-add-to-cloud]') as HTMLElement;
    expect(element.parentElement?.id).toBe('details');
    expect(element.nextElementSibling?.id).toBe('download');
    expect(element.shadowRoot).toBeNull(); // closed: the page cannot open it
    expect(element.textContent).toBe('');
    expect(element.style.getPropertyValue('position')).toBe('static');
  });

  it('floats in a corner when the page has no actions area, leaving the layout alone', () => {
    const doc = freshDocument('<main>an SPA shell</main>');
    new ShadowHost(doc, '').mount(() => {});
    const element = doc.querySelector('[data-add-to-cloud]') as HTMLElement;
    expect(element.parentElement).toBe(doc.body);
    expect(element.style.getPropertyValue('position')).toBe('fixed');
    expect(element.style.getPropertyPriority('position')).toBe('important');
  });

  it('prefers the Nextcloud 31 header once it is rendered, and unmount removes everything', async () => {
    const doc = freshDocument('<div id="header"><div class="header-end"></div></div>');
    const host = new ShadowHost(doc, '');
    host.mount(() => {});
    expect(doc.querySelector('.header-end [data-add-to-cloud]')).not.toBeNull();
    host.unmount();
    expect(doc.querySelector('[data-add-to-cloud]')).toBeNull();
  });

  it('puts itself back when a re-rendering header drops it', async () => {
    const doc = freshDocument('<div id="header"><span id="details"></span></div>');
    // MutationObserver only observes connected documents in happy-dom: use the live one.
    document.body.innerHTML = doc.body.innerHTML;
    const host = new ShadowHost(document, '');
    host.mount(() => {});
    document.querySelector('[data-add-to-cloud]')!.remove();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(document.querySelector('#details [data-add-to-cloud]')).not.toBeNull();
    host.unmount();
  });
});
