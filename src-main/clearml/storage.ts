// Where a registered file lives, as the SDK tells storages apart (clearml/storage/helper.py): under
// the ClearML file server (downloaded with the session's token), elsewhere over HTTP (downloaded as
// is), or in storage eno cannot read (S3, Google Cloud Storage, Azure, local paths). The file server
// goes by more than one address: the SDK rewrites registered prefixes with
// `sdk.storage.path_substitution` from clearml.conf, and eno does the same, and also takes the
// configured host under another scheme, port or trailing slash for the same file server.

export interface PathSubstitution {
  /** The prefix URIs were registered under, e.g. "http://files.lan:8081". */
  readonly registeredPrefix: string;
  /** The prefix to read them from instead, e.g. "https://files.example.com". */
  readonly localPrefix: string;
}

export type StorageKind = 'files-server' | 'http' | 's3' | 'gcs' | 'azure' | 'local' | 'unknown';

export interface StorageTarget {
  readonly kind: StorageKind;
  /** The URL to fetch (rewritten onto the configured file server when it is another spelling of it). */
  readonly url: string;
  /** The storage in words, for messages. */
  readonly label: string;
}

const CLOUD: Readonly<Record<string, { kind: StorageKind; label: string }>> = {
  's3:': { kind: 's3', label: 'Amazon S3 (or an S3-compatible store)' },
  'gs:': { kind: 'gcs', label: 'Google Cloud Storage' },
  'azure:': { kind: 'azure', label: 'Azure Blob Storage' },
  'file:': { kind: 'local', label: 'a local disk of the machine that registered it' },
};

/** Applies the first matching path substitution, as the SDK's `_apply_url_substitutions` does. */
export function substitutePath(uri: string, substitutions: readonly PathSubstitution[]): string {
  const rule = substitutions.find((r) => r.registeredPrefix && uri.startsWith(r.registeredPrefix));
  return rule ? rule.localPrefix + uri.slice(rule.registeredPrefix.length) : uri;
}

/** Where `uri` lives, and the URL to fetch it from. */
export function resolveStorage(uri: string, filesServer: string | null, substitutions: readonly PathSubstitution[] = []): StorageTarget {
  const substituted = substitutePath(uri, substitutions);
  let url: URL;
  try {
    url = new URL(substituted);
  } catch {
    // A bare path is what the SDK registers for a file it kept on the local disk.
    return substituted.startsWith('/') || /^[A-Za-z]:[\\/]/.test(substituted)
      ? { kind: 'local', url: substituted, label: CLOUD['file:']!.label }
      : { kind: 'unknown', url: substituted, label: 'storage eno does not know' };
  }
  const cloud = CLOUD[url.protocol];
  if (cloud) return { ...cloud, url: substituted };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'unknown', url: substituted, label: `storage eno does not know ("${url.protocol}" addresses)` };
  if (filesServer) {
    const files = new URL(filesServer);
    // The same host under another scheme or port is the same file server: read it where it is configured.
    if (url.hostname.toLowerCase() === files.hostname.toLowerCase()) {
      const base = filesServer.replace(/\/+$/, '');
      const basePath = files.pathname.replace(/\/+$/, '');
      const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url.pathname;
      return { kind: 'files-server', url: `${base}${path}${url.search}`, label: `the ClearML file server (${base})` };
    }
  }
  return { kind: 'http', url: url.toString(), label: `the web server ${url.host}` };
}

/** True for storage eno can download from. */
export function isReadable(target: StorageTarget): boolean {
  return target.kind === 'files-server' || target.kind === 'http';
}

/** The advice for a file eno cannot read: where it is, and what to configure so that it can. */
export function unreadableMessage(what: string, uri: string, target: StorageTarget, filesServer: string | null): string {
  const server = filesServer ? `the ClearML file server (${filesServer})` : 'the ClearML file server';
  return (
    `${capitalize(what)} is on ${target.label} (${uri}), which eno cannot read: eno reads from ${server} and over HTTP. ` +
    'Store it on the file server (the SDK does when no other output URI or default_output_uri is set), ' +
    'or, if it can be read over HTTP, map its prefix with sdk.storage.path_substitution in clearml.conf.'
  );
}

/** The advice for an HTTP address that wants credentials eno does not send there. */
export function credentialsMessage(what: string, uri: string, status: number, filesServer: string | null): string {
  return (
    `${capitalize(what)} (${uri}) answered HTTP ${status}: that address wants credentials eno only sends to the ClearML file server` +
    `${filesServer ? ` (${filesServer})` : ''}. If it is your file server under another address, set api.files_server to it ` +
    'or map its prefix with sdk.storage.path_substitution in clearml.conf.'
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
