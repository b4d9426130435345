import * as z from 'zod/mini';

// zod's tree-shakeable API for the schemas the webhook handlers load (config, intents, payloads): they
// cost tens of KB in a bundle instead of ~190 KB with the classic API (docs/benchmarks.md). Import it
// as `import * as z from 'zod/mini'` where it is used: re-exporting the namespace would defeat tree
// shaking. The mini API loads no messages of its own; these are the English ones the classic API gives.
z.config(z.locales.en());

/** A string with at least one character. */
export const nonEmpty = () => z.string().check(z.minLength(1));
