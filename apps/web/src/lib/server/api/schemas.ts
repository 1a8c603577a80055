import { z } from 'zod';
import { roles } from '@cutline/shared/auth';

/** Ids are 24 lower-case base32 characters (see @cutline/shared/auth tokens). */
export const id = z.string().regex(/^[a-z0-9]{1,64}$/, 'must be an id');

export const idParams = z.object({ id });
export const memberParams = z.object({ id, userId: id });
export const linkParams = z.object({ id, linkId: id });

export const role = z.enum(roles);
export const invitableRole = z.enum(['editor', 'commenter', 'viewer']);

const timestamp = z.string().describe('ISO 8601 date-time');

export const user = z.object({ id, email: z.string(), name: z.string() });

export const project = z.object({
  id,
  name: z.string(),
  ownerId: id,
  role,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const member = z.object({ userId: id, email: z.string(), name: z.string(), role, createdAt: timestamp });

export const apiToken = z.object({
  id,
  name: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
});

export const shareLink = z.object({ id, role: invitableRole, createdAt: timestamp, url: z.string().optional() });

export const email = z.email('must be an email address').max(254);
export const password = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');
export const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const projectName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
