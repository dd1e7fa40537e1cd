'use client';
import { Field, Input } from '@/components/ui/input';
import { AppLockNotice } from '@/features/rollout/app-lock';

/** The app to deploy, suggested from the fleet and recent deployments; shows a held lock. */
export function AppField({
  app,
  appOk,
  apps,
  onChange,
}: {
  app: string;
  appOk: boolean;
  apps: string[];
  onChange: (app: string) => void;
}) {
  return (
    <>
      <Field
        label="App"
        htmlFor="deploy-app"
        error={app !== '' && !appOk ? 'an app name: a-z first, then a-z 0-9 _ -' : undefined}
      >
        <Input
          id="deploy-app"
          list="deploy-apps"
          value={app}
          onChange={(e) => onChange(e.target.value.trim())}
          placeholder="web"
          autoComplete="off"
        />
        <datalist id="deploy-apps">
          {apps.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </Field>
      {appOk ? <AppLockNotice app={app} /> : null}
    </>
  );
}
