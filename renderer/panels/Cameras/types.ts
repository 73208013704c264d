/** The Cameras panel's settings. */
export interface CameraSettings {
  /** Simulated camera shown (empty until the list arrives). */
  readonly camera: string;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Re-render the simulated views every few seconds. */
  readonly autoRefresh: boolean;
  /** Chosen USB camera (`deviceId`), empty for the default one. */
  readonly usbDeviceId: string;
}

/** Settings edits. */
export type CameraSettingsAction =
  | { readonly type: 'cameras-listed'; readonly names: readonly string[] }
  | { readonly type: 'camera'; readonly name: string }
  | { readonly type: 'size'; readonly widthPx: number }
  | { readonly type: 'toggle-auto' }
  | { readonly type: 'usb-device'; readonly deviceId: string };
