import { z } from 'zod';
import { envelopeSchema } from '../envelope/envelope.js';
import { requestId } from './primitives.js';

/** The trust documents a hub hands out; agents check the shape before judging the contents. */
export const trustBundleSchema = z.strictObject({
  roots: z.array(envelopeSchema).max(64),
  keyring: envelopeSchema.nullable(),
});

/** A hub's request to run the version-report command now. */
export const checkQuerySchema = z.strictObject({
  checkId: requestId,
  app: z.string().max(64),
});
