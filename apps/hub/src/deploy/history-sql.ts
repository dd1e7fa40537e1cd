import {
  BUSY_HOST_STATES,
  type DeploymentOutcome,
  FAILED_HOST_STATES,
  SUPERSEDED_REASON,
} from '@serfbort/core';
import { type SQL, sql } from 'drizzle-orm';

/*
 * The outcome and duration rules of core's deploy-history.ts as SQL aggregates over one
 * deployment's rows of deployment_hosts (aliased `h`), so filters and stats run in the
 * database. The state lists come from core: the rule is written once.
 */
const inList = (states: readonly string[]) =>
  sql.join(
    states.map((s) => sql`${s}`),
    sql`, `,
  );

const busy = sql`count(*) filter (where h.state in (${inList(BUSY_HOST_STATES)}))`;
const failedHosts = sql`count(*) filter (where h.state in (${inList(FAILED_HOST_STATES)})
  or (h.state = 'expired' and coalesce(h.reason, '') <> ${SUPERSEDED_REASON}))`;
const succeededHosts = sql`count(*) filter (where h.state = 'succeeded')`;

/** A deployment's outcome, over its host rows `h` grouped by request id. */
export const outcomeSql: SQL<DeploymentOutcome> = sql<DeploymentOutcome>`case
  when count(*) = 0 or ${busy} > 0 then 'running'
  when ${failedHosts} > 0 then 'failed'
  when ${succeededHosts} > 0 then 'succeeded'
  else 'superseded' end`;

/** When the hub stored the last host receipt of the deployment (null before any). */
export const lastReceiptSql = sql<
  number | null
>`max(h.updated_at) filter (where h.receipt is not null)`;
