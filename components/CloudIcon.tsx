/** The icon's one path: the cloud's outline, then the plus cut out of it (drawn the other way round). */
const CLOUD = 'M19.4 10.1A7 7 0 0 0 6.3 8.2 5.5 5.5 0 0 0 6.5 19H19a4.5 4.5 0 0 0 .4-8.9Z';
const PLUS = 'M16 14.5h-3v3h-2v-3H8v-2h3v-3h2v3h3Z';

/** Decorative cloud with a plus; the text next to it carries the meaning. */
export function CloudIcon() {
  return (
    <svg class="atc-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={CLOUD + PLUS} />
    </svg>
  );
}
