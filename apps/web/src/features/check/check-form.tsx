'use client';
import { ListChecksIcon, PlayIcon } from 'lucide-react';
import type { FormEvent } from 'react';
import { SelectorInput } from '@/components/selector/selector-input';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/input';
import type { CheckFields } from './use-check-run';

/** App, optional target and expected version, and the button that runs the check. */
export function CheckForm({
  fields: f,
  apps,
  canRun,
  busy,
  onRun,
}: {
  fields: CheckFields;
  apps: string[];
  canRun: boolean;
  busy: boolean;
  onRun: (e: FormEvent) => void;
}) {
  return (
    <Card>
      <CardHeader icon={<ListChecksIcon />} title="Run a check" />
      <CardBody>
        <form
          onSubmit={onRun}
          className="grid items-start gap-3 md:grid-cols-[12rem_minmax(0,1fr)_12rem_auto]"
          data-testid="check-form"
        >
          <Field label="App" htmlFor="check-app">
            <Input
              id="check-app"
              list="check-apps"
              value={f.app}
              onChange={(e) => f.setApp(e.target.value.trim())}
              placeholder="web"
              autoComplete="off"
            />
            <datalist id="check-apps">
              {apps.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </Field>
          <Field label="Target (optional)">
            <SelectorInput
              value={f.selectorText}
              onChange={f.setSelectorText}
              result={f.parsed}
              placeholder="all hosts"
            />
          </Field>
          <Field label="Expected version (optional)" htmlFor="check-expected">
            <Input
              id="check-expected"
              value={f.expected}
              onChange={(e) => f.setExpected(e.target.value.trim())}
              className="font-mono"
              autoComplete="off"
            />
          </Field>
          <Button
            type="submit"
            className="md:mt-[22px]"
            disabled={!canRun || busy}
            data-testid="check-run"
          >
            <PlayIcon />
            {busy ? 'Checking…' : 'Run check'}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
