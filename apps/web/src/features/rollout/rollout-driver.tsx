'use client';
import {
  driveRollout,
  type HostResult,
  judgeReleasedSteps,
  startedRolloutMismatch as planMismatch,
  type RolloutEvent,
  type RolloutOutcome,
  rollBack,
} from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { toast } from 'sonner';
import { useFleet } from '@/features/fleet/fleet-context';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';
import { useAgentKeys } from '@/lib/trust/agent-keys';
import { createBrowserIO } from './browser-io';
import { HubRefusal, must } from './hub-calls';
import { planOf, releasedStepsMismatch } from './resume-check';
import type { PreparedRollout } from './rollout-draft';
import { describeEvent } from './rollout-events';
import { RolloutFeed } from './rollout-feed';

export interface DriveLog {
  at: number;
  text: string;
}

export interface RolloutDriverState {
  feed: RolloutFeed;
  /** rollouts this browser is driving right now (a rollback counts as its own) */
  active: ReadonlySet<string>;
  /** this browser's own verdicts per host, from the receipts it verified while driving */
  results: ReadonlyMap<string, HostResult[]>;
  logs: ReadonlyMap<string, DriveLog[]>;
  errors: ReadonlyMap<string, string>;
  /** takes the lock, records the plan and drives it; resolves once the hub took it */
  start(prepared: PreparedRollout): Promise<RolloutView>;
  /** retakes a rollout whose client went away and drives it from its receipts */
  resume(id: string): Promise<void>;
  /** judges the released steps again and sends each host back to its version before */
  rollBack(view: RolloutView): Promise<void>;
}

const Ctx = createContext<RolloutDriverState | null>(null);
const MAX_LOG = 200;

/**
 * Drives rollouts from this browser. It sits above the pages, so moving between pages
 * does not stop a drive; a reload does (the key is in memory only), and the rollout then
 * reads `expired` once its lock lapses, for anyone to resume.
 */
export function RolloutDriverProvider({ children }: { children: ReactNode }) {
  const { socket, session, trust } = useHub();
  const trustRef = useRef(trust);
  trustRef.current = trust;
  // asked at every step: a fork found while a rollout runs stops its next signature
  const { keyPair, mayNotSign } = useSigningKey();
  const fleet = useFleet();
  const { lookup, refresh } = useAgentKeys();
  const feed = useMemo(() => new RolloutFeed(), []);
  const socketRef = useRef(socket);
  socketRef.current = socket;
  const fleetRef = useRef(fleet);
  fleetRef.current = fleet;
  const lookupRef = useRef(lookup);
  lookupRef.current = lookup;
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const activeRef = useRef(new Set<string>());
  const results = useRef(new Map<string, HostResult[]>());
  const logs = useRef(new Map<string, DriveLog[]>());
  const errors = useRef(new Map<string, string>());
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((n) => n + 1), []);

  // every rollout:changed push lands in the feed; a new login re-joins the driven rollouts' rooms
  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket) return;
    const onChanged = (v: RolloutView) => feed.put(v);
    socket.on('rollout:changed', onChanged);
    for (const id of activeRef.current)
      void must(() => socketRef.current, 15_000, 'rollout:watch', { id })
        .then((v) => feed.put(v))
        .catch(() => undefined);
    return () => {
      socket.off('rollout:changed', onChanged);
    };
  }, [socket, session, feed]);

  const log = useCallback(
    (id: string, text: string) => {
      const list = [...(logs.current.get(id) ?? []), { at: Date.now(), text }];
      logs.current.set(id, list.slice(-MAX_LOG));
      bump();
    },
    [bump],
  );

  const report = useCallback(
    (e: RolloutEvent) => {
      if (e.type === 'step-done') {
        const had = (results.current.get(e.rollout.id) ?? []).filter(
          (r) => r.step !== e.step.index,
        );
        results.current.set(e.rollout.id, [...had, ...e.results]);
      }
      log(e.rollout.id, describeEvent(e));
    },
    [log],
  );

  /** one drive: lock renewal every third of the TTL, for whichever rollout runs now */
  const drive = useCallback(
    async (
      first: RolloutView,
      run: (io: ReturnType<typeof createBrowserIO>) => Promise<RolloutOutcome | undefined>,
      reviewed?: PreparedRollout,
    ) => {
      if (!keyPair) throw new Error('unlock your key to drive a rollout');
      const forbidden = await mayNotSign();
      if (forbidden) throw new HubRefusal(forbidden.code, forbidden.message);
      let current = first;
      activeRef.current.add(first.id);
      errors.current.delete(first.id);
      bump();
      const renew = setInterval(
        () =>
          void must(() => socketRef.current, 15_000, 'rollout:control', { id: current.id })
            .then((v) => feed.put(v))
            .catch(() => undefined),
        Math.max(1_000, Math.floor(current.lockTtlMs / 3)),
      );
      const io = createBrowserIO({
        socket: () => socketRef.current,
        keyPair,
        mayNotSign,
        presence: (h) => fleetRef.current.byName.get(h)?.state,
        agentKey: (h) => {
          const v = lookupRef.current(h);
          return v.ok ? v.key : undefined;
        },
        refreshAgentKeys: () => refreshRef.current(),
        feed,
        report,
        onStarted: (id) => {
          const started = feed.get(id);
          if (started) current = started;
          activeRef.current.add(id);
          bump();
        },
        ...(reviewed ? { reviewed: { request: reviewed.first, bytes: reviewed.bytes } } : {}),
      });
      try {
        const outcome = await run(io);
        if (outcome)
          toast.message(
            `Rollout ${outcome.rollout.id.slice(0, 8)}… ${outcome.status}${outcome.rollback ? `; its rollback ${outcome.rollback.status}` : ''}`,
          );
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        errors.current.set(current.id, message);
        log(current.id, `stopped driving: ${message}`);
        toast.error(`Rollout driver stopped: ${message}`);
      } finally {
        clearInterval(renew);
        activeRef.current.delete(first.id);
        activeRef.current.delete(current.id);
        bump();
      }
    },
    [keyPair, mayNotSign, feed, report, log, bump],
  );

  const start = useCallback(
    async (prepared: PreparedRollout) => {
      const view = await must(() => socketRef.current, 15_000, 'rollout:start', prepared.start);
      feed.put(view);
      const wrong = planMismatch(prepared.start, view);
      if (wrong) {
        await must(() => socketRef.current, 15_000, 'rollout:control', {
          id: view.id,
          status: 'aborted',
          reason: `the hub's copy of the plan differs (${wrong})`,
        }).catch(() => undefined);
        throw new Error(`the hub recorded a different plan (${wrong}); aborted, nothing signed`);
      }
      void drive(view, (io) => driveRollout(view, io), prepared);
      return view;
    },
    [feed, drive],
  );

  const resume = useCallback(
    async (id: string) => {
      // the plan comes from the hub: it must agree with the steps an operator already signed
      const before = await must(() => socketRef.current, 15_000, 'rollout:watch', { id });
      const wrong = await releasedStepsMismatch(
        before,
        (requestId) => must(() => socketRef.current, 15_000, 'deploy:watch', { requestId }),
        trustRef.current?.keyring ?? null,
      );
      if (wrong) throw new Error(`not resumed: ${wrong}`);
      const view = await must(() => socketRef.current, 15_000, 'rollout:resume', { id });
      if (planOf(view) !== planOf(before))
        throw new Error('not resumed: the hub changed the plan while resuming');
      feed.put(view);
      log(id, 'resumed here: every released step is judged again from its receipts');
      void drive(view, (io) => driveRollout(view, io));
    },
    [feed, drive, log],
  );

  const rollBackView = useCallback(
    async (view: RolloutView) => {
      await drive(view, async (io) => {
        await io.ensureKeys(view.steps.flatMap((s) => (s.requestId ? s.hosts : [])));
        const judged = await judgeReleasedSteps(view, io);
        results.current.set(view.id, judged);
        const outcome = await rollBack(view, judged, io);
        if (!outcome) log(view.id, 'nothing to roll back: no host ran this rollout');
        return outcome;
      });
    },
    [drive, log],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks changed refs
  const value = useMemo<RolloutDriverState>(
    () => ({
      feed,
      active: new Set(activeRef.current),
      results: new Map(results.current),
      logs: new Map(logs.current),
      errors: new Map(errors.current),
      start,
      resume,
      rollBack: rollBackView,
    }),
    [version, feed, start, resume, rollBackView],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useRolloutDriver(): RolloutDriverState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useRolloutDriver outside RolloutDriverProvider');
  return ctx;
}
