/**
 * Window hardening: the console page comes from one loopback origin and nothing else may load,
 * navigate, open windows or connect anywhere else. Pure decisions are exported for the tests;
 * `hardenSession` / `hardenWindow` wire them into Electron.
 */
import type { BrowserWindow, Session } from 'electron';

/** The Content-Security-Policy sent with every response of the console's origin. */
export function contentSecurityPolicy(origin: string): string {
  const socket = origin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    // React and CodeMirror set inline style attributes; no inline scripts anywhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    `connect-src 'self' ${socket}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Whether the window may go to `url` (only the console's own origin). */
export function isAllowedNavigation(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Whether a request may leave the window: the console's origin (http and ws) and local schemes. */
export function isAllowedRequest(url: string, origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'devtools:'].includes(parsed.protocol)) return true;
  const socketOrigin = origin.replace(/^http/, 'ws');
  return parsed.origin === origin || `${parsed.protocol}//${parsed.host}` === socketOrigin;
}

/** Permissions the console may ask for: the camera for the USB camera view, from its own origin. */
export function isAllowedPermission(permission: string, requestingUrl: string, origin: string): boolean {
  return permission === 'media' && isAllowedNavigation(requestingUrl, origin);
}

/** CSP header on every response, no request to anywhere else, only the camera permission. */
export function hardenSession(session: Session, origin: string): void {
  const csp = contentSecurityPolicy(origin);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, origin) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((contents, permission, callback) => callback(isAllowedPermission(permission, contents.getURL(), origin)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin, origin));
}

/** No new windows, no navigation away, no <webview>. */
export function hardenWindow(window: BrowserWindow, origin: string): void {
  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const guard = (event: { preventDefault(): void; readonly url: string }): void => {
    if (!isAllowedNavigation(event.url, origin)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
