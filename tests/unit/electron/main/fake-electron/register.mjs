// Loaded with `node --import`: makes `import ... from 'electron'` resolve to the recording fake.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
