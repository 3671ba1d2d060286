import { UPLOAD_PREFIX } from './route.js';

/**
 * Where a resumable create sends the client: Meta answers
 * `https://rupload.facebook.com/ig-api-upload/{v}/{container-id}`
 * (docs/graph-api.md#resumable-upload); the simulator serves that path on its own port.
 * The base is the scenario's `upload.baseUrl` when set, else `http://` plus
 * the create request's Host header (so the `uri` works under whatever name
 * the client reached the simulator by), else the server's own address.
 */
export function uploadBase(scenarioBase: string | undefined, hostHeader: string | undefined, serverUrl: string): string {
  if (scenarioBase !== undefined) return scenarioBase.replace(/\/+$/, '');
  if (hostHeader !== undefined && hostHeader !== '') return `http://${hostHeader}`;
  return serverUrl;
}

/** The upload `uri` of one container. */
export function uploadUri(base: string, version: string, containerId: string): string {
  return `${base}/${UPLOAD_PREFIX}/${version}/${containerId}`;
}
