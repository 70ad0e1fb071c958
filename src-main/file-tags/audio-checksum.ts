// The audio stream's checksum as ffmpeg demuxes it (packets copied, not decoded): an independent
// reader's word that a tag write left every audio byte as it was.
import { spawn } from 'node:child_process';
import { resolveFfmpeg } from '../audio/ffmpeg';

/** Longest wait for one checksum; a file that takes longer is reported, not waited for. */
const CHECKSUM_TIMEOUT_MS = 120_000;

/** MD5 of every audio packet of the file (`-map 0:a -c copy -f md5`); rejects when ffmpeg cannot read it. */
export function audioChecksum(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(resolveFfmpeg().path, ['-v', 'error', '-nostdin', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'md5', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHECKSUM_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const match = /MD5=([0-9a-f]{32})/.exec(out);
      if (code === 0 && match) resolve(match[1]!);
      else reject(new Error(`ffmpeg cannot read the audio: ${err.trim().split('\n').pop() || `exit ${code}`}`));
    });
  });
}
