// A synthetic library whose tracks' embeddings fall in well-separated clusters, for tests of
// learned tags and similar tracks that need many tracks (no audio; the store as tagging leaves it).
import { openStore, type Db } from '../src-main/library/store';
import { seededRandom, seedTracks, type SyntheticTrack } from './synthetic-library';

/** Dimensions of the synthetic embeddings. */
export const CLUSTER_DIM = 16;

/** Tracks in `clusters` clusters (A, B, C, ...), `perCluster` each, interleaved; deterministic. */
export function clusteredTracks(clusters = 3, perCluster = 60, seed = 3): { tracks: SyntheticTrack[]; cluster: string[] } {
  const rnd = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const centres = Array.from({ length: clusters }, () => Array.from({ length: CLUSTER_DIM }, () => gauss() * 2));
  const tracks: SyntheticTrack[] = [];
  const cluster: string[] = [];
  for (let i = 0; i < clusters * perCluster; i++) {
    const c = i % clusters;
    tracks.push({
      path: `/music/${String.fromCharCode(65 + c)}/t${String(i).padStart(4, '0')}.mp3`,
      title: `Track ${i} (${String.fromCharCode(65 + c)})`,
      embedding: Float32Array.from(centres[c]!, (v) => v + gauss() * 0.7),
    });
    cluster.push(String.fromCharCode(65 + c));
  }
  return { tracks, cluster };
}

/** A store in `dataDir` seeded with clustered tracks; returns the track ids and their clusters. */
export function seedClusteredLibrary(dataDir: string, clusters = 3, perCluster = 60): { ids: number[]; cluster: string[]; of: (c: string, count: number, skip?: number) => number[] } {
  const db: Db = openStore(dataDir);
  const { tracks, cluster } = clusteredTracks(clusters, perCluster);
  const ids = seedTracks(db, tracks);
  db.close();
  const of = (c: string, count: number, skip = 0): number[] => ids.filter((_, i) => cluster[i] === c).slice(skip, skip + count);
  return { ids, cluster, of };
}
