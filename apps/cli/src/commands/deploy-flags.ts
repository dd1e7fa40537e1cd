import type { Command, OptionValues } from '@commander-js/extra-typings';
import { collect } from './context.js';

/** `deploy <app> <version>` with its options: a single deploy's first, then a rollout's. */
export function deployCommand(program: Command) {
  const deploy = program
    .command('deploy')
    .description('sign a deploy request locally, submit it, and follow every host until it answers')
    .argument('<app>', 'app name, as configured on the agents')
    .argument('<version>', 'version to deploy (becomes one argument of the deploy command)');
  return withRolloutFlags(withRequestFlags(deploy));
}

export type DeployFlags = ReturnType<ReturnType<typeof deployCommand>['opts']>;

/** Target, lifetime, co-signers and how to follow the hosts: what every deploy takes. */
function withRequestFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option('-l, --selector <selector>', "target hosts by label selector, e.g. 'role=web,!canary'")
    .option('--hosts <names>', 'target hosts by name, comma separated, e.g. weba,webb')
    .option(
      '--expires <duration>',
      'how long the signed request stays valid (hosts offline until then still get it)',
      '1h',
    )
    .option(
      '--expect <result>',
      'what the version-report command must print afterwards (e.g. the commit a tag resolves to)',
    )
    .option(
      '--artifact <file>',
      'the exact bytes to deploy: its SHA-256 and size go inside the signature (hosts with releases fetch and verify it)',
    )
    .option(
      '--artifact-url <url>',
      'with --artifact: where hosts fetch it when their config has no url template',
    )
    .option(
      '--attestation <file>',
      "with --artifact: a builder's in-toto attestation of it (serfbort attest), for apps that require one",
    )
    .option(
      '--cosign-key <file>',
      'another operator key file that signs too, for apps needing 2+ signatures (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--sign-only',
      'sign and write the request to a file for another operator to co-sign; do not submit',
    )
    .option(
      '--propose',
      'sign and hand the request to the hub as a proposal: other operators review and co-sign it with `serfbort pending`',
    )
    .option(
      '--out <file>',
      'with --sign-only: where to write the request (default request-<id>.json)',
    )
    .option(
      '--allow-unknown',
      'warn, instead of refusing, about host names and an app the fleet does not know',
    )
    .option('-y, --yes', 'do not ask for confirmation (required when there is no terminal)')
    .option('--no-wait', 'submit and return without following the hosts')
    .option(
      '--timeout <duration>',
      'how long to wait for answers from hosts that are online',
      '10m',
    )
    .option('--json', 'print one JSON document with the result');
}

/** Any of these makes the deploy a rollout (see `isRollout`). */
function withRolloutFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option(
      '--canary <selector>',
      'rollout: these hosts of the target go first, alone (e.g. canary)',
    )
    .option('--canary-hosts <names>', 'rollout: these hosts go first, by name')
    .option('--batch <n|n%>', 'rollout: then batches of n hosts or n% of the target')
    .option('--wait <duration>', 'rollout: pause between steps, e.g. 30s')
    .option(
      '--max-failures <n|n%>',
      'rollout: failures tolerated (silent and rejected hosts count); one more halts (default 0)',
    )
    .option(
      '--on-failure <action>',
      'rollout: halt, or rollback the hosts already done (default halt)',
    )
    .option(
      '--step-timeout <duration>',
      "rollout: each step's deadline; its request expires then (default 10m)",
    )
    .option(
      '--lock-ttl <duration>',
      "rollout: how long the app's lock outlives this process (default 5m)",
    );
}
