'use client';
import {
  DEFAULT_SCRYPT,
  decryptKeyFile,
  encryptKeyFile,
  type KeyFile,
  KeyFileError,
  parseKeyFile,
} from '@serfbort/client';
import { type KeyPair, keyPairFromSeed } from '@serfbort/core';
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
import { randomBytes } from '../crypto';
import { useIdleLimit, useIdleTimer } from './idle-lock';
import { type KeySessionChannel, type KeySessionMessage, openKeySession } from './key-session';
import { deleteKeyFile, loadKeyFile, saveKeyFile } from './key-store';

export type KeyStatus = 'loading' | 'none' | 'locked' | 'unlocked';

export interface KeyState {
  status: KeyStatus;
  /** the stored, encrypted key file (public parts are readable) */
  file: KeyFile | null;
  /** held in memory only while unlocked; never stored or sent */
  keyPair: KeyPair | null;
  /** fraction 0..1 while scrypt runs, else null */
  progress: number | null;
  generate(name: string, passphrase: string): Promise<void>;
  importFile(text: string, passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  /** locks every tab of this origin */
  lock(): void;
  remove(): Promise<void>;
}

const KeyContext = createContext<KeyState | null>(null);

/** Passphrases shorter than this make scrypt's cost pointless. */
export const MIN_PASSPHRASE = 10;

/** A user-facing sentence for a key-file failure code. */
export function keyErrorMessage(e: unknown): string {
  if (e instanceof KeyFileError) {
    if (e.code === 'WRONG_PASSPHRASE') return 'Wrong passphrase.';
    return e.message;
  }
  return 'The key could not be processed.';
}

export function KeyProvider({ children }: { children: ReactNode }) {
  const [file, setFile] = useState<KeyFile | null>(null);
  const [keyPair, setKeyPair] = useState<KeyPair | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const channel = useRef<KeySessionChannel | null>(null);
  const keyRef = useRef<KeyPair | null>(null);
  keyRef.current = keyPair;

  const { limitMs } = useIdleLimit();
  const idle = useIdleTimer({
    armed: keyPair !== null,
    limitMs,
    onIdle: () => {
      setKeyPair(null);
      channel.current?.post({ type: 'lock' });
    },
    announce: (at) => channel.current?.post({ type: 'activity', at }),
  });
  const idleRef = useRef(idle);
  idleRef.current = idle;

  useEffect(() => {
    const onMessage = (m: KeySessionMessage) => {
      if (m.type === 'ask') {
        if (keyRef.current) channel.current?.share(keyRef.current);
      } else if (m.type === 'share') {
        if (keyRef.current?.keyId !== m.keyId) void adoptShared(m.keyId, m.seed);
      } else if (m.type === 'lock') {
        setKeyPair(null);
      } else if (m.type === 'removed') {
        setFile(null);
        setKeyPair(null);
      } else {
        idleRef.current.noteRemoteActivity(m.at);
      }
    };
    /** Kept only if it is the key stored here: another tab may have imported a different one. */
    const adoptShared = async (keyId: string, seed: Uint8Array) => {
      const stored = await loadKeyFile().catch(() => null);
      if (!stored || stored.keyId !== keyId) return;
      const pair = keyPairFromSeed(seed);
      if (pair.keyId !== stored.keyId) return;
      setFile(stored);
      setKeyPair(pair);
    };
    channel.current = openKeySession(onMessage);
    // a new tab asks whether another one already holds the unlocked key
    channel.current.post({ type: 'ask' });
    return () => {
      channel.current?.close();
      channel.current = null;
    };
  }, []);

  const share = useCallback((pair: KeyPair) => channel.current?.share(pair), []);

  useEffect(() => {
    loadKeyFile().then(
      (f) => {
        setFile(f);
        setLoaded(true);
      },
      () => setLoaded(true),
    );
  }, []);

  const withProgress = useCallback(
    async <T,>(work: (onProgress: (f: number) => void) => Promise<T>): Promise<T> => {
      setProgress(0);
      try {
        return await work((f) => setProgress(f));
      } finally {
        setProgress(null);
      }
    },
    [],
  );

  const generate = useCallback(
    async (name: string, passphrase: string) => {
      const pair = keyPairFromSeed(randomBytes(32));
      const encrypted = await withProgress((onProgress) =>
        encryptKeyFile(pair, passphrase, {
          salt: randomBytes(32),
          nonce: randomBytes(24),
          now: Date.now(),
          name,
          scrypt: DEFAULT_SCRYPT,
          onProgress,
        }),
      );
      await saveKeyFile(encrypted);
      setFile(encrypted);
      setKeyPair(pair);
      share(pair);
    },
    [withProgress, share],
  );

  const importFile = useCallback(
    async (text: string, passphrase: string) => {
      const parsed = parseKeyFile(text);
      // decrypting proves the passphrase and the file's integrity before we keep it
      const pair = await withProgress((onProgress) =>
        decryptKeyFile(parsed, passphrase, onProgress),
      );
      await saveKeyFile(parsed);
      setFile(parsed);
      setKeyPair(pair);
      share(pair);
    },
    [withProgress, share],
  );

  const unlock = useCallback(
    async (passphrase: string) => {
      if (!file) throw new Error('no key stored');
      const pair = await withProgress((onProgress) => decryptKeyFile(file, passphrase, onProgress));
      setKeyPair(pair);
      share(pair);
    },
    [file, withProgress, share],
  );

  const lock = useCallback(() => {
    setKeyPair(null);
    channel.current?.post({ type: 'lock' });
  }, []);

  const remove = useCallback(async () => {
    await deleteKeyFile();
    setFile(null);
    setKeyPair(null);
    channel.current?.post({ type: 'removed' });
  }, []);

  const status: KeyStatus = !loaded ? 'loading' : !file ? 'none' : keyPair ? 'unlocked' : 'locked';
  const value = useMemo(
    () => ({ status, file, keyPair, progress, generate, importFile, unlock, lock, remove }),
    [status, file, keyPair, progress, generate, importFile, unlock, lock, remove],
  );
  return <KeyContext.Provider value={value}>{children}</KeyContext.Provider>;
}

export function useKey(): KeyState {
  const ctx = useContext(KeyContext);
  if (!ctx) throw new Error('useKey outside KeyProvider');
  return ctx;
}
