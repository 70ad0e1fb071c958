// API versions as the server handles them (apiserver/service_repo/service_repo.py): the version is
// the path's "/v<version>/" (absent: the server's newest), a version above the server's newest is
// refused, and an endpoint is found only at or above the version it first appeared in.
import { ApiError } from './api-error';

/** The newest API version of the server the test server stands in for, and its release. */
export const SERVER_API_VERSION = '2.31';
export const SERVER_VERSION = '1.17.0';

/** First versions of the endpoints clients use that appeared after 2.1 (from the server's @endpoint min_version). */
const ENDPOINT_MIN_VERSION: Readonly<Record<string, string>> = {
  'tasks.completed': '2.2',
  'tasks.add_or_update_artifacts': '2.10',
  'tasks.delete_artifacts': '2.10',
  'tasks.add_or_update_model': '2.13',
};

function parts(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return [major, minor];
}

/** Negative, zero or positive as `a` is lower than, equal to or higher than `b`. */
export function compareApiVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1];
}

/** The version a call is served at; throws the server's answers for versions it cannot serve. */
export function resolveEndpointVersion(endpoint: string, requested: string | undefined, serverApiVersion: string): { requested: string; actual: string } {
  const version = requested ?? serverApiVersion;
  if (compareApiVersions(version, serverApiVersion) > 0) {
    throw new ApiError(400, 2, `Invalid API version (max. supported version is ${serverApiVersion})`);
  }
  const min = ENDPOINT_MIN_VERSION[endpoint] ?? '2.1';
  if (compareApiVersions(version, min) < 0) {
    throw new ApiError(404, 0, `Unable to find endpoint for name ${endpoint} and version ${version}`);
  }
  return { requested: version, actual: min };
}
