/** The checksums runners keep of applied files, computed the same way for drift detection. */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Flyway: CRC32 over the file's lines without their line breaks (BOM dropped), as a signed int. */
export function flywayChecksum(text: string): string {
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r\n|\r|\n/);
  // BufferedReader.readLine returns no empty line after a final line break
  if (lines.length > 0 && lines[lines.length - 1] === '' && /[\r\n]$/.test(body)) lines.pop();
  if (body === '') return '0';
  let crc = 0;
  for (const line of lines) crc = crc32(Buffer.from(line, 'utf8'), crc);
  return String(crc | 0);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}
