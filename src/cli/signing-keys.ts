import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { keyIdOf } from '../report/integrity.js';
import { ExitCode } from '../shared/exit-codes.js';
import { UserError } from '../shared/errors.js';
import { readInputFile } from '../shared/read-input-file.js';
import { outputError } from './stdout.js';

/** `--sign-key FILE`: an Ed25519 private key in PEM (PKCS #8), as `portflight keygen` writes it. */
export async function loadSigningKey(file: string): Promise<KeyObject> {
  const text = await readInputFile(file);
  return ed25519(file, () => createPrivateKey(text), 'private');
}

/** `verify --public-key FILE`: an Ed25519 public key in PEM (SPKI); a private key gives its public half. */
export async function loadPublicKey(file: string): Promise<KeyObject> {
  const text = await readInputFile(file);
  return ed25519(file, () => createPublicKey(text), 'public');
}

function ed25519(file: string, read: () => KeyObject, kind: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  try {
    key = read();
  } catch {
    throw new UserError(
      `${file}: not a PEM ${kind} key (make one with portflight keygen)`,
      ExitCode.invalidInput,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UserError(
      `${file}: a ${key.asymmetricKeyType ?? 'symmetric'} key; reports are signed with Ed25519 keys`,
      ExitCode.invalidInput,
    );
  return key;
}

/**
 * `portflight keygen --out PREFIX`: PREFIX.key (private, readable by its owner only) and PREFIX.pub.
 * Never overwrites: a key that signed reports must not be lost to a typo.
 */
export async function writeKeyPair(
  prefix: string,
): Promise<{ privateFile: string; publicFile: string; keyId: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateFile = `${prefix}.key`;
  const publicFile = `${prefix}.pub`;
  const write = async (path: string, text: string, mode: number) => {
    await writeFile(path, text, { mode, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST')
        throw new UserError(`${path}: exists; keygen never overwrites a key`, ExitCode.usage);
      throw outputError(path, error);
    });
  };
  await write(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  await write(publicFile, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  return { privateFile, publicFile, keyId: keyIdOf(publicKey) };
}
