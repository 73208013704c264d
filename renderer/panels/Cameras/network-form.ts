/** The Cameras panel's network-camera form: what the operator typed, checked before it is sent. */
import type { z } from 'zod';
import type { AddNetworkCamera } from '../../../shared/ipc/contract.ts';

/** The form's fields as typed. */
export interface NetworkCameraForm {
  readonly url: string;
  readonly name: string;
  readonly calibrationPath: string;
}

export const EMPTY_NETWORK_CAMERA_FORM: NetworkCameraForm = { url: '', name: '', calibrationPath: '' };

/** A name from the URL's host and port when the operator gave none: `192.168.1.20-8080`. */
export function nameFromUrl(url: URL): string {
  return `${url.hostname}${url.port ? `-${url.port}` : ''}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48);
}

/** The request to send, or what is wrong with the form (the main process checks again). */
export function networkCameraRequest(form: NetworkCameraForm): { ok: true; request: z.input<typeof AddNetworkCamera> } | { ok: false; error: string } {
  const text = form.url.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: 'Type the camera stream URL, like http://192.168.1.20:8080/stream.mjpg' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `Camera URLs are http:// or https://, not ${url.protocol}//` };
  const name = form.name.trim() || nameFromUrl(url);
  const calibrationPath = form.calibrationPath.trim();
  return { ok: true, request: { url: text, name, ...(calibrationPath ? { calibrationPath } : {}) } };
}
