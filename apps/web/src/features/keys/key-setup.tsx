'use client';
import { FileUpIcon, KeyRoundIcon, SparklesIcon } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { Segmented } from '@/components/ui/segmented';
import { keyErrorMessage, MIN_PASSPHRASE, useKey } from '@/lib/keys/key-context';

/** First run: create a key in this browser, or bring one made with `serfbort key generate`. */
export function KeySetup() {
  const [mode, setMode] = useState<'generate' | 'import'>('generate');
  return (
    <div className="grid gap-4">
      <Segmented
        label="Key source"
        value={mode}
        onChange={setMode}
        options={[
          { value: 'generate', label: 'Generate a new key' },
          { value: 'import', label: 'Import a key file' },
        ]}
      />
      {mode === 'generate' ? <GenerateForm /> : <ImportForm />}
    </div>
  );
}

function ProgressNote() {
  const { progress } = useKey();
  if (progress === null) return null;
  return (
    <p className="text-xs text-muted-foreground">
      Deriving the encryption key (scrypt)… {Math.round(progress * 100)}%
    </p>
  );
}

function GenerateForm() {
  const { generate, progress } = useKey();
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const nameOk = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name);
  const tooShort = pass.length > 0 && pass.length < MIN_PASSPHRASE;
  const mismatch = confirm.length > 0 && confirm !== pass;
  const valid = nameOk && pass.length >= MIN_PASSPHRASE && confirm === pass;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) return;
    try {
      await generate(name, pass);
      toast.success('Key created and stored encrypted in this browser');
    } catch (err) {
      toast.error(keyErrorMessage(err));
    }
  }

  return (
    <form onSubmit={submit} className="grid max-w-md gap-3" data-testid="generate-form">
      <Field
        label="Your name"
        htmlFor="key-name"
        hint="Shown to other operators and in the audit log."
        error={name !== '' && !nameOk ? 'letters, digits and . _ @ - (up to 64)' : undefined}
      >
        <Input
          id="key-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="alice"
          autoComplete="off"
        />
      </Field>
      <Field
        label="Passphrase"
        htmlFor="key-pass"
        hint={`At least ${MIN_PASSPHRASE} characters. It never leaves this browser; without it the stored key is useless.`}
        error={tooShort ? `at least ${MIN_PASSPHRASE} characters` : undefined}
      >
        <Input
          id="key-pass"
          type="password"
          autoComplete="new-password"
          value={pass}
          onChange={(e) => setPass(e.target.value)}
        />
      </Field>
      <Field
        label="Repeat passphrase"
        htmlFor="key-pass2"
        error={mismatch ? 'the passphrases differ' : undefined}
      >
        <Input
          id="key-pass2"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={!valid || progress !== null} data-testid="generate-submit">
          <SparklesIcon />
          Generate key
        </Button>
        <ProgressNote />
      </div>
    </form>
  );
}

function ImportForm() {
  const { importFile, progress } = useKey();
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (text === null) return;
    setError(null);
    try {
      await importFile(text, pass);
      toast.success('Key imported');
    } catch (err) {
      setError(keyErrorMessage(err));
    }
  }

  return (
    <form onSubmit={submit} className="grid max-w-md gap-3" data-testid="import-form">
      <Field
        label="Key file"
        htmlFor="key-file"
        hint="A .json key file written by `serfbort key generate` or exported here."
      >
        <label
          htmlFor="key-file"
          className="flex h-20 cursor-pointer items-center justify-center gap-2 rounded-md border border-dashed bg-muted/40 text-sm text-muted-foreground hover:bg-muted"
        >
          <FileUpIcon className="size-4" />
          {fileName || 'Choose a key file…'}
          <input
            id="key-file"
            type="file"
            accept=".json,application/json"
            className="sr-only"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              setFileName(f.name);
              setText(await f.text());
            }}
          />
        </label>
      </Field>
      <Field label="Passphrase of that file" htmlFor="import-pass">
        <Input
          id="import-pass"
          type="password"
          autoComplete="current-password"
          value={pass}
          onChange={(e) => setPass(e.target.value)}
        />
      </Field>
      {error ? (
        <p className="text-sm text-bad" data-testid="import-error">
          {error}
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        <Button
          type="submit"
          disabled={text === null || pass === '' || progress !== null}
          data-testid="import-submit"
        >
          <KeyRoundIcon />
          Import key
        </Button>
        <ProgressNote />
      </div>
    </form>
  );
}
