/**
 * A host's request that a newer one for the same app replaced before delivery: the hub
 * records it `expired` with reason SUPERSEDED, but it did not lapse, so both faces say
 * `superseded`, never `expired`.
 */
export const isSuperseded = (host: { state: string; reason?: string | null } | undefined) =>
  host?.state === 'expired' && host.reason === 'SUPERSEDED';
