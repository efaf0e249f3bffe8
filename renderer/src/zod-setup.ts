import { z } from 'zod';

// The CSP forbids eval: zod must not probe for `new Function` (the refusal is reported as a CSP
// violation). Imported first by main.ts, before any module builds or parses a schema.
z.config({ jitless: true });
