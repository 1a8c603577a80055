import { InvalidInputError, PayloadTooLargeError } from './errors.ts';

export const JSON_BODY_LIMIT = 1024 * 1024;

/** Reads a JSON body, refusing more than `limit` bytes before buffering them. */
export async function readJsonBody(request: Request, limit = JSON_BODY_LIMIT): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new InvalidInputError('Send the body as JSON with Content-Type: application/json');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) throw new InvalidInputError('The request has no body');
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError('The body is not valid JSON');
  }
}
