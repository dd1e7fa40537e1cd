import type { Envelope, ProposalSign, ProposalView } from '@serfbort/core';
import {
  LIMITS,
  openEnvelope,
  operatorsAllowed,
  PAYLOAD_TYPES,
  verifySignatures,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { and, eq } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { proposals } from '../db/schema.js';
import { judgeRequest, submitDeploy } from '../deploy/submit.js';
import { refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { announceProposal } from './announce.js';
import type { ProposalRow } from './views.js';
import { proposalStatus, requireProposal, toProposalView } from './views.js';

/**
 * One co-signature, judged before it is stored: a key of the keyring, allowed this app on
 * these hosts, verifying over the stored payload bytes. The hub refuses junk so co-signers
 * never have to wade through it; clients verify every signature again anyway.
 */
function checkCoSignature(ctx: HubContext, row: ProposalRow, input: ProposalSign): Envelope {
  const { signature } = input;
  if (row.envelope.signatures.some((s) => s.keyid === signature.keyid))
    refuse('ALREADY_SIGNED', `key ${signature.keyid} has signed this request already`);
  if (row.envelope.signatures.length >= LIMITS.signaturesPerEnvelope)
    refuse('OVERSIZED', `a request carries at most ${LIMITS.signaturesPerEnvelope} signatures`);
  const keyring = ctx.trust.current()?.keyring;
  if (!keyring) return refuse('TRUST_EXPIRED', 'the hub holds no keyring');
  const opened = openEnvelope(row.envelope, PAYLOAD_TYPES.deploy);
  if (!opened.ok) return refuse(opened.reason, opened.detail ?? opened.reason);
  // the new signature alone, over the exact stored bytes
  const alone = { ...opened.value, envelope: { ...row.envelope, signatures: [signature] } };
  const verified = verifySignatures(alone, (id) => keyring.operatorKeys.get(id), nodeVerifier);
  if (!verified.ok)
    return refuse(
      verified.reason,
      verified.reason === 'UNKNOWN_SIGNER'
        ? `key ${signature.keyid} is not in the keyring`
        : 'the signature does not verify over this request',
    );
  return { ...row.envelope, signatures: [...row.envelope.signatures, signature] };
}

/**
 * proposal:sign — adds the signature; when the distinct allowed signers meet the app's
 * threshold (core's authorize, as deploy:submit judges it) submits the request exactly
 * like deploy:submit, and the signer watches the deployment.
 */
export async function signProposal(
  ctx: HubContext,
  input: ProposalSign,
  socket: Socket,
): Promise<ProposalView> {
  await ctx.trust.refresh();
  const now = ctx.now();
  const row = await requireProposal(ctx.db, input.requestId);
  // the very same signature again is a retry (an acknowledgement lost with a connection)
  const { keyid, sig } = input.signature;
  if (row.envelope.signatures.some((s) => s.keyid === keyid && s.sig === sig))
    return toProposalView(row, now);
  const status = proposalStatus(row, now);
  if (status === 'expired')
    refuse('EXPIRED', `the request expired at ${new Date(row.expiresAt).toISOString()}`);
  if (status !== 'open') refuse('CONFLICT', `the proposal is ${status}`);
  const envelope = checkCoSignature(ctx, row, input);
  const judged = await judgeRequest(ctx, envelope, now);
  const { request, hosts, auth, keyring } = judged;
  const allowed = operatorsAllowed(keyring.keyring, {
    app: request.app,
    target: request.target,
    signers: [input.signature.keyid],
    now,
    hosts,
  });
  if (allowed.length === 0)
    refuse(
      'SIGNER_NOT_ALLOWED',
      `key ${input.signature.keyid} may not deploy ${request.app} there`,
    );

  // the co-signature itself is in the audit log: who signed which bytes, and when
  const signed = (status: 'open' | 'submitted') => ({
    event: 'sign',
    requestId: row.requestId,
    digest: row.digest,
    by: input.signature.keyid,
    signature: input.signature,
    status,
  });
  if (auth.ok) {
    // the deployment row is the truth; a concurrent signer that also completed it is a retry there
    await submitDeploy(ctx, envelope, socket);
    await ctx.writes.run(async ({ tx, audit }) => {
      const moved = await tx
        .update(proposals)
        .set({ envelope, status: 'submitted', revision: row.revision + 1, updatedAt: now })
        .where(and(eq(proposals.requestId, row.requestId), eq(proposals.status, 'open')))
        .returning({ id: proposals.requestId });
      if (moved.length > 0) await audit.append('proposal', signed('submitted'));
    });
  } else {
    if (auth.reason !== 'THRESHOLD_NOT_MET') refuse(auth.reason, auth.detail);
    const written = await ctx.writes.run(async ({ tx, audit }) => {
      const rows = await tx
        .update(proposals)
        .set({ envelope, revision: row.revision + 1, updatedAt: now })
        .where(
          and(
            eq(proposals.requestId, row.requestId),
            eq(proposals.revision, row.revision),
            eq(proposals.status, 'open'),
          ),
        )
        .returning({ id: proposals.requestId });
      if (rows.length > 0) await audit.append('proposal', signed('open'));
      return rows;
    });
    if (written.length === 0)
      refuse('CONFLICT', 'the proposal changed while you signed it: fetch it and sign again');
  }
  const after = await requireProposal(ctx.db, row.requestId);
  const view = toProposalView(after, now);
  ctx.log.info(
    { requestId: row.requestId, signer: input.signature.keyid, status: view.status },
    'proposal co-signed',
  );
  announceProposal(ctx, row.requestId, view.status);
  return view;
}
