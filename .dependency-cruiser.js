// The import graph's rules (`npm run graph`, a step of `npm test`). They keep the layers README's Layout describes:
// pure detection at the bottom, the UI on top, and the companion server apart from the extension.
/** The extension: everything in lib/ but the companion server, the UI components and the entrypoints. */
const EXTENSION = '^(lib/(?!server/)|components/|entrypoints/)';
/**
 * The one extension module the server is allowed to import: it holds COMPANION_PRODUCT, the name the extension
 * recognises the companion by. The server currently writes that name itself (PRODUCT_NAME in lib/server/config.ts,
 * kept equal by test/unit/server/product-name.test.ts). So that it could import this module as it is, the module
 * stays free of runtime imports (rule shared-with-server-is-plain).
 */
const SHARED_WITH_SERVER = '^lib/instance/server-status\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one module; split out what both need instead.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-not-ui',
      severity: 'error',
      comment: 'lib/ is the logic the UI renders; the interfaces the components use live in lib/ui/.',
      from: { path: '^lib/' },
      to: { path: '^(components|entrypoints)/' },
    },
    {
      name: 'detection-is-pure',
      severity: 'error',
      comment:
        'Share detection (lib/share/) runs in the always-on content script: no mounting, no sharer calls, no background, ' +
        'no messaging, no extension APIs.',
      from: { path: '^lib/share/' },
      to: {
        path: ['^lib/(mount|sharer|background|messaging)/', '^node_modules/(wxt|webextension-polyfill|@webext-core)/'],
      },
    },
    {
      name: 'detector-has-no-library',
      severity: 'error',
      comment: 'The always-on detector is downloaded into every page (gzipped size budget): no library at all.',
      from: { path: '^entrypoints/detector\\.ts$' },
      to: { path: '^node_modules/', reachable: true },
    },
    {
      name: 'extension-not-server',
      severity: 'error',
      comment: 'The extension never imports the companion server.',
      from: { path: EXTENSION },
      to: { path: '^lib/server/' },
    },
    {
      name: 'server-not-extension',
      severity: 'error',
      comment: 'The companion server never imports the extension (it is built and shipped on its own).',
      from: { path: '^lib/server/' },
      to: { path: EXTENSION, pathNot: SHARED_WITH_SERVER },
    },
    {
      name: 'shared-with-server-is-plain',
      severity: 'error',
      comment: 'The module the server shares with the extension imports nothing at runtime (types only).',
      from: { path: SHARED_WITH_SERVER },
      to: { dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type cycle or a type from the wrong layer is the same design problem.
    tsPreCompilationDeps: true,
    // The project's tsconfig with the `@/` alias spelled out (WXT's generated one has no baseUrl, with which
    // dependency-cruiser would resolve it one folder too high).
    tsConfig: { fileName: 'tsconfig.graph.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
