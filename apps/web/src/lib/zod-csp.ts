import { z } from 'zod';

/*
 * zod compiles object parsers with `new Function` when it may; to find out it tries once,
 * and under our CSP (no 'unsafe-eval') that try is reported as a securitypolicyviolation
 * even though zod catches it. The browser parses little, so the plain parser costs
 * nothing noticeable. Imported first by the providers, before anything parses.
 */
z.config({ jitless: true });
