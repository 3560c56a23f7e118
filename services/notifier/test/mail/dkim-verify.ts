import { createHash, type KeyObject, verify } from 'node:crypto';

/**
 * An independent DKIM check (RFC 6376, relaxed/relaxed, rsa-sha256) of a message as the relay
 * received it, written from the RFC rather than from nodemailer's signer: the body hash is
 * recomputed and the signature verified with the test's public key over the header fields that
 * h= names, picked bottom-up as a verifier does.
 */
export interface DkimCheck {
  tags: Record<string, string>;
  /** The h= list, lower case. */
  signedHeaders: string[];
  bodyHashMatches: boolean;
  signatureVerifies: boolean;
}

export function checkDkim(raw: Buffer, publicKey: KeyObject): DkimCheck {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headerText = split >= 0 ? text.slice(0, split + 2) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  const fields = headerFields(headerText);
  const signature = fields.find((f) => f.name === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature header');
  const tags = parseTags(signature.value);
  const signedHeaders = (tags.h ?? '').split(':').map((h) => h.trim().toLowerCase());

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');

  const used = new Set<number>();
  let data = '';
  for (const name of signedHeaders) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (fields[i]!.name === name && !used.has(i)) {
        used.add(i);
        data += relaxedHeader(fields[i]!.raw) + '\r\n';
        break;
      }
    }
  }
  const withoutB = signature.raw.replace(/(\bb=)[^;]*/, '$1');
  data += relaxedHeader(withoutB);
  const signatureVerifies = verify('sha256', Buffer.from(data, 'latin1'), publicKey, Buffer.from((tags.b ?? '').replace(/\s+/g, ''), 'base64'));
  return { tags, signedHeaders, bodyHashMatches: bodyHash === (tags.bh ?? '').replace(/\s+/g, ''), signatureVerifies };
}

interface Field {
  name: string;
  value: string;
  raw: string;
}

function headerFields(headerText: string): Field[] {
  const fields: Field[] = [];
  for (const line of headerText.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields[fields.length - 1]!;
      last.raw += `\r\n${line}`;
      last.value += `\r\n${line}`;
    } else {
      const colon = line.indexOf(':');
      fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1), raw: line });
    }
  }
  return fields;
}

function parseTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of value.replace(/\r\n[ \t]/g, ' ').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return tags;
}

/** RFC 6376 3.4.2. */
function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 3.4.4. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}
