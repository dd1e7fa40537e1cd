'use client';
import { type FormEvent, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/input';
import { useHub } from '@/lib/hub/hub-context';
import { parseHubUrl } from '@/lib/hub/hub-url';

export function HubUrlDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const { hubUrl, setHubUrl, allowedOrigins } = useHub();
  const [text, setText] = useState(hubUrl);
  const parsed = parseHubUrl(text);
  const blocked = parsed.ok && !allowedOrigins.includes(parsed.url);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!parsed.ok) return;
    setHubUrl(parsed.url);
    onOpenChange(false);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setText(hubUrl);
        onOpenChange(o);
      }}
      title="Hub"
      description="The coordination server this dashboard talks to. It relays signed requests; it can never sign anything for you."
      footer={
        <>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" form="hub-url-form" disabled={!parsed.ok}>
            Connect
          </Button>
        </>
      }
    >
      <form id="hub-url-form" onSubmit={submit} className="grid gap-4">
        <Field
          label="Hub URL"
          htmlFor="hub-url"
          error={!parsed.ok && text !== '' ? parsed.message : undefined}
        >
          <Input
            id="hub-url"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="http://127.0.0.1:7700"
            className="font-mono"
          />
        </Field>
        {blocked ? (
          <Alert tone="warn" title="Not allowed by this dashboard's Content-Security-Policy">
            The page may only connect to {allowedOrigins.join(', ')}. Whoever runs the dashboard
            adds more with <code className="font-mono">SERFBORT_HUB_ORIGINS</code>.
          </Alert>
        ) : null}
      </form>
    </Dialog>
  );
}
