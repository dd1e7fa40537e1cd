import type { RolloutEvent, RolloutIO } from '@serfbort/client';
import { startedRolloutMismatch as planMismatch } from '@serfbort/client';
import {
  canonicalBytes,
  type DeploymentUpdate,
  type DeployRequest,
  FINAL_HOST_STATES,
  type HostPresence,
  type HostProgress,
  type KeyPair,
  PAYLOAD_TYPES,
  signBytes,
  signerFor,
} from '@serfbort/core';
import { browserVerifier, newRequestId } from '@/lib/crypto';
import type { OperatorSocket } from '@/lib/hub/call';
import type { SigningRefusal } from '@/lib/keys/use-signing-key';
import { mergeHost } from './host-outcome';
import { HubRefusal, must } from './hub-calls';
import type { RolloutFeed } from './rollout-feed';

const CALL_MS = 15_000;
/** a busy hub stores the request and its hosts before it answers */
const SUBMIT_MS = 60_000;
/** awaitStep asks for the whole deployment this often, in case a push was missed */
const POLL_MS = 3_000;
/** how long past a step's deadline the driver waits for the hub to show it the step */
const GIVE_UP_MS = 30_000;

export interface BrowserIODeps {
  socket: () => OperatorSocket | null;
  keyPair: KeyPair;
  /** why nothing may be signed now (the hub's audit history forked), asked at every step */
  mayNotSign: () => Promise<SigningRefusal | null>;
  presence: (host: string) => HostPresence | undefined;
  /** the host's key, only when an operator-signed approval verified in this browser */
  agentKey: (host: string) => Uint8Array | undefined;
  refreshAgentKeys: () => Promise<void>;
  feed: RolloutFeed;
  report: (event: RolloutEvent) => void;
  /** the rollout a lock renewal should name: the one being driven right now */
  onStarted: (id: string) => void;
  /** step 1 as the operator reviewed it: the driver's first request must be these bytes */
  reviewed?: { request: DeployRequest; bytes: Uint8Array };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** core's RolloutIO in the browser: tweetnacl signing, the operator socket, the live fleet. */
export function createBrowserIO(deps: BrowserIODeps): RolloutIO & {
  ensureKeys(hosts: readonly string[]): Promise<void>;
} {
  const { feed } = deps;
  const keys = new Map<string, Uint8Array>();
  let reviewed = deps.reviewed;

  const ensureKeys = async (hosts: readonly string[]) => {
    const fill = () => {
      let missing = false;
      for (const h of hosts) {
        const k = deps.agentKey(h);
        if (k) keys.set(h, k);
        else missing = true;
      }
      return missing;
    };
    // a host approved after the key list was loaded: fetch the list once more
    if (fill()) {
      await deps.refreshAgentKeys();
      fill();
    }
  };

  const io: RolloutIO & { ensureKeys: typeof ensureKeys } = {
    ensureKeys,
    // while step 1 waits to be built, time stands still at review time: that is what was shown
    now: () => (reviewed ? reviewed.request.issuedAt : Date.now()),
    newId: () => (reviewed ? reviewed.request.id : newRequestId()),
    signerIds: [deps.keyPair.keyId],
    async sign(request) {
      const forbidden = await deps.mayNotSign();
      if (forbidden) throw new HubRefusal(forbidden.code, forbidden.message);
      const bytes = canonicalBytes(request);
      if (reviewed) {
        if (!sameBytes(bytes, reviewed.bytes))
          throw new Error('step 1 is not the request you reviewed; nothing was signed');
        reviewed = undefined;
      }
      return signBytes(PAYLOAD_TYPES.deploy, bytes, [signerFor(deps.keyPair)]);
    },
    submit: (envelope) => must(deps.socket, SUBMIT_MS, 'deploy:submit', envelope),
    async deployment(requestId) {
      try {
        return await must(deps.socket, CALL_MS, 'deploy:watch', { requestId });
      } catch (e) {
        if (e instanceof HubRefusal && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
    async online(hosts) {
      return new Set(hosts.filter((h) => deps.presence(h) === 'online'));
    },
    async awaitStep(requestId, hosts, deadline) {
      const byHost = new Map<string, HostProgress>();
      const wanted = new Set(hosts);
      // counted as they arrive: a step of thousands of hosts gets thousands of updates
      const finals = new Set<string>();
      const put = (p: HostProgress) => {
        const merged = mergeHost(byHost.get(p.host), p);
        byHost.set(p.host, merged);
        if (wanted.has(p.host) && FINAL_HOST_STATES.includes(merged.state)) finals.add(p.host);
      };
      const done = () => finals.size === wanted.size;
      await new Promise<void>((resolve) => {
        let over = false;
        // past the deadline, only a snapshot taken after it may close the step: a push
        // missed, or a watch answer still on its way, must not make a host look silent
        let settled = false;
        const socket = deps.socket();
        const finish = () => {
          if (over) return;
          over = true;
          socket?.off('deploy:update', onUpdate);
          clearInterval(poll);
          clearTimeout(atDeadline);
          clearTimeout(giveUp);
          resolve();
        };
        const check = () => {
          if (done() || settled) finish();
        };
        const onUpdate = (u: DeploymentUpdate) => {
          if (u.requestId !== requestId) return;
          put(u.host);
          check();
        };
        const refresh = async () => {
          const asked = Date.now();
          const v = await io.deployment(requestId).catch(() => null);
          for (const h of v?.hosts ?? []) put(h);
          if (v && asked >= deadline) settled = true;
          check();
        };
        socket?.on('deploy:update', onUpdate);
        // deploy:watch also (re)joins the deployment's room, which a page's unwatch may have left
        const poll = setInterval(() => void refresh(), POLL_MS);
        const left = Math.max(0, deadline - Date.now());
        const atDeadline = setTimeout(() => void refresh(), left + 50);
        // a hub that stops answering: what arrived is all there is (the rest counts as silent)
        const giveUp = setTimeout(finish, left + GIVE_UP_MS);
        void refresh();
      });
      await ensureKeys(hosts);
      return byHost;
    },
    async start(spec) {
      const view = await must(deps.socket, CALL_MS, 'rollout:start', spec);
      feed.put(view);
      // a rollback's steps are built from this answer: it must be the plan asked for
      const wrong = planMismatch(spec, view);
      if (wrong) throw new Error(`the hub recorded a different plan (${wrong}); nothing signed`);
      deps.onStarted(view.id);
      return view;
    },
    async control(c) {
      const view = await must(deps.socket, CALL_MS, 'rollout:control', c);
      feed.put(view);
      return view;
    },
    latest: (id) => feed.get(id),
    idle: (ms) => feed.idle(ms),
    get agentKeys() {
      return keys;
    },
    verifier: browserVerifier,
    report: deps.report,
  };
  return io;
}
