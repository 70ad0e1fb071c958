// ONNX Runtime sessions with the execution-provider policy of the app: `auto` tries CUDA and falls
// back to CPU with the reason kept, `cuda` fails loudly, `cpu` never touches the GPU.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderChoice, ExecutionProviderName } from './worker-protocol';

export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly provider: ExecutionProviderName;
  /** Why `auto` ended up on the CPU; undefined when it did not fall back. */
  readonly fallbackReason?: string;
}

/** Thrown when `cuda` was asked for and cannot be used. */
export class ExecutionProviderError extends Error {
  override name = 'ExecutionProviderError';
}

function baseOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

/** Where onnxruntime-node keeps its native libraries for this platform. */
function ortBinDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch).replace('app.asar/', 'app.asar.unpacked/');
  } catch {
    return undefined;
  }
}

/** Why CUDA cannot work before even trying, or undefined when its provider library is installed. */
export function cudaProviderMissing(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return `CUDA is not supported on ${process.platform}`;
  const dir = ortBinDir();
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  if (dir && !existsSync(join(dir, lib))) {
    return 'the CUDA provider of onnxruntime-node is not installed (see "GPU" in the README)';
  }
  return undefined;
}

/** Opens a session on the chosen execution provider. */
export async function openSession(
  modelPath: string,
  ep: ExecutionProviderChoice,
  threads: number,
): Promise<OpenedSession> {
  // ONNX Runtime would also print its own log line for a failed provider; our reason says it.
  ort.env.logLevel = 'fatal';
  if (ep !== 'cpu') {
    const missing = cudaProviderMissing();
    if (missing) {
      const reason = `CUDA execution provider unavailable: ${missing}`;
      if (ep === 'cuda') throw new ExecutionProviderError(reason);
      return { ...(await openCpu(modelPath, threads)), fallbackReason: reason };
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        ...baseOptions(threads),
        // The failure is reported below in our own words; ONNX Runtime's log line would duplicate it.
        logSeverityLevel: 4,
        executionProviders: [{ name: 'cuda', deviceId: 0 }],
      });
      return { session, provider: 'cuda' };
    } catch (error) {
      const reason = `CUDA execution provider unavailable: ${firstLine(error)}`;
      if (ep === 'cuda') throw new ExecutionProviderError(reason);
      return { ...(await openCpu(modelPath, threads)), fallbackReason: reason };
    }
  }
  return openCpu(modelPath, threads);
}

async function openCpu(modelPath: string, threads: number): Promise<OpenedSession> {
  const session = await ort.InferenceSession.create(modelPath, {
    ...baseOptions(threads),
    executionProviders: ['cpu'],
  });
  return { session, provider: 'cpu' };
}
