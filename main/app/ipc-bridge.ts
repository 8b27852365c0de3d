/**
 * ipcMain side of the contract: one handler per channel. The sender is checked before the payload is even
 * parsed — only our own page, in the window's main frame, may call (an iframe or a page that navigated
 * elsewhere may not). Then the shared dispatch parses with the contract and runs the handler.
 */
import { ipcMain, type WebContents } from 'electron';
import {
  CHANNELS,
  IPC_CHANNEL_LIST,
  IPC_EVENT_CHANNEL,
  ipcChannel,
  type HostEvent,
  type Result,
} from '../../preload/contract.js';
import type { Dispatch } from '../host/dispatch.js';
import { senderIsOwnPage, type RendererLocation } from './renderer-location.js';

export function registerIpc(dispatch: Dispatch, renderer: RendererLocation): () => void {
  // The preload builds window.orgconnect from these names. They are no secret (the page's bundle has them too)
  // and every call on them is sender-checked below, so the list is answered without a sender check: the
  // preload asks before the page has loaded.
  const listChannels = (event: { returnValue: unknown }) => {
    event.returnValue = CHANNELS;
  };
  ipcMain.on(IPC_CHANNEL_LIST, listChannels);
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannel(channel), async (event, payload: unknown): Promise<Result<unknown>> => {
      if (!senderIsOwnPage(event, renderer)) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN_SENDER',
            message: 'This request did not come from the orgconnect window.',
          },
        };
      }
      return dispatch(channel, payload);
    });
  }
  return () => {
    ipcMain.removeListener(IPC_CHANNEL_LIST, listChannels);
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannel(channel));
  };
}

/** Events go to our page only; a window showing anything else gets nothing. */
export function sendEvent(contents: WebContents, renderer: RendererLocation, event: HostEvent): void {
  if (contents.isDestroyed() || !renderer.isOwnPage(contents.getURL())) return;
  contents.send(IPC_EVENT_CHANNEL, event);
}
