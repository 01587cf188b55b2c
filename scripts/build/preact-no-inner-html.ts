import type { Plugin } from 'vite';

/**
 * Takes the one `innerHTML` assignment out of Preact's renderer (the `dangerouslySetInnerHTML` branch). No component
 * of ours uses that prop, so the branch is dead code — but addons.mozilla.org's linter (`web-ext lint`) flags every
 * `x.innerHTML = variable` as UNSAFE_VAR_ASSIGNMENT, once per bundle that carries Preact. Instead of justifying the
 * warning, the branch now throws: a future use of the prop fails loudly in development instead of writing HTML.
 *
 * The build fails when the pattern is not found exactly once (a Preact update changed the minified code), so the
 * replacement can never silently stop working.
 */
const PREACT_DIST = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/;
/** `(t.innerHTML=h.__html)` in preact.mjs: the element, the prop's value. */
const ASSIGNMENT = /\(([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\)/g;
const REFUSAL = '(()=>{throw new Error("Add to Cloud: dangerouslySetInnerHTML is not allowed")})()';

export function removePreactInnerHtml(source: string): string {
  const found = source.match(ASSIGNMENT)?.length ?? 0;
  if (found !== 1)
    throw new Error(`preact-no-inner-html: expected one innerHTML assignment in preact.mjs, found ${found}`);
  return source.replace(ASSIGNMENT, REFUSAL);
}

export function preactNoInnerHtml(): Plugin {
  return {
    name: 'add-to-cloud:preact-no-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!PREACT_DIST.test(id.replace(/\?.*$/, ''))) return null;
      return { code: removePreactInnerHtml(code), map: null };
    },
  };
}
