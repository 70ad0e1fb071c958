// Where a ClearML secret key typed into the app is kept. The desktop app encrypts it with the
// operating system's keychain (Electron safeStorage, passed in as `cipher`); without one (browser
// mode, the CLI) it is held in memory for this run only and never written in plain text.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Encryption by the operating system, provided by the Electron glue. */
export interface SecretCipher {
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

export interface SecretStore {
  /** True when secrets survive a restart (encrypted on disk). */
  readonly persistent: boolean;
  get(): string | null;
  set(secret: string | null): void;
}

const FILE = 'clearml-secret.bin';

/** A secret store for the data folder; persistent only with a cipher. */
export function secretStore(dataDir: string, cipher: SecretCipher | null, log: (message: string) => void = () => undefined): SecretStore {
  const path = join(dataDir, FILE);
  let memory: string | null = null;
  if (!cipher) {
    return { persistent: false, get: () => memory, set: (s) => void (memory = s) };
  }
  return {
    persistent: true,
    get: () => {
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        return null; // none stored
      }
      try {
        return cipher.decrypt(data);
      } catch (error) {
        // The keychain changed (a new login keyring, another machine): the user must type it again.
        log(`the stored ClearML secret key cannot be decrypted (${(error as Error).message}); enter it again in Settings`);
        return null;
      }
    },
    set: (secret) => {
      if (secret === null) {
        rmSync(path, { force: true });
        return;
      }
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, cipher.encrypt(secret), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}
