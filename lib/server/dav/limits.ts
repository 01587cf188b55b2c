// Bounds on what one PROPFIND may ask for, so an anonymous request on a public link cannot make the answer (which
// repeats every requested property for every entry) explode. Real clients stay far below: the ownCloud desktop client
// asks for about 10 properties in under 1 KiB, Nextcloud's web UI for about 40 in about 2 KiB. Documented in
// docs/server.md ("Limits").

/** Largest PROPFIND request body; bigger ones are answered 413 before they are read. */
export const PROPFIND_MAX_BODY_BYTES = 64 * 1024;

/** Most distinct properties one PROPFIND may request; more is answered 400. */
export const PROPFIND_MAX_PROPERTIES = 200;

/**
 * Most bytes all requested property names may have together, in Clark notation (`{namespace}name`). Namespace
 * prefixes let a short body name long properties, and unknown ones are echoed back for every entry; more is 400.
 */
export const PROPFIND_MAX_PROPERTY_NAME_BYTES = 8 * 1024;

/**
 * Most tags (`<`) one PROPFIND body may have: every property written as `<p></p>`, plus room for the envelope and
 * comments. Checked before parsing, so 64 KiB of tiny elements cannot make the XML parser work for long; more is 400.
 */
export const PROPFIND_MAX_TAGS = 2 * PROPFIND_MAX_PROPERTIES + 64;
