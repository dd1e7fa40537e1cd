const SHOWN = 200;

/** Host names as one wrapped line, cut after a few screens. */
export function HostList({ hosts }: { hosts: string[] }) {
  return (
    <p className="font-mono text-xs leading-5 break-words text-muted-foreground">
      {hosts.slice(0, SHOWN).join(', ')}
      {hosts.length > SHOWN ? ` …and ${hosts.length - SHOWN} more` : ''}
    </p>
  );
}
