import { describe, it } from 'vitest';
import { createS3Storage } from './s3.ts';
import { storageContract } from './storage.contract.ts';

/**
 * The contract against a real S3-compatible server (MinIO, AWS, R2 …), only when one is
 * named: S3_TEST_ENDPOINT, S3_TEST_BUCKET, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY
 * (and optionally S3_TEST_REGION, S3_TEST_FORCE_PATH_STYLE=false). No fake servers: a
 * fake would only test our reading of S3's documentation against itself.
 */
const env = process.env;
const configured = Boolean(env.S3_TEST_ENDPOINT && env.S3_TEST_BUCKET && env.S3_TEST_ACCESS_KEY_ID && env.S3_TEST_SECRET_ACCESS_KEY);

if (configured) {
  storageContract('S3', async () => ({
    storage: createS3Storage({
      endpoint: env.S3_TEST_ENDPOINT ?? '',
      bucket: env.S3_TEST_BUCKET ?? '',
      region: env.S3_TEST_REGION ?? 'us-east-1',
      accessKeyId: env.S3_TEST_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.S3_TEST_SECRET_ACCESS_KEY ?? '',
      forcePathStyle: env.S3_TEST_FORCE_PATH_STYLE !== 'false',
    }),
    // Uploads are spooled in the OS temp dir and removed in `finally`; S3 keeps no partial
    // objects for a failed PutObject.
    leftovers: async () => [],
    cleanup: async () => {},
  }));
} else {
  describe('storage contract: S3', () => {
    it.skip('needs S3_TEST_ENDPOINT, S3_TEST_BUCKET, S3_TEST_ACCESS_KEY_ID and S3_TEST_SECRET_ACCESS_KEY', () => {});
  });
}
