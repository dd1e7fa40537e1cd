'use client';
import type { checkVersion } from '@serfbort/core';
import { Field, Input } from '@/components/ui/input';
import type { VersionSuggestion } from './version-suggestions';

/** The version to deploy, with the versions the fleet and recent deployments suggest. */
export function VersionField({
  version,
  verdict,
  suggestions,
  onChange,
}: {
  version: string;
  verdict: ReturnType<typeof checkVersion> | null;
  suggestions: VersionSuggestion[];
  onChange: (version: string) => void;
}) {
  return (
    <>
      <Field
        label="Version"
        htmlFor="deploy-version"
        error={verdict && !verdict.ok ? verdict.reason : undefined}
        hint="A tag, branch or commit; it becomes one argument of the host's deploy command."
      >
        <Input
          id="deploy-version"
          list="deploy-versions"
          value={version}
          onChange={(e) => onChange(e.target.value.trim())}
          placeholder="v1.4.2"
          autoComplete="off"
          className="font-mono"
        />
        <datalist id="deploy-versions">
          {suggestions.map((s) => (
            <option key={s.version} value={s.version}>
              {s.source}
            </option>
          ))}
        </datalist>
      </Field>
      {suggestions.length > 0 ? (
        <div className="-mt-2 flex flex-wrap gap-1">
          {suggestions.slice(0, 8).map((s) => (
            <button
              key={s.version}
              type="button"
              title={s.source}
              onClick={() => onChange(s.version)}
              className="rounded border bg-muted/50 px-1.5 font-mono text-[11.5px] leading-5 hover:bg-accent"
            >
              {s.version}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}
