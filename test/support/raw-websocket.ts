/**
 * WebSocket at the byte level, for attack tests: a hand-made handshake over a plain TCP socket, and frames built
 * bit by bit, including the malformed ones a well-behaved client library refuses to send.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Connects to 127.0.0.1:port and waits until the socket is open. */
export function tcpConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What came back before the peer closed or `ms` passed (or, with `firstChunk`, the first bytes to arrive). */
export function readFor(socket: Socket, ms: number, firstChunk = false): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (firstChunk) done();
    };
    const timer = setTimeout(done, ms);
    socket.on('data', onData);
    socket.once('close', done);
  });
}

export function upgradeRequest(port: number, headers: Record<string, string>): string {
  const lines = [
    'GET /ws HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A completed handshake (101) on a raw socket, ready for hand-made frames. */
export async function rawWebSocket(port: number, headers: Record<string, string>): Promise<Socket> {
  const socket = await tcpConnect(port);
  socket.on('error', () => undefined);
  const answer = new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed during the handshake: ${text}`)));
  });
  socket.write(upgradeRequest(port, headers));
  const head = await answer;
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${head.split('\r\n')[0]}`);
  return socket;
}

export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask; false builds the protocol error. */
  masked?: boolean;
  /** A length to announce other than the payload's (an oversize frame need not be sent in full). */
  declaredLength?: number;
}

export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.declaredLength ?? payload.length;
  const masked = spec.masked ?? true;
  const first = (spec.fin === false ? 0 : 0x80) | (spec.rsv1 ? 0x40 : 0) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  return Buffer.concat([header, mask, body]);
}

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, reserved: 0x3 } as const;

export function closeFrame(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code, 0);
  return frame({ opcode: OPCODE.close, payload });
}
