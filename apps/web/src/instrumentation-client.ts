import { z } from 'zod';

/*
 * zod compiles object parsers with `new Function` when it may; to find out it tries once,
 * and under our CSP (no 'unsafe-eval') that try is reported as a securitypolicyviolation
 * even though zod catches it. The browser parses little, so the plain parser costs
 * nothing noticeable. zod decides when a schema is built, and core builds its schemas as
 * it loads, so this runs here: Next.js loads this file before any page or layout module.
 */
z.config({ jitless: true });
