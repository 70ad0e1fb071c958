// In-memory state of the test server: projects, tasks and models as loose JSON documents (like the
// server's database documents), the file server's objects, and a log of every call for tests.
import { randomBytes } from 'node:crypto';
import { ApiError, isObject, type Json, type JsonObject } from './api-error';
import { SERVER_API_VERSION, SERVER_VERSION } from './api-version';

export interface CallRecord {
  readonly endpoint: string;
  readonly version: string;
  readonly body: JsonObject;
  readonly resultCode: number;
}

export interface TestIdentity {
  readonly user: string;
  readonly userName: string;
  readonly company: string;
}

export const TEST_IDENTITY: TestIdentity = { user: 'eno-test-user', userName: 'eno test', company: 'eno-test-company' };

/** All documents and files the test server holds. */
export class ServerState {
  readonly projects = new Map<string, JsonObject>();
  readonly tasks = new Map<string, JsonObject>();
  readonly models = new Map<string, JsonObject>();
  readonly files = new Map<string, Buffer>();
  readonly calls: CallRecord[] = [];
  /** POSTs the file server received, cut or not. */
  uploadAttempts = 0;
  /** Endpoints called that the server does not implement (to find out what a client needs). */
  readonly unknownEndpoints = new Set<string>();
  /** The server's newest API version and release, as its tokens and server.info report them. */
  apiVersion = SERVER_API_VERSION;
  serverVersion = SERVER_VERSION;
  private clock = 0;

  /** A new 32-hex id, as the server makes them. */
  newId(): string {
    return randomBytes(16).toString('hex');
  }

  /** How far the server's clock is from this machine's (a real server's clock is its own). */
  clockOffsetMs = 0;

  /** The server's clock, in milliseconds. */
  nowMs(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** An ISO timestamp on the server's clock that strictly increases between calls, so ordering by time is deterministic. */
  now(): string {
    const ms = Math.max(this.nowMs(), this.clock + 1);
    this.clock = ms;
    return new Date(ms).toISOString();
  }

  task(id: string): JsonObject {
    const task = this.tasks.get(id);
    if (!task) throw new ApiError(400, 101, `Invalid task id (id=${id})`);
    return task;
  }

  model(id: string): JsonObject {
    const model = this.models.get(id);
    if (!model) throw new ApiError(400, 201, `Invalid model id (id=${id})`);
    return model;
  }

  project(id: string): JsonObject {
    const project = this.projects.get(id);
    if (!project) throw new ApiError(400, 401, `Invalid project id (id=${id})`);
    return project;
  }

  projectByName(name: string): JsonObject | undefined {
    for (const project of this.projects.values()) if (project.name === name) return project;
    return undefined;
  }

  /** Creates the project and, as the server does for "a/b/c", every missing parent. */
  ensureProject(name: string, fields: JsonObject = {}): JsonObject {
    const existing = this.projectByName(name);
    if (existing) return existing;
    const slash = name.lastIndexOf('/');
    const parent = slash > 0 ? this.ensureProject(name.slice(0, slash)) : undefined;
    const now = this.now();
    const project: JsonObject = {
      id: this.newId(),
      name,
      basename: slash > 0 ? name.slice(slash + 1) : name,
      description: '',
      tags: [],
      system_tags: [],
      ...fields,
      parent: parent ? (parent.id as string) : null,
      user: TEST_IDENTITY.user,
      company: TEST_IDENTITY.company,
      created: now,
      last_update: now,
    };
    this.projects.set(project.id as string, project);
    return project;
  }
}

/** Reads a dotted path ("runtime.version") from a document. */
export function getPath(doc: JsonObject, path: string): Json | undefined {
  let current: Json | undefined = doc;
  for (const part of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** Writes a dotted path, creating intermediate objects. */
export function setPath(doc: JsonObject, path: string, value: Json): void {
  const parts = path.split('.');
  let current = doc;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (!isObject(next)) current[part] = {};
    current = current[part] as JsonObject;
  }
  current[parts[parts.length - 1]!] = value;
}

/** A deep copy, so callers never hold references into the state. */
export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}
