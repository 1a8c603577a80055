import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { createLocalStorage } from './local.ts';
import { createS3Storage } from './s3.ts';
import type { Storage } from './types.ts';

export type { ByteRange, LocalFile, PutOptions, PutSource, Storage } from './types.ts';
export { StorageBackendError, StorageKeyError, StorageNotFoundError, StorageRangeError, StorageTooLargeError } from './errors.ts';
export { assertValidKey, assetKey } from './keys.ts';
export { resolveRange } from './range.ts';
export { createLocalStorage, LOCAL_TEMP_DIR } from './local.ts';
export { createS3Storage, S3_SINGLE_PUT_LIMIT, type S3StorageOptions } from './s3.ts';

/** S3 when `S3_BUCKET` is set (config.ts then requires `S3_ENDPOINT`), else the local disk. */
export function createStorage(config: Config): Storage {
  if (!config.S3_BUCKET) return createLocalStorage({ root: config.storageDir });
  if (!config.S3_ENDPOINT || !config.S3_ACCESS_KEY_ID || !config.S3_SECRET_ACCESS_KEY) {
    throw new ConfigError('Invalid configuration: S3_ENDPOINT, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_BUCKET is set');
  }
  return createS3Storage({
    endpoint: config.S3_ENDPOINT,
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}
