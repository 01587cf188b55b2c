/**
 * Owns the element we add to a share page: a custom-named host carrying `data-add-to-cloud`, with a CLOSED
 * shadow root so the page can neither read nor restyle what is inside. It sits next to the page's own actions
 * when the page has an actions area, and floats in a corner otherwise, so the page's layout stays as it was.
 */

/** Where each server generation keeps its header actions; the first match wins (order matters). */
const ACTION_AREAS = [
  '#header #details', // ownCloud 10 and the companion: beside "Download"
  '#header .header-right', // Nextcloud ≤ 30
  '#header .header-end', // Nextcloud 31+
];

const HOST_TAG = 'add-to-cloud-button';

export class ShadowHost {
  private host: HTMLElement | undefined;
  private root: ShadowRoot | undefined;
  private observer: MutationObserver | undefined;

  constructor(
    private readonly doc: Document,
    private readonly css: string,
  ) {}

  /** Create (or reuse) the host and let `draw` render into the shadow root's container. */
  mount(draw: (container: HTMLElement) => void): void {
    const container = this.ensureHost();
    draw(container);
    this.keepAttached();
  }

  unmount(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.host?.remove();
    this.host = undefined;
    this.root = undefined;
  }

  private ensureHost(): HTMLElement {
    if (!this.host || !this.root) {
      const host = this.doc.createElement(HOST_TAG);
      host.setAttribute('data-add-to-cloud', '');
      const root = host.attachShadow({ mode: 'closed' });
      const style = this.doc.createElement('style');
      style.textContent = this.css;
      const container = this.doc.createElement('div');
      container.className = 'atc-root';
      root.append(style, container);
      this.host = host;
      this.root = root;
    }
    this.place(this.host);
    return this.root.querySelector<HTMLElement>('.atc-root')!;
  }

  private place(host: HTMLElement): void {
    const area = ACTION_AREAS.map((selector) => this.doc.querySelector(selector)).find(Boolean);
    // Inline styles with !important: the page's own CSS must not hide or stretch the host.
    const set = (prop: string, value: string) => host.style.setProperty(prop, value, 'important');
    if (area) {
      set('display', 'inline-block');
      set('vertical-align', 'middle');
      set('position', 'static');
      if (host.parentElement !== area) area.prepend(host);
    } else {
      set('display', 'block');
      set('position', 'fixed');
      set('right', '16px');
      set('bottom', '16px');
      set('z-index', '2147483647');
      if (host.parentElement !== this.doc.body) this.doc.body.append(host);
    }
  }

  /** Vue headers render late and re-render, dropping foreign nodes: keep the host where it belongs. */
  private keepAttached(): void {
    if (this.observer || !this.doc.body) return;
    // Re-placing also moves a floating host into the header once a late-rendered header appears.
    this.observer = new MutationObserver(() => {
      if (this.host) this.place(this.host);
    });
    this.observer.observe(this.doc.body, { childList: true, subtree: true });
  }
}
