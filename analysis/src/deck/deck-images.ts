/** An image file as a data URI, once its bytes are known to be what its name says. */

const TYPES: Record<string, { mime: string; is: (b: Buffer) => boolean }> = {
  png: { mime: 'image/png', is: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  jpg: { mime: 'image/jpeg', is: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  jpeg: { mime: 'image/jpeg', is: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  gif: { mime: 'image/gif', is: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  webp: { mime: 'image/webp', is: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  svg: { mime: 'image/svg+xml', is: (b) => /<svg[\s>]/.test(b.subarray(0, 4096).toString('utf8')) },
};

/** A `src` that is not a file beside the deck: a URL of any scheme, or protocol-relative. */
export const isRemote = (src: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//');

/** The data URI, or why the file cannot be one. */
export function imageDataUri(path: string, bytes: Buffer): { uri: string } | { problem: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const type = TYPES[ext];
  if (!type) return { problem: `not an image file the deck can show (${Object.keys(TYPES).join(', ')})` };
  if (bytes.length === 0) return { problem: 'the file is empty' };
  if (!type.is(bytes)) return { problem: `the file is not a ${ext.toUpperCase()} image` };
  return { uri: `data:${type.mime};base64,${bytes.toString('base64')}` };
}
