// esbuild plugins for the Lambda bundles (serverless-esbuild `plugins`).
// zod 4 re-exports every locale through a namespace (`z.locales`), which defeats tree shaking and
// adds ~250 KB to each bundle. switchyard only ever speaks English, so the locale index is replaced
// by one that exports `en` alone (zod itself imports `en` directly for its default messages).
const path = require('node:path');

const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/ }, (args) => ({
      contents: `export { default as en } from "./en.js";\n`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

module.exports = [zodEnglishOnly];
