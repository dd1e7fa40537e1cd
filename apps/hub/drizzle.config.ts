import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate` writes a new migration from src/db/schema.ts; commit it. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
